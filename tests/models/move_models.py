"""Data movement and layout: permute/transpose/t, chunk/split/unbind, the channel shuffle, squeeze/unsqueeze/flatten/
stack, and the networks built on them (torchvision's ShuffleNetV2), each converted and compared with PyTorch.

Most models put a convolution first, so the data is a channels-last map inside NNAPI: that is where a permute is
free or not, and where a split or shuffle must use the physical channel axis.
"""
import torch
import torchvision

from model_spec import ModelSpec, seed_for, traced
from op_models import C, H, W, IMAGE, Fn, conv3x3
from torchvision_models import IMAGE_SHAPE, randomize_batch_norms

# The whole model on NNAPI: one partition, nothing left to the CPU.
WHOLE = dict(expect_partitions=1, expect_cpu_ops=[])


def op(name, build, inputs=(IMAGE,), checks=("verify", "python", "partitions"), **spec_args):
    return ModelSpec(name=name, kind="op", inputs=list(inputs), write=traced(build), checks=checks, **spec_args)


def channel_shuffle(x, groups):
    """ShuffleNet's channel shuffle as torchvision writes it."""
    n, c, h, w = x.size()
    x = x.view(n, groups, c // groups, h, w)
    x = torch.transpose(x, 1, 2).contiguous()
    return x.view(n, -1, h, w)


class ConvNeXtLikeBlock(torch.nn.Module):
    """ConvNeXt's block with its pointwise layers on [N,H,W,C] between two permutes (layer_norm and gelu, other
    lowerings, replaced by relu): the permutes must cost no TRANSPOSE."""

    def __init__(self):
        super().__init__()
        self.stem = conv3x3(C, C)
        self.dwconv = conv3x3(C, C, groups=C)
        self.up = torch.nn.Linear(C, 4 * C)
        self.down = torch.nn.Linear(4 * C, C)
        self.head = conv3x3(C, C)

    def forward(self, x):
        x = self.stem(x)
        y = self.dwconv(x).permute(0, 2, 3, 1)
        y = self.down(torch.relu(self.up(y))).permute(0, 3, 1, 2)
        return self.head(x + y)


class ShuffleUnit(torch.nn.Module):
    """ShuffleNetV2's stride-1 unit: half the channels through a branch, concatenated, shuffled."""

    def __init__(self):
        super().__init__()
        self.stem = conv3x3(C, C)
        self.branch = torch.nn.Sequential(torch.nn.Conv2d(C // 2, C // 2, 1), torch.nn.ReLU(),
                                          conv3x3(C // 2, C // 2, groups=C // 2))

    def forward(self, x):
        x1, x2 = self.stem(x).chunk(2, dim=1)
        return channel_shuffle(torch.cat((x1, self.branch(x2)), dim=1), 2)


def permute_models():
    return [
        op("permute_convnext_block", ConvNeXtLikeBlock,
           checks=("verify", "python", "partitions", "inspect", "verify_api28", "verify_api29"), **WHOLE),
        # Permutes that change the data: one TRANSPOSE each, from the physical order.
        op("transpose_hw_conv", lambda: Fn(lambda self, x: self.b(self.a(x).transpose(2, 3)),
                                           a=conv3x3(), b=conv3x3()), inputs=[(1, C, 12, 20)], **WHOLE),
        op("permute_to_chw_rows", lambda: Fn(lambda self, x: self.a(x).permute(0, 2, 1, 3).relu(), a=conv3x3()),
           inputs=[(1, C, 12, 20)], **WHOLE),
        op("permute_output_shared", PermutedTwice, checks=("verify", "python", "verify_api30")),
        op("t_linear", lambda: Fn(lambda self, x: self.fc(x).t().relu(), fc=torch.nn.Linear(32, 10)),
           inputs=[(4, 32)], **WHOLE),
    ]


class PermutedTwice(torch.nn.Module):
    """A map and its free permute both leave the partition (for a later partition and for the caller): NNAPI lists
    an output once, so one of them needs a copy of its own (verify_api30 fails if NNAPI refuses the partition)."""

    def __init__(self):
        super().__init__()
        self.a = conv3x3()
        self.b = conv3x3()

    def forward(self, x):
        a = self.a(x)
        nhwc = a.permute(0, 2, 3, 1)
        after_cpu = torch.cumsum(a, 1)  # no NNAPI lowering: the partition ends here
        return self.b(after_cpu + a), nhwc * 2


def split_rows_sum(x):
    """The four row blocks of a 16-row map added up: SPLIT along the map's H axis."""
    a, b, c, d = x.split(4, dim=2)
    return a + b * 2 + c * 3 + d * 4


def split_models():
    return [
        op("chunk_channels", lambda: Fn(lambda self, x: torch.mul(*self.conv(x).chunk(2, dim=1)), conv=conv3x3()),
           checks=("verify", "python", "partitions", "verify_api28", "verify_api29", "fallback"), **WHOLE),
        # Unequal pieces: STRIDED_SLICE each.
        op("split_with_sizes_channels",
           lambda: Fn(lambda self, x: torch.cat([p.relu() * (i + 1) for i, p in
                                                 enumerate(self.conv(x).split([3, 5], dim=1))], 1),
                      conv=conv3x3()), **WHOLE),
        op("split_rows", lambda: Fn(lambda self, x: split_rows_sum(self.conv(x)), conv=conv3x3()), **WHOLE),
        op("unbind_rows", lambda: Fn(lambda self, x: torch.add(*self.fc(x).unbind(1)), fc=torch.nn.Linear(32, 6)),
           inputs=[(2, 2, 32)], **WHOLE),
    ]


def shuffle_models():
    return [
        op("channel_shuffle_unit", ShuffleUnit,
           checks=("verify", "python", "partitions", "inspect", "verify_api29", "verify_api30", "fallback"), **WHOLE),
        # A 5-D view that is not the idiom stays on the CPU, and the model still matches.
        op("view_5d_not_shuffle", lambda: Fn(lambda self, x: self.conv(x).view(1, 2, C // 2, H, W).sum(1),
                                             conv=conv3x3()), checks=("verify", "python")),
    ]


def squeeze_excite(self, x):
    n, c = x.shape[:2]
    return x * torch.sigmoid(self.fc(x.mean([2, 3]))).view(n, c, 1, 1)


def reshape_models():
    return [
        # A one-channel map squeezed to [N,H,W] is in PyTorch's order already; unsqueezed back and convolved.
        op("squeeze_unsqueeze_map", lambda: Fn(lambda self, x: self.b(self.a(x).squeeze(1).relu().unsqueeze(1)),
                                               a=conv3x3(C, 1), b=conv3x3(1, C)), **WHOLE),
        # Pooled to 1x1 and squeezed: the [N,C] features of a classifier head.
        op("squeeze_pooled", lambda: Fn(lambda self, x: self.fc(self.conv(x).mean([2, 3], keepdim=True).squeeze()),
                                        conv=conv3x3(), fc=torch.nn.Linear(C, 10)), **WHOLE),
        # flatten(2).transpose(1, 2): a vision transformer's patch sequence from a map.
        op("flatten_hw_tokens", lambda: Fn(lambda self, x: self.fc(self.conv(x).flatten(2).transpose(1, 2)),
                                           conv=torch.nn.Conv2d(C, C, 4, stride=4), fc=torch.nn.Linear(C, 6)),
           **WHOLE),
        op("stack_inner", lambda: Fn(lambda self, x: torch.stack([self.a(x), self.b(x)], 1).relu(),
                                     a=torch.nn.Linear(32, 6), b=torch.nn.Linear(32, 6)), inputs=[(2, 32)], **WHOLE),
        op("stack_last", lambda: Fn(lambda self, x: torch.stack([self.a(x), self.b(x), self.c(x)], -1).relu(),
                                    a=torch.nn.Linear(32, 6), b=torch.nn.Linear(32, 6), c=torch.nn.Linear(32, 6)),
           inputs=[(2, 32)], **WHOLE),
        # Squeeze-excite's [N,C] -> [N,C,1,1] becomes a map, multiplied with the map without a TRANSPOSE.
        op("view_gate_map", lambda: Fn(lambda self, x: squeeze_excite(self, self.conv(x)), conv=conv3x3(),
                                       fc=torch.nn.Linear(C, C)), checks=("verify", "python", "partitions", "inspect"),
           **WHOLE),
    ]


def shufflenet(name):
    def build():
        torch.manual_seed(seed_for(name))
        network = getattr(torchvision.models, name)(weights=None)
        randomize_batch_norms(network)
        return network.eval()
    return ModelSpec(name=name, kind="torchvision", inputs=[IMAGE_SHAPE], write=traced(build),
                     checks=("verify", "python", "partitions", "inspect"), **WHOLE)


def specs():
    return (permute_models() + split_models() + shuffle_models() + reshape_models()
            + [shufflenet("shufflenet_v2_x0_5"), shufflenet("shufflenet_v2_x1_0")])
