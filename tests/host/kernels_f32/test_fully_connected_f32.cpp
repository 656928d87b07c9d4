// fullyConnectedF32: a hand-computed case, then random cases against the reference loop.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "kernels/compute_f32.h"
#include "reference_f32.h"

using namespace nnapi_host::kernels;
using namespace nnapi_host::kernels::test;

TEST_CASE("fullyConnectedF32 uses one weight row per unit", "[fullyConnectedF32]") {
  // input [1, 2]; weights rows [1 0], [0 1], [1 1]; bias [0, 1, −10]; RELU: [1, 3, max(0, −7)].
  const std::vector<float> input{1, 2};
  const std::vector<float> weights{1, 0, 0, 1, 1, 1};
  const std::vector<float> bias{0, 1, -10};
  std::vector<float> output(3);
  fullyConnectedF32(input.data(), 1, 2, weights.data(), bias.data(), 3, {0.0f, INFINITY}, output.data());
  CHECK(output == std::vector<float>{1, 3, 0});
}

TEST_CASE("fullyConnectedF32 matches the reference loop on random data", "[fullyConnectedF32]") {
  struct Case {
    std::string name;
    uint32_t batch, inputSize, units;
    bool withBias;
    FloatRange act;
  };
  const std::vector<Case> cases{
      {"batch 1, classifier-like (split over units)", 1, 1280, 1000, true, {}},
      {"batch 3, small", 3, 7, 5, true, {}},
      {"batch 8, no bias", 8, 64, 33, false, {}},
      {"clamped", 4, 100, 50, true, {-1.0f, 1.0f}},
  };
  uint32_t seed = 500;
  for (const Case& c : cases) {
    INFO(c.name);
    const auto input = randomValues(std::size_t(c.batch) * c.inputSize, seed++);
    const auto weights = randomValues(std::size_t(c.units) * c.inputSize, seed++);
    const auto bias = c.withBias ? randomValues(c.units, seed++) : std::vector<float>{};
    std::vector<float> output(std::size_t(c.batch) * c.units, NAN);
    fullyConnectedF32(input.data(), c.batch, c.inputSize, weights.data(), c.withBias ? bias.data() : nullptr,
                      c.units, c.act, output.data());
    const auto expected = referenceFullyConnected(input, c.batch, c.inputSize, weights, bias, c.units, c.act);
    CHECK(maxAbsDifference(output, expected) <= sumTolerance(c.inputSize + 1));
  }
}
