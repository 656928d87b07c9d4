"""Converts torch modules with PyTorch's own NNAPI converter and runs them through PyTorch's own NNAPI binding
(torch.classes._nnapi.Compilation) on our desktop libneuralnetworks.so, then compares with eager PyTorch.

Nothing here knows about our converter: this is the "is it a real NNAPI?" check of issue 4.
"""
import contextlib
import ctypes
import os
import tempfile
from dataclasses import dataclass
from typing import List, Optional, Sequence

import torch
from torch.backends._nnapi.prepare import convert_model_to_nnapi
from torch.backends._nnapi.serializer import NNAPI_OperationCode

# PyTorch's NnapiModule passes this preference to Compilation_setPreference (prepare.py's default).
PREFER_SUSTAINED_SPEED = 2

# Memory formats recorded by PyTorch's converter per input/output (serializer.py DimOrder values).
DIM_ORDER_CONTIGUOUS = 0
DIM_ORDER_CHANNELS_LAST = 1

# float32 unit roundoff: rounding one operation changes a value by at most this factor of its magnitude.
FLOAT32_UNIT_ROUNDOFF = 2.0 ** -24

NHWC = "nhwc"
NCHW = "nchw"
FLOAT = "float"
QUANT = "quant"


# ---------------------------------------------------------------------------------------------------------
# Loading our library so that the binding's dlopen("libneuralnetworks.so") finds it.

def preload_host_library(path):
    """Maps our libneuralnetworks.so into the process before the binding's first dlopen.

    The binding opens the library by name, and the dynamic loader answers a by-name dlopen with an already
    loaded object whose SONAME matches, so no LD_LIBRARY_PATH is needed.
    """
    if not os.path.isfile(path):
        raise FileNotFoundError(f"desktop NNAPI library not found: {path} (build the 'neuralnetworks' target)")
    ctypes.CDLL(path, mode=ctypes.RTLD_GLOBAL)


def mapped_nnapi_libraries():
    """Real paths of every libneuralnetworks*.so mapped into this process (from /proc/self/maps)."""
    paths = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            fields = line.split()
            if len(fields) >= 6 and "libneuralnetworks" in os.path.basename(fields[5]):
                paths.add(os.path.realpath(fields[5]))
    return paths


# ---------------------------------------------------------------------------------------------------------
# Tensors in PyTorch's converter conventions.

def as_layout(tensor, layout):
    """Marks a 4-D tensor as an nnapi_nhwc input (PyTorch's converter then emits NHWC operands)."""
    if layout == NHWC:
        tensor = tensor.contiguous(memory_format=torch.channels_last)
        tensor.nnapi_nhwc = True
    return tensor


def quantize(tensor, scale, zero_point):
    return torch.quantize_per_tensor(tensor, scale, zero_point, torch.quint8)


def random_input(shape, layout, dtype, scale=0.05, zero_point=128):
    """Normal(0, 1) values; quantized inputs use scale 0.05 so ±6.4 fits in quint8 around zero point 128."""
    values = torch.randn(shape)
    if dtype == QUANT:
        values = quantize(values, scale, zero_point)
    return as_layout(values, layout)


def like_with_shape(tensor, shape):
    """A random tensor with `tensor`'s dtype, quantization and nnapi layout, but another shape."""
    values = torch.randn(shape)
    if tensor.is_quantized:
        values = quantize(values, tensor.q_scale(), tensor.q_zero_point())
    return as_layout(values, NHWC if getattr(tensor, "nnapi_nhwc", False) else NCHW)


# ---------------------------------------------------------------------------------------------------------
# What PyTorch's converter produced: the serialized model it hands to the binding.

OPERATION_NAMES = {code: name for name, code in vars(NNAPI_OperationCode).items() if not name.startswith("_")}


@dataclass
class SerializedModel:
    operation_codes: List[int]
    operand_dims: List[List[int]]
    input_operands: List[int]
    output_operands: List[int]

    def operation_names(self):
        return [OPERATION_NAMES.get(code, str(code)) for code in self.operation_codes]

    def has_unknown_dimension(self, operand):
        return 0 in self.operand_dims[operand]


