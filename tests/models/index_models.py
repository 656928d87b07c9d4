"""Indexing, broadcasting and padding: one tiny model per op family, and a fast style-transfer network written as
PyTorch's examples repository writes it (examples/fast_neural_style/neural_style/transformer_net.py), smaller.

Most op models put a convolution first, so the op under test meets a map the converter holds channels-last
(NHWC): where a logical dimension lands on the wrong physical axis, the comparison with PyTorch shows it.
"""
import torch
import torch.nn.functional as F

from model_spec import ModelSpec, traced
from op_models import Fn, conv3x3

C, H, W = 8, 10, 12
IMAGE = (1, C, H, W)
# The whole model on NNAPI (no op left on the CPU), compared with PyTorch.
ON_NNAPI = ("verify", "python", "partitions", "inspect")


def op(name, build, inputs=(IMAGE,), checks=ON_NNAPI, **spec_args):
    if "partitions" in checks:
        spec_args.setdefault("expect_partitions", 1)
    return ModelSpec(name=name, kind="op", inputs=list(inputs), write=traced(build), checks=checks, **spec_args)


# ---- the style-transfer network's layers, as the examples repository writes them ----

class ConvLayer(torch.nn.Module):
    def __init__(self, in_channels, out_channels, kernel_size, stride):
        super().__init__()
        reflection_padding = kernel_size // 2
        self.reflection_pad = torch.nn.ReflectionPad2d(reflection_padding)
        self.conv2d = torch.nn.Conv2d(in_channels, out_channels, kernel_size, stride)

    def forward(self, x):
        out = self.reflection_pad(x)
        out = self.conv2d(out)
        return out


class ResidualBlock(torch.nn.Module):
    def __init__(self, channels, norm=True):
        super().__init__()
        self.conv1 = ConvLayer(channels, channels, kernel_size=3, stride=1)
        self.in1 = torch.nn.InstanceNorm2d(channels, affine=True) if norm else torch.nn.Identity()
        self.conv2 = ConvLayer(channels, channels, kernel_size=3, stride=1)
        self.in2 = torch.nn.InstanceNorm2d(channels, affine=True) if norm else torch.nn.Identity()
        self.relu = torch.nn.ReLU()

    def forward(self, x):
        residual = x
        out = self.relu(self.in1(self.conv1(x)))
        out = self.in2(self.conv2(out))
        out = out + residual
        return out


class UpsampleConvLayer(torch.nn.Module):
    def __init__(self, in_channels, out_channels, kernel_size, stride, upsample=None):
        super().__init__()
        self.upsample = upsample
        reflection_padding = kernel_size // 2
        self.reflection_pad = torch.nn.ReflectionPad2d(reflection_padding)
        self.conv2d = torch.nn.Conv2d(in_channels, out_channels, kernel_size, stride)

    def forward(self, x):
        x_in = x
        if self.upsample:
            x_in = torch.nn.functional.interpolate(x_in, mode='nearest', scale_factor=self.upsample)
        out = self.reflection_pad(x_in)
        out = self.conv2d(out)
        return out


class TransformerNet(torch.nn.Module):
    """The examples' TransformerNet with 8/16/32 channels (instead of 32/64/128) and 2 residual blocks (instead of
    5): the same layers in the same order."""

    def __init__(self):
        super().__init__()
        self.conv1 = ConvLayer(3, 8, kernel_size=9, stride=1)
        self.in1 = torch.nn.InstanceNorm2d(8, affine=True)
        self.conv2 = ConvLayer(8, 16, kernel_size=3, stride=2)
        self.in2 = torch.nn.InstanceNorm2d(16, affine=True)
        self.conv3 = ConvLayer(16, 32, kernel_size=3, stride=2)
        self.in3 = torch.nn.InstanceNorm2d(32, affine=True)
        self.res1 = ResidualBlock(32)
        self.res2 = ResidualBlock(32)
        self.deconv1 = UpsampleConvLayer(32, 16, kernel_size=3, stride=1, upsample=2)
        self.in4 = torch.nn.InstanceNorm2d(16, affine=True)
        self.deconv2 = UpsampleConvLayer(16, 8, kernel_size=3, stride=1, upsample=2)
        self.in5 = torch.nn.InstanceNorm2d(8, affine=True)
        self.deconv3 = ConvLayer(8, 3, kernel_size=9, stride=1)
        self.relu = torch.nn.ReLU()

    def forward(self, X):
        y = self.relu(self.in1(self.conv1(X)))
        y = self.relu(self.in2(self.conv2(y)))
        y = self.relu(self.in3(self.conv3(y)))
        y = self.res1(y)
        y = self.res2(y)
        y = self.relu(self.in4(self.deconv1(y)))
        y = self.relu(self.in5(self.deconv2(y)))
        y = self.deconv3(y)
        return y


