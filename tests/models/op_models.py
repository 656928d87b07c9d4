"""One small traced model per supported op (or op variant), to test each lowering on its own.

Shapes are small (1x8x16x16) so the whole set converts and runs in seconds. Most models put a convolution
before the op under test: the converter then holds the data channels-last (NHWC) inside the NNAPI model, which
is where axis, broadcast and element-order mistakes show. Elementwise activations first spread the input with
`spread` so both the clipped and the linear parts of the activation are exercised whatever the input
distribution of the test (uniform [0,1) or standard normal).
"""
import torch
import torch.nn.functional as F

from model_spec import ModelSpec, scripted, traced
from torchvision_models import randomize_batch_norms

C, H, W = 8, 16, 16
IMAGE = (1, C, H, W)


def spread(x):
    """Maps [0,1) to [-4,4) and N(0,1) to N(-4, 8^2): values on both sides of every activation's kinks."""
    return (x - 0.5) * 8.0


class Fn(torch.nn.Module):
    """Wraps a function of the inputs so a one-line op test needs no class of its own."""

    def __init__(self, fn, **layers):
        super().__init__()
        self.fn = fn
        for name, layer in layers.items():
            self.add_module(name, layer)

    def forward(self, *inputs):
        return self.fn(self, *inputs)


def conv3x3(in_channels=C, out_channels=C, **kwargs):
    return torch.nn.Conv2d(in_channels, out_channels, 3, padding=1, **kwargs)


def random_batch_norm(channels):
    """A BatchNorm2d with random statistics (see torchvision_models.randomize_batch_norms)."""
    norm = torch.nn.BatchNorm2d(channels)
    randomize_batch_norms(norm)
    return norm


class AddmmLinear(torch.nn.Module):
    """torch.addmm(bias, x, weight): PyTorch's weight here is [in, out], the transpose of nn.Linear's."""

    def __init__(self, in_features, out_features):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.randn(in_features, out_features) / in_features ** 0.5)
        self.bias = torch.nn.Parameter(torch.randn(out_features))

    def forward(self, x):
        return torch.addmm(self.bias, x, self.weight)


class MatmulConstant(torch.nn.Module):
    """A plain 2-D x @ W with a constant right-hand side (no bias)."""

    def __init__(self, in_features, out_features):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.randn(in_features, out_features) / in_features ** 0.5)

    def forward(self, x):
        return torch.matmul(x, self.weight)


def op(name, build, inputs=(IMAGE,), write_strict=True, **spec_args):
    return ModelSpec(name=name, kind="op", inputs=list(inputs), write=traced(build, strict=write_strict), **spec_args)


def conv_models():
    return [
        op("conv2d_s2_p1_d2_bias", lambda: torch.nn.Conv2d(C, 16, 3, stride=2, padding=1, dilation=2)),
        op("conv2d_no_bias", lambda: conv3x3(C, 16, bias=False)),
        # Non-square kernel, stride, padding and input: catches height/width swaps in argument order.
        op("conv2d_rectangular", lambda: torch.nn.Conv2d(C, 12, (3, 5), stride=(2, 1), padding=(1, 2)),
           inputs=[(1, C, 12, 20)]),
        op("depthwise_conv2d", lambda: conv3x3(C, C, groups=C)),
        op("depthwise_conv2d_multiplier2", lambda: torch.nn.Conv2d(C, 2 * C, 3, stride=2, padding=1, groups=C)),
        # Unequal dilation: NNAPI takes dilations (w, h), PyTorch (h, w); a swap changes the output shape.
        op("conv2d_dilation_1x2", lambda: torch.nn.Conv2d(C, 12, 3, padding=(1, 2), dilation=(1, 2)),
           inputs=[(1, C, 12, 20)]),
        op("grouped_conv2d", lambda: torch.nn.Conv2d(C, 12, 3, padding=1, groups=2)),
        # In != out channels, stride, output_padding: reading the IOHW weight as OIHW cannot go unnoticed.
        op("conv_transpose2d", lambda: torch.nn.ConvTranspose2d(C, 5, 3, stride=2, padding=1, output_padding=1)),
        # Scripted, the same layer is aten::conv_transpose2d (tracing records aten::_convolution), whose arguments
        # differ from conv2d's (output_padding and groups before dilation). In a Sequential: the layer's own
        # forward also takes an optional output_size.
        ModelSpec(name="conv_transpose2d_scripted", kind="op", inputs=[IMAGE],
                  write=scripted(lambda: torch.nn.Sequential(torch.nn.ConvTranspose2d(
                      C, 6, (3, 2), stride=(2, 1), padding=(1, 0), output_padding=(1, 0))))),
    ]


