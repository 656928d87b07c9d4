// Quantized pools on hand-computed examples (rounding of the average, padding taps excluded, clamps) and on a
// random image against a direct evaluation.
#include <catch2/catch.hpp>

#include <vector>

#include "kernels/quant/pool_q8.h"
#include "quant_test_util.h"

using namespace nnapi_host::kernels;
using namespace quant_test;

TEST_CASE("AVERAGE_POOL_2D rounds half away from zero and divides by the taps inside", "[pool_q8]") {
  // 2x2 image, 2 channels, 2x2 window with 1 pixel of padding all round, stride 1: a 3x3 output whose corners
  // see 1 tap, edges 2 taps, centre 4 taps.
  const std::vector<int8_t> input{1, -1, 2, -2, 3, -3, 5, -6};  // channel 0: [1 2; 3 5], channel 1: [-1 -2; -3 -6]
  Window win;
  win.filter_h = win.filter_w = 2;
  win.pad_left = win.pad_right = win.pad_top = win.pad_bottom = 1;
  std::vector<int8_t> output(18);
  averagePool2dQ8(input.data(), {1, 2, 2, 2}, win, IntRange{-128, 127}, output.data(), {1, 3, 3, 2});
  // channel 0: [1, 1.5->2, 2; 2, 2.75->3, 3.5->4; 3, 4, 5]; channel 1: the negatives with ties away from zero,
  // -2.75 -> -3 and -12/4 = -3.
  const std::vector<int8_t> expected{1,  -1, 2, -2, 2, -2, 2, -2, 3, -3, 4, -4, 3, -3, 4, -5, 5, -6};
  CHECK(output == expected);
}

TEST_CASE("AVERAGE_POOL_2D uint8 with a fused RELU6 bound", "[pool_q8]") {
  const std::vector<uint8_t> input{10, 20, 31, 40};
  Window win;
  win.filter_h = win.filter_w = 2;
  std::vector<uint8_t> output(1);
  averagePool2dQ8(input.data(), {1, 2, 2, 1}, win, IntRange{0, 255}, output.data(), {1, 1, 1, 1});
  CHECK(output[0] == 25);  // 101 / 4 = 25.25
  // s 0.25, zp 0: RELU6 caps at 24.
  averagePool2dQ8(input.data(), {1, 2, 2, 1}, win, activationRange<uint8_t>(FuseCode::kRelu6, {0.25f, 0}),
                  output.data(), {1, 1, 1, 1});
  CHECK(output[0] == 24);
}

TEST_CASE("MAX_POOL_2D ignores padding taps and applies the activation clamp", "[pool_q8]") {
  const std::vector<int8_t> input{-100, -50, -70, -90};  // all negative: padding must not contribute a 0
  Window win;
  win.filter_h = win.filter_w = 3;
  win.pad_left = win.pad_right = win.pad_top = win.pad_bottom = 1;
  win.stride_h = win.stride_w = 2;
  std::vector<int8_t> output(1);
  maxPool2dQ8(input.data(), {1, 2, 2, 1}, win, IntRange{-128, 127}, output.data(), {1, 1, 1, 1});
  CHECK(output[0] == -50);
  maxPool2dQ8(input.data(), {1, 2, 2, 1}, win, IntRange{-60, 127}, output.data(), {1, 1, 1, 1});
  CHECK(output[0] == -50);
  maxPool2dQ8(input.data(), {1, 2, 2, 1}, win, IntRange{-40, 127}, output.data(), {1, 1, 1, 1});
  CHECK(output[0] == -40);
}

TEMPLATE_TEST_CASE("pools on a random image match a direct evaluation", "[pool_q8]", uint8_t, int8_t) {
  using T = TestType;
  const Shape4 in{2, 9, 8, 5};
  Window win;
  win.filter_h = 3;
  win.filter_w = 2;
  win.stride_h = 2;
  win.stride_w = 1;
  win.pad_top = 1;
  win.pad_bottom = 1;
  win.pad_left = 1;
  const Shape4 out{2, (9 + 2 - 3) / 2 + 1, (8 + 1 - 2) / 1 + 1, 5};
  const auto input = randomValues<T>(in.elements());
  std::vector<T> average(out.elements()), maximum(out.elements());
  averagePool2dQ8(input.data(), in, win, typeRange<T>(), average.data(), out);
  maxPool2dQ8(input.data(), in, win, typeRange<T>(), maximum.data(), out);
  for (uint32_t n = 0; n < out.n; ++n)
    for (uint32_t oy = 0; oy < out.h; ++oy)
      for (uint32_t ox = 0; ox < out.w; ++ox)
        for (uint32_t c = 0; c < out.c; ++c) {
          int32_t sum = 0, count = 0, best = -1000;
          for (int32_t y = int32_t(oy * 2) - 1; y < int32_t(oy * 2) - 1 + 3; ++y)
            for (int32_t x = int32_t(ox) - 1; x < int32_t(ox) - 1 + 2; ++x) {
              if (y < 0 || x < 0 || y >= int32_t(in.h) || x >= int32_t(in.w)) continue;
              const int32_t v = input[((n * in.h + y) * in.w + x) * in.c + c];
              sum += v;
              ++count;
              best = std::max(best, v);
            }
          const std::size_t o = ((n * out.h + oy) * out.w + ox) * out.c + c;
          // The exactly rounded mean, ties away from zero.
          const int32_t mean = int32_t(std::round(double(sum) / count));
          REQUIRE(int32_t(average[o]) == mean);
          REQUIRE(int32_t(maximum[o]) == best);
        }
}
