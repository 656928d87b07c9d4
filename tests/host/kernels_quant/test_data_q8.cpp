// Quantized CONCATENATION, MEAN and RESIZE_BILINEAR on hand-computed values.
#include <catch2/catch.hpp>

#include <limits>
#include <vector>

#include "kernels/quant/concatenation_q8.h"
#include "kernels/quant/reduce_q8.h"
#include "kernels/quant/resize_q8.h"
#include "quant_test_util.h"

using namespace nnapi_host::kernels;
using namespace quant_test;

TEST_CASE("CONCATENATION copies matching inputs and requantizes the others", "[data_q8]") {
  // Two [2, k] tensors joined on axis 1; the second has s 0.5 zp 0 and the output s 1 zp 0.
  const std::vector<uint8_t> a{1, 2, 3, 4}, b{3, 5, 255, 0};  // b real: 1.5, 2.5, 127.5, 0
  std::vector<uint8_t> out(8);
  concatenationQ8<uint8_t>({{a.data(), {2, 2}}, {b.data(), {2, 2}}}, {{1.0f, 0}, {0.5f, 0}}, 1, out.data(), {1.0f, 0});
  CHECK(out == std::vector<uint8_t>{1, 2, 2, 3, 3, 4, 128, 0});
  // int8 with zero points: (q + 10) * 2 / 1 - 5.
  const std::vector<int8_t> c{-10, 50, -128};
  std::vector<int8_t> signedOut(3);
  concatenationQ8<int8_t>({{c.data(), {3}}}, {{2.0f, -10}}, 0, signedOut.data(), {1.0f, -5});
  CHECK(signedOut == std::vector<int8_t>{-5, 115, -128});
}

TEST_CASE("MEAN truncates the integer average", "[data_q8]") {
  // [2, 2, 3]: reduce axes 0 and 1, keeping channels.
  const std::vector<uint8_t> u{1, 2, 3, 2, 2, 3, 3, 2, 3, 4, 2, 4};
  std::vector<uint8_t> out(3);
  meanQ8(u.data(), {2, 2, 3}, {0, 1}, out.data());
  CHECK(out == std::vector<uint8_t>{2, 2, 3});  // 10/4 = 2.5 -> 2, 8/4 = 2, 13/4 = 3.25 -> 3
  const std::vector<int8_t> s{-1, -2, -4, 5};
  std::vector<int8_t> rows(2);
  meanQ8(s.data(), {2, 2}, {1}, rows.data());
  CHECK(rows == std::vector<int8_t>{-1, 0});  // -1.5 -> -1 and 0.5 -> 0: truncation toward zero
}

TEST_CASE("RESIZE_BILINEAR interpolates raw values and truncates", "[data_q8]") {
  const std::vector<uint8_t> row{0, 255};
  std::vector<uint8_t> out(4);
  // scale 0.5: x = 0, 0.5, 1, 1.5 -> 0, 127.5 -> 127, 255, 255 (the right neighbour is clamped to the edge).
  resizeBilinearQ8(row.data(), {1, 1, 2, 1}, 1, 4, false, false, out.data());
  CHECK(out == std::vector<uint8_t>{0, 127, 255, 255});
  // align_corners: scale (2-1)/(4-1) = 1/3: 0, 85, 170, 255.
  resizeBilinearQ8(row.data(), {1, 1, 2, 1}, 1, 4, true, false, out.data());
  CHECK(out == std::vector<uint8_t>{0, 85, 170, 255});
  // half_pixel_centers: x = -0.25 (clamped to 0), 0.25, 0.75, 1.25 -> 0, 63.75 -> 63, 191.25 -> 191, 255.
  resizeBilinearQ8(row.data(), {1, 1, 2, 1}, 1, 4, false, true, out.data());
  CHECK(out == std::vector<uint8_t>{0, 63, 191, 255});
}
