"""`plot_model`: draw a model's graph as an image with Pillow (no graphviz).

Each layer is a box laid out as Keras's graphviz tables: a black header
with the layer's name and class, optional rows for the activation, the
input/output shapes, the output dtype and whether it is trainable; arrows
follow the graph. Layers are placed in ranks (longest path from the inputs),
ordered to reduce crossings; edges skipping ranks are routed around the
boxes in between. `model_to_layout` returns the boxes, edges and clusters
(with their pixel rectangles) that `plot_model` draws.

`model_to_dot` exists for API compatibility only: minikeras does not use
pydot or graphviz, so it raises an `ImportError` explaining that.
"""
import os
import sys

import numpy as np

_SPLINES = ("ortho", "line", "polyline", "spline", "curved", "true", "false", "none")


# ----- the graph ---------------------------------------------------------------------
def _kind(layer):
    from minikeras.models.functional import Functional
    from minikeras.models.sequential import Sequential
    if isinstance(layer, Sequential):
        return "sequential"
    if isinstance(layer, Functional):
        return "functional"
    return "layer"


def _model_nodes(model):
    """The graph nodes (layer calls) that belong to `model`, by id."""
    kind = _kind(model)
    if kind == "functional":
        return {id(n) for n in model._nodes}
    if kind == "sequential":
        outs = {id(t) for t in (model._graph_outputs or [])}
        ids = set()
        for layer in model.layers:
            for node in layer._inbound_nodes:
                if any(id(t) in outs for t in node.output_tensors):
                    ids.add(id(node))
        return ids
    return set()


def _node_of(layer, model_nodes):
    for node in layer._inbound_nodes:
        if id(node) in model_nodes:
            return node
    return layer._inbound_nodes[-1] if layer._inbound_nodes else None


def _shape_text(structure):
    """Keras's `format_shape`: tuples as printed, dict braces removed."""
    if structure is None:
        return "?"
    if isinstance(structure, dict):
        text = ", ".join(f"{k}: {v}" for k, v in structure.items())
    else:
        text = f"{structure}"
    return text.replace("{", "").replace("}", "")


def _map_tensors(fn, tree):
    from minikeras.backend.keras_tensor import KerasTensor
    if isinstance(tree, (list, tuple)):
        return type(tree)(_map_tensors(fn, t) for t in tree)
    if isinstance(tree, dict):
        return {k: _map_tensors(fn, v) for k, v in tree.items()}
    if isinstance(tree, KerasTensor):
        return fn(tree)
    return None


def _layer_io(layer, model_nodes):
    """(input shapes, output shapes, output dtypes) as structures, or Nones."""
    from minikeras.layers.input_layer import InputLayer
    node = _node_of(layer, model_nodes)
    if node is None:
        if isinstance(layer, InputLayer):
            shape = tuple(layer.batch_shape)
            return None, shape, getattr(layer, "dtype", None)
        return None, None, None
    args = node.call_args
    inputs = args[0] if len(args) == 1 else (list(args) if args else None)
    shape = lambda t: tuple(t.shape)  # noqa: E731
    in_shapes = _map_tensors(shape, inputs) if inputs is not None else None
    out_shapes = _map_tensors(shape, node.outputs)
    out_dtypes = _map_tensors(lambda t: str(t.dtype), node.outputs)
    return in_shapes, out_shapes, out_dtypes


def _activation_name(layer):
    act = layer.activation
    return getattr(act, "name", None) or getattr(act, "__name__", None) or str(act)


