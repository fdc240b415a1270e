"""`plot_model` draws PNGs with Pillow: every layer boxed with its name, class and
shapes, arrows along the graph; `model_to_dot` explains it is not available."""
import numpy as np
import pytest
from PIL import Image

import minikeras as keras
from minikeras import ops
from minikeras.utils.model_visualization import model_to_dot, model_to_layout, plot_model

L = keras.layers
DPI = 72    # small images keep the tests fast; sizes scale with dpi


class Concat(L.Layer):
    def call(self, inputs):
        return ops.concatenate(inputs, axis=-1)

    def compute_output_shape(self, input_shape):
        return input_shape[0][:-1] + (sum(s[-1] for s in input_shape),)


def sequential():
    return keras.Sequential([keras.Input((28, 28, 1)), L.Flatten(name="flatten"),
                             L.Dense(32, activation="relu", name="hidden"),
                             L.Dropout(0.2, name="dropout"),
                             L.Dense(10, activation="softmax", name="predictions")])


def multi_branch():
    a = keras.Input((16,), name="title")
    b = keras.Input((8,), name="body")
    ha = L.Dense(8, activation="relu", name="title_dense")(a)
    hb = L.Dense(8, activation="relu", name="body_dense")(b)
    h = Concat(name="merge")([ha, hb])
    skip = Concat(name="skip_concat")([h, a])
    o1 = L.Dense(1, activation="sigmoid", name="priority")(skip)
    o2 = L.Dense(4, activation="softmax", name="department")(h)
    return keras.Model({"title": a, "body": b}, {"priority": o1, "department": o2})


def nested():
    inner_in = keras.Input((8,), name="inner_in")
    hidden = L.Dense(8, activation="relu", name="inner_hidden")(inner_in)
    encoder = keras.Model(inner_in, L.Dense(4, name="inner_dense")(hidden), name="encoder")
    head = keras.Sequential([keras.Input((4,)), L.Dense(3, name="head_a"),
                             L.Dense(2, name="head_b")], name="head")
    x = keras.Input((8,), name="outer_in")
    return keras.Model(x, head(encoder(x)), name="nested")


def _decoded(path):
    with Image.open(path) as img:
        img.verify()
    img = Image.open(path)
    img.load()
    return img


def _check_boxes_drawn(image, layout):
    """Each box is a black table whose header holds white text and whose
    cells hold black text on white."""
    pixels = np.asarray(image.convert("RGB"))
    assert image.size == (layout.width, layout.height)
    for box in layout.boxes:
        x0, y0, x1, y1 = box["rect"]
        assert 0 <= x0 < x1 <= layout.width and 0 <= y0 < y1 <= layout.height
        for part in box["rows"]:
            px0, py0, px1, py1 = part["rect"]
            region = pixels[py0 + 2:py1 - 1, px0 + 2:px1 - 1]
            dark = (region.sum(axis=-1) < 150).mean()
            light = (region.sum(axis=-1) > 600).mean()
            if part["fill"] == "black":
                # White text on black: mostly dark, some light (the letters).
                assert dark > 0.5 and light > 0.002, (box["name"], part["kind"])
            elif part["fill"] == "white":
                assert light > 0.5 and dark > 0.002, (box["name"], part["kind"])


def _no_overlap(layout):
    rects = [b["rect"] for b in layout.boxes]
    for i, a in enumerate(rects):
        for b in rects[i + 1:]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)


def test_sequential_png(tmp_path):
    model = sequential()
    path = tmp_path / "seq.png"
    plot_model(model, to_file=str(path), show_shapes=True, show_layer_names=True, dpi=DPI)
    image = _decoded(path)
    assert image.format == "PNG"
    layout = model_to_layout(model, show_shapes=True, show_layer_names=True, dpi=DPI)
    assert 150 < image.size[0] < 3000 and 200 < image.size[1] < 3000
    # Keras draws no box for a Sequential model's input layer.
    assert [b["name"] for b in layout.boxes] == ["flatten", "hidden", "dropout", "predictions"]
    texts = {b["name"]: b["texts"] for b in layout.boxes}
    assert texts["flatten"] == ["flatten (Flatten)", "Input shape: (None, 28, 28, 1)",
                                "Output shape: (None, 784)"]
    assert texts["predictions"][2] == "Output shape: (None, 10)"
    assert [(e["source"], e["target"]) for e in layout.edges] == [
        ("flatten", "hidden"), ("hidden", "dropout"), ("dropout", "predictions")]
    # Top to bottom, in order.
    tops = [b["rect"][1] for b in layout.boxes]
    assert tops == sorted(tops)
    _no_overlap(layout)
    _check_boxes_drawn(image, layout)


