// Quantized convolutions: hand-computed examples, then random cases checked bit-exactly against a direct-loop
// evaluation of the §11.5 formula and within one quantum against the same convolution in double precision.
#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

#include "kernels/quant/conv_q8.h"
#include "kernels/quant/requantize.h"
#include "quant_test_util.h"

using namespace nnapi_host::kernels;
using namespace quant_test;

namespace {

uint32_t outputExtent(uint32_t in, uint32_t padHead, uint32_t padTail, uint32_t filter, uint32_t stride,
                      uint32_t dilation) {
  const uint32_t effective = (filter - 1) * dilation + 1;
  return (in + padHead + padTail - effective) / stride + 1;
}

// Per output element, the int32 accumulator of §11.5 (without bias) and the same sum on real values.
struct Sums {
  std::vector<int64_t> integer;
  std::vector<double> real;
};

// Scale of output channel c's filter.
float filterScale(const ConvQuant& q, uint32_t c) { return q.filter.scales[q.filter.scaleCount == 1 ? 0 : c]; }

// acc -> q with the reference's formula, and the exactly rounded quantization of the real result.
template <typename T>
void finish(const Sums& sums, uint32_t channels, const std::vector<int32_t>& bias, const ConvQuant& q,
            IntRange act, std::vector<T>& formula, std::vector<T>& exact) {
  formula.resize(sums.integer.size());
  exact.resize(sums.integer.size());
  for (std::size_t i = 0; i < sums.integer.size(); ++i) {
    const uint32_t c = uint32_t(i % channels);
    const QuantizedMultiplier m = quantizeMultiplier(
        convolutionRealMultiplier(q.input.scale, filterScale(q, c), q.output.scale), "test");
    const int32_t acc = int32_t(sums.integer[i] + bias[c]);
    formula[i] = clampTo<T>(multiplyByQuantizedMultiplier(acc, m) + q.output.zero_point, act);
    const double biasReal = double(bias[c]) * q.input.scale * filterScale(q, c);
    exact[i] = T(quantizeExact(sums.real[i] + biasReal, q.output, act));
  }
}

template <typename T, typename F>
Sums directConv(const std::vector<T>& input, Shape4 in, const std::vector<F>& filter, uint32_t groups,
                const Window& win, const ConvQuant& q, Shape4 out) {
  Sums sums{std::vector<int64_t>(out.elements()), std::vector<double>(out.elements())};
  const uint32_t inPerGroup = in.c / groups, outPerGroup = out.c / groups;
  const int32_t filterZero = q.filter.scaleCount == 1 ? q.filter.zero_point : 0;
  for (uint32_t n = 0; n < out.n; ++n)
    for (uint32_t oy = 0; oy < out.h; ++oy)
      for (uint32_t ox = 0; ox < out.w; ++ox)
        for (uint32_t co = 0; co < out.c; ++co) {
          const std::size_t o = ((std::size_t(n) * out.h + oy) * out.w + ox) * out.c + co;
          const uint32_t g = co / outPerGroup;
          for (uint32_t ky = 0; ky < win.filter_h; ++ky)
            for (uint32_t kx = 0; kx < win.filter_w; ++kx) {
              const int64_t y = int64_t(oy) * win.stride_h - win.pad_top + int64_t(ky) * win.dilation_h;
              const int64_t x = int64_t(ox) * win.stride_w - win.pad_left + int64_t(kx) * win.dilation_w;
              if (y < 0 || x < 0 || y >= in.h || x >= in.w) continue;
              for (uint32_t ci = 0; ci < inPerGroup; ++ci) {
                const int32_t qi = input[((n * in.h + y) * in.w + x) * in.c + g * inPerGroup + ci];
                const int32_t qf =
                    filter[((std::size_t(co) * win.filter_h + ky) * win.filter_w + kx) * inPerGroup + ci];
                sums.integer[o] += int64_t(qi - q.input.zero_point) * (qf - filterZero);
                sums.real[o] += realValue(qi, q.input) * (qf - filterZero) * double(filterScale(q, co));
              }
            }
        }
  return sums;
}

template <typename T, typename F>
Sums directDepthwise(const std::vector<T>& input, Shape4 in, const std::vector<F>& filter, uint32_t multiplier,
                     const Window& win, const ConvQuant& q, Shape4 out) {
  Sums sums{std::vector<int64_t>(out.elements()), std::vector<double>(out.elements())};
  const int32_t filterZero = q.filter.scaleCount == 1 ? q.filter.zero_point : 0;
  for (uint32_t n = 0; n < out.n; ++n)
    for (uint32_t oy = 0; oy < out.h; ++oy)
      for (uint32_t ox = 0; ox < out.w; ++ox)
        for (uint32_t co = 0; co < out.c; ++co) {
          const std::size_t o = ((std::size_t(n) * out.h + oy) * out.w + ox) * out.c + co;
          for (uint32_t ky = 0; ky < win.filter_h; ++ky)
            for (uint32_t kx = 0; kx < win.filter_w; ++kx) {
              const int64_t y = int64_t(oy) * win.stride_h - win.pad_top + int64_t(ky) * win.dilation_h;
              const int64_t x = int64_t(ox) * win.stride_w - win.pad_left + int64_t(kx) * win.dilation_w;
              if (y < 0 || x < 0 || y >= in.h || x >= in.w) continue;
              const int32_t qi = input[((n * in.h + y) * in.w + x) * in.c + co / multiplier];
              const int32_t qf = filter[(std::size_t(ky) * win.filter_w + kx) * out.c + co];
              sums.integer[o] += int64_t(qi - q.input.zero_point) * (qf - filterZero);
              sums.real[o] += realValue(qi, q.input) * (qf - filterZero) * double(filterScale(q, co));
            }
        }
  return sums;
}

template <typename T, typename F>
Sums directTransposeConv(const std::vector<T>& input, Shape4 in, const std::vector<F>& filter, const Window& win,
                         const ConvQuant& q, Shape4 out) {
  Sums sums{std::vector<int64_t>(out.elements()), std::vector<double>(out.elements())};
  const int32_t filterZero = q.filter.scaleCount == 1 ? q.filter.zero_point : 0;
  for (uint32_t n = 0; n < in.n; ++n)
    for (uint32_t h = 0; h < in.h; ++h)
      for (uint32_t w = 0; w < in.w; ++w)
        for (uint32_t i = 0; i < win.filter_h; ++i)
          for (uint32_t j = 0; j < win.filter_w; ++j) {
            const int64_t y = int64_t(h) * win.stride_h - win.pad_top + i;
            const int64_t x = int64_t(w) * win.stride_w - win.pad_left + j;
            if (y < 0 || x < 0 || y >= out.h || x >= out.w) continue;
            for (uint32_t co = 0; co < out.c; ++co) {
              const std::size_t o = ((std::size_t(n) * out.h + y) * out.w + x) * out.c + co;
              for (uint32_t ci = 0; ci < in.c; ++ci) {
                const int32_t qi = input[((n * in.h + h) * in.w + w) * in.c + ci];
                const int32_t qf = filter[((std::size_t(co) * win.filter_h + i) * win.filter_w + j) * in.c + ci];
                sums.integer[o] += int64_t(qi - q.input.zero_point) * (qf - filterZero);
                sums.real[o] += realValue(qi, q.input) * (qf - filterZero) * double(filterScale(q, co));
              }
            }
          }
  return sums;
}

// Random quantization for a case: the output scale is chosen so that typical results span the range.
template <typename T>
ConvQuant randomQuant(std::vector<float>& scales, uint32_t channels, bool perChannel, uint32_t depth) {
  std::uniform_real_distribution<float> scale(0.005f, 0.05f);
  ConvQuant q;
  const auto between = [](int32_t lo, int32_t hi) { return std::uniform_int_distribution<int32_t>(lo, hi)(rng()); };
  q.input = {scale(rng()), std::is_signed_v<T> ? between(-20, 20) : between(100, 160)};
  scales.resize(perChannel ? channels : 1);
  for (float& s : scales) s = scale(rng());
  q.filter = {scales.data(), uint32_t(scales.size()), perChannel ? 0 : between(110, 150)};
  if (std::is_signed_v<T> && !perChannel) q.filter.zero_point -= 128;
  // |q - zp| is about 128/sqrt(3) on average, so a sum of `depth` products spreads like sqrt(depth) * 74^2;
  // that spread is mapped to about 30 quanta so that most outputs stay inside the range.
  const float largestScale = *std::max_element(scales.begin(), scales.end());
  q.output = {float(q.input.scale * largestScale * 74.0 * 74.0 * std::sqrt(double(depth)) / 30.0),
              std::is_signed_v<T> ? 3 : 131};
  return q;
}

template <typename T, typename F>
void checkAgainstReferences(const std::vector<T>& actual, const std::vector<T>& formula, const std::vector<T>& exact,
                            IntRange act) {
  REQUIRE(actual.size() == formula.size());
  CHECK(maxDifference(actual, formula) == 0);
  CHECK(maxDifference(actual, exact) <= 1);  // §11.5 rounds twice (SRDHM, then RDBPOT): at most one quantum off
  CHECK(fractionInside(actual, act) > 0.5);
}

struct Geometry {
  Shape4 in;
  uint32_t outChannels, kernelH, kernelW, stride, dilation, padHead, padTail, groups;
};

const Geometry kConvGeometries[] = {
    {{1, 7, 6, 8}, 24, 1, 1, 1, 1, 0, 0, 1},   // pointwise, more channels than one tile
    {{2, 9, 9, 3}, 5, 3, 3, 2, 1, 1, 1, 1},    // strided 3x3 with padding, odd depth (27)
    {{1, 8, 7, 6}, 9, 3, 2, 1, 2, 2, 1, 1},    // dilated, uneven padding
    {{1, 6, 6, 8}, 6, 3, 3, 1, 1, 1, 1, 2},    // grouped: 2 groups of 4 -> 3
    {{1, 5, 5, 12}, 12, 1, 1, 1, 1, 0, 0, 4},  // grouped pointwise
    {{1, 3, 3, 40}, 33, 3, 3, 1, 1, 1, 1, 1},  // deep input (360 products per output)
};

template <typename T, typename F>
void runRandomConv(bool perChannel, bool portable) {
  setPortableKernelsForTesting(portable);
  for (const Geometry& g : kConvGeometries) {
    CAPTURE(g.in.h, g.in.w, g.in.c, g.outChannels, g.kernelH, g.kernelW, g.stride, g.dilation, g.groups);
    Window win;
    win.filter_h = g.kernelH;
    win.filter_w = g.kernelW;
    win.stride_h = win.stride_w = g.stride;
    win.dilation_h = win.dilation_w = g.dilation;
    win.pad_top = win.pad_left = g.padHead;
    win.pad_bottom = win.pad_right = g.padTail;
    const Shape4 out{g.in.n, outputExtent(g.in.h, g.padHead, g.padTail, g.kernelH, g.stride, g.dilation),
                     outputExtent(g.in.w, g.padHead, g.padTail, g.kernelW, g.stride, g.dilation), g.outChannels};
    const uint32_t depth = g.kernelH * g.kernelW * g.in.c / g.groups;
    std::vector<float> scales;
    const ConvQuant q = randomQuant<T>(scales, out.c, perChannel, depth);
    const auto input = randomValues<T>(g.in.elements());
    const auto filter = randomValues<F>(std::size_t(out.c) * depth);
    const auto bias = randomInt32(out.c, -3000, 3000);
    const IntRange act = activationRange<T>(FuseCode::kNone, q.output);
    std::vector<T> actual(out.elements()), formula, exact;
    conv2dQ8(input.data(), g.in, filter.data(), bias.data(), g.groups, win, q, act, actual.data(), out);
    finish(directConv(input, g.in, filter, g.groups, win, q, out), out.c, bias, q, act, formula, exact);
    checkAgainstReferences<T, F>(actual, formula, exact, act);
  }
  setPortableKernelsForTesting(false);
}

}  // namespace

