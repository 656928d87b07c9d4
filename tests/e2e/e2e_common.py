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

# The CLI's quantized rule (verify on a model with quantized ops): a quantized output within MAX_LSB steps of its
# scale; a float output (dequantized) with cosine similarity >= MIN_COSINE and the same top-1 (argmax over the last
# dimension).
MAX_LSB = 2
MIN_COSINE = 0.99

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
    the converted file's path and what convert printed (its summary)."""
    converted_path = os.path.join(output_dir, entry["name"] + ".nnapi.pt")
    layout_args = ["--input-layout", input_layout] if input_layout == "nhwc" else []
    result = run_cli(cli, ["convert", entry["path"], "-o", converted_path] + input_args(entry["inputs"]) + layout_args
                     + list(extra_args))
    require_success(result, entry, "convert")
    if not os.path.isfile(converted_path):
        raise CheckFailed(f"convert exited 0 but wrote no {converted_path}")
    return converted_path, result.stdout


def as_tuple(outputs, what):
    """A module's result as a tuple of tensors: (tensor,) for a single tensor; the tensors of a tuple, list or
    string-keyed dict (in its order), nested ones flattened."""
    import torch
    if isinstance(outputs, torch.Tensor):
        return (outputs,)
    if isinstance(outputs, dict) and all(isinstance(key, str) for key in outputs):
        return sum((as_tuple(value, what) for value in outputs.values()), ())
    if isinstance(outputs, (tuple, list)):
        return sum((as_tuple(output, what) for output in outputs), ())
    raise CheckFailed(f"{what} returned {type(outputs).__name__}, not a tensor or tuples, lists or dicts of tensors")


def original_output_shapes(entry):
    """The shapes of the original model's outputs (run on zeros)."""
    import torch
    module = torch.jit.load(entry["path"])
    with torch.no_grad():
        outputs = module(*[torch.zeros(shape) for shape in entry["inputs"]])
    return [list(output.shape) for output in as_tuple(outputs, "the original model")]


def use_qnnpack():
    """Makes quantized models load and run with qnnpack, the engine of PyTorch on Android and the one the test
    models were calibrated and traced with (loading prepacks weights for the current engine; x86's default, onednn,
    rounds differently and refuses some, e.g. a transposed convolution's output_padding)."""
    import torch
    if "qnnpack" in torch.backends.quantized.supported_engines:
        torch.backends.quantized.engine = "qnnpack"


def is_quantized_model(module):
    """Whether a TorchScript module has quantized ops (quantize_per_tensor or quantized::*) anywhere, the test the
    CLI uses to pick the quantized rule."""
    def quantized(block):
        for node in block.nodes():
            kind = node.kind()
            if kind.startswith("quantized::") or kind == "aten::quantize_per_tensor":
                return True
            if any(quantized(inner) for inner in node.blocks()):
                return True
        return False

    modules = [module] + [child for _, child in module.named_modules()]
    for part in modules:
        for method_name in ("forward",):
            try:
                graph = getattr(part, method_name).inlined_graph
            except (AttributeError, RuntimeError):
                continue
            if quantized(graph):
                return True
    return False


def quantized_comparison(expected, actual, scale=None):
    """Compares one output of a quantized model by the quantized rule. `scale`: the step of a float output (the
    scale of the quantized tensor it was dequantized from), or None; a quantized output's own scale is used.
    Returns a dict: "cosine", "same_top1" (float outputs), "max_lsb" (None without a scale), "differing"
    (elements that differ), "passed" and "text"."""
    import torch
    if expected.is_quantized:
        scale = float(expected.q_scale())
        a, b = expected.dequantize().double(), actual.dequantize().double()
    else:
        a, b = expected.double(), actual.double()
    result = {"max_lsb": None, "cosine": None, "same_top1": None,
              "differing": int((a != b).sum().item()), "elements": a.numel()}
    difference = (a - b).abs().max().item() if a.numel() else 0.0
    if scale:
        # Whole steps: the values are float32 multiples of the scale, so the quotient is off by a few ulps.
        result["max_lsb"] = round(difference / scale, 3)
    flat_a, flat_b = a.flatten().double(), b.flatten().double()
    norms = flat_a.norm().item() * flat_b.norm().item()
    if flat_a.abs().max().item() == 0 and flat_b.abs().max().item() == 0:
        result["cosine"] = 1.0
    else:
        result["cosine"] = (flat_a * flat_b).sum().item() / norms if norms > 0 else 0.0
    if a.dim() == 2 and a.shape[-1] > 1:
        # The CLI's rule: a classifier's [N, classes] rows agree when the converted top-1 is one of the original's
        # maxima (quantized logits tie often). Near-ties (within one step, not a maximum) are reported, not excused.
        top_a, top_b = a.argmax(-1), b.argmax(-1)
        at_converted_top = a.gather(-1, top_b.unsqueeze(-1)).squeeze(-1)
        gap = a.amax(-1) - at_converted_top
        result["same_top1"] = bool((gap == 0).all().item())
        result["top1_rows_differing"] = int((gap != 0).sum().item())
        result["top1_rows"] = top_a.numel()
        step = scale if scale else 0.0
        result["top1_near_ties"] = int(((gap != 0) & (gap <= step * 1.001)).sum().item())
    else:
        result["same_top1"] = True
    if expected.is_quantized:
        result["passed"] = result["max_lsb"] <= MAX_LSB + 1e-6  # also False for NaN
    else:
        result["passed"] = result["cosine"] >= MIN_COSINE and result["same_top1"]
    lsb = f"max {result['max_lsb']:.3g} LSB" if result["max_lsb"] is not None else "max LSB unknown (no scale)"
    top1 = "same" if result["same_top1"] else (
        f"DIFFERENT in {result['top1_rows_differing']} of {result['top1_rows']} rows ("
        f"{result['top1_near_ties']} of them near-ties: the original's value there is within 1 LSB of its max)")
    result["text"] = (f"cosine {result['cosine']:.6f}, top-1 {top1}, {lsb}, "
                      f"{result['differing']} of {result['elements']} elements differ")
    return result


def tolerance(max_abs_reference):
    return ATOL + RTOL * max_abs_reference


def run_model_check(check):
    """main_wrapper(check) for checks that run models in this process: the reference side on one thread (keeps
    the shared 2-core test machine responsive) and quantized models on qnnpack."""
    import torch
    torch.set_num_threads(1)
    use_qnnpack()
    main_wrapper(check)


def main_wrapper(check):
    """Runs check(): CheckFailed exits 1."""
    try:
        check()
    except CheckFailed as failure:
        print(f"FAIL: {failure}", flush=True)
        sys.exit(1)
    print("PASS", flush=True)
