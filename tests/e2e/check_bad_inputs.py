#!/usr/bin/python3
"""The bad-input corpus: every kind of input the CLI must refuse, and how it refuses.

    check_bad_inputs.py --cli CLI --models DIR --model NAME

NAME is a valid one-input model of the manifest (the source of truncations, tampering and shapes). For each bad
input (a missing, empty, unreadable, looping or special file; a directory; random bytes; the model truncated at
many lengths; a zip that is not TorchScript; a model taking a non-tensor argument or returning a non-tensor; a wrong
number of --input; malformed, zero, negative and huge shapes, -1 below --min-api 29; out-of-range or non-finite verify options;
an unwritable output directory; the output equal to the input; a tampered or truncated converted module given to
inspect and verify) it checks: the exit code (2; except verify of a module whose NNAPI model alone is damaged,
which runs on the partition's CPU fallback: 0 and a warning), that the process was not killed by a signal and did
not block (a time limit), that stderr names the file and the problem without a libtorch backtrace, that `--json`
prints one JSON error object, and that no output file and no temporary file was left behind. Needs torch (it
writes the small models it needs).
"""
import json
import os
import random
import shutil
import subprocess
import tempfile
import zipfile

import e2e_common as e2e

TIME_LIMIT = 120  # seconds; a FIFO read would block forever
# Root reads and writes whatever the permission bits say; the permission cases run the CLI as "nobody".
UNPRIVILEGED = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] if os.geteuid() == 0 else []


def write_models(directory):
    """Models whose code, not bytes, is wrong: forward takes an int, forward returns a tensor and an int."""
    import torch
    from typing import Tuple

    class TakesInt(torch.nn.Module):
        def forward(self, x, repeats: int):
            return x * repeats

    class ReturnsInt(torch.nn.Module):
        def forward(self, x) -> Tuple[torch.Tensor, int]:
            return torch.relu(x), x.dim()

    paths = {"takes_int": os.path.join(directory, "takes_int.pt"),
             "returns_int": os.path.join(directory, "returns_int.pt")}
    torch.jit.script(TakesInt()).save(paths["takes_int"])
    torch.jit.script(ReturnsInt()).save(paths["returns_int"])
    return paths


