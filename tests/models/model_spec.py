"""What the end-to-end tests know about one test model, and how its file is written."""
import dataclasses
import inspect
import os
import zlib
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import torch

Shape = Tuple[int, ...]

# Checks an end-to-end test can run on a model (tests/e2e/CMakeLists.txt registers one ctest test per check):
#   verify          `nnapi-convert verify` passes (with --input-layout nhwc too for "verify_nhwc")
#   verify_apiNN    `verify --min-api NN` (NN = 27..30, 33, 34) passes on a desktop NNAPI that emulates the feature
#                   level of that API level (NNAPI_HOST_FEATURE_LEVEL 1..4, 6, 7), and no partition falls back to the
#                   CPU
#                   (no "running it on the CPU instead" on stderr): the converter used only what that level has
#   verify_fallback_warns  `verify --min-api 30` on a desktop NNAPI emulating feature level 1 still passes and
#                   warns "running it on the CPU instead" (proves the warning the verify_apiNN checks look for
#                   is real); the model needs a partition above feature level 1
#   fallback        for each reason NNAPI cannot run a partition here (NNAPI_LIBRARY naming a missing file, a
#                   device of feature level 1, NNAPI_HOST_FAIL=model|compilation; tests/e2e/CMakeLists.txt): as
#                   "python" with --min-api 30, and the fallback warning appears exactly once, naming the reason
#                   (a model of one partition: the desktop NNAPI refuses it once, though forward runs twice)
#   no_cpu_fallback  converted with --no-cpu-fallback, forward holds none of the partitions' ops and the file is
#                   smaller; it matches the original here, and for each reason above it raises an error naming it
#   python          convert, load in Python with only the runtime library loaded, compare with the original
#   python_nhwc     as "python", converted with --input-layout nhwc and fed channels-last input
#   python_api27_strict  as "python", converted with --min-api 27 --strict (the whole model on NNAPI at feature
#                   level 1) and run on a desktop NNAPI emulating feature level 1, without a CPU fallback warning
#   python_api30_strict  as "python_api27_strict" with --min-api 30 on a device of feature level 4 (models whose ops
#                   need Android 11, e.g. bilinear upsampling); python_api33_strict and python_api34_strict the same
#                   with --min-api 33 / 34 on a device of feature level 6 (BATCH_MATMUL) / 7 (MIRROR_PAD)
#   branches        scripted models with control flow: as "python", on the inputs x + offset for each of
#                   `branch_offsets`, chosen so that each branch of the model's `if` is taken
#   inspect         `inspect --json` is well formed, the limits in `inspect_limits` hold, and in every NNAPI
#                   partition TRANSPOSE appears only at the partition's ends (once per 4-D input and 4-D output at
#                   most); "inspect_nhwc" the same converted with --input-layout nhwc
#   partitions      `convert --json` is well formed, reports at least `expect_partitions` NNAPI partitions and
#                   the CPU ops of `expect_cpu_ops` (kind, file:line, module path), and the text summary agrees
#   partitions_api30, partitions_api33, partitions_api34  as "partitions", converted with --min-api 30, 33 or 34
#   verify_json     `verify --json` is well formed and agrees with the original's output shapes
#   verify_layers   `verify --layers --json` lists every tensor computed on NNAPI (op, module path, source) with
#                   its comparison; the last layer is the model's output, and a float model's layers all pass
#   quantized_strict  quantized models: `convert --strict` succeeds (the whole model on NNAPI, one partition or
#                   more, no CPU op); `convert --json` of the model and of its float twin (NAME.float.pt, the same
#                   network before quantization) count NNAPI operations, and the quantized count is within
#                   `nnapi_operations_vs_float` of the float twin's; the strictly converted module, loaded with only
#                   the runtime library, matches the original by the quantized rule (quantized outputs within 2 LSB;
#                   float outputs cosine >= 0.99 and the same top-1, and within `max_lsb` steps of the scale in the
#                   manifest's "output_scales" when given); prints the counts, cosine, top-1 and max LSB
#   python_stock    as "python", converted with --format pytorch-nnapi and run in stock PyTorch (its binding
#                   torch.classes._nnapi on our desktop libneuralnetworks.so, libnnapi_runtime.so not loaded)
#   python_stock_fl1  as "python_stock" on a desktop NNAPI emulating feature level 1, which refuses the model's
#                   newer operations: the module raises PyTorch's binding's error, set_nnapi_enabled(False) runs it
#                   on the CPU, matching the original
#   python_stock_per_channel  as "python_stock" for a per-channel quantized model: convert's summary must leave its
#                   per-channel layers on the CPU because the stock binding cannot set per-channel scales
#   convert_strict_fails_stock  `convert --strict --format pytorch-nnapi` of a per-channel model exits 3 naming
#                   setOperandSymmPerChannelQuantParams, and writes nothing
#   flexible_batch  one `convert` with dimension 0 of every input given as -1 (a batch fixed only at run time): the
#                   NNAPI inputs leave it 0, the module matches the original at batch 1 and batch 5, and `verify`
#                   with -1 compares both batch sizes and passes; no partition falls back to the CPU
#   convert_fails   `convert` exits with `expect_exit`, stderr names what `expect_stderr` lists, no output file
#   verify_fails    as "convert_fails" for `verify`
#   convert_strict_fails, verify_strict_fails   as "convert_fails" and "verify_fails" with --strict (a model that
#                   converts with some ops on the CPU must be refused, exit 3, every such op listed)
CHECKS = ("verify", "verify_nhwc", "verify_api27", "verify_api28", "verify_api29", "verify_api30",
          "verify_fallback_warns", "python", "python_nhwc", "python_api27_strict", "branches", "inspect",
          "inspect_nhwc", "partitions", "verify_json", "convert_fails", "verify_fails", "convert_strict_fails",
          "verify_strict_fails", "quantized_strict", "verify_layers", "python_stock", "python_stock_per_channel",
          "python_stock_fl1", "convert_strict_fails_stock", "fallback", "no_cpu_fallback",
          "flexible_batch", "python_api30_strict", "partitions_api30", "verify_api33", "python_api33_strict",
          "partitions_api33", "verify_api34", "python_api34_strict", "partitions_api34")