def linear_models():
    return [
        op("linear", lambda: torch.nn.Linear(32, 10), inputs=[(4, 32)]),
        op("addmm", lambda: AddmmLinear(32, 10), inputs=[(4, 32)]),
        op("matmul_2d", lambda: MatmulConstant(32, 10), inputs=[(4, 32)]),
        # Both operands at run time: NNAPI's FULLY_CONNECTED wants [out, in] weights, so the right-hand side
        # needs a TRANSPOSE (BATCH_MATMUL only arrives at feature level 6).
        op("matmul_2d_two_inputs", lambda: Fn(lambda self, x, y: torch.matmul(x, y)), inputs=[(4, 32), (32, 10)]),
    ]


def activation_models():
    activations = {
        "relu": lambda x: torch.relu(x),
        "relu_inplace": lambda x: torch.relu_(x),
        "hardtanh": lambda x: F.hardtanh(x, -2.0, 3.0),
        "relu6": lambda x: F.relu6(x),
        "hardtanh_inplace": lambda x: F.hardtanh(x, -2.0, 3.0, inplace=True),
        "sigmoid": lambda x: torch.sigmoid(x),
        "tanh": lambda x: torch.tanh(x),
        "hardswish": lambda x: F.hardswish(x),
        "hardsigmoid": lambda x: F.hardsigmoid(x),
        "hardsigmoid_inplace": lambda x: F.hardsigmoid(x, inplace=True),
        # clamp's general bounds become MAXIMUM/MINIMUM, (0,6) NNAPI's RELU6; a missing bound is traced as None.
        "clamp": lambda x: torch.clamp(x, -2.0, 3.0),
        "clamp_min": lambda x: torch.clamp(x, min=-1.5),
        "clamp_max": lambda x: torch.clamp(x, max=2.0),
        "clamp_0_6": lambda x: torch.clamp(x, 0, 6),
        "clamp_inplace": lambda x: x.clamp_(-2.0, 3.0),
    }
    # Default arguments bind each activation now, not when the lambda runs.
    return [op(name, lambda act=act: Fn(lambda self, x: act(spread(x)))) for name, act in activations.items()]


def binary_models():
    """Tensor-tensor arithmetic with broadcasting: over channels ([1,8,1,1]) and over width ([16])."""
    arithmetic = {"add": torch.add, "sub": torch.sub, "mul": torch.mul, "div": torch.div}
    broadcasts = {"channel": (1, C, 1, 1), "width": (W,)}
    models = []
    for op_name, fn in arithmetic.items():
        for broadcast_name, other in broadcasts.items():
            models.append(op(f"{op_name}_broadcast_{broadcast_name}",
                             lambda fn=fn: Fn(lambda self, x, y: fn(x, y)), inputs=[IMAGE, other]))
    # The same after a convolution, so the converter must broadcast against its channels-last result.
    models.append(op("conv_add_broadcast_width", lambda: Fn(lambda self, x, y: self.conv(x) + y, conv=conv3x3()),
                     inputs=[IMAGE, (W,)]))
    models.append(op("conv_mul_broadcast_channel",
                     lambda: Fn(lambda self, x, y: self.conv(x) * y, conv=conv3x3()), inputs=[IMAGE, (1, C, 1, 1)]))
    return models