def parse_serialized_model(ser_model):
    """Reads the parts of PyTorch's serialized NNAPI model (nnapi_model_loader.cpp format) this test checks.

    Layout (int32 words): header [version, #operands, #values, #operations, #inputs, #outputs];
    per operand [type, rank, scale, zero point]; per value [operand, source, length];
    per operation [code, #inputs, #outputs]; then each operand's dimensions; value data; operation
    arguments; model inputs; model outputs.
    """
    words = ser_model.tolist()
    _, operand_count, value_count, operation_count, input_count, output_count = words[:6]
    position = 6
    ranks = [words[position + 4 * i + 1] for i in range(operand_count)]
    position += 4 * operand_count
    value_lengths = [words[position + 3 * i + 2] for i in range(value_count)]
    position += 3 * value_count
    operations = [words[position + 3 * i: position + 3 * i + 3] for i in range(operation_count)]
    position += 3 * operation_count
    dims = []
    for rank in ranks:
        dims.append(words[position: position + rank])
        position += rank
    position += sum((length + 3) // 4 for length in value_lengths)  # value data, padded to 4 bytes each
    position += sum(inputs + outputs for _, inputs, outputs in operations)
    model_inputs = words[position: position + input_count]
    position += input_count
    model_outputs = words[position: position + output_count]
    return SerializedModel([code for code, _, _ in operations], dims, model_inputs, model_outputs)


# ---------------------------------------------------------------------------------------------------------
# Running.

@contextlib.contextmanager
def captured_stderr(sink: List[str]):
    """Collects what the library writes to file descriptor 2 (its error messages) into sink[0]."""
    with tempfile.TemporaryFile(mode="w+b") as capture:
        saved = os.dup(2)
        os.dup2(capture.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            capture.seek(0)
            sink.append(capture.read().decode(errors="replace"))


@dataclass
class ConvertedModel:
    wrapper: torch.jit.ScriptModule        # what convert_model_to_nnapi returns
    pristine_ser_model: torch.Tensor       # before load-time shape fixing mutates it
    serialized: SerializedModel


def convert(module, inputs: Sequence[torch.Tensor], convert_inputs: Optional[Sequence[torch.Tensor]] = None):
    """Traces `module` with `inputs` and converts it with PyTorch's converter (convert_inputs give the NNAPI
    operand shapes; a 0 there is a flexible dimension)."""
    with torch.no_grad():
        traced = torch.jit.trace(module, list(inputs))
        wrapper = convert_model_to_nnapi(traced, list(convert_inputs or inputs))
    ser_model = wrapper.mod.ser_model.clone()
    return ConvertedModel(wrapper, ser_model, parse_serialized_model(ser_model))


def as_list(outputs):
    return list(outputs) if isinstance(outputs, (tuple, list)) else [outputs]


def run_like_pytorch(converted: ConvertedModel, inputs):
    """PyTorch's own path: the first call fixes flexible dimensions from these inputs, compiles, runs."""
    with torch.no_grad():
        return as_list(converted.wrapper(*inputs))


class UnknownDimensionCompilation:
    """Compiles the serialized model with its flexible dimensions still 0, so the NNAPI library itself must
    take them from setInput's operand type at each execution and infer every other shape.

    PyTorch's NnapiModule would first write the sizes of its first inputs into the model (load-time shapes);
    this skips that step and drives torch.classes._nnapi.Compilation directly, as the module would.
    """

    def __init__(self, converted: ConvertedModel):
        self.converted = converted
        self.module = converted.wrapper.mod
        self.compilation = torch.classes._nnapi.Compilation()
        # NNAPI keeps pointers to constants larger than 128 bytes instead of copying them: the weights and the
        # serialized model (immediate values point into it) must live as long as the compilation; the binding
        # holds neither.
        self.ser_model = converted.pristine_ser_model.clone()
        self.weights = [weight.contiguous() for weight in self.module.weights]
        self.compilation.init2(self.ser_model, self.weights, PREFER_SUSTAINED_SPEED, False)

    def run(self, inputs):
        # Output buffers sized by PyTorch's shape code for these inputs; the binding then resizes each to the
        # dimensions the library reports (getOutputOperandDimensions), so those must be right too.
        ser_model = self.converted.pristine_ser_model.clone()
        templates = self.module.shape_compute_module.prepare(ser_model, list(inputs))
        outputs = [torch.empty_like(template) for template in templates]
        physical_inputs = []
        for tensor, dim_order in zip(inputs, self.module.inp_mem_fmts):
            if dim_order == DIM_ORDER_CHANNELS_LAST:
                tensor = tensor.permute(0, 2, 3, 1)
            physical_inputs.append(tensor.contiguous())
        self.compilation.run(physical_inputs, outputs)
        return [output.permute(0, 3, 1, 2) if dim_order == DIM_ORDER_CHANNELS_LAST else output
                for output, dim_order in zip(outputs, self.module.out_mem_fmts)]


# ---------------------------------------------------------------------------------------------------------
# Comparing.

@dataclass
class Comparison:
    passed: bool
    summary: str


def compare_quantized(expected, actual, max_lsb):
    """NNAPI's requantization rounds differently from QNNPACK's, so each element may differ by up to
    `max_lsb` quantization steps; more is a failure. Reports how many elements differ at all."""
    if not actual.is_quantized:
        return Comparison(False, f"expected a quantized output, got {actual.dtype}")
    if (expected.q_scale(), expected.q_zero_point()) != (actual.q_scale(), actual.q_zero_point()):
        return Comparison(False, f"output quantization (scale {actual.q_scale()}, zp {actual.q_zero_point()}) "
                                 f"!= PyTorch's ({expected.q_scale()}, {expected.q_zero_point()})")
    difference = (actual.int_repr().int() - expected.int_repr().int()).abs()
    largest = int(difference.max()) if difference.numel() else 0
    differing = int((difference != 0).sum())
    passed = largest <= max_lsb
    return Comparison(passed, f"max {largest} LSB, {differing}/{difference.numel()} elements differ"
                              + ("" if passed else f" (limit {max_lsb} LSB)"))


def compare_float(expected, actual, atol, rtol):
    if actual.dtype != expected.dtype:
        return Comparison(False, f"expected {expected.dtype}, got {actual.dtype}")
    error = (actual - expected).abs()
    largest = float(error.max()) if error.numel() else 0.0
    passed = bool(torch.allclose(actual, expected, rtol=rtol, atol=atol, equal_nan=False))
    tolerance = f"atol={atol:.3g}, rtol={rtol:.3g}"
    return Comparison(passed, f"max|diff|={largest:.3g} ({tolerance})")


def compare_outputs(expected_outputs, actual_outputs, *, atol=1e-8, rtol=1e-5, max_lsb=1):
    """Float outputs: torch.allclose (defaults unless a case passes a justified atol). Quantized outputs:
    within max_lsb steps. Returns one Comparison for all outputs."""
    expected_outputs, actual_outputs = as_list(expected_outputs), as_list(actual_outputs)
    if len(expected_outputs) != len(actual_outputs):
        return Comparison(False, f"{len(actual_outputs)} outputs, PyTorch has {len(expected_outputs)}")
    results = []
    for expected, actual in zip(expected_outputs, actual_outputs):
        if tuple(actual.shape) != tuple(expected.shape):
            results.append(Comparison(False, f"shape {tuple(actual.shape)} != PyTorch's {tuple(expected.shape)}"))
        elif expected.is_quantized:
            results.append(compare_quantized(expected, actual, max_lsb))
        else:
            results.append(compare_float(expected, actual, atol, rtol))
    return Comparison(all(result.passed for result in results), "; ".join(result.summary for result in results))


def summation_atol(sum_of_magnitudes, term_count):
    """Absolute tolerance for float32 results that are sums of `term_count` products.

    Any summation order of n products errs by at most about n·u·Σ|terms| (Higham, γ_n), u = 2^-24; PyTorch and
    our library each have that error in their own order, hence the factor 2. `sum_of_magnitudes` is the largest
    Σ|terms| over the output (the same operation applied to |input|, |weight|, |bias|).
    """
    return 2.0 * term_count * FLOAT32_UNIT_ROUNDOFF * float(sum_of_magnitudes)