TEST_CASE("CONV_2D uint8 on a hand-computed 3x3 image", "[conv_q8]") {
  // Input real (q - 10) * 0.5 = [0 1 2; 3 4 5; 6 7 8]; filter real (q - 2) * 0.25 = [1 0; 0 2]; bias 8 * 0.125 = 1.
  // out(y, x) = in(y, x) + 2 * in(y + 1, x + 1) + 1 = [9 12; 18 21], quantized with s 1, zp 5.
  const std::vector<uint8_t> input{10, 12, 14, 16, 18, 20, 22, 24, 26};
  const std::vector<uint8_t> filter{6, 2, 2, 10};
  const std::vector<int32_t> bias{8};
  const float filterScale = 0.25f;
  ConvQuant q{{0.5f, 10}, {&filterScale, 1, 2}, {1.0f, 5}};
  Window win;
  win.filter_h = win.filter_w = 2;
  std::vector<uint8_t> output(4);
  conv2dQ8(input.data(), {1, 3, 3, 1}, filter.data(), bias.data(), 1, win, q,
           activationRange<uint8_t>(FuseCode::kNone, q.output), output.data(), {1, 2, 2, 1});
  CHECK(output == std::vector<uint8_t>{14, 17, 23, 26});
  // RELU6 clamps to Q(6) = 11.
  conv2dQ8(input.data(), {1, 3, 3, 1}, filter.data(), bias.data(), 1, win, q,
           activationRange<uint8_t>(FuseCode::kRelu6, q.output), output.data(), {1, 2, 2, 1});
  CHECK(output == std::vector<uint8_t>{11, 11, 11, 11});
}

