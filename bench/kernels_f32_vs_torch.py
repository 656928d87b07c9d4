#!/usr/bin/python3
"""Compares the desktop NNAPI's float32 kernels with libtorch (via PyTorch) at the same thread count.

Runs kernels_f32_bench (which prints one line per distinct layer shape of ResNet50 / MobileNetV2 with its time),
times the same operation with torch.nn.functional on NCHW tensors, and prints both with their ratio, the
count-weighted totals, and torchvision's full forward pass for reference (which includes batch norm, ReLU and
residual additions that the converted model folds or runs as separate cheap operations).

Usage: bench/kernels_f32_vs_torch.py BUILD/bin/kernels_f32_bench [resnet50|mobilenet_v2|all] [--threads N]
"""
import argparse
import os
import subprocess
import sys
import time

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    sys.exit("kernels_f32_vs_torch.py: torch is not installed for this Python; run it with /usr/bin/python3 "
             "(Debian's python3-torch)")


CLOCK = time.perf_counter  # or time.thread_time with --cpu-time


def best_ms(run, min_reps=5, budget_ms=300.0):
    """Minimum time of run() in ms after one warm-up; the minimum is least disturbed by other load."""
    run()
    best, spent, reps = float("inf"), 0.0, 0
    while reps < 500 and (reps < min_reps or spent < budget_ms):
        start = CLOCK()
        run()
        ms = (CLOCK() - start) * 1e3
        best, spent, reps = min(best, ms), spent + ms, reps + 1
    return best


def torch_layer_ms(kind, h, w, cin, cout, kernel, stride, pad, groups):
    x = torch.rand(1, cin, h, w)
    if kind in ("conv", "depthwise"):
        weight = torch.rand(cout, cin // groups, kernel, kernel) * 0.01
        bias = torch.rand(cout)
        return best_ms(lambda: F.conv2d(x, weight, bias, stride, pad, 1, groups))
    if kind == "maxpool":
        return best_ms(lambda: F.max_pool2d(x, kernel, stride, pad))
    if kind == "avgpool":
        return best_ms(lambda: F.adaptive_avg_pool2d(x, 1))
    if kind == "fc":
        v = torch.rand(1, cin)
        weight = torch.rand(cout, cin) * 0.01
        bias = torch.rand(cout)
        return best_ms(lambda: F.linear(v, weight, bias))
    raise ValueError(f"unknown layer kind '{kind}' in kernels_f32_bench output")


def torchvision_forward_ms(net):
    try:
        import torchvision
    except ImportError:
        return None
    torch.manual_seed(0)
    model = getattr(torchvision.models, net)().eval()
    x = torch.rand(1, 3, 224, 224)
    return best_ms(lambda: model(x), budget_ms=2000.0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bench", help="path of the kernels_f32_bench executable")
    parser.add_argument("network", nargs="?", default="all", choices=["all", "resnet50", "mobilenet_v2"])
    parser.add_argument("--threads", type=int, default=2, help="threads for both sides (default 2)")
    parser.add_argument("--cpu-time", action="store_true",
                        help="time the calling thread's CPU time on both sides (needs --threads 1); robust "
                             "against other load on the machine")
    args = parser.parse_args()
    if args.cpu_time and args.threads != 1:
        sys.exit("kernels_f32_vs_torch.py: --cpu-time only measures one thread; use it with --threads 1")

    global CLOCK
    if args.cpu_time:
        CLOCK = time.thread_time
    torch.set_num_threads(args.threads)
    env = dict(os.environ, NNAPI_HOST_THREADS=str(args.threads))
    command = [args.bench, args.network] + (["--cpu-time"] if args.cpu_time else [])
    bench_output = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout

    totals = {}
    print(f"threads {args.threads}, {'thread CPU' if args.cpu_time else 'wall'} time")
    print(f"{'network':13} {'layer':10} {'HxW':>7} {'cin':>5} {'cout':>5} k s  count  nnapi_ms  torch_ms  ratio")
    with torch.no_grad():
        for line in bench_output.splitlines():
            fields = line.split()
            if not fields or fields[0] != "layer":
                continue
            net, kind = fields[1], fields[2]
            _, h, w, cin, cout, kernel, stride, pad, groups, count = map(int, fields[3:13])
            ours = float(fields[13])
            theirs = torch_layer_ms(kind, h, w, cin, cout, kernel, stride, pad, groups)
            ours_total, theirs_total = totals.get(net, (0.0, 0.0))
            totals[net] = (ours_total + count * ours, theirs_total + count * theirs)
            print(f"{net:13} {kind:10} {h:>3}x{w:<3} {cin:>5} {cout:>5} {kernel} {stride} {count:>6} "
                  f"{ours:9.3f} {theirs:9.3f} {ours / theirs:6.2f}")
        for net, (ours, theirs) in totals.items():
            forward = torchvision_forward_ms(net)
            forward_text = f"{forward:.1f} ms" if forward is not None else "n/a (torchvision missing)"
            print(f"total {net}: nnapi kernels {ours:.1f} ms, torch same ops {theirs:.1f} ms "
                  f"(ratio {ours / theirs:.2f}); torchvision full forward {forward_text}")


if __name__ == "__main__":
    main()
