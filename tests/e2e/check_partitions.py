#!/usr/bin/python3
"""Converts a test model with `convert --json` and checks the report of what runs on NNAPI and what on the CPU.

    check_partitions.py --cli CLI --models DIR --model NAME

Checks, on the JSON report: the keys "feature_level", "partitions", "nnapi_operations", "multiply_adds",
"nnapi_multiply_adds", "nnapi_share", "cpu_ops", "output"; every partition has "index" (its position),
"operations" (NNAPI operation names, not empty), "op_counts" (agreeing with them), "inputs", "outputs",
"feature_level" (not above the model's) and "source_ops"; "nnapi_operations" is the partitions' total; the
multiply-add counts and the share agree; at least the manifest's expect_partitions partitions; every op of
expect_cpu_ops is among "cpu_ops" (kind, a source ending in the expected FILE.py:LINE, the module path when
given) and, with only_expected_cpu_ops, nothing else is; every CPU op has a reason. Then the same conversion
without --json: the summary names the partition and CPU-op counts, and every expected CPU op kind and its
FILE.py:LINE.
"""
import collections
import json
import os
import re
import tempfile

import e2e_common as e2e

NNAPI_OPERATION_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")
REPORT_KEYS = ("feature_level", "partitions", "nnapi_operations", "multiply_adds", "nnapi_multiply_adds",
               "nnapi_share", "cpu_ops", "output")
PARTITION_KEYS = ("index", "operations", "op_counts", "inputs", "outputs", "feature_level", "source_ops")
CPU_OP_KEYS = ("kind", "source", "module", "reason")


def feature_level_rank(level):
    """1..8 for an NNAPI feature level given as 1..8, as the API level that brought it (27..31, 33, 34: what the
    converter writes) or as NNAPI's code (ANEURALNETWORKS_FEATURE_LEVEL_1..5 are the API levels 27..31, _6.._8 are
    1000006..1000008); None for anything else."""
    if isinstance(level, bool) or not isinstance(level, int):
        return None
    if 1 <= level <= 8:
        return level
    if 27 <= level <= 31:
        return level - 26
    if level in (33, 34):  # Android 13 and 14 brought feature levels 6 and 7 (12L, API 32, brought none)
        return level - 27
    if 1000006 <= level <= 1000008:
        return level - 1000000
    return None


def count(value):
    """A partition's "inputs"/"outputs": a number, or a list of descriptions."""
    return len(value) if isinstance(value, list) else value


def check_partition(position, partition, model_feature_level):
    missing = [key for key in PARTITION_KEYS if key not in partition]
    if missing:
        raise e2e.CheckFailed(f"partition {position} lacks keys {missing}")
    if partition["index"] != position:
        raise e2e.CheckFailed(f"partition {position} has \"index\" {partition['index']}")
    operations = partition["operations"]
    if not isinstance(operations, list) or not operations:
        raise e2e.CheckFailed(f"partition {position}: \"operations\" is not a non-empty list: {operations!r}")
    names = [operation.get("op") if isinstance(operation, dict) else operation for operation in operations]
    unnamed = [name for name in names if not NNAPI_OPERATION_NAME.match(str(name))]
    if unnamed:
        raise e2e.CheckFailed(f"partition {position}: operations {unnamed[:5]} are not NNAPI operation names")
    if dict(collections.Counter(names)) != partition["op_counts"]:
        raise e2e.CheckFailed(f"partition {position}: op_counts {partition['op_counts']} do not match its "
                              f"operations {dict(collections.Counter(names))}")
    for side in ("inputs", "outputs"):
        if not isinstance(count(partition[side]), int) or count(partition[side]) < 1:
            raise e2e.CheckFailed(f"partition {position}: \"{side}\" is {partition[side]!r}, expected at least one")
    level = partition["feature_level"]
    if feature_level_rank(level) is None or feature_level_rank(level) > feature_level_rank(model_feature_level):
        raise e2e.CheckFailed(f"partition {position}: feature level {level!r}, expected one at most the model's "
                              f"{model_feature_level}")
    print(f"  partition {position}: {len(operations)} operations, {count(partition['inputs'])} input(s), "
          f"{count(partition['outputs'])} output(s), feature level {level}: {partition['op_counts']}")
    return len(operations)


def check_multiply_adds(report):
    total, on_nnapi, share = report["multiply_adds"], report["nnapi_multiply_adds"], report["nnapi_share"]
    if not all(isinstance(value, int) for value in (total, on_nnapi)) or not 0 <= on_nnapi <= total:
        raise e2e.CheckFailed(f"multiply_adds {total!r}, nnapi_multiply_adds {on_nnapi!r}: expected "
                              f"0 <= nnapi_multiply_adds <= multiply_adds")
    if not isinstance(share, (int, float)) or not 0.0 <= share <= 1.0:
        raise e2e.CheckFailed(f"nnapi_share {share!r} is not a fraction in [0, 1]")
    if total > 0 and abs(share - on_nnapi / total) > 1e-6:
        raise e2e.CheckFailed(f"nnapi_share {share} is not nnapi_multiply_adds / multiply_adds = {on_nnapi / total}")
    print(f"  multiply-adds: {on_nnapi} of {total} on NNAPI ({100 * share:.1f}%)")


