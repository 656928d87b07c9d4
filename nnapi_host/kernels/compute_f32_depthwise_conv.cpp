// DEPTHWISE_CONV_2D in float32.
//
// Each output needs only KH·KW multiply-adds, too little for a matrix product to pay off, so this is a direct
// NHWC loop. Channels are contiguous in input, filter and output alike, so the work is done on blocks of
// channels held in GCC/Clang vector values (one SIMD register), accumulated over all taps in registers.
// Neighbouring output pixels are computed together where their windows lie wholly inside the input: they
// share each filter load, and their independent sums hide the latency of the multiply-add, which limits a
// single running sum to one tap every few cycles.
#include <algorithm>
#include <cstring>

#include "kernels/compute_f32.h"
#include "kernels/parallel_for.h"

namespace nnapi_host::kernels {
namespace {

// The block is one native vector register: GCC keeps vectors of the native width in registers but spills
// wider ones to the stack (a 64-byte vector without AVX-512 ran slower than plain SSE).
#if defined(__AVX512F__)
constexpr std::size_t kChannelBlock = 16;
#elif defined(__AVX__)
constexpr std::size_t kChannelBlock = 8;
#else
constexpr std::size_t kChannelBlock = 4;
#endif
// Pixels computed together: enough independent multiply-adds to cover their latency, few enough to leave
// registers for the loads (6 measured best of 4/6/8 with SSE, AVX2 and AVX-512 builds).
constexpr std::size_t kPixelsTogether = 6;
typedef float ChannelBlock __attribute__((vector_size(kChannelBlock * sizeof(float))));

inline ChannelBlock loadBlock(const float* p) {
  ChannelBlock v;
  std::memcpy(&v, p, sizeof v);  // unaligned load
  return v;
}

// The filter taps [begin, end) along one axis whose input coordinate base + tap·dilation lies in [0, extent).
struct TapRange {
  uint32_t begin, end;
};

TapRange tapsInside(long base, uint32_t dilation, uint32_t taps, uint32_t extent) {
  const long d = long(dilation);
  const long lastInside = long(extent) - 1 - base;  // largest tap·dilation still inside
  long begin = base >= 0 ? 0 : (-base + d - 1) / d;
  long end = lastInside < 0 ? 0 : lastInside / d + 1;
  begin = std::min(begin, long(taps));
  end = std::clamp(end, begin, long(taps));
  return {uint32_t(begin), uint32_t(end)};
}

// One output row of one batch item, with its filter rows already clipped to the input.
struct DepthwiseRow {
  const float* image;  // this batch item's input
  Shape4 in;
  const float* filter;
  const float* bias;
  const Window& win;
  FloatRange act;
  uint32_t multiplier;
  float* outRow;
  std::size_t outChannels;
  long ihBase;
  TapRange rows;

  long iwBase(std::size_t ow) const { return long(ow * win.stride_w) - long(win.pad_left); }
  TapRange colsOf(std::size_t ow) const { return tapsInside(iwBase(ow), win.dilation_w, win.filter_w, in.w); }

  // Output pixels [ow, ow + Pixels) for channels [c0, c0 + kChannelBlock), multiplier 1; all of them use the
  // filter columns `cols`. Pointers step from tap to tap so the loop body is loads and multiply-adds.
  template <std::size_t Pixels>
  void block(std::size_t ow, std::size_t c0, TapRange cols) const {
    const ChannelBlock initial = bias != nullptr ? loadBlock(bias + c0) : ChannelBlock{};
    ChannelBlock acc[Pixels];
    for (std::size_t p = 0; p < Pixels; ++p) acc[p] = initial;
    const std::size_t pixelStep = std::size_t(win.stride_w) * in.c;
    const std::size_t inputRowStep = std::size_t(win.dilation_h) * in.w * in.c;
    const std::size_t inputTapStep = std::size_t(win.dilation_w) * in.c;
    const std::size_t filterRowStep = std::size_t(win.filter_w) * in.c;
    const float* inputRow = image + (std::size_t(ihBase + long(rows.begin * win.dilation_h)) * in.w +
                                     std::size_t(iwBase(ow) + long(cols.begin * win.dilation_w))) * in.c + c0;
    const float* filterRow = filter + (std::size_t(rows.begin) * win.filter_w + cols.begin) * in.c + c0;
    for (uint32_t kh = rows.begin; kh < rows.end; ++kh, inputRow += inputRowStep, filterRow += filterRowStep) {
      const float* x = inputRow;
      const float* f = filterRow;
      for (uint32_t kw = cols.begin; kw < cols.end; ++kw, x += inputTapStep, f += in.c) {
        const ChannelBlock weights = loadBlock(f);
        for (std::size_t p = 0; p < Pixels; ++p) acc[p] += loadBlock(x + p * pixelStep) * weights;
      }
    }
    const ChannelBlock lowest = ChannelBlock{} + act.min, highest = ChannelBlock{} + act.max;
    for (std::size_t p = 0; p < Pixels; ++p) {
      ChannelBlock v = acc[p] < lowest ? lowest : acc[p];
      v = v > highest ? highest : v;
      std::memcpy(outRow + (ow + p) * outChannels + c0, &v, sizeof v);
    }
  }

