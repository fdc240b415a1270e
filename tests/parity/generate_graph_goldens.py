"""Write goldens for tests/scenarios/test_graph_recsys_rl_examples.py with real Keras 3.

Run in a separate virtualenv with `tensorflow-cpu` (Keras 3, TensorFlow backend):

    python tests/parity/generate_graph_goldens.py

It writes `goldens/graph_examples.npz`: the output of the GNN example's graph
convolution (sum, mean and max aggregation) and of the GAT example's attention
layer (with gradients of a squared sum w.r.t. its kernels) for fixed inputs and
weights, and what keras.ops segment/gather/scatter/ranking functions return on
small inputs.

minikeras is not imported here; the layers are the scenario's, rebuilt in Keras.
"""
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402
from keras import layers, ops  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "goldens")
rng = np.random.default_rng(11)
arrays = {}


def npy(t):
    return np.asarray(ops.convert_to_numpy(t))


# ----- graph convolution (feed-forward prepare/update, concat combination) ------------
def create_ffn(hidden_units):
    fnn = []
    for units in hidden_units:
        fnn += [layers.BatchNormalization(), layers.Dropout(0.0),
                layers.Dense(units, activation="gelu")]
    return keras.Sequential(fnn)


class GraphConvLayer(layers.Layer):
    def __init__(self, hidden_units, aggregation_type):
        super().__init__()
        self.aggregation_type = aggregation_type
        self.ffn_prepare = create_ffn(hidden_units)
        self.update_fn = create_ffn(hidden_units)

    def call(self, inputs):
        nodes, edges, weights = inputs
        num_nodes = ops.shape(nodes)[0]
        messages = self.ffn_prepare(ops.take(nodes, edges[1], axis=0))
        messages = messages * ops.expand_dims(weights, -1)
        if self.aggregation_type == "sum":
            agg = ops.segment_sum(messages, edges[0], num_segments=num_nodes)
        elif self.aggregation_type == "mean":
            sums = ops.segment_sum(messages, edges[0], num_segments=num_nodes)
            counts = ops.segment_sum(ops.ones_like(edges[0], dtype="float32"), edges[0],
                                     num_segments=num_nodes)
            agg = sums / ops.expand_dims(ops.maximum(counts, 1.0), -1)
        else:
            agg = ops.segment_max(messages, edges[0], num_segments=num_nodes)
        h = self.update_fn(ops.concatenate([nodes, agg], axis=1))
        return ops.normalize(h, axis=-1, order=2)


num_nodes = 7
# Node 6 has no incoming edge (an empty segment); edges are unsorted.
gc_edges = np.array([[3, 0, 1, 0, 2, 5, 4, 3, 1],
                     [1, 2, 0, 3, 4, 4, 6, 5, 6]], dtype="int32")
gc_feats = rng.normal(size=(num_nodes, 4)).astype("float32")
gc_weights = rng.uniform(0.2, 1.0, gc_edges.shape[1]).astype("float32")
arrays.update(gc_feats=gc_feats, gc_edges=gc_edges, gc_weights=gc_weights)
for agg in ("sum", "mean", "max"):
    layer = GraphConvLayer([5, 4], agg)
    layer((gc_feats, gc_edges, gc_weights))
    ws = []
    for v in layer.weights:
        if "variance" in v.path:
            ws.append(rng.uniform(0.5, 1.5, v.shape).astype("float32"))
        else:
            ws.append(rng.normal(0, 0.5, v.shape).astype("float32"))
    layer.set_weights(ws)
    arrays.update({f"gc_{agg}_w_{i}": w for i, w in enumerate(ws)})
    arrays[f"gc_{agg}_out"] = npy(layer((gc_feats, gc_edges, gc_weights)))


# ----- graph attention ----------------------------------------------------------------
class GraphAttention(layers.Layer):
    def __init__(self, units):
        super().__init__()
        self.units = units

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[0][-1], self.units), name="kernel")
        self.kernel_attention = self.add_weight(shape=(self.units * 2, 1),
                                                name="kernel_attention")

    def call(self, inputs):
        node_states, edges = inputs
        transformed = ops.matmul(node_states, self.kernel)
        expanded = ops.reshape(ops.take(transformed, edges, axis=0), (ops.shape(edges)[0], -1))
        scores = ops.squeeze(ops.leaky_relu(ops.matmul(expanded, self.kernel_attention), 0.2), -1)
        scores = ops.exp(ops.clip(scores, -2, 2))
        n = ops.shape(node_states)[0]
        total = ops.segment_sum(scores, edges[:, 0], num_segments=n)
        total = ops.repeat(total, ops.bincount(ops.cast(edges[:, 0], "int32"), minlength=n))
        norm = scores / total
        neighbours = ops.take(transformed, edges[:, 1], axis=0)
        return ops.segment_sum(neighbours * norm[:, None], edges[:, 0], num_segments=n)


