// Broadcasting binary operations and activations, computed by hand.
#include <catch2/catch.hpp>

#include "model_builder.h"

using host_test::ModelBuilder;
using host_test::requireClose;

namespace {

// out = op(a, b, fuse) for float tensors a (aDims) and b (bDims).
std::vector<float> binary(int32_t op, const host_test::Dims& aDims, const std::vector<float>& a,
                          const host_test::Dims& bDims, const std::vector<float>& b, const host_test::Dims& outDims,
                          int32_t fuse = -1) {
  ModelBuilder m;
  const uint32_t ia = m.f32(aDims), ib = m.f32(bDims), out = m.f32(outDims);
  std::vector<uint32_t> inputs{ia, ib};
  if (fuse >= 0) inputs.push_back(m.i32(fuse));
  REQUIRE(m.op(op, inputs, {out}) == ANEURALNETWORKS_NO_ERROR);
  REQUIRE(m.io({ia, ib}, {out}) == ANEURALNETWORKS_NO_ERROR);
  REQUIRE(m.finish() == ANEURALNETWORKS_NO_ERROR);
  size_t n = 1;
  for (uint32_t d : outDims) n *= d;
  std::vector<std::vector<float>> outputs;
  REQUIRE(host_test::runF32(m.model(), {a, b}, {n}, &outputs) == ANEURALNETWORKS_NO_ERROR);
  return outputs[0];
}

std::vector<float> unary(int32_t op, const std::vector<float>& x) {
  ModelBuilder m;
  const host_test::Dims dims{uint32_t(x.size())};
  const uint32_t in = m.f32(dims), out = m.f32(dims);
  REQUIRE(m.op(op, {in}, {out}) == ANEURALNETWORKS_NO_ERROR);
  REQUIRE(m.io({in}, {out}) == ANEURALNETWORKS_NO_ERROR);
  REQUIRE(m.finish() == ANEURALNETWORKS_NO_ERROR);
  std::vector<std::vector<float>> outputs;
  REQUIRE(host_test::runF32(m.model(), {x}, {x.size()}, &outputs) == ANEURALNETWORKS_NO_ERROR);
  return outputs[0];
}

const std::vector<float> kA{1, -2, 3, -4};

}  // namespace

TEST_CASE("ADD broadcasts a row over a matrix and applies fused RELU") {
  // [1,-2;3,-4] + [0.5,1] = [1.5,-1;3.5,-3] -> RELU.
  requireClose(binary(ANEURALNETWORKS_ADD, {2, 2}, kA, {2}, {0.5f, 1}, {2, 2}, ANEURALNETWORKS_FUSED_RELU),
               {1.5f, 0, 3.5f, 0});
}

TEST_CASE("SUB and MUL and DIV and MAXIMUM and MINIMUM with a broadcast single value") {
  requireClose(binary(ANEURALNETWORKS_SUB, {2, 2}, kA, {1}, {2}, {2, 2}, 0), {-1, -4, 1, -6});
  requireClose(binary(ANEURALNETWORKS_MUL, {2, 2}, kA, {1}, {2}, {2, 2}, 0), {2, -4, 6, -8});
  requireClose(binary(ANEURALNETWORKS_MUL, {2, 2}, kA, {1}, {2}, {2, 2}, ANEURALNETWORKS_FUSED_RELU6), {2, 0, 6, 0});
  requireClose(binary(ANEURALNETWORKS_DIV, {2, 2}, kA, {1}, {2}, {2, 2}, ANEURALNETWORKS_FUSED_RELU1),
               {0.5f, -1, 1, -1});
  requireClose(binary(ANEURALNETWORKS_MAXIMUM, {2, 2}, kA, {1}, {2}, {2, 2}), {2, 2, 3, 2});
  requireClose(binary(ANEURALNETWORKS_MINIMUM, {2, 2}, kA, {1}, {2}, {2, 2}), {1, -2, 2, -4});
}

