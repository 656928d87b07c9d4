"""Models converted for the newer NNAPI feature levels: with --min-api 33 (Android 13, feature level 6) a batched
product of two computed tensors (bmm, baddbmm, 4-D matmul) is one BATCH_MATMUL, and attention's
q @ k.transpose(-2, -1) reads k with BATCH_MATMUL's adj flag instead of a TRANSPOSE; with --min-api 34 (Android 14,
feature level 7) reflection padding is one MIRROR_PAD. Each model is also checked at the default --min-api 29,
where the same products are a FULLY_CONNECTED per batch item and reflection padding a GATHER per axis, and all of it
must run on NNAPI ("partitions": one partition, no op on the CPU).
"""
import torch

from model_spec import ModelSpec, traced
from op_models import Fn
from transformer_models import TinyViT

# Both forms compared with PyTorch (verify, python), the feature-level-6 one on a device of exactly that level
# with the whole model on NNAPI (verify_api33, python_api33_strict, partitions_api33).
AT_BOTH_LEVELS = ("verify", "python", "partitions", "verify_api33", "python_api33_strict", "partitions_api33")
# The same for feature level 7.
AT_LEVEL_7 = ("verify", "python", "partitions", "verify_api34", "python_api34_strict", "partitions_api34")
TOKENS = (2, 6, 8)


def model(name, build, inputs, checks=AT_BOTH_LEVELS):
    return ModelSpec(name=name, kind="op", inputs=list(inputs), write=traced(build), checks=checks,
                     expect_partitions=1)


class Attention(torch.nn.Module):
    """Scaled dot-product attention written out, as people write it: softmax(q @ k^T / sqrt(d)) @ v over 2 heads."""

    def __init__(self, width=8, heads=2):
        super().__init__()
        self.heads = heads
        self.qkv = torch.nn.Linear(width, 3 * width)
        self.out = torch.nn.Linear(width, width)

    def forward(self, x):
        batch, tokens, width = x.shape
        q, k, v = (part.reshape(batch, tokens, self.heads, width // self.heads).transpose(1, 2)
                   for part in self.qkv(x).chunk(3, dim=-1))
        scores = torch.matmul(q, k.transpose(-2, -1)) / (width // self.heads) ** 0.5
        heads = torch.matmul(torch.softmax(scores, dim=-1), v)
        return self.out(heads.transpose(1, 2).reshape(batch, tokens, width))


def specs():
    linear = torch.nn.Linear
    return [
        model("bmm_levels", lambda: Fn(lambda self, x: torch.bmm(self.a(x), self.b(x).reshape(2, 8, 6)),
                                       a=linear(8, 8), b=linear(8, 8)), [TOKENS]),
        model("baddbmm_levels",
              lambda: Fn(lambda self, x: torch.baddbmm(self.s(x), self.a(x), self.b(x).reshape(2, 8, 6), beta=0.5,
                                                       alpha=2.0),
                         a=linear(8, 8), b=linear(8, 8), s=linear(8, 6)), [TOKENS]),
        model("matmul_4d_levels",
              lambda: Fn(lambda self, x: torch.matmul(self.a(x), self.b(x).reshape(1, 2, 8, 6)),
                         a=linear(8, 8), b=linear(8, 8)), [(1, 2, 6, 8)]),
        model("attention_levels", Attention, [(1, 6, 8)]),
        model("tiny_vit_levels", TinyViT, [(1, 3, 32, 32)]),
        model("reflection_pad_levels",
              lambda: torch.nn.Sequential(torch.nn.ReflectionPad2d((1, 2, 2, 1)), torch.nn.Conv2d(3, 4, 3),
                                          torch.nn.ReLU(), torch.nn.ReflectionPad2d(1), torch.nn.Conv2d(4, 4, 3)),
              [(1, 3, 8, 8)], checks=AT_LEVEL_7),
        model("reflection_pad1d_levels",
              lambda: torch.nn.Sequential(torch.nn.ReflectionPad1d((3, 1)), torch.nn.Conv1d(2, 4, 3)),
              [(1, 2, 16)], checks=AT_LEVEL_7),
    ]
