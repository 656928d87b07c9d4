// Multiplier quantization and activation bounds: the parts of §11 that run once per operation, not per element.
#include "kernels/quant/quant_math.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>

namespace nnapi_host::kernels {
namespace {

[[noreturn]] void failMultiplier(const char* operation, double m, const char* requirement,
                                 const char* consequence = "which the NNAPI reference implementation rejects") {
  std::ostringstream message;
  message.precision(17);
  message << operation << ": the real multiplier " << m << " derived from the operands' scales " << requirement
          << ", " << consequence;
  throw std::invalid_argument(message.str());
}

}  // namespace

template <typename T>
IntRange activationRange(FuseCode fuse, QuantParams output) {
  const IntRange limits = typeRange<T>();
  // float division, then std::round (half away from zero): the reference's quantize lambda. A bound that leaves the
  // type's range (a legal but tiny output scale puts 6.0 beyond int32) is clamped to it, where the min/max below put
  // it anyway: converting it to int32 unclamped would be undefined behaviour.
  const auto quantize = [output, limits](float f) {
    const float q = static_cast<float>(output.zero_point) + std::round(f / output.scale);
    return static_cast<int32_t>(std::clamp(q, static_cast<float>(limits.min), static_cast<float>(limits.max)));
  };
  switch (fuse) {
    case FuseCode::kNone:
      return limits;
    case FuseCode::kRelu:
      return {std::max(limits.min, quantize(0.0f)), limits.max};
    case FuseCode::kRelu1:
      return {std::max(limits.min, quantize(-1.0f)), std::min(limits.max, quantize(1.0f))};
    case FuseCode::kRelu6:
      return {std::max(limits.min, quantize(0.0f)), std::min(limits.max, quantize(6.0f))};
  }
  throw std::invalid_argument("fused activation code " + std::to_string(static_cast<int32_t>(fuse)) +
                              " is not one of NONE(0), RELU(1), RELU1(2), RELU6(3)");
}
template IntRange activationRange<uint8_t>(FuseCode, QuantParams);
template IntRange activationRange<int8_t>(FuseCode, QuantParams);

QuantizedMultiplier quantizeMultiplier(double m, const char* operation) {
  if (!(m >= 0.0) || !std::isfinite(m)) failMultiplier(operation, m, "is negative or not finite");
  if (m == 0.0) return {};
  int exponent = 0;
  const double fraction = std::frexp(m, &exponent);  // m = fraction * 2^exponent, fraction in [0.5, 1)
  int64_t fixed = static_cast<int64_t>(std::round(fraction * static_cast<double>(1ll << 31)));
  if (fixed == (1ll << 31)) {  // the fraction rounded up to 1.0
    fixed /= 2;
    ++exponent;
  }
  // Below 2^-31 every product would be shifted out; the reference flushes such multipliers to zero.
  if (exponent < -31) return {};
  // From 2^31 on, the left shift of a 32-bit value is undefined (the reference shifts anyway; found by fuzzing).
  if (exponent > 31) failMultiplier(operation, m, "is 2^31 or more", "which 32-bit fixed point cannot apply");
  return {static_cast<int32_t>(fixed), exponent};
}

QuantizedMultiplier quantizeMultiplierSmallerThanOne(double m, const char* operation) {
  if (!(m > 0.0 && m < 1.0)) failMultiplier(operation, m, "is not in (0, 1)");
  const QuantizedMultiplier q = quantizeMultiplier(m, operation);
  if (q.shift > 0) failMultiplier(operation, m, "rounds to 1 or more");
  return q;
}

QuantizedMultiplier quantizeMultiplierGreaterThanOne(double m, const char* operation) {
  if (!(m > 1.0)) failMultiplier(operation, m, "is not greater than 1");
  return quantizeMultiplier(m, operation);
}

bool biasScaleMatches(float inputScale, float filterScale, float biasScale) {
  const double product = static_cast<double>(inputScale * filterScale);
  const double bias = static_cast<double>(biasScale);
  return std::abs(product - bias) <= 1e-6 * std::min(product, bias) && product >= 0.0;
}

}  // namespace nnapi_host::kernels
