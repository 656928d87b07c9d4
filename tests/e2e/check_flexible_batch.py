#!/usr/bin/python3
"""One conversion with a flexible batch (--input -1,...) runs at several batch sizes.

    check_flexible_batch.py --cli CLI --runtime-lib LIB --models DIR --model NAME

Converts once with dimension 0 of every input given as -1, checks that the model's NNAPI inputs leave it
unspecified (inspect --json: 0), then loads the result the way an app does (plain torch with the runtime library)
and compares it with the original at batch 1 and batch 5 by check_converted.py's rule (the CLI's verify rule;
the quantized rule for a quantized model). Then `verify` with the same -1 must compare both of its batch sizes
(1 and 5) and pass. Run it under check_fallback.py --forbid: every partition must run on NNAPI, not its CPU
fallback.
"""
import json
import tempfile

import torch

import check_converted
import e2e_common as e2e

BATCHES = (1, 5)


def flexible(shape):
    return [-1] + list(shape[1:])


def with_batch(shape, batch):
    return [batch] + list(shape[1:])


def check_nnapi_inputs_unspecified(cli, converted_path):
    result = e2e.run_cli(cli, ["inspect", converted_path, "--json"])
    if result.returncode != e2e.EXIT_OK:
        raise e2e.CheckFailed(f"inspect exited with {result.returncode}")
    report = json.loads(result.stdout)
    for index, partition in enumerate(report["partitions"]):
        for model_input in partition["inputs"]:
            dims = partition["operands"][model_input["operand"]]["dims"]
            print(f"partition {index} input {model_input['name']}: NNAPI dims {dims}")
            if 0 not in dims:
                raise e2e.CheckFailed(f"partition {index}: input {model_input['name']} has NNAPI dims {dims}: "
                                      f"the batch is fixed in the model")


def check(args):
    entry = e2e.load_entry(args.models, args.model)
    flexible_entry = dict(entry, inputs=[flexible(shape) for shape in entry["inputs"]])
    with tempfile.TemporaryDirectory(prefix="nnc-e2e-") as scratch:
        converted_path, _ = e2e.convert(args.cli, flexible_entry, scratch, "nchw")
        check_nnapi_inputs_unspecified(args.cli, converted_path)
        torch.ops.load_library(args.runtime_lib)
        original = torch.jit.load(entry["path"])
        converted = torch.jit.load(converted_path)
        quantized = e2e.is_quantized_model(original)
        for batch in BATCHES:
            inputs = check_converted.random_inputs([with_batch(shape, batch) for shape in entry["inputs"]], batch)
            print(f"batch {batch}, one conversion:")
            with torch.no_grad():
                reference = original(*inputs)
                outputs = converted(*inputs)
            check_converted.compare(f"{entry['name']} at batch {batch}", reference, outputs, quantized,
                                    entry.get("output_scales", []))

    result = e2e.run_cli(args.cli, ["verify", entry["path"], "--json"] + e2e.input_args(flexible_entry["inputs"]))
    e2e.require_success(result, entry, "verify with -1")
    report = json.loads(result.stdout)
    compared = sorted({output["run_time_extent"] for output in report["outputs"]})
    if compared != list(BATCHES) or not report["pass"]:
        raise e2e.CheckFailed(f"verify compared batch sizes {compared} (expected {list(BATCHES)}), "
                              f"pass {report['pass']}")


def main():
    parser = e2e.argument_parser(__doc__)
    parser.add_argument("--runtime-lib", required=True, help="the runtime library (libnnapi_runtime.so)")
    args = parser.parse_args()
    e2e.run_model_check(lambda: check(args))


if __name__ == "__main__":
    main()
