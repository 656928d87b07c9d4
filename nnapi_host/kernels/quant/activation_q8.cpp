// Quantized activations. Every element-wise one depends on the input byte alone, so each builds a 256-entry
// table with the reference's per-element arithmetic (§11.7) and maps the tensor through it: bit-exact and fast.
#include "kernels/quant/activation_q8.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "kernels/parallel_for.h"

namespace nnapi_host::kernels {
namespace {

using FixedPoint0 = gemmlowp::FixedPoint<int32_t, 0>;

// Input values as a 256-entry table indexed by the raw byte (uint8 order for both types).
template <typename T>
using Table = std::array<T, 256>;

template <typename T, typename Function>
Table<T> tabulate(const Function& f) {
  Table<T> table;
  for (int32_t v = typeRange<T>().min; v <= typeRange<T>().max; ++v) table[uint8_t(v)] = f(v);
  return table;
}

template <typename T>
void mapThroughTable(const T* input, std::size_t count, const Table<T>& table, T* output) {
  parallelForRanges(count, 1 << 16, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) output[i] = table[uint8_t(input[i])];
  });
}

// CalculateInputRadius: the largest |q - zp| whose rescaled value still fits the fixed-point input format.
int32_t inputRadius(int integerBits, int leftShift) {
  const double maxRescaled = 1.0 * ((1 << integerBits) - 1) * double(1ll << (31 - integerBits)) /
                             double(1ll << leftShift);
  return static_cast<int32_t>(std::floor(maxRescaled));
}

// LOGISTIC and TANH read the input as a Q4.27 fixed-point value: shared scaling and saturation radius.
struct Q4Input {
  QuantizedMultiplier multiplier;
  int32_t radius;
};

Q4Input q4Input(QuantParams inputQuant, const char* operation) {
  constexpr int kInputIntegerBits = 4;
  const double real = inputQuant.scale * static_cast<double>(1 << (31 - kInputIntegerBits));
  Q4Input q;
  q.multiplier = quantizeMultiplierGreaterThanOne(real, operation);
  q.radius = inputRadius(kInputIntegerBits, q.multiplier.shift);
  return q;
}

}  // namespace

template <typename T>
void clampQ8(const T* input, std::size_t count, IntRange range, T* output) {
  for (std::size_t i = 0; i < count; ++i) output[i] = clampTo<T>(input[i], range);
}

// LOGISTIC and TANH: every input value is tabulated once. The centred input, as a Q4.27 value, goes through
// gemmlowp's fixed-point function; its Q0.31 result is divided down to the op's fixed output scale
// (2^-outputShift of the Q0.31 unit: 1/256 for LOGISTIC, 1/128 for TANH), offset by the fixed output zero point
// and saturated — which also maps the reference's 256 to 255.
template <typename T, typename FixedPointFunction>
void q4ActivationQ8(const T* input, std::size_t count, QuantParams inputQuant, const char* op,
                    FixedPointFunction function, int outputShift, int32_t outputZeroPoint, T* output) {
  const Q4Input q4 = q4Input(inputQuant, op);
  const Table<T> table = tabulate<T>([&](int32_t v) -> T {
    const int32_t centered = v - inputQuant.zero_point;
    if (centered <= -q4.radius) return std::numeric_limits<T>::min();
    if (centered >= q4.radius) return std::numeric_limits<T>::max();
    const int32_t rescaled = multiplyByQuantizedMultiplier(centered, q4.multiplier);
    const int32_t y = function(gemmlowp::FixedPoint<int32_t, 4>::FromRaw(rescaled)).raw();
    return clampTo<T>(roundingDivideByPOT(y, outputShift) + outputZeroPoint, typeRange<T>());
  });
  mapThroughTable(input, count, table, output);
}

template <typename T>
void logisticQ8(const T* input, std::size_t count, QuantParams inputQuant, T* output) {
  // Output scale 1/256, zero point 0 (uint8) or -128 (int8).
  q4ActivationQ8(input, count, inputQuant, "LOGISTIC",
                 [](gemmlowp::FixedPoint<int32_t, 4> x) { return gemmlowp::logistic(x); }, 23,
                 std::is_signed_v<T> ? -128 : 0, output);
}

