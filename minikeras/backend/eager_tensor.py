"""What an eager call hands back to user code: a numpy array with `.numpy()`.

With TensorFlow-backed Keras, `model(x)` and `loss_fn(y, p)` return tensors,
and code written for it calls `.numpy()` on them (the TensorFlow quickstart
does). minikeras computes on numpy arrays; `EagerTensor` is a thin ndarray
subclass that adds that method and prints like a plain array. It is only
made at the user-facing boundary (the outermost eager layer call, losses,
metric calls); inside the library values stay plain `np.ndarray`s, and
anything that enters the library through `np.asarray` comes back out plain.
"""
import numpy as np

from minikeras.backend import primitives


class EagerTensor(np.ndarray):
    """A numpy array returned by an eager call, with `numpy()` as in TF.

    Arithmetic and slicing keep the type, so `(model(x) * 2).numpy()` works
    too; numpy functions accept it as any array.
    """

    def numpy(self):
        """The value as a plain numpy array (a numpy scalar when 0-d)."""
        value = np.array(self, copy=True, subok=False)
        return value[()] if value.ndim == 0 else value

    def __repr__(self):
        return repr(np.asarray(self))

    def __str__(self):
        return str(np.asarray(self))

    def __reduce__(self):
        # Pickles (and so multiprocessing, joblib) carry a plain array.
        return np.asarray(self).__reduce__()


def _teach_autograd():
    """Let autograd box and differentiate EagerTensors like plain arrays.

    numpy keeps the subclass through arithmetic, so `model(x) * w` under a
    tape hands autograd an EagerTensor as a primitive's output.
    """
    from autograd.numpy.numpy_boxes import ArrayBox
    from autograd.numpy.numpy_vspaces import ArrayVSpace, ComplexArrayVSpace
    from autograd.extend import VSpace
    ArrayBox.register(EagerTensor)
    VSpace.register(EagerTensor, lambda x: ComplexArrayVSpace(x) if np.iscomplexobj(x)
                    else ArrayVSpace(x))


_teach_autograd()


def as_eager(value):
    """`value` as an `EagerTensor` if it is a plain float/int/bool array or
    numpy scalar; nested lists, tuples and dicts are converted leaf by leaf;
    anything else (autograd boxes under a tape, None, strings) is returned
    unchanged."""
    t = type(value)
    if t is np.ndarray:
        if value.dtype.kind not in "fiub":
            return value
        view = value.view(EagerTensor)
        logits = primitives.recall_logits(value)
        if logits is not None:  # a softmax/sigmoid output keeps its logits
            primitives.remember_logits(view, logits)
        from minikeras.losses.loss import get_loss_mask, set_loss_mask  # (imports us)
        mask = get_loss_mask(value)
        if mask is not None:  # and a masked output its mask
            set_loss_mask(view, mask)
        return view
    if isinstance(value, np.generic) and value.dtype.kind in "fiub":
        return np.asarray(value).view(EagerTensor)
    if t is list or t is tuple:
        return t(as_eager(v) for v in value)
    if t is dict:
        return {k: as_eager(v) for k, v in value.items()}
    return value
