"""Small transformers as people write them with torch.nn: traced in eval mode, their encoder layers and attention
become PyTorch's fused fast-path kernels (aten::_transformer_encoder_layer_fwd, aten::_native_multi_head_attention),
which the converter rewrites into the plain ops it lowers (converter/frontend/decompose_transformer.h).

Weights are torch's default init except the layer norms' affine parameters, made non-trivial so that a wrong
weight/bias order shows.
"""
import torch

from model_spec import ModelSpec, traced

TOKENS, WIDTH, HEADS = 10, 32, 4


def randomize_layer_norms(module):
    with torch.no_grad():
        for layer in module.modules():
            if isinstance(layer, torch.nn.LayerNorm):
                layer.weight.copy_(torch.rand(layer.weight.shape) + 0.5)
                layer.bias.copy_(torch.rand(layer.bias.shape) - 0.5)
    return module


def encoder(activation="relu", norm_first=False, layers=2):
    layer = torch.nn.TransformerEncoderLayer(WIDTH, HEADS, dim_feedforward=2 * WIDTH, activation=activation,
                                             batch_first=True, norm_first=norm_first)
    return randomize_layer_norms(torch.nn.TransformerEncoder(layer, num_layers=layers, enable_nested_tensor=False))


class SelfAttention(torch.nn.Module):
    """nn.MultiheadAttention on one sequence, returning the output and the attention weights averaged over heads."""

    def __init__(self):
        super().__init__()
        self.attention = torch.nn.MultiheadAttention(WIDTH, HEADS, batch_first=True)

    def forward(self, x):
        return self.attention(x, x, x)


class TinyViT(torch.nn.Module):
    """A vision transformer as torchvision's vit_b_16 is written, scaled down: a strided conv cuts 8x8 patches, a
    class token is prepended, position embeddings added, an encoder runs, the class token's features are classified."""

    def __init__(self, image=32, patch=8, classes=10):
        super().__init__()
        self.patches = torch.nn.Conv2d(3, WIDTH, patch, stride=patch)
        self.class_token = torch.nn.Parameter(torch.randn(1, 1, WIDTH) * 0.02)
        self.positions = torch.nn.Parameter(torch.randn(1, (image // patch) ** 2 + 1, WIDTH) * 0.02)
        self.encoder = encoder(activation="gelu", norm_first=True)
        self.norm = randomize_layer_norms(torch.nn.LayerNorm(WIDTH))
        self.head = torch.nn.Linear(WIDTH, classes)

    def forward(self, x):
        tokens = self.patches(x).flatten(2).transpose(1, 2)
        tokens = torch.cat([self.class_token.expand(x.shape[0], -1, -1), tokens], dim=1) + self.positions
        return self.head(self.norm(self.encoder(tokens))[:, 0])


def model(name, build, inputs, **spec_args):
    return ModelSpec(name=name, kind="op", inputs=list(inputs), write=traced(build), **spec_args)


def specs():
    sequence = [(1, TOKENS, WIDTH)]
    return [
        model("transformer_encoder_relu", lambda: encoder("relu"), sequence, checks=("verify", "python")),
        model("transformer_encoder_gelu_norm_first", lambda: encoder("gelu", norm_first=True), sequence,
              checks=("verify", "python")),
        model("self_attention_weights", SelfAttention, sequence, checks=("verify", "python")),
        model("tiny_vit", TinyViT, [(1, 3, 32, 32)], checks=("verify", "python")),
    ]