def _label(layer, model_nodes, options):
    """The table of one box: header segments, full-width rows, cells."""
    from minikeras.layers.input_layer import InputLayer
    class_name = type(layer).__name__
    if options["show_layer_names"]:
        header = [(layer.name, True), (f" ({class_name})", False)]
    else:
        header = [(class_name, True)]
    rows = []
    if options["show_layer_activations"] and getattr(layer, "activation", None) is not None:
        rows.append([("Activation: ", False), (_activation_name(layer), True)])
    cells = []
    in_shapes, out_shapes, out_dtypes = _layer_io(layer, model_nodes)
    if options["show_shapes"]:
        if not isinstance(layer, InputLayer):
            cells.append(([("Input shape: ", False), (_shape_text(in_shapes), True)],
                          "white", "black"))
        cells.append(([("Output shape: ", False), (_shape_text(out_shapes), True)],
                      "white", "black"))
    if options["show_dtype"]:
        dtype = out_dtypes if out_dtypes is not None else "?"
        cells.append(([("Output dtype: ", False), (_shape_text(dtype), True)],
                      "white", "black"))
    if options["show_trainable"] and layer.weights:
        if layer.trainable:
            cells.append(([("Trainable", True)], "forestgreen", "white"))
        else:
            cells.append(([("Non-trainable", True)], "firebrick", "white"))
    return header, rows, cells


def _resolve_source(layer, output_index):
    """The drawn layer that produces output `output_index` of `layer`."""
    while _kind(layer) != "layer":
        outputs = layer.outputs or []
        if output_index >= len(outputs):
            break
        layer, _, output_index = outputs[output_index]._keras_history
    return layer


def _resolve_destination(layer, input_index):
    """The drawn layer that receives input `input_index` of `layer`."""
    while True:
        kind = _kind(layer)
        if kind == "functional":
            inputs = layer.inputs
            layer = inputs[min(input_index, len(inputs) - 1)]._keras_history[0]
            input_index = 0
        elif kind == "sequential" and layer.layers:
            layer = layer.layers[0]
        else:
            return layer


def _collect(model, options, cluster, boxes, edges, clusters):
    """Fill `boxes` (layer, cluster path, label), `edges` and `clusters`."""
    kind = _kind(model)
    if kind == "layer":
        boxes.append((model, cluster, _label(model, set(), options)))
        return
    expand = options["expand_nested"]
    model_nodes = _model_nodes(model)
    layers = model.layers
    for layer in layers:
        if expand and _kind(layer) != "layer":
            path = cluster + (id(layer),)
            clusters.append((layer.name, path))
            _collect(layer, options, path, boxes, edges, clusters)
        else:
            boxes.append((layer, cluster, _label(layer, model_nodes, options)))

    def add(src, dst, src_index=0, dst_index=0):
        if expand:
            src = _resolve_source(src, src_index)
            dst = _resolve_destination(dst, dst_index)
        edge = (id(src), id(dst))
        if edge not in edges:
            edges.append(edge)

    if kind == "sequential":
        for a, b in zip(layers[:-1], layers[1:]):
            add(a, b)
        return
    from minikeras.layers.input_layer import InputLayer
    for layer in layers:
        if isinstance(layer, InputLayer):
            continue
        for node in layer._inbound_nodes:
            if id(node) not in model_nodes:
                continue
            for input_index, tensor in enumerate(node.input_tensors):
                history = tensor._keras_history
                if history is None:
                    continue
                add(history[0], layer, history[2], input_index)


# ----- fonts and text ------------------------------------------------------------------
_FONT_CACHE = {}


def _font(size, bold):
    from PIL import ImageFont
    key = (size, bold)
    if key in _FONT_CACHE:
        return _FONT_CACHE[key]
    names = ("DejaVuSans-Bold.ttf", "Arial Bold.ttf", "arialbd.ttf") if bold else \
        ("DejaVuSans.ttf", "Arial.ttf", "arial.ttf")
    font, fake_bold = None, False
    for name in names:
        try:
            font = ImageFont.truetype(name, size)
            break
        except OSError:
            continue
    if font is None:
        try:
            font = ImageFont.load_default(size=size)
        except TypeError:  # Pillow < 10.1: fixed-size bitmap font only
            font = ImageFont.load_default()
        fake_bold = bold
    _FONT_CACHE[key] = (font, fake_bold)
    return font, fake_bold


def _segments_size(segments, size):
    """Pixel width and line height of a run of (text, bold) segments."""
    width, height = 0.0, 0
    for text, bold in segments:
        font, fake = _font(size, bold)
        width += font.getlength(text) + (1 if fake else 0)
        height = max(height, font.getbbox(text or " ")[3])
    regular = _font(size, False)[0]
    if hasattr(regular, "getmetrics"):
        ascent, descent = regular.getmetrics()
        height = max(height, ascent + descent)
    return int(np.ceil(width)), int(height)


