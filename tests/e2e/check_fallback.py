#!/usr/bin/python3
"""Runs a command (the CLI's verify, or another check script) and checks whether the runtime ran an NNAPI
partition on the CPU because the NNAPI device's feature level is too low.

    check_fallback.py (--forbid | --require) -- COMMAND [ARGUMENT ...]

The desktop NNAPI emulates an older device when NNAPI_HOST_FEATURE_LEVEL is set (ctest sets it per test); the
runtime then runs a partition that needs a higher feature level on the CPU, with one warning ending in
"running it (this NNAPI partition) on the CPU instead": FALLBACK_WARNING is the part that identifies it. Checks: COMMAND exits 0, and its stderr and stdout contain the warning nowhere (--forbid: the
model was converted for that feature level, so a fallback would hide an NNAPI problem) or somewhere (--require:
proves the warning --forbid looks for is printed). Needs no torch.
"""
import os
import subprocess
import sys
import time

FALLBACK_WARNING = "on the CPU instead"


def main():
    arguments = sys.argv[1:]
    if "--" not in arguments:
        sys.exit(__doc__)
    options, command = arguments[:arguments.index("--")], arguments[arguments.index("--") + 1:]
    if len(options) != 1 or options[0] not in ("--forbid", "--require") or not command:
        sys.exit(__doc__)
    require = options[0] == "--require"

    level = os.environ.get("NNAPI_HOST_FEATURE_LEVEL", "(not set: the desktop NNAPI's own)")
    print(f"NNAPI_HOST_FEATURE_LEVEL={level}")
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
    warned = FALLBACK_WARNING in result.stderr or FALLBACK_WARNING in result.stdout
    if warned and not require:
        problems.append(f"a partition fell back to the CPU ({FALLBACK_WARNING!r} was printed): the model needs more "
                        f"than the emulated feature level {level}")
    if require and not warned:
        problems.append(f"no partition fell back to the CPU ({FALLBACK_WARNING!r} was not printed), although the "
                        f"emulated feature level {level} is below what the model needs")
    if problems:
        print("FAIL: " + "; ".join(problems), flush=True)
        sys.exit(1)
    print("PASS", flush=True)


if __name__ == "__main__":
    main()
