"""Sequence models: 1-D convolutions and pools (conv1d, conv_transpose1d, BatchNorm1d, max_pool1d, avg_pool1d),
batched matrix products of computed tensors (matmul, bmm, baddbmm) and recurrent layers (gru, lstm).

The converter holds a [N,C,L] map channels-last as [N,L,C] inside NNAPI and reshapes it to the NHWC map
[N,1,L,C] around each 2-D convolution or pool, so a stack of 1-D layers pays a layout change only for the model's
input and output: the "inspect" check counts TRANSPOSEs.
"""
import torch
import torch.nn.functional as F

from model_spec import ModelSpec, cpu_op, traced
from op_models import Fn
from torchvision_models import randomize_batch_norms

C, L = 8, 64
SIGNAL = (1, C, L)
WAVEFORM = (1, 1, 256)


def randomize(norm):
    randomize_batch_norms(norm)
    return norm


def conv_bn_relu(in_channels, out_channels, kernel, **kwargs):
    return torch.nn.Sequential(torch.nn.Conv1d(in_channels, out_channels, kernel, padding=kernel // 2, **kwargs),
                               randomize(torch.nn.BatchNorm1d(out_channels)), torch.nn.ReLU())


class WaveformUNet(torch.nn.Module):
    """A small Wave-U-Net: conv1d/BatchNorm1d/ReLU encoder with max pooling, a bottleneck, a conv_transpose1d
    decoder with skip concatenations, and a 1x1 conv1d to one output channel (as a source-separation model)."""

    def __init__(self):
        super().__init__()
        self.enc1 = conv_bn_relu(1, 16, 15)
        self.enc2 = conv_bn_relu(16, 32, 9)
        self.pool = torch.nn.MaxPool1d(2)
        self.bottleneck = conv_bn_relu(32, 32, 5)
        self.up2 = torch.nn.ConvTranspose1d(32, 32, 4, stride=2, padding=1)
        self.dec2 = conv_bn_relu(64, 16, 5)
        self.up1 = torch.nn.ConvTranspose1d(16, 16, 4, stride=2, padding=1)
        self.dec1 = conv_bn_relu(32, 16, 5)
        self.out = torch.nn.Conv1d(16, 1, 1)

    def forward(self, x):
        e1 = self.enc1(x)
        e2 = self.enc2(self.pool(e1))
        b = self.bottleneck(self.pool(e2))
        d2 = self.dec2(torch.cat([self.up2(b), e2], 1))
        d1 = self.dec1(torch.cat([self.up1(d2), e1], 1))
        return torch.tanh(self.out(d1))


def op(name, build, inputs=(SIGNAL,), checks=("verify", "python", "inspect"), **spec_args):
    return ModelSpec(name=name, kind="op", inputs=list(inputs), write=traced(build), checks=checks, **spec_args)


def network(name, build, inputs, **spec_args):
    """A network that must run entirely on NNAPI: one partition, no op on the CPU."""
    return ModelSpec(name=name, kind="op", inputs=list(inputs), write=traced(build),
                     checks=("verify", "python", "inspect", "partitions", "flexible_batch", "verify_layers"),
                     expect_partitions=1,
                     **spec_args)


def conv1d_models():
    return [
        # Feature level 1: the wrapper hands NNAPI the [N,L,C] map (no TRANSPOSE there); the stock format too.
        op("conv1d_s2_p1_bias", lambda: torch.nn.Conv1d(C, 12, 5, stride=2, padding=1),
           checks=("verify", "python", "inspect", "verify_api27", "python_api27_strict", "python_stock")),
        op("conv1d_dilated_no_bias", lambda: torch.nn.Conv1d(C, 6, 3, dilation=3, bias=False)),
        op("conv1d_same", lambda: torch.nn.Conv1d(C, C, 5, padding="same")),
        op("conv1d_depthwise", lambda: torch.nn.Conv1d(C, 2 * C, 3, padding=1, groups=C)),
        op("conv1d_grouped", lambda: torch.nn.Conv1d(C, 12, 3, padding=1, groups=4)),
        op("conv_transpose1d", lambda: torch.nn.ConvTranspose1d(C, 6, 4, stride=2, padding=1)),
        op("conv_transpose1d_output_padding", lambda: torch.nn.ConvTranspose1d(C, 6, 3, stride=2, padding=1,
                                                                                output_padding=1)),
        # BatchNorm1d after a conv folds into it; on its own it is a MUL and an ADD on the [N,L,C] map.
        op("batch_norm1d_after_conv", lambda: conv_bn_relu(C, C, 3)),
        op("batch_norm1d_alone",
           lambda: Fn(lambda self, x: self.bn(self.conv(x).relu() * 2.0), conv=torch.nn.Conv1d(C, C, 3),
                      bn=randomize(torch.nn.BatchNorm1d(C)))),
        op("max_pool1d_ceil", lambda: Fn(lambda self, x: F.max_pool1d(self.conv(x), 3, 2, 1, ceil_mode=True),
                                         conv=torch.nn.Conv1d(C, C, 3))),
        op("avg_pool1d_padding_include", lambda: Fn(lambda self, x: F.avg_pool1d(self.conv(x), 3, 2, 1),
                                                    conv=torch.nn.Conv1d(C, C, 3))),
        op("avg_pool1d_padding_exclude",
           lambda: Fn(lambda self, x: F.avg_pool1d(self.conv(x), 4, 2, 2, count_include_pad=False),
                      conv=torch.nn.Conv1d(C, C, 3))),
        op("adaptive_avg_pool1d", lambda: Fn(lambda self, x: F.adaptive_avg_pool1d(self.conv(x), 8),
                                             conv=torch.nn.Conv1d(C, C, 3, padding=1))),
        # The residual add and the channel softmax read the [N,L,C] map where it is: no TRANSPOSE between layers.
        op("conv1d_residual_softmax",
           lambda: Fn(lambda self, x: torch.softmax(self.b(self.a(x).relu()) + x, dim=1),
                      a=torch.nn.Conv1d(C, C, 3, padding=1), b=torch.nn.Conv1d(C, C, 3, padding=1))),
    ]


def matmul_models():
    """No "inspect" check: the product's own TRANSPOSE of y (FULLY_CONNECTED takes y^T as weights) is not a layout
    change at a partition's end."""
    tokens = (2, 6, 8)
    plain = ("verify", "python")
    return [
        op("bmm_of_tensors", lambda: Fn(lambda self, x: torch.bmm(self.a(x), self.b(x).reshape(2, 8, 6)),
                                        a=torch.nn.Linear(8, 8), b=torch.nn.Linear(8, 8)), inputs=(tokens,),
           checks=plain),
        op("matmul_4d_of_tensors", lambda: Fn(lambda self, x: torch.matmul(self.a(x), self.b(x).reshape(1, 2, 8, 6)),
                                              a=torch.nn.Linear(8, 8), b=torch.nn.Linear(8, 8)),
           inputs=((1, 2, 6, 8),), checks=plain),
        op("baddbmm_alpha_beta",
           lambda: Fn(lambda self, x: torch.baddbmm(self.s(x), self.a(x), self.b(x).reshape(2, 8, 6), beta=0.5,
                                                    alpha=2.0),
                      a=torch.nn.Linear(8, 8), b=torch.nn.Linear(8, 8), s=torch.nn.Linear(8, 6)),
           inputs=(tokens,), checks=plain),
    ]


class KeywordSpotter(torch.nn.Module):
    """A keyword-spotting model on 40 MFCC features x 32 frames: a conv1d front end, a 2-layer GRU over the frames,
    a linear classifier on the GRU's outputs averaged over time."""

    def __init__(self):
        super().__init__()
        self.front = torch.nn.Sequential(conv_bn_relu(40, 32, 5), torch.nn.Conv1d(32, 32, 3, stride=2, padding=1),
                                         torch.nn.ReLU())
        self.gru = torch.nn.GRU(32, 24, num_layers=2, batch_first=True)
        self.classify = torch.nn.Linear(24, 12)

    def forward(self, x):
        features = self.front(x).transpose(1, 2)  # [N, C, T] -> [N, T, C]
        out, _ = self.gru(features)
        return self.classify(out.mean(1))


class LstmTagger(torch.nn.Module):
    """A 2-layer LSTM over a [T, N, I] sequence with a given initial state, and a linear layer per step."""

    def __init__(self):
        super().__init__()
        self.lstm = torch.nn.LSTM(10, 16, num_layers=2)
        self.tag = torch.nn.Linear(16, 5)

    def forward(self, x, h0, c0):
        out, (h, c) = self.lstm(x, (h0, c0))
        return self.tag(out), h, c


def lstm_outputs(*args, **kwargs):
    """An LSTM whose (output, (h_n, c_n)) is returned flat: output, h_n, c_n."""
    def forward(self, x):
        out, (h, c) = self.lstm(x)
        return out, h, c
    return Fn(forward, lstm=torch.nn.LSTM(*args, **kwargs))


def recurrent_models():
    return [
        op("gru", lambda: torch.nn.GRU(6, 8), inputs=((5, 2, 6),), checks=("verify", "python")),
        op("gru_batch_first_2_layers_h0", lambda: torch.nn.GRU(6, 8, num_layers=2, batch_first=True),
           inputs=((2, 5, 6), (2, 2, 8)), checks=("verify", "python")),
        op("gru_no_bias", lambda: torch.nn.GRU(6, 8, bias=False), inputs=((4, 1, 6),), checks=("verify", "python")),
        op("lstm", lambda: lstm_outputs(6, 8), inputs=((5, 2, 6),), checks=("verify", "python")),
        op("lstm_batch_first_2_layers", lambda: lstm_outputs(6, 8, num_layers=2, batch_first=True),
           inputs=((2, 5, 6),), checks=("verify", "python")),
    ]


def specs():
    return conv1d_models() + matmul_models() + recurrent_models() + [
        network("waveform_unet", WaveformUNet, [WAVEFORM]),
        ModelSpec(name="lstm_tagger", kind="op", inputs=[(7, 1, 10), (2, 1, 16), (2, 1, 16)],
                  write=traced(LstmTagger), checks=("verify", "python", "partitions"), expect_partitions=1),
        # The front end's transpose(1, 2) into the GRU's [N, T, C] is the data-movement lowerings' (not this file's):
        # until they have one it is the only op on the CPU, between the conv front end and the GRU (optional: once
        # transpose is lowered, the whole model must run on NNAPI).
        ModelSpec(name="keyword_spotter", kind="op", inputs=[(1, 40, 32)], write=traced(KeywordSpotter),
                  checks=("verify", "python", "partitions"), expect_partitions=1,
                  expect_cpu_ops=[cpu_op("aten::transpose", KeywordSpotter.forward, ".transpose(1, 2)",
                                         optional=True)]),
    ]
