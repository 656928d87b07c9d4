// The bias and per-channel filter rules shared by the convolutions and FULLY_CONNECTED (reference §6, §12.3).
#include <algorithm>
#include <cmath>

#include "validation/op_check.h"

namespace nnapi_rules::detail {

void checkBias(OpCheck& c, size_t biasIndex, size_t inputIndex, size_t filterIndex, uint32_t outChannels) {
  const OperandDesc& input = c.in(inputIndex);
  const OperandDesc& filter = c.in(filterIndex);
  const OperandDesc& bias = c.in(biasIndex);
  const bool quantized = isQuantized8(input.type);
  const int32_t expected = quantized ? I32T : input.type;
  if (bias.type != expected)
    c.failInput(biasIndex, "bias",
                "type is " + operandTypeName(bias.type) + ", expected " + operandTypeName(expected) + " for a " +
                    operandTypeName(input.type) + " input");
  c.expectRank(biasIndex, "bias", 1, 1);
  if (c.rankKnown(biasIndex) && outChannels != 0 && bias.dims[0] != 0 && bias.dims[0] != outChannels)
    c.failInput(biasIndex, "bias",
                "length is " + std::to_string(bias.dims[0]) + ", expected " + std::to_string(outChannels) +
                    " (output channels)");
  if (!quantized) return;
  if (bias.zeroPoint != 0) c.failInput(biasIndex, "bias", "zeroPoint must be 0, got " + std::to_string(bias.zeroPoint));
  if (filter.type == Q8PC) {
    // Each bias element c is scaled by s_in * scales[c]; the declared scale must be 0.
    if (bias.scale != 0.0f)
      c.failInput(biasIndex, "bias", "scale must be 0 with a per-channel filter, got " + std::to_string(bias.scale));
    return;
  }
  const double wanted = double(input.scale) * double(filter.scale);
  const double got = bias.scale;
  if (std::fabs(wanted - got) > 1e-6 * std::min(wanted, got))
    c.failInput(
        biasIndex, "bias",
        "scale is " + std::to_string(got) + ", expected input scale * filter scale = " + std::to_string(wanted));
}

void checkPerChannelFilter(OpCheck& c, size_t filterIndex, uint32_t channelDim) {
  const OperandDesc& filter = c.in(filterIndex);
  const int32_t inputType = c.in(0).type;
  if (inputType != Q8A && inputType != Q8S)
    c.failInput(filterIndex, "filter",
                "TENSOR_QUANT8_SYMM_PER_CHANNEL needs a quantized 8-bit input, got " + operandTypeName(inputType));
  c.needFeature(Feature::PerChannelQuantFilter);
  // Scales may still be missing here (setOperandSymmPerChannelQuantParams can follow addOperation; finish checks
  // they were set).
  if (filter.channelScales.empty()) return;
  if (filter.channelDim != channelDim)
    c.failInput(
        filterIndex, "filter",
        "per-channel channelDim is " + std::to_string(filter.channelDim) + ", expected " + std::to_string(channelDim));
}

}  // namespace nnapi_rules::detail
