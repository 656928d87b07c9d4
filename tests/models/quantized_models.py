"""Statically quantized models (quint8 activations, qint8 weights), quantized the two ways PyTorch documents,
each calibrated on a few batches of random inputs (fixed seeds, nothing is downloaded).

- Eager mode (torch.ao.quantization: QuantStub/DeQuantStub, fuse, qconfig, prepare, calibrate, convert):
  torchvision's quantizable MobileNetV2 and ResNet18, each with per-tensor weights (the qnnpack qconfig) and with
  per-channel symmetric weights (the fbgemm qconfig), and MobileNetV3-Large (hardswish, squeeze-excite) per-tensor;
  one small CNN scripted (torch.jit.script) instead of traced; and one small model per quantized op family
  (QuantStub -> op(s) -> DeQuantStub).
- FX graph mode (prepare_fx/convert_fx with the qnnpack QConfigMapping): torchvision ResNet18 and a small CNN
  written with functional ops, traced after convert_fx.

PyTorch runs them with the qnnpack engine (set before calibrating and tracing), whose rounding is the closest to
NNAPI's. Random networks need care to be worth comparing: torchvision initialises classifiers with tiny weights,
so the quantized logits of a random network can all be zero. The networks are re-initialised (He-normal
convolutions, unit-gain linear layers, random BatchNorm statistics), and every writer checks that the output on
the example inputs is not constant.

Besides NAME.pt each writer saves NAME.float.pt, the model's float twin: the same float network as it was before
quantization (after eager-mode fusion), traced (or scripted) the same way. The "quantized_strict" check converts
both and compares their NNAPI operation counts (a quantized network should need about as many NNAPI operations as
its float twin: QUANTIZE and DEQUANTIZE at the ends, everything else one for one). The manifest also records the
scale of every output (the scale of the quantized tensor a float output was dequantized from), so a float output's
difference can be given in steps of that scale (LSB).
"""
import contextlib
import copy
import warnings

import torch
import torch.nn.functional as F
import torchvision
from torch.ao import quantization as tq
from torch.ao.quantization.quantize_fx import convert_fx, prepare_fx

from model_spec import ModelSpec

ENGINE = "qnnpack"
IMAGE = (1, 3, 224, 224)
C, H, W = 8, 16, 16
SMALL = (1, C, H, W)

# Calibration: this many batches of random inputs, of this batch size (networks: 224x224 images).
NETWORK_CALIBRATION = (2, 2)
SMALL_CALIBRATION = (4, 4)

PER_TENSOR = "per_tensor"    # get_default_qconfig("qnnpack"): qint8 weights per tensor, symmetric
PER_CHANNEL = "per_channel"  # get_default_qconfig("fbgemm"): qint8 weights per output channel, symmetric

# Per-op models: a float output may differ from PyTorch's by at most this many steps of its scale in the
# "quantized_strict" check (PyTorch's kernels and NNAPI's round requantization differently by one step; a
# second op can add a step). Networks compound differences; their LSB difference is printed, not bounded.
OP_MAX_LSB = 2


def qconfig(weights):
    if weights == PER_TENSOR:
        return tq.get_default_qconfig("qnnpack")
    if weights == PER_CHANNEL:
        return tq.get_default_qconfig("fbgemm")
    raise ValueError(weights)


# Per-channel symmetric weights with full-range activations (fbgemm's qconfig reduces activations to 7 bits).
PER_CHANNEL_FULL_RANGE = tq.QConfig(activation=tq.HistogramObserver.with_args(reduce_range=False),
                                    weight=tq.default_per_channel_weight_observer)


@contextlib.contextmanager
def quantization_engine():
    """Selects the qnnpack engine and silences the observers' deprecation chatter."""
    previous = torch.backends.quantized.engine
    torch.backends.quantized.engine = ENGINE
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            yield
    finally:
        torch.backends.quantized.engine = previous


def calibrate(model, input_shapes, batches):
    """Runs `model` (prepared, with observers) on `count` random batches of `size` inputs each."""
    count, size = batches
    with torch.no_grad():
        for _ in range(count):
            model(*[torch.randn((size,) + tuple(shape[1:])) for shape in input_shapes])


