// Quantized execution (H3's kernels wired through the executor), with results computed by hand from §11.
#include <catch2/catch.hpp>

#include "model_builder.h"

using host_test::ModelBuilder;

namespace {

constexpr int32_t Q8A = ANEURALNETWORKS_TENSOR_QUANT8_ASYMM, Q8S = ANEURALNETWORKS_TENSOR_QUANT8_ASYMM_SIGNED;

std::vector<uint8_t> run(ModelBuilder& m, const std::vector<uint32_t>& ins, uint32_t out,
                         const std::vector<std::vector<uint8_t>>& x, size_t n) {
  REQUIRE(m.io(ins, {out}) == ANEURALNETWORKS_NO_ERROR);
  REQUIRE(m.finish() == ANEURALNETWORKS_NO_ERROR);
  std::vector<std::vector<uint8_t>> outputs;
  REQUIRE(host_test::runBytes(m.model(), x, {n}, &outputs) == ANEURALNETWORKS_NO_ERROR);
  return outputs[0];
}

}  // namespace

TEST_CASE("quantized CONV_2D 1x1 accumulates bias + (q_in - zp_in) * (q_f - zp_f) scaled by s_in*s_f/s_out") {
  ModelBuilder m;
  const uint32_t in = m.tensor(Q8A, {1, 1, 2, 1}, 0.5f, 10), out = m.tensor(Q8A, {1, 1, 2, 1}, 1.0f, 0);
  const uint8_t filterQ = 8;  // real 2
  const int32_t biasQ = 8;    // real 1
  const uint32_t filter = m.constTensor(Q8A, {1, 1, 1, 1}, 0.25f, 0, &filterQ, 1);
  const uint32_t bias = m.constTensor(ANEURALNETWORKS_TENSOR_INT32, {1}, 0.125f, 0, &biasQ, 4);
  REQUIRE(m.op(ANEURALNETWORKS_CONV_2D,
               {in, filter, bias, m.i32(ANEURALNETWORKS_PADDING_VALID), m.i32(1), m.i32(1), m.i32(0)}, {out}) == 0);
  // real inputs 1 and -2 -> 2x + 1 = 3 and -3; -3 clamps to the uint8 minimum 0.
  CHECK(run(m, {in}, out, {{12, 6}}, 2) == std::vector<uint8_t>{3, 0});
}

TEST_CASE("quantized CONV_2D with a per-channel filter") {
  ModelBuilder m;
  const uint32_t in = m.tensor(Q8A, {1, 1, 1, 1}, 1.0f, 0), out = m.tensor(Q8A, {1, 1, 1, 2}, 1.0f, 0);
  const int8_t filterQ[2] = {2, 4};  // scales 0.5 and 0.25: both real 1
  const uint32_t filter = m.constTensor(ANEURALNETWORKS_TENSOR_QUANT8_SYMM_PER_CHANNEL, {2, 1, 1, 1}, 0, 0, filterQ, 2);
  const float scales[2] = {0.5f, 0.25f};
  const ANeuralNetworksSymmPerChannelQuantParams params{0, 2, scales};
  REQUIRE(ANeuralNetworksModel_setOperandSymmPerChannelQuantParams(m.model(), int32_t(filter), &params) == 0);
  const int32_t biasQ[2] = {0, 0};
  const uint32_t bias = m.constTensor(ANEURALNETWORKS_TENSOR_INT32, {2}, 0.0f, 0, biasQ, 8);
  REQUIRE(m.op(ANEURALNETWORKS_CONV_2D,
               {in, filter, bias, m.i32(ANEURALNETWORKS_PADDING_VALID), m.i32(1), m.i32(1), m.i32(0)}, {out}) == 0);
  CHECK(run(m, {in}, out, {{3}}, 2) == std::vector<uint8_t>{3, 3});
}

