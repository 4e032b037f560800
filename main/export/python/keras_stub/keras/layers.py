"""Keras 3 layers as far as Blockwise's scripts use them: shapes and weights, by Keras's rules."""
import math


class Weight:
    def __init__(self, *shape):
        self.shape = tuple(shape)


class KerasTensor:
    def __init__(self, shape, layer=None, parents=()):
        self.shape = tuple(shape)
        self.layer, self.parents = layer, tuple(parents)


def Input(shape, name=None):
    return KerasTensor((None, *shape))


def _pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


def _window(size, k, stride, dilation, padding):
    span = dilation * (k - 1) + 1
    if padding == "same":
        return math.ceil(size / stride)
    if padding == "valid":
        return (size - span) // stride + 1
    raise ValueError(f"padding must be 'same' or 'valid', not {padding!r}")


ACTIVATIONS = {None, "linear", "relu", "sigmoid", "tanh", "softmax", "gelu"}


class Layer:
    def __init__(self, name=None, **kwargs):
        if kwargs:
            raise TypeError(f"unknown arguments {sorted(kwargs)}")
        self.name = name
        self.trainable, self.non_trainable = [], []

    def compute_output_shape(self, shape):
        return shape

    def __call__(self, x):
        inputs = x if isinstance(x, list) else [x]
        self.output_shape = self.compute_output_shape([t.shape for t in inputs] if isinstance(x, list) else x.shape)
        return KerasTensor(self.output_shape, self, inputs)


def _image(shape, layer):
    if len(shape) != 4:
        raise ValueError(f"{layer} expects a 4-D batch (N, H, W, C), got {shape}")
    return shape


class Conv2D(Layer):
    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", dilation_rate=(1, 1),
                 use_bias=True, activation=None, **kwargs):
        super().__init__(**kwargs)
        if activation not in ACTIVATIONS:
            raise ValueError(f"unknown activation {activation!r}")
        self.filters, self.kernel = filters, _pair(kernel_size)
        self.strides, self.dilation, self.padding, self.use_bias = _pair(strides), _pair(dilation_rate), padding, use_bias

    def compute_output_shape(self, shape):
        n, h, w, c = _image(shape, "Conv2D")
        self.trainable = [Weight(*self.kernel, c, self.filters)] + ([Weight(self.filters)] if self.use_bias else [])
        return (n, _window(h, self.kernel[0], self.strides[0], self.dilation[0], self.padding),
                _window(w, self.kernel[1], self.strides[1], self.dilation[1], self.padding), self.filters)


class Dense(Layer):
    def __init__(self, units, use_bias=True, activation=None, **kwargs):
        super().__init__(**kwargs)
        if activation not in ACTIVATIONS:
            raise ValueError(f"unknown activation {activation!r}")
        self.units, self.use_bias = units, use_bias

    def compute_output_shape(self, shape):
        self.trainable = [Weight(shape[-1], self.units)] + ([Weight(self.units)] if self.use_bias else [])
        return (*shape[:-1], self.units)


class BatchNormalization(Layer):
    def __init__(self, axis=-1, momentum=0.99, epsilon=0.001, **kwargs):
        super().__init__(**kwargs)
        if not 0 <= momentum <= 1 or epsilon <= 0:
            raise ValueError("momentum must be in [0, 1] and epsilon above 0")

    def compute_output_shape(self, shape):
        c = shape[-1]
        self.trainable, self.non_trainable = [Weight(c), Weight(c)], [Weight(c), Weight(c)]
        return shape


class Activation(Layer):
    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        if activation not in ACTIVATIONS:
            raise ValueError(f"unknown activation {activation!r}")


class LeakyReLU(Layer):
    def __init__(self, negative_slope=0.3, **kwargs):
        super().__init__(**kwargs)


class Dropout(Layer):
    def __init__(self, rate, **kwargs):
        super().__init__(**kwargs)
        if not 0 <= rate < 1:
            raise ValueError("rate must be in [0, 1)")


class Flatten(Layer):
    def compute_output_shape(self, shape):
        return (shape[0], math.prod(shape[1:]))


class _Pooling2D(Layer):
    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", **kwargs):
        super().__init__(**kwargs)
        self.pool, self.padding = _pair(pool_size), padding
        self.strides = _pair(strides) if strides is not None else self.pool

    def compute_output_shape(self, shape):
        n, h, w, c = _image(shape, type(self).__name__)
        return (n, _window(h, self.pool[0], self.strides[0], 1, self.padding),
                _window(w, self.pool[1], self.strides[1], 1, self.padding), c)


class MaxPooling2D(_Pooling2D):
    pass


class AveragePooling2D(_Pooling2D):
    pass


class GlobalAveragePooling2D(Layer):
    def compute_output_shape(self, shape):
        n, _, _, c = _image(shape, "GlobalAveragePooling2D")
        return (n, c)


class ZeroPadding2D(Layer):
    def __init__(self, padding=(1, 1), **kwargs):
        super().__init__(**kwargs)
        (self.top, self.bottom), (self.left, self.right) = padding

    def compute_output_shape(self, shape):
        n, h, w, c = _image(shape, "ZeroPadding2D")
        return (n, h + self.top + self.bottom, w + self.left + self.right, c)


class Concatenate(Layer):
    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        if axis != -1:
            raise ValueError("only the last axis")

    def compute_output_shape(self, shapes):
        if len({s[:-1] for s in shapes}) != 1:
            raise ValueError(f"Concatenate needs the same shapes but for the last axis: {shapes}")
        return (*shapes[0][:-1], sum(s[-1] for s in shapes))


class Add(Layer):
    def compute_output_shape(self, shapes):
        if len(set(shapes)) != 1:
            raise ValueError(f"Add needs equal shapes: {shapes}")
        return shapes[0]