@contextlib.contextmanager
def recorded_dequantizations(record):
    """Records (result, scale) for every Tensor.dequantize() called from Python (nnq.DeQuantize and FX's converted
    code both call it), so an output's scale can be found by identity."""
    original = torch.Tensor.dequantize

    def dequantize(self):
        result = original(self)
        if self.is_quantized and self.qscheme() in (torch.per_tensor_affine, torch.per_tensor_symmetric):
            record.append((result, float(self.q_scale())))
        return result

    torch.Tensor.dequantize = dequantize
    try:
        yield
    finally:
        torch.Tensor.dequantize = original


def output_scales(model, example_inputs):
    """Per output of the quantized Python model: its scale (a quantized output), the scale of the quantized tensor it
    was dequantized from (a float output), or None. Also checks every output varies: a constant output (a random
    network whose logits all quantize to the same value) makes any comparison pass."""
    record = []
    with torch.no_grad(), recorded_dequantizations(record):
        outputs = model(*example_inputs)
    outputs = outputs if isinstance(outputs, tuple) else (outputs,)
    scales = []
    for index, output in enumerate(outputs):
        values = output.dequantize() if output.is_quantized else output
        levels = values.unique().numel()
        if not values.std().item() > 0 or levels < 3:
            raise RuntimeError(f"quantized output {index} is (nearly) constant: std {values.std().item():g}, "
                               f"{levels} distinct values")
        if output.is_quantized:
            scales.append(float(output.q_scale()))
        else:
            scales.append(next((scale for result, scale in record if result is output), None))
    return scales


def float_twin_path(path):
    return path[:-len(".pt")] + ".float.pt"


def save(module, path, example_inputs, script):
    with torch.no_grad():
        saved = torch.jit.script(module) if script else torch.jit.trace(module, tuple(example_inputs))
    saved.save(path)


def eager_writer(build, config, input_shapes, batches, script=False, extra=None):
    """A `write` function: build() gives a float model in eval mode with QuantStub/DeQuantStub and, if it can fuse,
    a fuse_model() method; it is fused, given `config` (a QConfig, or a function of the model that sets qconfigs
    itself), prepared, calibrated and converted in eager mode, then traced (or scripted). Saves the float twin
    (fused, not quantized) too, and puts the output scales into `extra` (the spec's manifest additions)."""
    def write(path, example_inputs):
        with quantization_engine():
            model = build().eval()
            if hasattr(model, "fuse_model"):
                model.fuse_model()
            save(copy.deepcopy(model), float_twin_path(path), example_inputs, script)
            if callable(config):
                config(model)
            else:
                model.qconfig = config
            tq.prepare(model, inplace=True)
            calibrate(model, input_shapes, batches)
            tq.convert(model, inplace=True)
            extra["output_scales"] = output_scales(model, example_inputs)
            save(model, path, example_inputs, script)
    return write


def fx_writer(build, input_shapes, batches, extra=None):
    """A `write` function: build() gives a float model in eval mode; quantized in FX graph mode with the qnnpack
    QConfigMapping, calibrated, converted, traced. Saves the float twin (the float model) too."""
    def write(path, example_inputs):
        with quantization_engine():
            model = build().eval()
            save(copy.deepcopy(model), float_twin_path(path), example_inputs, script=False)
            prepared = prepare_fx(model, tq.get_default_qconfig_mapping(ENGINE), example_inputs=tuple(example_inputs))
            calibrate(prepared, input_shapes, batches)
            quantized = convert_fx(prepared)
            extra["output_scales"] = output_scales(quantized, example_inputs)
            save(quantized, path, example_inputs, script=False)
    return write


# ---- Networks -------------------------------------------------------------------------------------------------

# MobileNets' inverted residual blocks add their branch to the block's input scaled by this (the last BatchNorm's
# weight and bias), as trained MobileNets roughly do: with branches as strong as the input, a deep random MobileNet
# amplifies every rounding difference from block to block, so much that PyTorch's own quantized engines (qnnpack
# and onednn) disagree on its logits (cosine 0.98, different top-1), and no comparison can judge a converter on it.
RESIDUAL_BRANCH_GAIN = 0.2