TEST_CASE("CONV_2D int8 rounds output ties away from zero", "[conv_q8]") {
  // 1x1 conv with real multiplier 0.5 * 0.5 / 1 = 0.25 and filter 1: out = round(q_in / 4), ties away from zero.
  const std::vector<int8_t> input{-6, -2, 2, 6, 10, -10};
  const std::vector<int8_t> filter{1};
  const std::vector<int32_t> bias{0};
  const float filterScale = 0.5f;
  ConvQuant q{{0.5f, 0}, {&filterScale, 1, 0}, {1.0f, 0}};
  Window win;
  std::vector<int8_t> output(6);
  conv2dQ8(input.data(), {1, 2, 3, 1}, filter.data(), bias.data(), 1, win, q,
           activationRange<int8_t>(FuseCode::kNone, q.output), output.data(), {1, 2, 3, 1});
  CHECK(output == std::vector<int8_t>{-2, -1, 1, 2, 3, -3});
}

TEST_CASE("CONV_2D with a real multiplier above 1 (allowed from FL3)", "[conv_q8]") {
  // s_in * s_f / s_out = 1 * 0.75 / 0.5 = 1.5 = 0.75 * 2^1: a left shift before the high multiply.
  // acc = q_in * 1: 5 -> 7.5 -> 8, -5 -> -7.5 -> -7 (SRDHM's ties go up), 3 -> 4.5 -> 5, 100 -> 127 (saturated).
  const std::vector<int8_t> input{5, -5, 3, 100};
  const std::vector<int8_t> filter{1};
  const std::vector<int32_t> bias{0};
  const float filterScale = 0.75f;
  ConvQuant q{{1.0f, 0}, {&filterScale, 1, 0}, {0.5f, 0}};
  std::vector<int8_t> output(4);
  conv2dQ8(input.data(), {1, 1, 4, 1}, filter.data(), bias.data(), 1, Window{}, q,
           activationRange<int8_t>(FuseCode::kNone, q.output), output.data(), {1, 1, 4, 1});
  CHECK(output == std::vector<int8_t>{8, -7, 5, 127});
}