def _draw_segments(draw, xy, segments, size, fill):
    x, y = xy
    for text, bold in segments:
        font, fake = _font(size, bold)
        draw.text((x, y), text, font=font, fill=fill,
                  stroke_width=1 if fake else 0, stroke_fill=fill)
        x += font.getlength(text) + (1 if fake else 0)


# ----- layout ---------------------------------------------------------------------------------
class ModelLayout:
    """Where `plot_model` draws everything, in pixels.

    Attributes:
        width, height: image size.
        boxes: one dict per drawn layer: `name`, `class_name`, `texts` (the
            lines of its table), `rect` (x0, y0, x1, y1), `rows` (the
            rectangles of its header/rows/cells, with their colours), `rank`.
        edges: dicts with `source`, `target` (layer names) and `points`
            (the polyline, ending at the arrow tip).
        clusters: dicts with `name` and `rect` for nested models drawn
            expanded.
        dpi: resolution the sizes were computed for.
    """

    def __init__(self, width, height, boxes, edges, clusters, dpi, splines):
        self.width, self.height = width, height
        self.boxes, self.edges, self.clusters = boxes, edges, clusters
        self.dpi = dpi
        self.splines = splines

    def __repr__(self):
        return (f"<ModelLayout {self.width}x{self.height} boxes={len(self.boxes)} "
                f"edges={len(self.edges)} clusters={len(self.clusters)}>")


def _measure_box(label, scale):
    """Size and inner geometry of one box's table."""
    header, rows, cells = label
    pad = max(2, int(round(10 * scale)))       # graphviz cellpadding=10 (points)
    gap = max(1, int(round(2 * scale)))        # cellspacing
    big, small = max(6, int(round(16 * scale))), max(6, int(round(14 * scale)))
    hw, hh = _segments_size(header, big)
    row_sizes = [_segments_size(r, small) for r in rows]
    cell_sizes = [_segments_size(c[0], small) for c in cells]
    cells_width = sum(w + 2 * pad for w, _ in cell_sizes) + gap * max(0, len(cells) - 1)
    inner = max([hw + 2 * pad, cells_width] + [w + 2 * pad for w, _ in row_sizes])
    heights = [hh + 2 * pad] + [h + 2 * pad for _, h in row_sizes]
    if cells:
        heights.append(max(h for _, h in cell_sizes) + 2 * pad)
    width = inner + 2 * gap
    height = sum(heights) + gap * (len(heights) + 1)
    return dict(width=width, height=height, pad=pad, gap=gap, big=big, small=small,
                heights=heights, cell_sizes=cell_sizes, inner=inner)


def _ranks(n, edges):
    preds = [[] for _ in range(n)]
    succs = [[] for _ in range(n)]
    for a, b in edges:
        preds[b].append(a)
        succs[a].append(b)
    rank = [0] * n
    indeg = [len(p) for p in preds]
    queue = [i for i in range(n) if indeg[i] == 0]
    seen = 0
    while queue:
        i = queue.pop(0)
        seen += 1
        for j in succs[i]:
            rank[j] = max(rank[j], rank[i] + 1)
            indeg[j] -= 1
            if indeg[j] == 0:
                queue.append(j)
    if seen != n:
        raise ValueError("The model graph has a cycle; it cannot be plotted.")
    return rank