def scalar_models():
    scalar_ops = {
        "mul_scalar": lambda x: x * 2.5,
        "add_scalar": lambda x: x + 1,
        "sub_scalar": lambda x: x - 0.5,
        "rsub_scalar": lambda x: 1 - x,       # traced as aten::rsub(x, 1)
        "div_scalar": lambda x: x / 4.0,
    }
    models = [op(name, lambda fn=fn: Fn(lambda self, x: fn(x))) for name, fn in scalar_ops.items()]

    def add_inplace(self, x):
        y = x * 1.5           # a fresh tensor, so the in-place add does not modify the caller's input
        y.add_(x)
        return y
    models.append(op("add_inplace", lambda: Fn(add_inplace)))
    return models


def pool_models():
    return [
        op("max_pool2d", lambda: torch.nn.MaxPool2d(3, stride=2, padding=1)),
        op("max_pool2d_ceil", lambda: torch.nn.MaxPool2d(3, stride=2, ceil_mode=True)),
        op("max_pool2d_ceil_padding", lambda: torch.nn.MaxPool2d(3, stride=2, padding=1, ceil_mode=True)),
        op("avg_pool2d", lambda: torch.nn.AvgPool2d(2, stride=2)),
        op("avg_pool2d_padding_exclude", lambda: torch.nn.AvgPool2d(3, stride=1, padding=1, count_include_pad=False)),
        # PyTorch's default counts the zero padding in the divisor at the borders; NNAPI's AVERAGE_POOL_2D
        # never does, so the converter pads explicitly first.
        op("avg_pool2d_padding_include", lambda: torch.nn.AvgPool2d(3, stride=2, padding=1)),
        op("adaptive_avg_pool2d_1x1",
           lambda: Fn(lambda self, x: F.adaptive_avg_pool2d(self.conv(x), 1), conv=conv3x3())),
    ]


