"""`EinsumDense`: a dense layer whose contraction is an einsum equation."""
import re
import string

import numpy as np
import autograd.numpy as anp

from minikeras import activations, constraints, initializers, regularizers
from minikeras.backend import primitives
from minikeras.initializers.random_initializers import VarianceScaling
from minikeras.layers.input_spec import InputSpec
from minikeras.layers.layer import Layer
from minikeras.ops.core import _v


class EinsumDense(Layer):
    """A layer that uses `einsum` as the backing computation.

    The equation names the input axes, the kernel axes and the output axes,
    e.g. `"ab,bc->ac"` (a Dense layer), `"abc,cd->abd"` (a Dense layer on a
    sequence) or `"abc,cde->abde"` (a projection into heads). An ellipsis may
    stand for leading (`"...b,bc->...c"`) or trailing axes.

    Args:
        equation: the einsum equation, `"<input>,<kernel>-><output>"`.
        output_shape: the output shape without the batch axis and the axes
            an ellipsis stands for; `None` entries are taken from the input.
        activation: activation function (None: linear).
        bias_axes: output axis letters that get a bias, e.g. `"d"`.
        kernel_initializer, bias_initializer: initializers; a variance
            scaling initializer counts the kernel's input and output axes of
            the equation as fan-in and fan-out.
        kernel_regularizer, bias_regularizer: regularizers.
        kernel_constraint, bias_constraint: constraints.

    Example:

    >>> layer = keras.layers.EinsumDense("abc,cde->abde", output_shape=(None, 4, 8),
    ...                                  bias_axes="de")
    >>> layer(np.ones((2, 5, 16), "float32")).shape
    (2, 5, 4, 8)
    """

    def __init__(self, equation, output_shape, activation=None, bias_axes=None,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, lora_rank=None, lora_alpha=None,
                 gptq_unpacked_column_size=None, quantization_config=None, **kwargs):
        if lora_rank:
            raise NotImplementedError("LoRA (lora_rank) is not supported by minikeras EinsumDense.")
        if quantization_config is not None:
            raise NotImplementedError(
                "Quantization (quantization_config) is not supported by minikeras EinsumDense.")
        super().__init__(**kwargs)
        if not isinstance(equation, str):
            raise ValueError(f"`equation` must be a string. Received: equation={equation!r}")
        self.equation = equation
        if isinstance(output_shape, (int, np.integer)):
            self.partial_output_shape = (int(output_shape),)
        else:
            self.partial_output_shape = tuple(output_shape)
        self.bias_axes = bias_axes
        self.activation = activations.get(activation)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.lora_rank = lora_rank
        self.lora_alpha = lora_alpha if lora_alpha is not None else lora_rank
        self.lora_enabled = False
        self.gptq_unpacked_column_size = gptq_unpacked_column_size
        self.quantization_config = quantization_config
        self.quantization_mode = None

    def build(self, input_shape):
        input_shape = tuple(input_shape)
        kernel_shape, bias_shape, _, input_axes, output_axes = analyze_einsum_string(
            self.equation, self.bias_axes, input_shape, self.partial_output_shape, self.name)
        if any(d is None for d in kernel_shape):
            raise ValueError(
                f"EinsumDense layer '{self.name}': the kernel shape {tuple(kernel_shape)} of "
                f"equation '{self.equation}' has unknown dimensions. Give them in "
                f"`output_shape` or in the input shape. Received: input_shape={input_shape}, "
                f"output_shape={self.partial_output_shape}")
        self.input_spec = InputSpec(ndim=len(input_shape))
        init = self.kernel_initializer
        if isinstance(init, VarianceScaling) and (init.input_axes is None
                                                  or init.output_axes is None):
            # The fans are the kernel's contracted and produced axes, not its
            # last two axes (as Keras does for einsum kernels).
            config = init.get_config()
            config["seed"] = init.seed
            config["input_axes"] = input_axes
            config["output_axes"] = output_axes
            init = type(init).from_config(config)
        self._kernel = self.add_weight(
            name="kernel", shape=tuple(kernel_shape), initializer=init,
            regularizer=self.kernel_regularizer, constraint=self.kernel_constraint)
        if bias_shape is not None:
            self.bias = self.add_weight(
                name="bias", shape=tuple(bias_shape), initializer=self.bias_initializer,
                regularizer=self.bias_regularizer, constraint=self.bias_constraint)
        else:
            self.bias = None
        self._plan = None
        self.built = True

    @property
    def kernel(self):
        if not self.built:
            raise AttributeError("You must build the layer before accessing `kernel`.")
        return self._kernel

    def call(self, inputs, training=None):
        x = _v(inputs)
        ndim = len(anp.shape(x))
        plan = self._plan
        if plan is None or plan.ndim != ndim:
            plan = self._plan = _ContractionPlan(self.equation, ndim)
        y = plan(x, self._kernel.value)
        if self.bias is not None:
            y = y + self.bias.value
        if self.activation is not None:
            y = self.activation(y)
        return y

    def compute_output_shape(self, input_shape):
        _, _, full_output_shape, _, _ = analyze_einsum_string(
            self.equation, self.bias_axes, tuple(input_shape), self.partial_output_shape,
            self.name)
        return tuple(full_output_shape)

    def enable_lora(self, rank, lora_alpha=None, a_initializer="he_uniform",
                    b_initializer="zeros"):
        raise NotImplementedError("LoRA is not supported by minikeras EinsumDense.")

    def get_config(self):
        config = super().get_config()
        config.update({
            "output_shape": self.partial_output_shape,
            "equation": self.equation,
            "activation": activations.serialize(self.activation),
            "bias_axes": self.bias_axes,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
            "quantization_config": None,
        })
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if config.get("quantization_config") is None:
            config.pop("quantization_config", None)
        return super().from_config(config)