def _order_ranks(levels, preds, succs, clusters_of, sweeps=6):
    """Barycentre ordering of each rank (fewer crossings), clusters kept together."""
    pos = {}
    for level in levels:
        for i, v in enumerate(level):
            pos[v] = i

    def sort_level(level, neighbours):
        keyed = []
        for i, v in enumerate(level):
            ns = neighbours[v]
            key = np.mean([pos[u] for u in ns]) if ns else pos[v]
            keyed.append((key, i, v))
        keyed.sort()
        ordered = [v for _, _, v in keyed]
        # Keep members of one nested model next to each other.
        groups, order = {}, []
        for v in ordered:
            g = clusters_of[v][:1]
            if g not in groups:
                groups[g] = []
                order.append(g)
            groups[g].append(v)
        ordered = [v for g in order for v in groups[g]]
        for i, v in enumerate(ordered):
            pos[v] = i
        return ordered

    for s in range(sweeps):
        if s % 2 == 0:
            for r in range(1, len(levels)):
                levels[r] = sort_level(levels[r], preds)
        else:
            for r in range(len(levels) - 2, -1, -1):
                levels[r] = sort_level(levels[r], succs)
    return levels


def _place_cross(levels, cross_size, preds, succs, gap, sweeps=8):
    """Cross-axis centres: each node near its neighbours' mean, order kept."""
    center = {}
    for level in levels:
        x = 0.0
        for v in level:
            center[v] = x + cross_size[v] / 2
            x += cross_size[v] + gap
        total = x - gap
        for v in level:
            center[v] -= total / 2

    def settle(level, neighbours):
        desired = []
        for v in level:
            ns = neighbours[v]
            desired.append(np.mean([center[u] for u in ns]) if ns else center[v])
        # Left to right, no overlap; then shift to keep the mean deviation zero.
        placed = []
        right = -np.inf
        for v, want in zip(level, desired):
            c = max(want, right + gap + cross_size[v] / 2)
            placed.append(c)
            right = c + cross_size[v] / 2
        # A uniform shift keeps the order and gaps; centre on the wishes.
        shift = float(np.mean(np.array(desired) - np.array(placed)))
        placed = [c + shift for c in placed]
        for v, c in zip(level, placed):
            center[v] = c

    for s in range(sweeps):
        if s % 2 == 0:
            for r in range(1, len(levels)):
                settle(levels[r], preds)
        else:
            for r in range(len(levels) - 2, -1, -1):
                settle(levels[r], succs)
    return center


