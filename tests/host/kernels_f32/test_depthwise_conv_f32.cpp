// depthwiseConv2dF32: hand-computed cases, then random cases against the reference loop.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "kernels/compute_f32.h"
#include "reference_f32.h"

using namespace nnapi_host::kernels;
using namespace nnapi_host::kernels::test;

TEST_CASE("depthwiseConv2dF32 with multiplier 2 sends input channel k to outputs 2k and 2k+1", "[depthwiseConv2dF32]") {
  // 1x1 map, inputs [2, 3], 1x1 filter [Cout = 4] = [1, 10, 100, 1000], bias [0, 0, 0, 1]:
  // outputs 2·1, 2·10, 3·100, 3·1000 + 1.
  const std::vector<float> input{2, 3};
  const std::vector<float> filter{1, 10, 100, 1000};
  const std::vector<float> bias{0, 0, 0, 1};
  Window win;
  std::vector<float> output(4);
  depthwiseConv2dF32(input.data(), {1, 1, 1, 2}, filter.data(), bias.data(), 2, win, {}, output.data(),
                     {1, 1, 1, 4});
  CHECK(output == std::vector<float>{2, 20, 300, 3001});
}

TEST_CASE("depthwiseConv2dF32 skips padding taps", "[depthwiseConv2dF32]") {
  // 2x2 map of one channel [1 2; 3 4], 3x3 filter of ones, pad 1, stride 1: every 3x3 window covers the whole
  // input, so all four outputs are 1+2+3+4 = 10 (padding contributes nothing). RELU1 would clamp; use none.
  const std::vector<float> input{1, 2, 3, 4};
  const std::vector<float> filter(9, 1.0f);
  Window win;
  win.filter_h = win.filter_w = 3;
  win.pad_left = win.pad_right = win.pad_top = win.pad_bottom = 1;
  std::vector<float> output(4);
  depthwiseConv2dF32(input.data(), {1, 2, 2, 1}, filter.data(), nullptr, 1, win, {}, output.data(), {1, 2, 2, 1});
  CHECK(output == std::vector<float>{10, 10, 10, 10});
}

TEST_CASE("depthwiseConv2dF32 matches the reference loop on random data", "[depthwiseConv2dF32]") {
  struct Case {
    std::string name;
    Shape4 in;
    uint32_t multiplier;
    Window win;
    FloatRange act;
  };
  auto window = [](uint32_t k, uint32_t stride, uint32_t top, uint32_t bottom, uint32_t left, uint32_t right,
                   uint32_t dilation) {
    Window w;
    w.filter_h = w.filter_w = k;
    w.stride_h = w.stride_w = stride;
    w.pad_top = top;
    w.pad_bottom = bottom;
    w.pad_left = left;
    w.pad_right = right;
    w.dilation_h = w.dilation_w = dilation;
    return w;
  };
  const std::vector<Case> cases{
      {"3x3 stride 1 pad 1", {2, 9, 8, 16}, 1, window(3, 1, 1, 1, 1, 1, 1), {}},
      {"3x3 stride 2 pad bottom/right", {1, 12, 11, 24}, 1, window(3, 2, 0, 1, 0, 1, 1), {}},
      {"multiplier 3", {1, 7, 6, 5}, 3, window(3, 1, 1, 1, 1, 1, 1), {}},
      {"multiplier 2, stride 2, asymmetric pads", {2, 9, 10, 3}, 2, window(3, 2, 2, 0, 1, 2, 1), {}},
      {"5x5 dilation 2", {1, 13, 12, 7}, 1, window(5, 1, 4, 4, 4, 4, 2), {}},
      {"RELU6 clamp", {1, 8, 8, 32}, 1, window(3, 1, 1, 1, 1, 1, 1), {0.0f, 0.3f}},
      // 16-channel blocks with 4-pixel groups inside and single pixels at the borders, plus a channel tail.
      {"wide row, 40 channels, stride 2", {1, 6, 23, 40}, 1, window(3, 2, 1, 1, 1, 1, 1), {}},
      {"dilation 2, 32 channels", {1, 11, 14, 32}, 1, window(3, 1, 2, 2, 2, 2, 2), {}},
      {"5x5 pad 2, 48 channels, batch 2", {2, 9, 17, 48}, 1, window(5, 1, 2, 2, 2, 2, 1), {}},
      {"input narrower than the window", {1, 5, 2, 16}, 1, window(3, 1, 1, 1, 1, 1, 1), {}},
  };
  uint32_t seed = 200;
  for (const Case& c : cases) {
    INFO(c.name);
    const uint32_t outChannels = c.in.c * c.multiplier;
    const Shape4 out = convOutputShape(c.in, c.win, outChannels);
    const auto input = randomValues(c.in.elements(), seed++);
    const auto filter = randomValues(std::size_t(c.win.filter_h) * c.win.filter_w * outChannels, seed++);
    const auto bias = randomValues(outChannels, seed++);
    std::vector<float> output(out.elements(), NAN);
    depthwiseConv2dF32(input.data(), c.in, filter.data(), bias.data(), c.multiplier, c.win, c.act, output.data(),
                       out);
    const auto expected = referenceDepthwise(input, c.in, filter, bias, c.multiplier, c.win, c.act, out);
    CHECK(maxAbsDifference(output, expected) <= sumTolerance(c.win.filter_h * c.win.filter_w + 1));
  }
}
