"""A stand-in for Keras 3, for checking Blockwise's Keras scripts where no Keras can be installed (Debian
has no Keras 3 package and the build machines reach no PyPI).

It is not Keras: it computes what a script's model would be (each layer's output shape and weight shapes,
by Keras's documented rules) and refuses what Keras would refuse (unknown arguments, a layer applied to a
tensor of the wrong rank, duplicate layer names), so a test can build every exported script and compare
its shapes and parameter counts with Blockwise's. Only the layers and arguments Blockwise writes exist.
"""
from . import layers, ops, saving  # noqa: F401
from .layers import Input  # noqa: F401


class Model:
    def __init__(self, inputs, outputs, name=None):
        self.name = name
        self.inputs, self.outputs = [inputs], [outputs]
        seen, order = set(), []

        def visit(t):
            if t.layer is None or id(t.layer) in seen:
                return
            seen.add(id(t.layer))
            for parent in t.parents:
                visit(parent)
            order.append(t.layer)

        visit(outputs)
        names = [l.name for l in order]
        if len(names) != len(set(names)):
            raise ValueError(f"layer names are not unique: {names}")
        self.layers = order
        self.trainable_weights = [w for l in order for w in l.trainable]
        self.non_trainable_weights = [w for l in order for w in l.non_trainable]

    def summary(self):
        for l in self.layers:
            print(f"{l.name:40s} {type(l).__name__:24s} {l.output_shape}")
