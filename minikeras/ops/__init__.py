"""keras.ops: numpy-style, neural-network, linear-algebra, math and image ops.

Every op takes arrays, Python values and Variables, keeps float32 float32,
and is differentiable through autograd where Keras's is. The groups are also
reachable as `keras.ops.numpy`, `keras.ops.nn`, `keras.ops.linalg` and
`keras.ops.image`, as in Keras 3.
"""
from minikeras.ops.core import (  # noqa: F401
    associative_scan, cast, cond, convert_to_numpy, convert_to_tensor, custom_gradient, dtype,
    fori_loop, is_tensor, map, saturate_cast, scan, scatter, scatter_update, shape, slice,
    slice_update, stop_gradient, switch, unstack, vectorized_map, while_loop)
from minikeras.ops.numpy import *  # noqa: F401,F403
from minikeras.ops.numpy import abs, all, any, max, min, round, sum  # noqa: F401  (shadow builtins on purpose)
from minikeras.ops.nn import *  # noqa: F401,F403
from minikeras.ops.linalg import (  # noqa: F401
    cholesky, cholesky_inverse, det, eig, eigh, inv, jvp, lstsq, lu_factor, matrix_rank, norm,
    pinv, qr, solve, solve_triangular, svd)
from minikeras.ops.math import (  # noqa: F401
    cdist, erf, erfc, erfinv, extract_sequences, fft, fft2, ifft2, in_top_k, irfft, istft,
    logdet, logsumexp, rfft, rsqrt, segment_max, segment_min, segment_prod, segment_sum, stft,
    top_k, view_as_complex, view_as_real)
from minikeras.ops.einops import rearrange  # noqa: F401
from minikeras.ops import image, linalg, nn, numpy  # noqa: F401,E402
from minikeras.ops import einops as _einops, math as _math, _symbolic  # noqa: E402

# Calls on KerasTensors (Functional API) become graph nodes, as in Keras 3.
for _module in (numpy, nn, linalg, image, _math, _einops):
    _symbolic.wrap_module(_module, [n for n in dir(_module) if not n.startswith("_")
                                    and getattr(getattr(_module, n), "__module__", "")
                                    .startswith("minikeras.ops")])
for _name, _obj in list(globals().items()):
    if not _name.startswith("_") and callable(_obj) and not isinstance(_obj, type) \
            and getattr(_obj, "__module__", "").startswith("minikeras.ops") \
            and _name not in _symbolic._SKIP:
        globals()[_name] = _symbolic.symbolic_aware(_obj)
del _module, _name, _obj
