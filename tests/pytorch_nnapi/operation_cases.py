"""One small torch module per NNAPI operation of issue 4, in every layout (NCHW, nnapi_nhwc) and dtype (float,
quint8) that PyTorch 1.13's converter (torch/backends/_nnapi/serializer.py) supports for it.

What the converter cannot express, and so is not a case:
  * quantized SUB, DIV, SOFTMAX, LOG_SOFTMAX, PRELU: no quantized form in serializer.py (eager PyTorch has no
    quint8 softmax at all);
  * NCHW QUANTIZE: the converter insists on nnapi_nhwc float input;
  * nnapi_nhwc EXPAND_DIMS: the converter asserts a contiguous input;
  * cases on tensors that are not 4-D exist only as "nchw" (nnapi_nhwc only means something for 4-D tensors);
    FULLY_CONNECTED's nnapi_nhwc case flattens an (N, C, 1, 1) input first.
Where the converter emits a correct model only for some shapes (it forgets to remap an axis for NHWC), the
case picks such a shape and says why.
"""
import math
from dataclasses import dataclass
from typing import Callable, List, Optional, Tuple

import torch
import torch.nn.functional as F

from nnapi_harness import (FLOAT, FLOAT32_UNIT_ROUNDOFF, NCHW, NHWC, QUANT, as_layout, random_input,
                           summation_atol)

FloatTolerance = Callable[[torch.nn.Module, List[torch.Tensor]], float]


@dataclass(frozen=True)
class OperationCase:
    operation: str       # the NNAPI operation the converted model must contain
    variant: str
    layout: str          # NCHW, NHWC, or "mixed"
    dtype: str           # FLOAT or QUANT (of the inputs)
    build: Callable[[], Tuple[torch.nn.Module, List[torch.Tensor]]]
    # Per input, the PyTorch dimensions converted as flexible (0); None for fixed shapes.
    flexible_dims: Optional[Tuple[Tuple[int, ...], ...]] = None
    # Absolute tolerance for float outputs when allclose's default atol cannot hold (see each use).
    float_atol: Optional[FloatTolerance] = None

    @property
    def name(self):
        flexible = ".flexible" if self.flexible_dims else ""
        return f"{self.operation}.{self.variant}.{self.layout}.{self.dtype}{flexible}"


class Function(torch.nn.Module):
    """Makes a plain function of tensors traceable as a module."""

    def __init__(self, function):
        super().__init__()
        self.function = function

    def forward(self, *inputs):
        return self.function(*inputs)


def eval_module(module):
    return module.eval()


def quantized_module(float_module, calibration_input, fuse=None):
    """Eager post-training quantization with QNNPACK's default qconfig, calibrated on `calibration_input`.
    The returned module takes and returns quint8 tensors (no Quant/DeQuant stubs)."""
    wrapped = float_module if isinstance(float_module, torch.nn.Sequential) else torch.nn.Sequential(float_module)
    wrapped.eval()
    if fuse is not None:
        torch.ao.quantization.fuse_modules(wrapped, fuse, inplace=True)
    wrapped.qconfig = torch.ao.quantization.get_default_qconfig("qnnpack")
    torch.ao.quantization.prepare(wrapped, inplace=True)
    with torch.no_grad():
        wrapped(calibration_input)
    torch.ao.quantization.convert(wrapped, inplace=True)
    return wrapped


def float_or_quantized(float_module, layout, dtype, shape, fuse=None):
    """`float_module` with a random input of `shape`, or its quantized form with a quint8 input."""
    float_input = torch.randn(shape)
    if dtype == FLOAT:
        return eval_module(float_module), [as_layout(float_input, layout)]
    module = quantized_module(float_module, float_input, fuse)
    quantized_input = torch.quantize_per_tensor(float_input, 1.0 / 16, 128, torch.quint8)
    return module, [as_layout(quantized_input, layout)]


def cases_for(operation, variant, build, layouts=(NCHW, NHWC), dtypes=(FLOAT, QUANT), **options):
    """The case `build(layout, dtype)` in every combination of `layouts` and `dtypes`."""
    return [OperationCase(operation, variant, layout, dtype,
                          (lambda layout=layout, dtype=dtype: build(layout, dtype)), **options)
            for dtype in dtypes for layout in layouts]


# ---------------------------------------------------------------------------------------------------------
# Tolerances. Exact operations (ADD, MUL, RELU, pooling maxima, data movement...) keep allclose's defaults.