TEST_CASE("ADD broadcasts both operands: 2x1x3 + 2x1 -> 2x2x3") {
  // out[i][j][k] = a[i][0][k] + b[j][0]
  requireClose(binary(ANEURALNETWORKS_ADD, {2, 1, 3}, {0, 1, 2, 10, 11, 12}, {2, 1}, {100, 200}, {2, 2, 3}, 0),
               {100, 101, 102, 200, 201, 202, 110, 111, 112, 210, 211, 212});
}

TEST_CASE("PRELU scales negative inputs by a broadcast alpha") {
  requireClose(binary(ANEURALNETWORKS_PRELU, {2, 2}, {-2, 3, -4, 5}, {2}, {0.5f, 2}, {2, 2}), {-1, 3, -2, 5});
}

TEST_CASE("RELU RELU1 RELU6 LOGISTIC TANH HARD_SWISH") {
  const std::vector<float> x{-4, -0.5f, 0.5f, 7};
  requireClose(unary(ANEURALNETWORKS_RELU, x), {0, 0, 0.5f, 7});
  requireClose(unary(ANEURALNETWORKS_RELU1, x), {-1, -0.5f, 0.5f, 1});
  requireClose(unary(ANEURALNETWORKS_RELU6, x), {0, 0, 0.5f, 6});
  // 1/(1+e^-x)
  requireClose(unary(ANEURALNETWORKS_LOGISTIC, x), {0.0179862100f, 0.3775406688f, 0.6224593312f, 0.9990889488f});
  requireClose(unary(ANEURALNETWORKS_TANH, x), {-0.9993292997f, -0.4621171573f, 0.4621171573f, 0.9999983369f});
  // x * min(6, max(0, x+3)) / 6
  requireClose(unary(ANEURALNETWORKS_HARD_SWISH, x), {0, -0.5f * 2.5f / 6, 0.5f * 3.5f / 6, 7});
}

TEST_CASE("SOFTMAX and LOG_SOFTMAX along the last axis") {
  for (const bool logarithmic : {false, true}) {
    ModelBuilder m;
    const uint32_t in = m.f32({2, 3}), out = m.f32({2, 3});
    std::vector<uint32_t> inputs{in, m.f32Scalar(1.0f)};
    if (logarithmic) inputs.push_back(m.i32(-1));
    REQUIRE(m.op(logarithmic ? ANEURALNETWORKS_LOG_SOFTMAX : ANEURALNETWORKS_SOFTMAX, inputs, {out}) == 0);
    REQUIRE(m.io({in}, {out}) == 0);
    REQUIRE(m.finish() == 0);
    std::vector<std::vector<float>> outputs;
    REQUIRE(host_test::runF32(m.model(), {{1, 2, 3, 7, 7, 7}}, {6}, &outputs) == 0);
    // e^(x-3) / (e^-2 + e^-1 + 1), with e^-2 + e^-1 + 1 = 1.5032147244
    if (logarithmic)
      requireClose(outputs[0],
                   {-2.4076059644f, -1.4076059644f, -0.4076059644f, -1.0986122887f, -1.0986122887f, -1.0986122887f});
    else
      requireClose(outputs[0], {0.0900305732f, 0.2447284711f, 0.6652409558f, 1 / 3.0f, 1 / 3.0f, 1 / 3.0f});
  }
}

TEST_CASE("ABS NEG EXP LOG SQRT RSQRT SIN") {
  requireClose(unary(ANEURALNETWORKS_ABS, {-2.5f, 0, 3}), {2.5f, 0, 3});
  requireClose(unary(ANEURALNETWORKS_NEG, {-2.5f, 0, 3}), {2.5f, 0, -3});
  // e^-1, e^0, e^1, e^2
  requireClose(unary(ANEURALNETWORKS_EXP, {-1, 0, 1, 2}), {0.3678794412f, 1, 2.7182818285f, 7.3890560989f});
  // ln 0.5, ln 1, ln 10, ln 1e-3
  requireClose(unary(ANEURALNETWORKS_LOG, {0.5f, 1, 10, 1e-3f}), {-0.6931471806f, 0, 2.3025850930f, -6.9077552790f});
  requireClose(unary(ANEURALNETWORKS_SQRT, {0.25f, 4, 2, 0}), {0.5f, 2, 1.4142135624f, 0});
  requireClose(unary(ANEURALNETWORKS_RSQRT, {0.25f, 4, 2}), {2, 0.5f, 0.7071067812f});
  // sin 0, sin 0.5, sin -2, sin 3
  requireClose(unary(ANEURALNETWORKS_SIN, {0, 0.5f, -2, 3}), {0, 0.4794255386f, -0.9092974268f, 0.1411200081f});
}