def model_to_layout(model, show_shapes=False, show_dtype=False, show_layer_names=False,
                    rankdir="TB", expand_nested=False, dpi=200, show_layer_activations=False,
                    show_trainable=False, splines="ortho"):
    """Lay out the boxes and arrows `plot_model` draws (see `ModelLayout`).

    Arguments are those of `plot_model`.
    """
    if not getattr(model, "built", False):
        raise ValueError(
            "This model has not yet been built. Build the model first by calling "
            "`build()` or by calling the model on a batch of data.")
    rankdir = str(rankdir).upper()
    if rankdir not in ("TB", "LR", "BT", "RL"):
        raise ValueError(f'`rankdir` must be one of "TB", "LR", "BT", "RL". '
                         f"Received: rankdir={rankdir}")
    if splines not in _SPLINES:
        raise ValueError(f"`splines` must be one of {_SPLINES}. Received: splines={splines}")
    options = dict(show_shapes=show_shapes, show_dtype=show_dtype,
                   show_layer_names=show_layer_names, expand_nested=expand_nested,
                   show_layer_activations=show_layer_activations,
                   show_trainable=show_trainable)
    raw_boxes, raw_edges, raw_clusters = [], [], []
    _collect(model, options, (), raw_boxes, raw_edges, raw_clusters)
    index = {}
    for i, (layer, _, _) in enumerate(raw_boxes):
        index.setdefault(id(layer), i)
    edges = [(index[a], index[b]) for a, b in raw_edges
             if a in index and b in index and index[a] != index[b]]
    scale = float(dpi) / 72.0
    n = len(raw_boxes)
    measures = [_measure_box(label, scale) for _, _, label in raw_boxes]
    horizontal = rankdir in ("LR", "RL")
    rank = _ranks(n, edges)

    # Dummy nodes route edges that skip ranks around the boxes in between.
    cross_size, main_size, clusters_of = {}, {}, {}
    for i, m in enumerate(measures):
        cross_size[i] = m["height"] if horizontal else m["width"]
        main_size[i] = m["width"] if horizontal else m["height"]
        clusters_of[i] = raw_boxes[i][1]
    lane = max(4, int(round(12 * scale)))
    chains, node_rank = [], dict(enumerate(rank))
    next_id = n
    for a, b in edges:
        chain = [a]
        for r in range(rank[a] + 1, rank[b]):
            cross_size[next_id], main_size[next_id] = lane, 0
            clusters_of[next_id] = ()
            node_rank[next_id] = r
            chain.append(next_id)
            next_id += 1
        chain.append(b)
        chains.append(chain)
    preds = {v: [] for v in node_rank}
    succs = {v: [] for v in node_rank}
    for chain in chains:
        for u, v in zip(chain[:-1], chain[1:]):
            preds[v].append(u)
            succs[u].append(v)
    num_ranks = max(node_rank.values()) + 1 if node_rank else 0
    levels = [[] for _ in range(num_ranks)]
    for v in sorted(node_rank, key=lambda v: (v >= n, v)):
        levels[node_rank[v]].append(v)
    levels = _order_ranks(levels, preds, succs, clusters_of)
    node_gap = max(8, int(round(24 * scale)))
    rank_gap = max(14, int(round(36 * scale)))
    margin = max(8, int(round(16 * scale)))
    cluster_pad = max(6, int(round(12 * scale)))
    label_font = max(6, int(round(14 * scale)))
    depth = max((len(c) for c in clusters_of.values()), default=0)
    if depth:
        # Room between ranks for the frames and titles of nested models.
        rank_gap += depth * (3 * cluster_pad + label_font)
    center = _place_cross(levels, cross_size, preds, succs, node_gap)

    # Main axis: ranks one after the other.
    rank_extent = [max([main_size[v] for v in level] + [0]) for level in levels]
    rank_start, offset = [], 0.0
    for extent in rank_extent:
        rank_start.append(offset)
        offset += extent + rank_gap
    main_total = offset - rank_gap
    outer = margin + depth * (cluster_pad + label_font + cluster_pad)
    cross_min = min((center[v] - cross_size[v] / 2 for v in center), default=0.0)
    cross_max = max((center[v] + cross_size[v] / 2 for v in center), default=0.0)

    def to_xy(cross, main):
        """Layout coordinates (cross, main) to image pixels."""
        c = cross - cross_min + outer
        m = main + outer
        if rankdir == "BT":
            m = main_total - main + outer
        if rankdir == "RL":
            m = main_total - main + outer
        return (m, c) if horizontal else (c, m)

    width_c = cross_max - cross_min + 2 * outer
    height_m = main_total + 2 * outer
    img_w, img_h = (height_m, width_c) if horizontal else (width_c, height_m)

    boxes = []
    rects = {}
    for i, (layer, cluster, label) in enumerate(raw_boxes):
        m = measures[i]
        r = node_rank[i]
        main0 = rank_start[r] + (rank_extent[r] - main_size[i]) / 2
        cross0 = center[i] - cross_size[i] / 2
        a = to_xy(cross0, main0)
        b = to_xy(cross0 + cross_size[i], main0 + main_size[i])
        x0, y0 = int(round(min(a[0], b[0]))), int(round(min(a[1], b[1])))
        rect = (x0, y0, x0 + m["width"], y0 + m["height"])
        rects[i] = rect
        header, rows, cells = label
        texts = ["".join(t for t, _ in header)] + ["".join(t for t, _ in row) for row in rows] \
            + ["".join(t for t, _ in c[0]) for c in cells]
        boxes.append(dict(name=layer.name, class_name=type(layer).__name__, texts=texts,
                          rect=rect, rows=_table_rects(rect, label, m), rank=r,
                          cluster=[c for c in cluster]))

    # Edges: polylines through their dummy nodes, computed in (cross, main)
    # coordinates. Ports spread the arrows along a box's side; in each gap
    # between ranks every edge gets its own level for its cross-axis run.
    box_main = {}
    for i in range(n):
        r = node_rank[i]
        main0 = rank_start[r] + (rank_extent[r] - main_size[i]) / 2
        box_main[i] = (main0, main0 + main_size[i])
    ports_out = {i: [] for i in range(n)}
    ports_in = {i: [] for i in range(n)}
    for k, chain in enumerate(chains):
        ports_out[chain[0]].append(k)
        ports_in[chain[-1]].append(k)

    def port(i, k, outgoing):
        ports = ports_out if outgoing else ports_in
        other = 1 if outgoing else -2
        order = sorted(ports[i], key=lambda e: center[chains[e][other]])
        frac = (order.index(k) + 1) / (len(order) + 1)
        cross = center[i] - cross_size[i] / 2 + cross_size[i] * frac
        return cross, box_main[i][1] if outgoing else box_main[i][0]

    segments_in_gap = {}
    for k, chain in enumerate(chains):
        for s_index, (u, v) in enumerate(zip(chain[:-1], chain[1:])):
            segments_in_gap.setdefault(node_rank[u], []).append((k, s_index, u, v))
    level_of = {}
    for r, segs in segments_in_gap.items():
        segs.sort(key=lambda t: (center[t[2]], center[t[3]]))
        gap_start = rank_start[r] + rank_extent[r]
        gap_size = rank_start[r + 1] - gap_start
        for j, (k, s_index, _, _) in enumerate(segs):
            level_of[(k, s_index)] = gap_start + gap_size * (j + 1) / (len(segs) + 1)

    ortho = splines == "ortho"
    out_edges = []
    for k, chain in enumerate(chains):
        pts = [port(chain[0], k, True)]
        for s_index, v in enumerate(chain[1:]):
            if v == chain[-1]:
                target = port(v, k, False)
            else:
                target = (center[v], rank_start[node_rank[v]])
            if ortho:
                level = level_of[(k, s_index)]
                pts += [(pts[-1][0], level), (target[0], level)]
            pts.append(target)
            if v != chain[-1]:
                # Pass through the dummy's rank alongside the boxes.
                pts.append((center[v], rank_start[node_rank[v]] + rank_extent[node_rank[v]]))
        points = _dedupe([to_xy(c, m) for c, m in pts])
        out_edges.append(dict(source=raw_boxes[chain[0]][0].name,
                              target=raw_boxes[chain[-1]][0].name, points=points))

    clusters = []
    for name, path in raw_clusters:
        members = [rects[i] for i in range(n) if clusters_of[i][:len(path)] == path]
        if not members:
            continue
        level = len(path) - 1
        pad = cluster_pad * (depth - level)
        top_extra = (label_font + cluster_pad) * (depth - level)
        x0 = min(r[0] for r in members) - pad
        y0 = min(r[1] for r in members) - pad - top_extra
        x1 = max(r[2] for r in members) + pad
        y1 = max(r[3] for r in members) + pad
        clusters.append(dict(name=name, rect=(int(x0), int(max(0, y0)), int(x1), int(y1)),
                             font=label_font))
    img_w = max([img_w] + [b["rect"][2] + margin for b in boxes]
                + [c["rect"][2] + margin for c in clusters])
    img_h = max([img_h] + [b["rect"][3] + margin for b in boxes]
                + [c["rect"][3] + margin for c in clusters])
    return ModelLayout(int(np.ceil(img_w)), int(np.ceil(img_h)), boxes, out_edges, clusters,
                       dpi, splines)


