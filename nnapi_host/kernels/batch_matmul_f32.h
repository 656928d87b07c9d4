// BATCH_MATMUL for float32, as AOSP's reference (BatchMatmul.cpp, through TFLite's reference BatchMatMul) computes
// it: per batch item and output element one float accumulator, starting at 0, adds lhs * rhs over the contracted
// dimension in ascending order.
#pragma once

#include <cstdint>

namespace nnapi_host::kernels {

// out[b] = op(x[b]) * op(y[b]) for `batches` row-major matrix pairs, op transposing when adjX / adjY: x[b] is
// [m, k] ([k, m] when adjX), y[b] is [k, n] ([n, k] when adjY), out[b] is [m, n].
void batchMatmulF32(const float* x, const float* y, uint32_t batches, uint32_t m, uint32_t k, uint32_t n, bool adjX,
                    bool adjY, float* out);

}  // namespace nnapi_host::kernels
