#!/usr/bin/python3
"""Writes examples/mobilenet_v2.pt: MobileNetV2 traced as is, with fixed-seed random weights.

Nothing is downloaded. The weights, including random BatchNorm statistics, come from the same builder as the
end-to-end test model (tests/models/torchvision_models.py), so the example is that test model.

    /usr/bin/python3 examples/make_example.py [-o PATH]
"""
import argparse
import os
import sys

try:
    import torch
    import torchvision  # noqa: F401  (imported here to fail early with a clear message)
except ImportError as missing:
    sys.exit(f"{os.path.basename(__file__)}: needs torch and torchvision in {sys.executable} "
             f"(Debian packages python3-torch and python3-torchvision): {missing}")

EXAMPLES_DIR = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(EXAMPLES_DIR, os.pardir, "tests", "models"))
import torchvision_models  # noqa: E402
from model_spec import seed_for  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-o", "--output", default=os.path.join(EXAMPLES_DIR, "mobilenet_v2.pt"),
                        help="where to write the model (default: %(default)s)")
    args = parser.parse_args()

    network = torchvision_models.build("mobilenet_v2", seed_for("mobilenet_v2"))
    example_input = torch.randn(torchvision_models.IMAGE_SHAPE)
    with torch.no_grad():
        script = torch.jit.trace(network, example_input)
    script.save(args.output)
    shape = ",".join(map(str, torchvision_models.IMAGE_SHAPE))
    print(f"wrote {os.path.abspath(args.output)} (MobileNetV2, random weights, input {shape} float32)")


if __name__ == "__main__":
    main()