# ----- equation analysis (shapes of kernel, bias and output) ---------------------
def analyze_einsum_string(equation, bias_axes, input_shape, output_shape, layer_name=None):
    """`(kernel_shape, bias_shape, full_output_shape, input_axes, output_axes)`.

    `input_axes`/`output_axes` are the kernel axes shared with the input
    (contracted) and with the output. Follows Keras's rules: an ellipsis may
    lead the input and output, or trail them.
    """
    where = f"EinsumDense layer '{layer_name}': " if layer_name else ""
    eq = equation.replace("...", "0")
    m = re.fullmatch(r"([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)", eq)
    if m:
        return _analyze_split(m.groups(), bias_axes, input_shape, output_shape, False, where)
    m = re.fullmatch(r"0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)", eq)
    if m:
        return _analyze_split(m.groups(), bias_axes, input_shape, output_shape, True, where)
    m = re.fullmatch(r"([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0", eq)
    if m:
        return _analyze_split(m.groups(), bias_axes, input_shape, output_shape, False, where)
    raise ValueError(
        f"{where}Invalid einsum equation '{equation}'. Equations must be in the form "
        "[X],[Y]->[Z], ...[X],[Y]->...[Z], or [X]...,[Y]->[Z]....")


def _analyze_split(specs, bias_axes, input_shape, output_shape, left_elided, where):
    input_spec, weight_spec, output_spec = specs
    input_shape = tuple(input_shape)
    elided = len(input_shape) - len(input_spec)
    if elided < 0:
        raise ValueError(
            f"{where}the input has rank {len(input_shape)} (shape {input_shape}) but the "
            f"equation's input '{input_spec}' names {len(input_spec)} axes.")
    full = [output_shape] if isinstance(output_shape, int) else list(output_shape)
    full.insert(0, input_shape[0])
    if elided > 0 and left_elided:
        # In input order (Keras 3.15 inserts them reversed, so its symbolic
        # shape for `...b,bc->...c` on (B, 3, 4, b) reads (B, 4, 3, c)).
        full[1:1] = list(input_shape[1:elided])
    elif elided > 0:
        full.extend(input_shape[len(input_shape) - elided:])

    if left_elided:
        in_pos = {d: i + elided - len(input_shape) for i, d in enumerate(input_spec)}
        out_pos = {d: i + elided for i, d in enumerate(output_spec)}
    else:
        in_pos = {d: i for i, d in enumerate(input_spec)}
        out_pos = {d: i for i, d in enumerate(output_spec)}
    if max(out_pos.values(), default=-1) >= len(full):
        raise ValueError(
            f"{where}`output_shape` {tuple(output_shape)} does not cover the output "
            f"axes '{output_spec}' of the equation (input shape {input_shape}).")

    for d in input_spec:
        if d in out_pos:
            want = full[out_pos[d]]
            if want is not None and want != input_shape[in_pos[d]]:
                raise ValueError(
                    f"{where}Input shape and output shape do not match at shared "
                    f"dimension '{d}'. Input shape is {input_shape[in_pos[d]]}, and output "
                    f"shape is {want}.")
    for d in output_spec:
        if d not in input_spec and d not in weight_spec:
            raise ValueError(
                f"{where}Dimension '{d}' was specified in the output '{output_spec}' but has "
                f"no corresponding dim in the input spec '{input_spec}' or weight spec "
                f"'{weight_spec}'")

    kernel_shape, input_axes, output_axes = [], [], []
    for i, d in enumerate(weight_spec):
        if d in out_pos:
            kernel_shape.append(full[out_pos[d]])
            output_axes.append(i)
        elif d in in_pos:
            kernel_shape.append(input_shape[in_pos[d]])
            input_axes.append(i)
        else:
            raise ValueError(
                f"{where}Weight dimension '{d}' did not have a match in either the input "
                f"spec '{input_spec}' or the output spec '{output_spec}'. For this layer, "
                "the weight must be fully specified.")

    bias_shape = None
    if bias_axes is not None:
        offset = elided if left_elided else 0
        sizes = {c: full[i + offset] for i, c in enumerate(output_spec)}
        for c in bias_axes:
            if c not in output_spec:
                raise ValueError(
                    f"{where}Bias dimension '{c}' was requested, but is not part of the "
                    f"output spec '{output_spec}'")
        first = min(output_spec.find(c) for c in bias_axes)
        bias_shape = [sizes[c] if c in bias_axes else 1 for c in output_spec[first:]]
        if not left_elided:
            bias_shape.extend([1] * elided)
    return kernel_shape, bias_shape, full, input_axes, output_axes


