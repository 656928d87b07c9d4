#!/usr/bin/python3
"""Converts a test model with the CLI, then loads the result the way an app does -- plain torch with only
torch.ops.load_library(runtime library) -- and compares it with the original on the same random inputs.

    check_converted.py --cli CLI --runtime-lib LIB --models DIR --model NAME [--input-layout nhwc]
                       [--min-api N] [--strict] [--branches]

Checks: the output structure (a tensor, or a tuple of the same length), each output's shape, and
max|converted - original| <= ATOL + RTOL * max|original| per output, on two different inputs (a converted
module that replays its first result would pass one). A quantized model (quantize_per_tensor or quantized:: ops)
is compared by the CLI's quantized rule instead: a quantized output within 2 steps (LSB) of its scale, a float
output with cosine similarity >= 0.99 and the same top-1 (argmax over the last dimension); the max LSB difference
of a float output is printed too when the manifest gives its scale ("output_scales"). Quantized models are loaded
and run with the qnnpack engine. With nhwc, 4-D inputs are given channels-last.
--min-api and --strict are passed to `convert`. With --branches (models with control flow) the comparison also
runs on the inputs plus each of the manifest's "branch_offsets", which take the model's different branches (a
converter that fixed the branch at convert time fails on one of them).
"""
import tempfile

import torch

import e2e_common as e2e


def random_inputs(shapes, seed):
    generator = torch.Generator().manual_seed(seed)
    return [torch.randn(shape, generator=generator) for shape in shapes]


def to_nhwc(tensor):
    return tensor.permute(0, 2, 3, 1).contiguous() if tensor.dim() == 4 else tensor


def compare(name, reference, converted, quantized=False, scales=()):
    """Compares two output structures (by the quantized rule if `quantized`, with `scales` the steps of float
    outputs); raises CheckFailed listing every mismatch."""
    if isinstance(reference, torch.Tensor) != isinstance(converted, torch.Tensor):
        raise e2e.CheckFailed(f"{name}: original returns {type(reference).__name__}, "
                              f"converted returns {type(converted).__name__}")
    references, results = e2e.as_tuple(reference, "original"), e2e.as_tuple(converted, "converted")
    if len(references) != len(results):
        raise e2e.CheckFailed(f"{name}: original returns {len(references)} outputs, converted {len(results)}")
    problems = []
    for index, (expected, actual) in enumerate(zip(references, results)):
        if actual.dtype != expected.dtype or actual.shape != expected.shape:
            problems.append(f"output {index} is {actual.dtype} {list(actual.shape)}, "
                            f"expected {expected.dtype} {list(expected.shape)}")
            continue
        if quantized:
            scale = scales[index] if index < len(scales) else None
            result = e2e.quantized_comparison(expected, actual, scale)
            print(f"  output {index}: shape {list(expected.shape)}, {result['text']}, "
                  f"{'PASS' if result['passed'] else 'FAIL'}")
            if not result["passed"]:
                problems.append(f"output {index}: {result['text']}")
            continue
        max_abs_error = (actual - expected).abs().max().item()
        max_abs_reference = expected.abs().max().item()
        passed = max_abs_error <= e2e.tolerance(max_abs_reference)  # also False for NaN
        print(f"  output {index}: shape {list(expected.shape)}, max abs error {max_abs_error:.3g}, "
              f"max |reference| {max_abs_reference:.3g}, {'PASS' if passed else 'FAIL'}")
        if not passed:
            problems.append(f"output {index}: max abs error {max_abs_error:.3g} exceeds "
                            f"{e2e.tolerance(max_abs_reference):.3g}")
    if problems:
        raise e2e.CheckFailed(f"{name}: " + "; ".join(problems))


def input_sets(entry, branches):
    """(description, inputs) pairs to compare on: seeds 1 and 2, and with `branches` the seed-1 inputs shifted by
    each branch offset."""
    sets = [(f"inputs from seed {seed}", random_inputs(entry["inputs"], seed)) for seed in (1, 2)]
    if branches:
        offsets = entry.get("branch_offsets", [])
        if not offsets:
            raise e2e.CheckFailed(f"{entry['name']}: the manifest gives no branch_offsets")
        sets += [(f"inputs from seed 1 {offset:+g}", [x + offset for x in random_inputs(entry["inputs"], 1)])
                 for offset in offsets]
    return sets


def check(args):
    entry = e2e.load_entry(args.models, args.model)
    convert_args = (["--min-api", str(args.min_api)] if args.min_api is not None else []) + (
        ["--strict"] if args.strict else [])
    with tempfile.TemporaryDirectory(prefix="nnc-e2e-") as scratch:
        converted_path = e2e.convert(args.cli, entry, scratch, args.input_layout, convert_args)
        torch.ops.load_library(args.runtime_lib)
        original = torch.jit.load(entry["path"])
        converted = torch.jit.load(converted_path)
        quantized = e2e.is_quantized_model(original)
        if quantized:
            print(f"rule: quantized model: quantized outputs within {e2e.MAX_LSB} LSB; float outputs cosine >= "
                  f"{e2e.MIN_COSINE} and the same top-1")
        for description, inputs in input_sets(entry, args.branches):
            converted_inputs = [to_nhwc(x) for x in inputs] if args.input_layout == "nhwc" else inputs
            print(f"{description}, {args.input_layout} layout:")
            with torch.no_grad():
                reference = original(*inputs)
                try:
                    outputs = converted(*converted_inputs)
                except RuntimeError as error:
                    raise e2e.CheckFailed(f"the converted module failed on inputs of shapes "
                                          f"{[list(x.shape) for x in converted_inputs]}: {error}")
            compare(entry["name"], reference, outputs, quantized, entry.get("output_scales", []))


def main():
    parser = e2e.argument_parser(__doc__, input_layout=True)
    parser.add_argument("--runtime-lib", required=True, help="the runtime library (libnnapi_runtime.so)")
    parser.add_argument("--min-api", type=int, help="convert with --min-api N")
    parser.add_argument("--strict", action="store_true", help="convert with --strict")
    parser.add_argument("--branches", action="store_true", help="also compare on the manifest's branch_offsets")
    args = parser.parse_args()
    e2e.run_model_check(lambda: check(args))


if __name__ == "__main__":
    main()