def conv_atol(module, inputs):
    """A convolution output is a sum of Cin/groups·kh·kw products plus the bias: summation_atol."""
    bias = None if module.bias is None else module.bias.abs()
    magnitudes = F.conv2d(inputs[0].abs(), module.weight.abs(), bias, module.stride, module.padding,
                          module.dilation, module.groups)
    return summation_atol(magnitudes.max(), module.weight[0].numel() + 1)


def transpose_conv_atol(module, inputs):
    """Each transposed-convolution output sums at most Cin·kh·kw products plus the bias."""
    magnitudes = F.conv_transpose2d(inputs[0].abs(), module.weight.abs(), module.bias.abs(), module.stride,
                                    module.padding)
    return summation_atol(magnitudes.max(), module.weight.shape[0] * module.weight[0, 0].numel() + 1)


def linear_atol(module, inputs):
    """A fully-connected output is a sum of in_features products plus the bias."""
    linear = module.linear
    flat = inputs[0].reshape(inputs[0].shape[0], -1)
    magnitudes = F.linear(flat.abs(), linear.weight.abs(), linear.bias.abs())
    return summation_atol(magnitudes.max(), linear.in_features + 1)


def averaging_atol(window):
    """An average is a sum of `window` values then a division: summation_atol with window + 1 operations,
    relative to the largest mean magnitude (bounded by the largest input magnitude)."""
    def atol(module, inputs):
        return summation_atol(inputs[0].abs().max(), window + 1)
    return atol


def log_softmax_atol(axis_length):
    """log_softmax(x)_i = (x_i - m) - log Σ exp(x_j - m): the Σ of exps errs by ≤ (n + 4)·u relative (4u per
    exp, n roundings of the sum), which the log turns into an absolute (n + 4)·u; the two subtractions add
    ≤ u·(|x_i - m| + log Σ) each, with |x_i - m| ≤ 2·max|x| and log Σ ≤ log n + ... all doubled for two
    implementations."""
    def atol(module, inputs):
        magnitude = 2.0 * float(inputs[0].abs().max()) + math.log(axis_length)
        return 2.0 * FLOAT32_UNIT_ROUNDOFF * ((axis_length + 4) + 2.0 * magnitude)
    return atol


# ---------------------------------------------------------------------------------------------------------
# Element-wise binary: ADD, SUB, MUL, DIV.

FLOAT_BINARY = {
    "ADD": lambda lhs, rhs: lhs + rhs,
    "SUB": lambda lhs, rhs: lhs - rhs,
    "MUL": lambda lhs, rhs: lhs * rhs,
    "DIV": lambda lhs, rhs: lhs / rhs,
}


def binary_float(operation, rhs_shape):
    def build(layout, dtype):
        lhs = random_input((2, 3, 4, 5), layout, FLOAT)
        rhs = torch.randn(rhs_shape)
        if operation == "DIV":  # keep divisors away from 0: |rhs| in [0.5, 1.5]
            rhs = torch.sign(rhs) * (0.5 + torch.rand(rhs_shape))
        return eval_module(Function(FLOAT_BINARY[operation])), [lhs, as_layout(rhs, layout)]
    return build


def binary_quantized(method, rhs_shape, scale=0.1, zero_point=120):
    """quantized::add / add_relu / mul via QFunctional, output quantized to (scale, zero_point)."""
    def build(layout, dtype):
        functional = torch.nn.quantized.QFunctional()
        functional.scale, functional.zero_point = scale, zero_point
        operation = getattr(functional, method)
        lhs = random_input((2, 3, 4, 5), layout, QUANT, scale=0.05, zero_point=128)
        rhs = random_input(rhs_shape, layout, QUANT, scale=0.04, zero_point=130)
        return eval_module(Function(operation)), [lhs, rhs]
    return build


def sum_and_difference(layout, dtype):
    """Two model outputs (a tuple): the binding sets and reads back output indices 0 and 1."""
    lhs, rhs = (random_input((2, 3, 4, 5), layout, FLOAT) for _ in range(2))
    return eval_module(Function(lambda a, b: (a + b, a - b))), [lhs, rhs]