# ----- computing the contraction with one GEMM ------------------------------------
class _ContractionPlan:
    """Evaluates `equation` for an input of rank `ndim` with one dense GEMM.

    A pure contraction (each letter in exactly two of input, kernel, output)
    is a matrix product after transposing the contracted input axes to the
    end and the contracted kernel axes to the front; the hand-written VJP of
    `primitives.dense` then makes its gradient plain GEMMs too. Equations
    with letters shared by all three (batch letters) use `einsum`.
    """

    def __init__(self, equation, ndim):
        self.ndim = ndim
        self.equation = _expand_ellipsis(equation, ndim)
        ins, rest = self.equation.split(",")
        ker, out = rest.split("->")
        self.fast = (len(set(ins)) == len(ins) and len(set(ker)) == len(ker)
                     and len(set(out)) == len(out)
                     and not (set(ins) & set(ker) & set(out))
                     and set(out) == (set(ins) ^ set(ker)))
        if not self.fast:
            return
        contracted = [c for c in ker if c in ins]
        x_free = [c for c in ins if c not in contracted]
        k_free = [c for c in ker if c not in contracted]
        self.x_perm = tuple(ins.index(c) for c in x_free + contracted)
        self.k_perm = tuple(ker.index(c) for c in contracted + k_free)
        self.n_x_free = len(x_free)
        self.n_contracted = len(contracted)
        produced = x_free + k_free
        self.out_perm = tuple(produced.index(c) for c in out)

    def __call__(self, x, kernel):
        if not self.fast:
            return anp.einsum(self.equation, x, kernel)
        if not _is_identity(self.x_perm):
            x = anp.transpose(x, self.x_perm)
        if not _is_identity(self.k_perm):
            kernel = anp.transpose(kernel, self.k_perm)
        xs = anp.shape(x)
        ks = anp.shape(kernel)
        free_x = tuple(xs[:self.n_x_free])
        free_k = tuple(ks[self.n_contracted:])
        inner = int(np.prod(xs[self.n_x_free:], dtype=np.int64))
        x2 = anp.reshape(x, free_x + (inner,)) if self.n_contracted != 1 else x
        k2 = anp.reshape(kernel, (inner, int(np.prod(free_k, dtype=np.int64))))
        y = primitives.dense(x2, k2, None)
        y = anp.reshape(y, free_x + free_k)
        if not _is_identity(self.out_perm):
            y = anp.transpose(y, self.out_perm)
        return y


def _is_identity(perm):
    return perm == tuple(range(len(perm)))


def _expand_ellipsis(equation, ndim):
    """Replace `...` by explicit letters for an input of rank `ndim`."""
    if "..." not in equation:
        return equation
    ins, rest = equation.split(",")
    n = ndim - (len(ins) - 3)
    used = set(equation)
    spare = "".join(c for c in string.ascii_letters if c not in used)[:max(n, 0)]
    return equation.replace("...", spare)
