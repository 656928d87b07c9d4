// Convolutions, pools and FULLY_CONNECTED on tiny inputs, computed by hand.
#include <catch2/catch.hpp>

#include "model_builder.h"

using host_test::Dims;
using host_test::ModelBuilder;
using host_test::requireClose;

namespace {

std::vector<float> runSingle(ModelBuilder& m, uint32_t in, uint32_t out, const std::vector<float>& x, size_t n) {
  REQUIRE(m.io({in}, {out}) == ANEURALNETWORKS_NO_ERROR);
  REQUIRE(m.finish() == ANEURALNETWORKS_NO_ERROR);
  std::vector<std::vector<float>> outputs;
  REQUIRE(host_test::runF32(m.model(), {x}, {n}, &outputs) == ANEURALNETWORKS_NO_ERROR);
  return outputs[0];
}

// Input 3x3 with two channels: channel 0 holds 1..9, channel 1 its negation.
// Filter out0: 1 on every tap of channel 0 (a 3x3 box sum); out1: -2 on the centre tap of channel 1 (so 2x).
// Bias (0.5, -1).
std::vector<float> convInput(bool nchw) {
  std::vector<float> x(18);
  for (int i = 0; i < 9; ++i) {
    const float v = float(i + 1);
    if (nchw) {
      x[i] = v;
      x[9 + i] = -v;
    } else {
      x[2 * i] = v;
      x[2 * i + 1] = -v;
    }
  }
  return x;
}

std::vector<float> convFilter() {
  std::vector<float> f(2 * 3 * 3 * 2, 0.0f);  // [Cout=2, 3, 3, Cin=2]
  for (int tap = 0; tap < 9; ++tap) f[tap * 2 + 0] = 1.0f;
  f[18 + 4 * 2 + 1] = -2.0f;
  return f;
}

}  // namespace

TEST_CASE("CONV_2D 3x3 with implicit SAME padding in NHWC and NCHW") {
  // Box sums of 1..9 with SAME padding: 12 21 16 / 27 45 33 / 24 39 28; channel 1: 2x - 1.
  const std::vector<float> box{12, 21, 16, 27, 45, 33, 24, 39, 28};
  for (const bool nchw : {false, true}) {
    ModelBuilder m;
    const Dims inDims = nchw ? Dims{1, 2, 3, 3} : Dims{1, 3, 3, 2};
    const uint32_t in = m.f32(inDims), out = m.f32(inDims);
    const uint32_t filter = m.constF32({2, 3, 3, 2}, convFilter()), bias = m.constF32({2}, {0.5f, -1});
    REQUIRE(m.op(ANEURALNETWORKS_CONV_2D,
                 {in, filter, bias, m.i32(ANEURALNETWORKS_PADDING_SAME), m.i32(1), m.i32(1), m.i32(0), m.boolean(nchw)},
                 {out}) == ANEURALNETWORKS_NO_ERROR);
    std::vector<float> expected(18);
    for (int i = 0; i < 9; ++i) {
      const float c0 = box[i] + 0.5f, c1 = 2.0f * float(i + 1) - 1.0f;
      if (nchw) {
        expected[i] = c0;
        expected[9 + i] = c1;
      } else {
        expected[2 * i] = c0;
        expected[2 * i + 1] = c1;
      }
    }
    INFO("NCHW " << nchw);
    requireClose(runSingle(m, in, out, convInput(nchw), 18), expected);
  }
}

TEST_CASE("CONV_2D explicit padding 1 with stride 2 and fused RELU") {
  ModelBuilder m;
  const uint32_t in = m.f32({1, 3, 3, 2}), out = m.f32({1, 2, 2, 2});
  const uint32_t filter = m.constF32({2, 3, 3, 2}, convFilter()), bias = m.constF32({2}, {0.5f, -4});
  REQUIRE(m.op(ANEURALNETWORKS_CONV_2D,
               {in, filter, bias, m.i32(1), m.i32(1), m.i32(1), m.i32(1), m.i32(2), m.i32(2),
                m.i32(ANEURALNETWORKS_FUSED_RELU)},
               {out}) == ANEURALNETWORKS_NO_ERROR);
  // Output pixels sit on input (0,0), (0,2), (2,0), (2,2): box sums 12, 16, 24, 28; channel 1: 2x - 4 clamped.
  requireClose(runSingle(m, in, out, convInput(false), 8), {12.5f, 0, 16.5f, 2, 24.5f, 10, 28.5f, 14});
}

