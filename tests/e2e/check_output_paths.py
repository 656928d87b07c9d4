#!/usr/bin/python3
"""Where `convert -o` writes, and where it refuses to.

    check_output_paths.py --cli CLI --models DIR --model NAME

Checks, each in a fresh directory holding a copy of the model:
- `-o` equal to the input model: exit 2, the model unchanged;
- `-o` a symbolic link: the model is written through it (the link stays a link to the new file);
- `-o` a directory (or a name ending in "/") or a FIFO: exit 2, nothing written, nothing blocks;
- `-o` an existing file while the conversion fails (an input that is not a model): exit 2, the file unchanged;
- an output name of 250 bytes (the temporary file must not be longer than the 255-byte limit): exit 0.
Needs no torch.
"""
import os
import shutil
import tempfile

import e2e_common as e2e


def convert(args, entry, model, output, expect_exit):
    inputs = e2e.input_args(entry["inputs"])
    result = e2e.run_cli(args.cli, ["convert", model, "-o", output] + inputs)
    if result.returncode != expect_exit:
        raise e2e.CheckFailed(f"-o {output}: exit {result.returncode}, expected {expect_exit}: {result.stderr}")
    return result


def check(args):
    entry = e2e.load_entry(args.models, args.model)
    with tempfile.TemporaryDirectory(prefix="nnc-e2e-") as directory:
        model = os.path.join(directory, "net.pt")
        shutil.copyfile(entry["path"], model)
        original = open(model, "rb").read()

        convert(args, entry, model, model, e2e.EXIT_INPUT_ERROR)
        if open(model, "rb").read() != original:
            raise e2e.CheckFailed("-o equal to the input changed the model")

        link = os.path.join(directory, "link.pt")
        os.symlink("written.pt", link)
        convert(args, entry, model, link, e2e.EXIT_OK)
        if not os.path.islink(link) or not os.path.isfile(os.path.join(directory, "written.pt")):
            raise e2e.CheckFailed("-o a symbolic link must write through it, keeping the link")

        fifo = os.path.join(directory, "fifo")
        os.mkfifo(fifo)
        for output in (directory, directory + "/", fifo):
            convert(args, entry, model, output, e2e.EXIT_INPUT_ERROR)

        existing = os.path.join(directory, "existing.pt")
        with open(existing, "w") as file:
            file.write("keep me")
        not_a_model = os.path.join(directory, "not_a_model.pt")
        with open(not_a_model, "w") as file:
            file.write("text")
        convert(args, entry, not_a_model, existing, e2e.EXIT_INPUT_ERROR)
        if open(existing).read() != "keep me":
            raise e2e.CheckFailed("a failed conversion changed the existing output file")

        convert(args, entry, model, os.path.join(directory, "n" * 247 + ".pt"), e2e.EXIT_OK)
        leftovers = [name for name in os.listdir(directory) if name.startswith(".")]
        if leftovers:
            raise e2e.CheckFailed(f"temporary files left behind: {leftovers}")


if __name__ == "__main__":
    parser = e2e.argument_parser(__doc__)
    e2e.main_wrapper(lambda: check(parser.parse_args()))
