#!/usr/bin/python3
"""Compilation caching end to end, as an app uses it: a converted module is loaded in three fresh processes with
NNAPI_CONVERT_CACHE_DIR set, and the desktop NNAPI's compilation counts (NnapiHost_getCompilationCounts, found in
the libneuralnetworks.so the runtime loaded) show that
  1. the first process compiles every partition and writes one cache file per partition;
  2. the second compiles nothing: every partition's plan comes from the cache, and the outputs are identical;
  3. after every cache file is corrupted, the third ignores them (saying so on stderr), compiles again and still
     gives identical outputs.
A fourth process sets the directory with the Model method set_cache_dir (no environment variable) and finds its
cache files there.

    check_compilation_cache.py --cli CLI --runtime-lib LIB --models DIR --model NAME
"""
import json
import os
import subprocess
import sys
import tempfile

import e2e_common as e2e

# Runs in a child process: loads the runtime and the converted module, optionally points every partition at a
# cache directory with set_cache_dir, runs fixed inputs, prints the outputs and the compilation counts as JSON.
CHILD = r"""
import ctypes, json, sys
import torch
runtime, module_path, shapes, cache_dir = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), sys.argv[4]
torch.ops.load_library(runtime)
module = torch.jit.load(module_path)
if cache_dir:
    k = 0
    while hasattr(module, f"nnapi_partition_{k}"):
        getattr(module, f"nnapi_partition_{k}").set_cache_dir(cache_dir)
        k += 1
    assert k > 0, "no nnapi_partition_0 attribute"

generator = torch.Generator().manual_seed(7)
inputs = [torch.randn(shape, generator=generator) for shape in shapes]
with torch.no_grad():
    outputs = module(*inputs)
outputs = outputs if isinstance(outputs, tuple) else (outputs,)
library = torch.ops.nnapi_convert.nnapi_library().split(" (found via")[0]
counts = (ctypes.c_uint64 * 2)()
host = ctypes.CDLL(library)
host.NnapiHost_getCompilationCounts(ctypes.byref(counts, 0), ctypes.byref(counts, 8))
print(json.dumps({"compiled": counts[0], "from_cache": counts[1],
                  "outputs": [output.flatten().tolist() for output in outputs]}))
"""


def run_child(args, converted, entry, environment, cache_dir_method=""):
    command = [sys.executable, "-B", "-c", CHILD, args.runtime_lib, converted, json.dumps(entry["inputs"]),
               cache_dir_method]
    result = subprocess.run(command, capture_output=True, text=True, env=environment)
    if result.returncode != 0:
        raise e2e.CheckFailed(f"the child process failed ({result.returncode}):\n{result.stderr}")
    report = json.loads(result.stdout.strip().splitlines()[-1])
    print(f"process: compiled {report['compiled']}, from cache {report['from_cache']}")
    return report, result.stderr


def cache_files(directory):
    return sorted(name for name in os.listdir(directory) if not name.startswith("."))


def check(args):
    entry = e2e.load_entry(args.models, args.model)
    with tempfile.TemporaryDirectory(prefix="nnc-e2e-") as directory:
        converted, _ = e2e.convert(args.cli, entry, directory, "nchw")
        result = e2e.run_cli(args.cli, ["inspect", converted, "--json"])
        partitions = len(json.loads(result.stdout)["partitions"])
        if partitions == 0:
            raise e2e.CheckFailed("the model has no NNAPI partition to cache")
        cache = os.path.join(directory, "cache")
        environment = dict(os.environ, NNAPI_CONVERT_CACHE_DIR=cache)

        first, _ = run_child(args, converted, entry, environment)
        if first["compiled"] != partitions or first["from_cache"] != 0:
            raise e2e.CheckFailed(f"first load: expected {partitions} compilations and none from the cache")
        files = cache_files(cache)
        if len(files) != partitions:
            raise e2e.CheckFailed(f"expected {partitions} cache file(s) in {cache}, found {files}")

        second, _ = run_child(args, converted, entry, environment)
        if second["compiled"] != 0 or second["from_cache"] != partitions:
            raise e2e.CheckFailed(f"second load: expected every one of {partitions} partition(s) from the cache")
        if second["outputs"] != first["outputs"]:
            raise e2e.CheckFailed("second load: outputs differ from the first load's")

        for name in files:
            path = os.path.join(cache, name)
            with open(path, "r+b") as file:
                file.seek(-3, os.SEEK_END)
                byte = file.read(1)
                file.seek(-3, os.SEEK_END)
                file.write(bytes([byte[0] ^ 0x5A]))
        third, stderr = run_child(args, converted, entry, environment)
        if third["compiled"] != partitions or third["from_cache"] != 0:
            raise e2e.CheckFailed("after corrupting the cache: expected every partition compiled again")
        if "ignoring compilation cache file" not in stderr:
            raise e2e.CheckFailed("the corrupt cache file was not reported on stderr")
        if third["outputs"] != first["outputs"]:
            raise e2e.CheckFailed("after corrupting the cache: outputs differ from the first load's")

        chosen = os.path.join(directory, "chosen")
        without_variable = {k: v for k, v in os.environ.items() if k != "NNAPI_CONVERT_CACHE_DIR"}
        fourth, _ = run_child(args, converted, entry, without_variable, cache_dir_method=chosen)
        if len(cache_files(chosen)) != partitions or fourth["outputs"] != first["outputs"]:
            raise e2e.CheckFailed(f"set_cache_dir({chosen}) did not cache every partition there")


if __name__ == "__main__":
    parser = e2e.argument_parser(__doc__)
    parser.add_argument("--runtime-lib", required=True, help="libnnapi_runtime.so")
    e2e.main_wrapper(lambda: check(parser.parse_args()))
