#!/usr/bin/python3
"""Converts a test model and checks `nnapi-convert inspect --json` on the result.

    check_inspect.py --cli CLI --models DIR --model NAME [--input-layout nhwc]

Checks: one JSON object with "operands", "operations", "inputs", "outputs"; every operation has an NNAPI
operation name in "op"; the manifest's inspect_limits ("max_operations"); and layout changes only at the
model's boundary: TRANSPOSE may only be among the first k operations (k = number of 4-D inputs given in NCHW)
and the last m (m = number of 4-D outputs), so the layout is chosen once, not re-transposed between layers.
"""
import json
import re
import tempfile

import e2e_common as e2e

NNAPI_OPERATION_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")


def check_transposes_at_boundary(operations, leading_allowed, trailing_allowed):
    positions = [index for index, operation in enumerate(operations) if operation["op"] == "TRANSPOSE"]
    last = len(operations) - 1
    inside = [p for p in positions if not (p < leading_allowed or p > last - trailing_allowed)]
    if inside:
        raise e2e.CheckFailed(f"TRANSPOSE at operation(s) {inside} of {len(operations)}: only the first "
                              f"{leading_allowed} and the last {trailing_allowed} may change the layout")
    print(f"  TRANSPOSE operations: {len(positions)} (allowed: first {leading_allowed}, last {trailing_allowed})")


def check(args):
    entry = e2e.load_entry(args.models, args.model)
    with tempfile.TemporaryDirectory(prefix="nnc-e2e-") as scratch:
        converted_path = e2e.convert(args.cli, entry, scratch, args.input_layout)
        result = e2e.run_cli(args.cli, ["inspect", converted_path, "--json"])
        e2e.require_success(result, entry, "inspect")

    try:
        summary = json.loads(result.stdout)
    except json.JSONDecodeError as error:
        raise e2e.CheckFailed(f"inspect --json printed invalid JSON: {error}")
    if not isinstance(summary, dict):
        raise e2e.CheckFailed("inspect --json printed a JSON value that is not an object")
    missing = [key for key in ("operands", "operations", "inputs", "outputs") if key not in summary]
    if missing:
        raise e2e.CheckFailed(f"inspect --json lacks keys {missing}")
    operations = summary["operations"]
    if not isinstance(operations, list) or not operations:
        raise e2e.CheckFailed("inspect --json: \"operations\" is not a non-empty list")
    unnamed = [index for index, operation in enumerate(operations)
               if not isinstance(operation, dict) or not NNAPI_OPERATION_NAME.match(str(operation.get("op", "")))]
    if unnamed:
        raise e2e.CheckFailed(f"operations {unnamed[:10]} have no NNAPI operation name in \"op\"")
    if not isinstance(summary["inputs"], list) or len(summary["inputs"]) != len(entry["inputs"]):
        raise e2e.CheckFailed(f"inspect \"inputs\" is {summary['inputs']!r}; the model takes "
                              f"{len(entry['inputs'])} inputs")
    print(f"  {len(operations)} operations")

    max_operations = entry.get("inspect_limits", {}).get("max_operations")
    if max_operations is not None and len(operations) > max_operations:
        raise e2e.CheckFailed(f"{len(operations)} operations, more than the limit {max_operations}")
    nchw_4d_inputs = sum(1 for shape in entry["inputs"] if len(shape) == 4) if args.input_layout == "nchw" else 0
    outputs_4d = sum(1 for shape in e2e.original_output_shapes(entry) if len(shape) == 4)
    check_transposes_at_boundary(operations, nchw_4d_inputs, outputs_4d)


def main():
    parser = e2e.argument_parser(__doc__, input_layout=True)
    e2e.main_wrapper(lambda: check(parser.parse_args()))


if __name__ == "__main__":
    main()