def binary_cases():
    cases = []
    for operation in FLOAT_BINARY:
        cases += cases_for(operation, "same_shape", binary_float(operation, (2, 3, 4, 5)), dtypes=(FLOAT,))
        cases += cases_for(operation, "broadcast", binary_float(operation, (1, 3, 1, 5)), dtypes=(FLOAT,))
    cases += cases_for("ADD", "same_shape", binary_quantized("add", (2, 3, 4, 5)), dtypes=(QUANT,))
    cases += cases_for("ADD", "fused_relu", binary_quantized("add_relu", (2, 3, 4, 5)), dtypes=(QUANT,))
    cases += cases_for("MUL", "same_shape", binary_quantized("mul", (2, 3, 4, 5), 0.05, 128), dtypes=(QUANT,))
    cases += cases_for("MUL", "broadcast", binary_quantized("mul", (1, 3, 1, 5), 0.05, 128), dtypes=(QUANT,))
    cases += cases_for("SUB", "second_of_two_outputs", sum_and_difference, dtypes=(FLOAT,))
    # Both inputs flexible in batch, height and width.
    cases += cases_for("ADD", "same_shape", binary_float("ADD", (2, 3, 4, 5)), layouts=(NHWC,),
                       dtypes=(FLOAT,), flexible_dims=((0, 2, 3), (0, 2, 3)))
    return cases


# ---------------------------------------------------------------------------------------------------------
# Element-wise unary: RELU, RELU1, RELU6 (hardtanh(-1, 1) / hardtanh(0, 6)), LOGISTIC.

UNARY = {
    "RELU": torch.nn.ReLU,
    "RELU1": lambda: torch.nn.Hardtanh(-1.0, 1.0),
    "RELU6": lambda: torch.nn.Hardtanh(0.0, 6.0),
    "LOGISTIC": torch.nn.Sigmoid,
}


def unary(operation, shape=(2, 3, 4, 5)):
    def build(layout, dtype):
        # Scale 0.06 around zero point 128 spans [-7.7, 7.6], so RELU6's upper clamp is reached.
        values = 3.0 * torch.randn(shape)
        if dtype == QUANT:
            values = torch.quantize_per_tensor(values, 0.06, 128, torch.quint8)
        return eval_module(UNARY[operation]()), [as_layout(values, layout)]
    return build


def unary_cases():
    cases = []
    for operation in UNARY:
        cases += cases_for(operation, "4d", unary(operation))
    cases += cases_for("RELU", "4d", unary("RELU"), layouts=(NCHW,), dtypes=(FLOAT,), flexible_dims=((0, 2, 3),))
    cases += cases_for("LOGISTIC", "4d", unary("LOGISTIC"), layouts=(NHWC,), dtypes=(QUANT,),
                       flexible_dims=((0, 2, 3),))
    return cases


# ---------------------------------------------------------------------------------------------------------
# SOFTMAX, LOG_SOFTMAX (float only).

def softmax(module_class, shape, dim):
    def build(layout, dtype):
        return eval_module(module_class(dim=dim)), [random_input(shape, layout, FLOAT)]
    return build


def softmax_cases():
    cases = []
    for operation, module_class, atol in (("SOFTMAX", torch.nn.Softmax, None),
                                          ("LOG_SOFTMAX", torch.nn.LogSoftmax, log_softmax_atol)):
        cases += cases_for(operation, "2d_last_axis", softmax(module_class, (3, 10), 1), layouts=(NCHW,),
                           dtypes=(FLOAT,), float_atol=atol and atol(10))
        cases += cases_for(operation, "4d_channel_axis", softmax(module_class, (2, 3, 4, 5), 1),
                           layouts=(NCHW,), dtypes=(FLOAT,), float_atol=atol and atol(3))
        # The converter passes the PyTorch axis unchanged to an NHWC operand, so only the batch axis (same
        # position in both orders) describes the same computation.
        cases += cases_for(operation, "4d_batch_axis", softmax(module_class, (3, 2, 4, 5), 0),
                           layouts=(NHWC,), dtypes=(FLOAT,), float_atol=atol and atol(3))
    cases += cases_for("SOFTMAX", "2d_last_axis", softmax(torch.nn.Softmax, (3, 10), 1), layouts=(NCHW,),
                       dtypes=(FLOAT,), flexible_dims=((0, 1),))
    return cases


# ---------------------------------------------------------------------------------------------------------
# CONV_2D, DEPTHWISE_CONV_2D, TRANSPOSE_CONV_2D.

