// Quantized FULLY_CONNECTED: a hand-computed example, then random batches checked bit-exactly against the §11.5
// formula evaluated directly and within one quantum against the real-valued product.
#include <catch2/catch.hpp>

#include <vector>

#include "kernels/quant/fully_connected_q8.h"
#include "quant_test_util.h"

using namespace nnapi_host::kernels;
using namespace quant_test;

TEST_CASE("FULLY_CONNECTED uint8 on a hand-computed example", "[fully_connected_q8]") {
  // input real (q - 100) * 0.5 = [1, -2, 3]; weights real (q - 50) * 0.25: row 0 [1, 1, 1], row 1 [2, 0, -1];
  // bias (s 0.125) [8, -4] = [1, -0.5]. Outputs: 1 - 2 + 3 + 1 = 3 and 2 - 3 - 0.5 = -1.5; s_out 0.5, zp 20.
  const std::vector<uint8_t> input{102, 96, 106};
  const std::vector<uint8_t> weights{54, 54, 54, 58, 50, 46};
  const std::vector<int32_t> bias{8, -4};
  const QuantParams out{0.5f, 20};
  std::vector<uint8_t> output(2);
  fullyConnectedQ8(input.data(), 1, 3, {0.5f, 100}, weights.data(), {0.25f, 50}, bias.data(), 2,
                   activationRange<uint8_t>(FuseCode::kNone, out), output.data(), out);
  CHECK(output == std::vector<uint8_t>{26, 17});
  // RELU clamps the second output to Q(0) = 20.
  fullyConnectedQ8(input.data(), 1, 3, {0.5f, 100}, weights.data(), {0.25f, 50}, bias.data(), 2,
                   activationRange<uint8_t>(FuseCode::kRelu, out), output.data(), out);
  CHECK(output == std::vector<uint8_t>{26, 20});
}

TEMPLATE_TEST_CASE("FULLY_CONNECTED random batches match the formula exactly and the real result within one quantum",
                   "[fully_connected_q8]", uint8_t, int8_t) {
  using T = TestType;
  for (uint32_t batch : {1u, 3u, 6u}) {
    const uint32_t inputSize = 75, units = 37;
    const QuantParams inQ{0.02f, std::is_signed_v<T> ? 5 : 120}, wQ{0.01f, std::is_signed_v<T> ? -3 : 130};
    // Products spread like sqrt(75) * 74^2 * s_in * s_w; map that to about 30 quanta.
    const QuantParams outQ{float(0.02 * 0.01 * 74 * 74 * std::sqrt(75.0) / 30), std::is_signed_v<T> ? -2 : 127};
    const auto input = randomValues<T>(std::size_t(batch) * inputSize);
    const auto weights = randomValues<T>(std::size_t(units) * inputSize);
    const auto bias = randomInt32(units, -5000, 5000);
    const IntRange act = activationRange<T>(FuseCode::kNone, outQ);
    std::vector<T> actual(std::size_t(batch) * units);
    fullyConnectedQ8(input.data(), batch, inputSize, inQ, weights.data(), wQ, bias.data(), units, act,
                     actual.data(), outQ);
    const QuantizedMultiplier m =
        quantizeMultiplier(convolutionRealMultiplier(inQ.scale, wQ.scale, outQ.scale), "test");
    std::vector<T> formula(actual.size()), exact(actual.size());
    for (uint32_t b = 0; b < batch; ++b) {
      for (uint32_t u = 0; u < units; ++u) {
        int32_t acc = bias[u];
        double real = bias[u] * double(inQ.scale) * wQ.scale;
        for (uint32_t k = 0; k < inputSize; ++k) {
          const int32_t x = input[b * inputSize + k], w = weights[u * inputSize + k];
          acc += (x - inQ.zero_point) * (w - wQ.zero_point);
          real += realValue(x, inQ) * realValue(w, wQ);
        }
        formula[b * units + u] = clampTo<T>(multiplyByQuantizedMultiplier(acc, m) + outQ.zero_point, act);
        exact[b * units + u] = T(quantizeExact(real, outQ, act));
      }
    }
    CHECK(maxDifference(actual, formula) == 0);
    CHECK(maxDifference(actual, exact) <= 1);  // two roundings in the formula: at most one quantum
    CHECK(fractionInside(actual, act) > 0.5);
  }
}