def _table_rects(rect, label, m):
    """Rectangles of the header, full-width rows and cells of a box."""
    header, rows, cells = label
    x0, y0, _, _ = rect
    gap, pad = m["gap"], m["pad"]
    left, inner = x0 + gap, m["inner"]
    out = []
    y = y0 + gap
    out.append(dict(kind="header", rect=(left, y, left + inner, y + m["heights"][0]),
                    fill="black", text_fill="white", segments=header, size=m["big"]))
    y += m["heights"][0] + gap
    for k, row in enumerate(rows):
        h = m["heights"][1 + k]
        out.append(dict(kind="row", rect=(left, y, left + inner, y + h), fill="white",
                        text_fill="black", segments=row, size=m["small"]))
        y += h + gap
    if cells:
        h = m["heights"][-1]
        natural = [w + 2 * pad for w, _ in m["cell_sizes"]]
        spare = inner - sum(natural) - gap * (len(cells) - 1)
        x = left
        for k, (segments, fill, text_fill) in enumerate(cells):
            w = natural[k] + spare * natural[k] / sum(natural)
            out.append(dict(kind="cell", rect=(int(round(x)), y, int(round(x + w)), y + h),
                            fill=fill, text_fill=text_fill, segments=segments,
                            size=m["small"]))
            x += w + gap
    return out