def tampered_copy(source, target, marker=b"NNC1"):
    """`source` (a converted module) rewritten as a valid zip whose NNAPI model bytes after `marker` are overwritten,
    so only the runtime's and inspect's own verification can notice."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as copy:
        found = False
        for info in original.infolist():
            data = original.read(info)
            at = data.find(marker)
            if at >= 0:
                end = min(len(data), at + 4 + 64)
                data = data[:at + 4] + b"\xff" * (end - at - 4) + data[end:]
                found = True
            copy.writestr(info.filename, data)
    if not found:
        raise e2e.CheckFailed(f"{source}: no NNAPI model (identifier {marker!r}) found to tamper with")


class Corpus:
    def __init__(self, args):
        self.cli = args.cli
        self.entry = e2e.load_entry(args.models, args.model)
        self.work = tempfile.mkdtemp(prefix="nnc-bad-")
        os.chmod(self.work, 0o755)  # "nobody" must reach the files of the permission cases
        self.out = os.path.join(self.work, "out")
        os.mkdir(self.out)
        self.model = os.path.join(self.work, "model.pt")
        shutil.copyfile(self.entry["path"], self.model)
        os.chmod(self.model, 0o644)
        self.shape = e2e.input_args(self.entry["inputs"])
        self.problems = []
        self.cases = 0

    def path(self, name):
        return os.path.join(self.work, name)

    def run(self, name, command, expect_exit, expect_stderr, prefix=(), output=None):
        """Runs the CLI (plain and with --json) and records every way it failed to refuse as it should."""
        output = output or os.path.join(self.out, "converted.pt")
        args = list(command) + (["-o", output] if command[0] == "convert" and "-o" not in command else [])
        for json_flag in ([], ["--json"]):
            self.cases += 1
            before = set(os.listdir(self.work)) | {"out"}
            full = list(prefix) + [self.cli] + args + json_flag
            print("$ " + " ".join(full), flush=True)
            try:
                result = subprocess.run(full, capture_output=True, text=True, timeout=TIME_LIMIT)
            except subprocess.TimeoutExpired:
                self.problems.append(f"{name}: still running after {TIME_LIMIT} s (blocked)")
                continue
            print(f"exit {result.returncode}\n{result.stderr.rstrip()}")
            where = f"{name}{' --json' if json_flag else ''}"
            if result.returncode != expect_exit:
                self.problems.append(f"{where}: exit {result.returncode}, expected {expect_exit}")
            missing = [text for text in expect_stderr if text.lower() not in result.stderr.lower()]
            if missing:
                self.problems.append(f"{where}: stderr does not mention {missing}: {result.stderr.strip()[:400]}")
            if "Exception raised from" in result.stderr or "frame #" in result.stderr:
                self.problems.append(f"{where}: a libtorch backtrace on stderr")
            if json_flag:
                try:
                    error = json.loads(result.stdout)
                    if expect_exit != 0 and ("error" not in error or "message" not in error):
                        self.problems.append(f"{where}: the JSON has no error and message: {result.stdout[:200]}")
                except ValueError:
                    self.problems.append(f"{where}: stdout is not one JSON object: {result.stdout[:200]!r}")
            left = os.listdir(self.out) + sorted(set(os.listdir(self.work)) - before)
            if left:
                self.problems.append(f"{where}: left behind {left}")
                for name_left in os.listdir(self.out):
                    os.remove(os.path.join(self.out, name_left))

    def file_cases(self):
        """Model files that are not models."""
        not_model = "not a readable TorchScript model"
        self.run("missing", ["convert", self.path("missing.pt")] + self.shape, 2, ["missing.pt", "no such file"])
        open(self.path("empty.pt"), "wb").close()
        self.run("empty", ["convert", self.path("empty.pt")] + self.shape, 2, ["empty.pt", "is empty"])
        os.mkdir(self.path("directory.pt"))
        self.run("directory", ["convert", self.path("directory.pt")] + self.shape, 2,
                 ["directory.pt", "is a directory"])
        os.mkfifo(self.path("fifo.pt"))
        self.run("fifo", ["convert", self.path("fifo.pt")] + self.shape, 2, ["fifo.pt", "not a regular file"])
        os.symlink("loop_b.pt", self.path("loop_a.pt"))
        os.symlink("loop_a.pt", self.path("loop_b.pt"))
        self.run("symlink loop", ["convert", self.path("loop_a.pt")] + self.shape, 2,
                 ["loop_a.pt", "symbolic link loop"])
        shutil.copyfile(self.model, self.path("unreadable.pt"))
        os.chmod(self.path("unreadable.pt"), 0)
        self.run("unreadable", ["convert", self.path("unreadable.pt")] + self.shape, 2,
                 ["unreadable.pt", "permission denied"], prefix=UNPRIVILEGED)
        with open(self.path("random.pt"), "wb") as out:
            out.write(random.Random(0).randbytes(4096))
        self.run("random bytes", ["convert", self.path("random.pt")] + self.shape, 2, ["random.pt", not_model])
        with zipfile.ZipFile(self.path("plain.zip"), "w") as archive:
            archive.writestr("plain/data.txt", "a zip, but no TorchScript code in it\n")
        self.run("zip, not TorchScript", ["convert", self.path("plain.zip")] + self.shape, 2,
                 ["plain.zip", not_model])
        data = open(self.model, "rb").read()
        for length in sorted({1, 2, 4, 22, 64, 100, 512, len(data) // 4, len(data) // 2, len(data) * 3 // 4,
                              len(data) - 22, len(data) - 1}):
            cut = self.path(f"truncated_{length}.pt")
            with open(cut, "wb") as out:
                out.write(data[:length])
            self.run(f"truncated at {length} of {len(data)} bytes", ["convert", cut] + self.shape, 2,
                     [os.path.basename(cut), not_model])

    def model_cases(self):
        """Models the converter cannot give the signature of, and --input that does not fit the model."""
        models = write_models(self.work)
        self.run("non-tensor argument", ["convert", models["takes_int"]] + self.shape * 2, 2,
                 ["takes_int.pt", "'repeats'", "only tensor arguments"])
        self.run("returns an int", ["convert", models["returns_int"]] + self.shape, 2,
                 ["returns_int.pt", "Tuple[Tensor, int]"])
        self.run("too many --input", ["convert", self.model] + self.shape * 2, 2, ["model.pt", "forward takes 1"])
        shape = e2e.shape_text(self.entry["inputs"][0])
        malformed = [shape + ",", " " + shape, shape + " ", shape.replace(",", ", "), shape[:-1] + "+" + shape[-1],
                     "1,,8", "", "1,x,8,8", "1.5,3"]
        for text in malformed:
            self.run(f"--input {text!r}", ["convert", self.model, "--input", text], 2, ["model.pt", "--input"])
        self.run("zero dimension", ["convert", self.model, "--input", "1,0,16,16"], 2, ["--input", "0"])
        self.run("negative dimension", ["convert", self.model, "--input", "1,8,-16,16"], 2, ["--input", "-16"])
        self.run("run-time dimension below Android 10", ["convert", self.model, "--input", "-1,8,16,16",
                                                         "--min-api", "28"], 2, ["--input", "--min-api"])
        self.run("negative dimension other than -1", ["convert", self.model, "--input", "-2,8,16,16"], 2,
                 ["--input", "-2"])
        self.run("dimension beyond uint32", ["convert", self.model, "--input", "1,8,16,99999999999999999999"], 2,
                 ["--input", "larger than NNAPI's largest"])
        self.run("huge shape", ["convert", self.model, "--input", "1,3,65536,65536"], 2,
                 ["model.pt", "[1,3,65536,65536]", "4 GiB"])
        self.run("huge shape, verify", ["verify", self.model, "--input", "1,3,65536,65536"], 2,
                 ["model.pt", "[1,3,65536,65536]", "4 GiB"])

    def usage_cases(self):
        """Options whose values must be refused as usage errors rather than clamped or compared with."""
        verify = ["verify", self.model] + self.shape
        self.run("seed beyond int64", verify + ["--seed", "99999999999999999999"], 2, ["--seed", "out of range"])
        for value in ("nan", "inf", "-1"):
            self.run(f"--atol {value}", verify + [f"--atol={value}"], 2, ["--atol", "finite number >= 0"])
        self.run("--rtol nan", verify + ["--rtol", "nan"], 2, ["--rtol", "finite number >= 0"])

    def output_cases(self):
        """Outputs that cannot or must not be written."""
        locked = self.path("locked")
        os.mkdir(locked, 0o555)
        self.run("unwritable output directory", ["convert", self.model] + self.shape, 2,
                 ["locked", "permission denied"], prefix=UNPRIVILEGED, output=os.path.join(locked, "out.pt"))
        if os.listdir(locked):
            self.problems.append(f"unwritable output directory: left {os.listdir(locked)}")
        self.run("output is the input", ["convert", self.model, "-o", self.model] + self.shape, 2,
                 ["model.pt", "is the input model"])

    def converted_cases(self):
        """Converted modules damaged after conversion: inspect and verify refuse them with the file named."""
        converted = self.path("converted.pt")
        result = subprocess.run([self.cli, "convert", self.model, "-o", converted] + self.shape, capture_output=True,
                                text=True, timeout=TIME_LIMIT)
        if result.returncode != 0:
            raise e2e.CheckFailed(f"the valid model did not convert: {result.stderr}")
        tampered = self.path("tampered.pt")
        tampered_copy(converted, tampered)
        truncated = self.path("converted_truncated.pt")
        with open(truncated, "wb") as out:
            out.write(open(converted, "rb").read()[: os.path.getsize(converted) // 2])
        for path in (tampered, truncated):
            name = os.path.basename(path)
            self.run(f"inspect {name}", ["inspect", path], 2, [name])
        self.run("verify truncated", ["verify", truncated] + self.shape, 2, ["converted_truncated.pt", "not a readable"])
        # A converted module still loads when only its NNAPI model is damaged: the runtime refuses that partition,
        # says why, and runs the partition's CPU fallback, so verify compares (and passes).
        self.run("verify tampered", ["verify", tampered] + self.shape, 0, ["corrupt", "on the CPU instead"])

    def check(self):
        try:
            self.file_cases()
            self.model_cases()
            self.usage_cases()
            self.output_cases()
            self.converted_cases()
        finally:
            shutil.rmtree(self.work)
        print(f"{self.cases} runs of the CLI on bad inputs")
        if self.problems:
            raise e2e.CheckFailed("\n".join(self.problems))


if __name__ == "__main__":
    parser = e2e.argument_parser(__doc__)
    e2e.main_wrapper(lambda: Corpus(parser.parse_args()).check())
