// The one place that knows how PyTorch's quantized weights and float biases become NNAPI operands (reference §6):
//
//   qint8 weight, per-tensor (scale, zero point)   -> TENSOR_QUANT8_ASYMM: uint8 value = int8 + 128, zero point
//                                                     + 128 (the same real values; NNAPI's asymmetric 8-bit type
//                                                     is unsigned before feature level 4);
//   qint8 weight, per-channel symmetric (fbgemm)   -> TENSOR_QUANT8_SYMM_PER_CHANNEL: int8 values as they are,
//                                                     one scale per output channel, channel dim counted after the
//                                                     re-layout (OHWI 0, depthwise [1,H,W,C*m] 3, [units, in] 0);
//   float32 bias                                   -> TENSOR_INT32, zero point 0, value = round(bias / (s_in * s_w))
//                                                     with s_w the channel's weight scale; declared scale s_in * s_w
//                                                     (per-channel: 0, as NNAPI requires).
//
// Weights are re-laid out with ops/weight_layout.h on their raw bytes. Both functions are pure (no IR), so they are
// tested byte for byte; the lowerings add the returned operands as constants.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "ir/model.h"
#include "ops/graph.h"
#include "ops/weight_layout.h"

namespace nnc {

// A quantized filter (or FULLY_CONNECTED weights) as NNAPI takes it.
struct QuantFilter {
  ir::Operand operand;         // type, physical dims, scale / zero point or per_channel (no buffer yet)
  std::vector<uint8_t> bytes;  // the values in NNAPI's order (uint8 for QUANT8_ASYMM, int8 bits for per-channel)
  bool perChannel() const { return operand.per_channel.has_value(); }
  // The weight scale of output channel `channel` (the per-tensor scale for every channel when not per-channel).
  float channelScale(size_t channel) const;
};

// The NNAPI filter for the qint8 `weight` (PyTorch's shape), re-laid out by `relayout` into `nnapi_dims`.
// Unsupported (with the reason) for a weight that is not qint8, a per-channel weight whose channel axis is not the
// output channels or whose zero points are not all 0 (NNAPI's per-channel type is symmetric).
QuantFilter quantFilter(const ConstTensor& weight, FilterRelayout relayout, std::vector<uint32_t> nnapi_dims);

// A convolution's or FULLY_CONNECTED's TENSOR_INT32 bias.
struct QuantBias {
  ir::Operand operand;  // TENSOR_INT32 [out_channels], scale s_in * s_w (0 with a per-channel filter), zero point 0
  std::vector<int32_t> values;
};

// The bias for `filter` (with `out_channels` output channels) and an input of scale `input_scale`: PyTorch's float
// bias rounded to the accumulator's scale (to nearest, ties to even, as PyTorch's quantize_per_tensor to qint32
// that QNNPACK uses; saturated to int32), or zeros when there is none. Unsupported if it is not a float vector of
// out_channels values.
QuantBias quantBias(const std::optional<ConstTensor>& bias, const QuantFilter& filter, float input_scale,
                    size_t out_channels);

}  // namespace nnc