TEST_CASE("CONV_2D per-channel scales each output channel separately", "[conv_q8]") {
  // Two output channels with filter 1 but scales 0.5 and 0.25: input real 4 -> outputs 2 and 1 (s_out 1).
  const std::vector<uint8_t> input{136};  // (136 - 128) * 0.5 = 4
  const std::vector<int8_t> filter{1, 1};
  const std::vector<int32_t> bias{2, -4};  // bias reals 2*0.25 = 0.5 and -4*0.125 = -0.5
  const float scales[] = {0.5f, 0.25f};
  ConvQuant q{{0.5f, 128}, {scales, 2, 0}, {1.0f, 100}};
  Window win;
  std::vector<uint8_t> output(2);
  conv2dQ8(input.data(), {1, 1, 1, 1}, filter.data(), bias.data(), 1, win, q,
           activationRange<uint8_t>(FuseCode::kNone, q.output), output.data(), {1, 1, 1, 2});
  // channel 0: 4 * 0.5 + 0.5 = 2.5 -> 3 (away from zero); channel 1: 4 * 0.25 - 0.5 = 0.5 -> 1.
  CHECK(output == std::vector<uint8_t>{103, 101});
}

TEST_CASE("CONV_2D random cases match the formula exactly and the real result within one quantum", "[conv_q8]") {
  SECTION("uint8, per-tensor uint8 filter") { runRandomConv<uint8_t, uint8_t>(false, false); }
  SECTION("uint8, per-channel int8 filter") { runRandomConv<uint8_t, int8_t>(true, false); }
  SECTION("int8, per-tensor int8 filter") { runRandomConv<int8_t, int8_t>(false, false); }
  SECTION("int8, per-channel int8 filter") { runRandomConv<int8_t, int8_t>(true, false); }
  SECTION("portable kernel: uint8 per-tensor") { runRandomConv<uint8_t, uint8_t>(false, true); }
  SECTION("portable kernel: int8 per-channel") { runRandomConv<int8_t, int8_t>(true, true); }
}