def conv(in_channels, out_channels, kernel, input_shape, fuse_relu=False, **conv_options):
    def build(layout, dtype):
        convolution = torch.nn.Conv2d(in_channels, out_channels, kernel, **conv_options)
        if fuse_relu:
            return float_or_quantized(torch.nn.Sequential(convolution, torch.nn.ReLU()), layout, dtype,
                                      input_shape, fuse=[["0", "1"]])
        return float_or_quantized(convolution, layout, dtype, input_shape)
    return build


def transpose_conv(in_channels, out_channels, kernel, input_shape, **conv_options):
    def build(layout, dtype):
        module = torch.nn.ConvTranspose2d(in_channels, out_channels, kernel, **conv_options)
        return float_or_quantized(module, layout, dtype, input_shape)
    return build


def convolution_cases():
    cases = []
    for variant, build in (
            ("3x3_pad1", conv(4, 6, 3, (2, 4, 8, 8), padding=1)),
            ("3x3_stride2_nobias", conv(4, 8, 3, (1, 4, 9, 9), stride=2, bias=False)),
            ("1x1", conv(8, 4, 1, (2, 8, 5, 5))),
            ("5x3_pad2x1", conv(3, 5, (5, 3), (1, 3, 7, 6), padding=(2, 1)))):
        cases += cases_for("CONV_2D", variant, build, float_atol=conv_atol)
    cases += cases_for("CONV_2D", "3x3_fused_relu", conv(4, 6, 3, (2, 4, 8, 8), fuse_relu=True, padding=1),
                       dtypes=(QUANT,))
    cases += cases_for("CONV_2D", "3x3_pad1", conv(4, 6, 3, (2, 4, 8, 8), padding=1), layouts=(NCHW,),
                       dtypes=(FLOAT,), flexible_dims=((0, 2, 3),), float_atol=conv_atol)
    cases += cases_for("CONV_2D", "3x3_pad1", conv(4, 6, 3, (2, 4, 8, 8), padding=1), layouts=(NHWC,),
                       dtypes=(QUANT,), flexible_dims=((0, 2, 3),))

    for variant, build in (
            ("3x3_pad1", conv(6, 6, 3, (2, 6, 7, 7), padding=1, groups=6)),
            ("3x3_stride2", conv(4, 4, 3, (1, 4, 9, 9), stride=2, groups=4))):
        cases += cases_for("DEPTHWISE_CONV_2D", variant, build, float_atol=conv_atol)
    cases += cases_for("DEPTHWISE_CONV_2D", "3x3_pad1", conv(6, 6, 3, (2, 6, 7, 7), padding=1, groups=6),
                       layouts=(NHWC,), dtypes=(FLOAT,), flexible_dims=((0, 2, 3),), float_atol=conv_atol)

    for variant, build in (
            ("2x2", transpose_conv(5, 7, 2, (2, 5, 3, 3))),
            ("3x3_stride2_pad1", transpose_conv(4, 3, 3, (1, 4, 5, 5), stride=2, padding=1))):
        cases += cases_for("TRANSPOSE_CONV_2D", variant, build, float_atol=transpose_conv_atol)
    cases += cases_for("TRANSPOSE_CONV_2D", "2x2", transpose_conv(5, 7, 2, (2, 5, 3, 3)), layouts=(NHWC,),
                       dtypes=(FLOAT,), flexible_dims=((2, 3),), float_atol=transpose_conv_atol)
    return cases


# ---------------------------------------------------------------------------------------------------------
# AVERAGE_POOL_2D, MAX_POOL_2D.

def pool(module_factory, input_shape=(2, 3, 8, 8)):
    def build(layout, dtype):
        return eval_module(module_factory()), [random_input(input_shape, layout, dtype)]
    return build


def pooling_cases():
    cases = []
    # No padded average pools: PyTorch counts the padding (count_include_pad=True, the only form the converter
    # accepts) while NNAPI averages over the valid elements only.
    cases += cases_for("AVERAGE_POOL_2D", "2x2", pool(lambda: torch.nn.AvgPool2d(2)),
                       float_atol=averaging_atol(4))
    cases += cases_for("AVERAGE_POOL_2D", "3x2_stride1x2", pool(lambda: torch.nn.AvgPool2d((3, 2), (1, 2))),
                       float_atol=averaging_atol(6))
    cases += cases_for("AVERAGE_POOL_2D", "global", pool(lambda: torch.nn.AdaptiveAvgPool2d((1, 1))),
                       float_atol=averaging_atol(64))
    cases += cases_for("AVERAGE_POOL_2D", "2x2", pool(lambda: torch.nn.AvgPool2d(2)), layouts=(NHWC,),
                       flexible_dims=((2, 3),), float_atol=averaging_atol(4))
    cases += cases_for("MAX_POOL_2D", "2x2", pool(lambda: torch.nn.MaxPool2d(2)))
    cases += cases_for("MAX_POOL_2D", "3x3_stride2_pad1", pool(lambda: torch.nn.MaxPool2d(3, 2, padding=1)))
    return cases


