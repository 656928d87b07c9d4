#!/usr/bin/python3
"""Writes the end-to-end test models (TorchScript, fixed-seed random weights) and their manifest.

    make_models.py OUT_DIR [--only NAME ...]   writes OUT_DIR/NAME.pt ... and OUT_DIR/manifest.json
    make_models.py --list                      prints "NAME KIND EXPECT CHECKS FILE SHAPE..." per model (CMake)

The manifest lists the models written by this run: name, file, kind ("torchvision", "op", "partition", "error",
"quantized_network" or "quantized_op"), input shapes, the checks the tests run on it (see model_spec.CHECKS) and
what those checks expect (exit code and stderr of a refusal, partitions and CPU ops of a conversion, ...). Nothing is
downloaded: every weight is drawn from a seed fixed per model name.
"""
import argparse
import json
import os
import sys
import time

try:
    import torch
    import torchvision  # noqa: F401  (imported here to fail early with a clear message)
except ImportError as missing:
    sys.exit(f"{os.path.basename(__file__)}: needs torch and torchvision in {sys.executable} "
             f"(Debian packages python3-torch and python3-torchvision): {missing}")

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import error_models  # noqa: E402
import family_models  # noqa: E402
import index_models  # noqa: E402
import levels_models  # noqa: E402
import math_models  # noqa: E402
import move_models  # noqa: E402
import norm_models  # noqa: E402
import op_models  # noqa: E402
import partition_models  # noqa: E402
import quantized_models  # noqa: E402
import resize_models  # noqa: E402
import seqlstm_models  # noqa: E402
import seq_models  # noqa: E402
import torchvision_models  # noqa: E402
import transformer_models  # noqa: E402
from model_spec import seed_for  # noqa: E402


def all_specs():
    specs = (torchvision_models.specs() + op_models.specs() + partition_models.specs()
             + error_models.specs() + quantized_models.specs() + transformer_models.specs()
             + move_models.specs() + index_models.specs() + math_models.specs() + seq_models.specs()
             + norm_models.specs() + family_models.specs() + resize_models.specs() + levels_models.specs()
             + seqlstm_models.specs())
    names = [spec.name for spec in specs]
    duplicates = {name for name in names if names.count(name) > 1}
    assert not duplicates, f"model names used twice: {sorted(duplicates)}"
    return specs


def check_output(spec, path, example_inputs):
    """Reloads a written model and checks its output is finite and not vanishingly small, so a comparison
    against it means something (random-weight deep networks can overflow or collapse to zero)."""
    module = torch.jit.load(path)
    with torch.no_grad():
        outputs = module(*example_inputs)
    if isinstance(outputs, dict):
        outputs = tuple(outputs.values())
    outputs = outputs if isinstance(outputs, (tuple, list)) else (outputs,)
    largest = 0.0
    for index, output in enumerate(outputs):
        output = output.dequantize() if output.is_quantized else output
        if not torch.isfinite(output).all():
            raise RuntimeError(f"{spec.name}: output {index} has non-finite values")
        largest = max(largest, output.abs().max().item())
    if largest < 1e-3:
        raise RuntimeError(f"{spec.name}: largest output magnitude {largest:g} is too small to compare against")
    return largest


def write_model(spec, out_dir):
    torch.manual_seed(seed_for(spec.name))
    example_inputs = [torch.randn(shape) for shape in spec.inputs]
    path = os.path.join(out_dir, spec.file)
    started = time.monotonic()
    spec.write(path, example_inputs)
    largest = check_output(spec, path, example_inputs) if spec.runs else None
    size_kib = os.path.getsize(path) / 1024
    magnitude = f", max|output| {largest:.3g}" if largest is not None else ""
    print(f"{spec.name}: {spec.file} {size_kib:.0f} KiB in {time.monotonic() - started:.1f} s{magnitude}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out_dir", nargs="?", help="directory for the models and manifest.json")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="write only these models")
    parser.add_argument("--list", action="store_true", help="print the models for CMake and write nothing")
    args = parser.parse_args()

    specs = all_specs()
    if args.list:
        for spec in specs:
            shapes = " ".join(",".join(map(str, shape)) for shape in spec.inputs)
            print(f"{spec.name} {spec.kind} {spec.expect} {','.join(spec.checks)} {spec.file} {shapes}")
        return
    if not args.out_dir:
        parser.error("OUT_DIR is required unless --list is given")
    if args.only:
        unknown = set(args.only) - {spec.name for spec in specs}
        if unknown:
            parser.error(f"unknown model names: {', '.join(sorted(unknown))}")
        specs = [spec for spec in specs if spec.name in args.only]

    os.makedirs(args.out_dir, exist_ok=True)
    torch.set_num_threads(1)  # the test machine is shared; tracing small models gains nothing from threads
    # Quantized models are made, loaded and run with qnnpack, the engine of PyTorch on Android (loading one
    # prepacks its weights for the current engine; x86's default, onednn, refuses some, e.g. output_padding).
    torch.backends.quantized.engine = "qnnpack"
    for spec in specs:
        write_model(spec, args.out_dir)
    # One model per line: {"models": [{...}, ...]}.
    entries = ",\n".join(" " + json.dumps(spec.manifest_entry()) for spec in specs)
    with open(os.path.join(args.out_dir, "manifest.json"), "w") as out:
        out.write('{"models": [\n' + entries + "\n]}\n")
    print(f"wrote {len(specs)} models and manifest.json to {args.out_dir}")


if __name__ == "__main__":
    main()
