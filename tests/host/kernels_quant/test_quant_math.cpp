// The arithmetic primitives of §11.1 and the activation bounds of §11.4, on values worked out by hand.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>

#include "kernels/quant/quant_math.h"

using namespace nnapi_host::kernels;

namespace {
bool sameMultiplier(QuantizedMultiplier a, QuantizedMultiplier b) {
  return a.multiplier == b.multiplier && a.shift == b.shift;
}
}  // namespace

TEST_CASE("quantizeMultiplier splits a real multiplier into a Q31 fraction and a power of two", "[quant_math]") {
  // 0.5 = 0.5 * 2^0 -> 0.5 * 2^31 = 2^30.
  CHECK(sameMultiplier(quantizeMultiplier(0.5, "test"), {1 << 30, 0}));
  // 0.75 * 2^31 = 1610612736.
  CHECK(sameMultiplier(quantizeMultiplier(0.75, "test"), {1610612736, 0}));
  // 1.5 = 0.75 * 2^1.
  CHECK(sameMultiplier(quantizeMultiplier(1.5, "test"), {1610612736, 1}));
  // 2^-35 = 0.5 * 2^-34: shift below -31 is flushed to zero.
  CHECK(sameMultiplier(quantizeMultiplier(std::ldexp(1.0, -35), "test"), {0, 0}));
  // 2^-32 = 0.5 * 2^-31: the smallest shift that is kept.
  CHECK(sameMultiplier(quantizeMultiplier(std::ldexp(1.0, -32), "test"), {1 << 30, -31}));
  CHECK(sameMultiplier(quantizeMultiplier(0.0, "test"), {0, 0}));
  // 1 - 2^-40: the fraction rounds to exactly 2^31, which becomes 2^30 with the exponent raised by one.
  CHECK(sameMultiplier(quantizeMultiplier(1.0 - std::ldexp(1.0, -40), "test"), {1 << 30, 1}));
  // round(0.1 * 2^4 ... ): 0.1 = 0.8 * 2^-3, 0.8 * 2^31 = 1717986918.4 -> 1717986918.
  CHECK(sameMultiplier(quantizeMultiplier(0.1, "test"), {1717986918, -3}));
}

TEST_CASE("a multiplier of 2^31 or more is refused, not shifted past 32 bits", "[quant_math]") {
  // Scales 1e30 apart (a fuzzed model) made a left shift of 116 bits.
  CHECK_THROWS_WITH(quantizeMultiplier(1e30, "CONV_2D"),
                    "CONV_2D: the real multiplier 1e+30 derived from the operands' scales is 2^31 or "
                    "more, which 32-bit fixed point cannot apply");
  CHECK_THROWS_AS(quantizeMultiplier(std::ldexp(1.0, 31), "ADD"), std::invalid_argument);
  CHECK(sameMultiplier(quantizeMultiplier(std::ldexp(1.0, 31) * 0.75, "ADD"), {1610612736, 31}));
}

TEST_CASE("multiplier variants reject what the reference rejects", "[quant_math]") {
  CHECK_THROWS_AS(quantizeMultiplier(-0.5, "MUL"), std::invalid_argument);
  CHECK_THROWS_AS(quantizeMultiplier(std::numeric_limits<double>::infinity(), "MUL"), std::invalid_argument);
  CHECK_THROWS_AS(quantizeMultiplierSmallerThanOne(1.0, "MUL"), std::invalid_argument);
  CHECK_THROWS_AS(quantizeMultiplierSmallerThanOne(0.0, "MUL"), std::invalid_argument);
  CHECK_THROWS_WITH(quantizeMultiplierSmallerThanOne(2.0, "MUL"), Catch::Contains("MUL"));
  CHECK_THROWS_AS(quantizeMultiplierGreaterThanOne(1.0, "LOGISTIC"), std::invalid_argument);
  CHECK(sameMultiplier(quantizeMultiplierSmallerThanOne(0.75, "MUL"), {1610612736, 0}));
  CHECK(sameMultiplier(quantizeMultiplierGreaterThanOne(1.5, "LOGISTIC"), {1610612736, 1}));
}

TEST_CASE("roundingDivideByPOT rounds half away from zero", "[quant_math]") {
  CHECK(roundingDivideByPOT(5, 1) == 3);    // 2.5
  CHECK(roundingDivideByPOT(-5, 1) == -3);  // -2.5
  CHECK(roundingDivideByPOT(-6, 2) == -2);  // -1.5
  CHECK(roundingDivideByPOT(-4, 3) == -1);  // -0.5
  CHECK(roundingDivideByPOT(-3, 3) == 0);   // -0.375
  CHECK(roundingDivideByPOT(-7, 2) == -2);  // -1.75
  CHECK(roundingDivideByPOT(7, 0) == 7);
  CHECK(roundingDivideByPOT(std::numeric_limits<int32_t>::min(), 31) == -1);
}