def match_cpu_ops(cpu_ops, expected_ops, only_expected):
    """Matches each expected CPU op to a distinct reported one; raises CheckFailed listing what is missing or extra."""
    unmatched = list(range(len(cpu_ops)))
    problems = []
    for expected in expected_ops:
        def matches(op):
            return (op["kind"] == expected["kind"] and str(op["source"]).endswith(expected["source"])
                    and ("module" not in expected or op["module"] == expected["module"]))
        found = next((index for index in unmatched if matches(cpu_ops[index])), None)
        if found is not None:
            unmatched.remove(found)
        elif not expected.get("optional"):
            where = f" in {expected['module']}" if "module" in expected else ""
            problems.append(f"no CPU op {expected['kind']} at ...{expected['source']}{where}")
    if only_expected and unmatched:
        problems.append("unexpected CPU ops: " + ", ".join(
            f"{cpu_ops[index]['kind']} at {cpu_ops[index]['source'] or '?'}" for index in unmatched))
    if problems:
        raise e2e.CheckFailed("; ".join(problems))


def check_report(report, entry, output_path):
    if not isinstance(report, dict):
        raise e2e.CheckFailed("convert --json printed a JSON value that is not an object")
    missing = [key for key in REPORT_KEYS if key not in report]
    if missing:
        raise e2e.CheckFailed(f"convert --json lacks keys {missing}")
    if report["output"] != output_path:
        raise e2e.CheckFailed(f"\"output\" is {report['output']!r}, expected {output_path!r}")
    feature_level = report["feature_level"]
    if feature_level_rank(feature_level) is None:
        raise e2e.CheckFailed(f"\"feature_level\" {feature_level!r} is not an NNAPI feature level")
    partitions = report["partitions"]
    if not isinstance(partitions, list):
        raise e2e.CheckFailed("\"partitions\" is not a list")
    operations = sum(check_partition(position, partition, feature_level)
                     for position, partition in enumerate(partitions))
    if report["nnapi_operations"] != operations:
        raise e2e.CheckFailed(f"nnapi_operations is {report['nnapi_operations']}, the partitions have {operations}")
    check_multiply_adds(report)

    cpu_ops = report["cpu_ops"]
    if not isinstance(cpu_ops, list):
        raise e2e.CheckFailed("\"cpu_ops\" is not a list")
    for op in cpu_ops:
        missing = [key for key in CPU_OP_KEYS if not isinstance(op, dict) or key not in op]
        if missing:
            raise e2e.CheckFailed(f"CPU op {op!r} lacks keys {missing}")
        print(f"  on the CPU: {op['kind']} at {op['source'] or '?'} in {op['module'] or '?'}: {op['reason']}")
        if not op["reason"]:
            raise e2e.CheckFailed(f"CPU op {op['kind']} at {op['source']} gives no reason")
    match_cpu_ops(cpu_ops, entry["expect_cpu_ops"], entry["only_expected_cpu_ops"])
    if len(partitions) < entry["expect_partitions"]:
        raise e2e.CheckFailed(f"{len(partitions)} NNAPI partition(s), expected at least {entry['expect_partitions']}")
    print(f"  {len(partitions)} partition(s) (at least {entry['expect_partitions']} expected), {len(cpu_ops)} CPU "
          f"op(s), all {len(entry['expect_cpu_ops'])} expected found")


def check_summary(text, report, entry):
    """The human-readable summary of a conversion without --json."""
    expected = [f"{len(report['partitions'])} NNAPI partition(s)", f"{report['nnapi_operations']} NNAPI operations",
                f"{len(report['cpu_ops'])} op(s) on the CPU"]
    for op in entry["expect_cpu_ops"]:
        if not op.get("optional"):
            expected += [op["kind"], op["source"]] + ([op["module"]] if "module" in op else [])
    missing = [item for item in expected if item not in text]
    if missing:
        raise e2e.CheckFailed(f"convert's summary does not mention {missing}")


def check(args):
    entry = e2e.load_entry(args.models, args.model)
    with tempfile.TemporaryDirectory(prefix="nnc-e2e-") as scratch:
        output_path = os.path.join(scratch, entry["name"] + ".nnapi.pt")
        level = ["--min-api", str(args.min_api)] if args.min_api is not None else []
        result = e2e.run_cli(args.cli, ["convert", entry["path"], "-o", output_path, "--json"]
                             + e2e.input_args(entry["inputs"]) + level)
        e2e.require_success(result, entry, "convert --json")
        if not os.path.isfile(output_path):
            raise e2e.CheckFailed(f"convert --json exited 0 but wrote no {output_path}")
        try:
            report = json.loads(result.stdout)
        except json.JSONDecodeError as error:
            raise e2e.CheckFailed(f"convert --json printed invalid JSON: {error}")
        check_report(report, entry, output_path)

        plain = e2e.run_cli(args.cli, ["convert", entry["path"], "-o", output_path] + e2e.input_args(entry["inputs"])
                            + level)
        e2e.require_success(plain, entry, "convert")
        check_summary(plain.stdout, report, entry)


def main():
    parser = e2e.argument_parser(__doc__)
    parser.add_argument("--min-api", type=int, help="convert with --min-api N (default: the CLI's)")
    e2e.main_wrapper(lambda: check(parser.parse_args()))


if __name__ == "__main__":
    main()
