#!/usr/bin/python3
"""Runs `nnapi-convert convert|verify` on something it must refuse and checks how it refuses.

    expect_failure.py --cli CLI --command convert|verify (--models DIR --model NAME | --file PATH)
                      [--input SHAPE ...] [--expect-exit N] [--expect-stderr TEXT ...] [--expect-stdout TEXT ...]
                      [-- MORE CLI ARGUMENTS]

With --model, the file, inputs, exit code and stderr texts come from the manifest; explicit options override
or add to them. Checks: the exit code; stderr contains every expected text; and for convert, the output
directory is still empty afterwards (no output file, complete or partial, and no temporary left behind).
Arguments after "--" go to the CLI as they are (e.g. -- --atol 0 --rtol 0).
Needs no torch.
"""
import argparse
import os
import tempfile

import e2e_common as e2e


def check(args):
    entry = e2e.load_entry(args.models, args.model) if args.model else {}
    model_file = args.file or entry.get("path")
    shapes = args.input if args.input is not None else entry.get("inputs", [])
    expect_exit = args.expect_exit if args.expect_exit is not None else entry.get("expect_exit")
    expect_stderr = entry.get("expect_stderr", []) + (args.expect_stderr or [])
    if model_file is None or expect_exit is None:
        raise e2e.CheckFailed("give --model, or --file and --expect-exit")

    with tempfile.TemporaryDirectory(prefix="nnc-e2e-") as output_dir:
        output_args = ["-o", os.path.join(output_dir, "converted.pt")] if args.command == "convert" else []
        result = e2e.run_cli(args.cli, [args.command, model_file] + output_args + e2e.input_args(shapes)
                             + args.cli_args)
        left_behind = os.listdir(output_dir)

    problems = []
    if result.returncode != expect_exit:
        problems.append(f"exit code {result.returncode}, expected {expect_exit}")
    problems += [f"stderr does not mention {text!r}" for text in expect_stderr if text not in result.stderr]
    problems += [f"stdout does not mention {text!r}" for text in args.expect_stdout or [] if text not in result.stdout]
    if left_behind:
        problems.append(f"files left in the output directory: {left_behind}")
    if problems:
        raise e2e.CheckFailed("; ".join(problems))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cli", required=True, help="the nnapi-convert executable")
    parser.add_argument("--command", required=True, choices=("convert", "verify"))
    parser.add_argument("--models", help="directory with manifest.json (from make_models.py)")
    parser.add_argument("--model", help="model name in the manifest")
    parser.add_argument("--file", help="model file to give the CLI (instead of the manifest's)")
    parser.add_argument("--input", action="append", metavar="SHAPE", help="--input to pass (replaces the manifest's)")
    parser.add_argument("--expect-exit", type=int)
    parser.add_argument("--expect-stderr", action="append", metavar="TEXT")
    parser.add_argument("--expect-stdout", action="append", metavar="TEXT")
    parser.add_argument("cli_args", nargs="*", help="more arguments for the CLI, after --")
    args = parser.parse_args()
    if args.model and not args.models:
        parser.error("--model needs --models")
    e2e.main_wrapper(lambda: check(args))


if __name__ == "__main__":
    main()