class ReflectionConvNet(torch.nn.Module):
    """The style-transfer network's reflection-padded convolutions and residual blocks without its instance norms
    and upsampling (engineer "norm"'s ops): runs wholly on NNAPI, with no TRANSPOSE between layers."""

    def __init__(self):
        super().__init__()
        self.conv1 = ConvLayer(3, 8, kernel_size=9, stride=1)
        self.conv2 = ConvLayer(8, 16, kernel_size=3, stride=2)
        self.res1 = ResidualBlock(16, norm=False)
        self.res2 = ResidualBlock(16, norm=False)
        self.conv3 = ConvLayer(16, 3, kernel_size=3, stride=1)
        self.relu = torch.nn.ReLU()

    def forward(self, x):
        y = self.relu(self.conv1(x))
        y = self.relu(self.conv2(y))
        y = self.res2(self.res1(y))
        return self.conv3(y)


def padding_models():
    return [
        op("reflection_pad2d", lambda: Fn(lambda self, x: self.conv(torch.nn.functional.pad(
            self.conv(x), (1, 2, 3, 0), mode="reflect")), conv=conv3x3())),
        op("reflection_pad1d", lambda: Fn(lambda self, x: torch.nn.ReflectionPad1d((3, 1))(x) * 2.0),
           inputs=[(2, 4, 6)]),
        op("replication_pad2d", lambda: Fn(lambda self, x: self.conv(torch.nn.ReplicationPad2d((2, 0, 1, 3))(
            self.conv(x))), conv=conv3x3())),
        op("replication_pad1d", lambda: Fn(lambda self, x: torch.nn.ReplicationPad1d(2)(x) * 2.0),
           inputs=[(2, 4, 6)]),
        # PAD exists from feature level 2 (Android 9): run on a desktop NNAPI emulating that level.
        op("constant_pad_zero", lambda: Fn(lambda self, x: self.conv(F.pad(self.conv(x), (1, 1, 2, 0))),
                                           conv=conv3x3()), checks=ON_NNAPI + ("verify_api28",)),
        # A non-zero value, and padding of the channels (axis 3 of the NHWC map).
        op("constant_pad_value", lambda: Fn(lambda self, x: torch.relu(F.pad(self.conv(x), (0, 1, 0, 0, 2, 1),
                                                                             value=-0.5)), conv=conv3x3())),
        # GATHER needs feature level 3 (Android 10); the batch may be fixed only at run time (H and W are padded).
        op("reflection_convnet", ReflectionConvNet, inputs=[(1, 3, 32, 32)],
           checks=ON_NNAPI + ("verify_api29", "flexible_batch")),
        # instance_norm and nearest upsampling belong to engineer "norm": until they are lowered they stay on the
        # CPU, so this is compared with PyTorch but not required to run wholly on NNAPI.
        op("style_transfer", TransformerNet, inputs=[(1, 3, 32, 32)], checks=("verify", "python")),
    ]


