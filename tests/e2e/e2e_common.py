"""Shared by the end-to-end check scripts: arguments, the model manifest, running the CLI, converting a model,
running the original, and the comparison rule.

torch is imported only inside the functions that run models, so expect_failure.py runs without it.
"""
import argparse
import json
import os
import subprocess
import sys
import time

# The CLI's documented default: max|converted - reference| <= ATOL + RTOL * max|reference|, per output.
ATOL = 1e-4
RTOL = 1e-4

EXIT_OK = 0
EXIT_MISMATCH = 1
EXIT_INPUT_ERROR = 2


class CheckFailed(Exception):
    pass


def argument_parser(doc, input_layout=False):
    """A parser with the options every check takes: --cli, --models, --model (and --input-layout)."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cli", required=True, help="the nnapi-convert executable")
    parser.add_argument("--models", required=True, help="directory with manifest.json (from make_models.py)")
    parser.add_argument("--model", required=True, help="model name in the manifest")
    if input_layout:
        parser.add_argument("--input-layout", choices=("nchw", "nhwc"), default="nchw")
    return parser


def load_entry(models_dir, name):
    """The manifest entry of model `name`, with "path" added."""
    with open(os.path.join(models_dir, "manifest.json")) as manifest_file:
        manifest = json.load(manifest_file)
    for entry in manifest["models"]:
        if entry["name"] == name:
            return dict(entry, path=os.path.join(models_dir, entry["file"]))
    raise CheckFailed(f"model {name} is not in {models_dir}/manifest.json")


def shape_text(shape):
    return ",".join(str(size) for size in shape)


def input_args(shapes):
    """--input options for shapes given as lists of sizes or as text ("1,8,16,16", passed on as it is)."""
    args = []
    for shape in shapes:
        args += ["--input", shape if isinstance(shape, str) else shape_text(shape)]
    return args


def shortened(text, limit=3000):
    """`text`, cut to `limit` characters: `inspect --json` of a real network runs to hundreds of kilobytes."""
    return text if len(text) <= limit else text[:limit] + f"\n... ({len(text) - limit} more characters)"


def run_cli(cli, args):
    """Runs the CLI, echoing the command, its output and its time, and returns the CompletedProcess."""
    command = [cli] + args
    print("$ " + " ".join(command), flush=True)
    started = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True)
    print(f"exit {result.returncode} after {time.monotonic() - started:.1f} s")
    if result.stdout:
        print("--- stdout\n" + shortened(result.stdout.rstrip()))
    if result.stderr:
        print("--- stderr\n" + result.stderr.rstrip())
    sys.stdout.flush()
    return result


def require_success(result, entry, what):
    """Accepts exit 0 only."""
    if result.returncode != EXIT_OK:
        raise CheckFailed(f"{entry['name']}: {what} exited with {result.returncode}")


def convert(cli, entry, output_dir, input_layout, extra_args=()):
    """Converts the model into output_dir with the CLI (adding extra_args, e.g. --min-api 27 --strict) and returns
    the converted file's path."""
    converted_path = os.path.join(output_dir, entry["name"] + ".nnapi.pt")
    layout_args = ["--input-layout", input_layout] if input_layout == "nhwc" else []
    result = run_cli(cli, ["convert", entry["path"], "-o", converted_path] + input_args(entry["inputs"]) + layout_args
                     + list(extra_args))
    require_success(result, entry, "convert")
    if not os.path.isfile(converted_path):
        raise CheckFailed(f"convert exited 0 but wrote no {converted_path}")
    return converted_path


def as_tuple(outputs, what):
    """A module's result as a tuple of tensors: (tensor,) for a single tensor."""
    import torch
    if isinstance(outputs, torch.Tensor):
        return (outputs,)
    if isinstance(outputs, tuple) and all(isinstance(output, torch.Tensor) for output in outputs):
        return outputs
    raise CheckFailed(f"{what} returned {type(outputs).__name__}, not a tensor or a tuple of tensors")


def original_output_shapes(entry):
    """The shapes of the original model's outputs (run on zeros)."""
    import torch
    module = torch.jit.load(entry["path"])
    with torch.no_grad():
        outputs = module(*[torch.zeros(shape) for shape in entry["inputs"]])
    return [list(output.shape) for output in as_tuple(outputs, "the original model")]


def tolerance(max_abs_reference):
    return ATOL + RTOL * max_abs_reference


def main_wrapper(check):
    """Runs check(): CheckFailed exits 1."""
    try:
        check()
    except CheckFailed as failure:
        print(f"FAIL: {failure}", flush=True)
        sys.exit(1)
    print("PASS", flush=True)
