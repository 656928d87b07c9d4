#!/usr/bin/python3
"""Converts a test model and checks `nnapi-convert inspect --json` on the result.

    check_inspect.py --cli CLI --models DIR --model NAME [--input-layout nhwc]

Checks: one JSON object with the conversion report's keys ("feature_level", "partitions", "nnapi_operations",
"multiply_adds", "nnapi_multiply_adds", "nnapi_share", "cpu_ops") and "operations" and "op_counts" over all
partitions; every partition is a full NNAPI model ("operands", "operations", "inputs", "outputs", "op_counts",
"feature_level"), every operation has an NNAPI operation name in "op" and the operands it reads and writes;
the top-level "operations" are the partitions' (each with its "partition") and "op_counts" their sum; the
manifest's inspect_limits ("max_operations" over all partitions, "max_partitions", "max_cpu_ops").

Layout changes only at each partition's boundary, so the layout is chosen once per partition, not re-transposed
between layers: every TRANSPOSE reads one of the partition's inputs or writes one of its outputs, no input is
transposed twice, and there are at most as many input-side TRANSPOSEs as map inputs and output-side ones as map
outputs (4-D [N,C,H,W] held NHWC, or 3-D [N,C,L] held [N,L,C]). With --input-layout nhwc, a model converted whole into one partition transposes no input.
"""
import collections
import json
import re
import tempfile

import e2e_common as e2e

NNAPI_OPERATION_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")
REPORT_KEYS = ("feature_level", "partitions", "nnapi_operations", "multiply_adds", "nnapi_multiply_adds",
               "nnapi_share", "cpu_ops", "operations", "op_counts")
MODEL_KEYS = ("operands", "operations", "inputs", "outputs", "op_counts", "feature_level")


def parse(stdout):
    try:
        summary = json.loads(stdout)
    except json.JSONDecodeError as error:
        raise e2e.CheckFailed(f"inspect --json printed invalid JSON: {error}")
    if not isinstance(summary, dict):
        raise e2e.CheckFailed("inspect --json printed a JSON value that is not an object")
    missing = [key for key in REPORT_KEYS if key not in summary]
    if missing:
        raise e2e.CheckFailed(f"inspect --json lacks keys {missing}")
    if not isinstance(summary["partitions"], list) or not summary["partitions"]:
        raise e2e.CheckFailed("inspect --json: \"partitions\" is not a non-empty list")
    return summary


def operand_rank(model, io):
    """The rank of a partition input or output: its PyTorch shape, else its operand's dimensions."""
    if isinstance(io, dict) and "torch_shape" in io:
        return len(io["torch_shape"])
    return len(model["operands"][operand_index(io)]["dims"])


def operand_index(io):
    return io["operand"] if isinstance(io, dict) else io


def check_partition(position, model):
    """Checks one partition's NNAPI model; returns its operations."""
    where = f"partition {position}"
    missing = [key for key in MODEL_KEYS if key not in model]
    if missing:
        raise e2e.CheckFailed(f"{where} lacks keys {missing}")
    operations = model["operations"]
    if not isinstance(operations, list) or not operations:
        raise e2e.CheckFailed(f"{where}: \"operations\" is not a non-empty list")
    operand_count = len(model["operands"])
    for index, operation in enumerate(operations):
        if not isinstance(operation, dict) or not NNAPI_OPERATION_NAME.match(str(operation.get("op", ""))):
            raise e2e.CheckFailed(f"{where}: operation {index} has no NNAPI operation name in \"op\": {operation!r}")
        for side in ("inputs", "outputs"):
            operands = operation.get(side)
            if not isinstance(operands, list) or not all(isinstance(i, int) and 0 <= i < operand_count
                                                         for i in operands):
                raise e2e.CheckFailed(f"{where}: operation {index} ({operation['op']}) has {side} {operands!r}, "
                                      f"not operand indices below {operand_count}")
    counts = dict(collections.Counter(operation["op"] for operation in operations))
    if counts != model["op_counts"]:
        raise e2e.CheckFailed(f"{where}: op_counts {model['op_counts']} do not match its operations {counts}")
    for side in ("inputs", "outputs"):
        if not isinstance(model[side], list) or not model[side]:
            raise e2e.CheckFailed(f"{where}: \"{side}\" is not a non-empty list")
    print(f"  {where}: {len(operations)} operations, {len(model['inputs'])} input(s), {len(model['outputs'])} "
          f"output(s), feature level {model['feature_level']}")
    return operations