def reinitialize(network, input_shape):
    """He-normal convolutions (fan in), linear layers with unit gain (std 1/sqrt(fan in)), small random biases, and
    BatchNorm with random affine parameters and the statistics of a batch of random inputs (what training would
    give it: every normalised activation has about unit scale, where made-up statistics let a deep random network's
    activations grow by orders of magnitude), all from torch's global generator, so the logits spread over several
    units and folding BatchNorm into the convolutions is not a no-op. Inverted residual branches are damped by
    RESIDUAL_BRANCH_GAIN."""
    def uniform(tensor, low, high):
        return torch.rand(tensor.shape) * (high - low) + low

    batch_norms = [layer for layer in network.modules() if isinstance(layer, torch.nn.modules.batchnorm._BatchNorm)]
    with torch.no_grad():
        for layer in network.modules():
            if isinstance(layer, torch.nn.Conv2d):
                torch.nn.init.kaiming_normal_(layer.weight, mode="fan_in", nonlinearity="relu")
                if layer.bias is not None:
                    layer.bias.copy_(uniform(layer.bias, -0.1, 0.1))
            elif isinstance(layer, torch.nn.Linear):
                torch.nn.init.normal_(layer.weight, std=layer.in_features ** -0.5)
                layer.bias.copy_(uniform(layer.bias, -0.1, 0.1))
        for layer in batch_norms:
            layer.weight.copy_(uniform(layer.weight, 0.5, 1.5))
            layer.bias.copy_(uniform(layer.bias, -0.25, 0.25))
            layer.reset_running_stats()
            layer.momentum = None  # a cumulative average: the statistics of the batch below
        if batch_norms:
            network.eval()
            for layer in batch_norms:
                layer.train()
            network(torch.randn((2,) + tuple(input_shape[1:])))
        # After the statistics, so the next block's BatchNorm does not undo it: the branch's output shrinks.
        for block in network.modules():
            if getattr(block, "use_res_connect", False):
                last = [layer for layer in block.modules() if isinstance(layer, torch.nn.BatchNorm2d)][-1]
                last.weight.mul_(RESIDUAL_BRANCH_GAIN)
                last.bias.mul_(RESIDUAL_BRANCH_GAIN)
    return network.eval()


QUANTIZABLE = {
    "mobilenet_v2": lambda: torchvision.models.quantization.mobilenet_v2(weights=None, quantize=False),
    "resnet18": lambda: torchvision.models.quantization.resnet18(weights=None, quantize=False),
    "mobilenet_v3_large": lambda: torchvision.models.quantization.mobilenet_v3_large(weights=None, quantize=False),
}


def quantizable(name):
    return lambda: reinitialize(QUANTIZABLE[name](), IMAGE)


def fx_resnet18():
    return reinitialize(torchvision.models.resnet18(weights=None), IMAGE)


class SmallCnn(torch.nn.Module):
    """For FX graph mode: functional ops (relu, max pool, add, cat, flatten) between modules."""

    def __init__(self):
        super().__init__()
        self.stem = torch.nn.Conv2d(3, 16, 3, stride=2, padding=1)
        self.bn = torch.nn.BatchNorm2d(16)
        self.branch_a = torch.nn.Conv2d(16, 16, 3, padding=1)
        self.branch_b = torch.nn.Conv2d(16, 8, 1)
        self.depthwise = torch.nn.Conv2d(24, 24, 3, padding=1, groups=24)
        self.project = torch.nn.Conv2d(24, 32, 1)
        self.fc = torch.nn.Linear(32, 10)

    def forward(self, x):
        x = F.relu(self.bn(self.stem(x)))
        x = F.max_pool2d(x, 2)
        a = F.relu(self.branch_a(x)) + x
        x = torch.cat([a, self.branch_b(x)], 1)
        x = F.relu(self.project(F.relu(self.depthwise(x))))
        x = F.adaptive_avg_pool2d(x, 1)
        return self.fc(torch.flatten(x, 1))


