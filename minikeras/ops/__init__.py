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