def test_multi_branch_functional_png(tmp_path):
    model = multi_branch()
    kwargs = dict(show_shapes=True, show_layer_names=True, show_dtype=True,
                  show_trainable=True, show_layer_activations=True, dpi=DPI)
    path = tmp_path / "multi.png"
    plot_model(model, to_file=str(path), **kwargs)
    image = _decoded(path)
    layout = model_to_layout(model, **kwargs)
    names = {b["name"] for b in layout.boxes}
    assert names == {"title", "body", "title_dense", "body_dense", "merge", "skip_concat",
                     "priority", "department"}
    edges = {(e["source"], e["target"]) for e in layout.edges}
    assert edges == {("title", "title_dense"), ("body", "body_dense"),
                     ("title_dense", "merge"), ("body_dense", "merge"),
                     ("merge", "skip_concat"), ("title", "skip_concat"),
                     ("skip_concat", "priority"), ("merge", "department")}
    texts = {b["name"]: b["texts"] for b in layout.boxes}
    assert texts["merge"] == ["merge (Concat)", "Input shape: [(None, 8), (None, 8)]",
                              "Output shape: (None, 16)", "Output dtype: float32"]
    assert texts["title"] == ["title (InputLayer)", "Output shape: (None, 16)",
                              "Output dtype: float32"]
    assert texts["priority"] == ["priority (Dense)", "Activation: sigmoid",
                                 "Input shape: (None, 32)", "Output shape: (None, 1)",
                                 "Output dtype: float32", "Trainable"]
    ranks = {b["name"]: b["rank"] for b in layout.boxes}
    assert ranks["title"] == ranks["body"] == 0 and ranks["skip_concat"] == 3
    # Arrows end on their target's box edge.
    rects = {b["name"]: b["rect"] for b in layout.boxes}
    for edge in layout.edges:
        x, y = edge["points"][-1]
        x0, y0, x1, y1 = rects[edge["target"]]
        assert x0 <= x <= x1 and abs(y - y0) < 1.0
        sx, sy = edge["points"][0]
        assert abs(sy - rects[edge["source"]][3]) < 1.0
    _no_overlap(layout)
    _check_boxes_drawn(image, layout)


def test_nested_model_collapsed_and_expanded(tmp_path):
    model = nested()
    plot_model(model, to_file=str(tmp_path / "n.png"), show_shapes=True,
               show_layer_names=True, dpi=DPI)
    collapsed = model_to_layout(model, show_shapes=True, show_layer_names=True, dpi=DPI)
    assert [b["texts"][0] for b in collapsed.boxes] == [
        "outer_in (InputLayer)", "encoder (Functional)", "head (Sequential)"]
    assert collapsed.boxes[1]["texts"][1:] == ["Input shape: (None, 8)",
                                               "Output shape: (None, 4)"]
    _check_boxes_drawn(_decoded(tmp_path / "n.png"), collapsed)

    path = tmp_path / "expanded.png"
    plot_model(model, to_file=str(path), show_shapes=True, show_layer_names=True,
               expand_nested=True, dpi=DPI)
    layout = model_to_layout(model, show_shapes=True, show_layer_names=True,
                             expand_nested=True, dpi=DPI)
    assert [b["name"] for b in layout.boxes] == ["outer_in", "inner_in", "inner_hidden",
                                                "inner_dense", "head_a", "head_b"]
    assert {(e["source"], e["target"]) for e in layout.edges} == {
        ("outer_in", "inner_in"), ("inner_in", "inner_hidden"),
        ("inner_hidden", "inner_dense"), ("inner_dense", "head_a"), ("head_a", "head_b")}
    clusters = {c["name"]: c["rect"] for c in layout.clusters}
    assert set(clusters) == {"encoder", "head"}
    for box in layout.boxes:
        inside = [name for name, (x0, y0, x1, y1) in clusters.items()
                  if x0 <= box["rect"][0] and box["rect"][2] <= x1
                  and y0 <= box["rect"][1] and box["rect"][3] <= y1]
        expected = {"outer_in": [], "head_a": ["head"], "head_b": ["head"]}.get(
            box["name"], ["encoder"])
        assert inside == expected, box["name"]
    e, h = clusters["encoder"], clusters["head"]
    assert e[3] <= h[1]     # the two frames do not overlap
    _no_overlap(layout)
    _check_boxes_drawn(_decoded(path), layout)