class EagerSmallCnn(torch.nn.Module):
    """For eager mode, scripted: conv+relu, max pool, a residual FloatFunctional add, adaptive avg pool, linear."""

    def __init__(self):
        super().__init__()
        self.quant = tq.QuantStub()
        self.conv1 = torch.nn.Conv2d(3, 16, 3, stride=2, padding=1)
        self.relu1 = torch.nn.ReLU()
        self.pool = torch.nn.MaxPool2d(2)
        self.conv2 = torch.nn.Conv2d(16, 16, 3, padding=1)
        self.relu2 = torch.nn.ReLU()
        self.skip = torch.nn.quantized.FloatFunctional()
        self.avgpool = torch.nn.AdaptiveAvgPool2d(1)
        self.fc = torch.nn.Linear(16, 10)
        self.dequant = tq.DeQuantStub()

    def forward(self, x):
        x = self.pool(self.relu1(self.conv1(self.quant(x))))
        x = self.skip.add(self.relu2(self.conv2(x)), x)
        x = torch.flatten(self.avgpool(x), 1)
        return self.dequant(self.fc(x))

    def fuse_model(self):
        tq.fuse_modules(self, [["conv1", "relu1"], ["conv2", "relu2"]], inplace=True)


# ---- Per-op models (eager mode: QuantStub -> op(s) -> DeQuantStub) ----------------------------------------------

class Quantized(torch.nn.Module):
    """QuantStub -> body -> DeQuantStub; subclasses define body()."""

    def __init__(self):
        super().__init__()
        self.quant = tq.QuantStub()
        self.dequant = tq.DeQuantStub()

    def forward(self, x):
        return self.dequant(self.body(self.quant(x)))


class QConv(Quantized):
    def __init__(self, groups=1, out_channels=16, stride=1):
        super().__init__()
        self.conv = torch.nn.Conv2d(C, out_channels, 3, stride=stride, padding=1, groups=groups)

    def body(self, x):
        return self.conv(x)


class QConvRelu(Quantized):
    """Conv2d + ReLU fused into one quantized ConvReLU2d (quantized::conv2d_relu)."""

    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(C, 16, 3, padding=1)
        self.relu = torch.nn.ReLU()

    def body(self, x):
        return self.relu(self.conv(x))

    def fuse_model(self):
        tq.fuse_modules(self, [["conv", "relu"]], inplace=True)


class QLinear(Quantized):
    """Two linear layers, the first fused with ReLU (quantized::linear_relu, quantized::linear)."""

    def __init__(self):
        super().__init__()
        self.fc1 = torch.nn.Linear(32, 24)
        self.relu = torch.nn.ReLU()
        self.fc2 = torch.nn.Linear(24, 10)

    def body(self, x):
        return self.fc2(self.relu(self.fc1(x)))

    def fuse_model(self):
        tq.fuse_modules(self, [["fc1", "relu"]], inplace=True)


class QAdd(Quantized):
    """quantized::add of two convolutions' outputs with different scales."""

    def __init__(self):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(C, C, 3, padding=1)
        self.conv2 = torch.nn.Conv2d(C, C, 1)
        self.add = torch.nn.quantized.FloatFunctional()

    def body(self, x):
        return self.add.add(self.conv1(x), self.conv2(x))


class QElementwise(Quantized):
    """quantized::add_relu, quantized::mul, quantized::add_scalar, quantized::mul_scalar."""

    def __init__(self):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(C, C, 3, padding=1)
        self.conv2 = torch.nn.Conv2d(C, C, 1)
        self.add_relu = torch.nn.quantized.FloatFunctional()
        self.mul = torch.nn.quantized.FloatFunctional()
        self.add_scalar = torch.nn.quantized.FloatFunctional()
        self.mul_scalar = torch.nn.quantized.FloatFunctional()

    def body(self, x):
        a, b = self.conv1(x), self.conv2(x)
        y = self.add_relu.add_relu(a, x)
        y = self.mul.mul(y, b)
        y = self.add_scalar.add_scalar(y, 0.5)
        return self.mul_scalar.mul_scalar(y, 0.75)


class QCat(Quantized):
    """quantized::cat along channels of the input and two convolutions' outputs (three different scales)."""

    def __init__(self):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(C, 4, 3, padding=1)
        self.conv2 = torch.nn.Conv2d(C, 6, 1)
        self.cat = torch.nn.quantized.FloatFunctional()

    def body(self, x):
        return self.cat.cat([self.conv1(x), x, self.conv2(x)], 1)


class QHardswish(Quantized):
    """conv -> quantized::hardswish (nn.Hardswish becomes nnq.Hardswish with its own output scale)."""

    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(C, C, 3, padding=1)
        self.act = torch.nn.Hardswish()

    def body(self, x):
        return self.act(self.conv(x))


