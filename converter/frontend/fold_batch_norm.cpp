#include "frontend/fold_batch_norm.h"

#include <optional>
#include <set>
#include <vector>

#include <ATen/ATen.h>
#include <torch/csrc/jit/ir/constants.h>
#include <torch/csrc/jit/passes/fold_conv_bn.h>

namespace nnc {
namespace {

using torch::jit::Node;
using TorchValue = torch::jit::Value;

// The convolutions libtorch's pass folds into: not transposed.
bool foldableConvolution(const Node* node) {
  if (node->kind() == c10::aten::conv1d || node->kind() == c10::aten::conv2d || node->kind() == c10::aten::conv3d) {
    return true;
  }
  if (node->kind() != c10::aten::_convolution) return false;
  const c10::optional<bool> transposed = torch::jit::constant_as<bool>(node->namedInput("transposed"));
  return transposed && !*transposed;
}

bool constantArguments(const Node* node) {
  for (size_t i = 1; i < node->inputs().size(); ++i) {
    if (node->inputs()[i]->node()->kind() != c10::prim::Constant) return false;
  }
  return true;
}

// The tensor constant `value`, or `otherwise` when it is None.
at::Tensor tensorOr(const TorchValue* value, const at::Tensor& otherwise) {
  if (value->type()->kind() == c10::TypeKind::NoneType) return otherwise;
  return torch::jit::constant_as<at::Tensor>(value).value();
}

// Destroys the constant node that made `value` once nothing reads it: the graph held the only reference to its tensor.
void dropIfUnread(TorchValue* value) {
  if (value->node()->kind() == c10::prim::Constant && !value->hasUses()) value->node()->destroy();
}

void collectPairs(torch::jit::Block* block, std::vector<Node*>& batch_norms) {
  for (Node* node : block->nodes()) {
    for (torch::jit::Block* inner : node->blocks()) collectPairs(inner, batch_norms);
    if (node->kind() != c10::aten::batch_norm) continue;
    const Node* conv = node->input(0)->node();
    if (!foldableConvolution(conv) || !constantArguments(conv) || !constantArguments(node)) continue;
    if (conv->output()->uses().size() > 1) continue;
    batch_norms.push_back(node);
  }
}

void fold(Node* bn) {
  Node* conv = bn->input(0)->node();
  const at::Tensor mean = torch::jit::constant_as<at::Tensor>(bn->namedInput("running_mean")).value();
  torch::jit::ConvBNParameters p;
  p.conv_w = torch::jit::constant_as<at::Tensor>(conv->namedInput("weight")).value();
  p.conv_b = tensorOr(conv->namedInput("bias"), at::zeros_like(mean));
  p.bn_rm = mean;
  p.bn_rv = torch::jit::constant_as<at::Tensor>(bn->namedInput("running_var")).value();
  p.bn_eps = torch::jit::constant_as<double>(bn->namedInput("eps")).value();
  p.bn_w = tensorOr(bn->namedInput("weight"), at::ones_like(mean));
  p.bn_b = tensorOr(bn->namedInput("bias"), at::zeros_like(mean));
  auto [weight, bias] = torch::jit::computeUpdatedConvWeightAndBias(p);
  p = {};  // the unfolded tensors are read: only the graph holds them now

  torch::jit::Graph& graph = *conv->owningGraph();
  torch::jit::WithInsertPoint at_conv(conv);
  TorchValue* old_weight = conv->namedInput("weight");
  TorchValue* old_bias = conv->namedInput("bias");
  TorchValue* new_weight = graph.insertConstant(std::move(weight));
  TorchValue* new_bias = graph.insertConstant(std::move(bias));
  new_weight->setDebugName(old_weight->debugName() + "_fused_bn");
  new_bias->setDebugName(old_bias->debugName() + "_fused_bn");
  conv->replaceInputWith(old_weight, new_weight);
  conv->replaceInputWith(old_bias, new_bias);
  bn->output()->replaceAllUsesWith(conv->output());
  // Each value once: one constant can be several arguments (the same `False` for training and cudnn_enabled).
  std::set<TorchValue*> unread(bn->inputs().begin() + 1, bn->inputs().end());
  unread.insert({old_weight, old_bias});
  bn->destroy();
  for (TorchValue* value : unread) dropIfUnread(value);
}

}  // namespace

void foldConvBatchNorm(torch::jit::Graph& graph) {
  std::vector<Node*> batch_norms;
  collectPairs(graph.block(), batch_norms);
  for (Node* bn : batch_norms) fold(bn);
}

}  // namespace nnc
