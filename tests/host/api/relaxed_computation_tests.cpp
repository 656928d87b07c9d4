// ANeuralNetworksModel_relaxComputationFloat32toFloat16: a relaxed model's TENSOR_FLOAT32 operations compute with
// binary16 range and precision (executor/run_operation.h): inputs, constants and results are rounded to the
// nearest binary16 value, overflow becomes infinity. The same model unrelaxed computes float32.
#include <cmath>
#include <limits>

#include <catch2/catch.hpp>

#include "model_builder.h"

using host_test::ModelBuilder;

namespace {

// out = x + c with a constant c; runs it relaxed or not.
std::vector<float> addConstant(const std::vector<float>& x, const std::vector<float>& c, bool relaxed) {
  ModelBuilder m;
  const host_test::Dims dims{uint32_t(x.size())};
  const uint32_t in = m.f32(dims), constant = m.constF32(dims, c), out = m.f32(dims);
  REQUIRE(m.op(ANEURALNETWORKS_ADD, {in, constant, m.i32(ANEURALNETWORKS_FUSED_NONE)}, {out}) == 0);
  REQUIRE(m.io({in}, {out}) == 0);
  REQUIRE(ANeuralNetworksModel_relaxComputationFloat32toFloat16(m.model(), relaxed) == ANEURALNETWORKS_NO_ERROR);
  REQUIRE(m.finish() == 0);
  std::vector<std::vector<float>> outputs;
  REQUIRE(host_test::runF32(m.model(), {x}, {x.size()}, &outputs) == ANEURALNETWORKS_NO_ERROR);
  return outputs[0];
}

const float kTiny = std::ldexp(1.0f, -12);  // a quarter of binary16's spacing at 1 (2^-10); exact in binary16

}  // namespace

TEST_CASE("relaxed ADD rounds inputs and constants and results to binary16 where unrelaxed ADD computes float32") {
  const std::vector<float> x{1.0f + kTiny, 40000.0f, 0.1f, -3.0f, 1.0f};
  const std::vector<float> c{kTiny, 40000.0f, 0.2f, 1e-4f, 1.0f + kTiny};

  host_test::requireClose(addConstant(x, c, false),
                          {1.0f + 2 * kTiny, 80000.0f, 0.1f + 0.2f, -3.0f + 1e-4f, 2.0f + kTiny});

  const std::vector<float> relaxed = addConstant(x, c, true);
  // 1 + 2^-12 rounds to 1 (below half of binary16's spacing at 1), 1 + 2^-12 = 1.000244 rounds to 1 again.
  CHECK(relaxed[0] == 1.0f);
  // 80000 is beyond binary16's largest finite value (65504): infinity.
  CHECK(relaxed[1] == std::numeric_limits<float>::infinity());
  // binary16(0.1) + binary16(0.2) = 0.0999755859375 + 0.199951171875 = 0.2999267578125, exactly halfway between
  // binary16 neighbours 0.2998046875 and 0.30004882812: ties to even.
  CHECK(relaxed[2] == 0.2998046875f);
  // -3 + 0.0001 = -2.9999: binary16's spacing at 2..4 is 2^-9, so -3.
  CHECK(relaxed[3] == -3.0f);
  // The constant 1 + 2^-12 is stored as 1: 1 + 1 = 2.
  CHECK(relaxed[4] == 2.0f);
}

TEST_CASE("relaxed FULLY_CONNECTED rounds weights and the result but not the float32 sum of products") {
  // out = 0.1 * 3.3 + 0 (bias): binary16(0.1) * binary16(3.3) = 0.0999755859375 * 3.30078125 = 0.32999..., rounded
  // to binary16: 0.330078125. Unrelaxed: 0.33 in float32.
  auto run = [](bool relaxed) {
    ModelBuilder m;
    const uint32_t in = m.f32({1, 1}), weights = m.constF32({1, 1}, {3.3f}), bias = m.constF32({1}, {0.0f});
    const uint32_t out = m.f32({1, 1});
    REQUIRE(m.op(ANEURALNETWORKS_FULLY_CONNECTED, {in, weights, bias, m.i32(ANEURALNETWORKS_FUSED_NONE)}, {out}) == 0);
    REQUIRE(m.io({in}, {out}) == 0);
    REQUIRE(ANeuralNetworksModel_relaxComputationFloat32toFloat16(m.model(), relaxed) == 0);
    REQUIRE(m.finish() == 0);
    std::vector<std::vector<float>> outputs;
    REQUIRE(host_test::runF32(m.model(), {{0.1f}}, {1}, &outputs) == ANEURALNETWORKS_NO_ERROR);
    return outputs[0][0];
  };
  host_test::requireClose({run(false)}, {0.1f * 3.3f});
  CHECK(run(true) == 0.330078125f);
}
