#!/usr/bin/python3
"""Compilation options end to end: `convert --preference --relax-fp16` records them in the converted module
(`inspect --json`: the report's "preference" and "relax_fp16", and every partition's schema fields), the default
is sustained speed at full precision, and `verify --relax-fp16` runs the model with the desktop NNAPI computing in
float16 precision: it passes by the relaxed rule (rtol + 5*2^-10*sqrt(operations on the longest path)) and its
error is float16's, far above the float32 run's but within the rule.

    check_compilation_options.py --cli CLI --models DIR --model NAME
"""
import json
import math
import os
import tempfile

import e2e_common as e2e

FP16_UNIT_ROUNDOFF = 2.0 ** -11


def inspect_json(cli, path):
    result = e2e.run_cli(cli, ["inspect", path, "--json"])
    if result.returncode != e2e.EXIT_OK:
        raise e2e.CheckFailed(f"inspect exited {result.returncode}")
    return json.loads(result.stdout)


def require_options(report, preference, code, relaxed, what):
    if report.get("preference") != preference or report.get("relax_fp16") is not relaxed:
        raise e2e.CheckFailed(f"{what}: report has preference {report.get('preference')!r} and relax_fp16 "
                              f"{report.get('relax_fp16')!r}, expected {preference!r} and {relaxed}")
    if not report["partitions"]:
        raise e2e.CheckFailed(f"{what}: no NNAPI partition")
    for partition in report["partitions"]:
        if partition["preference"] != code or partition["relax_fp16"] is not relaxed:
            raise e2e.CheckFailed(f"{what}: partition {partition['index']} stores preference "
                                  f"{partition['preference']} and relax_fp16 {partition['relax_fp16']}")


def verify_json(cli, entry, extra):
    result = e2e.run_cli(cli, ["verify", entry["path"], "--json"] + e2e.input_args(entry["inputs"]) + extra)
    if result.returncode != e2e.EXIT_OK:
        raise e2e.CheckFailed(f"verify {' '.join(extra)} exited {result.returncode}")
    return json.loads(result.stdout)


def check(args):
    entry = e2e.load_entry(args.models, args.model)
    with tempfile.TemporaryDirectory(prefix="nnc-e2e-") as directory:
        default, _ = e2e.convert(args.cli, entry, directory, "nchw")
        require_options(inspect_json(args.cli, default), "sustained", 2, False, "default conversion")
        os.rename(default, os.path.join(directory, "default.pt"))
        chosen, _ = e2e.convert(args.cli, entry, directory, "nchw", ["--preference", "low-power", "--relax-fp16"])
        require_options(inspect_json(args.cli, chosen), "low-power", 0, True, "--preference low-power --relax-fp16")
        text = e2e.run_cli(args.cli, ["inspect", chosen]).stdout
        if "preference low-power" not in text or "relaxComputationFloat32toFloat16(true)" not in text:
            raise e2e.CheckFailed("inspect's text does not show the compilation options")

    full = verify_json(args.cli, entry, [])
    relaxed = verify_json(args.cli, entry, ["--relax-fp16"])
    if "5*2^-10*sqrt(" not in relaxed["rule"]:
        raise e2e.CheckFailed(f"verify --relax-fp16 does not state the relaxed rule: {relaxed['rule']}")
    for exact, fp16 in zip(full["outputs"], relaxed["outputs"]):
        scale = fp16["max_abs_reference"]
        print(f"output {fp16['index']}: max error {exact['max_abs_error']:.3e} in float32, "
              f"{fp16['max_abs_error']:.3e} relaxed to float16 (max |reference| {scale:.3e}, "
              f"float16 unit roundoff x max |reference| = {FP16_UNIT_ROUNDOFF * scale:.3e})")
        # Relaxed results carry float16 rounding: well above float32's, at least a tenth of one float16 rounding
        # of the largest value (an NNAPI that ignored the relaxation would stay at float32's ~1e-7).
        if not fp16["max_abs_error"] > max(10 * exact["max_abs_error"], 0.1 * FP16_UNIT_ROUNDOFF * scale):
            raise e2e.CheckFailed("the relaxed run's error is not float16's: the desktop NNAPI ignored the relaxation")
        if not math.isfinite(fp16["max_abs_error"]):
            raise e2e.CheckFailed("the relaxed run's error is not finite")


if __name__ == "__main__":
    e2e.main_wrapper(lambda: check(e2e.argument_parser(__doc__).parse_args()))