# ---------------------------------------------------------------------------------------------------------
# FULLY_CONNECTED.

class FlattenLinear(torch.nn.Module):
    """flatten then linear: with an nnapi_nhwc (N, C, 1, 1) input the converter emits RESHAPE + FULLY_CONNECTED."""

    def __init__(self, in_features, out_features):
        super().__init__()
        self.flatten = torch.nn.Flatten()
        self.linear = torch.nn.Linear(in_features, out_features)

    def forward(self, x):
        return self.linear(self.flatten(x))


def fully_connected(input_shape, out_features=8):
    def build(layout, dtype):
        module = FlattenLinear(math.prod(input_shape[1:]), out_features)
        return float_or_quantized(module, layout, dtype, input_shape)
    return build


def fully_connected_cases():
    cases = cases_for("FULLY_CONNECTED", "2d", fully_connected((3, 16)), layouts=(NCHW,), float_atol=linear_atol)
    cases += cases_for("FULLY_CONNECTED", "flattened_4d", fully_connected((3, 16, 1, 1)), layouts=(NHWC,),
                       float_atol=linear_atol)
    cases += cases_for("FULLY_CONNECTED", "2d", fully_connected((3, 16)), layouts=(NCHW,), dtypes=(FLOAT,),
                       flexible_dims=((0,),), float_atol=linear_atol)
    return cases


# ---------------------------------------------------------------------------------------------------------
# Data movement: RESHAPE, CONCATENATION, STRIDED_SLICE, EXPAND_DIMS, TRANSPOSE.

def single_input(function, shape):
    def build(layout, dtype):
        return eval_module(Function(function)), [random_input(shape, layout, dtype)]
    return build


def concatenation(dim, second_zero_point=128):
    def build(layout, dtype):
        first = random_input((2, 3, 4, 5), layout, dtype)
        second_shape = [2, 3, 4, 5]
        second_shape[dim] = 2
        second = random_input(tuple(second_shape), layout, dtype, zero_point=second_zero_point)
        return eval_module(Function(lambda a, b: torch.cat([a, b], dim))), [first, second]
    return build


def nhwc_times_nchw_vector(layout, dtype):
    """An nnapi_nhwc feature map times a contiguous (1, C, 1, 1) tensor: the converter transposes the vector
    to NHWC with a TRANSPOSE operation before the MUL."""
    feature_map = random_input((2, 3, 4, 5), NHWC, dtype)
    vector = random_input((1, 3, 1, 1), NCHW, dtype, scale=0.04, zero_point=130)
    if dtype == FLOAT:
        return eval_module(Function(lambda a, b: a * b)), [feature_map, vector]
    functional = torch.nn.quantized.QFunctional()
    functional.scale, functional.zero_point = 0.05, 128
    return eval_module(Function(functional.mul)), [feature_map, vector]


