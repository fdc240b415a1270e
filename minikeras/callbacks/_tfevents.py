"""TensorFlow event files without TensorFlow.

An event file is a sequence of TFRecords, each holding one serialized
`tensorflow.Event` protocol buffer. The few messages TensorBoard needs for
scalars, histograms, images and the Keras model summary are encoded here by
hand. Record framing (`tensorflow/core/lib/io/record_writer.cc`):

    uint64 length (little endian)
    uint32 masked_crc32c(length bytes)
    bytes  data[length]
    uint32 masked_crc32c(data)

Field numbers (tensorflow/core/util/event.proto, framework/summary.proto,
framework/tensor.proto, framework/tensor_shape.proto):
Event{wall_time=1 double, step=2 int64, file_version=3 string, summary=5},
Summary{value=1 repeated}, Summary.Value{tag=1, tensor=8, metadata=9},
SummaryMetadata{plugin_data=1{plugin_name=1, content=2}},
TensorProto{dtype=1, tensor_shape=2, tensor_content=4, string_val=8},
TensorShapeProto{dim=2{size=1}}.
"""
import os
import socket
import struct
import time

import numpy as np

DT_FLOAT, DT_DOUBLE, DT_STRING = 1, 2, 7
_FILE_VERSION = b"brain.Event:2"


# ----- CRC-32C (Castagnoli), as TFRecord uses ---------------------------------
def _make_crc_table():
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
        table.append(crc)
    return table


_CRC_TABLE = _make_crc_table()


