"""Normalization, resizing and pixel shuffle: one small traced model per op variant, and the networks that need
them (ESPCN super-resolution, a U-Net, torchvision's LRASPP and DeepLabV3-MobileNetV3 segmentation bodies), each
converted with the whole model on NNAPI and compared with PyTorch.

The resize models checked with --min-api 30 (verify_api30, python_api30_strict, partitions_api30) use RESIZE_*'s
level-4 align_corners and half_pixel_centers inputs; below Android 11 the same resizes take the separable GATHER
form (converter/ops/resize.cpp; at the default level in resize_models.py), so the others, and the segmentation
networks, run at both levels.
"""
import torch
import torch.nn.functional as F
import torchvision

from model_spec import ModelSpec, traced
from op_models import conv3x3, Fn
from torchvision_models import randomize_batch_norms

C, H, W = 8, 16, 16
IMAGE = (1, C, H, W)

# The whole model on NNAPI at the default level (Android 10) and at Android 11.
WHOLE_AT_API29 = ("verify", "python", "partitions", "verify_api30")
WHOLE_AT_API30 = ("verify_api30", "python_api30_strict", "partitions_api30")


def op(name, build, checks, inputs=(IMAGE,), kind="op"):
    return ModelSpec(name=name, kind=kind, inputs=list(inputs), write=traced(build), checks=checks,
                     expect_partitions=1)


def resize_models():
    return [
        op("upsample_nearest_scale2", lambda: Fn(lambda m, x: F.interpolate(m.conv(x), scale_factor=2),
                                                 conv=conv3x3()), WHOLE_AT_API29),
        # Output size 24 x 40 from 16 x 16: neither factor an integer, floor(dst * 16/24) and floor(dst * 16/40).
        op("upsample_nearest_size", lambda: Fn(lambda m, x: F.interpolate(m.conv(x), size=(24, 40)),
                                               conv=conv3x3()), WHOLE_AT_API29),
        op("upsample_nearest_exact", lambda: Fn(lambda m, x: F.interpolate(m.conv(x), size=(24, 12),
                                                                           mode="nearest-exact"),
                                                conv=conv3x3()), WHOLE_AT_API30),
        op("upsample_bilinear_size", lambda: Fn(lambda m, x: F.interpolate(m.conv(x), size=(21, 40), mode="bilinear",
                                                                           align_corners=False),
                                                conv=conv3x3()), WHOLE_AT_API30),
        op("upsample_bilinear_align_corners_scale", lambda: torch.nn.Sequential(
            conv3x3(), torch.nn.Upsample(scale_factor=2.5, mode="bilinear", align_corners=True)), WHOLE_AT_API30),
        op("upsample_bilinear_scale_downsample", lambda: Fn(lambda m, x: F.interpolate(
            m.conv(x), scale_factor=0.5, mode="bilinear", align_corners=False), conv=conv3x3()), WHOLE_AT_API30),
        # Also at Android 10 (the separable GATHER form): whole factors, x3 included; a 1x1 map, which every mapping
        # replicates, is one legacy RESIZE_BILINEAR.
        op("upsample_bilinear_scale2", lambda: torch.nn.Sequential(
            conv3x3(), torch.nn.Upsample(scale_factor=2, mode="bilinear", align_corners=False)), WHOLE_AT_API29),
        op("upsample_bilinear_size_x4", lambda: Fn(lambda m, x: F.interpolate(m.conv(x), size=(64, 64),
                                                                              mode="bilinear", align_corners=False),
                                                   conv=conv3x3()), WHOLE_AT_API29),
        op("upsample_bilinear_size_x3_x2", lambda: Fn(lambda m, x: F.interpolate(
            m.conv(x), size=(48, 32), mode="bilinear", align_corners=False), conv=conv3x3()), WHOLE_AT_API29),
        op("upsample_bilinear_1x1_to_7x7", lambda: Fn(lambda m, x: F.interpolate(
            F.adaptive_avg_pool2d(m.conv(x), 1), size=(7, 7), mode="bilinear", align_corners=False),
            conv=conv3x3()), WHOLE_AT_API29),
    ]


def pixel_shuffle_models():
    return [
        op("pixel_shuffle_one_channel", lambda: torch.nn.Sequential(conv3x3(C, 4), torch.nn.PixelShuffle(2)),
           WHOLE_AT_API29 + ("python_api27_strict",)),
        op("pixel_shuffle_channels", lambda: torch.nn.Sequential(conv3x3(C, 27), torch.nn.PixelShuffle(3)),
           WHOLE_AT_API29),
        op("pixel_unshuffle", lambda: torch.nn.Sequential(conv3x3(C, 3), torch.nn.PixelUnshuffle(2),
                                                          conv3x3(12, 8)), WHOLE_AT_API29),
    ]


def random_affine(norm):
    """Gives a norm layer non-trivial weight and bias, so folding and the per-element MUL/ADD are exercised."""
    with torch.no_grad():
        norm.weight.uniform_(0.5, 1.5)
        norm.bias.uniform_(-0.5, 0.5)
    return norm


class LayerNormLast(torch.nn.Module):
    """A transformer-style layer norm over the last dim of a [N, L, D] sequence, between two linear layers."""

    def __init__(self):
        super().__init__()
        self.first = torch.nn.Linear(16, 24)
        self.norm = random_affine(torch.nn.LayerNorm(24))
        self.second = torch.nn.Linear(24, 10)

    def forward(self, x):
        return self.second(self.norm(self.first(x)))