TEST_CASE("DEPTHWISE_CONV_2D with VALID padding and multiplier 1") {
  ModelBuilder m;
  const uint32_t in = m.f32({1, 2, 2, 2}), out = m.f32({1, 1, 1, 2});
  // Channel 0 taps (1,0,0,1), channel 1 taps all 0.1; filter [1, KH, KW, C] interleaves channels.
  const uint32_t filter = m.constF32({1, 2, 2, 2}, {1, 0.1f, 0, 0.1f, 0, 0.1f, 1, 0.1f});
  const uint32_t bias = m.constF32({2}, {1, -1});
  REQUIRE(m.op(ANEURALNETWORKS_DEPTHWISE_CONV_2D,
               {in, filter, bias, m.i32(ANEURALNETWORKS_PADDING_VALID), m.i32(1), m.i32(1), m.i32(1), m.i32(0)},
               {out}) == ANEURALNETWORKS_NO_ERROR);
  // ch0: 1 + 4 + 1 = 6; ch1: 0.1 * (10+20+30+40) - 1 = 9
  requireClose(runSingle(m, in, out, {1, 10, 2, 20, 3, 30, 4, 40}, 2), {6, 9});
}

TEST_CASE("GROUPED_CONV_2D with two groups") {
  ModelBuilder m;
  const uint32_t in = m.f32({1, 1, 1, 4}), out = m.f32({1, 1, 1, 2});
  const uint32_t filter = m.constF32({2, 1, 1, 2}, {1, 1, 1, -1}), bias = m.constF32({2}, {0, 0});
  REQUIRE(m.op(ANEURALNETWORKS_GROUPED_CONV_2D,
               {in, filter, bias, m.i32(ANEURALNETWORKS_PADDING_VALID), m.i32(1), m.i32(1), m.i32(2), m.i32(0),
                m.boolean(false)},
               {out}) == ANEURALNETWORKS_NO_ERROR);
  // group 0: 1 + 2; group 1: 3 - 4
  requireClose(runSingle(m, in, out, {1, 2, 3, 4}, 2), {3, -1});
}

TEST_CASE("TRANSPOSE_CONV_2D stride 2 scatters each pixel to a 2x2 block") {
  ModelBuilder m;
  const uint32_t in = m.f32({1, 2, 2, 1}), out = m.f32({1, 4, 4, 1});
  const uint32_t filter = m.constF32({1, 2, 2, 1}, {1, 1, 1, 1}), bias = m.constF32({1}, {0});
  REQUIRE(m.op(ANEURALNETWORKS_TRANSPOSE_CONV_2D,
               {in, filter, bias, m.constI32Tensor({4}, {1, 4, 4, 1}), m.i32(ANEURALNETWORKS_PADDING_VALID), m.i32(2),
                m.i32(2), m.i32(0), m.boolean(false)},
               {out}) == ANEURALNETWORKS_NO_ERROR);
  requireClose(runSingle(m, in, out, {1, 2, 3, 4}, 16), {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4});
}