def _dedupe(points):
    """The polyline without repeated points, as floats."""
    clean = [points[0]]
    for p in points[1:]:
        if abs(p[0] - clean[-1][0]) > 1e-6 or abs(p[1] - clean[-1][1]) > 1e-6:
            clean.append(p)
    return [(float(x), float(y)) for x, y in clean]


# ----- drawing --------------------------------------------------------------------------------
def render_layout(layout):
    """A Pillow RGB image of `layout`."""
    from PIL import Image, ImageDraw
    image = Image.new("RGB", (max(1, layout.width), max(1, layout.height)), "white")
    draw = ImageDraw.Draw(image)
    scale = layout.dpi / 72.0
    line = max(1, int(round(2 * scale)))             # edge penwidth=2
    for cluster in sorted(layout.clusters, key=lambda c: len(c["name"])):
        _dashed_rect(draw, cluster["rect"], max(1, int(round(scale))), int(round(6 * scale)))
        x0, y0 = cluster["rect"][:2]
        font, _ = _font(cluster["font"], False)
        draw.text((x0 + int(6 * scale), y0 + int(3 * scale)), cluster["name"], font=font,
                  fill="black")
    head = max(6, int(round(10 * scale)))
    for edge in layout.edges:
        pts = edge["points"]
        draw.line(pts, fill="black", width=line, joint="curve")
        _arrow_head(draw, pts[-2], pts[-1], head)
    for box in layout.boxes:
        draw.rectangle(box["rect"], fill="black")
        for part in box["rows"]:
            draw.rectangle(part["rect"], fill=part["fill"], outline="black")
            x0, y0, x1, y1 = part["rect"]
            w, h = _segments_size(part["segments"], part["size"])
            tx = x0 + (x1 - x0 - w) / 2
            ty = y0 + (y1 - y0 - h) / 2
            _draw_segments(draw, (tx, ty), part["segments"], part["size"], part["text_fill"])
    return image


def _arrow_head(draw, a, b, size):
    ax, ay = a
    bx, by = b
    length = float(np.hypot(bx - ax, by - ay)) or 1.0
    ux, uy = (bx - ax) / length, (by - ay) / length
    px, py = -uy, ux
    base = (bx - ux * size, by - uy * size)
    draw.polygon([(bx, by), (base[0] + px * size * 0.45, base[1] + py * size * 0.45),
                  (base[0] - px * size * 0.45, base[1] - py * size * 0.45)], fill="black")


