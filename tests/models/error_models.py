"""Files the converter must refuse: a model with unsupported ops (refused with --strict; without it they run on the
CPU), and files that are not TorchScript models.

The unsupported ops sit in named submodules and are called from this file, so the report can be checked for
exact source locations (error_models.py:LINE) and module paths (stages.0.act, stages.1.act, tail.shuffle).
"""
import io

import torch
import torch.nn.functional as F

from model_spec import ModelSpec, cpu_op, source_location, traced

EXIT_INPUT_ERROR = 2
EXIT_UNSUPPORTED = 3
IMAGE = (1, 8, 16, 16)


class ErfActivation(torch.nn.Module):
    def forward(self, x):
        return torch.erf(x)  # unsupported: aten::erf


class Stage(torch.nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.conv = torch.nn.Conv2d(channels, channels, 3, padding=1)
        self.act = ErfActivation()

    def forward(self, x):
        return self.act(self.conv(x))


class CumulativeSum(torch.nn.Module):
    def forward(self, x):
        return torch.cumsum(x, 1)  # unsupported: aten::cumsum


class Tail(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.cumsum = CumulativeSum()

    def forward(self, x):
        return torch.relu(self.cumsum(x))


class UnsupportedOpsNet(torch.nn.Module):
    """Supported convolutions around aten::erf (twice, in stages.0.act and stages.1.act) and
    aten::cumsum (once, in tail.cumsum)."""

    def __init__(self):
        super().__init__()
        self.stages = torch.nn.Sequential(Stage(8), Stage(8))
        self.tail = Tail()

    def forward(self, x):
        return self.tail(self.stages(x))


class ReducedPrecisionAffine(torch.nn.Module):
    """A float32 conv, then a per-channel scale and shift whose weights are float16 or bfloat16 (PyTorch promotes
    the products to float32). NNAPI lowerings take float32 weights only: the mul and add stay on the CPU, each
    listed with its reason, and the model still converts and matches."""

    def __init__(self, dtype):
        super().__init__()
        self.conv = torch.nn.Conv2d(8, 8, 3, padding=1)
        self.scale = torch.nn.Parameter(torch.rand(1, 8, 1, 1).to(dtype))
        self.shift = torch.nn.Parameter(torch.rand(1, 8, 1, 1).to(dtype))

    def forward(self, x):
        # The relu keeps the scale from being folded into the conv's weights.
        return torch.relu(self.conv(x)) * self.scale + self.shift  # reduced-precision weights


def write_truncated_model(path, example_inputs):
    """The first half of a valid TorchScript archive: a corrupt zip."""
    buffer = io.BytesIO()
    torch.jit.save(torch.jit.trace(torch.nn.Conv2d(8, 8, 3).eval(), tuple(example_inputs)), buffer)
    data = buffer.getvalue()
    with open(path, "wb") as out:
        out.write(data[: len(data) // 2])


def write_state_dict(path, example_inputs):
    """A torch.save'd state dict: a valid PyTorch file, but no TorchScript code."""
    torch.save(torch.nn.Conv2d(8, 8, 3).state_dict(), path)


def write_text(path, example_inputs):
    with open(path, "w") as out:
        out.write("This is a text file, not a TorchScript model.\n")


def error(name, write, expect_exit, expect_stderr, checks=("convert_fails",), **spec_args):
    spec = ModelSpec(name=name, kind="error", inputs=[IMAGE], write=write, checks=checks, expect="error",
                     expect_exit=expect_exit, expect_stderr=expect_stderr, **spec_args)
    if expect_exit == EXIT_INPUT_ERROR:
        spec.expect_stderr.append(spec.file)  # an input error names the file it could not use
    return spec


def specs():
    unsupported_report = [
        "aten::erf", source_location(ErfActivation.forward, "torch.erf"), "stages.0.act", "stages.1.act",
        "aten::cumsum", source_location(CumulativeSum.forward, "torch.cumsum"), "tail.cumsum",
    ]
    # By default the model converts with these ops on the CPU (three NNAPI partitions: stages.0.conv,
    # stages.1.conv, tail's relu) and matches PyTorch; --strict refuses it, listing every one.
    cpu_ops = [cpu_op("aten::erf", ErfActivation.forward, "torch.erf", module="stages.0.act"),
               cpu_op("aten::erf", ErfActivation.forward, "torch.erf", module="stages.1.act"),
               cpu_op("aten::cumsum", CumulativeSum.forward, "torch.cumsum", module="tail.cumsum")]
    return [
        error("unsupported_ops", traced(UnsupportedOpsNet), EXIT_UNSUPPORTED, unsupported_report,
              checks=("convert_strict_fails", "verify_strict_fails", "verify", "python", "partitions"),
              expect_partitions=3, expect_cpu_ops=cpu_ops),
        error("truncated_model", write_truncated_model, EXIT_INPUT_ERROR, []),
        *[error(f"{name}_weights", traced(lambda dtype=dtype: ReducedPrecisionAffine(dtype)), EXIT_UNSUPPORTED,
                ["aten::mul", "aten::add", source_location(ReducedPrecisionAffine.forward, "self.scale"),
                 f"dtype {dtype_name}"], checks=("convert_strict_fails", "verify"))
          for name, dtype, dtype_name in (("float16", torch.float16, "Half"),
                                          ("bfloat16", torch.bfloat16, "BFloat16"))],
        error("state_dict", write_state_dict, EXIT_INPUT_ERROR, []),
        error("text_file", write_text, EXIT_INPUT_ERROR, []),
    ]
