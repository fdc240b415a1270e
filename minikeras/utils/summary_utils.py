"""`model.summary()`: the Keras 3 table of layers, output shapes and parameters."""
import shutil

import numpy as np


def readable_memory_size(size):
    """`3.32 KB`-style size, as Keras prints it."""
    for unit in ["B", "KB", "MB", "GB", "TB"]:
        if size / 1024 < 1:
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} PB"


def _memory(weights):
    unique = {id(w): w for w in weights}.values()
    return sum(int(np.prod(w.shape)) * np.dtype(w.dtype).itemsize for w in unique)


def _count(weights):
    unique = {id(w): w for w in weights}.values()
    return int(sum(int(np.prod(w.shape)) for w in unique))


def _fmt_shape(shape):
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + ")"


def format_layer_shape(layer):
    if layer._inbound_nodes:
        outs = layer._inbound_nodes[-1].output_tensors
        shapes = [_fmt_shape(t.shape) for t in outs]
        return shapes[0] if len(shapes) == 1 else "[" + ", ".join(shapes) + "]"
    # A model never called on a symbolic input (an encoder held by a subclassed
    # model) still knows its output shapes: Keras prints them, as a tuple of
    # shapes for several outputs.
    shape = getattr(layer, "output_shape", None)
    if shape is not None:
        if isinstance(shape, list):
            return "(" + ", ".join(_fmt_shape(s) for s in shape) + ")"
        return _fmt_shape(shape)
    if layer._build_shapes is not None:
        try:
            out = layer.compute_output_shape(layer._build_shapes)
            if isinstance(out, tuple) and all(d is None or isinstance(d, int) for d in out):
                return _fmt_shape(out)
        except (NotImplementedError, Exception):
            return "?"
    return "?"


def _is_sequential_like(model):
    from minikeras.models.functional import Functional
    if not isinstance(model, Functional):
        return True
    for node in model._nodes:
        if len(node.input_tensors) > 1:
            return False
    users = {}
    for node in model._nodes:
        for t in node.input_tensors:
            users[id(t)] = users.get(id(t), 0) + 1
    if any(n > 1 for n in users.values()):
        return False
    return len(model.inputs) == 1 and len(model.outputs) == 1


def _connections(layer, model):
    nodes = set(id(n) for n in model._nodes)
    parts = []
    for node in layer._inbound_nodes:
        if id(node) not in nodes:
            continue
        for t in node.input_tensors:
            lyr, ni, ti = t._keras_history
            parts.append(f"{lyr.name}[{ni}][{ti}]")
    return ", ".join(parts) if parts else "-"


def _wrap(text, width):
    """Wrap on spaces as rich does; a word longer than the column is cut with '…'.

    Leading spaces (the indent of `expand_nested` rows) stay with the first word,
    as in rich, so nested names are indented and wrap where Keras wraps them.
    """
    lines, current = [], ""
    body = text.lstrip(" ")
    words = body.split(" ")
    words[0] = text[:len(text) - len(body)] + words[0]
    for word in words:
        if len(word) > width:
            word = word[:width - 1] + "…"
        candidate = word if not current else current + " " + word
        if len(candidate) <= width:
            current = candidate
        else:
            lines.append(current)
            current = word
    lines.append(current)
    return lines


