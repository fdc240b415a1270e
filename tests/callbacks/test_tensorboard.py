"""TensorBoard: event files without TensorFlow, checked against files and
summaries written by TensorFlow/TensorBoard (goldens)."""
import base64
import glob
import io
import os
import re

import numpy as np
import pytest
from PIL import Image

import minikeras as keras
from minikeras import layers
from minikeras.callbacks import TensorBoard, _tfevents
from callback_test_utils import load_golden

GOLDEN = load_golden("callback_tensorboard.json")


def test_crc32c_known_vector():
    # The CRC-32C check value from RFC 3720.
    assert _tfevents.crc32c(b"123456789") == 0xE3069283


def test_reads_a_file_written_by_tensorflow(tmp_path):
    path = tmp_path / "events.out.tfevents.1.host.1.1.v2"
    path.write_bytes(base64.b64decode(GOLDEN["raw_validation_file"]))
    events = _tfevents.read_events(str(path))
    expected = GOLDEN["fit"]["dirs"]["validation"]["events"]
    assert len(events) == len(expected)
    assert events[0]["file_version"] == "brain.Event:2"
    for got, want in zip(events[1:], expected[1:]):
        assert (got["tag"], got["step"], got["plugin_name"], got["dtype"], list(got["shape"])) == \
            (want["tag"], want["step"], want["plugin_name"], want["dtype"], want["shape"])
        assert np.isfinite(got["value"])


def test_corrupt_record_is_detected(tmp_path):
    data = bytearray(base64.b64decode(GOLDEN["raw_validation_file"]))
    data[40] ^= 0xFF
    path = tmp_path / "bad"
    path.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="CRC"):
        _tfevents.read_records(str(path))
    path.write_bytes(bytes(data[:-3]))
    with pytest.raises(ValueError):
        _tfevents.read_records(str(path))


def test_scalar_encoding_is_byte_identical_to_tensorflow():
    assert _tfevents.scalar_value("s", 0.125) == base64.b64decode(GOLDEN["scalar_value_bytes"])


@pytest.mark.parametrize("name", ["k", "c"])
def test_histogram_buckets_match_tensorboard(name):
    got = _tfevents.histogram_buckets(np.array(GOLDEN["histogram_inputs"][name], "float32"))
    np.testing.assert_allclose(got, np.array(GOLDEN[f"histogram_{name}"]), rtol=0, atol=1e-12)


def test_image_pixels_match_tensorflow(tmp_path):
    value = _tfevents.image_value("im", np.array(GOLDEN["image_input"], "float32"))
    writer = _tfevents.EventFileWriter(str(tmp_path))
    writer.add_value(value, 3)
    writer.close()
    (event,) = [e for e in _tfevents.read_events(writer.path) if "tag" in e]
    width, height, png = event["value"]
    assert [width.decode(), height.decode()] == GOLDEN["image"]["width_height"]
    assert np.array(Image.open(io.BytesIO(png))).tolist() == GOLDEN["image"]["pixels"]


def test_profile_batch_and_bad_update_freq_are_rejected():
    with pytest.raises(ValueError, match="profile_batch=5"):
        TensorBoard(profile_batch=5)
    with pytest.raises(ValueError, match="update_freq"):
        TensorBoard(update_freq="sometimes")


def _weight_key(tag):
    """`sequential/dense/kernel/histogram` -> `dense/kernel/histogram`."""
    parts = tag.split("/")
    return "/".join(parts[-3:]) if len(parts) >= 3 else tag