template <typename T>
void tanhQ8(const T* input, std::size_t count, QuantParams inputQuant, T* output) {
  // Output scale 1/128, zero point 128 (uint8) or 0 (int8).
  q4ActivationQ8(input, count, inputQuant, "TANH",
                 [](gemmlowp::FixedPoint<int32_t, 4> x) { return gemmlowp::tanh(x); }, 24,
                 std::is_signed_v<T> ? 0 : 128, output);
}

template <typename T>
void softmaxQ8(const T* input, const std::vector<uint32_t>& dims, uint32_t axis, QuantParams inputQuant, float beta,
               T* output) {
  // The tensor viewed as [outer, axisSize, inner].
  std::size_t outer = 1, inner = 1;
  for (uint32_t k = 0; k < axis; ++k) outer *= dims[k];
  for (std::size_t k = axis + 1; k < dims.size(); ++k) inner *= dims[k];
  const std::size_t axisSize = dims[axis];
  constexpr int kScaledDiffIntegerBits = 5;
  constexpr int kAccumulationIntegerBits = 12;
  using ScaledDiff = gemmlowp::FixedPoint<int32_t, kScaledDiffIntegerBits>;
  using Accumulator = gemmlowp::FixedPoint<int32_t, kAccumulationIntegerBits>;
  const double real = std::min(1.0 * beta * inputQuant.scale * double(1 << (31 - kScaledDiffIntegerBits)),
                               double((1ll << 31) - 1));
  const QuantizedMultiplier multiplier = quantizeMultiplierGreaterThanOne(real, "SOFTMAX");
  const int32_t diffMin = -inputRadius(kScaledDiffIntegerBits, multiplier.shift);
  const int32_t outputOffset = std::is_signed_v<T> ? -128 : 0;

  // exp(beta * s_in * d) for d = q - max <= 0, as a Q0.31 value; the difference is all that matters.
  const auto expOfDiff = [&](int32_t diff) {
    const int32_t rescaled = multiplyByQuantizedMultiplier(diff, multiplier);
    return gemmlowp::exp_on_negative_values(ScaledDiff::FromRaw(rescaled));
  };
  parallelForRanges(outer * inner, 64, [&](std::size_t begin, std::size_t end) {
    for (std::size_t slice = begin; slice < end; ++slice) {
      const std::size_t base = slice / inner * axisSize * inner + slice % inner;
      const T* in = input + base;
      T* out = output + base;
      int32_t maxValue = typeRange<T>().min;
      for (std::size_t i = 0; i < axisSize; ++i) maxValue = std::max<int32_t>(maxValue, in[i * inner]);
      Accumulator sum = Accumulator::Zero();
      for (std::size_t i = 0; i < axisSize; ++i) {
        const int32_t diff = int32_t(in[i * inner]) - maxValue;
        if (diff >= diffMin) sum = sum + gemmlowp::Rescale<kAccumulationIntegerBits>(expOfDiff(diff));
      }
      // 1 / sum: normalise the sum to [1, 2) by its leading zeros and invert 1 + x with gemmlowp.
      const int headroomPlusOne = __builtin_clz(static_cast<uint32_t>(sum.raw()));
      const int bitsOverUnit = kAccumulationIntegerBits - headroomPlusOne;
      const int32_t shiftedSumMinusOne =
          static_cast<int32_t>((static_cast<uint32_t>(sum.raw()) << headroomPlusOne) - (uint32_t(1) << 31));
      const FixedPoint0 reciprocal = gemmlowp::one_over_one_plus_x_for_x_in_0_1(
          FixedPoint0::FromRaw(shiftedSumMinusOne));
      for (std::size_t i = 0; i < axisSize; ++i) {
        const int32_t diff = int32_t(in[i * inner]) - maxValue;
        if (diff < diffMin) {
          out[i * inner] = std::numeric_limits<T>::min();
          continue;
        }
        const int32_t q = roundingDivideByPOT((reciprocal * expOfDiff(diff)).raw(), bitsOverUnit + 31 - 8);
        out[i * inner] = clampTo<T>(q + outputOffset, typeRange<T>());
      }
    }
  });
}

