// Float32 reductions of the desktop NNAPI: MEAN, REDUCE_SUM/MAX/MIN, and SOFTMAX / LOG_SOFTMAX along one axis.
#pragma once

#include <cstdint>
#include <vector>

namespace nnapi_host::kernels {

using Dims = std::vector<uint32_t>;

// MEAN over `axes` (non-negative, ascending, no duplicates). The output holds the kept extents in order.
void meanF32(const float* in, const Dims& inDims, const std::vector<uint32_t>& axes, float* out);

// REDUCE_SUM, REDUCE_MAX, REDUCE_MIN over `axes` (as meanF32), as AOSP's reference: float accumulation in element
// order from 0 (SUM), from the lowest / highest float (MAX / MIN).
enum class Reduction { Sum, Max, Min };
void reduceF32(Reduction reduction, const float* in, const Dims& inDims, const std::vector<uint32_t>& axes,
               float* out);

// SOFTMAX (logarithmic = false): exp(beta*(x - max)) / sum; LOG_SOFTMAX: beta*x - log(sum exp(beta*x)).
// Along `axis` of `dims`.
void softmaxF32(const float* in, const Dims& dims, uint32_t axis, float beta, bool logarithmic, float* out);

}  // namespace nnapi_host::kernels
