// transposeConv2dF32: a hand-computed case, then random cases against NNAPI's scatter definition.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "kernels/compute_f32.h"
#include "reference_f32.h"

using namespace nnapi_host::kernels;
using namespace nnapi_host::kernels::test;

namespace {

// Output extent of TRANSPOSE_CONV_2D (§10): in·s + k − s − head − tail; tail may be negative.
uint32_t transposeExtent(uint32_t in, uint32_t k, uint32_t s, uint32_t head, int tail) {
  return uint32_t(int(in * s + k - s - head) - tail);
}

}  // namespace

TEST_CASE("transposeConv2dF32 with stride 2 tiles scaled copies of the filter", "[transposeConv2dF32]") {
  // Input [1 2; 3 4], filter [1 2; 3 4], 2x2 kernel, stride 2, no padding: output 4x4 where block (i, j) is
  // input[i][j] · filter; bias 1.
  const std::vector<float> input{1, 2, 3, 4};
  const std::vector<float> filter{1, 2, 3, 4};
  const std::vector<float> bias{1};
  Window win;
  win.filter_h = win.filter_w = 2;
  win.stride_h = win.stride_w = 2;
  std::vector<float> output(16);
  transposeConv2dF32(input.data(), {1, 2, 2, 1}, filter.data(), bias.data(), win, {}, output.data(), {1, 4, 4, 1});
  const std::vector<float> expected{2,  3,  3,  5,   //
                                    4,  5,  7,  9,   //
                                    4,  7,  5,  9,   //
                                    10, 13, 13, 17};
  CHECK(output == expected);
}

TEST_CASE("transposeConv2dF32 matches the scatter reference on random data", "[transposeConv2dF32]") {
  struct Case {
    std::string name;
    Shape4 in;
    uint32_t outChannels, kernel, stride, padTop, padLeft;
    int padBottom, padRight;  // negative: the output is extended instead of cropped
    FloatRange act;
  };
  const std::vector<Case> cases{
      {"3x3 stride 2 pad 1/0 (SAME-like)", {2, 5, 6, 4}, 3, 3, 2, 1, 1, 0, 0, {}},
      {"4x4 stride 2 pad 1", {1, 4, 4, 6}, 5, 4, 2, 1, 1, 1, 1, {}},
      {"stride 1 (plain full correlation)", {1, 5, 4, 3}, 2, 3, 1, 0, 0, 0, 0, {}},
      {"stride 3, kernel smaller than stride", {1, 3, 4, 2}, 3, 2, 3, 0, 0, 0, 0, {}},
      // Padding not a multiple of the stride: the first output pixel a tap reaches is not pixel 0 or 1.
      {"stride 3, kernel 5, padding 2", {1, 4, 5, 3}, 2, 5, 3, 2, 2, 1, 1, {}},
      {"negative bottom/right padding", {1, 4, 5, 3}, 4, 3, 2, 0, 0, -1, -1, {}},
      {"asymmetric padding, clamp", {2, 3, 3, 8}, 4, 3, 2, 2, 0, 0, 2, {-0.2f, 0.2f}},
  };
  uint32_t seed = 300;
  for (const Case& c : cases) {
    INFO(c.name);
    Window win;
    win.filter_h = win.filter_w = c.kernel;
    win.stride_h = win.stride_w = c.stride;
    win.pad_top = c.padTop;
    win.pad_left = c.padLeft;
    // Negative tails are represented by the output shape only (the kernel reads only pad_left/pad_top).
    win.pad_bottom = uint32_t(std::max(c.padBottom, 0));
    win.pad_right = uint32_t(std::max(c.padRight, 0));
    const Shape4 out{c.in.n, transposeExtent(c.in.h, c.kernel, c.stride, c.padTop, c.padBottom),
                     transposeExtent(c.in.w, c.kernel, c.stride, c.padLeft, c.padRight), c.outChannels};
    const auto input = randomValues(c.in.elements(), seed++);
    const auto filter = randomValues(std::size_t(c.outChannels) * c.kernel * c.kernel * c.in.c, seed++);
    const auto bias = randomValues(c.outChannels, seed++);
    std::vector<float> output(out.elements(), NAN);
    transposeConv2dF32(input.data(), c.in, filter.data(), bias.data(), win, c.act, output.data(), out);
    const auto expected = referenceTransposeConv(input, c.in, filter, bias, win, c.act, out);
    // At most ceil(k/s)² input pixels reach one output, each contributing Cin products.
    const uint32_t taps = ((c.kernel + c.stride - 1) / c.stride) * ((c.kernel + c.stride - 1) / c.stride);
    CHECK(maxAbsDifference(output, expected) <= sumTolerance(taps * c.in.c + 1));
  }
}
