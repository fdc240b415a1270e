"""keras.layers: every layer class, and the functional merge helpers."""
from minikeras.layers.layer import Layer
from minikeras.layers.input_spec import InputSpec
from minikeras.layers.input_layer import InputLayer, Input
from minikeras.layers.core.dense import Dense
from minikeras.layers.core.activation import Activation
from minikeras.layers.core.dropout import Dropout
from minikeras.layers.core.flatten import Flatten
from minikeras.layers.core.identity import Identity
from minikeras.layers.core.lambda_layer import Lambda
from minikeras.layers.serialization import deserialize, serialize
from minikeras.layers.activations.elu import ELU
from minikeras.layers.activations.leaky_relu import LeakyReLU
from minikeras.layers.activations.prelu import PReLU
from minikeras.layers.activations.relu import ReLU
from minikeras.layers.activations.softmax import Softmax
from minikeras.layers.convolutional.conv1d import Conv1D
from minikeras.layers.convolutional.conv1d_transpose import Conv1DTranspose
from minikeras.layers.convolutional.conv2d import Conv2D
from minikeras.layers.convolutional.conv2d_transpose import Conv2DTranspose
from minikeras.layers.convolutional.conv3d import Conv3D
from minikeras.layers.convolutional.conv3d_transpose import Conv3DTranspose
from minikeras.layers.convolutional.depthwise_conv1d import DepthwiseConv1D
from minikeras.layers.convolutional.depthwise_conv2d import DepthwiseConv2D
from minikeras.layers.convolutional.separable_conv1d import SeparableConv1D
from minikeras.layers.convolutional.separable_conv2d import SeparableConv2D
from minikeras.layers.merging.add import Add
from minikeras.layers.merging.average import Average
from minikeras.layers.merging.concatenate import Concatenate
from minikeras.layers.merging.dot import Dot
from minikeras.layers.merging.maximum import Maximum
from minikeras.layers.merging.minimum import Minimum
from minikeras.layers.merging.multiply import Multiply
from minikeras.layers.merging.subtract import Subtract
from minikeras.layers.normalization.batch_normalization import BatchNormalization
from minikeras.layers.normalization.group_normalization import GroupNormalization
from minikeras.layers.normalization.layer_normalization import LayerNormalization
from minikeras.layers.normalization.rms_normalization import RMSNormalization
from minikeras.layers.normalization.unit_normalization import UnitNormalization
from minikeras.layers.pooling.average_pooling1d import AveragePooling1D
from minikeras.layers.pooling.average_pooling2d import AveragePooling2D
from minikeras.layers.pooling.average_pooling3d import AveragePooling3D
from minikeras.layers.pooling.global_average_pooling1d import GlobalAveragePooling1D
from minikeras.layers.pooling.global_average_pooling2d import GlobalAveragePooling2D
from minikeras.layers.pooling.global_average_pooling3d import GlobalAveragePooling3D
from minikeras.layers.pooling.global_max_pooling1d import GlobalMaxPooling1D
from minikeras.layers.pooling.global_max_pooling2d import GlobalMaxPooling2D
from minikeras.layers.pooling.global_max_pooling3d import GlobalMaxPooling3D
from minikeras.layers.pooling.max_pooling1d import MaxPooling1D
from minikeras.layers.pooling.max_pooling2d import MaxPooling2D
from minikeras.layers.pooling.max_pooling3d import MaxPooling3D
from minikeras.layers.preprocessing.center_crop import CenterCrop
from minikeras.layers.preprocessing.normalization import Normalization
from minikeras.layers.preprocessing.random_contrast import RandomContrast
from minikeras.layers.preprocessing.random_flip import RandomFlip
from minikeras.layers.preprocessing.random_rotation import RandomRotation
from minikeras.layers.preprocessing.random_translation import RandomTranslation
from minikeras.layers.preprocessing.random_zoom import RandomZoom
from minikeras.layers.preprocessing.rescaling import Rescaling
from minikeras.layers.preprocessing.resizing import Resizing
from minikeras.layers.regularization.activity_regularization import ActivityRegularization
from minikeras.layers.regularization.alpha_dropout import AlphaDropout
from minikeras.layers.regularization.gaussian_dropout import GaussianDropout
from minikeras.layers.regularization.gaussian_noise import GaussianNoise
from minikeras.layers.regularization.spatial_dropout import SpatialDropout1D
from minikeras.layers.regularization.spatial_dropout import SpatialDropout2D
from minikeras.layers.regularization.spatial_dropout import SpatialDropout3D
from minikeras.layers.reshaping.cropping1d import Cropping1D
from minikeras.layers.reshaping.cropping2d import Cropping2D
from minikeras.layers.reshaping.cropping3d import Cropping3D
from minikeras.layers.reshaping.permute import Permute
from minikeras.layers.reshaping.repeat_vector import RepeatVector
from minikeras.layers.reshaping.reshape import Reshape
from minikeras.layers.reshaping.up_sampling1d import UpSampling1D
from minikeras.layers.reshaping.up_sampling2d import UpSampling2D
from minikeras.layers.reshaping.up_sampling3d import UpSampling3D
from minikeras.layers.reshaping.zero_padding1d import ZeroPadding1D
from minikeras.layers.reshaping.zero_padding2d import ZeroPadding2D
from minikeras.layers.reshaping.zero_padding3d import ZeroPadding3D
from minikeras.layers.merging.add import add
from minikeras.layers.merging.subtract import subtract
from minikeras.layers.merging.multiply import multiply
from minikeras.layers.merging.average import average
from minikeras.layers.merging.maximum import maximum
from minikeras.layers.merging.minimum import minimum
from minikeras.layers.merging.concatenate import concatenate
from minikeras.layers.merging.dot import dot
from minikeras.layers.pooling.average_pooling1d import AveragePooling1D as AvgPool1D
from minikeras.layers.pooling.average_pooling2d import AveragePooling2D as AvgPool2D
from minikeras.layers.pooling.average_pooling3d import AveragePooling3D as AvgPool3D
from minikeras.layers.convolutional.conv1d import Conv1D as Convolution1D
from minikeras.layers.convolutional.conv1d_transpose import Conv1DTranspose as Convolution1DTranspose
from minikeras.layers.convolutional.conv2d import Conv2D as Convolution2D
from minikeras.layers.convolutional.conv2d_transpose import Conv2DTranspose as Convolution2DTranspose
from minikeras.layers.convolutional.conv3d import Conv3D as Convolution3D
from minikeras.layers.convolutional.conv3d_transpose import Conv3DTranspose as Convolution3DTranspose
from minikeras.layers.pooling.global_average_pooling1d import GlobalAveragePooling1D as GlobalAvgPool1D
from minikeras.layers.pooling.global_average_pooling2d import GlobalAveragePooling2D as GlobalAvgPool2D
from minikeras.layers.pooling.global_average_pooling3d import GlobalAveragePooling3D as GlobalAvgPool3D
from minikeras.layers.pooling.global_max_pooling1d import GlobalMaxPooling1D as GlobalMaxPool1D
from minikeras.layers.pooling.global_max_pooling2d import GlobalMaxPooling2D as GlobalMaxPool2D
from minikeras.layers.pooling.global_max_pooling3d import GlobalMaxPooling3D as GlobalMaxPool3D
from minikeras.layers.pooling.max_pooling1d import MaxPooling1D as MaxPool1D
from minikeras.layers.pooling.max_pooling2d import MaxPooling2D as MaxPool2D
from minikeras.layers.pooling.max_pooling3d import MaxPooling3D as MaxPool3D
from minikeras.layers.convolutional.separable_conv1d import SeparableConv1D as SeparableConvolution1D
from minikeras.layers.convolutional.separable_conv2d import SeparableConv2D as SeparableConvolution2D
from minikeras.layers.core.embedding import Embedding
from minikeras.layers.core.masking import Masking
from minikeras.layers.core.wrapper import Wrapper
from minikeras.layers.rnn.rnn import RNN
from minikeras.layers.rnn.simple_rnn import SimpleRNN, SimpleRNNCell
from minikeras.layers.rnn.lstm import LSTM, LSTMCell
from minikeras.layers.rnn.gru import GRU, GRUCell
from minikeras.layers.rnn.stacked_rnn_cells import StackedRNNCells
from minikeras.layers.rnn.bidirectional import Bidirectional
from minikeras.layers.rnn.time_distributed import TimeDistributed
from minikeras.layers.rnn.conv_lstm1d import ConvLSTM1D
from minikeras.layers.rnn.conv_lstm2d import ConvLSTM2D
from minikeras.layers.rnn.conv_lstm3d import ConvLSTM3D
from minikeras.layers.attention.additive_attention import AdditiveAttention
from minikeras.layers.attention.attention import Attention
from minikeras.layers.attention.grouped_query_attention import GroupQueryAttention
from minikeras.layers.attention.grouped_query_attention import GroupedQueryAttention
from minikeras.layers.attention.multi_head_attention import MultiHeadAttention
from minikeras.layers.core.einsum_dense import EinsumDense
from minikeras.layers.core.reversible_embedding import ReversibleEmbedding
from minikeras.layers.normalization.spectral_normalization import SpectralNormalization
from minikeras.layers.pooling.adaptive_pooling import (
    AdaptiveAveragePooling1D, AdaptiveAveragePooling2D, AdaptiveAveragePooling3D,
    AdaptiveMaxPooling1D, AdaptiveMaxPooling2D, AdaptiveMaxPooling3D)
