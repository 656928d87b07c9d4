// conv2dF32 (CONV_2D and GROUPED_CONV_2D): hand-computed cases, then random cases against the reference loop.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "kernels/compute_f32.h"
#include "reference_f32.h"

using namespace nnapi_host::kernels;
using namespace nnapi_host::kernels::test;

namespace {

Window makeWindow(uint32_t kh, uint32_t kw, uint32_t stride, uint32_t padTop, uint32_t padBottom, uint32_t padLeft,
                  uint32_t padRight, uint32_t dilation = 1) {
  Window win;
  win.filter_h = kh;
  win.filter_w = kw;
  win.stride_h = win.stride_w = stride;
  win.pad_top = padTop;
  win.pad_bottom = padBottom;
  win.pad_left = padLeft;
  win.pad_right = padRight;
  win.dilation_h = win.dilation_w = dilation;
  return win;
}

}  // namespace

TEST_CASE("conv2dF32 sums a 2x2 window of a 3x3 ramp", "[conv2dF32]") {
  // Input 1..9 in a 3x3 map, filter of ones, VALID: each output is the sum of one 2x2 block.
  const std::vector<float> input{1, 2, 3, 4, 5, 6, 7, 8, 9};
  const std::vector<float> filter{1, 1, 1, 1};
  const Window win = makeWindow(2, 2, 1, 0, 0, 0, 0);
  std::vector<float> output(4, -1.0f);
  conv2dF32(input.data(), {1, 3, 3, 1}, filter.data(), nullptr, 1, win, {}, output.data(), {1, 2, 2, 1});
  CHECK(output == std::vector<float>{12, 16, 24, 28});
}

TEST_CASE("conv2dF32 applies bias and zero padding with stride 2", "[conv2dF32]") {
  // Same ramp, 3x3 filter of ones, pad 1 all round, stride 2: outputs centred on (0,0), (0,2), (2,0), (2,2).
  // (0,0) sees {1,2,4,5} = 12; (0,2) sees {2,3,5,6} = 16; (2,0) {4,5,7,8} = 24; (2,2) {5,6,8,9} = 28; bias 0.5.
  const std::vector<float> input{1, 2, 3, 4, 5, 6, 7, 8, 9};
  const std::vector<float> filter(9, 1.0f);
  const std::vector<float> bias{0.5f};
  const Window win = makeWindow(3, 3, 2, 1, 1, 1, 1);
  std::vector<float> output(4);
  conv2dF32(input.data(), {1, 3, 3, 1}, filter.data(), bias.data(), 1, win, {}, output.data(), {1, 2, 2, 1});
  CHECK(output == std::vector<float>{12.5f, 16.5f, 24.5f, 28.5f});
}

TEST_CASE("conv2dF32 keeps groups apart and clamps with the fused activation", "[conv2dF32]") {
  // 1x1 map, 4 input channels [1,2,3,4], 2 groups, 2 outputs per group; filter rows are [Cin/G] = 2 wide.
  // Group 0 (inputs 1,2): o0 = 1·1+2·1 = 3, o1 = 1·1−2·1 = −1. Group 1 (inputs 3,4): o2 = 3+4 = 7, o3 = 3·2 = 6.
  // RELU6 clamps to [0, 6].
  const std::vector<float> input{1, 2, 3, 4};
  const std::vector<float> filter{1, 1, 1, -1, 1, 1, 2, 0};
  const Window win = makeWindow(1, 1, 1, 0, 0, 0, 0);
  std::vector<float> output(4);
  conv2dF32(input.data(), {1, 1, 1, 4}, filter.data(), nullptr, 2, win, {0.0f, 6.0f}, output.data(), {1, 1, 1, 4});
  CHECK(output == std::vector<float>{3, 0, 6, 6});
}

