"""Torchvision networks of the families beyond classic CNNs, exported as users export them: traced in eval mode
with fixed-seed random weights, a segmentation network returning its dict (traced with strict=False, as it must
be; norm_models.py has segmentation bodies returning the tensor). Each must convert with the whole model on NNAPI
("partitions" with no expected CPU op) and match PyTorch.

Inputs are smaller than the 224x224 the networks were trained at (every one works at any size that survives its
downsampling), so the set converts and runs in seconds.
"""
import torchvision

from model_spec import ModelSpec, traced
from torchvision_models import randomize_batch_norms
from transformer_models import randomize_layer_norms

CHECKS = ("verify", "python", "partitions")


def randomized(build):
    """build() with random BatchNorm statistics and LayerNorm affine parameters (folding and norms really tested)."""
    def make():
        module = build()
        randomize_batch_norms(module)
        return randomize_layer_norms(module)
    return make


def network(name, build, size, strict=True):
    return ModelSpec(name=name, kind="torchvision", inputs=[(1, 3, size, size)],
                     write=traced(randomized(build), strict=strict), checks=CHECKS)


def specs():
    segmentation = torchvision.models.segmentation
    return [
        network("convnext_tiny", lambda: torchvision.models.convnext_tiny(weights=None), 64),
        network("lraspp_mobilenet_v3_large",
                lambda: segmentation.lraspp_mobilenet_v3_large(weights=None, weights_backbone=None), 128,
                strict=False),
    ]
