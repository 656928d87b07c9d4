#!/usr/bin/env bash
# The README's first command: install what is missing, build, make the bundled example model (torchvision
# MobileNetV2, fixed-seed random weights, traced as is), convert it, inspect it and verify it on the desktop NNAPI.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_deps.sh
bash scripts/build.sh
/usr/bin/python3 examples/make_example.py -o examples/mobilenet_v2.pt
build/bin/nnapi-convert convert examples/mobilenet_v2.pt -o examples/mobilenet_v2.nnapi.pt --input 1,3,224,224
build/bin/nnapi-convert inspect examples/mobilenet_v2.nnapi.pt > examples/mobilenet_v2.inspect.txt
head -n 7 examples/mobilenet_v2.inspect.txt
echo "(the whole model: examples/mobilenet_v2.inspect.txt)"
build/bin/nnapi-convert verify examples/mobilenet_v2.pt --input 1,3,224,224
