#!/usr/bin/python3
"""Conversion cost of nnapi-convert against PyTorch's own NNAPI converter, as whole processes (not a test).

    /usr/bin/python3 bench/convert_vs_pytorch.py [--build build] [--runs 5] [--models resnet50 ...] [--keep DIR]

Each torchvision network (ResNet50, MobileNetV2, VGG11-BN; fixed-seed random weights, traced) is saved once as a
TorchScript file, and that same file is given, in one interleaved run (every repetition runs every side of every
model in turn, so load on the machine hits all alike), to:
  - floor:   build/bin/load_model, which only loads the file with libtorch (what any libtorch-based converter pays);
  - ours:    `nnapi-convert convert MODEL --input 1,3,224,224 -o OUT`;
  - pytorch: a fresh /usr/bin/python3 that loads the file and runs
             torch.backends._nnapi.prepare.convert_model_to_nnapi, then saves its module.
Per model it prints the median wall time and median peak RSS (the child's ru_maxrss) of each, and ours / PyTorch's.

PyTorch's converter gets the help it needs to convert these networks at all: its freeze step is followed by
PyTorch's own remove-mutation pass (it has no in-place ops such as relu_ or add_); its input is marked NHWC
(nnapi_nhwc), as it expects, except for VGG11-BN, whose flatten it refuses on NHWC tensors; and VGG's
AdaptiveAvgPool2d((7, 7)), an identity on the 7x7 map a 224x224 image gives, is removed (it takes 1x1 only).
nnapi-convert gets the same input layout (--input-layout) so both write a model taking the same tensor.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
IMAGE = (1, 3, 224, 224)
# Per model: the input layout both converters are given (see the module docstring for VGG's NCHW).
LAYOUTS = {"resnet50": "nhwc", "mobilenet_v2": "nhwc", "vgg11_bn": "nchw"}
SIDES = ("floor", "ours", "pytorch")
TARGETS = {"wall": 0.5, "rss": 0.7}  # ours / PyTorch's, at most


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build"), help="build directory")
    parser.add_argument("--runs", type=int, default=5, help="repetitions of every side of every model")
    parser.add_argument("--models", nargs="*", default=list(LAYOUTS), choices=list(LAYOUTS))
    parser.add_argument("--keep", help="write the models and outputs here (default: a temporary directory)")
    parser.add_argument("--pytorch-child", nargs=3, metavar=("MODEL", "OUT", "LAYOUT"), help=argparse.SUPPRESS)
    parser.add_argument("--write-model", nargs=2, metavar=("NAME", "PATH"), help=argparse.SUPPRESS)
    return parser.parse_args()


def write_model(name, path):
    """Traces torchvision's `name` with fixed-seed random weights (and random batch-norm statistics) to `path`."""
    import torch
    import torchvision
    sys.path.insert(0, os.path.join(ROOT, "tests", "models"))
    from torchvision_models import randomize_batch_norms

    torch.manual_seed(0)
    network = getattr(torchvision.models, name)(weights=None)
    randomize_batch_norms(network)
    with torch.no_grad():
        torch.jit.trace(network.eval(), torch.zeros(IMAGE)).save(path)


def pytorch_child(model_path, out_path, layout):
    """The PyTorch side, run as its own process: load, convert with PyTorch's converter, save."""
    import torch
    from torch.backends._nnapi.prepare import convert_model_to_nnapi

    freeze = torch.jit.freeze

    def freeze_for_nnapi(module, *args, **kwargs):
        frozen = freeze(module, *args, **kwargs)
        graph = frozen.graph
        torch._C._jit_pass_remove_mutation(graph)
        for node in list(graph.nodes()):
            if node.kind() == "aten::adaptive_avg_pool2d" and node.inputsAt(1).toIValue() == [7, 7]:
                node.output().replaceAllUsesWith(node.inputsAt(0))
                node.destroy()
        return frozen

    torch.jit.freeze = freeze_for_nnapi  # what convert_model_to_nnapi calls first
    example = torch.zeros(IMAGE)
    example.nnapi_nhwc = layout == "nhwc"  # the NCHW-shaped example, marked: the converted model takes NHWC
    converted = convert_model_to_nnapi(torch.jit.load(model_path), [example])
    torch.jit.save(converted, out_path)


def measure(command):
    """(wall seconds, peak RSS in MiB) of `command` as a child process; fails loudly if it fails."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    stderr = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited {process.returncode}:\n{stderr}")
    return wall, usage.ru_maxrss / 1024.0  # ru_maxrss is in KiB on Linux


def commands(name, workdir, build):
    model = os.path.join(workdir, name + ".pt")
    layout = LAYOUTS[name]
    return {
        "floor": [os.path.join(build, "bin", "load_model"), model],
        "ours": [os.path.join(build, "bin", "nnapi-convert"), "convert", model, "-o",
                 os.path.join(workdir, name + ".nnapi.pt"), "--input", ",".join(map(str, IMAGE)),
                 "--input-layout", layout],
        "pytorch": [sys.executable, os.path.abspath(__file__), "--pytorch-child", model,
                    os.path.join(workdir, name + ".pytorch_nnapi.pt"), layout],
    }


def run(args, workdir):
    # Each model is written by a child: a child's peak RSS counts the memory of the process it was forked from, so
    # this process must never hold torch.
    for name in args.models:
        subprocess.run([sys.executable, os.path.abspath(__file__), "--write-model", name,
                        os.path.join(workdir, name + ".pt")], check=True)
    samples = {(name, side): [] for name in args.models for side in SIDES}
    for repetition in range(args.runs):
        for name in args.models:
            for side, command in commands(name, workdir, args.build).items():
                samples[(name, side)].append(measure(command))
        print(f"repetition {repetition + 1}/{args.runs} done", file=sys.stderr)

    print(f"median of {args.runs} interleaved runs; wall seconds / peak RSS MiB; targets: ours <= "
          f"{TARGETS['wall']}x PyTorch's wall time and <= {TARGETS['rss']}x its peak RSS")
    header = f"{'model':14} {'floor (load)':>16} {'nnapi-convert':>16} {'PyTorch':>16} {'wall ratio':>11} " \
             f"{'RSS ratio':>10}  targets"
    print(header)
    all_met = True
    for name in args.models:
        medians = {side: (statistics.median(w for w, _ in samples[(name, side)]),
                          statistics.median(r for _, r in samples[(name, side)])) for side in SIDES}
        wall_ratio = medians["ours"][0] / medians["pytorch"][0]
        rss_ratio = medians["ours"][1] / medians["pytorch"][1]
        met = wall_ratio <= TARGETS["wall"] and rss_ratio <= TARGETS["rss"]
        all_met = all_met and met
        cells = " ".join(f"{medians[side][0]:7.2f}s {medians[side][1]:6.0f}M" for side in SIDES)
        print(f"{name:14} {cells} {wall_ratio:10.2f}x {rss_ratio:9.2f}x  {'met' if met else 'MISSED'}")
    return 0 if all_met else 1


def main():
    args = parse_args()
    if args.pytorch_child:
        pytorch_child(*args.pytorch_child)
        return 0
    if args.write_model:
        write_model(*args.write_model)
        return 0
    if args.keep:
        os.makedirs(args.keep, exist_ok=True)
        return run(args, args.keep)
    with tempfile.TemporaryDirectory(prefix="nnc-bench-") as workdir:
        return run(args, workdir)


if __name__ == "__main__":
    sys.exit(main())
