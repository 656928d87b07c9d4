// The §11.5 output stage, scalar and AVX2 (fixed_point_avx2.h), 8 channels at a time where the CPU allows.
#include "kernels/quant/requantize.h"

#include <atomic>

#if defined(__x86_64__) || defined(__i386__)
#include "kernels/quant/fixed_point_avx2.h"
#define NNAPI_HOST_HAVE_X86 1
#endif

namespace nnapi_host::kernels {
namespace {

std::atomic<bool> forcePortable{false};

#ifdef NNAPI_HOST_HAVE_X86
template <typename T>
__attribute__((target("avx2"))) uint32_t applyAvx2(const int32_t* acc, const int32_t* bias,
                                                   const int32_t* multiplier, const int32_t* leftShift,
                                                   const int32_t* rightShift, int32_t zeroPoint, IntRange act,
                                                   uint32_t count, T* out) {
  using namespace avx2;
  const __m256i zp = _mm256_set1_epi32(zeroPoint), lo = _mm256_set1_epi32(act.min), hi = _mm256_set1_epi32(act.max);
  uint32_t c = 0;
  for (; c + 8 <= count; c += 8) {
    const __m256i x = _mm256_add_epi32(load8(acc + c), load8(bias + c));
    const __m256i scaled =
        multiplyByQuantizedMultiplier(x, load8(multiplier + c), load8(leftShift + c), load8(rightShift + c));
    store8(_mm256_min_epi32(_mm256_max_epi32(_mm256_add_epi32(scaled, zp), lo), hi), out + c);
  }
  return c;
}
#endif

}  // namespace

void setPortableKernelsForTesting(bool portable) { forcePortable.store(portable); }

bool avx2KernelsEnabled() {
#ifdef NNAPI_HOST_HAVE_X86
  static const bool cpuHasAvx2 = __builtin_cpu_supports("avx2");
  return cpuHasAvx2 && !forcePortable.load(std::memory_order_relaxed);
#else
  return false;
#endif
}

OutputStage::OutputStage(const std::vector<QuantizedMultiplier>& multipliers, const int32_t* bias,
                         int32_t outputZeroPoint, IntRange act)
    : bias_(multipliers.size(), 0),
      multiplier_(multipliers.size()),
      leftShift_(multipliers.size()),
      rightShift_(multipliers.size()),
      zeroPoint_(outputZeroPoint),
      act_(act) {
  for (std::size_t c = 0; c < multipliers.size(); ++c) {
    if (bias != nullptr) bias_[c] = bias[c];
    multiplier_[c] = multipliers[c].multiplier;
    leftShift_[c] = multipliers[c].shift > 0 ? multipliers[c].shift : 0;
    rightShift_[c] = multipliers[c].shift > 0 ? 0 : -multipliers[c].shift;
  }
}

template <typename T>
void OutputStage::apply(const int32_t* acc, uint32_t firstChannel, uint32_t count, T* out) const {
  uint32_t c = 0;
#ifdef NNAPI_HOST_HAVE_X86
  if (avx2KernelsEnabled()) {
    c = applyAvx2(acc, bias_.data() + firstChannel, multiplier_.data() + firstChannel,
                  leftShift_.data() + firstChannel, rightShift_.data() + firstChannel, zeroPoint_, act_, count, out);
  }
#endif
  for (; c < count; ++c) {
    const uint32_t channel = firstChannel + c;
    const QuantizedMultiplier m{multiplier_[channel], leftShift_[channel] - rightShift_[channel]};
    out[c] = clampTo<T>(wrappingAdd(multiplyByQuantizedMultiplier(wrappingAdd(acc[c], bias_[channel]), m), zeroPoint_),
                        act_);
  }
}

template void OutputStage::apply<uint8_t>(const int32_t*, uint32_t, uint32_t, uint8_t*) const;
template void OutputStage::apply<int8_t>(const int32_t*, uint32_t, uint32_t, int8_t*) const;

}  // namespace nnapi_host::kernels
