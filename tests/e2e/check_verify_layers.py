#!/usr/bin/python3
"""Runs `nnapi-convert verify --layers --json` and checks the per-layer report.

    check_verify_layers.py --cli CLI --models DIR --model NAME

Checks: exit 0 (the outputs pass); "layers" is a non-empty list, in graph order, whose entries have "op",
"module", "source", "shape" and "pass" and the measures of the rule that applies (max_abs_error for float
layers, max_lsb for quantized ones, cosine for dequantized ones); the last layer has the shape of the model's
last output (it is that output, computed on NNAPI); and in a float model every layer passes.
"""
import json

import e2e_common as e2e

LAYER_KEYS = ("op", "module", "source", "shape", "pass")
MEASURES = ("max_abs_error", "max_lsb", "cosine")


def check(args):
    entry = e2e.load_entry(args.models, args.model)
    result = e2e.run_cli(args.cli, ["verify", entry["path"], "--layers", "--json"] + e2e.input_args(entry["inputs"]))
    e2e.require_success(result, entry, "verify --layers --json")
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError as error:
        raise e2e.CheckFailed(f"verify --layers --json printed invalid JSON: {error}")
    layers = report.get("layers")
    if not isinstance(layers, list) or not layers:
        raise e2e.CheckFailed("verify --layers --json has no \"layers\" list")
    for position, layer in enumerate(layers):
        missing = [key for key in LAYER_KEYS if key not in layer]
        if missing or not any(measure in layer for measure in MEASURES):
            raise e2e.CheckFailed(f"layer {position} lacks keys {missing or MEASURES}: {layer}")
        if not layer["op"] or not layer["source"]:
            raise e2e.CheckFailed(f"layer {position} does not say what computed it: {layer}")
    expected_shapes = e2e.original_output_shapes(entry)
    if list(layers[-1]["shape"]) != expected_shapes[-1]:
        raise e2e.CheckFailed(f"the last layer has shape {layers[-1]['shape']}, the model's output {expected_shapes[-1]}")
    import torch
    if not e2e.is_quantized_model(torch.jit.load(entry["path"])):
        failing = [layer for layer in layers if layer["pass"] is not True]
        if failing:
            raise e2e.CheckFailed(f"a float model's layers must all pass the default rule: {failing[0]}")
    print(f"{len(layers)} layers; first: {layers[0]['op']} in {layers[0]['module']}")


def main():
    parser = e2e.argument_parser(__doc__)
    e2e.main_wrapper(lambda: check(parser.parse_args()))


if __name__ == "__main__":
    main()
