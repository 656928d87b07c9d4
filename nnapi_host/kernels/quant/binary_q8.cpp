// Quantized broadcasting binary operations: one broadcast walk, and per operation the reference's parameters
// (computed once, with the reference's float/double mix) and its per-element integer formula.
#include "kernels/quant/binary_q8.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "kernels/parallel_for.h"
#include "kernels/quant/requantize.h"

#if defined(__x86_64__) || defined(__i386__)
#include "kernels/quant/fixed_point_avx2.h"
#define NNAPI_HOST_HAVE_X86 1
#endif

namespace nnapi_host::kernels {
namespace {

// out[i] = op(a[ia], b[ib]) over the broadcast of aDims and bDims, both padded to rank 4 from the front.
template <typename T, typename Op>
void broadcastApply(const T* a, const Dims& aDims, const T* b, const Dims& bDims, T* out, const Op& op) {
  std::array<std::size_t, 4> extent{}, aStride{}, bStride{};
  std::size_t aNext = 1, bNext = 1;
  for (int axis = 3; axis >= 0; --axis) {
    const int fromEnd = 3 - axis;
    const uint32_t aExtent = fromEnd < int(aDims.size()) ? aDims[aDims.size() - 1 - fromEnd] : 1;
    const uint32_t bExtent = fromEnd < int(bDims.size()) ? bDims[bDims.size() - 1 - fromEnd] : 1;
    extent[axis] = std::max(aExtent, bExtent);
    aStride[axis] = aExtent == 1 ? 0 : aNext;
    bStride[axis] = bExtent == 1 ? 0 : bNext;
    aNext *= aExtent;
    bNext *= bExtent;
  }
  const std::size_t inner = extent[3];
  const std::size_t outerCount = extent[0] * extent[1] * extent[2];
  parallelForRanges(outerCount, std::max<std::size_t>(1, 4096 / std::max<std::size_t>(inner, 1)),
                    [&](std::size_t begin, std::size_t end) {
                      for (std::size_t outer = begin; outer < end; ++outer) {
                        const std::size_t i2 = outer % extent[2];
                        const std::size_t i1 = outer / extent[2] % extent[1];
                        const std::size_t i0 = outer / (extent[2] * extent[1]);
                        const T* aRow = a + i0 * aStride[0] + i1 * aStride[1] + i2 * aStride[2];
                        const T* bRow = b + i0 * bStride[0] + i1 * bStride[1] + i2 * bStride[2];
                        T* outRow = out + outer * inner;
                        for (std::size_t i = 0; i < inner; ++i) {
                          outRow[i] = op(aRow[i * aStride[3]], bRow[i * bStride[3]]);
                        }
                      }
                    });
}

// ADD and SUB (§11.2): both inputs are brought to a common scale 2*max(s_a, s_b) with 20 bits of headroom.
struct AddParameters {
  static constexpr int kLeftShift = 20;
  QuantParams a, b, output;
  QuantizedMultiplier aMultiplier, bMultiplier, outputMultiplier;  // SUB: bMultiplier.multiplier < 0
  IntRange act;