def _dashed_rect(draw, rect, width, dash):
    x0, y0, x1, y1 = rect
    dash = max(2, dash)
    for (ax, ay, bx, by) in ((x0, y0, x1, y0), (x1, y0, x1, y1), (x1, y1, x0, y1),
                             (x0, y1, x0, y0)):
        length = float(np.hypot(bx - ax, by - ay))
        steps = int(length // (2 * dash)) + 1
        for s in range(steps):
            t0 = min(1.0, (2 * s * dash) / length) if length else 0
            t1 = min(1.0, (2 * s * dash + dash) / length) if length else 0
            draw.line([(ax + (bx - ax) * t0, ay + (by - ay) * t0),
                       (ax + (bx - ax) * t1, ay + (by - ay) * t1)], fill="black", width=width)


# ----- public API -------------------------------------------------------------------------------
def model_to_dot(model, show_shapes=False, show_dtype=False, show_layer_names=True,
                 rankdir="TB", expand_nested=False, dpi=200, subgraph=False,
                 show_layer_activations=False, show_trainable=False, splines="ortho",
                 **kwargs):
    """Not available: minikeras draws models with Pillow, not pydot/graphviz.

    Raises:
        ImportError: always, saying what to use instead.
    """
    raise ImportError(
        "`model_to_dot` returns a pydot graph, and minikeras does not use pydot or "
        "graphviz. Use `keras.utils.plot_model(model, to_file='model.png', ...)`, which "
        "draws the image with Pillow, or "
        "`minikeras.utils.model_visualization.model_to_layout(model, ...)` for the "
        "positions of the boxes and arrows.")


def plot_model(model, to_file="model.png", show_shapes=False, show_dtype=False,
               show_layer_names=False, rankdir="TB", expand_nested=False, dpi=200,
               show_layer_activations=False, show_trainable=False, splines="ortho",
               **kwargs):
    """Converts a Keras model to an image and saves it to a file.

    Drawn with Pillow (no pydot or graphviz needed), with the boxes and
    labels of Keras's graphviz plots.

    Example:

    ```python
    inputs = ...
    outputs = ...
    model = keras.Model(inputs=inputs, outputs=outputs)

    dot_img_file = 'model_1.png'
    keras.utils.plot_model(model, to_file=dot_img_file, show_shapes=True)
    ```

    Args:
        model: A Keras model instance (built).
        to_file: File name of the plot image (`.png`, `.jpg`, `.bmp`, `.gif`
            or `.pdf`; no extension means PNG).
        show_shapes: whether to display shape information.
        show_dtype: whether to display layer dtypes.
        show_layer_names: whether to display layer names.
        rankdir: `"TB"` creates a vertical plot; `"LR"` creates a
            horizontal plot (`"BT"` and `"RL"` reverse them).
        expand_nested: whether to expand nested Functional and Sequential
            models into clusters.
        dpi: Image resolution in dots per inch (sizes scale with it).
        show_layer_activations: Display layer activations (only for layers
            that have an `activation` property).
        show_trainable: whether to display if a layer is trainable.
        splines: `"ortho"` (right-angle lines, the default) or any of
            `"curved"`, `"polyline"`, `"spline"`, `"line"` (straight
            segments).

    Returns:
        A Jupyter notebook Image object if IPython is installed (and the file
        is not a PDF), so that the plot shows in-line; `None` otherwise.
    """
    if not getattr(model, "built", False):
        raise ValueError(
            "This model has not yet been built. Build the model first by calling "
            "`build()` or by calling the model on a batch of data.")
    if kwargs.pop("layer_range", None) is not None:
        raise ValueError("Argument `layer_range` is no longer supported.")
    if kwargs:
        raise ValueError(f"Unrecognized keyword arguments: {kwargs}")
    layout = model_to_layout(model, show_shapes=show_shapes, show_dtype=show_dtype,
                             show_layer_names=show_layer_names, rankdir=rankdir,
                             expand_nested=expand_nested, dpi=dpi,
                             show_layer_activations=show_layer_activations,
                             show_trainable=show_trainable, splines=splines)
    image = render_layout(layout)
    to_file = os.fspath(to_file)
    extension = os.path.splitext(to_file)[1][1:].lower() or "png"
    formats = {"png": "PNG", "jpg": "JPEG", "jpeg": "JPEG", "bmp": "BMP", "gif": "GIF",
               "pdf": "PDF", "tif": "TIFF", "tiff": "TIFF"}
    if extension not in formats:
        raise ValueError(
            f"Cannot write a `{extension}` file: plot_model draws with Pillow and writes "
            f"{sorted(formats)}. Received: to_file={to_file}")
    _save_atomically(image, to_file, formats[extension], dpi)
    if extension != "pdf" and "IPython" in sys.modules:
        try:
            from IPython import display
            return display.Image(filename=to_file)
        except ImportError:
            pass
    return None


def _save_atomically(image, path, fmt, dpi):
    directory = os.path.dirname(os.path.abspath(path))
    tmp = os.path.join(directory, f".{os.path.basename(path)}.tmp{os.getpid()}")
    try:
        if fmt == "PDF":
            image.save(tmp, format=fmt, resolution=float(dpi))
        else:
            image.save(tmp, format=fmt, dpi=(dpi, dpi))
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
