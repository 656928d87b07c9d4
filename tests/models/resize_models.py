"""Resizing that NNAPI's RESIZE_* cannot map like PyTorch at the default level (Android 10): bilinear with either
align_corners value by a scale factor, by output size, downsampling, nearest by a factor whose 1/factor is not
in/out, nearest-exact, and a classic U-Net whose decoder upsamples with nn.Upsample(scale_factor=2, mode='bilinear',
align_corners=True). Each becomes the separable GATHER form (converter/ops/resize.cpp) and runs whole on NNAPI at
the default level, compared with PyTorch.
"""
import torch.nn
import torch.nn.functional as F

from model_spec import ModelSpec, traced
from norm_models import UNet, with_random_batch_norms
from op_models import conv3x3, Fn

C = 8
WHOLE = ("verify", "python", "partitions")


def op(name, build, image, checks=WHOLE):
    return ModelSpec(name=name, kind="op", inputs=[image], write=traced(build), checks=checks, expect_partitions=1)


def bilinear(name, image, align_corners, **size_or_scale):
    return op(name, lambda: Fn(lambda m, x: F.interpolate(m.conv(x), mode="bilinear", align_corners=align_corners,
                                                          **size_or_scale), conv=conv3x3()), image)


def bilinear_models():
    models = [op("resize_bilinear_align_corners_x2", lambda: torch.nn.Sequential(
        conv3x3(), torch.nn.Upsample(scale_factor=2, mode="bilinear", align_corners=True)), (1, C, 12, 12))]
    for align_corners in (False, True):
        suffix = "_align_corners" if align_corners else ""
        models += [
            # 7 x 11 by 1.5 -> 10 x 16: PyTorch's scale 1/1.5 is not 7/10 (nor, in float, 11/16).
            bilinear("resize_bilinear_scale1_5" + suffix, (1, C, 7, 11), align_corners, scale_factor=1.5),
            bilinear("resize_bilinear_size10_17" + suffix, (1, C, 10, 10), align_corners, size=(17, 17)),
            bilinear("resize_bilinear_down16_6" + suffix, (1, C, 16, 16), align_corners, size=(6, 6)),
        ]
    return models


def nearest_models():
    return [
        # 7 by 1.4 -> 9: PyTorch reads floor(d / 1.4), NNAPI's floor(d * 7/9) differs at d = 8.
        op("resize_nearest_scale1_4", lambda: Fn(lambda m, x: F.interpolate(m.conv(x), scale_factor=1.4),
                                                 conv=conv3x3()), (1, C, 7, 7)),
        op("resize_nearest_exact", lambda: Fn(lambda m, x: F.interpolate(m.conv(x), size=(13, 6),
                                                                         mode="nearest-exact"),
                                              conv=conv3x3()), (1, C, 8, 9)),
    ]


def specs():
    return bilinear_models() + nearest_models() + [
        op("resize_unet_bilinear", with_random_batch_norms(lambda: UNet("bilinear")), (1, 3, 64, 64)),
    ]
