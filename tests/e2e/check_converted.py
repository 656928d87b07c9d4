#!/usr/bin/python3
"""Converts a test model with the CLI, then loads the result the way an app does -- plain torch with only
torch.ops.load_library(runtime library) -- and compares it with the original on the same random inputs.

    check_converted.py --cli CLI --runtime-lib LIB --models DIR --model NAME [--input-layout nhwc]
                       [--min-api N] [--strict] [--branches]
    check_converted.py --cli CLI --stock-nnapi-lib LIB --models DIR --model NAME [--expect-cpu-reason TEXT] ...

With --stock-nnapi-lib the model is converted with --format pytorch-nnapi and run in stock PyTorch: only our desktop
NNAPI (LIB, libneuralnetworks.so) is loaded, where PyTorch's binding (torch.classes._nnapi) finds it, and the
check fails if libnnapi_runtime.so is mapped into the process or another libneuralnetworks.so is used. First,
before that library is loaded, the module must raise an error naming libneuralnetworks.so and, after
set_nnapi_enabled(False), match the original on its CPU fallback. With --expect-nnapi-error TEXT the same holds
with the library loaded (NNAPI refuses the model, e.g. on an emulated older device), and the module is compared
on its CPU fallback.
--expect-cpu-reason: convert's summary must give this reason for an op left on the CPU. A manifest entry's
"max_size_ratio" bounds the converted file's size relative to the original's, in either format (each weight
stored once).

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
import ctypes
import os
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
    if type(reference) is not type(converted):  # a tensor, a tuple or a list, as the original returns
        raise e2e.CheckFailed(f"{name}: original returns {type(reference).__name__}, "
                              f"converted returns {type(converted).__name__}")
    if isinstance(reference, dict) and list(reference) != list(converted):
        raise e2e.CheckFailed(f"{name}: original returns keys {list(reference)}, converted {list(converted)}")
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


def mapped_libraries(fragment):
    """Real paths of the shared objects mapped into this process whose file name contains `fragment`."""
    with open("/proc/self/maps") as maps:
        paths = {line.split()[5] for line in maps if len(line.split()) >= 6}
    return {os.path.realpath(path) for path in paths if fragment in os.path.basename(path)}


def load_nnapi_for_stock_pytorch(library):
    """Maps our libneuralnetworks.so before PyTorch's binding dlopens "libneuralnetworks.so": the loader answers
    that dlopen with the already loaded object of the same SONAME."""
    ctypes.CDLL(library, mode=ctypes.RTLD_GLOBAL)


def check_stock_process(library):
    """Stock PyTorch ran the module: no library of ours but the desktop NNAPI, and that one is ours."""
    runtime = mapped_libraries("libnnapi_runtime")
    if runtime:
        raise e2e.CheckFailed(f"libnnapi_runtime.so is mapped into the process: {sorted(runtime)}")
    nnapi = mapped_libraries("libneuralnetworks")
    if nnapi != {os.path.realpath(library)}:
        raise e2e.CheckFailed(f"expected only {library} as libneuralnetworks, mapped: {sorted(nnapi)}")
    print(f"stock PyTorch process: libnnapi_runtime.so not mapped, NNAPI from {library}")


def check_nnapi_error_then_cpu(converted, inputs, reference, name, quantized, scales, expected_error):
    """The module raises PyTorch's binding's error naming `expected_error` (TorchScript cannot catch it, so there is
    no automatic fallback) on two calls in a row, and after set_nnapi_enabled(False) the same module runs its CPU
    fallback and matches the original. Leaves NNAPI enabled again."""
    for attempt in (1, 2):
        try:
            with torch.no_grad():
                converted(*inputs)
        except RuntimeError as error:
            if expected_error not in str(error):
                raise e2e.CheckFailed(f"the module's error does not name {expected_error!r}: {str(error)[-300:]}")
        else:
            raise e2e.CheckFailed(f"call {attempt}: the module ran on NNAPI, expected an error naming "
                                  f"{expected_error!r}")
    print(f"the module raises RuntimeError naming {expected_error!r} on every call, as expected")
    converted.set_nnapi_enabled(False)
    print("set_nnapi_enabled(False), every partition on the CPU:")
    with torch.no_grad():
        compare(name, reference, converted(*inputs), quantized, scales)
    converted.set_nnapi_enabled(True)


def check_size(entry, converted_path):
    """The manifest's max_size_ratio: the converted file at most that many times the original's size (each
    weight stored once)."""
    ratio = os.path.getsize(converted_path) / os.path.getsize(entry["path"])
    limit = entry["max_size_ratio"]
    print(f"converted file: {os.path.getsize(converted_path)} bytes, {ratio:.3f}x the original (limit {limit}x)")
    if ratio > limit:
        raise e2e.CheckFailed(f"the converted file is {ratio:.3f}x the original's size, more than {limit}x: "
                              f"weights are stored twice")


def check_cpu_reason(stdout, reason):
    if reason not in stdout:
        raise e2e.CheckFailed(f"convert's summary gives no op on the CPU with the reason '{reason}'")
    print(f"convert left ops on the CPU with the reason '{reason}'")


def check(args):
    entry = e2e.load_entry(args.models, args.model)
    convert_args = (["--min-api", str(args.min_api)] if args.min_api is not None else []) + (
        ["--strict"] if args.strict else []) + (["--format", "pytorch-nnapi"] if args.stock_nnapi_lib else [])
    with tempfile.TemporaryDirectory(prefix="nnc-e2e-") as scratch:
        converted_path, stdout = e2e.convert(args.cli, entry, scratch, args.input_layout, convert_args)
        if args.expect_cpu_reason:
            check_cpu_reason(stdout, args.expect_cpu_reason)
        if "max_size_ratio" in entry:
            check_size(entry, converted_path)
        if not args.stock_nnapi_lib:
            torch.ops.load_library(args.runtime_lib)
        original = torch.jit.load(entry["path"])
        converted = torch.jit.load(converted_path)
        quantized = e2e.is_quantized_model(original)
        if quantized:
            print(f"rule: quantized model: quantized outputs within {e2e.MAX_LSB} LSB; float outputs cosine >= "
                  f"{e2e.MIN_COSINE} and the same top-1")
        if args.stock_nnapi_lib:
            inputs = random_inputs(entry["inputs"], 1)
            with torch.no_grad():
                reference = original(*inputs)
            scales = entry.get("output_scales", [])
            check_nnapi_error_then_cpu(converted, inputs, reference, entry["name"], quantized, scales,
                                       "Failed to load libneuralnetworks.so")
            load_nnapi_for_stock_pytorch(args.stock_nnapi_lib)
            if args.expect_nnapi_error:
                # NNAPI is there but refuses the model: the rest of the comparisons run on the CPU fallback.
                check_nnapi_error_then_cpu(converted, inputs, reference, entry["name"], quantized, scales,
                                           args.expect_nnapi_error)
                converted.set_nnapi_enabled(False)
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
        if args.stock_nnapi_lib:
            check_stock_process(args.stock_nnapi_lib)


def main():
    parser = e2e.argument_parser(__doc__, input_layout=True)
    library = parser.add_mutually_exclusive_group(required=True)
    library.add_argument("--runtime-lib", help="the runtime library (libnnapi_runtime.so)")
    library.add_argument("--stock-nnapi-lib", help="convert with --format pytorch-nnapi and run on stock PyTorch "
                                                   "with this libneuralnetworks.so")
    parser.add_argument("--expect-cpu-reason", help="a reason convert's summary must give for an op on the CPU")
    parser.add_argument("--expect-nnapi-error", help="with --stock-nnapi-lib: NNAPI refuses the model (e.g. a device "
                                                     "of a lower feature level) and the module raises this text")
    parser.add_argument("--min-api", type=int, help="convert with --min-api N")
    parser.add_argument("--strict", action="store_true", help="convert with --strict")
    parser.add_argument("--branches", action="store_true", help="also compare on the manifest's branch_offsets")
    args = parser.parse_args()
    e2e.run_model_check(lambda: check(args))


if __name__ == "__main__":
    main()
