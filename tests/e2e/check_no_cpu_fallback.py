#!/usr/bin/python3
"""Converts a test model with `convert --no-cpu-fallback` (and, to compare file sizes, without it) and checks the
module it writes: no CPU copy of what NNAPI runs, the same results as the original where NNAPI runs it, and a clear
error where NNAPI cannot.

    check_no_cpu_fallback.py --cli CLI --runtime-lib LIB --models DIR --model NAME [--expect-error TEXT]

Both conversions use --min-api 30, so on a desktop NNAPI emulating feature level 1 the partitions cannot run.
Checks:
  - the converted forward asks no partition whether it is available() and holds none of the ops the partitions run
    (those of `convert --json`'s partitions' source_ops that are not also left on the CPU elsewhere), and the file is
    smaller than the one converted with the CPU fallback (both sizes are printed);
  - without --expect-error: the module matches the original on two inputs (check_converted.py's comparison);
  - with --expect-error TEXT (ctest forces a reason NNAPI cannot run the model here: NNAPI_LIBRARY naming a missing
    file, NNAPI_HOST_FEATURE_LEVEL=1, NNAPI_HOST_FAIL=model|compilation): calling the module raises a RuntimeError
    whose message contains TEXT and names --no-cpu-fallback, every time it is called.
"""
import json
import os
import tempfile

import torch

import check_converted
import e2e_common as e2e

CONVERT_ARGS = ["--min-api", "30"]


def convert_with_report(args, entry, path, extra_args):
    result = e2e.run_cli(args.cli, ["convert", entry["path"], "-o", path] + e2e.input_args(entry["inputs"]) +
                         CONVERT_ARGS + extra_args + ["--json"])
    e2e.require_success(result, entry, "convert")
    return json.loads(result.stdout)


def op_kinds(block):
    """The op kinds of a TorchScript block, nested blocks included."""
    kinds = set()
    for node in block.nodes():
        kinds.add(node.kind())
        for inner in node.blocks():
            kinds |= op_kinds(inner)
    return kinds


def check_forward(entry, report, converted):
    graph = converted.forward.graph
    asked = [node for node in graph.findAllNodes("prim::CallMethod") if node.s("name") == "available"]
    if asked:
        raise e2e.CheckFailed(f"{entry['name']}: forward still asks {len(asked)} partitions available()")
    cpu_kinds = {op["kind"] for op in report["cpu_ops"]}
    nnapi_kinds = {kind for partition in report["partitions"] for kind in partition["source_ops"]} - cpu_kinds
    if not nnapi_kinds:
        raise e2e.CheckFailed(f"{entry['name']}: no partition runs an op of its own; the check would prove nothing")
    kept = sorted(nnapi_kinds & op_kinds(graph))
    if kept:
        raise e2e.CheckFailed(f"{entry['name']}: forward still holds the partitions' ops {kept} (a CPU fallback)")
    print(f"forward holds none of the partitions' ops {sorted(nnapi_kinds)}")


def check(args):
    entry = e2e.load_entry(args.models, args.model)
    with tempfile.TemporaryDirectory(prefix="nnc-e2e-") as scratch:
        with_fallback = os.path.join(scratch, "with_fallback.pt")
        without_fallback = os.path.join(scratch, "no_cpu_fallback.pt")
        convert_with_report(args, entry, with_fallback, [])
        report = convert_with_report(args, entry, without_fallback, ["--no-cpu-fallback"])
        sizes = {path: os.path.getsize(path) for path in (with_fallback, without_fallback)}
        print(f"file size: {sizes[with_fallback]} bytes with the CPU fallback, {sizes[without_fallback]} bytes "
              f"with --no-cpu-fallback ({sizes[with_fallback] / sizes[without_fallback]:.2f}x)")
        if sizes[without_fallback] >= sizes[with_fallback]:
            raise e2e.CheckFailed(f"{entry['name']}: --no-cpu-fallback did not make the file smaller")

        torch.ops.load_library(args.runtime_lib)
        original = torch.jit.load(entry["path"])
        converted = torch.jit.load(without_fallback)
        check_forward(entry, report, converted)
        for description, inputs in check_converted.input_sets(entry, branches=False):
            print(f"{description}:")
            if args.expect_error is None:
                with torch.no_grad():
                    check_converted.compare(entry["name"], original(*inputs), converted(*inputs))
                continue
            try:
                with torch.no_grad():
                    converted(*inputs)
            except RuntimeError as error:
                message = str(error)
                print(f"  raised: {message.strip().splitlines()[-1]}")
                missing = [text for text in (args.expect_error, "--no-cpu-fallback") if text not in message]
                if missing:
                    raise e2e.CheckFailed(f"{entry['name']}: the error does not name {missing}: {message}")
                continue
            raise e2e.CheckFailed(f"{entry['name']}: the module ran although NNAPI cannot run it here and it has "
                                  f"no CPU fallback")


def main():
    parser = e2e.argument_parser(__doc__)
    parser.add_argument("--runtime-lib", required=True, help="the runtime library (libnnapi_runtime.so)")
    parser.add_argument("--expect-error", metavar="TEXT", help="the module must raise an error containing TEXT")
    args = parser.parse_args()
    torch.set_num_threads(1)  # the reference side only; keeps the shared 2-core test machine responsive
    e2e.main_wrapper(lambda: check(args))


if __name__ == "__main__":
    main()
