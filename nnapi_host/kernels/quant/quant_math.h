// Integer arithmetic of NNAPI's quantized kernels, exactly as the reference CPU implementation (AOSP
// nnapi-reference, which calls TFLite's kernels) computes it: see nnapi-reference.md §11. Every quantized kernel
// in this folder is built from these pieces, so a result that differs from the reference by one quantum can be
// traced to one place.
//
// Conventions: a quantized tensor holds q with real = (q - zero_point) * scale. A QuantizedMultiplier stands for
// the real number multiplier * 2^(shift - 31); shift > 0 is a left shift (TFLite's "exponent" convention).
// Where the reference fails a kernel (a multiplier out of the range a primitive accepts), these functions throw
// std::invalid_argument naming the operation, which the executor reports as ANEURALNETWORKS_OP_FAILED.
#pragma once

#include <cstdint>
#include <limits>
#include <type_traits>

#include <gemmlowp/fixedpoint/fixedpoint.h>

namespace nnapi_host::kernels {

// Scale and zero point of a TENSOR_QUANT8_ASYMM (uint8_t) or TENSOR_QUANT8_ASYMM_SIGNED (int8_t) operand.
struct QuantParams {
  float scale = 1.0f;
  int32_t zero_point = 0;
};

// A clamp in the quantized value space (a fused activation mapped to the output's q, or the type's limits).
struct IntRange {
  int32_t min = 0;
  int32_t max = 0;
};

struct QuantizedMultiplier {
  int32_t multiplier = 0;  // in [2^30, 2^31) unless the real multiplier is 0 (or flushed to 0)
  int32_t shift = 0;       // > 0: left shift, < 0: right shift
};

// NNAPI FuseCode values (ANEURALNETWORKS_FUSED_*), repeated so the kernels need not include the C API header.
enum class FuseCode : int32_t { kNone = 0, kRelu = 1, kRelu1 = 2, kRelu6 = 3 };

// The full range of a quantized element type: [0, 255] for uint8_t, [-128, 127] for int8_t.
template <typename T>
constexpr IntRange typeRange() {
  static_assert(std::is_same_v<T, uint8_t> || std::is_same_v<T, int8_t>, "quantized kernels use uint8/int8");
  return {std::numeric_limits<T>::min(), std::numeric_limits<T>::max()};
}

// CalculateActivationRange{Uint8,Int8}: the fused activation's bounds on the output's q (§11.4). A fuse code
// outside 0..3 throws (the caller validated it; this catches a wiring mistake).
template <typename T>
IntRange activationRange(FuseCode fuse, QuantParams output);

// QuantizeMultiplier (§11.1): m = 0 -> {0, 0}; tiny m (shift < -31) is flushed to {0, 0}. m must be >= 0 and
// finite. `operation` names the caller in the error message.
QuantizedMultiplier quantizeMultiplier(double m, const char* operation);
// QuantizeMultiplierSmallerThanOneExp: requires 0 < m < 1 (so shift <= 0), else throws like the reference fails.
QuantizedMultiplier quantizeMultiplierSmallerThanOne(double m, const char* operation);
// QuantizeMultiplierGreaterThanOne: requires m > 1 (so shift >= 0).
QuantizedMultiplier quantizeMultiplierGreaterThanOne(double m, const char* operation);

// The real multiplier of a convolution or FULLY_CONNECTED: s_in * s_filter is a *float* product in the
// reference (GetQuantizedConvolutionMultipler multiplies two floats before widening), the division is double.
inline double convolutionRealMultiplier(float inputScale, float filterScale, float outputScale) {
  const float productScale = inputScale * filterScale;
  return static_cast<double>(productScale) / static_cast<double>(outputScale);
}

// The reference's bias check for per-tensor filters: |s_in*s_f - s_bias| <= 1e-6 * min(s_in*s_f, s_bias), with
// the product again a float product. A mismatch makes the reference fail the operation at run time.
bool biasScaleMatches(float inputScale, float filterScale, float biasScale);

// SaturatingRoundingDoublingHighMul: round(a * b / 2^31), ties away from zero; INT32_MIN * INT32_MIN saturates.
inline int32_t saturatingRoundingDoublingHighMul(int32_t a, int32_t b) {
  return gemmlowp::SaturatingRoundingDoublingHighMul(a, b);
}

// RoundingDivideByPOT: x / 2^exponent rounded to nearest, ties away from zero; 0 <= exponent <= 31.
inline int32_t roundingDivideByPOT(int32_t x, int exponent) { return gemmlowp::RoundingDivideByPOT(x, exponent); }

// MultiplyByQuantizedMultiplier: x * m with either shift sign. The left shift is not saturating, as in the
// reference (the callers' operands are small enough for it not to overflow).
inline int32_t multiplyByQuantizedMultiplier(int32_t x, QuantizedMultiplier m) {
  const int leftShift = m.shift > 0 ? m.shift : 0;
  const int rightShift = m.shift > 0 ? 0 : -m.shift;
  const int32_t shifted = static_cast<int32_t>(static_cast<uint32_t>(x) << leftShift);
  return roundingDivideByPOT(saturatingRoundingDoublingHighMul(shifted, m.multiplier), rightShift);
}

// int32 addition that wraps, as two's complement hardware running the reference kernels (and the AVX2 output stage's
// _mm256_add_epi32) does: a bias or accumulator near the int32 limits is legal model data, and signed overflow would
// be undefined behaviour.
inline int32_t wrappingAdd(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b));
}

// Saturating conversion of an int32 result to the element type.
template <typename T>
inline T clampTo(int32_t v, IntRange range) {
  return static_cast<T>(v < range.min ? range.min : (v > range.max ? range.max : v));
}

}  // namespace nnapi_host::kernels