def norm_models():
    return [
        op("layer_norm_last_dim", LayerNormLast, WHOLE_AT_API29,
           inputs=[(2, 7, 16)]),
        op("layer_norm_map", lambda: torch.nn.Sequential(conv3x3(), random_affine(torch.nn.LayerNorm([C, H, W]))),
           WHOLE_AT_API29),
        op("instance_norm_affine", lambda: torch.nn.Sequential(
            conv3x3(), random_affine(torch.nn.InstanceNorm2d(C, affine=True))), WHOLE_AT_API29),
        op("instance_norm_plain", lambda: torch.nn.Sequential(conv3x3(), torch.nn.InstanceNorm2d(C)), WHOLE_AT_API29),
        op("group_norm_groups", lambda: torch.nn.Sequential(conv3x3(), random_affine(torch.nn.GroupNorm(4, C))),
           WHOLE_AT_API29),
        op("group_norm_one_group", lambda: torch.nn.Sequential(conv3x3(), random_affine(torch.nn.GroupNorm(1, C))),
           WHOLE_AT_API29),
    ]


class Espcn(torch.nn.Module):
    """ESPCN (Shi et al. 2016) as public examples write it: conv 5x5 -> tanh -> conv 3x3 -> tanh -> conv 3x3 to
    channels * r^2 -> pixel_shuffle(r)."""

    def __init__(self, channels, upscale=3):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(channels, 64, 5, padding=2)
        self.conv2 = torch.nn.Conv2d(64, 32, 3, padding=1)
        self.conv3 = torch.nn.Conv2d(32, channels * upscale ** 2, 3, padding=1)
        self.pixel_shuffle = torch.nn.PixelShuffle(upscale)

    def forward(self, x):
        x = torch.tanh(self.conv1(x))
        x = torch.tanh(self.conv2(x))
        return self.pixel_shuffle(self.conv3(x))


class DoubleConv(torch.nn.Module):
    def __init__(self, in_channels, out_channels):
        super().__init__()
        self.block = torch.nn.Sequential(
            torch.nn.Conv2d(in_channels, out_channels, 3, padding=1, bias=False), torch.nn.BatchNorm2d(out_channels),
            torch.nn.ReLU(inplace=True),
            torch.nn.Conv2d(out_channels, out_channels, 3, padding=1, bias=False), torch.nn.BatchNorm2d(out_channels),
            torch.nn.ReLU(inplace=True))

    def forward(self, x):
        return self.block(x)


class Up(torch.nn.Module):
    """Upsample, concatenate the skip connection, double conv (the U-Net decoder step)."""

    def __init__(self, in_channels, out_channels, mode):
        super().__init__()
        align = True if mode == "bilinear" else None
        self.up = torch.nn.Upsample(scale_factor=2, mode=mode, align_corners=align)
        self.conv = DoubleConv(in_channels, out_channels)

    def forward(self, x, skip):
        return self.conv(torch.cat([skip, self.up(x)], dim=1))


class UNet(torch.nn.Module):
    """A small U-Net (Ronneberger et al. 2015) in the layout of the public PyTorch examples: double convs, max-pool
    downsampling, upsampling + skip concatenation, a 1x1 classifier."""

    def __init__(self, mode, channels=3, classes=2, width=8):
        super().__init__()
        self.inc = DoubleConv(channels, width)
        self.down = torch.nn.ModuleList([DoubleConv(width * 2 ** i, width * 2 ** (i + 1)) for i in range(3)])
        self.up = torch.nn.ModuleList([Up(width * 2 ** (i + 1) + width * 2 ** i, width * 2 ** i, mode)
                                       for i in reversed(range(3))])
        self.outc = torch.nn.Conv2d(width, classes, 1)

    def forward(self, x):
        skips = [self.inc(x)]
        for down in self.down:
            skips.append(down(F.max_pool2d(skips[-1], 2)))
        x = skips.pop()
        for up in self.up:
            x = up(x, skips.pop())
        return self.outc(x)


class SegmentationOut(torch.nn.Module):
    """torchvision's segmentation models return {"out": ...}; the converted module is compared on that tensor."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, x):
        return self.model(x)["out"]


def with_random_batch_norms(build):
    def made():
        network = build()
        randomize_batch_norms(network)
        return network
    return made


def network_models():
    segmentation = torchvision.models.segmentation
    return [
        op("espcn_y", lambda: Espcn(1), WHOLE_AT_API29 + ("python_api27_strict",), inputs=[(1, 1, 24, 24)]),
        op("espcn_rgb", lambda: Espcn(3), WHOLE_AT_API29, inputs=[(1, 3, 24, 24)]),
        op("unet_nearest", with_random_batch_norms(lambda: UNet("nearest")), WHOLE_AT_API29,
           inputs=[(1, 3, 64, 64)]),
        op("unet_bilinear", with_random_batch_norms(lambda: UNet("bilinear")), WHOLE_AT_API30,
           inputs=[(1, 3, 64, 64)]),
        op("lraspp_mobilenet_v3", with_random_batch_norms(lambda: SegmentationOut(
            segmentation.lraspp_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=4))),
           WHOLE_AT_API29, inputs=[(1, 3, 128, 128)], kind="torchvision"),
        op("deeplabv3_mobilenet_v3", with_random_batch_norms(lambda: SegmentationOut(
            segmentation.deeplabv3_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=4))),
           WHOLE_AT_API29, inputs=[(1, 3, 128, 128)], kind="torchvision"),
    ]


def specs():
    return resize_models() + pixel_shuffle_models() + norm_models() + network_models()
