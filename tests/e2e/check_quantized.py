#!/usr/bin/python3
"""A quantized model runs wholly on NNAPI, with about as many NNAPI operations as its float twin, and matches
PyTorch by the quantized rule.

    check_quantized.py --cli CLI --runtime-lib LIB --models DIR --model NAME

Checks:
- `convert --strict --json` succeeds (exit 0; exit 3 lists the ops left on the CPU) and reports no CPU op;
- `convert --json` of the model's float twin (the manifest's "float_twin": the same network before quantization)
  counts its NNAPI operations, and the quantized model's count minus the float twin's lies in the manifest's
  "nnapi_operations_vs_float" range (QUANTIZE at the input and DEQUANTIZE at the output are the difference one
  expects; a lowering that spends several NNAPI operations per quantized op shows up here);
- the strictly converted module, loaded with only the runtime library (qnnpack engine for PyTorch's side), matches
  the original on two inputs by the quantized rule: a quantized output within 2 LSB, a float output with cosine
  >= 0.99, the same top-1 and, when the manifest gives "max_lsb", within that many steps of the output's scale
  (the manifest's "output_scales").
Prints the NNAPI operation counts (quantized and float twin, per NNAPI operation), the cosine, top-1 agreement
and max LSB difference per output, and a last line "quantized NAME: ..." with all of them for the notes.
"""
import collections
import json
import os
import tempfile

import torch

import e2e_common as e2e
from check_converted import random_inputs


def parse_report(result, what):
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError as error:
        raise e2e.CheckFailed(f"{what}: convert --json printed invalid JSON: {error}")
    for key in ("partitions", "nnapi_operations", "cpu_ops"):
        if key not in report:
            raise e2e.CheckFailed(f"{what}: convert --json lacks \"{key}\"")
    return report


def op_counts(report):
    counts = collections.Counter()
    for partition in report["partitions"]:
        counts.update(partition.get("op_counts", {}))
    return dict(sorted(counts.items()))


def convert_json(cli, entry, path, output, extra_args=()):
    return e2e.run_cli(cli, ["convert", path, "-o", output] + e2e.input_args(entry["inputs"]) + ["--json"]
                       + list(extra_args))


def check(args):
    entry = e2e.load_entry(args.models, args.model)
    name = entry["name"]
    if "float_twin" not in entry:
        raise e2e.CheckFailed(f"{name}: the manifest names no float twin")
    # Both at the model's --min-api, so the counts compare the same forms.
    level = ["--min-api", str(entry["min_api"])] if entry.get("min_api") else []
    with tempfile.TemporaryDirectory(prefix="nnc-e2e-") as scratch:
        # The float twin first: its count is printed even when the quantized model is refused.
        twin = convert_json(args.cli, entry, os.path.join(args.models, entry["float_twin"]),
                            os.path.join(scratch, "float.nnapi.pt"), level)
        e2e.require_success(twin, entry, "convert of the float twin")
        twin_report = parse_report(twin, "float twin")
        twin_operations = twin_report["nnapi_operations"]
        print(f"float twin: {twin_operations} NNAPI operations in {len(twin_report['partitions'])} partition(s), "
              f"{len(twin_report['cpu_ops'])} CPU op(s): {op_counts(twin_report)}")

        converted_path = os.path.join(scratch, name + ".nnapi.pt")
        result = convert_json(args.cli, entry, entry["path"], converted_path, ["--strict"] + level)
        if result.returncode == 3:
            raise e2e.CheckFailed(f"{name}: convert --strict refused the model (exit 3): ops stay on the CPU "
                                  "(listed above)")
        e2e.require_success(result, entry, "convert --strict")
        report = parse_report(result, name)
        operations = report["nnapi_operations"]
        print(f"quantized: {operations} NNAPI operations in {len(report['partitions'])} partition(s), "
              f"{len(report['cpu_ops'])} CPU op(s): {op_counts(report)}")

        problems = []
        if report["cpu_ops"]:
            problems.append(f"convert --strict succeeded but reports CPU ops: {report['cpu_ops']}")
        if not os.path.isfile(converted_path):
            raise e2e.CheckFailed(f"convert exited 0 but wrote no {converted_path}")
        low, high = entry.get("nnapi_operations_vs_float", [0, 4])
        if not twin_operations + low <= operations <= twin_operations + high:
            problems.append(f"{operations} NNAPI operations, expected {twin_operations + low}.."
                            f"{twin_operations + high} (the float twin's {twin_operations} {low:+d}..{high:+d})")

        e2e.use_qnnpack()
        torch.ops.load_library(args.runtime_lib)
        original = torch.jit.load(entry["path"])
        converted = torch.jit.load(converted_path)
        scales = entry.get("output_scales", [])
        max_lsb = entry.get("max_lsb")
        worst = {"cosine": 1.0, "top1": True, "max_lsb": None}
        for seed in (1, 2):
            inputs = random_inputs(entry["inputs"], seed)
            with torch.no_grad():
                references = e2e.as_tuple(original(*inputs), "original")
                try:
                    results = e2e.as_tuple(converted(*inputs), "converted")
                except RuntimeError as error:
                    raise e2e.CheckFailed(f"the converted module failed: {error}")
            print(f"inputs from seed {seed}:")
            if len(references) != len(results):
                raise e2e.CheckFailed(f"original returns {len(references)} outputs, converted {len(results)}")
            for index, (expected, actual) in enumerate(zip(references, results)):
                if (actual.shape != expected.shape or actual.dtype != expected.dtype
                        or actual.is_quantized != expected.is_quantized):
                    problems.append(f"seed {seed} output {index}: {actual.dtype} {list(actual.shape)}, expected "
                                    f"{expected.dtype} {list(expected.shape)}")
                    continue
                scale = scales[index] if index < len(scales) else None
                comparison = e2e.quantized_comparison(expected, actual, scale)
                passed = comparison["passed"]
                if (passed and max_lsb is not None and not expected.is_quantized
                        and comparison["max_lsb"] is not None and not comparison["max_lsb"] <= max_lsb + 1e-6):
                    passed = False
                    comparison["text"] += f" (more than {max_lsb:g} LSB)"
                print(f"  output {index}: shape {list(expected.shape)}, {comparison['text']}, "
                      f"{'PASS' if passed else 'FAIL'}")
                if not passed:
                    problems.append(f"seed {seed} output {index}: {comparison['text']}")
                worst["cosine"] = min(worst["cosine"], comparison["cosine"])
                worst["top1"] = worst["top1"] and comparison["same_top1"]
                if comparison["max_lsb"] is not None:
                    worst["max_lsb"] = max(worst["max_lsb"] or 0.0, comparison["max_lsb"])

    lsb = "unknown" if worst["max_lsb"] is None else f"{worst['max_lsb']:.3g}"
    print(f"quantized {name}: {operations} NNAPI operations (float twin {twin_operations}), "
          f"{len(report['partitions'])} partition(s), cosine {worst['cosine']:.6f}, "
          f"top-1 {'same' if worst['top1'] else 'DIFFERENT'}, max LSB {lsb}", flush=True)
    if problems:
        raise e2e.CheckFailed(f"{name}: " + "; ".join(problems))


def main():
    parser = e2e.argument_parser(__doc__)
    parser.add_argument("--runtime-lib", required=True, help="the runtime library (libnnapi_runtime.so)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    e2e.main_wrapper(lambda: check(args))


if __name__ == "__main__":
    main()
