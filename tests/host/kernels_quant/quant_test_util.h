// Helpers shared by the quantized kernel tests: seeded random tensors and the float view of quantized values.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "kernels/quant/quant_math.h"

namespace quant_test {

using nnapi_host::kernels::IntRange;
using nnapi_host::kernels::QuantParams;

// Every test draws from its own generator with a fixed seed, so failures reproduce.
inline std::mt19937& rng() {
  static thread_local std::mt19937 generator(20240611);
  return generator;
}

template <typename T>
std::vector<T> randomValues(std::size_t count, int32_t lo = std::numeric_limits<T>::min(),
                            int32_t hi = std::numeric_limits<T>::max()) {
  std::uniform_int_distribution<int32_t> dist(lo, hi);
  std::vector<T> values(count);
  for (T& v : values) v = static_cast<T>(dist(rng()));
  return values;
}

inline std::vector<int32_t> randomInt32(std::size_t count, int32_t lo, int32_t hi) {
  std::uniform_int_distribution<int32_t> dist(lo, hi);
  std::vector<int32_t> values(count);
  for (int32_t& v : values) v = dist(rng());
  return values;
}

inline double realValue(int32_t q, QuantParams p) { return (q - p.zero_point) * double(p.scale); }

// The exactly rounded quantization of a real value (half away from zero), clamped to `range`.
inline int32_t quantizeExact(double real, QuantParams p, IntRange range) {
  const double q = std::round(real / p.scale) + p.zero_point;
  return int32_t(std::clamp(q, double(range.min), double(range.max)));
}

// Largest |a[i] - b[i]|, in quanta.
template <typename A, typename B>
int32_t maxDifference(const std::vector<A>& a, const std::vector<B>& b) {
  int32_t worst = 0;
  for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::abs(int32_t(a[i]) - int32_t(b[i])));
  return worst;
}

// Fraction of values strictly inside `range`: a comparison where everything saturates proves little.
template <typename T>
double fractionInside(const std::vector<T>& values, IntRange range) {
  std::size_t inside = 0;
  for (T v : values) inside += (v > range.min && v < range.max);
  return values.empty() ? 0.0 : double(inside) / double(values.size());
}

}  // namespace quant_test