def crc32c(data):
    crc = 0xFFFFFFFF
    table = _CRC_TABLE
    for byte in data:
        crc = table[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def masked_crc32c(data):
    crc = crc32c(data)
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def frame_record(data):
    """One TFRecord: length, its CRC, the data, the data's CRC."""
    header = struct.pack("<Q", len(data))
    return (header + struct.pack("<I", masked_crc32c(header)) + data
            + struct.pack("<I", masked_crc32c(data)))


# ----- protobuf wire format ---------------------------------------------------
def _varint(value):
    out = bytearray()
    value &= (1 << 64) - 1  # negative int64 as two's complement
    while True:
        bits = value & 0x7F
        value >>= 7
        if value:
            out.append(bits | 0x80)
        else:
            out.append(bits)
            return bytes(out)


def _key(field, wire_type):
    return _varint((field << 3) | wire_type)


def _bytes_field(field, payload):
    if isinstance(payload, str):
        payload = payload.encode("utf-8")
    return _key(field, 2) + _varint(len(payload)) + payload


def _varint_field(field, value):
    return _key(field, 0) + _varint(int(value))


def _double_field(field, value):
    return _key(field, 1) + struct.pack("<d", float(value))


def _tensor_proto(dtype, shape, content=None, string_vals=()):
    dims = b"".join(_bytes_field(2, _varint_field(1, d)) for d in shape)
    out = _varint_field(1, dtype) + _bytes_field(2, dims)
    if content is not None:
        out += _bytes_field(4, content)
    for s in string_vals:
        out += _bytes_field(8, s)
    return out


def _summary_value(tag, tensor, plugin_name, plugin_content=b""):
    plugin_data = _bytes_field(1, plugin_name)
    if plugin_content:
        plugin_data += _bytes_field(2, plugin_content)
    return (_bytes_field(1, tag) + _bytes_field(8, tensor)
            + _bytes_field(9, _bytes_field(1, plugin_data)))


def _event(wall_time, step=0, summary_value=None, file_version=None):
    out = _double_field(1, wall_time)
    if step:
        out += _varint_field(2, step)
    if file_version is not None:
        out += _bytes_field(3, file_version)
    if summary_value is not None:
        out += _bytes_field(5, _bytes_field(1, summary_value))
    return out


# ----- summaries --------------------------------------------------------------
def scalar_value(tag, value):
    content = struct.pack("<f", float(value))
    return _summary_value(tag, _tensor_proto(DT_FLOAT, (), content), "scalars")


def histogram_buckets(data, bucket_count=30):
    """`[bucket_count, 3]` float64 rows `[left, right, count]`, bucketed as
    TensorBoard's histogram summary does."""
    data = np.asarray(data, dtype=np.float64).reshape(-1)
    if data.size == 0 or bucket_count <= 0:
        return np.zeros((max(bucket_count, 0), 3), np.float64)
    lo, hi = data.min(), data.max()
    if hi == lo:
        counts = np.zeros(bucket_count)
        counts[-1] = data.size
        edges = np.full(bucket_count, hi)
        return np.stack([edges, edges, counts], axis=1)
    width = (hi - lo) / bucket_count
    index = np.minimum(np.floor((data - lo) / width).astype(np.int64), bucket_count - 1)
    counts = np.bincount(index, minlength=bucket_count).astype(np.float64)
    edges = np.linspace(lo, hi, bucket_count + 1)
    edges[-1] = hi
    return np.stack([edges[:-1], edges[1:], counts], axis=1)


def histogram_value(tag, data, bucket_count=30):
    buckets = histogram_buckets(data, bucket_count)
    tensor = _tensor_proto(DT_DOUBLE, buckets.shape, buckets.astype("<f8").tobytes())
    return _summary_value(tag, tensor, "histograms")


def image_value(tag, images):
    """`images`: `[k, h, w, c]` uint8, or floats in [0, 1] converted the way
    `tf.image.convert_image_dtype(saturate=True)` does (scale by 255.5,
    saturate, truncate)."""
    from PIL import Image  # pillow is a dependency; imported only when used
    import io

    images = np.asarray(images)
    if images.dtype != np.uint8:
        images = np.clip(images.astype(np.float64) * 255.5, 0, 255).astype(np.uint8)
    pngs = []
    for image in images:
        if image.shape[-1] == 1:
            image = image[..., 0]
        buf = io.BytesIO()
        Image.fromarray(image).save(buf, format="PNG")
        pngs.append(buf.getvalue())
    height, width = images.shape[1:3]
    tensor = _tensor_proto(DT_STRING, (len(pngs) + 2,),
                           string_vals=[str(width), str(height)] + pngs)
    return _summary_value(tag, tensor, "images")


def text_value(tag, text, plugin_name, plugin_content=b""):
    tensor = _tensor_proto(DT_STRING, (), string_vals=[text])
    return _summary_value(tag, tensor, plugin_name, plugin_content)


class EventFileWriter:
    """Appends events to `<logdir>/events.out.tfevents.<time>.<host>.<pid>.<n>.v2`.

    Each record is flushed as it is written so that TensorBoard can follow
    training live and nothing is lost if the process dies.
    """

    _counter = 0

    def __init__(self, logdir):
        os.makedirs(logdir, exist_ok=True)
        EventFileWriter._counter += 1
        name = (f"events.out.tfevents.{int(time.time())}."
                f"{socket.gethostname()}.{os.getpid()}.{EventFileWriter._counter}.v2")
        self.path = os.path.join(logdir, name)
        self._file = open(self.path, "wb")
        self._write(_event(time.time(), file_version=_FILE_VERSION))

    def _write(self, event_bytes):
        self._file.write(frame_record(event_bytes))
        self._file.flush()

    def add_value(self, summary_value, step):
        self._write(_event(time.time(), int(step), summary_value))

    def close(self):
        if not self._file.closed:
            self._file.close()

    @property
    def closed(self):
        return self._file.closed


# ----- reading (for tests and for users inspecting their logs) ----------------
def _parse(buf):
    """Protobuf message bytes -> `{field: [values]}` (raw, undecoded)."""
    fields, pos = {}, 0
    while pos < len(buf):
        key, pos = _read_varint(buf, pos)
        field, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = _read_varint(buf, pos)
        elif wire == 1:
            value, pos = buf[pos:pos + 8], pos + 8
        elif wire == 2:
            n, pos = _read_varint(buf, pos)
            value, pos = buf[pos:pos + n], pos + n
        elif wire == 5:
            value, pos = buf[pos:pos + 4], pos + 4
        else:
            raise ValueError(f"Unsupported protobuf wire type {wire}")
        fields.setdefault(field, []).append(value)
    return fields


def _read_varint(buf, pos):
    result = shift = 0
    while True:
        byte = buf[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return result, pos


def read_records(path):
    """The TFRecord payloads of a file, checking both CRCs of each."""
    with open(path, "rb") as f:
        data = f.read()
    records, pos = [], 0
    while pos < len(data):
        if pos + 12 > len(data):
            raise ValueError(f"Truncated record header at byte {pos} of {path}")
        header = data[pos:pos + 8]
        (length,) = struct.unpack("<Q", header)
        (hcrc,) = struct.unpack("<I", data[pos + 8:pos + 12])
        if hcrc != masked_crc32c(header):
            raise ValueError(f"Corrupt record length CRC at byte {pos} of {path}")
        payload = data[pos + 12:pos + 12 + length]
        end = pos + 12 + length
        if end + 4 > len(data):
            raise ValueError(f"Truncated record at byte {pos} of {path}")
        (dcrc,) = struct.unpack("<I", data[end:end + 4])
        if dcrc != masked_crc32c(payload):
            raise ValueError(f"Corrupt record data CRC at byte {pos} of {path}")
        records.append(payload)
        pos = end + 4
    return records


def _decode_tensor(buf):
    t = _parse(buf)
    dtype = t.get(1, [0])[0]
    shape_msg = _parse(t.get(2, [b""])[0])
    shape = tuple(_parse(d).get(1, [0])[0] for d in shape_msg.get(2, []))
    if dtype == DT_STRING:
        value = list(t.get(8, []))
    elif 4 in t:
        np_dtype = {DT_FLOAT: "<f4", DT_DOUBLE: "<f8"}[dtype]
        value = np.frombuffer(t[4][0], np_dtype).reshape(shape)
    elif dtype == DT_FLOAT and 5 in t:  # packed float_val
        value = np.frombuffer(t[5][0], "<f4").reshape(shape or ())
    else:
        value = None
    return dtype, shape, value


def read_events(path):
    """Decodes an event file into dicts: `{"wall_time", "step",
    "file_version"}` or `{"wall_time", "step", "tag", "plugin_name",
    "plugin_content", "dtype", "shape", "value"}` per summary value."""
    events = []
    for record in read_records(path):
        e = _parse(record)
        wall_time = struct.unpack("<d", e[1][0])[0] if 1 in e else 0.0
        step = e.get(2, [0])[0]
        if step >= 1 << 63:
            step -= 1 << 64
        if 3 in e:
            events.append({"wall_time": wall_time, "step": step,
                           "file_version": e[3][0].decode()})
        for summary in e.get(5, []):
            for value in _parse(summary).get(1, []):
                v = _parse(value)
                meta = _parse(v.get(9, [b""])[0])
                plugin = _parse(meta.get(1, [b""])[0])
                dtype, shape, decoded = _decode_tensor(v.get(8, [b""])[0])
                events.append({
                    "wall_time": wall_time, "step": step,
                    "tag": v.get(1, [b""])[0].decode(),
                    "plugin_name": plugin.get(1, [b""])[0].decode(),
                    "plugin_content": plugin.get(2, [b""])[0],
                    "dtype": dtype, "shape": shape, "value": decoded})
    return events