TEST_CASE("unary math operations take any rank from 1 and only float tensors (int32 for ABS and NEG)") {
  ModelBuilder m;
  const host_test::Dims rank5{1, 2, 1, 1, 2};
  const uint32_t in = m.f32(rank5), out = m.f32(rank5);
  REQUIRE(m.op(ANEURALNETWORKS_EXP, {in}, {out}) == ANEURALNETWORKS_NO_ERROR);
  REQUIRE(m.io({in}, {out}) == ANEURALNETWORKS_NO_ERROR);
  REQUIRE(m.finish() == ANEURALNETWORKS_NO_ERROR);
  std::vector<std::vector<float>> outputs;
  REQUIRE(host_test::runF32(m.model(), {{0, 1, -1, 2}}, {4}, &outputs) == ANEURALNETWORKS_NO_ERROR);
  requireClose(outputs[0], {1, 2.7182818285f, 0.3678794412f, 7.3890560989f});

  ModelBuilder q;
  const uint32_t qin = q.tensor(ANEURALNETWORKS_TENSOR_QUANT8_ASYMM, {4}, 0.5f, 0);
  const uint32_t qout = q.tensor(ANEURALNETWORKS_TENSOR_QUANT8_ASYMM, {4}, 0.5f, 0);
  CHECK(q.op(ANEURALNETWORKS_SQRT, {qin}, {qout}) == ANEURALNETWORKS_BAD_DATA);
  const uint32_t iin = q.tensor(ANEURALNETWORKS_TENSOR_INT32, {4}), iout = q.tensor(ANEURALNETWORKS_TENSOR_INT32, {4});
  CHECK(q.op(ANEURALNETWORKS_LOG, {iin}, {iout}) == ANEURALNETWORKS_BAD_DATA);
  CHECK(q.op(ANEURALNETWORKS_NEG, {iin}, {iout}) == ANEURALNETWORKS_NO_ERROR);
}

TEST_CASE("POW broadcasts the exponent, as std::pow") {
  // 2^3, 9^0.5, 4^-1, (-2)^2; then each base to a broadcast 2
  requireClose(binary(ANEURALNETWORKS_POW, {4}, {2, 9, 4, -2}, {4}, {3, 0.5f, -1, 2}, {4}), {8, 3, 0.25f, 4});
  requireClose(binary(ANEURALNETWORKS_POW, {2, 2}, {2, 9, 4, -2}, {1}, {2}, {2, 2}), {4, 81, 16, 4});
}

TEST_CASE("ELU: x for x >= 0, alpha (e^x - 1) below") {
  ModelBuilder m;
  const uint32_t in = m.f32({4}), out = m.f32({4});
  REQUIRE(m.op(ANEURALNETWORKS_ELU, {in, m.f32Scalar(0.5f)}, {out}) == ANEURALNETWORKS_NO_ERROR);
  REQUIRE(m.io({in}, {out}) == ANEURALNETWORKS_NO_ERROR);
  REQUIRE(m.finish() == ANEURALNETWORKS_NO_ERROR);
  std::vector<std::vector<float>> outputs;
  REQUIRE(host_test::runF32(m.model(), {{-2, -0.5f, 0, 3}}, {4}, &outputs) == ANEURALNETWORKS_NO_ERROR);
  // 0.5 (e^-2 - 1), 0.5 (e^-0.5 - 1)
  requireClose(outputs[0], {-0.4323323584f, -0.1967346701f, 0, 3});
}