TEST_CASE("saturatingRoundingDoublingHighMul", "[quant_math]") {
  constexpr int32_t kMin = std::numeric_limits<int32_t>::min();
  // The only product that overflows: (-1) * (-1) in Q31 saturates to the largest value.
  CHECK(saturatingRoundingDoublingHighMul(kMin, kMin) == std::numeric_limits<int32_t>::max());
  CHECK(saturatingRoundingDoublingHighMul(kMin, 1 << 30) == -(1 << 30));
  CHECK(saturatingRoundingDoublingHighMul(1 << 30, 1 << 30) == 1 << 29);
  // 3 * 2^30 / 2^31 = 1.5 -> 2; -1.5 -> -1: the nudge 1 - 2^30 makes negative ties go up, not away from zero.
  CHECK(saturatingRoundingDoublingHighMul(3, 1 << 30) == 2);
  CHECK(saturatingRoundingDoublingHighMul(-3, 1 << 30) == -1);
  CHECK(saturatingRoundingDoublingHighMul(-5, 1 << 30) == -2);  // -2.5 -> -2
}

TEST_CASE("multiplyByQuantizedMultiplier double-rounds like the reference", "[quant_math]") {
  CHECK(multiplyByQuantizedMultiplier(100, {1 << 30, 0}) == 50);
  // 3 * 0.25: SRDHM gives round(1.5) = 2, then RDBPOT(2, 1) = 1.
  CHECK(multiplyByQuantizedMultiplier(3, {1 << 30, -1}) == 1);
  // -3 * 0.25: SRDHM gives -1, then RDBPOT(-1, 1) = -0.5 -> -1.
  CHECK(multiplyByQuantizedMultiplier(-3, {1 << 30, -1}) == -1);
  // 5 * 1.5: the left shift first (10), then 10 * 0.75 = 7.5 -> 8.
  CHECK(multiplyByQuantizedMultiplier(5, {1610612736, 1}) == 8);
  CHECK(multiplyByQuantizedMultiplier(-5, {1610612736, 1}) == -7);  // -7.5 -> SRDHM ties go up
  CHECK(multiplyByQuantizedMultiplier(12345, {0, 0}) == 0);
}

TEST_CASE("convolution multiplier multiplies the scales in float", "[quant_math]") {
  const float sIn = 0.1f, sF = 0.3f, sOut = 0.7f;
  const double expected = double(float(sIn * sF)) / double(sOut);
  CHECK(convolutionRealMultiplier(sIn, sF, sOut) == expected);
  CHECK(biasScaleMatches(0.5f, 0.25f, 0.125f));
  CHECK(biasScaleMatches(0.5f, 0.25f, 0.125f * (1 + 5e-7f)));
  CHECK_FALSE(biasScaleMatches(0.5f, 0.25f, 0.125f * 1.00001f));
}

TEST_CASE("activationRange maps fused activations onto the output's quantization", "[quant_math]") {
  const auto check = [](IntRange r, int32_t lo, int32_t hi) {
    CHECK(r.min == lo);
    CHECK(r.max == hi);
  };
  // uint8, s 0.05, zp 10: Q(0) = 10, Q(6) = 10 + round(6 / 0.05f) = 130, Q(+-1) = 10 -+ 20.
  const QuantParams q{0.05f, 10};
  check(activationRange<uint8_t>(FuseCode::kNone, q), 0, 255);
  check(activationRange<uint8_t>(FuseCode::kRelu, q), 10, 255);
  check(activationRange<uint8_t>(FuseCode::kRelu6, q), 10, 130);
  check(activationRange<uint8_t>(FuseCode::kRelu1, q), 0, 30);  // Q(-1) = -10 is clamped to 0
  // int8, s 0.01, zp -120: Q(6) = 480 is clamped to 127.
  const QuantParams s{0.01f, -120};
  check(activationRange<int8_t>(FuseCode::kNone, s), -128, 127);
  check(activationRange<int8_t>(FuseCode::kRelu, s), -120, 127);
  check(activationRange<int8_t>(FuseCode::kRelu6, s), -120, 127);
  check(activationRange<int8_t>(FuseCode::kRelu1, s), -128, -20);
  CHECK_THROWS_AS(activationRange<uint8_t>(static_cast<FuseCode>(4), q), std::invalid_argument);
  // A legal but tiny scale: 6 / 1e-30 and 1 / 1e-30 are far beyond int32 (found by fuzzing: the conversion was
  // undefined behaviour); the bounds saturate at the type's limits.
  const QuantParams tiny{1e-30f, 3};
  check(activationRange<uint8_t>(FuseCode::kRelu6, tiny), 3, 255);
  check(activationRange<uint8_t>(FuseCode::kRelu1, tiny), 0, 255);
  check(activationRange<int8_t>(FuseCode::kRelu6, tiny), 3, 127);
}
