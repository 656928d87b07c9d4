// DEPTHWISE_CONV_2D, quantized: a direct loop. For each output pixel the taps inside the input are listed
// first (padding taps add 0, §11.5); then, 16 channels at a time, int32 accumulators stay in registers while
// every tap is added, and the pixel goes to the output stage.
#include <algorithm>
#include <type_traits>
#include <vector>

#include "kernels/parallel_for.h"
#include "kernels/quant/conv_q8.h"
#include "kernels/quant/requantize.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define NNAPI_HOST_HAVE_X86 1
#endif

namespace nnapi_host::kernels {
namespace {

// acc[c] = sum over taps t of (sources[t][c] - zeroPoint) * weights[t][c], c < channels: portable version.
template <typename T>
void accumulateTapsPortable(const T* const* sources, const int16_t* const* weights, uint32_t taps,
                            int32_t zeroPoint, uint32_t channels, int32_t* acc) {
  std::fill(acc, acc + channels, 0);
  for (uint32_t t = 0; t < taps; ++t) {
    for (uint32_t c = 0; c < channels; ++c) acc[c] += (int32_t(sources[t][c]) - zeroPoint) * int32_t(weights[t][c]);
  }
}

#ifdef NNAPI_HOST_HAVE_X86
// The same sums 16 channels at a time: (q - zp) and the weights both fit int16, and their product is formed
// exactly from its low and high 16-bit halves (pmullw/pmulhw), so the int32 sums equal the portable ones.
// Returns the number of channels done (a multiple of 16).
template <typename T>
__attribute__((target("avx2"))) uint32_t accumulateTapsAvx2(const T* const* sources, const int16_t* const* weights,
                                                            uint32_t taps, int32_t zeroPoint, uint32_t channels,
                                                            int32_t* acc) {
  const __m256i zero = _mm256_set1_epi16(static_cast<int16_t>(zeroPoint));
  uint32_t c = 0;
  for (; c + 16 <= channels; c += 16) {
    __m256i low = _mm256_setzero_si256(), high = _mm256_setzero_si256();
    for (uint32_t t = 0; t < taps; ++t) {
      const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(sources[t] + c));
      const __m256i wide = std::is_signed_v<T> ? _mm256_cvtepi8_epi16(bytes) : _mm256_cvtepu8_epi16(bytes);
      const __m256i x = _mm256_sub_epi16(wide, zero);
      const __m256i w = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(weights[t] + c));
      const __m256i productLow = _mm256_mullo_epi16(x, w), productHigh = _mm256_mulhi_epi16(x, w);
      // Per 128-bit lane: channels 0-3 | 8-11 in `low`, 4-7 | 12-15 in `high`.
      low = _mm256_add_epi32(low, _mm256_unpacklo_epi16(productLow, productHigh));
      high = _mm256_add_epi32(high, _mm256_unpackhi_epi16(productLow, productHigh));
    }
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(acc + c), _mm256_permute2x128_si256(low, high, 0x20));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(acc + c + 8), _mm256_permute2x128_si256(low, high, 0x31));
  }
  return c;
}
#endif

template <typename T>
void accumulateTaps(const T* const* sources, const int16_t* const* weights, uint32_t taps, int32_t zeroPoint,
                    uint32_t channels, int32_t* acc) {
  uint32_t done = 0;
#ifdef NNAPI_HOST_HAVE_X86
  if (avx2KernelsEnabled()) done = accumulateTapsAvx2(sources, weights, taps, zeroPoint, channels, acc);
#endif
  if (done == channels) return;
  // The remaining channels: shift the pointers rather than copy them.
  thread_local std::vector<const T*> restSources;
  thread_local std::vector<const int16_t*> restWeights;
  restSources.resize(taps);
  restWeights.resize(taps);
  for (uint32_t t = 0; t < taps; ++t) {
    restSources[t] = sources[t] + done;
    restWeights[t] = weights[t] + done;
  }
  accumulateTapsPortable(restSources.data(), restWeights.data(), taps, zeroPoint, channels - done, acc + done);
}

}  // namespace