# Checks that compare the converted model's outputs with the original's: such a model's output must be worth
# comparing against (make_models.py checks it is finite and not vanishingly small).
RUN_CHECKS = ("verify", "verify_nhwc", "verify_api27", "verify_api28", "verify_api29", "verify_api30",
              "verify_fallback_warns", "python", "python_nhwc", "python_api27_strict", "branches", "verify_json",
              "quantized_strict", "verify_layers", "python_stock", "python_stock_per_channel",
              "python_stock_fl1", "fallback", "no_cpu_fallback", "python_api30_strict", "verify_api33",
              "python_api33_strict", "verify_api34", "python_api34_strict")


@dataclasses.dataclass
class ModelSpec:
    name: str
    kind: str                                  # "torchvision", "op", "partition", "error",
    #                                            "quantized_network" or "quantized_op"
    inputs: List[Shape]                        # one shape per forward argument, float32
    write: Callable[[str, Sequence[torch.Tensor]], None]  # writes the model file given example inputs
    checks: Tuple[str, ...] = ("verify",)
    # "pass"; "error" for error models, whose outcome (with --strict for the *_strict_fails checks) is expect_exit.
    expect: str = "pass"
    expect_exit: Optional[int] = None          # *_fails checks: the CLI's exit code
    expect_stderr: List[str] = dataclasses.field(default_factory=list)  # *_fails checks: substrings of stderr
    # "inspect": "max_operations" (all partitions), "max_partitions", "max_cpu_ops".
    inspect_limits: Dict[str, int] = dataclasses.field(default_factory=dict)
    # "partitions": at least this many NNAPI partitions, and these ops on the CPU (see cpu_op()). With
    # only_expected_cpu_ops, no other op may be left on the CPU.
    expect_partitions: Optional[int] = None
    expect_cpu_ops: List[Dict[str, object]] = dataclasses.field(default_factory=list)
    only_expected_cpu_ops: bool = True
    # "branches": offsets added to the random inputs so that every branch of the model is taken.
    branch_offsets: List[float] = dataclasses.field(default_factory=list)
    # Quantized models: the writer also saves NAME.float.pt, the float twin (see quantized_models.py).
    float_twin: bool = False
    # "quantized_strict": the quantized model's NNAPI operations minus its float twin's lie in this range
    # (QUANTIZE at the input and DEQUANTIZE at the output are the expected difference: 2).
    nnapi_operations_vs_float: Tuple[int, int] = (0, 4)
    # "quantized_strict": at most this many steps of the output's scale between a float output and PyTorch's.
    max_lsb: Optional[float] = None
    # Filled in by the writer and added to the manifest entry (e.g. "output_scales"), so only a model written in
    # this run has them.
    manifest_extra: Dict[str, object] = dataclasses.field(default_factory=dict)

    def __post_init__(self):
        unknown = set(self.checks) - set(CHECKS)
        assert not unknown, f"{self.name}: unknown checks {sorted(unknown)}"

    @property
    def runs(self):
        """Whether some check compares this model's outputs with the converted model's."""
        return any(check in RUN_CHECKS for check in self.checks)

    @property
    def file(self):
        return self.name + ".pt"

    def manifest_entry(self):
        entry = {"name": self.name, "file": self.file, "kind": self.kind,
                 "inputs": [list(shape) for shape in self.inputs], "checks": list(self.checks),
                 "expect": self.expect}
        if self.expect_exit is not None:
            entry["expect_exit"] = self.expect_exit
            entry["expect_stderr"] = self.expect_stderr
        if self.inspect_limits:
            entry["inspect_limits"] = self.inspect_limits
        if any(check == "partitions" or check.startswith("partitions_api") for check in self.checks):
            entry["expect_partitions"] = self.expect_partitions or 1
            entry["expect_cpu_ops"] = self.expect_cpu_ops
            entry["only_expected_cpu_ops"] = self.only_expected_cpu_ops
        if self.branch_offsets:
            entry["branch_offsets"] = self.branch_offsets
        if self.float_twin:
            entry["float_twin"] = self.name + ".float.pt"
        if "quantized_strict" in self.checks:
            entry["nnapi_operations_vs_float"] = list(self.nnapi_operations_vs_float)
            if self.max_lsb is not None:
                entry["max_lsb"] = self.max_lsb
        entry.update(self.manifest_extra)
        return entry


