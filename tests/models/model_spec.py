"""What the end-to-end tests know about one test model, and how its file is written."""
import dataclasses
import zlib
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import torch

Shape = Tuple[int, ...]

# Checks an end-to-end test can run on a model (tests/e2e/CMakeLists.txt registers one ctest test per check):
#   verify          `nnapi-convert verify` passes (with --input-layout nhwc too for "verify_nhwc")
#   python          convert, load in Python with only the runtime library loaded, compare with the original
#   python_nhwc     as "python", converted with --input-layout nhwc and fed channels-last input
#   inspect         `inspect --json` is well formed, the limits in `inspect_limits` hold, and TRANSPOSE appears
#                   only at the ends (once per 4-D input and 4-D output at most); "inspect_nhwc" the same
#                   converted with --input-layout nhwc (TRANSPOSE only for 4-D outputs)
#   verify_json     `verify --json` is well formed and agrees with the original's output shapes
#   convert_fails   `convert` exits with `expect_exit`, stderr names what `expect_stderr` lists, no output file
#   verify_fails    as "convert_fails" for `verify`
CHECKS = ("verify", "verify_nhwc", "python", "python_nhwc", "inspect", "inspect_nhwc", "verify_json",
          "convert_fails", "verify_fails")


@dataclasses.dataclass
class ModelSpec:
    name: str
    kind: str                                  # "torchvision", "op" or "error"
    inputs: List[Shape]                        # one shape per forward argument, float32
    write: Callable[[str, Sequence[torch.Tensor]], None]  # writes the model file given example inputs
    checks: Tuple[str, ...] = ("verify",)
    # "pass"; "error" for error models, whose outcome is expect_exit.
    expect: str = "pass"
    expect_exit: Optional[int] = None          # error models: the CLI's exit code
    expect_stderr: List[str] = dataclasses.field(default_factory=list)  # error models: substrings of stderr
    inspect_limits: Dict[str, int] = dataclasses.field(default_factory=dict)

    def __post_init__(self):
        unknown = set(self.checks) - set(CHECKS)
        assert not unknown, f"{self.name}: unknown checks {sorted(unknown)}"

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
        return entry


def seed_for(name):
    """The seed of a model's weights and example inputs: fixed per name, so adding a model changes no other."""
    return zlib.crc32(name.encode()) % (2 ** 31)


def traced(build: Callable[[], torch.nn.Module]):
    """A `write` function that traces build() in eval mode on the example inputs and saves it."""
    def write(path, example_inputs):
        module = build().eval()
        with torch.no_grad():
            script = torch.jit.trace(module, tuple(example_inputs))
        script.save(path)
    return write
