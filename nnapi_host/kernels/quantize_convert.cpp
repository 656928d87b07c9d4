#include "kernels/quantize_convert.h"

#include <algorithm>
#include <cmath>

namespace nnapi_host::kernels {
namespace {

template <typename Q>
void quantize(const float* in, size_t count, float scale, int32_t zeroPoint, int32_t qmin, int32_t qmax, Q* out) {
  for (size_t i = 0; i < count; ++i) {
    const float q = float(zeroPoint) + std::round(in[i] / scale);  // std::round: half away from zero
    out[i] = Q(std::min(std::max(q, float(qmin)), float(qmax)));
  }
}

template <typename Q>
void dequantize(const Q* in, size_t count, float scale, int32_t zeroPoint, float* out) {
  for (size_t i = 0; i < count; ++i) out[i] = scale * float(int32_t(in[i]) - zeroPoint);
}

}  // namespace

void quantizeF32ToU8(const float* in, size_t count, float scale, int32_t zeroPoint, uint8_t* out) {
  quantize(in, count, scale, zeroPoint, 0, 255, out);
}

void quantizeF32ToS8(const float* in, size_t count, float scale, int32_t zeroPoint, int8_t* out) {
  quantize(in, count, scale, zeroPoint, -128, 127, out);
}

void dequantizeU8ToF32(const uint8_t* in, size_t count, float scale, int32_t zeroPoint, float* out) {
  dequantize(in, count, scale, zeroPoint, out);
}

void dequantizeS8ToF32(const int8_t* in, size_t count, float scale, int32_t zeroPoint, float* out) {
  dequantize(in, count, scale, zeroPoint, out);
}

void dequantizePerChannelToF32(const int8_t* in, const std::vector<uint32_t>& dims, uint32_t channelDim,
                               const std::vector<float>& scales, float* out) {
  size_t outer = 1, inner = 1;
  for (size_t k = 0; k < channelDim; ++k) outer *= dims[k];
  for (size_t k = channelDim + 1; k < dims.size(); ++k) inner *= dims[k];
  const uint32_t channels = dims[channelDim];
  for (size_t o = 0; o < outer; ++o)
    for (uint32_t c = 0; c < channels; ++c)
      for (size_t i = 0; i < inner; ++i, ++in, ++out) *out = scales[c] * float(*in);
}

}  // namespace nnapi_host::kernels