def seed_for(name):
    """The seed of a model's weights and example inputs: fixed per name, so adding a model changes no other."""
    return zlib.crc32(name.encode()) % (2 ** 31)


def traced(build: Callable[[], torch.nn.Module], strict=True):
    """A `write` function that traces build() in eval mode on the example inputs and saves it. strict=False is how
    models returning a dict (torchvision's segmentation networks) must be traced."""
    def write(path, example_inputs):
        module = build().eval()
        with torch.no_grad():
            script = torch.jit.trace(module, tuple(example_inputs), strict=strict)
        script.save(path)
    return write


def scripted(build: Callable[[], torch.nn.Module]):
    """A `write` function that scripts build() in eval mode (control flow stays in the graph) and saves it."""
    def write(path, example_inputs):
        torch.jit.script(build().eval()).save(path)
    return write


def source_location(function, marker):
    """'FILE.py:LINE' of the first line of `function` that contains `marker`: where the converter's report must
    place the op called on that line."""
    lines, first = inspect.getsourcelines(function)
    offset = next(i for i, line in enumerate(lines) if marker in line)
    return f"{os.path.basename(inspect.getsourcefile(function))}:{first + offset}"


def cpu_op(kind, function, marker, module=None, optional=False):
    """An entry of expect_cpu_ops: an op of `kind` left on the CPU, called on the line of `function` containing
    `marker`, in submodule `module` (dotted path) if given. An optional one may be absent from the report."""
    entry = {"kind": kind, "source": source_location(function, marker)}
    if module is not None:
        entry["module"] = module
    if optional:
        entry["optional"] = True
    return entry
