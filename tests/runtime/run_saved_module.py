#!/usr/bin/env python3
"""Loads a converted module in a fresh Python process, with nothing but the runtime library, and runs it.

Usage: run_saved_module.py LIBNNAPI_RUNTIME MODULE SHAPE...   (SHAPE like 2x3, one per forward argument)

Inputs and the printed outputs are those of tests/runtime/module_io.h, so the runtime tests can compare this
process's outputs with their own, character for character.
"""
import sys

try:
    import torch
except ImportError:
    sys.exit(f"run_saved_module.py: {sys.executable} has no torch; run it with Debian's /usr/bin/python3 "
             "(package python3-torch)")


def module_inputs(shapes):
    # Input k holds 0.5*i - 3 + 4*k at flat index i, computed in float32 as module_io.h does.
    inputs = []
    for k, shape in enumerate(shapes):
        count = 1
        for extent in shape:
            count *= extent
        inputs.append(torch.arange(count, dtype=torch.float32).reshape(shape) * 0.5 - 3 + 4 * k)
    return inputs


def format_outputs(result):
    if isinstance(result, tuple):
        tensors, text = list(result), f"tuple {len(result)}\n"
    else:
        tensors, text = [result], "tensor\n"
    for tensor in tensors:
        shape = ",".join(str(extent) for extent in tensor.shape)
        values = "".join(" %.9g" % value for value in tensor.reshape(-1).tolist())
        text += f"[{shape}]{values}\n"
    return text


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    torch.ops.load_library(sys.argv[1])
    module = torch.jit.load(sys.argv[2])
    shapes = [[int(extent) for extent in arg.split("x")] for arg in sys.argv[3:]]
    sys.stdout.write(format_outputs(module(*module_inputs(shapes))))


if __name__ == "__main__":
    main()