def shape_models():
    flat = C // 2 * H * W
    return [
        # Flatten of a channels-last map must still produce PyTorch's channel-major element order. NNAPI reads the
        # linear weight's columns reordered to (H, W, C); the CPU fallback reads PyTorch's weight back from that
        # one copy ("fallback" runs it, the file is bounded at about the original's size; the linear weight is
        # most of it, so a second copy would make the file about twice the original).
        op("flatten_linear", lambda: Fn(lambda self, x: self.fc(torch.flatten(self.conv(x), 1)),
                                        conv=conv3x3(C, C // 2), fc=torch.nn.Linear(flat, 10)),
           checks=("verify", "python", "python_stock", "flexible_batch", "fallback"),
           manifest_extra={"max_size_ratio": 1.1}),
        op("view", lambda: Fn(lambda self, x: x.view(1, C, H * W))),
        op("conv_reshape", lambda: Fn(lambda self, x: self.conv(x).reshape(1, C // 2, 8, 2 * W),
                                      conv=conv3x3(C, C // 2))),
        # x.size(0) is traced as aten::size + shape arithmetic, not a constant. With a flexible batch it is known
        # only at run time: size and view stay on the CPU between two partitions.
        op("view_size0_linear", lambda: Fn(lambda self, x: self.fc(self.conv(x).view(x.size(0), -1)),
                                           conv=conv3x3(C, C // 2), fc=torch.nn.Linear(flat, 10)),
           checks=("verify", "python", "flexible_batch")),
        op("cat_channels", lambda: Fn(lambda self, x: torch.cat([self.a(x), self.b(x)], 1),
                                      a=conv3x3(C, 4), b=conv3x3(C, 6))),
        op("mean_hw_keepdim", lambda: Fn(lambda self, x: self.conv(x).mean([2, 3], keepdim=True), conv=conv3x3())),
        # MEAN needs feature level 2: converted for API 30 and run on a feature-level-1 device, it must fall back to
        # the CPU with a warning (the warning the verify_apiNN checks require to be absent). One partition: the
        # fallback checks count the desktop NNAPI's refusals.
        op("mean_hw", lambda: Fn(lambda self, x: self.conv(x).mean([2, 3]), conv=conv3x3()),
           checks=("verify", "verify_fallback_warns", "fallback", "no_cpu_fallback")),
        op("softmax", lambda: Fn(lambda self, x: torch.softmax(self.fc(x), dim=1), fc=torch.nn.Linear(32, 10)),
           inputs=[(2, 32)]),
        op("log_softmax", lambda: Fn(lambda self, x: torch.log_softmax(self.fc(x), dim=1), fc=torch.nn.Linear(32, 10)),
           inputs=[(2, 32)]),
    ]


class ShapeArithmetic(torch.nn.Module):
    """Shape arithmetic as models write it: unpacking size(), floor division, numel, int(), float(), indexing
    x.shape. All of it is known from --input, so it must be evaluated at convert time and never listed as an op on
    the CPU (traced, it records NumToTensor/Int; scripted, ListUnpack/floordiv/__getitem__/Float)."""

    def __init__(self):
        super().__init__()
        self.conv = conv3x3()

    def forward(self, x):
        y = self.conv(x)
        n, c, h, w = y.size()
        half = c // 2
        k = int(y.numel() / (h * w))
        shape = y.shape
        z = y.reshape(n, k, shape[2] * shape[3])
        return z * float(half) + y.size(-1)


def shape_arithmetic_models():
    checks = ("verify", "python", "partitions")
    return [ModelSpec(name="shape_arithmetic_traced", kind="op", inputs=[IMAGE], write=traced(ShapeArithmetic),
                      checks=checks),
            ModelSpec(name="shape_arithmetic_scripted", kind="op", inputs=[IMAGE], write=scripted(ShapeArithmetic),
                      checks=checks)]


def structure_models():
    def two_inputs(self, x, y):
        a = self.conv_x(x)
        b = self.conv_y(y)
        return a * b + a

    def tuple_output(self, x):
        features = torch.relu(self.conv(x))
        pooled = torch.flatten(F.adaptive_avg_pool2d(features, 1), 1)
        return features, self.fc(pooled)

    return [
        op("batch_norm", lambda: random_batch_norm(C)),
        op("two_inputs", lambda: Fn(two_inputs, conv_x=torch.nn.Conv2d(C, C, 3, stride=2, padding=1),
                                    conv_y=torch.nn.Conv2d(4, C, 1)),
           inputs=[IMAGE, (1, 4, H // 2, W // 2)], checks=("verify", "verify_nhwc", "python", "python_nhwc")),
        op("tuple_output", lambda: Fn(tuple_output, conv=conv3x3(), fc=torch.nn.Linear(C, 10)),
           checks=("verify", "python", "verify_json")),
        # forward returns List[Tensor] (traced: a prim::ListConstruct output): the converted module returns a list.
        # forward returns Dict[str, Tensor] (traced with strict=False, as torchvision's segmentation networks must
        # be): the converted module returns a dict with the same keys in the same order.
        op("dict_output", lambda: Fn(lambda self, x: {"out": torch.relu(self.conv(x)), "aux": torch.sigmoid(x)},
                                     conv=conv3x3()),
           write_strict=False, checks=("verify", "python", "partitions")),
        op("list_output", lambda: Fn(lambda self, x: [torch.relu(self.conv(x)), torch.sigmoid(self.conv(x))],
                                     conv=conv3x3()),
           checks=("verify", "python", "verify_json")),
    ]


def specs():
    return (conv_models() + linear_models() + activation_models() + binary_models() + scalar_models()
            + pool_models() + shape_models() + shape_arithmetic_models() + structure_models())
