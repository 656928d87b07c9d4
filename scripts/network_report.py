#!/usr/bin/env python3
"""Per network: does it convert with --strict (the whole model on NNAPI), how many NNAPI operations and TRANSPOSEs
it becomes, and the largest error `verify` measures against PyTorch. Prints a Markdown table.

    scripts/network_report.py [--cli build/bin/nnapi-convert] [--models build/tests/e2e/models] [NAME ...]

NAME is a model of the end-to-end manifest (build/tests/e2e/models/manifest.json, written by the test build);
without names, every model of kind "network" or "op" whose name is given by --match (a substring) is reported.
Uses only the CLI, so it needs no torch.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(cli, args):
    return subprocess.run([cli] + args, capture_output=True, text=True)


def shape_args(entry):
    return [arg for shape in entry["inputs"] for arg in ("--input", ",".join(str(d) for d in shape))]


def report(cli, entry, work):
    converted = os.path.join(work, entry["name"] + ".nnapi.pt")
    result = run(cli, ["convert", entry["path"], "--strict", "--json", "-o", converted] + shape_args(entry))
    row = {"name": entry["name"], "strict": result.returncode == 0}
    summary = json.loads(result.stdout) if result.stdout.strip().startswith("{") else {}
    if not row["strict"]:
        # Not whole on NNAPI: count what the default conversion leaves on the CPU.
        result = run(cli, ["convert", entry["path"], "--json", "-o", converted] + shape_args(entry))
        summary = json.loads(result.stdout) if result.returncode == 0 else {}
    counts = {}
    for partition in summary.get("partitions", []):
        for op, count in partition.get("op_counts", {}).items():
            counts[op] = counts.get(op, 0) + count
    row["operations"] = sum(counts.values())
    row["transposes"] = counts.get("TRANSPOSE", 0)
    row["cpu_ops"] = sorted({op["kind"] for op in summary.get("cpu_ops", [])})
    verify = run(cli, ["verify", entry["path"], "--json"] + shape_args(entry))
    try:
        outputs = json.loads(verify.stdout)["outputs"]
        row["max_error"] = max(output["max_abs_error"] for output in outputs)
        row["pass"] = verify.returncode == 0
    except (ValueError, KeyError):
        row["max_error"], row["pass"] = None, False
    return row


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cli", default=os.path.join(ROOT, "build", "bin", "nnapi-convert"))
    parser.add_argument("--models", default=os.path.join(ROOT, "build", "tests", "e2e", "models"))
    parser.add_argument("--match", default="", help="without NAMEs: report the models whose name contains this")
    parser.add_argument("names", nargs="*")
    args = parser.parse_args()
    manifest_path = os.path.join(args.models, "manifest.json")
    if not os.path.exists(manifest_path):
        sys.exit(f"{manifest_path} does not exist: build the tests first (scripts/build.sh)")
    with open(manifest_path) as manifest_file:
        entries = {e["name"]: dict(e, path=os.path.join(args.models, e["file"]))
                   for e in json.load(manifest_file)["models"]}
    unknown = [name for name in args.names if name not in entries]
    if unknown:
        sys.exit(f"not in {manifest_path}: {', '.join(unknown)}")
    names = args.names or [name for name, e in entries.items()
                           if args.match in name and e.get("expect", "pass") == "pass"]
    print("| network | whole model on NNAPI (--strict) | NNAPI operations | TRANSPOSEs | max abs error (verify) |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as work:
        for name in names:
            row = report(args.cli, entries[name], work)
            strict = "yes" if row["strict"] else "no: " + ", ".join(row["cpu_ops"])
            error = "n/a" if row["max_error"] is None else f"{row['max_error']:.2g}" + ("" if row["pass"] else " FAIL")
            print(f"| {name} | {strict} | {row['operations']} | {row['transposes']} | {error} |", flush=True)


if __name__ == "__main__":
    main()
