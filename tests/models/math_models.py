"""Element-wise math, smooth activations and reductions: one small traced model per op family, and the networks
that need them (EfficientNet: silu), each converted with the whole model on NNAPI.

Each op model puts a convolution before the op under test, so the converter holds the data channels-last (NHWC)
inside the NNAPI model, where layout mistakes show, and spreads the values over both sides of every kink.
"""
import torch
import torch.nn.functional as F
import torchvision

from model_spec import ModelSpec, seed_for, traced
from op_models import IMAGE, Fn, conv3x3, spread
from torchvision_models import IMAGE_SHAPE, randomize_batch_norms

# Compared with PyTorch through the CLI and from Python with only the runtime library loaded; the whole model in one
# NNAPI partition, no op left on the CPU.
CHECKS = ("verify", "python", "partitions")


def on_map(fn):
    """A model computing fn on a spread channels-last map (the output of a convolution)."""
    return lambda: Fn(lambda self, x: fn(spread(self.conv(x))), conv=conv3x3())


def op(name, build, inputs=(IMAGE,), checks=CHECKS):
    return ModelSpec(name=name, kind="op", inputs=list(inputs), write=traced(build), checks=checks,
                     expect_partitions=1)


def activation_models():
    activations = {
        "silu": F.silu,
        "gelu": F.gelu,
        "gelu_tanh": lambda x: F.gelu(x, approximate="tanh"),
    }
    return [op(name, on_map(fn)) for name, fn in activations.items()]


def network(name, constructor, checks=CHECKS, **spec_args):
    """A torchvision network with fixed-seed random weights (nothing is downloaded), wholly on NNAPI."""
    def build():
        torch.manual_seed(seed_for(name))
        model = constructor()
        randomize_batch_norms(model)
        return model.eval()
    return ModelSpec(name=name, kind="torchvision", inputs=[IMAGE_SHAPE], write=traced(build), checks=checks,
                     expect_partitions=1, **spec_args)


def network_models():
    return [
        network("efficientnet_b0", lambda: torchvision.models.efficientnet_b0(weights=None)),
        # At the default API 29 (no HARD_SWISH) MobileNetV3-Large took 172 NNAPI operations; with every
        # hardsigmoid's / 6 and its squeeze-excite + 3 folded into the weights around them, 136.
        network("mobilenet_v3_large_folded", lambda: torchvision.models.mobilenet_v3_large(weights=None),
                checks=CHECKS + ("inspect",), inspect_limits={"max_operations": 136, "max_partitions": 1}),
    ]


def specs():
    return activation_models() + network_models()
