// Internal to the quantized kernels: the output stage shared by every kernel with an int32 accumulator
// (§11.5): add the bias, scale by the per-channel quantized multiplier (MBQM), add the output zero point, clamp.
// It runs once per output element, so an AVX2 version (chosen at run time, bit-identical) does 8 at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "kernels/quant/quant_math.h"

namespace nnapi_host::kernels {

// Per-channel parameters in the layout the vector code loads: one array per field.
class OutputStage {
 public:
  // multipliers: one per channel; bias: one per channel or nullptr. Multipliers must be >= 0 (they are: they come
  // from quantizeMultiplier of a non-negative ratio).
  OutputStage(const std::vector<QuantizedMultiplier>& multipliers, const int32_t* bias, int32_t outputZeroPoint,
              IntRange act);

  // out[c] = clamp(MBQM(acc[c] + bias[first + c], multiplier[first + c]) + zp) for c < count.
  template <typename T>
  void apply(const int32_t* acc, uint32_t firstChannel, uint32_t count, T* out) const;

 private:
  std::vector<int32_t> bias_, multiplier_, leftShift_, rightShift_;
  int32_t zeroPoint_;
  IntRange act_;
};

// True where the quantized kernels may take their AVX2 paths: an x86 CPU with AVX2, unless a test forced the
// portable code with setPortableKernelsForTesting(true) to check that both give the same results.
bool avx2KernelsEnabled();
void setPortableKernelsForTesting(bool portable);

}  // namespace nnapi_host::kernels
