#include "frontend/decompose_transformer.h"

#include <torch/csrc/jit/api/compilation_unit.h>
#include <torch/csrc/jit/ir/ir.h>
#include <torch/csrc/jit/passes/inliner.h>
#include <torch/csrc/jit/passes/lower_tuples.h>

namespace nnc {
namespace {

// What the fused kernels compute (aten/src/ATen/native/transformers: transformer.cpp, attention.cpp), written with
// the ops the converter lowers. The fused kernels require batch-first inputs and one projection matrix
// [3E, E] for query, key and value; the query is scaled by 1/sqrt(head_dim) before QK^T, as they do (after adding
// its bias), so the results agree to float rounding. `weights` is [B, H, T, S]; PyTorch averages it over the
// heads when asked to.
constexpr const char* kDecompositions = R"TORCHSCRIPT(
def multi_head_attention(query: Tensor, key: Tensor, value: Tensor, embed_dim: int, num_heads: int,
                         qkv_weight: Tensor, qkv_bias: Tensor, proj_weight: Tensor, proj_bias: Tensor,
                         average_weights: bool) -> Tuple[Tensor, Tensor]:
    head_dim = embed_dim // num_heads
    wq, wk, wv = qkv_weight.chunk(3, 0)
    bq, bk, bv = qkv_bias.chunk(3, 0)
    q = torch.linear(query, wq, bq)
    k = torch.linear(key, wk, bk)
    v = torch.linear(value, wv, bv)
    batch = q.size(0)
    target = q.size(1)
    source = k.size(1)
    q = (q / float(head_dim) ** 0.5).view(batch, target, num_heads, head_dim).transpose(1, 2)
    k = k.view(batch, source, num_heads, head_dim).transpose(1, 2)
    v = v.view(batch, source, num_heads, head_dim).transpose(1, 2)
    weights = torch.softmax(torch.matmul(q, k.transpose(2, 3)), -1)
    heads = torch.matmul(weights, v).transpose(1, 2).reshape(batch, target, embed_dim)
    if average_weights:
        weights = weights.mean(1)
    return torch.linear(heads, proj_weight, proj_bias), weights

def encoder_layer(src: Tensor, embed_dim: int, num_heads: int, qkv_weight: Tensor, qkv_bias: Tensor,
                  proj_weight: Tensor, proj_bias: Tensor, use_gelu: bool, norm_first: bool, eps: float,
                  norm_weight_1: Tensor, norm_bias_1: Tensor, norm_weight_2: Tensor, norm_bias_2: Tensor,
                  ffn_weight_1: Tensor, ffn_bias_1: Tensor, ffn_weight_2: Tensor, ffn_bias_2: Tensor) -> Tensor:
    x = src
    if norm_first:
        h = torch.layer_norm(x, [embed_dim], norm_weight_1, norm_bias_1, eps)
        attended, _ = multi_head_attention(h, h, h, embed_dim, num_heads, qkv_weight, qkv_bias, proj_weight,
                                           proj_bias, False)
        x = x + attended
        h = torch.layer_norm(x, [embed_dim], norm_weight_2, norm_bias_2, eps)
    else:
        attended, _ = multi_head_attention(x, x, x, embed_dim, num_heads, qkv_weight, qkv_bias, proj_weight,
                                           proj_bias, False)
        x = torch.layer_norm(x + attended, [embed_dim], norm_weight_1, norm_bias_1, eps)
        h = x
    h = torch.linear(h, ffn_weight_1, ffn_bias_1)
    if use_gelu:
        h = torch.gelu(h)
    else:
        h = torch.relu(h)
    h = torch.linear(h, ffn_weight_2, ffn_bias_2)
    if norm_first:
        return x + h
    return torch.layer_norm(x + h, [embed_dim], norm_weight_2, norm_bias_2, eps)
)TORCHSCRIPT";

// The decomposition `name` as a graph of plain ops: calls inlined, its tuple result flattened into outputs.
std::shared_ptr<torch::jit::Graph> decomposition(const std::string& name) {
  static const torch::jit::CompilationUnit unit(kDecompositions);
  std::shared_ptr<torch::jit::Graph> graph = torch::jit::toGraphFunction(unit.get_function(name)).graph()->copy();
  torch::jit::Inline(*graph);
  torch::jit::LowerAllTuples(graph);
  return graph;
}

bool isNoneConstant(const torch::jit::Value* value) { return value->type()->kind() == c10::TypeKind::NoneType; }

// An inserted node (and those of its blocks) carries `origin`'s source location and module path, so reports name
// the model's line, not this file's TorchScript.
void attribute(torch::jit::Node* node, torch::jit::Node* origin) {
  node->setSourceRange(origin->sourceRange());
  node->setScope(origin->scope());
  for (torch::jit::Block* block : node->blocks()) {
    for (torch::jit::Node* inner : block->nodes()) attribute(inner, origin);
  }
}

// Replaces `node` by decomposition `name` called on `inputs`; its outputs take the node's outputs' uses.
void replace(torch::jit::Graph& graph, torch::jit::Node* node, const std::string& name,
             const std::vector<torch::jit::Value*>& inputs) {
  const std::shared_ptr<torch::jit::Graph> callee = decomposition(name);
  torch::jit::Node* before = node->prev();
  std::vector<torch::jit::Value*> outputs;
  {
    torch::jit::WithInsertPoint at(node);
    outputs = torch::jit::insertGraph(graph, *callee, inputs);
  }
  for (torch::jit::Node* inserted = before->next(); inserted != node; inserted = inserted->next()) {
    attribute(inserted, node);
  }
  for (size_t i = 0; i < node->outputs().size(); ++i) {
    outputs[i]->setType(node->outputs()[i]->type());
    node->outputs()[i]->replaceAllUsesWith(outputs[i]);
  }
  node->destroy();
}

// aten::_transformer_encoder_layer_fwd(src, embed_dim, num_heads, qkv_weight, qkv_bias, proj_weight, proj_bias,
//   use_gelu, norm_first, eps, norm_weight_1, norm_bias_1, norm_weight_2, norm_bias_2, ffn_weight_1, ffn_bias_1,
//   ffn_weight_2, ffn_bias_2, mask=None, mask_type=None)
bool decomposeEncoderLayer(torch::jit::Graph& graph, torch::jit::Node* node) {
  if (node->inputs().size() < 18) return false;
  for (size_t i = 18; i < node->inputs().size(); ++i) {
    if (!isNoneConstant(node->input(i))) return false;  // a mask: not decomposed, the op stays as it is
  }
  const auto inputs = node->inputs();
  replace(graph, node, "encoder_layer", {inputs.begin(), inputs.begin() + 18});
  return true;
}

// aten::_native_multi_head_attention(query, key, value, embed_dim, num_head, qkv_weight, qkv_bias, proj_weight,
//   proj_bias, mask=None, need_weights=True, average_attn_weights=True, mask_type=None) -> (Tensor, Tensor)
bool decomposeAttention(torch::jit::Graph& graph, torch::jit::Node* node) {
  if (node->inputs().size() < 12 || !isNoneConstant(node->input(9))) return false;
  if (node->inputs().size() > 12 && !isNoneConstant(node->input(12))) return false;
  const auto need_weights = torch::jit::constant_as<bool>(node->input(10));
  const auto average = torch::jit::constant_as<bool>(node->input(11));
  if (!need_weights || !average) return false;
  // Without need_weights the fused op returns an undefined tensor as weights: only a result nothing reads.
  if (!*need_weights && node->output(1)->hasUses()) return false;
  const auto inputs = node->inputs();
  std::vector<torch::jit::Value*> arguments(inputs.begin(), inputs.begin() + 9);
  arguments.push_back(node->input(11));
  replace(graph, node, "multi_head_attention", arguments);
  return true;
}

void decomposeBlock(torch::jit::Graph& graph, torch::jit::Block* block) {
  for (auto it = block->nodes().begin(); it != block->nodes().end();) {
    torch::jit::Node* node = *it++;
    for (torch::jit::Block* inner : node->blocks()) decomposeBlock(graph, inner);
    const std::string kind = node->kind().toQualString();
    if (kind == "aten::_transformer_encoder_layer_fwd") {
      decomposeEncoderLayer(graph, node);
    } else if (kind == "aten::_native_multi_head_attention") {
      decomposeAttention(graph, node);
    }
  }
}

}  // namespace

void decomposeTransformerOps(torch::jit::Graph& graph) { decomposeBlock(graph, graph.block()); }

}  // namespace nnc
