#!/usr/bin/python3
"""Runs a command (the CLI's verify, or another check script) and checks whether the runtime ran an NNAPI
partition on the CPU instead, and why.

    check_fallback.py (--forbid | --require REASON) [--library-messages N] -- COMMAND [ARGUMENT ...]

The runtime runs a partition on the CPU when NNAPI cannot run it here: no NNAPI library (NNAPI_LIBRARY naming a
missing file), a device feature level below the partition's (NNAPI_HOST_FEATURE_LEVEL makes the desktop NNAPI
emulate an older device), a model the device refuses to build or compile (NNAPI_HOST_FAIL=model|compilation);
ctest sets these per test. It says so in a warning ending in "on the CPU instead" (FALLBACK_WARNING), once per
reason. Checks: COMMAND exits 0 (so its own comparison with PyTorch passed), and
  --forbid: the warning appears nowhere in its stderr and stdout (the model was converted for the emulated level,
            so a fallback would hide an NNAPI problem);
  --require REASON: the warning appears exactly once, and that line contains REASON;
  --library-messages N: the desktop NNAPI printed exactly N messages ("nnapi_host: <call>: ..."): with one
            partition and a device that refuses every build or compilation, 1 proves that the runtime built and
            compiled once, not once per run.
Needs no torch.
"""
import argparse
import os
import subprocess
import sys
import time

FALLBACK_WARNING = "on the CPU instead"
LIBRARY_MESSAGE = "nnapi_host: "


def main():
    arguments = sys.argv[1:]
    if "--" not in arguments:
        sys.exit(__doc__)
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--forbid", action="store_true", help="no partition may fall back to the CPU")
    mode.add_argument("--require", metavar="REASON", help="exactly one fallback warning, naming REASON")
    parser.add_argument("--library-messages", type=int, metavar="N", help="the desktop NNAPI prints N messages")
    options = parser.parse_args(arguments[:arguments.index("--")])
    command = arguments[arguments.index("--") + 1:]
    if not command:
        sys.exit(__doc__)

    for variable in ("NNAPI_LIBRARY", "NNAPI_HOST_FEATURE_LEVEL", "NNAPI_HOST_FAIL"):
        print(f"{variable}={os.environ.get(variable, '(not set)')}")
    print("$ " + " ".join(command), flush=True)
    started = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True)
    print(f"exit {result.returncode} after {time.monotonic() - started:.1f} s")
    if result.stdout:
        print("--- stdout\n" + result.stdout.rstrip())
    if result.stderr:
        print("--- stderr\n" + result.stderr.rstrip())

    problems = []
    if result.returncode != 0:
        problems.append(f"the command exited with {result.returncode}")
    lines = (result.stdout + "\n" + result.stderr).splitlines()
    warnings = [line for line in lines if FALLBACK_WARNING in line]
    if options.forbid and warnings:
        problems.append(f"a partition fell back to the CPU ({FALLBACK_WARNING!r} was printed): the model needs more "
                        f"than this NNAPI offers")
    if options.require is not None:
        if len(warnings) != 1:
            problems.append(f"{FALLBACK_WARNING!r} was printed {len(warnings)} times, expected exactly once")
        elif options.require not in warnings[0]:
            problems.append(f"the fallback warning does not name the reason {options.require!r}")
    if options.library_messages is not None:
        said = [line for line in result.stderr.splitlines() if line.startswith(LIBRARY_MESSAGE)]
        if len(said) != options.library_messages:
            problems.append(f"the desktop NNAPI printed {len(said)} messages ({LIBRARY_MESSAGE!r}), expected "
                            f"{options.library_messages}")
    if problems:
        print("FAIL: " + "; ".join(problems), flush=True)
        sys.exit(1)
    print("PASS", flush=True)


if __name__ == "__main__":
    main()