class QSigmoid(Quantized):
    """conv -> aten::sigmoid on a quantized tensor (fixed output scale 1/256, zero point 0)."""

    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(C, C, 3, padding=1)

    def body(self, x):
        return torch.sigmoid(self.conv(x))


class QPools(Quantized):
    """max_pool2d and avg_pool2d (padded, counting the padding) on quantized tensors (they keep the input's scale).
    Not count_include_pad=False: PyTorch's quantized avg_pool2d honours it with onednn but ignores it with qnnpack
    (padding counted; the corners differ by tens of steps), so there is no one reference to compare against."""

    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(C, C, 3, padding=1)

    def body(self, x):
        y = F.max_pool2d(self.conv(x), 2)
        return F.avg_pool2d(y, 3, stride=1, padding=1)


class QPoolLinear(Quantized):
    """conv -> adaptive_avg_pool2d(1) -> flatten -> linear: a classifier head."""

    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(C, 16, 3, padding=1)
        self.pool = torch.nn.AdaptiveAvgPool2d(1)
        self.fc = torch.nn.Linear(16, 10)

    def body(self, x):
        return self.fc(torch.flatten(self.pool(self.conv(x)), 1))


class QConvTranspose(Quantized):
    """quantized::conv_transpose2d, stride 2 (upsampling)."""

    def __init__(self):
        super().__init__()
        self.deconv = torch.nn.ConvTranspose2d(C, 4, 3, stride=2, padding=1, output_padding=1)

    def body(self, x):
        return self.deconv(x)


class QActivations(Quantized):
    """aten::relu, aten::hardtanh (0, 6) and aten::mean on quantized tensors, then reshape.

    hardtanh gets a contiguous (NCHW) tensor: PyTorch 1.13's qnnpack hardtanh is wrong on a channels-last quantized
    tensor (which is what qnnpack's convolutions return), by up to 127 steps, so the reference would be."""

    def __init__(self):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(C, 16, 3, padding=1)
        self.conv2 = torch.nn.Conv2d(16, 16, 3, padding=1)

    def body(self, x):
        y = torch.relu(self.conv1(x))
        y = F.hardtanh(self.conv2(y).contiguous(), 0.0, 6.0)
        y = torch.mean(y, (2, 3), keepdim=True)
        return y.reshape(-1, 16)


class QConvQuantizedOutput(torch.nn.Module):
    """QuantStub -> conv, returned quantized (no DeQuantStub): the converted module must return a quint8 tensor."""

    def __init__(self):
        super().__init__()
        self.quant = tq.QuantStub()
        self.conv = torch.nn.Conv2d(C, 16, 3, padding=1)

    def forward(self, x):
        return self.conv(self.quant(x))


def per_channel_conv_only(model):
    """Per-tensor qconfig everywhere, per-channel weights for the convolution (full-range activations)."""
    model.qconfig = qconfig(PER_TENSOR)
    model.conv.qconfig = PER_CHANNEL_FULL_RANGE


# ---- Specs ----------------------------------------------------------------------------------------------------

NETWORK_CHECKS = ("verify", "python", "quantized_strict")
OP_CHECKS = ("verify", "python", "quantized_strict")