TEST_CASE("CONV_2D rejects a multiplier the reference cannot represent", "[conv_q8]") {
  const std::vector<uint8_t> input{1};
  const std::vector<uint8_t> filter{1};
  const float filterScale = 1.0f;
  ConvQuant q{{1.0f, 0}, {&filterScale, 1, 0}, {-1.0f, 0}};  // a negative output scale
  std::vector<uint8_t> output(1);
  CHECK_THROWS_WITH(conv2dQ8(input.data(), {1, 1, 1, 1}, filter.data(), nullptr, 1, Window{}, q, IntRange{0, 255},
                             output.data(), {1, 1, 1, 1}),
                    Catch::Contains("CONV_2D"));
}

TEST_CASE("DEPTHWISE_CONV_2D random cases match the formula exactly and the real result within one quantum",
          "[conv_q8]") {
  struct Case {
    Shape4 in;
    uint32_t multiplier, kernel, stride, dilation, padHead, padTail;
    bool perChannel;
  };
  const Case cases[] = {
      {{1, 9, 9, 24}, 1, 3, 1, 1, 1, 1, false}, {{2, 10, 8, 16}, 1, 3, 2, 1, 0, 1, true},
      {{1, 5, 6, 40}, 1, 3, 1, 1, 1, 1, true},
      {{1, 7, 7, 5}, 3, 3, 1, 2, 2, 2, false},  {{1, 6, 6, 3}, 2, 5, 1, 1, 2, 2, true},
  };
  for (const Case& c : cases) {
    CAPTURE(c.in.h, c.in.c, c.multiplier, c.kernel, c.stride, c.dilation, c.perChannel);
    Window win;
    win.filter_h = win.filter_w = c.kernel;
    win.stride_h = win.stride_w = c.stride;
    win.dilation_h = win.dilation_w = c.dilation;
    win.pad_top = win.pad_left = c.padHead;
    win.pad_bottom = win.pad_right = c.padTail;
    const Shape4 out{c.in.n, outputExtent(c.in.h, c.padHead, c.padTail, c.kernel, c.stride, c.dilation),
                     outputExtent(c.in.w, c.padHead, c.padTail, c.kernel, c.stride, c.dilation),
                     c.in.c * c.multiplier};
    const auto run = [&](auto typeTag, auto filterTag) {
      using T = decltype(typeTag);
      using F = decltype(filterTag);
      std::vector<float> scales;
      const ConvQuant q = randomQuant<T>(scales, out.c, c.perChannel, c.kernel * c.kernel);
      const auto input = randomValues<T>(c.in.elements());
      const auto filter = randomValues<F>(std::size_t(c.kernel) * c.kernel * out.c);
      const auto bias = randomInt32(out.c, -2000, 2000);
      const IntRange act = activationRange<T>(FuseCode::kNone, q.output);
      std::vector<T> actual(out.elements()), formula, exact;
      depthwiseConv2dQ8(input.data(), c.in, filter.data(), bias.data(), c.multiplier, win, q, act, actual.data(),
                        out);
      finish(directDepthwise(input, c.in, filter, c.multiplier, win, q, out), out.c, bias, q, act, formula, exact);
      checkAgainstReferences<T, F>(actual, formula, exact, act);
    };
    for (bool portable : {false, true}) {
      setPortableKernelsForTesting(portable);
      if (c.perChannel) {
        run(uint8_t{}, int8_t{});
        run(int8_t{}, int8_t{});
      } else {
        run(uint8_t{}, uint8_t{});
        run(int8_t{}, int8_t{});
      }
      setPortableKernelsForTesting(false);
    }
  }
}

