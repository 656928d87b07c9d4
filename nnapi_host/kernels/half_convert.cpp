#include "kernels/half_convert.h"

#include <cmath>
#include <cstring>

namespace nnapi_host::kernels {
namespace {

float toFloat(uint16_t h) {
  const uint32_t sign = uint32_t(h & 0x8000) << 16;
  const uint32_t exponent = (h >> 10) & 0x1f, mantissa = h & 0x3ff;
  float magnitude;
  if (exponent == 0) magnitude = std::ldexp(float(mantissa), -24);  // zero and subnormals
  else if (exponent == 31) magnitude = mantissa ? NAN : INFINITY;
  else magnitude = std::ldexp(float(mantissa | 0x400), int(exponent) - 25);
  uint32_t bits;
  std::memcpy(&bits, &magnitude, 4);
  bits |= sign;
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

uint16_t toHalf(float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  const uint16_t sign = uint16_t((x >> 16) & 0x8000);
  const uint32_t abs = x & 0x7fffffffu;
  if (abs >= 0x7f800000u) return sign | (abs > 0x7f800000u ? 0x7e00 : 0x7c00);  // NaN, infinity
  if (abs >= 0x477ff000u) return sign | 0x7c00;                                // >= 65520 rounds to infinity
  if (abs < 0x38800000u) {  // below 2^-14: a half subnormal (or zero), in units of 2^-24
    float magnitude;
    std::memcpy(&magnitude, &abs, 4);
    return sign | uint16_t(std::nearbyint(magnitude * 16777216.0f));  // default rounding: nearest even
  }
  const uint32_t exponent = (abs >> 23) - 127 + 15, mantissa = abs & 0x7fffff;
  uint32_t h = (exponent << 10) | (mantissa >> 13);
  const uint32_t rest = mantissa & 0x1fff;
  if (rest > 0x1000 || (rest == 0x1000 && (h & 1))) ++h;  // a carry correctly bumps the exponent
  return sign | uint16_t(h);
}

}  // namespace

void halfToFloat(const uint16_t* in, size_t count, float* out) {
  for (size_t i = 0; i < count; ++i) out[i] = toFloat(in[i]);
}

void floatToHalf(const float* in, size_t count, uint16_t* out) {
  for (size_t i = 0; i < count; ++i) out[i] = toHalf(in[i]);
}

void roundToHalfPrecision(const float* in, size_t count, float* out) {
  for (size_t i = 0; i < count; ++i) out[i] = toFloat(toHalf(in[i]));
}

}  // namespace nnapi_host::kernels
