// What the float (ops/convolution.cpp) and quantized (ops/quantized_conv.cpp) convolutions share: the choice of
// NNAPI operation, the geometry checks, the feature levels, and the emission of the operand list. Only the filter
// and bias operands differ, so the lowerings make those and hand them to emitConvolution.
#pragma once

#include <cstdint>
#include <vector>

#include "ir/model.h"
#include "ops/lowering.h"
#include "ops/weight_layout.h"

namespace nnc {

// PyTorch's convolution arguments, (height, width) order.
struct ConvArgs {
  std::vector<int64_t> stride, padding, dilation, output_padding{0, 0};
  bool transposed = false;
  int64_t groups = 1;
  bool one_d = false;  // a 1-D convolution: input [N,C,L], computed as the 2-D one on [N,C,1,L]
};

// Which NNAPI convolution, with which filter layout.
struct ConvPlan {
  int32_t op = 0;
  std::vector<uint32_t> filter_dims;  // NNAPI's filter dims
  FilterRelayout relayout = FilterRelayout::OIHW_to_OHWI;
  ConvArgs args;
  int64_t depth_multiplier = 0;  // DEPTHWISE_CONV_2D
  bool dilated = false;
  int64_t out_channels = 0;
};

// PyTorch's per-axis lists are (height, width); a single int means both.
std::vector<int64_t> hwPair(std::vector<int64_t> values, const char* what);

// The support question shared by every convolution of input 0 (a computed 4-D map, or 3-D with args.one_d) with a
// weight of PyTorch shape `weight_shape` (OIHW, or IOHW when transposed; [O,I,1,K] for a 1-D one): CONV_2D,
// DEPTHWISE_CONV_2D, GROUPED_CONV_2D or TRANSPOSE_CONV_2D on input 0's type, NNAPI's padding rule, the feature
// levels of the operation and its dilation inputs, input 0 available channels-last.
ConvPlan planConvolution(const LoweringContext& ctx, const std::vector<int64_t>& weight_shape, ConvArgs args);

// Emits `plan` on input 0 (channels-last) with these filter and bias operands and fused activation; the output (a
// channels-last map, [N,L,C] for a 1-D one; `quant` for a quantized one) becomes node output 0.
void emitConvolution(LoweringContext& ctx, const ConvPlan& plan, uint32_t filter, uint32_t bias, int32_t fuse,
                     std::optional<std::pair<float, int32_t>> quant = std::nullopt);

}  // namespace nnc
