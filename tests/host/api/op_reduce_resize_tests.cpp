// MEAN, RESIZE_BILINEAR, RESIZE_NEAREST_NEIGHBOR, QUANTIZE/DEQUANTIZE, computed by hand.
#include <catch2/catch.hpp>

#include "model_builder.h"

using host_test::ModelBuilder;
using host_test::requireClose;

namespace {

std::vector<float> run(ModelBuilder& m, uint32_t in, uint32_t out, const std::vector<float>& x, size_t n) {
  REQUIRE(m.io({in}, {out}) == ANEURALNETWORKS_NO_ERROR);
  REQUIRE(m.finish() == ANEURALNETWORKS_NO_ERROR);
  std::vector<std::vector<float>> outputs;
  REQUIRE(host_test::runF32(m.model(), {x}, {n}, &outputs) == ANEURALNETWORKS_NO_ERROR);
  return outputs[0];
}

}  // namespace

TEST_CASE("MEAN over the last axis and over the first with keep_dims") {
  {
    ModelBuilder m;
    const uint32_t in = m.f32({2, 3}), out = m.f32({2});
    REQUIRE(m.op(ANEURALNETWORKS_MEAN, {in, m.constI32Tensor({1}, {-1}), m.i32(0)}, {out}) == 0);
    requireClose(run(m, in, out, {1, 2, 3, 4, 5, 6}, 2), {2, 5});
  }
  {
    ModelBuilder m;
    const uint32_t in = m.f32({2, 3}), out = m.f32({1, 3});
    REQUIRE(m.op(ANEURALNETWORKS_MEAN, {in, m.constI32Tensor({2}, {0, 0}), m.i32(1)}, {out}) == 0);
    requireClose(run(m, in, out, {1, 2, 3, 4, 5, 6}, 3), {2.5f, 3.5f, 4.5f});
  }
}

TEST_CASE("RESIZE_BILINEAR 2x2 -> 3x3 interpolates the plane 2y + x") {
  ModelBuilder m;
  const uint32_t in = m.f32({1, 2, 2, 1}), out = m.f32({1, 3, 3, 1});
  REQUIRE(m.op(ANEURALNETWORKS_RESIZE_BILINEAR, {in, m.i32(3), m.i32(3)}, {out}) == 0);
  // Source coordinate o * 2/3, clamped to the last row/column.
  const float t = 2.0f / 3.0f;
  requireClose(run(m, in, out, {0, 1, 2, 3}, 9), {0, t, 1, 2 * t, 3 * t, 2 * t + 1, 2, 2 + t, 3});
}

TEST_CASE("RESIZE_NEAREST_NEIGHBOR 2x2 -> 4x4 in both layouts") {
  for (const bool nchw : {false, true}) {
    ModelBuilder m;  // one channel: both layouts hold the same bytes
    const uint32_t in = m.f32(nchw ? host_test::Dims{1, 1, 2, 2} : host_test::Dims{1, 2, 2, 1});
    const uint32_t out = m.f32(nchw ? host_test::Dims{1, 1, 4, 4} : host_test::Dims{1, 4, 4, 1});
    REQUIRE(m.op(ANEURALNETWORKS_RESIZE_NEAREST_NEIGHBOR, {in, m.i32(4), m.i32(4), m.boolean(nchw)}, {out}) == 0);
    requireClose(run(m, in, out, {0, 1, 2, 3}, 16), {0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 3, 3, 2, 2, 3, 3});
  }
}

TEST_CASE("QUANTIZE rounds half away from zero and clamps and DEQUANTIZE maps back") {
  ModelBuilder m;
  const uint32_t in = m.f32({6});
  const uint32_t q = m.tensor(ANEURALNETWORKS_TENSOR_QUANT8_ASYMM, {6}, 0.5f, 10), out = m.f32({6});
  REQUIRE(m.op(ANEURALNETWORKS_QUANTIZE, {in}, {q}) == 0);
  REQUIRE(m.op(ANEURALNETWORKS_DEQUANTIZE, {q}, {out}) == 0);
  // q = 10 + round(x / 0.5): -1 -> 8, 0 -> 10, 0.25 -> 11, -0.25 -> 9, 100 -> 210, -20 -> 0 (clamped)
  requireClose(run(m, in, out, {-1, 0, 0.25f, -0.25f, 100, -20}, 6), {-1, 0, 0.5f, -0.5f, 100, -5});
}