def test_fit_writes_the_events_keras_writes(tmp_path):
    spec = GOLDEN["fit"]["spec"]
    rng = np.random.default_rng(0)
    x = rng.random((spec["n_train"], 3)).astype("float32")
    y = (np.arange(spec["n_train"]) % 2).astype("int32")
    model = keras.models.Sequential([keras.Input((3,)), layers.Dense(2, activation="softmax")])
    model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
    logdir = str(tmp_path / "logs")
    tb = TensorBoard(logdir, histogram_freq=spec["histogram_freq"],
                     write_images=spec["write_images"], update_freq=spec["update_freq"])
    history = model.fit(x, y, batch_size=spec["batch_size"], epochs=spec["epochs"],
                        validation_data=(x[:spec["n_val"]], y[:spec["n_val"]]),
                        verbose=0, callbacks=[tb])
    for sub, golden in GOLDEN["fit"]["dirs"].items():
        files = sorted(glob.glob(os.path.join(logdir, sub, "events.out.tfevents.*.v2")))
        assert len(files) == golden["n_files"]
        events = _tfevents.read_events(files[0])
        assert events[0]["file_version"] == "brain.Event:2"
        got = [(_weight_key(e["tag"]), e["step"], e["plugin_name"], e["plugin_content"].decode(),
                e["dtype"], list(e["shape"])) for e in events[1:]]
        want = [(_weight_key(e["tag"]), e["step"], e["plugin_name"], e["plugin_content"],
                 e["dtype"], e["shape"]) for e in golden["events"][1:]]
        assert got == want
        # The epoch scalars hold the History values (float32 on disk).
        prefix = "val_" if sub == "validation" else ""
        for e in events:
            m = re.fullmatch(r"epoch_(\w+)", e.get("tag", ""))
            if m and m.group(1) != "learning_rate":
                assert float(e["value"]) == pytest.approx(
                    history.history[prefix + m.group(1)][e["step"]], rel=1e-6)
    # The model summary is the model's JSON config.
    (summary,) = [e for e in _tfevents.read_events(
        glob.glob(os.path.join(logdir, "train", "*.v2"))[0]) if e.get("tag") == "keras"]
    assert summary["value"][0].decode() == model.to_json()


def test_embeddings_projector_config(tmp_path):
    class Embedding:  # only the class name matters, as for Keras's check
        def __init__(self, name):
            self.name = name

    class FakeModel:
        layers = [Embedding("words"), object()]

    tb = TensorBoard(str(tmp_path), write_graph=False, embeddings_freq=1,
                     embeddings_metadata={"words": "vocab.tsv"})
    tb.set_model(FakeModel())
    assert (tmp_path / "projector_config.pbtxt").read_text() == (
        "embeddings {\n"
        '  tensor_name: "layer_with_weights-0/embeddings/.ATTRIBUTES/VARIABLE_VALUE"\n'
        '  metadata_path: "vocab.tsv"\n'
        "}\n")
    with pytest.raises(ValueError, match="Unrecognized `Embedding` layer names"):
        TensorBoard(str(tmp_path), write_graph=False, embeddings_freq=1,
                    embeddings_metadata={"nope": "x.tsv"}).set_model(FakeModel())


def test_steps_per_second_and_no_histograms_by_default(tmp_path):
    x = np.random.default_rng(0).random((8, 3)).astype("float32")
    y = np.zeros((8,), "int32")
    model = keras.models.Sequential([keras.Input((3,)), layers.Dense(2, activation="softmax")])
    model.compile("sgd", "sparse_categorical_crossentropy")
    model.fit(x, y, batch_size=4, epochs=2, verbose=0,
              callbacks=[TensorBoard(str(tmp_path), write_graph=False, write_steps_per_second=True)])
    (path,) = glob.glob(os.path.join(str(tmp_path), "train", "*.v2"))
    events = [e for e in _tfevents.read_events(path) if "tag" in e]
    assert [(e["tag"], e["step"]) for e in events] == [
        (tag, epoch) for epoch in (0, 1)
        for tag in ("epoch_loss", "epoch_learning_rate", "epoch_steps_per_second")]
    assert all(float(e["value"]) > 0 for e in events if e["tag"] == "epoch_steps_per_second")
    assert not os.path.exists(os.path.join(str(tmp_path), "validation"))
