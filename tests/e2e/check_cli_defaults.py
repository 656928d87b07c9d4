#!/usr/bin/python3
"""The command users type first: `nnapi-convert MODEL --input SHAPE` converts (convert is the default command)
and writes MODEL's name with .nnapi.pt next to it, readable as any new file of the user's is (0666 less the
umask, not mkstemp's 0600); without --input it exits 2 naming the forward arguments that need shapes.
Needs no torch.
"""
import os
import shutil
import stat
import tempfile

import e2e_common as e2e


def check(args):
    entry = e2e.load_entry(args.models, args.model)
    with tempfile.TemporaryDirectory(prefix="nnc-e2e-") as directory:
        model = os.path.join(directory, "net.pt")
        shutil.copyfile(entry["path"], model)
        inputs = [item for shape in entry["inputs"] for item in ("--input", ",".join(map(str, shape)))]

        old_umask = os.umask(0o022)
        try:
            result = e2e.run_cli(args.cli, [model] + inputs)
        finally:
            os.umask(old_umask)
        if result.returncode != e2e.EXIT_OK:
            raise e2e.CheckFailed(f"`nnapi-convert MODEL --input ...` exited {result.returncode}")
        converted = os.path.join(directory, "net.nnapi.pt")
        if sorted(os.listdir(directory)) != ["net.nnapi.pt", "net.pt"]:
            raise e2e.CheckFailed(f"expected net.nnapi.pt next to the model, found {sorted(os.listdir(directory))}")
        mode = stat.S_IMODE(os.stat(converted).st_mode)
        if mode != 0o644:
            raise e2e.CheckFailed(f"the output's mode is {mode:o}, expected 644 under umask 022")

        result = e2e.run_cli(args.cli, [model])
        if result.returncode != e2e.EXIT_INPUT_ERROR or "--input" not in result.stderr:
            raise e2e.CheckFailed("without --input the CLI must exit 2 and say that --input is needed")
        for argument in args.expect_arguments:
            if f"{argument}" not in result.stderr:
                raise e2e.CheckFailed(f"the error does not name forward argument '{argument}'")


if __name__ == "__main__":
    parser = e2e.argument_parser(__doc__)
    parser.add_argument("--expect-arguments", nargs="+", required=True,
                        help="the forward arguments the missing---input error must name")
    e2e.main_wrapper(lambda: check(parser.parse_args()))
