// averagePool2dF32, maxPool2dF32, l2Pool2dF32: hand-computed padding behaviour, then random cases.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "kernels/compute_f32.h"
#include "reference_f32.h"

using namespace nnapi_host::kernels;
using namespace nnapi_host::kernels::test;

namespace {

// 3x3 window, stride 2, padding 1 on every side, over the 3x3 ramp 1..9 (one channel): the four windows are the
// 2x2 corners {1,2,4,5}, {2,3,5,6}, {4,5,7,8}, {5,6,8,9} once the padding taps are dropped.
const std::vector<float> kRamp{1, 2, 3, 4, 5, 6, 7, 8, 9};
const Shape4 kRampShape{1, 3, 3, 1};
const Shape4 kCornerShape{1, 2, 2, 1};

Window paddedWindow3x3Stride2() {
  Window win;
  win.filter_h = win.filter_w = 3;
  win.stride_h = win.stride_w = 2;
  win.pad_left = win.pad_right = win.pad_top = win.pad_bottom = 1;
  return win;
}

}  // namespace

TEST_CASE("averagePool2dF32 divides by the taps inside the input", "[pool2dF32]") {
  std::vector<float> output(4);
  averagePool2dF32(kRamp.data(), kRampShape, paddedWindow3x3Stride2(), {}, output.data(), kCornerShape);
  // 12/4, 16/4, 24/4, 28/4 — dividing by 9 would give 1.33…
  CHECK(output == std::vector<float>{3, 4, 6, 7});
}

TEST_CASE("maxPool2dF32 ignores padding even when every input is negative", "[pool2dF32]") {
  std::vector<float> negative(kRamp.size());
  for (std::size_t i = 0; i < kRamp.size(); ++i) negative[i] = -kRamp[i];
  std::vector<float> output(4);
  maxPool2dF32(negative.data(), kRampShape, paddedWindow3x3Stride2(), {}, output.data(), kCornerShape);
  // Zero-padding would make every maximum 0.
  CHECK(output == std::vector<float>{-1, -2, -4, -5});
}

TEST_CASE("l2Pool2dF32 is the root mean square over valid taps", "[pool2dF32]") {
  std::vector<float> output(4);
  l2Pool2dF32(kRamp.data(), kRampShape, paddedWindow3x3Stride2(), {}, output.data(), kCornerShape);
  // (1+4+16+25)/4 = 11.5, (4+9+25+36)/4 = 18.5, (16+25+49+64)/4 = 38.5, (25+36+64+81)/4 = 51.5.
  CHECK(output[0] == Approx(std::sqrt(11.5f)));
  CHECK(output[1] == Approx(std::sqrt(18.5f)));
  CHECK(output[2] == Approx(std::sqrt(38.5f)));
  CHECK(output[3] == Approx(std::sqrt(51.5f)));
}

TEST_CASE("pools apply the fused activation", "[pool2dF32]") {
  std::vector<float> output(4);
  averagePool2dF32(kRamp.data(), kRampShape, paddedWindow3x3Stride2(), {0.0f, 6.0f}, output.data(), kCornerShape);
  CHECK(output == std::vector<float>{3, 4, 6, 6});
}

TEST_CASE("pools match the reference loop on random data", "[pool2dF32]") {
  struct Case {
    std::string name;
    Shape4 in;
    uint32_t kh, kw, stride, top, bottom, left, right;
    FloatRange act;
  };
  const std::vector<Case> cases{
      {"2x2 stride 2 VALID", {2, 8, 10, 5}, 2, 2, 2, 0, 0, 0, 0, {}},
      {"3x3 stride 2 pad 1 (ResNet stem)", {1, 13, 11, 16}, 3, 3, 2, 1, 1, 1, 1, {}},
      {"3x2 stride 1 asymmetric pads", {1, 7, 6, 3}, 3, 2, 1, 2, 0, 0, 1, {}},
      {"global 7x7", {2, 7, 7, 40}, 7, 7, 1, 0, 0, 0, 0, {}},
      {"clamped", {1, 9, 9, 8}, 3, 3, 1, 1, 1, 1, 1, {-0.1f, 0.1f}},
  };
  struct Kind {
    PoolKind kind;
    const char* name;
    void (*kernel)(const float*, Shape4, const Window&, FloatRange, float*, Shape4);
  };
  const std::vector<Kind> kinds{{PoolKind::kAverage, "average", averagePool2dF32},
                                {PoolKind::kMax, "max", maxPool2dF32},
                                {PoolKind::kL2, "l2", l2Pool2dF32}};
  uint32_t seed = 400;
  for (const Case& c : cases) {
    Window win;
    win.filter_h = c.kh;
    win.filter_w = c.kw;
    win.stride_h = win.stride_w = c.stride;
    win.pad_top = c.top;
    win.pad_bottom = c.bottom;
    win.pad_left = c.left;
    win.pad_right = c.right;
    const Shape4 out = convOutputShape(c.in, win, c.in.c);
    const auto input = randomValues(c.in.elements(), seed++);
    for (const Kind& k : kinds) {
      INFO(c.name << ", " << k.name << " pool");
      std::vector<float> output(out.elements(), NAN);
      k.kernel(input.data(), c.in, win, c.act, output.data(), out);
      const auto expected = referencePool(k.kind, input, c.in, win, c.act, out);
      CHECK(maxAbsDifference(output, expected) <= sumTolerance(c.kh * c.kw));
    }
  }
}
