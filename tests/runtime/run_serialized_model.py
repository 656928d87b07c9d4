#!/usr/bin/env python3
"""Runs a serialized NNAPI model file through torch.classes.nnapi_convert.Model in a fresh Python process.

Usage: run_serialized_model.py LIBNNAPI_RUNTIME MODEL.nnc SHAPE...   (SHAPE like 2x3: one zero tensor per input)

Prints each output's shape, or "error: " and the text of the exception the run raised (exit 0 either way), so a
test can check what a Python user sees of a runtime error.
"""
import sys

import torch


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    torch.ops.load_library(sys.argv[1])
    with open(sys.argv[2], "rb") as model_file:
        serialized = torch.tensor(list(model_file.read()), dtype=torch.uint8)
    shapes = [[int(extent) for extent in arg.split("x")] for arg in sys.argv[3:]]
    model = torch.classes.nnapi_convert.Model(serialized, [])  # a model with every constant inline
    try:
        outputs = model.run([torch.zeros(shape) for shape in shapes])
    except RuntimeError as error:
        print(f"error: {error}")
        return
    for output in outputs:
        print(list(output.shape))


if __name__ == "__main__":
    main()
