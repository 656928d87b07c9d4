// Quantized activations: values the fixed-point arithmetic gives exactly (centre points, saturation, uniform
// softmax), and every input byte against the real function within one quantum.
#include <catch2/catch.hpp>

#include <cmath>
#include <numeric>
#include <vector>

#include "kernels/quant/activation_q8.h"
#include "quant_test_util.h"

using namespace nnapi_host::kernels;
using namespace quant_test;

namespace {

// All 256 values of T, in order.
template <typename T>
std::vector<T> everyValue() {
  std::vector<T> values;
  for (int32_t v = typeRange<T>().min; v <= typeRange<T>().max; ++v) values.push_back(T(v));
  return values;
}

template <typename T>
QuantParams logisticOutput() {
  return {1.0f / 256, std::is_signed_v<T> ? -128 : 0};
}
template <typename T>
QuantParams tanhOutput() {
  return {1.0f / 128, std::is_signed_v<T> ? 0 : 128};
}

}  // namespace

TEST_CASE("RELU family clamps to the fused-activation bounds", "[activation_q8]") {
  const std::vector<uint8_t> input{0, 90, 100, 110, 170, 255};
  std::vector<uint8_t> output(6);
  const QuantParams q{0.1f, 100};
  clampQ8(input.data(), 6, activationRange<uint8_t>(FuseCode::kRelu6, q), output.data());
  CHECK(output == std::vector<uint8_t>{100, 100, 100, 110, 160, 160});
  clampQ8(input.data(), 6, activationRange<uint8_t>(FuseCode::kRelu1, q), output.data());
  CHECK(output == std::vector<uint8_t>{90, 90, 100, 110, 110, 110});
}

TEMPLATE_TEST_CASE("LOGISTIC and TANH: exact centre and saturation, one quantum elsewhere", "[activation_q8]", uint8_t,
                   int8_t) {
  using T = TestType;
  const int32_t zp = std::is_signed_v<T> ? 3 : 131;
  const QuantParams inQ{0.05f, zp};  // inputs span about [-6.4, 6.4]
  const auto input = everyValue<T>();
  std::vector<T> output(input.size());
  const std::size_t centre = std::size_t(zp - typeRange<T>().min);

  logisticQ8(input.data(), input.size(), inQ, output.data());
  // logistic(0) = 0.5 is 2^30 in Q0.31 exactly: 128 quanta of 1/256.
  CHECK(int32_t(output[centre]) == 128 + logisticOutput<T>().zero_point);
  std::vector<T> exact(input.size());
  for (std::size_t i = 0; i < input.size(); ++i) {
    exact[i] = T(quantizeExact(1.0 / (1.0 + std::exp(-realValue(input[i], inQ))), logisticOutput<T>(), typeRange<T>()));
  }
  CHECK(maxDifference(output, exact) <= 1);  // gemmlowp's polynomial logistic then one rounding: one quantum

  tanhQ8(input.data(), input.size(), inQ, output.data());
  CHECK(int32_t(output[centre]) == tanhOutput<T>().zero_point);
  for (std::size_t i = 0; i < input.size(); ++i) {
    exact[i] = T(quantizeExact(std::tanh(realValue(input[i], inQ)), tanhOutput<T>(), typeRange<T>()));
  }
  CHECK(maxDifference(output, exact) <= 1);

  // Beyond the radius (|x| >= 15.x for Q4.27) the outputs saturate to the type's limits.
  const QuantParams wide{0.5f, zp};  // |x| up to 64
  logisticQ8(input.data(), input.size(), wide, output.data());
  CHECK(output.front() == std::numeric_limits<T>::min());
  CHECK(output.back() == std::numeric_limits<T>::max());
  tanhQ8(input.data(), input.size(), wide, output.data());
  CHECK(output.front() == std::numeric_limits<T>::min());
  CHECK(output.back() == std::numeric_limits<T>::max());
}

TEMPLATE_TEST_CASE("SOFTMAX: uniform rows give exactly 1/n, random rows stay within one quantum", "[activation_q8]",
                   uint8_t, int8_t) {
  using T = TestType;
  const QuantParams outQ = logisticOutput<T>();  // SOFTMAX's fixed output q equals LOGISTIC's
  // Four equal values: 1/4 = 64 quanta of 1/256.
  const std::vector<T> uniform(4, T(17));
  std::vector<T> output(4);
  softmaxQ8(uniform.data(), {4}, 0, {0.1f, 0}, 1.0f, output.data());
  CHECK(output == std::vector<T>(4, T(64 + outQ.zero_point)));

  // [outer 3, axis 10, inner 4], softmax along the middle axis, beta 0.7.
  const QuantParams inQ{0.08f, std::is_signed_v<T> ? -5 : 120};
  const auto input = randomValues<T>(3 * 10 * 4);
  std::vector<T> actual(input.size()), exact(input.size());
  softmaxQ8(input.data(), {3, 10, 4}, 1, inQ, 0.7f, actual.data());
  for (std::size_t o = 0; o < 3; ++o)
    for (std::size_t i = 0; i < 4; ++i) {
      double sum = 0;
      for (std::size_t k = 0; k < 10; ++k) sum += std::exp(0.7 * realValue(input[(o * 10 + k) * 4 + i], inQ));
      for (std::size_t k = 0; k < 10; ++k) {
        const std::size_t at = (o * 10 + k) * 4 + i;
        exact[at] = T(quantizeExact(std::exp(0.7 * realValue(input[at], inQ)) / sum, outQ, typeRange<T>()));
      }
    }
  CHECK(maxDifference(actual, exact) <= 1);  // fixed-point exp and reciprocal, then one rounding
}

TEMPLATE_TEST_CASE("HARD_SWISH against x * relu6(x + 3) / 6 on every input byte", "[activation_q8]", uint8_t, int8_t) {
  using T = TestType;
  const int32_t zp = std::is_signed_v<T> ? -10 : 118;
  const QuantParams inQ{0.05f, zp}, outQ{0.04f, std::is_signed_v<T> ? -100 : 28};
  const auto input = everyValue<T>();
  std::vector<T> actual(input.size()), exact(input.size());
  hardSwishQ8(input.data(), input.size(), inQ, actual.data(), outQ);
  for (std::size_t i = 0; i < input.size(); ++i) {
    const double x = realValue(input[i], inQ);
    exact[i] = T(quantizeExact(x * std::clamp(x + 3, 0.0, 6.0) / 6, outQ, typeRange<T>()));
  }
  // The reference computes in int16 fixed point (about 15 bits), then rounds once: one quantum.
  CHECK(maxDifference(actual, exact) <= 1);
  // hard_swish(0) = 0 exactly.
  CHECK(int32_t(actual[std::size_t(zp - typeRange<T>().min)]) == outQ.zero_point);
}