TEST_CASE("TRANSPOSE_CONV_2D on a hand-computed example", "[conv_q8]") {
  // One input channel [[1, 2]] (real, s 1 zp 0), filter 2x2 of ones (s 1), stride 2: each input pixel paints a
  // 2x2 block; with pad_left 1 the first column is cut: output 2x3 = [[1, 2, 2], [1, 2, 2]], bias 1 added.
  const std::vector<int8_t> input{1, 2};
  const std::vector<int8_t> filter{1, 1, 1, 1};
  const std::vector<int32_t> bias{1};
  const float filterScale = 1.0f;
  ConvQuant q{{1.0f, 0}, {&filterScale, 1, 0}, {0.5f, -10}};
  Window win;
  win.filter_h = win.filter_w = 2;
  win.stride_h = win.stride_w = 2;
  win.pad_left = 1;
  std::vector<int8_t> output(6);
  transposeConv2dQ8(input.data(), {1, 1, 2, 1}, filter.data(), bias.data(), win, q,
                    activationRange<int8_t>(FuseCode::kNone, q.output), output.data(), {1, 2, 3, 1});
  // (value + 1) / 0.5 - 10
  CHECK(output == std::vector<int8_t>{-6, -4, -4, -6, -4, -4});
}

TEST_CASE("TRANSPOSE_CONV_2D random cases match the formula exactly and the real result within one quantum",
          "[conv_q8]") {
  const Shape4 in{2, 4, 5, 6};
  Window win;
  win.filter_h = 3;
  win.filter_w = 2;
  win.stride_h = 2;
  win.stride_w = 1;
  win.pad_top = 1;
  win.pad_left = 0;
  const Shape4 out{2, (in.h - 1) * 2 + 3 - 1 - 1, (in.w - 1) * 1 + 2, 7};
  const auto run = [&](auto typeTag, auto filterTag, bool perChannel) {
    using T = decltype(typeTag);
    using F = decltype(filterTag);
    std::vector<float> scales;
    const ConvQuant q = randomQuant<T>(scales, out.c, perChannel, in.c * 2);
    const auto input = randomValues<T>(in.elements());
    const auto filter = randomValues<F>(std::size_t(out.c) * 3 * 2 * in.c);
    const auto bias = randomInt32(out.c, -2000, 2000);
    const IntRange act = activationRange<T>(FuseCode::kNone, q.output);
    std::vector<T> actual(out.elements()), formula, exact;
    transposeConv2dQ8(input.data(), in, filter.data(), bias.data(), win, q, act, actual.data(), out);
    finish(directTransposeConv(input, in, filter, win, q, out), out.c, bias, q, act, formula, exact);
    checkAgainstReferences<T, F>(actual, formula, exact, act);
  };
  run(uint8_t{}, uint8_t{}, false);
  run(uint8_t{}, int8_t{}, true);
  run(int8_t{}, int8_t{}, false);
  run(int8_t{}, int8_t{}, true);
}
