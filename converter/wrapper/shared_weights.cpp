#include "wrapper/shared_weights.h"

#include <map>
#include <optional>

#include <ATen/ops/equal.h>
#include <torch/csrc/jit/ir/constants.h>
#include <torch/csrc/jit/passes/dead_code_elimination.h>

namespace nnc {
namespace {

using TorchValue = torch::jit::Value;

// Permutations that turn an NNAPI weight back into PyTorch's tensor: OHWI -> OIHW (CONV_2D filters);
// [1,H,W,O] -> [O,1,H,W] (depthwise) and OHWI -> IOHW (transposed convolution); a transposed matrix.
const std::vector<std::vector<int64_t>> kNnapiToTorch = {{0, 3, 1, 2}, {3, 0, 1, 2}, {1, 0}};

// The permutation of `weight` that equals `constant` ({} when it is the weight as it is), or nullopt.
std::optional<std::vector<int64_t>> viewOf(const at::Tensor& weight, const at::Tensor& constant) {
  if (weight.scalar_type() != constant.scalar_type() || weight.numel() != constant.numel()) return std::nullopt;
  if (weight.sizes() == constant.sizes() && at::equal(weight, constant)) return std::vector<int64_t>{};
  for (const std::vector<int64_t>& order : kNnapiToTorch) {
    if (int64_t(order.size()) != weight.dim()) continue;
    const at::Tensor permuted = weight.permute(order);
    if (permuted.sizes() == constant.sizes() && at::equal(permuted, constant)) return order;
  }
  return std::nullopt;
}

// The `else` block of the `if` whose then-block holds the node `is_call` recognises.
torch::jit::Block* fallbackBlock(torch::jit::Block* block, const std::function<bool(const torch::jit::Node&)>& is_call) {
  for (torch::jit::Node* node : block->nodes()) {
    if (node->kind() == c10::prim::If) {
      for (torch::jit::Node* call : node->blocks()[0]->nodes()) {
        if (is_call(*call)) return node->blocks()[1];
      }
    }
    for (torch::jit::Block* inner : node->blocks()) {
      if (torch::jit::Block* found = fallbackBlock(inner, is_call)) return found;
    }
  }
  return nullptr;
}

}  // namespace

void shareWeightsWithFallback(torch::jit::Graph& forward,
                              const std::function<bool(const torch::jit::Node&)>& is_call,
                              const std::function<TorchValue*(torch::jit::Graph&)>& weights_list,
                              const std::vector<at::Tensor>& weights) {
  torch::jit::Block* fallback = fallbackBlock(forward.block(), is_call);
  if (!fallback || weights.empty()) return;
  torch::jit::WithInsertPoint at_start(fallback->nodes().front());
  TorchValue* list = nullptr;
  std::map<TorchValue*, TorchValue*> views;  // constant -> its view, one per constant
  for (torch::jit::Node* node : fallback->nodes()) {
    for (size_t i = 0; i < node->inputs().size(); ++i) {
      TorchValue* input = node->inputs()[i];
      if (input->node()->kind() != c10::prim::Constant || !input->type()->cast<c10::TensorType>()) continue;
      if (auto known = views.find(input); known != views.end()) {
        node->replaceInput(i, known->second);
        continue;
      }
      const at::Tensor constant = torch::jit::toIValue(input)->toTensor();
      for (size_t w = 0; w < weights.size(); ++w) {
        const std::optional<std::vector<int64_t>> order = viewOf(weights[w], constant);
        if (!order) continue;
        if (!list) list = weights_list(forward);
        TorchValue* view = forward.insert(c10::aten::__getitem__, {list, int64_t(w)});
        if (!order->empty()) view = forward.insert(c10::aten::permute, {view, *order});
        views[input] = view;
        node->replaceInput(i, view);
        break;
      }
    }
  }
  torch::jit::EliminateDeadCode(forward.block());  // drops the constants no one reads any more
}

}  // namespace nnc
