#include "wrapper/shared_weights.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>

#include <ATen/ATen.h>
#include <ATen/TensorUtils.h>
#include <torch/csrc/jit/api/function_impl.h>
#include <torch/csrc/jit/ir/constants.h>
#include <torch/csrc/jit/passes/dead_code_elimination.h>

#include "ops/weight_layout.h"

namespace nnc {
namespace {

using TorchValue = torch::jit::Value;

// Permutations that turn an NNAPI weight back into PyTorch's tensor: the filter relayouts' own (ops/weight_layout.h:
// OHWI -> OIHW; [1,H,W,O] -> [O,1,H,W] and OHWI -> IOHW, one permutation); a transposed matrix.
const std::vector<int64_t> kOhwiToOihw = torchOrderOf(FilterRelayout::OIHW_to_OHWI);
const std::vector<std::vector<int64_t>> kNnapiToTorch = {kOhwiToOihw, torchOrderOf(FilterRelayout::IOHW_to_OHWI),
                                                         {1, 0}};

// How a constant the fallback reads is read from an NNAPI weight: permuted by `permutation` (none: as it is), then
// viewed with the constant's shape when `reshape` (NNAPI's [units, 1, 1, in] CONV_2D filter of a per-channel
// linear layer is PyTorch's [units, in]), then divided by `scale` when it is not 1: passes/absorb_constants.h folds a
// multiplication by a number into a convolution's weights (hardsigmoid's 1/6 in squeeze-excite), so NNAPI's weight
// is PyTorch's times that number.
struct View {
  std::vector<int64_t> permutation;
  std::vector<int64_t> reshape;
  double scale = 1.0;
};

// The number `candidate` is `constant` times, within float rounding of that product (each element rounded once),
// or nullopt. The number is read from the largest of the first elements, which also reject a different tensor
// before the whole one is compared (the fallback's constants are matched against every weight of equal size).
std::optional<double> uniformScale(const at::Tensor& candidate, const at::Tensor& constant) {
  constexpr double kRelativeRounding = 4e-7;  // two float roundings: the product, and the number read back
  if (!candidate.is_floating_point() || constant.numel() == 0) return std::nullopt;
  const at::Tensor flat_constant = constant.reshape(-1), flat_candidate = candidate.reshape(-1);
  const int64_t head = std::min<int64_t>(64, flat_constant.numel());
  const int64_t largest = flat_constant.slice(0, 0, head).abs().argmax().item<int64_t>();
  const double reference = flat_constant[largest].item<double>();
  if (reference == 0.0) return std::nullopt;
  const double scale = flat_candidate[largest].item<double>() / reference;
  if (!std::isfinite(scale) || scale == 0.0) return std::nullopt;
  const auto close = [&](const at::Tensor& a, const at::Tensor& b) {
    return at::allclose(a, b * scale, kRelativeRounding, /*atol=*/0.0);
  };
  if (!close(flat_candidate.slice(0, 0, head), flat_constant.slice(0, 0, head))) return std::nullopt;
  if (!close(flat_candidate, flat_constant)) return std::nullopt;
  return scale;
}

// The view of `weight` that equals `constant`, or nullopt.
std::optional<View> viewOf(const at::Tensor& weight, const at::Tensor& constant) {
  if (weight.scalar_type() != constant.scalar_type() || weight.numel() != constant.numel()) return std::nullopt;
  // NNAPI reads the constant's own bytes (serialize/weight_tensor.h wraps them): nothing to compare.
  if (weight.data_ptr() == constant.data_ptr() && constant.is_contiguous()) {
    return weight.sizes() == constant.sizes() ? View{} : View{{}, constant.sizes().vec()};
  }
  // A filter the frontend moved into NNAPI's order (frontend/moved_weights.h): the constant is a permuted view of the
  // same bytes, so equal sizes and strides prove it equal with no value read.
  if (weight.data_ptr() == constant.data_ptr()) {
    for (const std::vector<int64_t>& order : kNnapiToTorch) {
      if (int64_t(order.size()) != weight.dim()) continue;
      const at::Tensor seen = weight.permute(order);
      if (seen.sizes() == constant.sizes() && seen.strides() == constant.strides()) return View{order, {}};
      const auto strides = at::detail::computeStride(seen.sizes(), seen.strides(), constant.sizes());
      if (strides && at::IntArrayRef(*strides) == constant.strides()) return View{order, constant.sizes().vec()};
    }
  }
  std::vector<View> candidates;
  if (weight.sizes() == constant.sizes()) candidates.push_back(View{});
  else candidates.push_back(View{{}, constant.sizes().vec()});
  for (const std::vector<int64_t>& order : kNnapiToTorch) {
    if (int64_t(order.size()) != weight.dim()) continue;
    const std::vector<int64_t> permuted = weight.permute(order).sizes().vec();
    if (permuted == constant.sizes()) {
      candidates.push_back(View{order, {}});
    } else if (order == kOhwiToOihw && constant.dim() == 2 && permuted[0] == constant.size(0)) {
      // A fully-connected weight whose columns NNAPI reads in a flattened NHWC map's (H, W, C) order, stored
      // [units, H, W, C]: PyTorch's [units, C*H*W] is it permuted to [units, C, H, W], flattened.
      candidates.push_back(View{order, constant.sizes().vec()});
    }
  }
  for (View& view : candidates) {
    const at::Tensor seen = view.permutation.empty() ? weight : weight.permute(view.permutation);
    // The constant in the permuted weight's shape (a view of a contiguous constant), not the weight reshaped: that
    // would copy a permuted weight (VGG's 400 MB classifier weight) only to compare it.
    const at::Tensor target = view.reshape.empty() ? constant : constant.reshape(seen.sizes());
    if (at::equal(seen, target)) return view;
    if (const std::optional<double> scale = uniformScale(seen, target)) {
      view.scale = *scale;
      return view;
    }
  }
  return std::nullopt;
}

// A quantized layer's filter as NNAPI holds it (ops/quant_params.h): per-channel as PyTorch's int8 values, per
// tensor as uint8 values 128 above them. The int8 values NNAPI's weight `weight` stands for.
at::Tensor nnapiFilterAsInt8(const at::Tensor& weight) {
  if (weight.scalar_type() == at::kByte) return (weight.to(at::kShort) - 128).to(at::kChar);
  return weight;
}

// Calls the TorchScript method `name` of a packed-parameters object (unpack, stride, padding, ...).
c10::IValue callMethod(const c10::IValue& object, const char* name) {
  torch::jit::Stack stack{object};
  object.toObject()->type()->getMethod(name).run(stack);
  return stack.back();
}

// What a fallback needs to rebuild quantized packed parameters at run time: PyTorch's prepack op and its arguments
// after (weight, bias); the weight and bias as unpacked.
struct PackedParameters {
  at::Tensor weight;  // qint8
  at::Tensor bias;    // float32, or undefined
  c10::Symbol prepack;
  std::vector<c10::IValue> geometry;
};

std::optional<PackedParameters> packedParametersOf(const c10::IValue& value) {
  if (!value.isObject()) return std::nullopt;
  const std::string type = value.type()->str();
  const bool conv = type == "__torch__.torch.classes.quantized.Conv2dPackedParamsBase";
  const bool linear = type == "__torch__.torch.classes.quantized.LinearPackedParamsBase";
  if (!conv && !linear) return std::nullopt;
  const auto unpacked = callMethod(value, "unpack").toTupleRef().elements();
  PackedParameters packed;
  packed.weight = unpacked.at(0).toTensor();
  // Detached: unpack() may hand back a bias that requires grad, which a graph constant cannot be.
  if (unpacked.size() > 1 && unpacked[1].isTensor()) packed.bias = unpacked[1].toTensor().detach();
  if (linear) {
    packed.prepack = c10::Symbol::fromQualString("quantized::linear_prepack");
    return packed;
  }
  const bool transposed = callMethod(value, "transpose").toBool();
  packed.prepack = c10::Symbol::fromQualString(transposed ? "quantized::conv_transpose2d_prepack"
                                                          : "quantized::conv2d_prepack");
  packed.geometry = {callMethod(value, "stride"), callMethod(value, "padding")};
  if (transposed) packed.geometry.push_back(callMethod(value, "output_padding"));
  packed.geometry.push_back(callMethod(value, "dilation"));
  packed.geometry.push_back(callMethod(value, "groups"));
  return packed;
}

// Inserts, at the graph's insertion point, the quantized weight `packed.weight` rebuilt from NNAPI's weight `view`
// (already permuted to PyTorch's order), then its packed parameters.
TorchValue* insertRepacked(torch::jit::Graph& graph, TorchValue* view, const at::Tensor& nnapi_weight,
                           const PackedParameters& packed) {
  using torch::jit::NamedValue;
  TorchValue* values = graph.insert(c10::aten::contiguous, {view});
  if (nnapi_weight.scalar_type() == at::kByte) {
    values = graph.insert(c10::aten::to, {values, at::kShort});
    values = graph.insert(c10::aten::sub, {values, 128});
    values = graph.insert(c10::aten::to, {values, at::kChar});
  }
  TorchValue* weight = nullptr;
  if (packed.weight.qscheme() == at::kPerTensorAffine) {
    weight = graph.insert(c10::Symbol::fromQualString("aten::_make_per_tensor_quantized_tensor"),
                          {values, packed.weight.q_scale(), packed.weight.q_zero_point()});
  } else {
    weight = graph.insert(c10::Symbol::fromQualString("aten::_make_per_channel_quantized_tensor"),
                          {values, graph.insertConstant(packed.weight.q_per_channel_scales()),
                           graph.insertConstant(packed.weight.q_per_channel_zero_points()),
                           packed.weight.q_per_channel_axis()});
  }
  std::vector<NamedValue> arguments{weight};
  arguments.emplace_back(packed.bias.defined() ? graph.insertConstant(packed.bias) : graph.insertConstant(c10::IValue()));
  for (const c10::IValue& argument : packed.geometry) arguments.emplace_back(graph.insertConstant(argument));
  return graph.insert(packed.prepack, arguments);
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
  // weights[w] read through `how`.
  auto insertView = [&](size_t w, const View& how) {
    if (!list) list = weights_list(forward);
    TorchValue* view = forward.insert(c10::aten::__getitem__, {list, int64_t(w)});
    if (!how.permutation.empty()) view = forward.insert(c10::aten::permute, {view, how.permutation});
    if (!how.reshape.empty()) view = forward.insert(c10::aten::reshape, {view, how.reshape});
    if (how.scale != 1.0) view = forward.insert(c10::aten::div, {view, how.scale});
    return view;
  };
  std::vector<at::Tensor> int8_filters(weights.size());  // nnapiFilterAsInt8 of each weight, made when first needed
  auto findView = [&](const at::Tensor& constant, bool quantized_filter) -> std::optional<std::pair<size_t, View>> {
    // A weight whose bytes the constant reads (shared or moved, frontend/moved_weights.h) first: no value is
    // compared, and each comparison with another weight of the same size would read both whole.
    for (size_t w = 0; w < weights.size() && !quantized_filter; ++w) {
      if (weights[w].data_ptr() != constant.data_ptr()) continue;
      if (auto how = viewOf(weights[w], constant)) return std::make_pair(w, *how);
    }
    for (size_t w = 0; w < weights.size(); ++w) {
      if (weights[w].numel() != constant.numel()) continue;
      if (quantized_filter && !int8_filters[w].defined()) int8_filters[w] = nnapiFilterAsInt8(weights[w]);
      if (auto how = viewOf(quantized_filter ? int8_filters[w] : weights[w], constant)) return std::make_pair(w, *how);
    }
    return std::nullopt;
  };
  std::map<TorchValue*, TorchValue*> replacements;  // constant -> what the fallback reads instead, one per constant
  for (torch::jit::Node* node : fallback->nodes()) {
    for (size_t i = 0; i < node->inputs().size(); ++i) {
      TorchValue* input = node->inputs()[i];
      if (input->node()->kind() != c10::prim::Constant) continue;
      if (auto known = replacements.find(input); known != replacements.end()) {
        node->replaceInput(i, known->second);
        continue;
      }
      const c10::IValue constant = *torch::jit::toIValue(input);
      TorchValue* replacement = nullptr;
      if (constant.isTensor()) {
        if (auto found = findView(constant.toTensor(), false)) replacement = insertView(found->first, found->second);
      } else if (const std::optional<PackedParameters> packed = packedParametersOf(constant)) {
        // A quantized layer's packed parameters: packed again from NNAPI's filter each time the fallback runs.
        if (auto found = findView(packed->weight.int_repr(), true)) {
          replacement = insertRepacked(forward, insertView(found->first, found->second), weights[found->first],
                                       *packed);
        }
      }
      if (!replacement) continue;
      replacements[input] = replacement;
      node->replaceInput(i, replacement);
    }
  }
  torch::jit::EliminateDeadCode(forward.block());  // drops the constants no one reads any more
}

}  // namespace nnc