TEST_CASE("MAX_POOL_2D 2x2 stride 2 and AVERAGE_POOL_2D 3x3 SAME excluding padding") {
  {
    ModelBuilder m;
    const uint32_t in = m.f32({1, 4, 4, 1}), out = m.f32({1, 2, 2, 1});
    REQUIRE(m.op(ANEURALNETWORKS_MAX_POOL_2D,
                 {in, m.i32(ANEURALNETWORKS_PADDING_VALID), m.i32(2), m.i32(2), m.i32(2), m.i32(2), m.i32(0)},
                 {out}) == 0);
    std::vector<float> x(16);
    for (int i = 0; i < 16; ++i) x[i] = float(i);
    requireClose(runSingle(m, in, out, x, 4), {5, 7, 13, 15});
  }
  {
    ModelBuilder m;
    const uint32_t in = m.f32({1, 3, 3, 1}), out = m.f32({1, 3, 3, 1});
    REQUIRE(m.op(ANEURALNETWORKS_AVERAGE_POOL_2D,
                 {in, m.i32(ANEURALNETWORKS_PADDING_SAME), m.i32(1), m.i32(1), m.i32(3), m.i32(3), m.i32(0)},
                 {out}) == 0);
    // Box sums / number of taps inside the image (4 at corners, 6 on edges, 9 in the centre).
    requireClose(runSingle(m, in, out, {1, 2, 3, 4, 5, 6, 7, 8, 9}, 9), {3, 3.5f, 4, 4.5f, 5, 5.5f, 6, 6.5f, 7});
  }
}

TEST_CASE("FULLY_CONNECTED with bias and fused RELU") {
  ModelBuilder m;
  const uint32_t in = m.f32({2, 3}), out = m.f32({2, 2});
  const uint32_t weights = m.constF32({2, 3}, {1, 0, -1, 0.5f, 0.5f, 0.5f}), bias = m.constF32({2}, {0, 1});
  REQUIRE(m.op(ANEURALNETWORKS_FULLY_CONNECTED, {in, weights, bias, m.i32(ANEURALNETWORKS_FUSED_RELU)}, {out}) == 0);
  // row 0: (1-3, 3+1); row 1: (4-6, 7.5+1), negatives clamped
  requireClose(runSingle(m, in, out, {1, 2, 3, 4, 5, 6}, 4), {0, 4, 0, 8.5f});
}

TEST_CASE("CONV_2D with dilation 2 reads every other pixel") {
  ModelBuilder m;
  const uint32_t in = m.f32({1, 5, 5, 1}), out = m.f32({1, 1, 1, 1});
  const uint32_t filter = m.constF32({1, 3, 3, 1}, std::vector<float>(9, 1.0f)), bias = m.constF32({1}, {0});
  REQUIRE(m.op(ANEURALNETWORKS_CONV_2D,
               {in, filter, bias, m.i32(ANEURALNETWORKS_PADDING_VALID), m.i32(1), m.i32(1), m.i32(0), m.boolean(false),
                m.i32(2), m.i32(2)},
               {out}) == ANEURALNETWORKS_NO_ERROR);
  std::vector<float> x(25);
  for (int i = 0; i < 25; ++i) x[i] = float(i);
  // Taps at rows and columns {0, 2, 4}: sum of 5r + c = 3*5*6 + 3*6 = 108
  requireClose(runSingle(m, in, out, x, 1), {108});
}

TEST_CASE("an omitted required input is rejected at addOperation") {
  ModelBuilder m;
  const uint32_t a = m.f32({2}), b = m.f32({2}), out = m.f32({2});
  REQUIRE(ANeuralNetworksModel_setOperandValue(m.model(), int32_t(b), nullptr, 0) == ANEURALNETWORKS_NO_ERROR);
  CHECK(m.op(ANEURALNETWORKS_ADD, {a, b, m.i32(0)}, {out}) == ANEURALNETWORKS_BAD_DATA);
  // SQUEEZE's axes are optional: omitted means every size-1 axis.
  const uint32_t x = m.f32({1, 2}), axes = m.tensor(ANEURALNETWORKS_TENSOR_INT32, {1}), y = m.f32({2});
  REQUIRE(ANeuralNetworksModel_setOperandValue(m.model(), int32_t(axes), nullptr, 0) == ANEURALNETWORKS_NO_ERROR);
  CHECK(m.op(ANEURALNETWORKS_SQUEEZE, {x, axes}, {y}) == ANEURALNETWORKS_NO_ERROR);
}
