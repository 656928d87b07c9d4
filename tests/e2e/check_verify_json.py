#!/usr/bin/python3
"""Runs `nnapi-convert verify --json` on a test model and checks the report against the original model.

    check_verify_json.py --cli CLI --models DIR --model NAME

Checks: exit 0; stdout is one JSON object {"outputs": [{"index", "shape", "max_abs_error",
"max_abs_reference", "pass"}], "pass"}; one entry per output of the original, in order, with its shape; each
"pass" agrees with the documented rule max_abs_error <= ATOL + RTOL * max_abs_reference.
"""
import json

import e2e_common as e2e

OUTPUT_KEYS = ("index", "shape", "max_abs_error", "max_abs_reference", "pass")


def check(args):
    entry = e2e.load_entry(args.models, args.model)
    result = e2e.run_cli(args.cli, ["verify", entry["path"], "--json"] + e2e.input_args(entry["inputs"]))
    e2e.require_success(result, entry, "verify --json")
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError as error:
        raise e2e.CheckFailed(f"verify --json printed invalid JSON: {error}")
    if not isinstance(report, dict) or report.get("pass") is not True or not isinstance(report.get("outputs"), list):
        raise e2e.CheckFailed("verify --json: expected an object with \"pass\": true and an \"outputs\" list")

    expected_shapes = e2e.original_output_shapes(entry)
    outputs = report["outputs"]
    if len(outputs) != len(expected_shapes):
        raise e2e.CheckFailed(f"verify --json lists {len(outputs)} outputs, the model has {len(expected_shapes)}")
    for position, (output, shape) in enumerate(zip(outputs, expected_shapes)):
        missing = [key for key in OUTPUT_KEYS if key not in output]
        if missing:
            raise e2e.CheckFailed(f"output entry {position} lacks keys {missing}")
        if output["index"] != position or list(output["shape"]) != shape:
            raise e2e.CheckFailed(f"output entry {position} is index {output['index']} shape {output['shape']}, "
                                  f"expected index {position} shape {shape}")
        within = output["max_abs_error"] <= e2e.tolerance(output["max_abs_reference"])
        if output["pass"] is not True or not within or output["max_abs_reference"] <= 0:
            raise e2e.CheckFailed(f"output entry {position} is inconsistent with the default rule: {output}")


def main():
    parser = e2e.argument_parser(__doc__)
    e2e.main_wrapper(lambda: check(parser.parse_args()))


if __name__ == "__main__":
    main()