def test_defaults_show_class_names_only():
    layout = model_to_layout(sequential(), dpi=DPI)
    assert [b["texts"] for b in layout.boxes] == [["Flatten"], ["Dense"], ["Dropout"],
                                                 ["Dense"]]


def test_non_trainable_layers_and_layers_without_weights():
    model = sequential()
    model.get_layer("hidden").trainable = False
    layout = model_to_layout(model, show_trainable=True, show_layer_names=True, dpi=DPI)
    texts = {b["name"]: b["texts"] for b in layout.boxes}
    assert texts["hidden"][-1] == "Non-trainable"
    assert texts["predictions"][-1] == "Trainable"
    assert texts["dropout"] == ["dropout (Dropout)"]      # no weights: no cell


def test_left_to_right_and_dpi():
    model = sequential()
    lr = model_to_layout(model, rankdir="LR", dpi=DPI)
    lefts = [b["rect"][0] for b in lr.boxes]
    assert lefts == sorted(lefts) and lr.width > lr.height
    small = model_to_layout(model, show_shapes=True, dpi=72)
    large = model_to_layout(model, show_shapes=True, dpi=144)
    assert 1.6 < large.width / small.width < 2.4


def test_subclassed_model_is_one_box(tmp_path):
    class Net(keras.Model):
        def __init__(self):
            super().__init__(name="net")
            self.dense = L.Dense(2)

        def call(self, x):
            return self.dense(x)

    model = Net()
    model(np.zeros((1, 3), "float32"))
    layout = model_to_layout(model, show_layer_names=True, dpi=DPI)
    assert [b["texts"][0] for b in layout.boxes] == ["net (Net)"] and layout.edges == []
    plot_model(model, to_file=str(tmp_path / "net.png"), dpi=DPI)
    assert _decoded(tmp_path / "net.png").size[0] > 20


def test_other_formats_and_bad_arguments(tmp_path):
    model = sequential()
    plot_model(model, to_file=str(tmp_path / "m.jpg"), dpi=DPI)
    assert _decoded(tmp_path / "m.jpg").format == "JPEG"
    plot_model(model, to_file=str(tmp_path / "m.pdf"), dpi=DPI)
    assert (tmp_path / "m.pdf").read_bytes().startswith(b"%PDF")
    with pytest.raises(ValueError, match="svg"):
        plot_model(model, to_file=str(tmp_path / "m.svg"))
    with pytest.raises(ValueError, match="layer_range"):
        plot_model(model, to_file=str(tmp_path / "m.png"), layer_range=["a", "b"])
    with pytest.raises(ValueError, match="Unrecognized keyword"):
        plot_model(model, to_file=str(tmp_path / "m.png"), colour="red")
    with pytest.raises(ValueError, match="rankdir"):
        plot_model(model, to_file=str(tmp_path / "m.png"), rankdir="up")
    unbuilt = keras.Sequential([L.Dense(2)])
    with pytest.raises(ValueError, match="not yet been built"):
        plot_model(unbuilt, to_file=str(tmp_path / "u.png"))
    assert not (tmp_path / "u.png").exists()


def test_model_to_dot_explains_pydot_is_not_used():
    with pytest.raises(ImportError) as info:
        model_to_dot(sequential())
    message = str(info.value)
    assert "pydot" in message and "graphviz" in message and "plot_model" in message
