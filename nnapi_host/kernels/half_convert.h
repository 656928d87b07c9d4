// IEEE binary16 <-> float32 conversion. TENSOR_FLOAT16 operations run in float32 (their operands are converted
// in and out around the float kernels), which NNAPI permits: F16 results need only F16 accuracy (§11.9).
#pragma once

#include <cstddef>
#include <cstdint>

namespace nnapi_host::kernels {

void halfToFloat(const uint16_t* in, size_t count, float* out);
// Round to nearest, ties to even; overflow gives infinity.
void floatToHalf(const float* in, size_t count, uint16_t* out);
// float32 -> binary16 -> float32: the value as F16 holds it (range and precision), for relaxed computation.
// `in` and `out` may be the same buffer.
void roundToHalfPrecision(const float* in, size_t count, float* out);

}  // namespace nnapi_host::kernels
