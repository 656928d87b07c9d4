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
        "leaky_relu": lambda x: F.leaky_relu(x, 0.2),
        "softplus": F.softplus,
        "softplus_beta": lambda x: F.softplus(x, beta=2.0),
        "mish": F.mish,
    }
    models = [op(name, on_map(fn)) for name, fn in activations.items()]
    # ELU at API 29 is a composition; at API 30 NNAPI's ELU.
    models.append(op("elu", on_map(lambda x: F.elu(x, alpha=0.7)), checks=CHECKS + ("verify_api30",)))
    # PReLU's weight is per channel (dim 1): on the channels-last map NNAPI broadcasts it along the last axis.
    models.append(op("prelu", lambda: Fn(lambda self, x: self.act(spread(self.conv(x))), conv=conv3x3(),
                                         act=prelu(8))))
    models.append(op("prelu_flat", lambda: Fn(lambda self, x: self.act(self.fc(x)), fc=torch.nn.Linear(32, 6),
                                              act=prelu(6)), inputs=[(4, 32)]))
    return models


def prelu(channels):
    """A PReLU with random negative slopes, one per channel."""
    act = torch.nn.PReLU(channels)
    with torch.no_grad():
        act.weight.uniform_(-0.5, 0.5)
    return act


def math_models():
    functions = {
        "exp": lambda y: torch.exp(y * 0.25),
        # abs, log, sqrt, rsqrt on positive values
        "log_sqrt_rsqrt": lambda y: torch.log(y.abs() + 0.5) + torch.sqrt(y.abs()) + torch.rsqrt(y.abs() + 0.5),
        "neg_reciprocal": lambda y: -y + torch.reciprocal(y.abs() + 1),
        # 2 -> MUL, 0.5 -> SQRT, -1 -> DIV, 1.5 -> POW
        "pow": lambda y: y ** 2 + (y.abs() + 1) ** 0.5 + (y.abs() + 1) ** -1 + (y.abs() + 1) ** 1.5,
    }
    models = [op(name, on_map(fn)) for name, fn in functions.items()]

    def two_maps(self, x):
        a, b = spread(self.conv_a(x)), spread(self.conv_b(x))
        return torch.maximum(a, b) + torch.minimum(a, self.bound)

    def clamp_tensor(self, x):
        a, b = spread(self.conv_a(x)), spread(self.conv_b(x))
        return torch.clamp(a, min=b - 1, max=b + 1) + torch.clamp(b, max=self.bound)

    bound = torch.linspace(-2, 2, 8).reshape(1, 8, 1, 1)
    for name, fn in {"maximum_minimum": two_maps, "clamp_tensor": clamp_tensor}.items():
        models.append(op(name, lambda fn=fn: with_bound(Fn(fn, conv_a=conv3x3(), conv_b=conv3x3()), bound)))
    return models


def reduction_models():
    reductions = {
        # channels of the NHWC map (physical axis 3), kept as a map
        "sum_channels_keepdim": lambda y: y.sum(1, keepdim=True),
        # H and W: [N, C] in both orders
        "amax_hw": lambda y: y.amax([2, 3]),
        # W alone without keepdim: C and H kept, PyTorch's order restored first
        "amin_w": lambda y: y.amin(-1),
        "sum_mean_h_w": lambda y: y.sum([2], keepdim=True).mean(3),
    }
    return [op(name, on_map(fn)) for name, fn in reductions.items()]


def with_bound(module, bound):
    """module with a constant per-channel tensor `bound` (a buffer: traced as a constant)."""
    module.register_buffer("bound", bound)
    return module


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
        # Its CPU fallback reads the folded weights divided back (wrapper/shared_weights.h): the file holds each
        # weight once ("python" bounds its size) and "fallback" runs that path.
        network("mobilenet_v3_large_folded", lambda: torchvision.models.mobilenet_v3_large(weights=None),
                checks=CHECKS + ("inspect", "fallback"), inspect_limits={"max_operations": 136, "max_partitions": 1},
                manifest_extra={"max_size_ratio": 1.1}),
    ]


def specs():
    return activation_models() + math_models() + reduction_models() + network_models()
