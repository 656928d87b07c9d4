// MEAN, REDUCE_SUM/MAX/MIN, RESIZE_BILINEAR, RESIZE_NEAREST_NEIGHBOR, QUANTIZE/DEQUANTIZE, computed by hand.
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

TEST_CASE("REDUCE_SUM, REDUCE_MAX, REDUCE_MIN over axes, keep_dims a bool") {
  // [[[1, -2], [3, 4]], [[-5, 6], [7, -8]]]: shape [2, 2, 2]
  const std::vector<float> x{1, -2, 3, 4, -5, 6, 7, -8};
  struct Case {
    int32_t op;
    std::vector<int32_t> axes;
    bool keep;
    host_test::Dims outDims;
    std::vector<float> expected;
  };
  const Case cases[] = {
      {ANEURALNETWORKS_REDUCE_SUM, {2}, false, {2, 2}, {-1, 7, 1, -1}},
      {ANEURALNETWORKS_REDUCE_SUM, {0, -1}, true, {1, 2, 1}, {0, 6}},      // (1-2-5+6), (3+4+7-8)
      {ANEURALNETWORKS_REDUCE_MAX, {0, 1}, false, {2}, {7, 6}},
      {ANEURALNETWORKS_REDUCE_MIN, {1, 1}, true, {2, 1, 2}, {1, -2, -5, -8}},  // duplicates allowed
      {ANEURALNETWORKS_REDUCE_MAX, {0, 1, 2}, false, {1}, {7}},
  };
  for (const Case& c : cases) {
    ModelBuilder m;
    const uint32_t in = m.f32({2, 2, 2}), out = m.f32(c.outDims);
    REQUIRE(m.op(c.op, {in, m.constI32Tensor({uint32_t(c.axes.size())}, c.axes), m.boolean(c.keep)}, {out}) == 0);
    requireClose(run(m, in, out, x, c.expected.size()), c.expected);
  }
  ModelBuilder wrong;  // keep_dims must be a bool here (MEAN's is an int32)
  const uint32_t in = wrong.f32({2, 2}), out = wrong.f32({2});
  CHECK(wrong.op(ANEURALNETWORKS_REDUCE_SUM, {in, wrong.constI32Tensor({1}, {1}), wrong.i32(0)}, {out}) ==
        ANEURALNETWORKS_BAD_DATA);
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
