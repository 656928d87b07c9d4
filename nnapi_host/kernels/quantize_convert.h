// QUANTIZE and DEQUANTIZE between float32 and 8-bit tensors (§11.8).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace nnapi_host::kernels {

// q = clamp(zp + round(x / s), qmin, qmax), round half away from zero, in single precision.
void quantizeF32ToU8(const float* in, size_t count, float scale, int32_t zeroPoint, uint8_t* out);
void quantizeF32ToS8(const float* in, size_t count, float scale, int32_t zeroPoint, int8_t* out);

// x = s * (q - zp).
void dequantizeU8ToF32(const uint8_t* in, size_t count, float scale, int32_t zeroPoint, float* out);
void dequantizeS8ToF32(const int8_t* in, size_t count, float scale, int32_t zeroPoint, float* out);
// Per-channel symmetric: x = scales[c] * q, c = index along `channelDim` of `dims`.
void dequantizePerChannelToF32(const int8_t* in, const std::vector<uint32_t>& dims, uint32_t channelDim,
                               const std::vector<float>& scales, float* out);

}  // namespace nnapi_host::kernels
