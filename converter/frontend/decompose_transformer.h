// The fused transformer kernels that tracing a TransformerEncoder or MultiheadAttention in eval mode records
// (aten::_transformer_encoder_layer_fwd, aten::_native_multi_head_attention: PyTorch's "fast path") rewritten into
// the plain ops they compute — linear, chunk, view, transpose, matmul, softmax, layer_norm, gelu/relu, add — so
// each is lowered by the same lowerings as a hand-written attention block, and what stays on the CPU still runs.
// Calls with an attention mask are left as they are.
#pragma once

#include <torch/csrc/jit/ir/ir.h>

namespace nnc {

void decomposeTransformerOps(torch::jit::Graph& graph);

}  // namespace nnc
