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
                    "aten::conv_transpose1d", "aten::conv_transpose2d"})) {
    if (weight.size() < 3) return 0;
    // Each output element of a convolution reads weight[1] (input channels per group) x kernel taps. A transposed
    // convolution (weight [Cin, Cout/groups, k...]) spreads each *input* element over Cout/groups x taps outputs:
    // the same product, counted from the input side.
    int64_t taps = 1;
    for (size_t d = 2; d < weight.size(); ++d) taps *= weight[d];
    return (transposed_conv ? elements(inputs[0]) : elements(output)) * weight[1] * taps;
  }
  if (isOneOf(kind, {"aten::linear"})) return weight.empty() ? 0 : elements(output) * weight.back();
  if (isOneOf(kind, {"aten::matmul", "aten::mm", "aten::bmm"})) {
    return inputs[0].empty() ? 0 : elements(output) * inputs[0].back();
  }
  if (isOneOf(kind, {"aten::addmm", "aten::baddbmm"})) {
    return inputs.size() < 3 || inputs[1].empty() ? 0 : elements(output) * inputs[1].back();
  }
  return 0;
}

}  // namespace nnc