gat_edges = np.array([[0, 0], [0, 1], [0, 3], [1, 1], [1, 2], [2, 0], [2, 2], [3, 3],
                      [3, 1], [3, 2], [4, 4], [4, 0]], dtype="int32")
gat_feats = rng.normal(size=(5, 4)).astype("float32")
gat = GraphAttention(3)
gat([gat_feats, gat_edges])
gat.set_weights([rng.normal(0, 0.7, (4, 3)).astype("float32"),
                 rng.normal(0, 0.7, (6, 1)).astype("float32")])
arrays.update(gat_feats=gat_feats, gat_edges=gat_edges, gat_kernel=gat.get_weights()[0],
              gat_kernel_attention=gat.get_weights()[1])
arrays["gat_out"] = npy(gat([gat_feats, gat_edges]))
with tf.GradientTape() as tape:
    loss = ops.sum(ops.square(gat([gat_feats, gat_edges])))
g = tape.gradient(loss, gat.trainable_weights)
arrays["gat_grad_kernel"], arrays["gat_grad_kernel_attention"] = npy(g[0]), npy(g[1])


# ----- ops ----------------------------------------------------------------------------
x = np.arange(12, dtype="float32").reshape(4, 3)
arrays["seg_x"] = x
for name, ids in (("sorted", np.array([0, 0, 1, 2])), ("unsorted", np.array([2, 0, 2, 1]))):
    arrays[f"segsum_{name}"] = npy(ops.segment_sum(x, ids, num_segments=3))
    arrays[f"segmax_{name}"] = npy(ops.segment_max(x, ids, num_segments=3))
gaps = np.array([0, 0, 2, 2])
arrays["segsum_gaps"] = npy(ops.segment_sum(x, gaps, num_segments=5))
arrays["segmax_gaps"] = npy(ops.segment_max(x, gaps, num_segments=4))
arrays["segmax_gaps_sorted"] = npy(ops.segment_max(x, gaps, sorted=True))
arrays["segmax_gaps_int"] = npy(ops.segment_max(x.astype("int32"), gaps, num_segments=4))
arrays["take_neg"] = npy(ops.take(x, np.array([-1, 0]), axis=0))
arrays["take_neg_flat"] = npy(ops.take(x, np.array([-1, 0])))
arrays["take_axis1"] = npy(ops.take(x, np.array([[0, 2], [1, 1]]), axis=1))
arrays["tal_neg"] = npy(ops.take_along_axis(x, np.array([[-1], [2], [1], [0]]), axis=1))
arrays["tal_none"] = npy(ops.take_along_axis(x, np.array([0, 5, 11]), axis=None))
arrays["scatter_dup"] = npy(ops.scatter(np.array([[0, 1], [2, 0], [0, 1]]),
                                        np.array([1., 2., 3.], "float32"), (3, 2)))
arrays["scatter_rows"] = npy(ops.scatter(np.array([[0], [2]]), np.ones((2, 3), "float32"),
                                         (4, 3)))
arrays["scatter_update"] = npy(ops.scatter_update(x, np.array([[0, 1], [3, 2]]),
                                                  np.array([-1., -2.], "float32")))
arrays["slice"] = npy(ops.slice(x, (1, 0), (2, 2)))
arrays["slice_update"] = npy(ops.slice_update(x, (1, 1), np.zeros((2, 2), "float32")))
arrays["one_hot"] = npy(ops.one_hot(np.array([0, 2, -1, 5]), 3))
arrays["one_hot_axis0"] = npy(ops.one_hot(np.array([0, 2]), 3, axis=0))
v, i = ops.top_k(np.array([[1., 3, 2, 3], [4, 0, 5, 1]], "float32"), k=2)
arrays["top_k_values"], arrays["top_k_indices"] = npy(v), npy(i)
arrays["in_top_k"] = npy(ops.in_top_k(np.array([1, 0], "int32"),
                                      np.array([[0.1, 0.9, 0.], [0.2, 0.5, 0.3]], "float32"),
                                      k=1))
s = np.array([[3., 1, 2], [0, 5, 5]], "float32")
arrays["argsort"] = npy(ops.argsort(s))
arrays["argsort_none"] = npy(ops.argsort(s, axis=None))
arrays["bincount_w"] = npy(ops.bincount(np.array([0, 1, 1, 3]),
                                        weights=np.array([0.5, 1., 2., 1.], "float32")))
arrays["bincount_minlen"] = npy(ops.bincount(np.array([0, 1, 1, 3]), minlength=6))
arrays["bincount_2d"] = npy(ops.bincount(np.array([[0, 1], [1, 1]])))
arrays["repeat_counts"] = npy(ops.repeat(np.array([1., 2., 3.], "float32"),
                                         np.array([2, 0, 1])))

os.makedirs(OUT, exist_ok=True)
np.savez_compressed(os.path.join(OUT, "graph_examples.npz"), **arrays)
print(f"wrote {len(arrays)} arrays with keras {keras.__version__}, tensorflow {tf.__version__}")
