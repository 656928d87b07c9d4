#include "kernels/batch_matmul_f32.h"

#include <cstddef>

#include "kernels/parallel_for.h"

namespace nnapi_host::kernels {

void batchMatmulF32(const float* x, const float* y, uint32_t batches, uint32_t m, uint32_t k, uint32_t n, bool adjX,
                    bool adjY, float* out) {
  const size_t xSize = size_t(m) * k, ySize = size_t(k) * n;
  // Element strides of x along (row i, contraction p) and of y along (contraction p, column j).
  const size_t xRow = adjX ? 1 : k, xDepth = adjX ? m : 1;
  const size_t yDepth = adjY ? 1 : n, yCol = adjY ? k : 1;
  // Output rows are independent; a task takes enough of them for about 4096 multiply-adds.
  const size_t rowWork = size_t(n) * k;
  const size_t minRows = rowWork == 0 ? 1 : 4096 / rowWork + 1;
  parallelForRanges(size_t(batches) * m, minRows, [&](size_t begin, size_t end) {
    for (size_t row = begin; row < end; ++row) {
      const size_t b = row / m, i = row % m;
      const float* xb = x + b * xSize + i * xRow;
      const float* yb = y + b * ySize;
      float* o = out + row * n;
      for (uint32_t j = 0; j < n; ++j) {
        float total = 0.0f;
        for (uint32_t p = 0; p < k; ++p) total += xb[p * xDepth] * yb[p * yDepth + j * yCol];
        o[j] = total;
      }
    }
  });
}

}  // namespace nnapi_host::kernels