namespace {

// int16 helpers of the reference HARD_SWISH (TFLite's int16 fixed-point path).
int16_t downscaleMultiplierToInt16(int32_t multiplier) {
  constexpr int32_t kRoundingOffset = 1 << 15;
  if (multiplier >= std::numeric_limits<int32_t>::max() - kRoundingOffset) return std::numeric_limits<int16_t>::max();
  return static_cast<int16_t>((multiplier + kRoundingOffset) >> 16);
}

int16_t saturatingLeftShift16(int16_t value, int amount) {
  const int32_t shifted = int32_t(value) * (1 << amount);
  return static_cast<int16_t>(std::clamp<int32_t>(shifted, std::numeric_limits<int16_t>::min(),
                                                  std::numeric_limits<int16_t>::max()));
}

// a * b / 2^15 truncated, INT16_MIN * INT16_MIN saturating: the non-rounding doubling high multiply the reference
// uses here on purpose (it cancels the bias of the rounding ones before it).
int16_t saturatingDoublingHighMul16(int16_t a, int16_t b) {
  if (a == b && a == std::numeric_limits<int16_t>::min()) return std::numeric_limits<int16_t>::max();
  return static_cast<int16_t>(int32_t(a) * int32_t(b) / (1 << 15));
}

}  // namespace

template <typename T>
void hardSwishQ8(const T* input, std::size_t count, QuantParams inputQuant, T* output, QuantParams outputQuant) {
  // The reference computes these ratios in float.
  const float hiresInputScale = (1.0f / 128.0f) * inputQuant.scale;
  const float reluishScale = 3.0f / 32768.0f;
  const QuantizedMultiplier outputMultiplier = quantizeMultiplier(hiresInputScale / outputQuant.scale, "HARD_SWISH");
  if (outputMultiplier.shift > 0) {
    throw std::invalid_argument("HARD_SWISH: output scale must be at least input scale / 128");
  }
  const QuantizedMultiplier reluishMultiplier = quantizeMultiplier(hiresInputScale / reluishScale, "HARD_SWISH");
  const int16_t outputMultiplier16 = downscaleMultiplierToInt16(outputMultiplier.multiplier);
  const int16_t reluishMultiplier16 = downscaleMultiplierToInt16(reluishMultiplier.multiplier);
  const int reluishShift = reluishMultiplier.shift;

  const Table<T> table = tabulate<T>([&](int32_t v) -> T {
    const int16_t hires = static_cast<int16_t>((v - inputQuant.zero_point) * (1 << 7));
    const int16_t preshiftOutput = gemmlowp::SaturatingRoundingDoublingHighMul(hires, outputMultiplier16);
    // relu6(x + 3) / 6 as a value in [-1, 1] on the scale where 3.0 is 32768, with careful left shifts.
    int16_t reluish = hires;
    if (reluishShift > 0) reluish = saturatingLeftShift16(reluish, reluishShift - 1);
    reluish = gemmlowp::SaturatingRoundingDoublingHighMul(reluish, reluishMultiplier16);
    if (reluishShift > 0) reluish = saturatingLeftShift16(reluish, 1);
    if (reluishShift < 0) reluish = gemmlowp::RoundingDivideByPOT(reluish, -reluishShift);
    reluish = static_cast<int16_t>((int32_t(reluish) + (1 << 15)) >> 1);  // [-1, 1] -> [0, 1]
    const int16_t preshift = saturatingDoublingHighMul16(reluish, preshiftOutput);
    int16_t result = gemmlowp::RoundingDivideByPOT(preshift, -outputMultiplier.shift);
    result = static_cast<int16_t>(result + outputQuant.zero_point);
    return clampTo<T>(result, typeRange<T>());
  });
  mapThroughTable(input, count, table, output);
}

#define NNAPI_HOST_INSTANTIATE_ACTIVATION_Q8(T)                                                                 \
  template void clampQ8<T>(const T*, std::size_t, IntRange, T*);                                               \
  template void logisticQ8<T>(const T*, std::size_t, QuantParams, T*);                                         \
  template void tanhQ8<T>(const T*, std::size_t, QuantParams, T*);                                             \
  template void softmaxQ8<T>(const T*, const std::vector<uint32_t>&, uint32_t, QuantParams, float, T*);         \
  template void hardSwishQ8<T>(const T*, std::size_t, QuantParams, T*, QuantParams);
NNAPI_HOST_INSTANTIATE_ACTIVATION_Q8(uint8_t)
NNAPI_HOST_INSTANTIATE_ACTIVATION_Q8(int8_t)
#undef NNAPI_HOST_INSTANTIATE_ACTIVATION_Q8

}  // namespace nnapi_host::kernels
