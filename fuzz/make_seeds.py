#!/usr/bin/python3
"""Writes the fuzz targets' seed corpora from real converted models.

    make_seeds.py --cli build/bin/nnapi-convert --stream-seed build-fuzz/bin/stream_seed OUT_DIR

Writes the small end-to-end test models (kinds op, partition, quantized_op; tests/models/make_models.py), converts
each with the CLI and takes every NNAPI partition out of the converted module: OUT_DIR/model_loader/ and
OUT_DIR/inspect_partition/ get the serialized partitions, OUT_DIR/nnapi_stream/ the same models written as command
streams by stream_seed. Nothing is committed: the corpora are made again from the models.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import zipfile

KINDS = {"op", "partition", "quantized_op"}
MODELS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "models", "make_models.py")


def listed_models():
    listing = subprocess.run([sys.executable, MODELS, "--list"], check=True, capture_output=True, text=True).stdout
    for line in listing.splitlines():
        name, kind, _expect, _checks, file, *shapes = line.split()
        if kind in KINDS:
            yield name, file, shapes


def partitions_of(converted):
    """The serialized partitions in a converted module: tensor storages that start with the NNC1 identifier."""
    with zipfile.ZipFile(converted) as archive:
        for entry in sorted(archive.namelist()):
            if "/data/" in entry:
                data = archive.read(entry)
                if data[4:8] == b"NNC1":
                    yield data


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cli", required=True)
    parser.add_argument("--stream-seed", required=True)
    parser.add_argument("out")
    args = parser.parse_args()
    corpora = {target: os.path.join(args.out, target) for target in ("model_loader", "inspect_partition", "nnapi_stream")}
    for directory in corpora.values():
        os.makedirs(directory, exist_ok=True)
    models = list(listed_models())
    written = 0
    with tempfile.TemporaryDirectory() as scratch:
        subprocess.run([sys.executable, MODELS, scratch, "--only"] + [name for name, _, _ in models], check=True,
                       stdout=subprocess.DEVNULL)
        for name, file, shapes in models:
            converted = os.path.join(scratch, name + ".nnapi.pt")
            command = [args.cli, "convert", os.path.join(scratch, file), "-o", converted]
            for shape in shapes:
                command += ["--input", shape]
            if subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode != 0:
                continue  # models the tests expect to be refused have nothing to seed
            for k, data in enumerate(partitions_of(converted)):
                seed = f"{name}_{k}.nnc"
                for target in ("model_loader", "inspect_partition"):
                    with open(os.path.join(corpora[target], seed), "wb") as out:
                        out.write(data)
                subprocess.run([args.stream_seed, os.path.join(corpora["model_loader"], seed),
                                os.path.join(corpora["nnapi_stream"], f"{name}_{k}.stream")], check=True)
                written += 1
    print(f"make_seeds: {written} partitions of {len(models)} models in {args.out}")
    if written == 0:
        sys.exit("make_seeds: no partition was written")


if __name__ == "__main__":
    main()