def print_summary(model, line_length=None, positions=None, print_fn=None,
                  expand_nested=False, show_trainable=False, layer_range=None):
    sequential_like = _is_sequential_like(model)
    if sequential_like:
        default_len, positions = 88, positions or [0.45, 0.80, 1.0]
        header = ["Layer (type)", "Output Shape", "Param #"]
        align = ["left", "left", "right"]
    else:
        default_len, positions = 108, positions or [0.3, 0.56, 0.74, 1.0]
        header = ["Layer (type)", "Output Shape", "Param #", "Connected to"]
        align = ["left", "left", "right", "left"]
    if show_trainable:
        default_len += 12
        positions = [p * 0.90 for p in positions] + [1.0]
        header.append("Trainable")
        align.append("center")
    # shutil's own fallback (80 columns off a terminal, e.g. in notebooks), as Keras.
    default_len = min(default_len, max(40, shutil.get_terminal_size().columns - 4))
    line_length = line_length or default_len
    if positions[-1] <= 1:
        positions = [int(line_length * p) for p in positions]
    widths, current = [], 0
    for p in positions:
        widths.append(p - current)
        current = p
    # Keras draws with rich: the borders come out of the line length and the
    # excess is taken from the columns evenly (rich's ratio_reduce).
    excess = sum(widths) - (line_length - (len(widths) + 1))
    if excess > 0:
        remaining, parts = excess, len(widths)
        for i in range(len(widths)):
            cut = min(widths[i], round(remaining / parts))
            widths[i] -= cut
            remaining -= cut
            parts -= 1
    inner = [w - 2 for w in widths]  # one space of padding on each side

    layers = model.layers
    if layer_range is not None:
        if len(layer_range) != 2:
            raise ValueError(
                "layer_range must be a list or tuple of length 2. Received: "
                f"layer_range = {layer_range} of length {len(layer_range)}")
        names = [l.name for l in layers]
        import re
        start = next((i for i, n in enumerate(names) if re.match(layer_range[0], n)), None)
        end = max((i for i, n in enumerate(names) if re.match(layer_range[1], n)), default=None)
        if start is None or end is None:
            raise ValueError("Passed layer_names do not match the layer names in the model. "
                             f"Received: {layer_range}")
        layers = layers[start:end + 1]

    rows = []

    def add(layer, level=0):
        prefix = ("   " * level + "└ ") if level else ""
        params = f"{layer.count_params():,}" if layer.built else "0 (unbuilt)"
        row = [f"{prefix}{layer.name} ({type(layer).__name__})", format_layer_shape(layer), params]
        if not sequential_like:
            row.append(_connections(layer, model))
        if show_trainable:
            row.append(("Y" if layer.trainable else "N") if layer.weights else "-")
        rows.append(row)
        if expand_nested and hasattr(layer, "layers") and getattr(layer, "layers", None):
            for sub in layer.layers:
                add(sub, level + 1)

    for layer in layers:
        add(layer)

    def cell(text, width, how):
        if how == "right":
            return text.rjust(width)
        if how == "center":
            return text.center(width)
        return text.ljust(width)

    def line(cells, sep):
        wrapped = [_wrap(c, w) for c, w in zip(cells, inner)]
        height = max(len(w) for w in wrapped)
        out = []
        for i in range(height):
            parts = [cell(w[i] if i < len(w) else "", iw, a) for w, iw, a in zip(wrapped, inner, align)]
            out.append(sep + sep.join(f" {p} " for p in parts) + sep)
        return out

    def rule(left, mid, right, fill):
        return left + mid.join(fill * (iw + 2) for iw in inner) + right

    out = [f'Model: "{model.name}"', rule("┏", "┳", "┓", "━")]
    out += line(header, "┃")
    out.append(rule("┡", "╇", "┩", "━"))
    for i, r in enumerate(rows):
        if i:
            out.append(rule("├", "┼", "┤", "─"))
        out += line(r, "│")
    out.append(rule("└", "┴", "┘", "─"))

    trainable = model.trainable_weights
    non_trainable = model.non_trainable_weights
    t_count, n_count = _count(trainable), _count(non_trainable)
    t_mem, n_mem = _memory(trainable), _memory(non_trainable)
    opt = getattr(model, "optimizer", None)
    opt_vars = list(getattr(opt, "variables", [])) if getattr(opt, "built", False) else []
    o_count, o_mem = _count(opt_vars), _memory(opt_vars)
    total = t_count + n_count + o_count
    out.append(f" Total params: {total:,} ({readable_memory_size(t_mem + n_mem + o_mem)})")
    out.append(f" Trainable params: {t_count:,} ({readable_memory_size(t_mem)})")
    out.append(f" Non-trainable params: {n_count:,} ({readable_memory_size(n_mem)})")
    if opt_vars:
        out.append(f" Optimizer params: {o_count:,} ({readable_memory_size(o_mem)})")
    text = "\n".join(out)
    if print_fn is None:
        print(text)
    else:
        # A custom print_fn gets the whole table in one call ending in a newline, as
        # Keras 3 hands over its captured console text.
        print_fn(text + "\n")
