"""Whole networks for the PyTorch-binding test: quantized MobileNetV2 and ResNet18 (eager post-training
quantization with QNNPACK, calibrated on fixed-seed random images) and float MobileNetV2, all with fixed-seed
random weights (nothing can be downloaded)."""
import os
import sys
from dataclasses import dataclass
from typing import Callable

import torch
import torchvision

from nnapi_harness import NHWC, as_layout

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "models"))
from torchvision_models import randomize_batch_norms  # noqa: E402  (tests/models, shared with the e2e tests)

# One 224x224 image: the size the networks are built for; batch 1 keeps the run to seconds on 2 cores.
IMAGE_SHAPE = (1, 3, 224, 224)
CALIBRATION_IMAGES = 4


@dataclass(frozen=True)
class ModelCase:
    name: str
    build: Callable[[], torch.nn.Module]   # eval-mode network taking an nnapi_nhwc float image
    quantized: bool


def quantized_network(name, seed):
    """torchvision's quantizable `name`, fused, observed on random images, converted to quint8 (QNNPACK).

    The final DeQuantStub is dropped so the network returns quint8 and differences can be counted in LSBs of
    the classifier's output quantization."""
    torch.manual_seed(seed)
    network = getattr(torchvision.models.quantization, name)(weights=None, quantize=False)
    randomize_batch_norms(network)
    network.eval()
    network.fuse_model()
    network.qconfig = torch.ao.quantization.get_default_qconfig("qnnpack")
    torch.ao.quantization.prepare(network, inplace=True)
    with torch.no_grad():
        for _ in range(CALIBRATION_IMAGES):
            network(torch.randn(IMAGE_SHAPE))
    torch.ao.quantization.convert(network, inplace=True)
    network.dequant = torch.nn.Identity()
    return network


def float_mobilenet_v2(seed):
    torch.manual_seed(seed)
    network = torchvision.models.mobilenet_v2(weights=None)
    randomize_batch_norms(network)
    # PyTorch's converter has no in-place hardtanh_ (torchvision's ReLU6 is in place); the result is the same.
    for layer in network.modules():
        if isinstance(layer, torch.nn.Hardtanh):
            layer.inplace = False
    return network.eval()


def image(seed):
    generator = torch.Generator().manual_seed(seed)
    return as_layout(torch.randn(IMAGE_SHAPE, generator=generator), NHWC)


MODEL_CASES = [
    ModelCase("mobilenet_v2.quantized", lambda: quantized_network("mobilenet_v2", 11), True),
    ModelCase("resnet18.quantized", lambda: quantized_network("resnet18", 12), True),
    ModelCase("mobilenet_v2.float", lambda: float_mobilenet_v2(13), False),
]