  template <typename T>
  T operator()(T x, T y) const {
    const int32_t xShifted = (int32_t(x) - a.zero_point) * (1 << kLeftShift);
    const int32_t yShifted = (int32_t(y) - b.zero_point) * (1 << kLeftShift);
    const int32_t sum =
        multiplyByQuantizedMultiplier(xShifted, aMultiplier) + multiplyByQuantizedMultiplier(yShifted, bMultiplier);
    return clampTo<T>(multiplyByQuantizedMultiplier(sum, outputMultiplier) + output.zero_point, act);
  }
};

#ifdef NNAPI_HOST_HAVE_X86
// The same-shape case, 8 elements at a time; returns how many elements it did (a multiple of 8).
template <typename T>
__attribute__((target("avx2"))) std::size_t addAvx2(const AddParameters& p, const T* a, const T* b,
                                                    std::size_t count, T* out) {
  using namespace avx2;
  // The vector SRDHM takes multipliers >= 0; SUB's negated multiplier is applied by negating the input instead,
  // which is the same product (inputs are far from INT32_MIN).
  const bool subtract = p.bMultiplier.multiplier < 0;
  // Lambdas would not inherit this function's AVX2 target, hence the spelled-out set1 calls.
  const __m256i aZero = _mm256_set1_epi32(p.a.zero_point), bZero = _mm256_set1_epi32(p.b.zero_point);
  const __m256i outZero = _mm256_set1_epi32(p.output.zero_point);
  const __m256i aM = _mm256_set1_epi32(p.aMultiplier.multiplier);
  const __m256i aL = _mm256_set1_epi32(std::max(p.aMultiplier.shift, 0));
  const __m256i aR = _mm256_set1_epi32(std::max(-p.aMultiplier.shift, 0));
  const __m256i bM = _mm256_set1_epi32(subtract ? -p.bMultiplier.multiplier : p.bMultiplier.multiplier);
  const __m256i bL = _mm256_set1_epi32(std::max(p.bMultiplier.shift, 0));
  const __m256i bR = _mm256_set1_epi32(std::max(-p.bMultiplier.shift, 0));
  const __m256i oM = _mm256_set1_epi32(p.outputMultiplier.multiplier);
  const __m256i oL = _mm256_set1_epi32(std::max(p.outputMultiplier.shift, 0));
  const __m256i oR = _mm256_set1_epi32(std::max(-p.outputMultiplier.shift, 0));
  const __m256i lo = _mm256_set1_epi32(p.act.min), hi = _mm256_set1_epi32(p.act.max);
  std::size_t i = 0;
  for (; i + 8 <= count; i += 8) {
    const __m256i x = _mm256_slli_epi32(_mm256_sub_epi32(widen8(a + i), aZero), AddParameters::kLeftShift);
    __m256i y = _mm256_slli_epi32(_mm256_sub_epi32(widen8(b + i), bZero), AddParameters::kLeftShift);
    if (subtract) y = _mm256_sub_epi32(_mm256_setzero_si256(), y);
    const __m256i sum = _mm256_add_epi32(multiplyByQuantizedMultiplier(x, aM, aL, aR),
                                         multiplyByQuantizedMultiplier(y, bM, bL, bR));
    const __m256i q = _mm256_add_epi32(multiplyByQuantizedMultiplier(sum, oM, oL, oR), outZero);
    store8(_mm256_min_epi32(_mm256_max_epi32(q, lo), hi), out + i);
  }
  return i;
}
#endif

template <typename T>
void addOrSub(const char* operation, bool subtract, const T* a, const Dims& aDims, QuantParams aQuant, const T* b,
              const Dims& bDims, QuantParams bQuant, IntRange act, T* output, QuantParams outputQuant) {
  AddParameters p{aQuant, bQuant, outputQuant, {}, {}, {}, act};
  const float twiceMaxScale = 2 * std::max(aQuant.scale, bQuant.scale);  // float, as in the reference
  p.aMultiplier = quantizeMultiplierSmallerThanOne(double(aQuant.scale) / twiceMaxScale, operation);
  p.bMultiplier = quantizeMultiplierSmallerThanOne(double(bQuant.scale) / twiceMaxScale, operation);
  if (subtract) p.bMultiplier.multiplier = -p.bMultiplier.multiplier;
  p.outputMultiplier = quantizeMultiplierSmallerThanOne(
      double(twiceMaxScale) / double(float(1 << AddParameters::kLeftShift) * outputQuant.scale), operation);
  if (aDims != bDims) return broadcastApply(a, aDims, b, bDims, output, p);
  std::size_t count = 1;
  for (uint32_t d : aDims) count *= d;
  parallelForRanges(count, 1 << 14, [&](std::size_t begin, std::size_t end) {
    std::size_t i = begin;
#ifdef NNAPI_HOST_HAVE_X86
    if (avx2KernelsEnabled()) i += addAvx2(p, a + begin, b + begin, end - begin, output + begin);
#endif
    for (; i < end; ++i) output[i] = p(a[i], b[i]);
  });
}

// MAXIMUM/MINIMUM map each input to the output's q first (OperationsUtils requantize): (q - zp) * s is a float
// product, the rest double, clamped to the type's range before rounding half away from zero.
template <typename T>
T requantizeValue(T value, QuantParams from, QuantParams to) {
  const double real = (int32_t(value) - from.zero_point) * from.scale;
  const double target = real / to.scale + to.zero_point;
  const IntRange limits = typeRange<T>();
  if (target < limits.min) return T(limits.min);
  if (target > limits.max) return T(limits.max);
  return static_cast<T>(std::round(target));
}

}  // namespace

template <typename T>
void addQ8(const T* a, const Dims& aDims, QuantParams aQuant, const T* b, const Dims& bDims, QuantParams bQuant,
           IntRange act, T* output, QuantParams outputQuant) {
  addOrSub("ADD", false, a, aDims, aQuant, b, bDims, bQuant, act, output, outputQuant);
}

template <typename T>
void subQ8(const T* a, const Dims& aDims, QuantParams aQuant, const T* b, const Dims& bDims, QuantParams bQuant,
           IntRange act, T* output, QuantParams outputQuant) {
  addOrSub("SUB", true, a, aDims, aQuant, b, bDims, bQuant, act, output, outputQuant);
}

template <typename T>
void mulQ8(const T* a, const Dims& aDims, QuantParams aQuant, const T* b, const Dims& bDims, QuantParams bQuant,
           IntRange act, T* output, QuantParams outputQuant) {
  const float productScale = aQuant.scale * bQuant.scale;  // float product, as in the reference
  const QuantizedMultiplier multiplier =
      quantizeMultiplierSmallerThanOne(double(productScale) / double(outputQuant.scale), "MUL");
  broadcastApply(a, aDims, b, bDims, output, [&](T x, T y) {
    const int32_t product = (int32_t(x) - aQuant.zero_point) * (int32_t(y) - bQuant.zero_point);
    return clampTo<T>(multiplyByQuantizedMultiplier(product, multiplier) + outputQuant.zero_point, act);
  });
}

template <typename T>
void preluQ8(const T* x, const Dims& xDims, QuantParams xQuant, const T* alpha, const Dims& alphaDims,
             QuantParams alphaQuant, T* output, QuantParams outputQuant) {
  // Both ratios are formed in float before widening, as the reference writes them.
  const float positiveScale = xQuant.scale / outputQuant.scale;
  const float productScale = xQuant.scale * alphaQuant.scale;
  const QuantizedMultiplier positive = quantizeMultiplier(positiveScale, "PRELU");
  const QuantizedMultiplier negative =
      quantizeMultiplier(double(productScale) / double(outputQuant.scale), "PRELU");
  const IntRange limits = typeRange<T>();
  broadcastApply(x, xDims, alpha, alphaDims, output, [&](T value, T slope) {
    const int32_t centered = int32_t(value) - xQuant.zero_point;
    const int32_t scaled =
        centered >= 0 ? multiplyByQuantizedMultiplier(centered, positive)
                      : multiplyByQuantizedMultiplier(centered * (int32_t(slope) - alphaQuant.zero_point), negative);
    return clampTo<T>(scaled + outputQuant.zero_point, limits);
  });
}

template <typename T>
void maximumQ8(const T* a, const Dims& aDims, QuantParams aQuant, const T* b, const Dims& bDims, QuantParams bQuant,
               T* output, QuantParams outputQuant) {
  broadcastApply(a, aDims, b, bDims, output, [&](T x, T y) {
    return std::max(requantizeValue(x, aQuant, outputQuant), requantizeValue(y, bQuant, outputQuant));
  });
}

template <typename T>
void minimumQ8(const T* a, const Dims& aDims, QuantParams aQuant, const T* b, const Dims& bDims, QuantParams bQuant,
               T* output, QuantParams outputQuant) {
  broadcastApply(a, aDims, b, bDims, output, [&](T x, T y) {
    return std::min(requantizeValue(x, aQuant, outputQuant), requantizeValue(y, bQuant, outputQuant));
  });
}

#define NNAPI_HOST_INSTANTIATE_BINARY_Q8(T)                                                                      \
  template void addQ8<T>(const T*, const Dims&, QuantParams, const T*, const Dims&, QuantParams, IntRange, T*,   \
                         QuantParams);                                                                           \
  template void subQ8<T>(const T*, const Dims&, QuantParams, const T*, const Dims&, QuantParams, IntRange, T*,   \
                         QuantParams);                                                                           \
  template void mulQ8<T>(const T*, const Dims&, QuantParams, const T*, const Dims&, QuantParams, IntRange, T*,   \
                         QuantParams);                                                                           \
  template void preluQ8<T>(const T*, const Dims&, QuantParams, const T*, const Dims&, QuantParams, T*,           \
                           QuantParams);                                                                         \
  template void maximumQ8<T>(const T*, const Dims&, QuantParams, const T*, const Dims&, QuantParams, T*,         \
                             QuantParams);                                                                       \
  template void minimumQ8<T>(const T*, const Dims&, QuantParams, const T*, const Dims&, QuantParams, T*, QuantParams);
NNAPI_HOST_INSTANTIATE_BINARY_Q8(uint8_t)
NNAPI_HOST_INSTANTIATE_BINARY_Q8(int8_t)
#undef NNAPI_HOST_INSTANTIATE_BINARY_Q8

}  // namespace nnapi_host::kernels