def specs():
    result = []

    def add(name, kind, inputs, make_writer, checks, min_api=None, max_size_ratio=None, **spec_args):
        # min_api: the --min-api the quantized_strict check converts at (the default, 29, when None).
        extra = {} if min_api is None else {"min_api": min_api}
        if max_size_ratio is not None:
            extra["max_size_ratio"] = max_size_ratio
        result.append(ModelSpec(name=name, kind=kind, inputs=[inputs], write=make_writer(extra), checks=checks,
                                float_twin=True, manifest_extra=extra, **spec_args))

    def eager_network(name, network, weights, checks=NETWORK_CHECKS, **spec_args):
        # The converted file holds each weight once: the CPU fallback packs its quantized layers again from the
        # int8 values of NNAPI's filters (max_size_ratio, checked by "python").
        add(name, "quantized_network", IMAGE,
            lambda extra: eager_writer(quantizable(network), qconfig(weights), [IMAGE], NETWORK_CALIBRATION,
                                       extra=extra),
            checks, max_size_ratio=1.1, **spec_args)

    def op(name, build, config=None, inputs=SMALL, script=False, checks=OP_CHECKS, **spec_args):
        add(name, "quantized_op", inputs,
            lambda extra: eager_writer(build, config or qconfig(PER_TENSOR), [inputs], SMALL_CALIBRATION,
                                       script=script, extra=extra),
            checks, max_lsb=OP_MAX_LSB, **spec_args)

    # verify_layers: each layer's LSB difference (where a quantized model's error comes from).
    add("q_mobilenet_v2", "quantized_network", IMAGE,
        lambda extra: eager_writer(quantizable("mobilenet_v2"), qconfig(PER_TENSOR), [IMAGE], NETWORK_CALIBRATION,
                                   extra=extra),
        NETWORK_CHECKS + ("verify_layers",))
    # "fallback": the CPU fallback's repacked per-channel convolutions and linear layer match the original.
    eager_network("q_mobilenet_v2_per_channel", "mobilenet_v2", PER_CHANNEL, checks=NETWORK_CHECKS + ("fallback",))
    # Also converted once with a batch fixed only at run time and run at two batch sizes.
    eager_network("q_resnet18", "resnet18", PER_TENSOR,
                  checks=NETWORK_CHECKS + ("python_stock", "flexible_batch", "fallback"))
    eager_network("q_resnet18_per_channel", "resnet18", PER_CHANNEL)
    # At the default API 29 its hardswish is x * hardsigmoid(x) (HARD_SWISH needs Android 11; q_hardswish tests it).
    # Its float twin has 36 operations fewer than the quantized form's 2 + float: the converter folds each
    # hardsigmoid's / 6 (and the hardsigmoid's + 3 after the squeeze-excite convolution) into the weights around it
    # (converter/passes/absorb_constants.h), which quantized operations, each requantizing its result, cannot take.
    eager_network("q_mobilenet_v3_large", "mobilenet_v3_large", PER_TENSOR, nnapi_operations_vs_float=(36, 40))
    add("qfx_resnet18", "quantized_network", IMAGE,
        lambda extra: fx_writer(fx_resnet18, [IMAGE], NETWORK_CALIBRATION, extra=extra), NETWORK_CHECKS)
    small_image = (1, 3, 64, 64)
    add("qfx_small_cnn", "quantized_op", small_image,
        lambda extra: fx_writer(lambda: reinitialize(SmallCnn(), small_image), [small_image], SMALL_CALIBRATION,
                                extra=extra),
        NETWORK_CHECKS)
    add("q_script_small_cnn", "quantized_op", small_image,
        lambda extra: eager_writer(lambda: reinitialize(EagerSmallCnn(), small_image), qconfig(PER_TENSOR),
                                   [small_image], SMALL_CALIBRATION, script=True, extra=extra),
        NETWORK_CHECKS)

    op("q_conv", QConv)
    # The stock format cannot hold per-channel scales: its convolution stays on the CPU, or --strict refuses it.
    op("q_conv_per_channel", QConv, config=per_channel_conv_only,
       checks=OP_CHECKS + ("python_stock_per_channel", "convert_strict_fails_stock"))
    op("q_conv_depthwise", lambda: QConv(groups=C, out_channels=C))
    op("q_conv_depthwise_per_channel", lambda: QConv(groups=C, out_channels=2 * C, stride=2),
       config=per_channel_conv_only)
    op("q_conv_relu", QConvRelu)
    op("q_linear", QLinear, inputs=(4, 32))
    # NNAPI's FULLY_CONNECTED has no per-channel weights: each such linear becomes RESHAPE + CONV_2D + RESHAPE.
    op("q_linear_per_channel", QLinear, inputs=(4, 32), config=qconfig(PER_CHANNEL), nnapi_operations_vs_float=(0, 6))
    op("q_add", QAdd)
    op("q_elementwise", QElementwise)
    op("q_cat", QCat)
    # HARD_SWISH on quint8 (Android 11); q_mobilenet_v3_large covers the older form.
    op("q_hardswish", QHardswish, min_api=30)
    op("q_sigmoid", QSigmoid)
    op("q_pools", QPools)
    # Also converted once with a batch fixed only at run time and run at two batch sizes.
    op("q_pool_linear", QPoolLinear, checks=OP_CHECKS + ("flexible_batch",))
    op("q_conv_transpose", QConvTranspose)
    op("q_activations", QActivations)
    op("q_conv_quantized_output", QConvQuantizedOutput)
    return result
