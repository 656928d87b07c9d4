#include "frontend/multiply_adds.h"

namespace nnc {
namespace {

int64_t elements(const std::vector<int64_t>& shape) {
  int64_t count = 1;
  for (int64_t extent : shape) count *= extent;
  return count;
}

bool isOneOf(const std::string& kind, std::initializer_list<const char*> kinds) {
  for (const char* k : kinds) {
    if (kind == k) return true;
  }
  return false;
}

}  // namespace

int64_t multiplyAdds(const std::string& kind, const std::vector<std::vector<int64_t>>& inputs,
                     const std::vector<int64_t>& output, bool transposed_conv) {
  if (output.empty() || inputs.size() < 2) return 0;
  const std::vector<int64_t>& weight = inputs[1];
  if (isOneOf(kind, {"aten::conv1d", "aten::conv2d", "aten::conv3d", "aten::_convolution", "aten::convolution",
                    "aten::conv_transpose1d", "aten::conv_transpose2d", "quantized::conv2d",
                    "quantized::conv2d_relu", "quantized::conv_transpose2d"})) {
    if (weight.size() < 3) return 0;
    // Each output element of a convolution reads weight[1] (input channels per group) x kernel taps. A transposed
    // convolution (weight [Cin, Cout/groups, k...]) spreads each *input* element over Cout/groups x taps outputs:
    // the same product, counted from the input side.
    int64_t taps = 1;
    for (size_t d = 2; d < weight.size(); ++d) taps *= weight[d];
    return (transposed_conv ? elements(inputs[0]) : elements(output)) * weight[1] * taps;
  }
  if (isOneOf(kind, {"aten::linear", "quantized::linear", "quantized::linear_relu"})) return weight.empty() ? 0 : elements(output) * weight.back();
  if (isOneOf(kind, {"aten::matmul", "aten::mm", "aten::bmm"})) {
    return inputs[0].empty() ? 0 : elements(output) * inputs[0].back();
  }
  if (isOneOf(kind, {"aten::addmm", "aten::baddbmm"})) {
    return inputs.size() < 3 || inputs[1].empty() ? 0 : elements(output) * inputs[1].back();
  }
  if (kind == "aten::_transformer_encoder_layer_fwd" && inputs.size() > 16 && inputs[0].size() == 3) {
    // (src [B,S,E], embed_dim, num_heads, qkv_weight, qkv_bias, proj_weight, proj_bias, use_gelu, norm_first, eps,
    //  norm_weight_1, norm_bias_1, norm_weight_2, norm_bias_2, ffn_weight_1, ffn_bias_1, ffn_weight_2, ...):
    // every token goes through the four weight matrices, and attention multiplies S x S scores with E values twice.
    const int64_t batch = inputs[0][0], tokens = inputs[0][1], embed = inputs[0][2];
    const int64_t weights = elements(inputs[3]) + elements(inputs[5]) + elements(inputs[14]) + elements(inputs[16]);
    return batch * tokens * weights + 2 * batch * tokens * tokens * embed;
  }
  if (kind == "aten::_native_multi_head_attention" && inputs.size() > 7 && inputs[0].size() == 3 &&
      inputs[1].size() == 3) {
    // (query [B,L,E], key [B,S,E], value, embed_dim, num_head, qkv_weight, qkv_bias, proj_weight, ...): the
    // projections of queries, keys, values and outputs, and the L x S scores applied twice.
    const int64_t batch = inputs[0][0], queries = inputs[0][1], keys = inputs[1][1], embed = inputs[0][2];
    const int64_t projections = (queries + 2 * keys) * embed * embed + queries * elements(inputs[7]);
    return batch * (projections + 2 * queries * keys * embed);
  }
  return 0;
}

}  // namespace nnc
