// gemmABtF32, both kernels: shapes that leave partial row groups (6), partial column panels (16) and several
// depth blocks (256), with strided rows, against a double-accumulated loop.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "kernels/gemm_f32.h"
#include "reference_f32.h"

using namespace nnapi_host::kernels;
using namespace nnapi_host::kernels::test;

namespace {

std::vector<GemmKernel> kernelsToTest() {
  std::vector<GemmKernel> kernels{GemmKernel::kEigen};
  if (cpuSupportsAvx2Fma()) kernels.push_back(GemmKernel::kAvx2Fma);
  return kernels;
}

}  // namespace

TEST_CASE("gemmABtF32 multiplies by the transpose of b", "[gemmF32]") {
  // a = [1 2; 3 4], b = [1 0; 1 1; 0 2] (3 rows, used transposed): c = [1 3 4; 3 7 8].
  const std::vector<float> a{1, 2, 3, 4};
  const std::vector<float> b{1, 0, 1, 1, 0, 2};
  for (GemmKernel kernel : kernelsToTest()) {
    INFO("kernel " << int(kernel));
    std::vector<float> c(6, -1.0f);
    gemmABtF32(a.data(), 2, b.data(), 2, c.data(), 3, 2, 3, 2, kernel);
    CHECK(c == std::vector<float>{1, 3, 4, 3, 7, 8});
  }
}

TEST_CASE("gemmABtF32 matches a plain loop on strided random matrices", "[gemmF32]") {
  struct Case {
    std::size_t m, n, k;
  };
  // Row strides exceed the row lengths by a few floats so that a stride mistake shows.
  const std::size_t pad = 3;
  uint32_t seed = 600;
  for (const Case& s : {Case{1, 1, 1}, Case{6, 16, 8}, Case{7, 17, 9}, Case{13, 33, 300}, Case{5, 15, 513},
                        Case{64, 40, 1024}, Case{3, 2, 0}}) {
    const std::size_t lda = s.k + pad, ldb = s.k + pad, ldc = s.n + pad;
    const auto a = randomValues(s.m * lda, seed++);
    const auto b = randomValues(s.n * ldb, seed++);
    std::vector<float> expected(s.m * ldc, NAN);
    for (std::size_t i = 0; i < s.m; ++i)
      for (std::size_t j = 0; j < s.n; ++j) {
        double sum = 0;
        for (std::size_t p = 0; p < s.k; ++p) sum += double(a[i * lda + p]) * b[j * ldb + p];
        expected[i * ldc + j] = float(sum);
      }
    for (GemmKernel kernel : kernelsToTest()) {
      INFO("m " << s.m << " n " << s.n << " k " << s.k << ", kernel " << int(kernel));
      std::vector<float> c(s.m * ldc, NAN);  // the padding between rows must stay untouched (NaN)
      gemmABtF32(a.data(), lda, b.data(), ldb, c.data(), ldc, s.m, s.n, s.k, kernel);
      float worst = 0;
      bool paddingTouched = false;
      for (std::size_t i = 0; i < s.m; ++i) {
        for (std::size_t j = 0; j < ldc; ++j) {
          if (j >= s.n) {
            paddingTouched = paddingTouched || !std::isnan(c[i * ldc + j]);
          } else {
            const float difference = std::fabs(c[i * ldc + j] - expected[i * ldc + j]);
            worst = std::isnan(difference) ? INFINITY : std::max(worst, difference);
          }
        }
      }
      CHECK(worst <= sumTolerance(s.k));
      CHECK_FALSE(paddingTouched);
    }
  }
}