TEST_CASE("conv2dF32 matches the reference loop on random data", "[conv2dF32]") {
  struct Case {
    std::string name;
    Shape4 in;
    uint32_t outChannels, groups;
    Window win;
    FloatRange act;
  };
  const std::vector<Case> cases{
      {"3x3 stride 1 pad 1", {2, 9, 7, 5}, 6, 1, makeWindow(3, 3, 1, 1, 1, 1, 1), {}},
      {"3x3 stride 2, padding only on bottom/right", {1, 10, 11, 3}, 8, 1, makeWindow(3, 3, 2, 0, 1, 0, 1), {}},
      {"asymmetric padding on every side", {1, 8, 9, 4}, 5, 1, makeWindow(3, 2, 1, 2, 0, 1, 1), {}},
      {"5x5 dilation 2", {1, 12, 12, 3}, 4, 1, makeWindow(5, 5, 1, 4, 4, 4, 4, 2), {}},
      {"dilation 3 stride 2", {2, 15, 13, 2}, 3, 1, makeWindow(3, 3, 2, 1, 2, 3, 0, 3), {}},
      {"1x1 direct path", {2, 6, 7, 16}, 24, 1, makeWindow(1, 1, 1, 0, 0, 0, 0), {}},
      {"1x1 stride 2 (im2col path)", {1, 9, 9, 8}, 12, 1, makeWindow(1, 1, 2, 0, 0, 0, 0), {}},
      {"groups 4, 3x3", {1, 8, 8, 12}, 8, 4, makeWindow(3, 3, 1, 1, 1, 1, 1), {}},
      {"groups 2, 1x1 direct", {1, 5, 5, 6}, 10, 2, makeWindow(1, 1, 1, 0, 0, 0, 0), {}},
      {"groups = channels", {1, 7, 7, 6}, 6, 6, makeWindow(3, 3, 2, 1, 1, 1, 1), {}},
      {"fused clamp [-0.5, 0.5]", {1, 6, 6, 8}, 7, 1, makeWindow(3, 3, 1, 1, 1, 1, 1), {-0.5f, 0.5f}},
      // Many output rows: several row tiles (patch tiles hold at most 4096 rows).
      {"many row tiles", {2, 64, 48, 3}, 16, 1, makeWindow(3, 3, 1, 1, 1, 1, 1), {}},
      // Few output rows and many channels: the work is split over output-channel blocks.
      {"few rows, channel blocks", {1, 3, 3, 64}, 96, 1, makeWindow(3, 3, 1, 1, 1, 1, 1), {}},
  };
  uint32_t seed = 1;
  for (const Case& c : cases) {
    INFO(c.name);
    const Shape4 out = convOutputShape(c.in, c.win, c.outChannels);
    const uint32_t depth = c.win.filter_h * c.win.filter_w * (c.in.c / c.groups);
    const auto input = randomValues(c.in.elements(), seed++);
    const auto filter = randomValues(std::size_t(c.outChannels) * depth, seed++);
    const auto bias = randomValues(c.outChannels, seed++);
    std::vector<float> output(out.elements(), NAN);
    conv2dF32(input.data(), c.in, filter.data(), bias.data(), c.groups, c.win, c.act, output.data(), out);
    const auto expected = referenceConv(input, c.in, filter, bias, c.groups, c.win, c.act, out);
    CHECK(maxAbsDifference(output, expected) <= sumTolerance(depth + 1));  // +1: the bias term
  }
}

TEST_CASE("conv2dF32 without bias adds nothing", "[conv2dF32]") {
  const Shape4 in{1, 5, 5, 4};
  const Window win = makeWindow(3, 3, 1, 1, 1, 1, 1);
  const Shape4 out = convOutputShape(in, win, 3);
  const auto input = randomValues(in.elements(), 101);
  const auto filter = randomValues(3 * 9 * 4, 102);
  std::vector<float> output(out.elements(), NAN);
  conv2dF32(input.data(), in, filter.data(), nullptr, 1, win, {}, output.data(), out);
  CHECK(maxAbsDifference(output, referenceConv(input, in, filter, {}, 1, win, {}, out)) <= sumTolerance(36));
}

TEST_CASE("spatial kernels accept an empty batch", "[conv2dF32]") {
  // NNAPI allows N = 0 from feature level 3; nothing may be read or written, so null buffers must do.
  const Shape4 in{0, 4, 4, 2}, out{0, 4, 4, 2};
  const Window win = makeWindow(3, 3, 1, 1, 1, 1, 1);
  conv2dF32(nullptr, in, nullptr, nullptr, 1, win, {}, nullptr, out);
  depthwiseConv2dF32(nullptr, in, nullptr, nullptr, 1, win, {}, nullptr, out);
  transposeConv2dF32(nullptr, in, nullptr, nullptr, win, {}, nullptr, out);
  averagePool2dF32(nullptr, in, win, {}, nullptr, out);
  maxPool2dF32(nullptr, in, win, {}, nullptr, out);
  l2Pool2dF32(nullptr, in, win, {}, nullptr, out);
  fullyConnectedF32(nullptr, 0, 8, nullptr, nullptr, 3, {}, nullptr);
  SUCCEED("no kernel touched a buffer");
}
