#!/usr/bin/python3
"""Whole-model speed of the desktop NNAPI against libtorch on the same thread count (not a test).

    /usr/bin/python3 bench/bench_models.py [--build build] [--threads 2] [--runs 20]

Float MobileNetV2 and ResNet50 are converted with nnapi-convert and run through libnnapi_runtime.so; quantized
MobileNetV2 (eager-mode post-training quantization with qnnpack, calibrated on random data) is converted with
PyTorch's own converter and run through PyTorch's NNAPI binding (torch.classes._nnapi), both on our
libneuralnetworks.so. Each is timed against the original module's forward in libtorch (qnnpack for the quantized
one). Prints one line per model with the median time of each side and their ratio (desktop NNAPI / libtorch).
"""
import argparse
import ctypes
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build"), help="build directory")
    parser.add_argument("--threads", type=int, default=os.cpu_count(), help="threads for both sides")
    parser.add_argument("--runs", type=int, default=20, help="timed runs per model and side (after 3 warm-ups)")
    parser.add_argument("--models", nargs="*", default=["mobilenet_v2", "resnet50", "quantized_mobilenet_v2"])
    return parser.parse_args()


def median_seconds(fn, runs):
    for _ in range(3):
        fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def float_model(name, build_dir, workdir):
    """(original, converted) for a torchvision float model converted by nnapi-convert."""
    import torch
    from torchvision_models import build

    # libtorch's side is the eager module: a traced one spends its first runs in the profiling executor.
    original = build(name, seed=0)
    source = os.path.join(workdir, name + ".pt")
    target = os.path.join(workdir, name + ".nnapi.pt")
    torch.jit.trace(original, torch.randn(1, 3, 224, 224)).save(source)
    subprocess.run([os.path.join(build_dir, "bin", "nnapi-convert"), "convert", source, "-o", target,
                    "--input", "1,3,224,224"], check=True, stdout=subprocess.DEVNULL)
    return original, torch.jit.load(target)


def quantized_mobilenet_v2():
    """(original, converted, input) for a qnnpack-quantized MobileNetV2 converted by PyTorch's converter.

    The network is the one the PyTorch-binding test uses (tests/pytorch_nnapi/model_cases.py): float NHWC image
    in, quint8 logits out."""
    import torch
    from torch.backends._nnapi.prepare import convert_model_to_nnapi
    from model_cases import image, quantized_network

    torch.backends.quantized.engine = "qnnpack"
    network = quantized_network("mobilenet_v2", seed=11)
    x = image(seed=0)
    converted = convert_model_to_nnapi(torch.jit.trace(network, x), [x])
    return network, converted, x


def main():
    args = parse_args()
    # Thread counts must be set before either library starts its workers.
    os.environ["NNAPI_HOST_THREADS"] = str(args.threads)
    try:
        import torch
    except ImportError:
        sys.exit("bench_models.py needs Debian's python3-torch and python3-torchvision: run it with /usr/bin/python3")
    torch.set_num_threads(args.threads)
    sys.path.insert(0, os.path.join(ROOT, "tests", "models"))
    sys.path.insert(0, os.path.join(ROOT, "tests", "pytorch_nnapi"))
    lib = os.path.join(args.build, "lib")
    # PyTorch's binding dlopens "libneuralnetworks.so": preloading ours under that SONAME makes it the one found.
    ctypes.CDLL(os.path.join(lib, "libneuralnetworks.so"), mode=ctypes.RTLD_GLOBAL)
    torch.ops.load_library(os.path.join(lib, "libnnapi_runtime.so"))

    print(f"threads: {args.threads}, runs: {args.runs} (median)")
    print(f"{'model':26s} {'libtorch ms':>12s} {'desktop NNAPI ms':>17s} {'ratio':>7s}")
    with tempfile.TemporaryDirectory() as workdir, torch.no_grad():
        for name in args.models:
            if name == "quantized_mobilenet_v2":
                original, converted, x = quantized_mobilenet_v2()
                reference = median_seconds(lambda: original(x), args.runs)
                ours = median_seconds(lambda: converted(x), args.runs)
            else:
                original, converted = float_model(name, args.build, workdir)
                x = torch.randn(1, 3, 224, 224)
                reference = median_seconds(lambda: original(x), args.runs)
                ours = median_seconds(lambda: converted(x), args.runs)
            print(f"{name:26s} {reference * 1e3:12.2f} {ours * 1e3:17.2f} {ours / reference:7.2f}", flush=True)


if __name__ == "__main__":
    main()