TEST_CASE("quantized ADD (signed) and RELU keep exact values") {
  {
    ModelBuilder m;  // s = 1 everywhere, zero points -10 / 5 / 0: real a = q + 10, b = q - 5
    const uint32_t a = m.tensor(Q8S, {2}, 1.0f, -10), b = m.tensor(Q8S, {2}, 1.0f, 5),
                   out = m.tensor(Q8S, {2}, 1.0f, 0);
    REQUIRE(m.op(ANEURALNETWORKS_ADD, {a, b, m.i32(0)}, {out}) == 0);
    const std::vector<uint8_t> qa{uint8_t(int8_t(-9)), uint8_t(int8_t(0))}, qb{uint8_t(int8_t(8)), uint8_t(int8_t(-5))};
    // (1 + 3, 10 - 10)
    CHECK(run(m, {a, b}, out, {qa, qb}, 2) == std::vector<uint8_t>{4, 0});
  }
  {
    ModelBuilder m;  // s 0.5, zp 100: q 90 is -5, q 110 is 5
    const uint32_t in = m.tensor(Q8A, {2}, 0.5f, 100), out = m.tensor(Q8A, {2}, 0.5f, 100);
    REQUIRE(m.op(ANEURALNETWORKS_RELU, {in}, {out}) == 0);
    CHECK(run(m, {in}, out, {{90, 110}}, 2) == std::vector<uint8_t>{100, 110});
  }
}

TEST_CASE("quantized pools round the average half away from zero") {
  for (const bool average : {true, false}) {
    ModelBuilder m;
    const uint32_t in = m.tensor(Q8A, {1, 2, 2, 1}, 0.5f, 0), out = m.tensor(Q8A, {1, 1, 1, 1}, 0.5f, 0);
    REQUIRE(m.op(average ? ANEURALNETWORKS_AVERAGE_POOL_2D : ANEURALNETWORKS_MAX_POOL_2D,
                 {in, m.i32(ANEURALNETWORKS_PADDING_VALID), m.i32(1), m.i32(1), m.i32(2), m.i32(2), m.i32(0)},
                 {out}) == 0);
    // sum 11 over 4 taps: (11 + 2) / 4 = 3; max 5
    CHECK(run(m, {in}, out, {{1, 2, 3, 5}}, 1) == std::vector<uint8_t>{uint8_t(average ? 3 : 5)});
  }
}

TEST_CASE("quantized CONCATENATION requantizes an input with another scale") {
  ModelBuilder m;
  const uint32_t a = m.tensor(Q8A, {1}, 1.0f, 0), b = m.tensor(Q8A, {1}, 2.0f, 0), out = m.tensor(Q8A, {2}, 1.0f, 0);
  REQUIRE(m.op(ANEURALNETWORKS_CONCATENATION, {a, b, m.i32(0)}, {out}) == 0);
  CHECK(run(m, {a, b}, out, {{10}, {10}}, 2) == std::vector<uint8_t>{10, 20});
}

TEST_CASE("quantized RELU1 and RELU6 clamp at Q(-1) to Q(1) and Q(0) to Q(6) of the shared q") {
  // s 0.06, zp 128: Q(-1) = 128 - round(16.67) = 111, Q(1) = 145, Q(0) = 128, Q(6) = 228
  for (const bool relu6 : {false, true}) {
    ModelBuilder m;
    const uint32_t in = m.tensor(Q8A, {5}, 0.06f, 128), out = m.tensor(Q8A, {5}, 0.06f, 128);
    REQUIRE(m.op(relu6 ? ANEURALNETWORKS_RELU6 : ANEURALNETWORKS_RELU1, {in}, {out}) == 0);
    const std::vector<uint8_t> expected =
        relu6 ? std::vector<uint8_t>{128, 128, 145, 200, 228} : std::vector<uint8_t>{111, 111, 145, 145, 145};
    CHECK(run(m, {in}, out, {{100, 111, 145, 200, 250}}, 5) == expected);
  }
}