def check_transposes(position, model, inputs_transposable):
    """TRANSPOSE only at the partition's ends: reading an input or writing an output, at most once per map (3-D or
    4-D) one."""
    inputs = {operand_index(io): io for io in model["inputs"]}
    outputs = {operand_index(io): io for io in model["outputs"]}
    inputs_4d = sum(1 for io in model["inputs"] if operand_rank(model, io) in (3, 4)) if inputs_transposable else 0
    outputs_4d = sum(1 for io in model["outputs"] if operand_rank(model, io) in (3, 4))
    reading, writing, inside = [], [], []
    for index, operation in enumerate(model["operations"]):
        if operation["op"] != "TRANSPOSE":
            continue
        if operation["inputs"][0] in inputs:
            reading.append(operation["inputs"][0])
        elif operation["outputs"][0] in outputs:
            writing.append(operation["outputs"][0])
        else:
            inside.append(index)
    where = f"partition {position}"
    problems = []
    if inside:
        problems.append(f"TRANSPOSE at operation(s) {inside} reads no partition input and writes no partition output")
    twice = sorted({operand for operand in reading if reading.count(operand) > 1})
    if twice:
        problems.append(f"input operand(s) {twice} transposed more than once")
    if len(reading) > inputs_4d:
        problems.append(f"{len(reading)} TRANSPOSE(s) of inputs, at most {inputs_4d} allowed")
    if len(writing) > outputs_4d:
        problems.append(f"{len(writing)} TRANSPOSE(s) into outputs, at most {outputs_4d} allowed (3-D and 4-D outputs)")
    if problems:
        raise e2e.CheckFailed(f"{where}: " + "; ".join(problems))
    print(f"  {where}: TRANSPOSE of {len(reading)} input(s) (at most {inputs_4d}) and into {len(writing)} output(s) "
          f"(at most {outputs_4d})")


def check(args):
    entry = e2e.load_entry(args.models, args.model)
    with tempfile.TemporaryDirectory(prefix="nnc-e2e-") as scratch:
        converted_path, _ = e2e.convert(args.cli, entry, scratch, args.input_layout)
        result = e2e.run_cli(args.cli, ["inspect", converted_path, "--json"])
        e2e.require_success(result, entry, "inspect")
    summary = parse(result.stdout)

    partitions = summary["partitions"]
    all_operations = []
    for position, model in enumerate(partitions):
        if model.get("index", position) != position:
            raise e2e.CheckFailed(f"partition {position} has \"index\" {model['index']}")
        all_operations += [(position, operation["op"]) for operation in check_partition(position, model)]

    listed = summary["operations"]
    if not isinstance(listed, list) or not all(isinstance(operation, dict) for operation in listed):
        raise e2e.CheckFailed("inspect --json: top-level \"operations\" is not a list of objects")
    if [(operation.get("partition"), operation.get("op")) for operation in listed] != all_operations:
        raise e2e.CheckFailed("top-level \"operations\" are not the partitions' operations in order, each with its "
                              "\"partition\"")
    if dict(collections.Counter(op for _, op in all_operations)) != summary["op_counts"]:
        raise e2e.CheckFailed(f"top-level op_counts {summary['op_counts']} are not the partitions' sum")
    if summary["nnapi_operations"] != len(all_operations):
        raise e2e.CheckFailed(f"nnapi_operations is {summary['nnapi_operations']}, the partitions have "
                              f"{len(all_operations)}")
    cpu_ops = summary["cpu_ops"]
    print(f"  {len(all_operations)} operations in {len(partitions)} partition(s), {len(cpu_ops)} CPU op(s)")

    # A model wholly on NNAPI: its one partition takes the model's inputs (given NHWC with --input-layout nhwc).
    whole = len(partitions) == 1 and not cpu_ops
    if whole and len(partitions[0]["inputs"]) != len(entry["inputs"]):
        raise e2e.CheckFailed(f"the one partition has {len(partitions[0]['inputs'])} inputs; the model takes "
                              f"{len(entry['inputs'])}")
    limits = entry.get("inspect_limits", {})
    for limit, value in (("max_operations", len(all_operations)), ("max_partitions", len(partitions)),
                         ("max_cpu_ops", len(cpu_ops))):
        if limit in limits and value > limits[limit]:
            raise e2e.CheckFailed(f"{limit}: {value}, more than the limit {limits[limit]}")
    for position, model in enumerate(partitions):
        check_transposes(position, model, inputs_transposable=not (whole and args.input_layout == "nhwc"))


def main():
    parser = e2e.argument_parser(__doc__, input_layout=True)
    e2e.main_wrapper(lambda: check(parser.parse_args()))


if __name__ == "__main__":
    main()