from minikeras.layers.preprocessing.aug_mix import AugMix
from minikeras.layers.preprocessing.auto_contrast import AutoContrast
from minikeras.layers.preprocessing.category_encoding import CategoryEncoding
from minikeras.layers.preprocessing.cut_mix import CutMix
from minikeras.layers.preprocessing.discretization import Discretization
from minikeras.layers.preprocessing.equalization import Equalization
from minikeras.layers.preprocessing.hashed_crossing import HashedCrossing
from minikeras.layers.preprocessing.hashing import Hashing
from minikeras.layers.preprocessing.integer_lookup import IntegerLookup
from minikeras.layers.preprocessing.max_num_bounding_boxes import MaxNumBoundingBoxes
from minikeras.layers.preprocessing.mel_spectrogram import MelSpectrogram
from minikeras.layers.preprocessing.mix_up import MixUp
from minikeras.layers.preprocessing.pipeline import Pipeline
from minikeras.layers.preprocessing.rand_augment import RandAugment
from minikeras.layers.preprocessing.random_brightness import RandomBrightness
from minikeras.layers.preprocessing.random_color_degeneration import RandomColorDegeneration
from minikeras.layers.preprocessing.random_color_jitter import RandomColorJitter
from minikeras.layers.preprocessing.random_crop import RandomCrop
from minikeras.layers.preprocessing.random_erasing import RandomErasing
from minikeras.layers.preprocessing.random_gaussian_blur import RandomGaussianBlur
from minikeras.layers.preprocessing.random_grayscale import RandomGrayscale
from minikeras.layers.preprocessing.random_hue import RandomHue
from minikeras.layers.preprocessing.random_invert import RandomInvert
from minikeras.layers.preprocessing.random_perspective import RandomPerspective
from minikeras.layers.preprocessing.random_posterization import RandomPosterization
from minikeras.layers.preprocessing.random_saturation import RandomSaturation
from minikeras.layers.preprocessing.random_sharpness import RandomSharpness
from minikeras.layers.preprocessing.random_shear import RandomShear
from minikeras.layers.preprocessing.solarization import Solarization
from minikeras.layers.preprocessing.stft_spectrogram import STFTSpectrogram
from minikeras.layers.preprocessing.string_lookup import StringLookup
from minikeras.layers.preprocessing.text_vectorization import TextVectorization


# Keras 2 modules (`keras.layers.merge.concatenate`, ...): loaded on first use; their
# names resolve to the ones above with a DeprecationWarning (compat/legacy_paths.py).
_KERAS2_MODULES = ("recurrent", "merge", "embeddings", "advanced_activations", "wrappers")


def __getattr__(name):
    if name in _KERAS2_MODULES:
        import importlib
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module '{__name__}' has no attribute '{name}'")