def slicing_models():
    return [
        # x[:, 1:7:2]: a slice with a step of the channels of an NHWC map, then a convolution over them.
        op("slice_step", lambda: Fn(lambda self, x: self.conv2(self.conv(x)[:, 1:7:2]),
                                    conv=conv3x3(), conv2=conv3x3(3, 4)),
           checks=ON_NNAPI + ("verify_api28", "flexible_batch")),
        op("slice_hw", lambda: Fn(lambda self, x: self.conv(x)[:, :, 2:-1, ::3] * 2.0, conv=conv3x3())),
        op("narrow", lambda: Fn(lambda self, x: torch.relu(self.conv(x).narrow(3, -5, 4)), conv=conv3x3())),
        # select drops the dimension: of a channel of a map, and of a row of a matrix (the vision-transformer
        # idiom x[:, 0], the class token).
        op("select_channel", lambda: Fn(lambda self, x: self.conv(x)[:, 2] + 1.0, conv=conv3x3())),
        # A row of a map: its axes leave PyTorch's order in NHWC, so one TRANSPOSE inside the partition is expected.
        op("select_row", lambda: Fn(lambda self, x: self.conv(x)[:, :, 3] * 2.0, conv=conv3x3()),
           checks=("verify", "python", "partitions")),
        op("select_token", lambda: Fn(lambda self, x: self.fc(self.fc(x)[:, 0]), fc=torch.nn.Linear(16, 16)),
           inputs=[(2, 5, 16)]),
    ]


# Indices the model holds as constants (buffers are frozen into the graph).
CHANNEL_ORDER = [5, 0, 0, 7, 2]
TOKENS = [[3, 0, 5], [1, 1, 4]]


def gather_models():
    def embed(self, x):
        table = self.fc(x)  # [6, 4]: computed rows, gathered by constant token ids
        return F.embedding(self.tokens, table) * 2.0

    def embedding_module(self, x):
        return self.embedding(self.tokens) + x

    return [
        op("index_select_channels", lambda: Fn(
            lambda self, x: self.conv2(torch.index_select(self.conv(x), 1, torch.tensor(CHANNEL_ORDER))),
            conv=conv3x3(), conv2=conv3x3(len(CHANNEL_ORDER), 4))),
        op("index_select_rows", lambda: Fn(lambda self, x: torch.index_select(self.fc(x), 0, torch.tensor([3, 1])),
                                           fc=torch.nn.Linear(6, 5)), inputs=[(4, 6)]),
        op("embedding_computed_table", lambda: TokenTable(embed, torch.nn.Linear(3, 4)), inputs=[(6, 3)]),
        # nn.Embedding's constant table by constant ids is folded when the graph is frozen: nothing is gathered at
        # run time, and the model must still run on NNAPI (the ADD of a constant).
        op("embedding_module", lambda: TokenTable(embedding_module, torch.nn.Embedding(6, 4)), inputs=[(2, 3, 4)]),
    ]


class TokenTable(torch.nn.Module):
    """A model with the constant token ids TOKENS as a buffer and one layer."""

    def __init__(self, fn, layer):
        super().__init__()
        self.fn = fn
        self.register_buffer("tokens", torch.tensor(TOKENS))
        if isinstance(layer, torch.nn.Embedding):
            self.embedding = layer
        else:
            self.fc = layer

    def forward(self, x):
        return self.fn(self, x)


def broadcast_models():
    return [
        # A per-channel gate [1, C, 1, 1] expanded over the map before the product (squeeze-excite written out).
        op("expand_gate", lambda: Fn(lambda self, x: self.conv(x) * torch.sigmoid(
            self.conv(x).mean([2, 3], keepdim=True)).expand(-1, -1, H, W), conv=conv3x3())),
        op("expand_as_rows", lambda: Fn(lambda self, x: self.fc(x)[:, :1].expand_as(x) + x,
                                        fc=torch.nn.Linear(6, 6)), inputs=[(3, 6)]),
        op("expand_new_dims", lambda: Fn(lambda self, x: self.fc(x).expand(2, 3, 5) * 2.0,
                                         fc=torch.nn.Linear(6, 5)), inputs=[(1, 6)]),
        op("repeat_map", lambda: Fn(lambda self, x: self.conv(x).repeat(1, 2, 1, 3), conv=conv3x3()),
           checks=ON_NNAPI + ("flexible_batch",)),
        op("repeat_new_dims", lambda: Fn(lambda self, x: self.fc(x).repeat(2, 1, 3) + 1.0,
                                         fc=torch.nn.Linear(6, 5)), inputs=[(3, 6)]),
    ]


def specs():
    return padding_models() + slicing_models() + gather_models() + broadcast_models()
