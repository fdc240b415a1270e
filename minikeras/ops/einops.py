"""`rearrange`: einops-style reshaping and transposing with named axes."""
import re

import numpy as np
import autograd.numpy as anp
from autograd.tracer import getval

from minikeras.ops.core import _t


def _parse(side):
    groups = []
    for m in re.finditer(r"\(([^)]*)\)|(\S+)", side.strip()):
        if m.group(1) is not None:
            groups.append(m.group(1).split())
        else:
            groups.append([m.group(2)])
    return groups


def rearrange(tensor, pattern, **axes_lengths):
    """Rearrange axes of `tensor` as `pattern` says, e.g.
    `"b h w c -> b (h w) c"` (merge) or `"b (h w) c -> b h w c"` with
    `h=...` (split); named axes may also be reordered.

    Example:

    >>> keras.ops.rearrange(np.zeros((2, 3, 4)), "a b c -> c (a b)").shape
    (4, 6)
    """
    if "->" not in pattern:
        raise ValueError(f"Pattern must contain '->'. Received: pattern={pattern}")
    left, right = (s.strip() for s in pattern.split("->"))
    lg, rg = _parse(left), _parse(right)
    x = _t(tensor)
    shape = np.shape(getval(x))
    if len(lg) != len(shape):
        raise ValueError(
            f"Pattern {left!r} has {len(lg)} axes but the tensor has {len(shape)}: {shape}.")
    sizes = dict(axes_lengths)
    for group, n in zip(lg, shape):
        unknown = [a for a in group if a not in sizes]
        known = int(np.prod([sizes[a] for a in group if a in sizes])) if group else 1
        if len(group) == 1 and not unknown:
            if sizes[group[0]] != n:
                raise ValueError(f"Axis {group[0]} has size {n}, expected {sizes[group[0]]}.")
        if len(unknown) > 1:
            raise ValueError(f"Cannot infer the sizes of {unknown} in group {group}.")
        if unknown:
            if n % known:
                raise ValueError(f"Axis of size {n} cannot be split into {group}.")
            sizes[unknown[0]] = n // known
        elif known != n:
            raise ValueError(f"Group {group} has size {known}, but the axis has size {n}.")
    left_axes = [a for g in lg for a in g]
    right_axes = [a for g in rg for a in g]
    if sorted(left_axes) != sorted(right_axes):
        raise ValueError(
            f"Both sides of the pattern must name the same axes. Received: {pattern!r}")
    x = anp.reshape(x, tuple(sizes[a] for a in left_axes))
    x = anp.transpose(x, tuple(left_axes.index(a) for a in right_axes))
    return anp.reshape(x, tuple(int(np.prod([sizes[a] for a in g])) for g in rg))