  // One pixel, any multiplier, channels [c0, outChannels): the channels after the last full block (all of them
  // when the multiplier is not 1). Output channel k·m+q reads input channel k.
  void remainingChannels(std::size_t ow, std::size_t c0) const {
    float* out = outRow + ow * outChannels;
    const TapRange cols = colsOf(ow);
    for (std::size_t o = c0; o < outChannels; ++o) out[o] = bias != nullptr ? bias[o] : 0.0f;
    for (uint32_t kh = rows.begin; kh < rows.end; ++kh) {
      for (uint32_t kw = cols.begin; kw < cols.end; ++kw) {
        const float* x = image + (std::size_t(ihBase + long(kh * win.dilation_h)) * in.w +
                                  std::size_t(iwBase(ow) + long(kw * win.dilation_w))) * in.c;
        const float* f = filter + (std::size_t(kh) * win.filter_w + kw) * outChannels;
        for (std::size_t o = c0; o < outChannels; ++o) out[o] += x[o / multiplier] * f[o];
      }
    }
    const FloatRange range = act;  // a local copy: `out` could alias `act` as far as the compiler knows
    for (std::size_t o = c0; o < outChannels; ++o) out[o] = std::min(std::max(out[o], range.min), range.max);
  }
};

// The output columns [begin, end) whose windows have every filter column inside the input.
struct InteriorColumns {
  std::size_t begin, end;
};

InteriorColumns interiorColumns(const Window& win, uint32_t inWidth, uint32_t outWidth) {
  const std::size_t begin = (win.pad_left + win.stride_w - 1) / win.stride_w;
  const long lastStart = long(inWidth) - 1 + long(win.pad_left) - long((win.filter_w - 1) * win.dilation_w);
  const std::size_t end = lastStart < 0 ? 0 : std::min<std::size_t>(outWidth, std::size_t(lastStart) / win.stride_w + 1);
  return {begin, std::max(begin, end)};
}

}  // namespace

void depthwiseConv2dF32(const float* input, Shape4 in, const float* filter, const float* bias, uint32_t multiplier,
                        const Window& win, FloatRange act, float* output, Shape4 out) {
  const InteriorColumns interior = interiorColumns(win, in.w, out.w);
  const std::size_t fullBlocks = multiplier == 1 ? out.c / kChannelBlock : 0;
  const TapRange allColumns{0, win.filter_w};
  parallelForRanges(std::size_t(out.n) * out.h, 1, [&](std::size_t rowBegin, std::size_t rowEnd) {
    for (std::size_t r = rowBegin; r < rowEnd; ++r) {
      const long ihBase = long((r % out.h) * win.stride_h) - long(win.pad_top);
      const DepthwiseRow row{input + (r / out.h) * in.h * in.w * in.c, in, filter, bias, win, act, multiplier,
                             output + r * out.w * out.c, out.c, ihBase,
                             tapsInside(ihBase, win.dilation_h, win.filter_h, in.h)};
      // Channel blocks outermost: the input lines one block needs for a whole output row stay in L1 while the
      // row is swept.
      for (std::size_t b = 0; b < fullBlocks; ++b) {
        const std::size_t c0 = b * kChannelBlock;
        std::size_t ow = 0;
        for (; ow < std::min<std::size_t>(interior.begin, out.w); ++ow) row.block<1>(ow, c0, row.colsOf(ow));
        for (; ow + kPixelsTogether <= interior.end; ow += kPixelsTogether) {
          row.block<kPixelsTogether>(ow, c0, allColumns);
        }
        for (; ow < out.w; ++ow) row.block<1>(ow, c0, row.colsOf(ow));
      }
      if (fullBlocks * kChannelBlock < out.c) {
        for (std::size_t ow = 0; ow < out.w; ++ow) row.remainingChannels(ow, fullBlocks * kChannelBlock);
      }
    }
  });
}

}  // namespace nnapi_host::kernels