template <typename T, typename F>
void depthwiseConv2dQ8(const T* input, Shape4 in, const F* filter, const int32_t* bias, uint32_t multiplier,
                       const Window& win, const ConvQuant& quant, IntRange act, T* output, Shape4 out) {
  const OutputStage stage(convolutionMultipliers("DEPTHWISE_CONV_2D", quant, out.c), bias, quant.output.zero_point,
                          act);
  const int32_t filterZeroPoint = quant.filter.scaleCount == 1 ? quant.filter.zero_point : 0;
  // Filter [1, KH, KW, Cout] as int16 with its zero point subtracted, one row of Cout per tap.
  const std::size_t taps = std::size_t(win.filter_h) * win.filter_w;
  std::vector<int16_t> weights(taps * out.c);
  for (std::size_t i = 0; i < weights.size(); ++i) weights[i] = static_cast<int16_t>(filter[i] - filterZeroPoint);
  const std::size_t pixels = std::size_t(out.n) * out.h * out.w;

  parallelForRanges(pixels, 8, [&](std::size_t begin, std::size_t end) {
    std::vector<int32_t> acc(out.c);
    // With a depth multiplier m > 1, each input pixel is first widened to Cout channels (channel k*m+q = k).
    std::vector<T> widened(multiplier > 1 ? taps * out.c : 0);
    std::vector<const T*> sources(taps);
    std::vector<const int16_t*> tapWeights(taps);
    for (std::size_t pixel = begin; pixel < end; ++pixel) {
      const uint32_t ox = uint32_t(pixel % out.w);
      const uint32_t oy = uint32_t(pixel / out.w % out.h);
      const std::size_t batch = pixel / (std::size_t(out.w) * out.h);
      uint32_t inside = 0;
      for (uint32_t ky = 0; ky < win.filter_h; ++ky) {
        const int64_t y = int64_t(oy) * win.stride_h - win.pad_top + int64_t(ky) * win.dilation_h;
        if (y < 0 || y >= in.h) continue;
        for (uint32_t kx = 0; kx < win.filter_w; ++kx) {
          const int64_t x = int64_t(ox) * win.stride_w - win.pad_left + int64_t(kx) * win.dilation_w;
          if (x < 0 || x >= in.w) continue;
          const T* src = input + ((batch * in.h + y) * in.w + x) * in.c;
          if (multiplier > 1) {
            T* wide = widened.data() + std::size_t(inside) * out.c;
            for (uint32_t c = 0; c < out.c; ++c) wide[c] = src[c / multiplier];
            src = wide;
          }
          sources[inside] = src;
          tapWeights[inside] = weights.data() + (std::size_t(ky) * win.filter_w + kx) * out.c;
          ++inside;
        }
      }
      accumulateTaps(sources.data(), tapWeights.data(), inside, quant.input.zero_point, out.c, acc.data());
      stage.apply(acc.data(), 0, out.c, output + pixel * out.c);
    }
  });
}

template void depthwiseConv2dQ8<uint8_t, uint8_t>(const uint8_t*, Shape4, const uint8_t*, const int32_t*,
                                                  uint32_t, const Window&, const ConvQuant&, IntRange, uint8_t*,
                                                  Shape4);
template void depthwiseConv2dQ8<uint8_t, int8_t>(const uint8_t*, Shape4, const int8_t*, const int32_t*, uint32_t,
                                                 const Window&, const ConvQuant&, IntRange, uint8_t*, Shape4);
template void depthwiseConv2dQ8<int8_t, int8_t>(const int8_t*, Shape4, const int8_t*, const int32_t*, uint32_t,
                                                const Window&, const ConvQuant&, IntRange, int8_t*, Shape4);

}  // namespace nnapi_host::kernels
