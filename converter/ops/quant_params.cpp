#include "ops/quant_params.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <string>

#include "nnapi/NeuralNetworks.h"
#include "ops/lowering.h"

namespace nnc {
namespace {

// Where the output channels are in PyTorch's weight (ConvTranspose weights are [I, O, H, W]) and in NNAPI's filter.
int64_t torchOutputAxis(FilterRelayout relayout) { return relayout == FilterRelayout::IOHW_to_OHWI ? 1 : 0; }
uint32_t nnapiChannelDim(FilterRelayout relayout) { return relayout == FilterRelayout::O1HW_to_1HWO ? 3 : 0; }

}  // namespace

float QuantFilter::channelScale(size_t channel) const {
  return operand.per_channel ? operand.per_channel->scales.at(channel) : operand.scale;
}

QuantFilter quantFilter(const ConstTensor& weight, FilterRelayout relayout, std::vector<uint32_t> nnapi_dims) {
  if (weight.dtype != DType::QInt8) throw Unsupported("only qint8 quantized weights are supported");
  if (static_cast<int64_t>(weight.bytes.size()) != weight.numel()) {
    throw std::logic_error("a qint8 weight of " + std::to_string(weight.numel()) + " elements has " +
                           std::to_string(weight.bytes.size()) + " bytes");
  }
  QuantFilter filter;
  filter.operand.dims = std::move(nnapi_dims);
  filter.operand.name = "quantized weight";
  std::vector<uint8_t> values(weight.bytes.begin(), weight.bytes.end());
  if (weight.channel_scales.empty()) {
    // Per-tensor: the same real values (q - zp) * s on the unsigned type, shifted by 128.
    filter.operand.type = ANEURALNETWORKS_TENSOR_QUANT8_ASYMM;
    filter.operand.scale = static_cast<float>(weight.scale);
    filter.operand.zero_point = static_cast<int32_t>(weight.zero_point + 128);
    for (uint8_t& v : values) v = static_cast<uint8_t>(static_cast<int8_t>(v) + 128);
  } else {
    const int64_t axis = torchOutputAxis(relayout);
    if (weight.channel_axis != axis) {
      throw Unsupported("a weight quantized per channel along axis " + std::to_string(weight.channel_axis) +
                        " is not supported: NNAPI quantizes filters per output channel (axis " +
                        std::to_string(axis) + " of this weight)");
    }
    for (int64_t zp : weight.channel_zero_points) {
      if (zp != 0) {
        throw Unsupported("a weight quantized per channel with a nonzero zero point (" + std::to_string(zp) +
                          ") is not supported: NNAPI's per-channel filters are symmetric (zero point 0)");
      }
    }
    if (static_cast<int64_t>(weight.channel_scales.size()) != weight.shape.at(axis)) {
      throw std::logic_error("a per-channel weight has " + std::to_string(weight.channel_scales.size()) +
                             " scales for " + std::to_string(weight.shape.at(axis)) + " channels");
    }
    filter.operand.type = ANEURALNETWORKS_TENSOR_QUANT8_SYMM_PER_CHANNEL;
    ir::PerChannelQuant quant;
    quant.channel_dim = nnapiChannelDim(relayout);
    for (double s : weight.channel_scales) quant.scales.push_back(static_cast<float>(s));
    filter.operand.per_channel = std::move(quant);
  }
  filter.bytes = relayoutFilter(relayout, values, weight.shape);
  return filter;
}

QuantBias quantBias(const std::optional<ConstTensor>& bias, const QuantFilter& filter, float input_scale,
                    size_t out_channels) {
  QuantBias result;
  result.operand.type = ANEURALNETWORKS_TENSOR_INT32;
  result.operand.dims = {static_cast<uint32_t>(out_channels)};
  result.operand.name = "quantized bias";
  // NNAPI checks the declared scale against input scale * filter scale, computed in double from the floats.
  result.operand.scale =
      filter.perChannel() ? 0.0f : static_cast<float>(double(input_scale) * double(filter.operand.scale));
  result.values.assign(out_channels, 0);
  if (!bias) return result;
  if (bias->dtype != DType::Float32 && bias->dtype != DType::Float64) {
    throw Unsupported("a quantized layer's bias must be float, as PyTorch's packed parameters hold it");
  }
  const std::vector<float> values = bias->toFloats();
  if (values.size() != out_channels) {
    throw Unsupported("the bias has " + std::to_string(values.size()) + " values for " +
                      std::to_string(out_channels) + " output channels");
  }
  constexpr double kMin = std::numeric_limits<int32_t>::min(), kMax = std::numeric_limits<int32_t>::max();
  for (size_t c = 0; c < out_channels; ++c) {
    // Each channel's accumulator has scale s_in * s_w[c], the kernel's requantization uses these same floats.
    const double scale = double(input_scale) * double(filter.channelScale(c));
    const double q = std::nearbyint(double(values[c]) / scale);
    result.values[c] = static_cast<int32_t>(std::min(kMax, std::max(kMin, q)));
  }
  return result;
}

}  // namespace nnc
