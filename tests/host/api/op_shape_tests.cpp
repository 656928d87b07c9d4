// Element-moving operations: RESHAPE, SQUEEZE, EXPAND_DIMS, CONCATENATION, TRANSPOSE, STRIDED_SLICE, PAD, PAD_V2.
#include <catch2/catch.hpp>

#include "model_builder.h"

using host_test::Dims;
using host_test::ModelBuilder;
using host_test::requireClose;

namespace {

const std::vector<float> kSix{1, 2, 3, 4, 5, 6};

std::vector<float> run(ModelBuilder& m, const std::vector<uint32_t>& ins, uint32_t out,
                       const std::vector<std::vector<float>>& x, size_t n) {
  REQUIRE(m.io(ins, {out}) == ANEURALNETWORKS_NO_ERROR);
  REQUIRE(m.finish() == ANEURALNETWORKS_NO_ERROR);
  std::vector<std::vector<float>> outputs;
  REQUIRE(host_test::runF32(m.model(), x, {n}, &outputs) == ANEURALNETWORKS_NO_ERROR);
  return outputs[0];
}

}  // namespace

TEST_CASE("RESHAPE infers -1 and SQUEEZE and EXPAND_DIMS keep the bytes") {
  ModelBuilder m;
  const uint32_t in = m.f32({2, 3}), r = m.f32({3, 2}), s = m.f32({3, 2}), e = m.f32({3, 1, 2});
  REQUIRE(m.op(ANEURALNETWORKS_RESHAPE, {in, m.constI32Tensor({3}, {3, 1, -1})}, {r}) != ANEURALNETWORKS_NO_ERROR);
  const uint32_t r3 = m.f32({3, 1, 2});
  REQUIRE(m.op(ANEURALNETWORKS_RESHAPE, {in, m.constI32Tensor({3}, {3, 1, -1})}, {r3}) == ANEURALNETWORKS_NO_ERROR);
  REQUIRE(m.op(ANEURALNETWORKS_SQUEEZE, {r3, m.constI32Tensor({1}, {1})}, {s}) == ANEURALNETWORKS_NO_ERROR);
  REQUIRE(m.op(ANEURALNETWORKS_EXPAND_DIMS, {s, m.i32(-2)}, {e}) == ANEURALNETWORKS_NO_ERROR);
  (void)r;
  requireClose(run(m, {in}, e, {kSix}, 6), kSix);
}

TEST_CASE("CONCATENATION along axis 1") {
  ModelBuilder m;
  const uint32_t a = m.f32({2, 1}), b = m.f32({2, 2}), out = m.f32({2, 3});
  REQUIRE(m.op(ANEURALNETWORKS_CONCATENATION, {a, b, m.i32(1)}, {out}) == ANEURALNETWORKS_NO_ERROR);
  requireClose(run(m, {a, b}, out, {{1, 2}, {3, 4, 5, 6}}, 6), {1, 3, 4, 2, 5, 6});
}

TEST_CASE("TRANSPOSE swaps the axes of a matrix") {
  ModelBuilder m;
  const uint32_t in = m.f32({2, 3}), out = m.f32({3, 2});
  REQUIRE(m.op(ANEURALNETWORKS_TRANSPOSE, {in, m.constI32Tensor({2}, {1, 0})}, {out}) == ANEURALNETWORKS_NO_ERROR);
  requireClose(run(m, {in}, out, {kSix}, 6), {1, 4, 2, 5, 3, 6});
}

TEST_CASE("STRIDED_SLICE with a negative stride and with a shrunk axis") {
  std::vector<float> x(12);
  for (int i = 0; i < 12; ++i) x[i] = float(i);
  {
    ModelBuilder m;  // rows 0 and 2, columns 3, 2, 1
    const uint32_t in = m.f32({3, 4}), out = m.f32({2, 3});
    REQUIRE(m.op(ANEURALNETWORKS_STRIDED_SLICE,
                 {in, m.constI32Tensor({2}, {0, 3}), m.constI32Tensor({2}, {3, 0}), m.constI32Tensor({2}, {2, -1}),
                  m.i32(0), m.i32(0), m.i32(0)},
                 {out}) == ANEURALNETWORKS_NO_ERROR);
    requireClose(run(m, {in}, out, {x}, 6), {3, 2, 1, 11, 10, 9});
  }
  {
    ModelBuilder m;  // row 1, axis 0 shrunk; end_mask on axis 1 takes every column
    const uint32_t in = m.f32({3, 4}), out = m.f32({4});
    REQUIRE(m.op(ANEURALNETWORKS_STRIDED_SLICE,
                 {in, m.constI32Tensor({2}, {1, 0}), m.constI32Tensor({2}, {2, 1}), m.constI32Tensor({2}, {1, 1}),
                  m.i32(0), m.i32(2), m.i32(1)},
                 {out}) == ANEURALNETWORKS_NO_ERROR);
    requireClose(run(m, {in}, out, {x}, 4), {4, 5, 6, 7});
  }
}

TEST_CASE("PAD fills with zero and PAD_V2 with the given value") {
  for (const bool v2 : {false, true}) {
    ModelBuilder m;
    const uint32_t in = m.f32({2, 2}), out = m.f32({3, 3});
    std::vector<uint32_t> inputs{in, m.constI32Tensor({2, 2}, {1, 0, 0, 1})};
    if (v2) inputs.push_back(m.f32Scalar(9.0f));
    REQUIRE(m.op(v2 ? ANEURALNETWORKS_PAD_V2 : ANEURALNETWORKS_PAD, inputs, {out}) == ANEURALNETWORKS_NO_ERROR);
    const float p = v2 ? 9.0f : 0.0f;
    requireClose(run(m, {in}, out, {{1, 2, 3, 4}}, 9), {p, p, p, 1, 2, p, 3, 4, p});
  }
}
