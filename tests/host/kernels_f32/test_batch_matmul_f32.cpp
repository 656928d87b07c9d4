// batchMatmulF32: a hand-computed case, then random cases (enough rows to be split over threads, every adj_x /
// adj_y combination) against a plain double-accumulating loop over explicitly transposed operands.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "kernels/batch_matmul_f32.h"
#include "reference_f32.h"

using namespace nnapi_host::kernels;
using namespace nnapi_host::kernels::test;

namespace {

// [rows, cols] matrices of `batches` items, each transposed.
std::vector<float> transposed(const std::vector<float>& m, uint32_t batches, uint32_t rows, uint32_t cols) {
  std::vector<float> t(m.size());
  for (uint32_t b = 0; b < batches; ++b)
    for (uint32_t r = 0; r < rows; ++r)
      for (uint32_t c = 0; c < cols; ++c) t[(size_t(b) * cols + c) * rows + r] = m[(size_t(b) * rows + r) * cols + c];
  return t;
}

}  // namespace

TEST_CASE("batchMatmulF32 multiplies each batch item's matrices", "[batchMatmulF32]") {
  // item 0: [[1,2],[3,4]] [[5],[6]] = [[17],[39]]; item 1: [[0,1],[-1,2]] [[2],[-3]] = [[-3],[-8]].
  const std::vector<float> x{1, 2, 3, 4, 0, 1, -1, 2};
  const std::vector<float> y{5, 6, 2, -3};
  std::vector<float> out(4, NAN);
  batchMatmulF32(x.data(), y.data(), 2, 2, 2, 1, false, false, out.data());
  CHECK(out == std::vector<float>{17, 39, -3, -8});
  // adj_y: y given as [1, 2] rows, the same numbers.
  batchMatmulF32(x.data(), y.data(), 2, 2, 2, 1, false, true, out.data());
  CHECK(out == std::vector<float>{17, 39, -3, -8});
}

TEST_CASE("batchMatmulF32 matches the reference loop on random data, with and without adj flags",
          "[batchMatmulF32]") {
  const uint32_t batches = 3, m = 37, k = 45, n = 29;
  const auto x = randomValues(size_t(batches) * m * k, 900);
  const auto y = randomValues(size_t(batches) * k * n, 901);
  std::vector<float> expected(size_t(batches) * m * n);
  for (uint32_t b = 0; b < batches; ++b)
    for (uint32_t i = 0; i < m; ++i)
      for (uint32_t j = 0; j < n; ++j) {
        double sum = 0;
        for (uint32_t p = 0; p < k; ++p)
          sum += double(x[(size_t(b) * m + i) * k + p]) * y[(size_t(b) * k + p) * n + j];
        expected[(size_t(b) * m + i) * n + j] = float(sum);
      }
  const auto xt = transposed(x, batches, m, k), yt = transposed(y, batches, k, n);
  for (const bool adjX : {false, true}) {
    for (const bool adjY : {false, true}) {
      INFO("adj_x " << adjX << ", adj_y " << adjY);
      std::vector<float> out(expected.size(), NAN);
      batchMatmulF32((adjX ? xt : x).data(), (adjY ? yt : y).data(), batches, m, k, n, adjX, adjY, out.data());
      CHECK(maxAbsDifference(out, expected) <= sumTolerance(k));
    }
  }
}