def data_movement_cases():
    cases = []
    cases += cases_for("RESHAPE", "4d_to_2d", single_input(lambda x: x.reshape(6, 20), (2, 3, 4, 5)),
                       layouts=(NCHW,))
    # The converter reshapes an NHWC operand only to (X, -1), which flattens in NHWC order; that equals
    # PyTorch's NCHW-order flatten only when H = W = 1.
    cases += cases_for("RESHAPE", "to_batch_by_rest", single_input(lambda x: x.reshape(2, -1), (2, 6, 1, 1)),
                       layouts=(NHWC,))

    cases += cases_for("CONCATENATION", "channels", concatenation(1))
    cases += cases_for("CONCATENATION", "width", concatenation(3))
    cases += cases_for("CONCATENATION", "channels_different_zero_points", concatenation(1, 100),
                       dtypes=(QUANT,))

    cases += cases_for("STRIDED_SLICE", "3d_begin_end_step",
                       single_input(lambda t: t[1:, 1:5:2, :], (4, 6, 5)), layouts=(NCHW,))
    # The converter builds the end vector in PyTorch's (N, C, H, W) order even for an NHWC operand and does
    # not move the sliced axis; with the batch axis sliced and C = H = W the model is still right.
    cases += cases_for("STRIDED_SLICE", "4d_batch", single_input(lambda t: t[1:], (3, 4, 4, 4)),
                       layouts=(NHWC,))

    cases += cases_for("EXPAND_DIMS", "axis1", single_input(lambda t: t.unsqueeze(1), (4, 2, 3)), layouts=(NCHW,))
    cases += cases_for("EXPAND_DIMS", "last_axis", single_input(lambda t: t.unsqueeze(-1), (4, 2, 3)),
                       layouts=(NCHW,))

    cases += cases_for("TRANSPOSE", "nhwc_times_nchw_vector", nhwc_times_nchw_vector, layouts=("mixed",))
    return cases


# ---------------------------------------------------------------------------------------------------------
# MEAN, RESIZE_NEAREST_NEIGHBOR, PRELU.

def mean(dims, keepdim, shape=(2, 3, 4, 5)):
    return single_input(lambda t: torch.mean(t, dim=dims, keepdim=keepdim), shape)


def resize(**options):
    def build(layout, dtype):
        return eval_module(torch.nn.UpsamplingNearest2d(**options)), [random_input((2, 3, 4, 5), layout, dtype)]
    return build


def prelu(channels):
    def build(layout, dtype):
        module = torch.nn.PReLU(channels)
        with torch.no_grad():
            module.weight.copy_(torch.linspace(0.1, 0.4, channels))
        return eval_module(module), [random_input((2, 3, 4, 5), layout, FLOAT)]
    return build


def misc_cases():
    cases = []
    cases += cases_for("MEAN", "spatial", mean([2, 3], False), float_atol=averaging_atol(20))
    cases += cases_for("MEAN", "spatial_keepdim", mean([-1, -2], True), float_atol=averaging_atol(20))
    cases += cases_for("MEAN", "2d_last_axis", mean([1], False, (3, 7)), layouts=(NCHW,),
                       float_atol=averaging_atol(7))

    cases += cases_for("RESIZE_NEAREST_NEIGHBOR", "size_6x10", resize(size=(6, 10)))
    cases += cases_for("RESIZE_NEAREST_NEIGHBOR", "scale_2", resize(scale_factor=2.0))
    cases += cases_for("RESIZE_NEAREST_NEIGHBOR", "scale_2", resize(scale_factor=2.0), layouts=(NHWC,),
                       flexible_dims=((2, 3),))

    cases += cases_for("PRELU", "single_slope", prelu(1), dtypes=(FLOAT,))
    # Per-channel slopes: the converter supports them on NHWC operands only (the slope vector broadcasts
    # against the last axis).
    cases += cases_for("PRELU", "per_channel", prelu(3), layouts=(NHWC,), dtypes=(FLOAT,))
    cases += cases_for("PRELU", "per_channel", prelu(3), layouts=(NHWC,), dtypes=(FLOAT,),
                       flexible_dims=((2, 3),))
    return cases


# ---------------------------------------------------------------------------------------------------------
# QUANTIZE, DEQUANTIZE.

def quantize_case(layout, dtype):
    return eval_module(torch.nn.quantized.Quantize(0.05, 128, torch.quint8)), \
        [random_input((2, 3, 4, 5), layout, FLOAT)]


def dequantize_case(layout, dtype):
    return eval_module(torch.nn.quantized.DeQuantize()), [random_input((2, 3, 4, 5), layout, QUANT)]


def quantization_cases():
    cases = cases_for("QUANTIZE", "4d", quantize_case, layouts=(NHWC,), dtypes=(FLOAT,))
    cases += cases_for("DEQUANTIZE", "4d", dequantize_case, dtypes=(QUANT,))
    return cases


def all_cases():
    cases = (binary_cases() + unary_cases() + softmax_cases() + convolution_cases() + pooling_cases()
             + fully_connected_cases() + data_movement_cases() + misc_cases() + quantization_cases())
    names = [case.name for case in cases]
    duplicates = {name for name in names if names.count(name) > 1}
    assert not duplicates, f"duplicate case names: {sorted(duplicates)}"
    return cases
