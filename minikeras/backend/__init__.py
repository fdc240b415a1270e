"""keras.backend: global settings, Keras 3's backend functions, and the
Keras 2 functions (`K.mean`, `K.square`, ...) that tf.keras 3 still exports
(defined in `legacy.py`)."""
from minikeras.backend.config import (  # noqa: F401
    backend, epsilon, floatx, image_data_format, set_epsilon, set_floatx,
    set_image_data_format, standardize_data_format)
from minikeras.backend.common import (  # noqa: F401
    get_uid, is_float_dtype, is_int_dtype, result_type, standardize_dtype)
from minikeras.backend.variables import Variable, is_variable  # noqa: F401
from minikeras.backend.tape import GradientTape  # noqa: F401


def clear_session(free_memory=True):
    """Reset layer-name counters so that new layers are named `dense`, ... again."""
    from minikeras.backend import common
    common.reset_uids()


def is_keras_tensor(x):
    """True for the symbolic tensors of the Functional API (`keras.Input`)."""
    from minikeras.backend.keras_tensor import KerasTensor
    return isinstance(x, KerasTensor)


# Keras 2 functions; imported last because they are built on `minikeras.ops`.
from minikeras.backend.legacy import (  # noqa: E402,F401
    abs, all, any, arange, argmax, argmin, batch_dot, batch_flatten, batch_get_value,
    batch_normalization, batch_set_value, bias_add, binary_crossentropy,
    binary_focal_crossentropy, cast, cast_to_floatx, categorical_crossentropy,
    categorical_focal_crossentropy, clip, concatenate, constant, conv1d, conv2d,
    conv2d_transpose, conv3d, cos, count_params, ctc_batch_cost, ctc_decode,
    ctc_label_dense_to_sparse, cumprod, cumsum, depthwise_conv2d, dot, dropout, dtype, elu,
    equal, eval, exp, expand_dims, eye, flatten, foldl, foldr, function, gather, get_value,
    gradients, greater, greater_equal, hard_sigmoid, in_test_phase, in_top_k, in_train_phase,
    int_shape, is_sparse, l2_normalize, learning_phase, learning_phase_scope, less,
    local_conv1d, local_conv2d, normalize_batch_in_training,
    less_equal, log, manual_variable_initialization, map_fn, max, maximum, mean, min,
    minimum, moving_average_update, name_scope, ndim, not_equal, one_hot, ones, ones_like,
    permute_dimensions, placeholder, pool2d, pool3d, pow, print_tensor, prod,
    random_bernoulli, random_binomial, random_normal, random_normal_variable, random_uniform,
    random_uniform_variable, relu, repeat, repeat_elements, reset_uids, reshape,
    resize_images, resize_volumes, reverse, rnn, round, separable_conv2d, set_learning_phase,
    set_value, shape, sigmoid, sign, sin, softmax, softplus, softsign,
    sparse_categorical_crossentropy, spatial_2d_padding, spatial_3d_padding, sqrt, square,
    squeeze, stack, std, stop_gradient, sum, switch, tanh, temporal_padding, tile, to_dense,
    transpose, truncated_normal, update, update_add, update_sub, var, variable, zeros,
    zeros_like)
