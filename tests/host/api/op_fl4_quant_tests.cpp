// What the converter emits next (issue 4 item 3), through the public C API only: TENSOR_QUANT8_SYMM_PER_CHANNEL
// filters (setOperandSymmPerChannelQuantParams) and TENSOR_QUANT8_ASYMM_SIGNED operands for CONV_2D,
// DEPTHWISE_CONV_2D, FULLY_CONNECTED, ADD, MUL, QUANTIZE, DEQUANTIZE; HARD_SWISH and RESIZE_BILINEAR in float and
// both 8-bit types; and the validation of all of these (reference §6, §10, §11, §12).
//
// Small cases are computed by hand from reference §11 (the arithmetic is in the comments). Larger random cases
// are compared with a float reference: dequantize the inputs, compute in double, quantize with round half away
// from zero. The integer paths round at intermediate steps, so §11.9's tolerance of 1 quantum applies; how many
// elements differ is reported with INFO (run with -s to see it on success).
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <random>

#include "model_builder.h"

using host_test::Dims;
using host_test::ModelBuilder;

namespace {

constexpr int32_t I32T = ANEURALNETWORKS_TENSOR_INT32, Q8A = ANEURALNETWORKS_TENSOR_QUANT8_ASYMM,
                  Q8S = ANEURALNETWORKS_TENSOR_QUANT8_ASYMM_SIGNED,
                  Q8PC = ANEURALNETWORKS_TENSOR_QUANT8_SYMM_PER_CHANNEL;
constexpr int kNone = ANEURALNETWORKS_FUSED_NONE, kRelu = ANEURALNETWORKS_FUSED_RELU,
              kRelu1 = ANEURALNETWORKS_FUSED_RELU1;

// ---- operands and runs --------------------------------------------------------------------------------------

// Bytes of 8-bit quantized values: Q8A as uint8, Q8S and Q8PC as two's-complement int8.
std::vector<uint8_t> bytesOf(const std::vector<int32_t>& q) {
  std::vector<uint8_t> bytes;
  for (int32_t v : q) bytes.push_back(uint8_t(v));
  return bytes;
}

std::vector<int32_t> valuesOf(int32_t type, const std::vector<uint8_t>& bytes) {
  std::vector<int32_t> q;
  for (uint8_t b : bytes) q.push_back(type == Q8A ? int32_t(b) : int32_t(int8_t(b)));
  return q;
}

size_t elementCount(const Dims& dims) {
  size_t n = 1;
  for (uint32_t d : dims) n *= d;
  return n;
}

uint32_t constQ8(ModelBuilder& m, int32_t type, const Dims& dims, float scale, int32_t zeroPoint,
                 const std::vector<int32_t>& q) {
  const std::vector<uint8_t> bytes = bytesOf(q);
  return m.constTensor(type, dims, scale, zeroPoint, bytes.data(), bytes.size());
}

uint32_t constBias(ModelBuilder& m, float scale, const std::vector<int32_t>& values) {
  return m.constTensor(I32T, {uint32_t(values.size())}, scale, 0, values.data(), values.size() * sizeof(int32_t));
}

uint32_t perChannelFilter(ModelBuilder& m, const Dims& dims, uint32_t channelDim, const std::vector<float>& scales,
                          const std::vector<int32_t>& q) {
  const uint32_t filter = constQ8(m, Q8PC, dims, 0.0f, 0, q);
  const ANeuralNetworksSymmPerChannelQuantParams params{channelDim, uint32_t(scales.size()), scales.data()};
  REQUIRE(ANeuralNetworksModel_setOperandSymmPerChannelQuantParams(m.model(), int32_t(filter), &params) ==
          ANEURALNETWORKS_NO_ERROR);
  return filter;
}

// Identifies, finishes and runs a model with 8-bit inputs and one 8-bit output of `outType` and `n` elements.
std::vector<int32_t> runQ8(ModelBuilder& m, const std::vector<uint32_t>& ins,
                           const std::vector<std::vector<int32_t>>& x, uint32_t out, int32_t outType, size_t n) {
  REQUIRE(m.io(ins, {out}) == ANEURALNETWORKS_NO_ERROR);
  REQUIRE(m.finish() == ANEURALNETWORKS_NO_ERROR);
  std::vector<std::vector<uint8_t>> inBytes, outputs;
  for (const auto& v : x) inBytes.push_back(bytesOf(v));
  REQUIRE(host_test::runBytes(m.model(), inBytes, {n}, &outputs) == ANEURALNETWORKS_NO_ERROR);
  return valuesOf(outType, outputs[0]);
}

std::vector<float> runFloat(ModelBuilder& m, const std::vector<uint32_t>& ins, const std::vector<std::vector<float>>& x,
                            uint32_t out, size_t n) {
  REQUIRE(m.io(ins, {out}) == ANEURALNETWORKS_NO_ERROR);
  REQUIRE(m.finish() == ANEURALNETWORKS_NO_ERROR);
  std::vector<std::vector<float>> outputs;
  REQUIRE(host_test::runF32(m.model(), x, {n}, &outputs) == ANEURALNETWORKS_NO_ERROR);
  return outputs[0];
}

// ---- the float reference of the random cases ----------------------------------------------------------------

struct Quant {
  int32_t type;
  float scale;
  int32_t zeroPoint;
};

struct IntRange {
  int32_t lo, hi;
};

IntRange typeRange(int32_t type) { return type == Q8A ? IntRange{0, 255} : IntRange{-128, 127}; }

double realOf(int32_t q, const Quant& p) { return double(q - p.zeroPoint) * double(p.scale); }

std::vector<double> realsOf(const std::vector<int32_t>& q, const Quant& p) {
  std::vector<double> r;
  for (int32_t v : q) r.push_back(realOf(v, p));
  return r;
}

// §11.4 CalculateActivationRange: Q(f) = zp + round(f / s) with a float division.
IntRange activationBounds(int fuse, const Quant& out) {
  const IntRange t = typeRange(out.type);
  const auto q = [&](float f) { return out.zeroPoint + int32_t(std::round(f / out.scale)); };
  switch (fuse) {
    case ANEURALNETWORKS_FUSED_RELU: return {std::max(t.lo, q(0.0f)), t.hi};
    case ANEURALNETWORKS_FUSED_RELU1: return {std::max(t.lo, q(-1.0f)), std::min(t.hi, q(1.0f))};
    case ANEURALNETWORKS_FUSED_RELU6: return {std::max(t.lo, q(0.0f)), std::min(t.hi, q(6.0f))};
    default: return t;
  }
}

// Exact real result -> quantized, rounding half away from zero (std::round), clamped to `bounds`.
std::vector<int32_t> quantizeReference(const std::vector<double>& real, const Quant& out, IntRange bounds) {
  std::vector<int32_t> q;
  for (double r : real) {
    const double v = double(out.zeroPoint) + std::round(r / double(out.scale));
    q.push_back(int32_t(std::min<double>(std::max<double>(v, bounds.lo), bounds.hi)));
  }
  return q;
}

std::vector<int32_t> randomQ(std::mt19937& rng, int32_t lo, int32_t hi, size_t n) {
  std::uniform_int_distribution<int32_t> pick(lo, hi);
  std::vector<int32_t> q(n);
  for (int32_t& v : q) v = pick(rng);
  return q;
}

std::vector<int32_t> randomQ(std::mt19937& rng, int32_t type, size_t n) {
  return randomQ(rng, typeRange(type).lo, typeRange(type).hi, n);
}

double maxAbs(const std::vector<double>& v) {
  double m = 0;
  for (double x : v) m = std::max(m, std::fabs(x));
  return m;
}

// §11.9: at most 1 quantum from the float reference. Also checks the case exercises the arithmetic: a comparison
// where most expected values sit at the type's limits would prove little.
void checkWithinOneQuantum(const std::vector<int32_t>& actual, const std::vector<int32_t>& expected, int32_t type) {
  REQUIRE(actual.size() == expected.size());
  const IntRange limits = typeRange(type);
  size_t differing = 0, saturated = 0, worstAt = 0;
  int32_t worst = 0;
  for (size_t i = 0; i < actual.size(); ++i) {
    const int32_t d = std::abs(actual[i] - expected[i]);
    if (d != 0) ++differing;
    if (d > worst) {
      worst = d;
      worstAt = i;
    }
    if (expected[i] == limits.lo || expected[i] == limits.hi) ++saturated;
  }
  INFO(differing << " of " << actual.size() << " elements differ from the float reference; largest difference " << worst
                 << " (element " << worstAt << ": actual " << actual[worstAt] << ", expected " << expected[worstAt]
                 << "); " << saturated << " expected values at the type's limits");
  CHECK(worst <= 1);
  CHECK(saturated * 4 < actual.size());
}

// ---- convolutions -------------------------------------------------------------------------------------------

struct ConvShape {
  Dims input;  // [N, H, W, Cin]
  uint32_t kernelH, kernelW, outChannels;
  uint32_t multiplier;  // DEPTHWISE_CONV_2D only; 0 = CONV_2D
  uint32_t padLeft, padRight, padTop, padBottom, stride;

  bool depthwise() const { return multiplier != 0; }
  Dims filterDims() const {
    return depthwise() ? Dims{1, kernelH, kernelW, outChannels} : Dims{outChannels, kernelH, kernelW, input[3]};
  }
  Dims outputDims() const {
    return {input[0], (input[1] + padTop + padBottom - kernelH) / stride + 1,
            (input[2] + padLeft + padRight - kernelW) / stride + 1, outChannels};
  }
};

// CONV_2D (filter [Cout, KH, KW, Cin]) or DEPTHWISE_CONV_2D (filter [1, KH, KW, Cout], output channel k*m+q reads
// input channel k) in double, NHWC, explicit padding.
std::vector<double> convReference(const ConvShape& s, const std::vector<double>& in, const std::vector<double>& filter,
                                  const std::vector<double>& bias) {
  const Dims od = s.outputDims();
  const uint32_t H = s.input[1], W = s.input[2], C = s.input[3];
  std::vector<double> out;
  for (uint32_t n = 0; n < od[0]; ++n)
    for (uint32_t oy = 0; oy < od[1]; ++oy)
      for (uint32_t ox = 0; ox < od[2]; ++ox)
        for (uint32_t oc = 0; oc < s.outChannels; ++oc) {
          double sum = bias[oc];
          for (uint32_t ky = 0; ky < s.kernelH; ++ky)
            for (uint32_t kx = 0; kx < s.kernelW; ++kx) {
              const int64_t iy = int64_t(oy) * s.stride - s.padTop + ky, ix = int64_t(ox) * s.stride - s.padLeft + kx;
              if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
              const double* pixel = &in[((size_t(n) * H + size_t(iy)) * W + size_t(ix)) * C];
              if (s.depthwise()) {
                sum += pixel[oc / s.multiplier] * filter[(size_t(ky) * s.kernelW + kx) * s.outChannels + oc];
              } else {
                for (uint32_t ic = 0; ic < C; ++ic)
                  sum += pixel[ic] * filter[((size_t(oc) * s.kernelH + ky) * s.kernelW + kx) * C + ic];
              }
            }
          out.push_back(sum);
        }
  return out;
}

// A random convolution with explicit padding: input of `type`, a per-channel filter (random scales) or a
// per-tensor filter of the input's type, a random bias, an output scale chosen from the reference's range.
void checkRandomConv(const ConvShape& s, int32_t type, bool perChannel, int fuse, uint32_t seed) {
  std::mt19937 rng(seed);
  const Quant in{type, 0.04f, type == Q8A ? 120 : -7};
  const std::vector<int32_t> inQ = randomQ(rng, type, elementCount(s.input));
  const Dims filterDims = s.filterDims();
  const size_t filterCount = elementCount(filterDims);
  const uint32_t channelAxis = s.depthwise() ? 3 : 0;

  // Filter scale and zero point per output channel (per-tensor: the same for all).
  std::vector<float> filterScales;
  const Quant filterQuant{type, 0.015f, 3};  // per-tensor filters only
  std::vector<int32_t> filterQ;
  if (perChannel) {
    std::uniform_real_distribution<float> scale(0.004f, 0.03f);
    for (uint32_t c = 0; c < s.outChannels; ++c) filterScales.push_back(scale(rng));
    filterQ = randomQ(rng, -127, 127, filterCount);
  } else {
    filterScales.assign(s.outChannels, filterQuant.scale);
    filterQ = randomQ(rng, type, filterCount);
  }
  const std::vector<int32_t> biasQ = randomQ(rng, -3000, 3000, s.outChannels);

  std::vector<double> filterReal(filterCount), biasReal(s.outChannels);
  for (size_t i = 0; i < filterCount; ++i) {
    const size_t channel = s.depthwise() ? i % s.outChannels : i / (filterCount / s.outChannels);
    const int32_t zeroPoint = perChannel ? 0 : filterQuant.zeroPoint;
    filterReal[i] = double(filterQ[i] - zeroPoint) * filterScales[channel];
  }
  for (uint32_t c = 0; c < s.outChannels; ++c) biasReal[c] = biasQ[c] * double(in.scale) * filterScales[c];
  const std::vector<double> real = convReference(s, realsOf(inQ, in), filterReal, biasReal);

  // Output q from the data: the largest magnitude maps to 110 quanta; RELU leaves room above a low zero point.
  const int32_t zeroOut = fuse == kRelu ? (type == Q8A ? 40 : -90) : (type == Q8A ? 128 : 0);
  const Quant out{type, float(maxAbs(real) / 110.0), zeroOut};

  ModelBuilder m;
  const uint32_t input = m.tensor(type, s.input, in.scale, in.zeroPoint);
  const uint32_t filter = perChannel ? perChannelFilter(m, filterDims, channelAxis, filterScales, filterQ)
                                     : constQ8(m, type, filterDims, filterQuant.scale, filterQuant.zeroPoint, filterQ);
  const uint32_t bias = constBias(m, perChannel ? 0.0f : in.scale * filterQuant.scale, biasQ);
  const Dims outDims = s.outputDims();
  const uint32_t output = m.tensor(type, outDims, out.scale, out.zeroPoint);
  // Explicit form: pads left, right, top, bottom; stride_w, stride_h; [depth multiplier]; fuse.
  std::vector<uint32_t> args{input, filter, bias};
  for (uint32_t v : {s.padLeft, s.padRight, s.padTop, s.padBottom, s.stride, s.stride})
    args.push_back(m.i32(int32_t(v)));
  if (s.depthwise()) args.push_back(m.i32(int32_t(s.multiplier)));
  args.push_back(m.i32(fuse));
  REQUIRE(m.op(s.depthwise() ? ANEURALNETWORKS_DEPTHWISE_CONV_2D : ANEURALNETWORKS_CONV_2D, args, {output}) ==
          ANEURALNETWORKS_NO_ERROR);
  const std::vector<int32_t> actual = runQ8(m, {input}, {inQ}, output, type, elementCount(outDims));
  checkWithinOneQuantum(actual, quantizeReference(real, out, activationBounds(fuse, out)), type);
}

// The hand cases below share one geometry: input [1,1,2,2] (two pixels of two channels), 1x1 filter of two output
// channels, VALID padding, stride 1.
int conv1x1(ModelBuilder& m, uint32_t input, uint32_t filter, uint32_t bias, uint32_t output) {
  return m.op(ANEURALNETWORKS_CONV_2D,
              {input, filter, bias, m.i32(ANEURALNETWORKS_PADDING_VALID), m.i32(1), m.i32(1), m.i32(kNone)}, {output});
}

}  // namespace

TEST_CASE("CONV_2D: per-channel filter with a uint8 and an int8 input, bias element c scaled by s_in*scales[c]") {
  // s_in 0.5; filter scales {0.5, 0.25}: channel 0 q {2, -4} (real {1, -2}), channel 1 q {8, 4} (real {2, 1});
  // bias q {4, -8} with declared scale 0: real 4*0.5*0.5 = 1 and -8*0.5*0.25 = -1 (scaling both by
  // s_in*scales[0] would give -2 for channel 1). s_out 1, so the multipliers are 0.25 (M 2^30, shift -1) and
  // 0.125 (M 2^30, shift -2). Input differences d = q - zp_in: pixel 0 {2, -4}, pixel 1 {1, 7}.
  //   p0 c0: acc = 4 + 2*2 + (-4)(-4)  =  24 -> 24*0.25  =  6
  //   p0 c1: acc = -8 + 2*8 + (-4)*4   =  -8 -> -8*0.125 = -1
  //   p1 c0: acc = 4 + 1*2 + 7*(-4)    = -22 -> -5.5: SRDHM gives -11, RDBPOT(-11, 1) = -6 (half away from zero)
  //   p1 c1: acc = -8 + 1*8 + 7*4      =  28 -> 3.5:  SRDHM gives 14, RDBPOT(14, 2) = 4
  const std::vector<int32_t> results{6, -1, -6, 4};
  for (const int32_t type : {Q8A, Q8S}) {
    const int32_t zeroIn = type == Q8A ? 128 : -5, zeroOut = type == Q8A ? 100 : -3;
    ModelBuilder m;
    const uint32_t input = m.tensor(type, {1, 1, 2, 2}, 0.5f, zeroIn);
    const uint32_t filter = perChannelFilter(m, {2, 1, 1, 2}, 0, {0.5f, 0.25f}, {2, -4, 8, 4});
    const uint32_t bias = constBias(m, 0.0f, {4, -8});
    const uint32_t output = m.tensor(type, {1, 1, 2, 2}, 1.0f, zeroOut);
    REQUIRE(conv1x1(m, input, filter, bias, output) == ANEURALNETWORKS_NO_ERROR);
    std::vector<int32_t> x{2, -4, 1, 7}, expected;
    for (int32_t& v : x) v += zeroIn;
    for (int32_t r : results) expected.push_back(r + zeroOut);
    INFO("input " << (type == Q8A ? "TENSOR_QUANT8_ASYMM" : "TENSOR_QUANT8_ASYMM_SIGNED"));
    CHECK(runQ8(m, {input}, {x}, output, type, 4) == expected);
  }
}

TEST_CASE("CONV_2D: int8 input with a per-tensor int8 filter whose zero point is not 0") {
  // Same real values as the per-channel case: s_in 0.5 zp -5; filter s 0.5 zp 1: q {3, -3, 5, 3} -> d_f
  // {2, -4, 4, 2} (real {1, -2, 2, 1}); bias s 0.25 = s_in*s_f, q {4, -4} (real 1, -1). One multiplier 0.25.
  //   p0 c0: 4 + 2*2 + (-4)(-4) = 24 -> 6;   p0 c1: -4 + 2*4 + (-4)*2 = -4 -> -1
  //   p1 c0: 4 + 1*2 + 7*(-4) = -22 -> -5.5 -> -6;   p1 c1: -4 + 1*4 + 7*2 = 14 -> 3.5 -> 4
  ModelBuilder m;
  const uint32_t input = m.tensor(Q8S, {1, 1, 2, 2}, 0.5f, -5);
  const uint32_t filter = constQ8(m, Q8S, {2, 1, 1, 2}, 0.5f, 1, {3, -3, 5, 3});
  const uint32_t bias = constBias(m, 0.25f, {4, -4});
  const uint32_t output = m.tensor(Q8S, {1, 1, 2, 2}, 1.0f, -3);
  REQUIRE(conv1x1(m, input, filter, bias, output) == ANEURALNETWORKS_NO_ERROR);
  CHECK(runQ8(m, {input}, {{-3, -9, -4, 2}}, output, Q8S, 4) == std::vector<int32_t>{3, -4, -9, 1});
}

TEST_CASE("CONV_2D: random 3x3 convolutions against the float reference") {
  SECTION("uint8 input, per-channel filter, padding 1, fused RELU") {
    checkRandomConv({{2, 5, 6, 3}, 3, 3, 4, 0, 1, 1, 1, 1, 1}, Q8A, true, kRelu, 11);
  }
  SECTION("int8 input, per-channel filter, padding 1") {
    checkRandomConv({{2, 5, 6, 3}, 3, 3, 4, 0, 1, 1, 1, 1, 1}, Q8S, true, kNone, 12);
  }
  SECTION("int8 input, per-tensor int8 filter, stride 2, padding left/top only") {
    checkRandomConv({{1, 7, 6, 5}, 3, 3, 6, 0, 1, 0, 1, 0, 2}, Q8S, false, kNone, 13);
  }
}

TEST_CASE("DEPTHWISE_CONV_2D: per-channel filter on channel axis 3, depth multiplier 2") {
  // Input [1,1,2,2] s 0.5, filter [1,1,2,4] (two taps, Cout 4 = 2 channels * 2), scales {0.5, 0.25, 1, 0.125},
  // bias q {0, 8, -2, 16} (declared scale 0), s_out 0.5: multipliers s_in*scales[c]/s_out = {0.5, 0.25, 1, 0.125}.
  // Output channels 0, 1 read input channel 0 (d {2, 4} over the taps), 2, 3 read channel 1 (d {-2, 1}).
  //   c0: acc = 0 + 2*2 + 4*1         = 8 -> 8*0.5   = 4
  //   c1: acc = 8 + 2*4 + 4*(-4)      = 0 -> 0
  //   c2: acc = -2 + (-2)(-1) + 1*3   = 3 -> 3*1     = 3 (M 2^30, shift +1: SRDHM(6, 2^30) = 3)
  //   c3: acc = 16 + (-2)*8 + 1*8     = 8 -> 8*0.125 = 1
  const std::vector<int32_t> results{4, 0, 3, 1};
  for (const int32_t type : {Q8A, Q8S}) {
    const int32_t zeroIn = type == Q8A ? 128 : 0, zeroOut = type == Q8A ? 100 : -10;
    ModelBuilder m;
    const uint32_t input = m.tensor(type, {1, 1, 2, 2}, 0.5f, zeroIn);
    const uint32_t filter =
        perChannelFilter(m, {1, 1, 2, 4}, 3, {0.5f, 0.25f, 1.0f, 0.125f}, {2, 4, -1, 8, 1, -4, 3, 8});
    const uint32_t bias = constBias(m, 0.0f, {0, 8, -2, 16});
    const uint32_t output = m.tensor(type, {1, 1, 1, 4}, 0.5f, zeroOut);
    REQUIRE(
        m.op(ANEURALNETWORKS_DEPTHWISE_CONV_2D,
             {input, filter, bias, m.i32(ANEURALNETWORKS_PADDING_VALID), m.i32(1), m.i32(1), m.i32(2), m.i32(kNone)},
             {output}) == ANEURALNETWORKS_NO_ERROR);
    std::vector<int32_t> x{2, -2, 4, 1}, expected;  // pixel 0 then pixel 1, channels {0, 1}
    for (int32_t& v : x) v += zeroIn;
    for (int32_t r : results) expected.push_back(r + zeroOut);
    INFO("input " << (type == Q8A ? "TENSOR_QUANT8_ASYMM" : "TENSOR_QUANT8_ASYMM_SIGNED"));
    CHECK(runQ8(m, {input}, {x}, output, type, 4) == expected);
  }
}

TEST_CASE("DEPTHWISE_CONV_2D: random per-channel cases against the float reference") {
  SECTION("uint8 input") { checkRandomConv({{2, 6, 5, 3}, 3, 3, 6, 2, 1, 1, 1, 1, 1}, Q8A, true, kNone, 21); }
  SECTION("int8 input, fused RELU, stride 2") {
    checkRandomConv({{1, 7, 7, 4}, 3, 3, 8, 2, 1, 1, 1, 1, 2}, Q8S, true, kRelu, 22);
  }
}

TEST_CASE("FULLY_CONNECTED: int8 input, weights with a non-zero zero point, fused RELU1") {
  // input [2,3] s 0.5 zp -1: d rows {2, 4, -2}, {-4, 1, 8}; weights [2,3] s 0.25 zp 2: d rows {2, -2, 0},
  // {1, 4, -1}; bias s 0.125 q {8, -16}; s_out 0.5 zp 5: multiplier 0.125/0.5 = 0.25 (M 2^30, shift -1).
  //   r0 u0: 8 + 4 - 8 + 0     =   4 -> 1          r0 u1: -16 + 2 + 16 + 2   =   4 -> 1
  //   r1 u0: 8 - 8 - 2 + 0     =  -2 -> -0.5 -> -1 (half away from zero)
  //   r1 u1: -16 - 4 + 4 - 8   = -24 -> -6
  // RELU1 clamps to [Q(-1), Q(1)] = [5 - 2, 5 + 2] = [3, 7].
  for (const int fuse : {kNone, kRelu1}) {
    ModelBuilder m;
    const uint32_t input = m.tensor(Q8S, {2, 3}, 0.5f, -1);
    const uint32_t weights = constQ8(m, Q8S, {2, 3}, 0.25f, 2, {4, 0, 2, 3, 6, 1});
    const uint32_t bias = constBias(m, 0.125f, {8, -16});
    const uint32_t output = m.tensor(Q8S, {2, 2}, 0.5f, 5);
    REQUIRE(m.op(ANEURALNETWORKS_FULLY_CONNECTED, {input, weights, bias, m.i32(fuse)}, {output}) ==
            ANEURALNETWORKS_NO_ERROR);
    const std::vector<int32_t> expected =
        fuse == kNone ? std::vector<int32_t>{6, 6, 4, -1} : std::vector<int32_t>{6, 6, 4, 3};
    INFO("fuse " << fuse);
    CHECK(runQ8(m, {input}, {{1, 3, -3, -5, 0, 7}}, output, Q8S, 4) == expected);
  }
}

TEST_CASE("FULLY_CONNECTED: random int8 case against the float reference") {
  std::mt19937 rng(31);
  const uint32_t batch = 4, inputSize = 20, units = 7;
  const Quant in{Q8S, 0.02f, -3}, weightsQuant{Q8S, 0.01f, 2};
  const std::vector<int32_t> inQ = randomQ(rng, Q8S, batch * inputSize);
  const std::vector<int32_t> weightsQ = randomQ(rng, Q8S, units * inputSize);
  const std::vector<int32_t> biasQ = randomQ(rng, -5000, 5000, units);
  std::vector<double> real;
  for (uint32_t b = 0; b < batch; ++b)
    for (uint32_t u = 0; u < units; ++u) {
      double sum = biasQ[u] * double(in.scale) * double(weightsQuant.scale);
      for (uint32_t k = 0; k < inputSize; ++k)
        sum += realOf(inQ[b * inputSize + k], in) * realOf(weightsQ[u * inputSize + k], weightsQuant);
      real.push_back(sum);
    }
  const Quant out{Q8S, float(maxAbs(real) / 110.0), 4};

  ModelBuilder m;
  const uint32_t input = m.tensor(Q8S, {batch, inputSize}, in.scale, in.zeroPoint);
  const uint32_t weights = constQ8(m, Q8S, {units, inputSize}, weightsQuant.scale, weightsQuant.zeroPoint, weightsQ);
  const uint32_t bias = constBias(m, in.scale * weightsQuant.scale, biasQ);
  const uint32_t output = m.tensor(Q8S, {batch, units}, out.scale, out.zeroPoint);
  REQUIRE(m.op(ANEURALNETWORKS_FULLY_CONNECTED, {input, weights, bias, m.i32(kNone)}, {output}) ==
          ANEURALNETWORKS_NO_ERROR);
  checkWithinOneQuantum(runQ8(m, {input}, {inQ}, output, Q8S, batch * units),
                        quantizeReference(real, out, typeRange(Q8S)), Q8S);
}

// ---- ADD and MUL --------------------------------------------------------------------------------------------

TEST_CASE("ADD: int8 operands with different scales and zero points, broadcast, fused RELU") {
  // a [2,2] s 0.5 zp -10, b [2] s 0.25 zp 5 (broadcast over rows), out s 0.5 zp 3. §11.2: tm = 2*0.5 = 1;
  // s_a/tm = 0.5 (M 2^30, shift 0), s_b/tm = 0.25 (M 2^30, shift -1), tm/(2^20*s_out) = 2^-19 (M 2^30,
  // shift -18). a' = d_a*2^19, b' = d_b*2^18, out = RDBPOT((a'+b')/2, 18) = round(d_a + d_b/2), half away from 0.
  //   d_a {3, -3, 10, -20}, d_b {1, -1}: 3.5 -> 4, -3.5 -> -4, 10.5 -> 11, -20.5 -> -21; + zp 3
  // RELU clamps at Q(0) = 3.
  for (const int fuse : {kNone, kRelu}) {
    ModelBuilder m;
    const uint32_t a = m.tensor(Q8S, {2, 2}, 0.5f, -10), b = m.tensor(Q8S, {2}, 0.25f, 5);
    const uint32_t output = m.tensor(Q8S, {2, 2}, 0.5f, 3);
    REQUIRE(m.op(ANEURALNETWORKS_ADD, {a, b, m.i32(fuse)}, {output}) == ANEURALNETWORKS_NO_ERROR);
    const std::vector<int32_t> expected =
        fuse == kNone ? std::vector<int32_t>{7, -1, 14, -18} : std::vector<int32_t>{7, 3, 14, 3};
    INFO("fuse " << fuse);
    CHECK(runQ8(m, {a, b}, {{-7, -13, 0, -30}, {6, 4}}, output, Q8S, 4) == expected);
  }
}

TEST_CASE("MUL: int8 operands with different scales and zero points, broadcast") {
  // a [2,2] s 0.5 zp -10, b [1,2] s 0.25 zp 5, out s 0.25 zp 3 (> s_a*s_b = 0.125). §11.3: multiplier
  // 0.125/0.25 = 0.5 (M 2^30, shift 0), so q = zp_out + SRDHM(d_a*d_b, 2^30): a positive half rounds up, a
  // negative half toward zero (nudge 1 - 2^30, then C division).
  //   d_a {3, -3, 10, -7} (rows {3, -3}, {10, -7}), d_b {1, -3} broadcast over rows:
  //   3*1 = 3 -> 1.5 -> 2;  -3*(-3) = 9 -> 4.5 -> 5;  10*1 = 10 -> 5;  -7*(-3) = 21 -> 10.5 -> 11; + zp 3
  // A second model has the negative half: d_a -3, d_b 1 -> -3 -> -1.5 -> SRDHM gives -1; + zp 3 = 2.
  {
    ModelBuilder m;
    const uint32_t a = m.tensor(Q8S, {2, 2}, 0.5f, -10), b = m.tensor(Q8S, {1, 2}, 0.25f, 5);
    const uint32_t output = m.tensor(Q8S, {2, 2}, 0.25f, 3);
    REQUIRE(m.op(ANEURALNETWORKS_MUL, {a, b, m.i32(kNone)}, {output}) == ANEURALNETWORKS_NO_ERROR);
    CHECK(runQ8(m, {a, b}, {{-7, -13, 0, -17}, {6, 2}}, output, Q8S, 4) == std::vector<int32_t>{5, 8, 8, 14});
  }
  {
    ModelBuilder m;
    const uint32_t a = m.tensor(Q8S, {1}, 0.5f, -10), b = m.tensor(Q8S, {1}, 0.25f, 5);
    const uint32_t output = m.tensor(Q8S, {1}, 0.25f, 3);
    REQUIRE(m.op(ANEURALNETWORKS_MUL, {a, b, m.i32(kNone)}, {output}) == ANEURALNETWORKS_NO_ERROR);
    CHECK(runQ8(m, {a, b}, {{-13}, {6}}, output, Q8S, 1) == std::vector<int32_t>{2});
  }
}

namespace {

// a [2,3,4,5] and b [3,1,5] broadcast to a's shape; `combine` gives the real result of one element pair.
void checkRandomBinary(int32_t op, int fuse, const Quant& aq, const Quant& bq, float outScale, int32_t outZero,
                       const std::function<double(double, double)>& combine) {
  std::mt19937 rng(uint32_t(40 + op));
  const Dims aDims{2, 3, 4, 5}, bDims{3, 1, 5};
  const std::vector<int32_t> aQ = randomQ(rng, aq.type, elementCount(aDims)), bQ = randomQ(rng, bq.type, 15);
  std::vector<double> real;
  for (size_t i = 0; i < aQ.size(); ++i) {
    const size_t w = i % 5, c = i / 20 % 3;  // b's index ignores a's dims 0 and 2
    real.push_back(combine(realOf(aQ[i], aq), realOf(bQ[c * 5 + w], bq)));
  }
  const Quant out{aq.type, outScale, outZero};
  ModelBuilder m;
  const uint32_t a = m.tensor(aq.type, aDims, aq.scale, aq.zeroPoint),
                 b = m.tensor(bq.type, bDims, bq.scale, bq.zeroPoint);
  const uint32_t output = m.tensor(out.type, aDims, out.scale, out.zeroPoint);
  REQUIRE(m.op(op, {a, b, m.i32(fuse)}, {output}) == ANEURALNETWORKS_NO_ERROR);
  checkWithinOneQuantum(runQ8(m, {a, b}, {aQ, bQ}, output, out.type, aQ.size()),
                        quantizeReference(real, out, activationBounds(fuse, out)), out.type);
}

}  // namespace

TEST_CASE("ADD and MUL: random int8 broadcasts against the float reference") {
  SECTION("ADD, fused RELU") {
    // real a in [-7.6, 10.3], b in [-4.2, 3.5]: sums span about +-130 quanta of 0.1 around zp 5
    checkRandomBinary(ANEURALNETWORKS_ADD, kRelu, {Q8S, 0.07f, -20}, {Q8S, 0.03f, 11}, 0.1f, 5,
                      [](double x, double y) { return x + y; });
  }
  SECTION("MUL") {
    // real a in [-6.6, 6.2], b in [-4.9, 5.4]: products within about +-36, s_out 0.3 > s_a*s_b = 0.002
    checkRandomBinary(ANEURALNETWORKS_MUL, kNone, {Q8S, 0.05f, 3}, {Q8S, 0.04f, -6}, 0.3f, -2,
                      [](double x, double y) { return x * y; });
  }
}

// ---- QUANTIZE and DEQUANTIZE --------------------------------------------------------------------------------

TEST_CASE("QUANTIZE: float32 to int8 and uint8 rounds half away from zero and saturates") {
  // s 0.5: x/s = {2.5, -2.5, 0, 200, -200, 1.48, 2.6, -0.5} -> round {3, -3, 0, sat, sat, 1, 3, -1}
  const std::vector<float> x{1.25f, -1.25f, 0.0f, 100.0f, -100.0f, 0.74f, 1.3f, -0.25f};
  for (const int32_t type : {Q8S, Q8A}) {
    const int32_t zeroPoint = type == Q8S ? -1 : 128;
    ModelBuilder m;
    const uint32_t input = m.f32({8}), output = m.tensor(type, {8}, 0.5f, zeroPoint);
    REQUIRE(m.op(ANEURALNETWORKS_QUANTIZE, {input}, {output}) == ANEURALNETWORKS_NO_ERROR);
    REQUIRE(m.io({input}, {output}) == ANEURALNETWORKS_NO_ERROR);
    REQUIRE(m.finish() == ANEURALNETWORKS_NO_ERROR);
    std::vector<std::vector<uint8_t>> outputs;
    const std::vector<uint8_t> xBytes(reinterpret_cast<const uint8_t*>(x.data()),
                                      reinterpret_cast<const uint8_t*>(x.data() + x.size()));
    REQUIRE(host_test::runBytes(m.model(), {xBytes}, {8}, &outputs) == ANEURALNETWORKS_NO_ERROR);
    const std::vector<int32_t> expected = type == Q8S ? std::vector<int32_t>{2, -4, -1, 127, -128, 0, 2, -2}
                                                      : std::vector<int32_t>{131, 125, 128, 255, 0, 129, 131, 127};
    INFO("output " << (type == Q8A ? "TENSOR_QUANT8_ASYMM" : "TENSOR_QUANT8_ASYMM_SIGNED"));
    CHECK(valuesOf(type, outputs[0]) == expected);
  }
}

TEST_CASE("DEQUANTIZE: int8 to float32, and per-channel scales along channelDim") {
  {
    ModelBuilder m;  // s 0.25 zp -3: (q + 3) * 0.25
    const uint32_t input = m.tensor(Q8S, {4}, 0.25f, -3), output = m.f32({4});
    REQUIRE(m.op(ANEURALNETWORKS_DEQUANTIZE, {input}, {output}) == ANEURALNETWORKS_NO_ERROR);
    REQUIRE(m.io({input}, {output}) == ANEURALNETWORKS_NO_ERROR);
    REQUIRE(m.finish() == ANEURALNETWORKS_NO_ERROR);
    std::vector<std::vector<uint8_t>> outputs;
    REQUIRE(host_test::runBytes(m.model(), {bytesOf({-128, -3, 0, 127})}, {16}, &outputs) == ANEURALNETWORKS_NO_ERROR);
    std::vector<float> actual(4);
    std::memcpy(actual.data(), outputs[0].data(), 16);
    host_test::requireClose(actual, {-31.25f, 0.0f, 0.75f, 32.5f});
  }
  // [2,3] with q {1, 2, 3, -4, -5, -6}: along axis 1 (scales {0.5, 0.25, 2}) every column has its scale, along
  // axis 0 (scales {0.5, 0.25}) every row.
  for (const uint32_t channelDim : {1u, 0u}) {
    ModelBuilder m;
    const uint32_t input = m.tensor(Q8PC, {2, 3}), output = m.f32({2, 3});
    const std::vector<float> scales =
        channelDim == 1 ? std::vector<float>{0.5f, 0.25f, 2.0f} : std::vector<float>{0.5f, 0.25f};
    const ANeuralNetworksSymmPerChannelQuantParams params{channelDim, uint32_t(scales.size()), scales.data()};
    REQUIRE(ANeuralNetworksModel_setOperandSymmPerChannelQuantParams(m.model(), int32_t(input), &params) ==
            ANEURALNETWORKS_NO_ERROR);
    REQUIRE(m.op(ANEURALNETWORKS_DEQUANTIZE, {input}, {output}) == ANEURALNETWORKS_NO_ERROR);
    REQUIRE(m.io({input}, {output}) == ANEURALNETWORKS_NO_ERROR);
    REQUIRE(m.finish() == ANEURALNETWORKS_NO_ERROR);
    std::vector<std::vector<uint8_t>> outputs;
    REQUIRE(host_test::runBytes(m.model(), {bytesOf({1, 2, 3, -4, -5, -6})}, {24}, &outputs) ==
            ANEURALNETWORKS_NO_ERROR);
    std::vector<float> actual(6);
    std::memcpy(actual.data(), outputs[0].data(), 24);
    INFO("channelDim " << channelDim);
    host_test::requireClose(actual, channelDim == 1 ? std::vector<float>{0.5f, 0.5f, 6.0f, -2.0f, -1.25f, -12.0f}
                                                    : std::vector<float>{0.5f, 1.0f, 1.5f, -1.0f, -1.25f, -1.5f});
  }
}

TEST_CASE("QUANTIZE: random float32 values against the float reference") {
  std::mt19937 rng(51);
  std::uniform_real_distribution<float> value(-10.0f, 10.0f);
  std::vector<float> x(1000);
  for (float& v : x) v = value(rng);
  for (const int32_t type : {Q8S, Q8A}) {
    const Quant out{type, 0.07f, type == Q8S ? 3 : 131};
    std::vector<double> real(x.begin(), x.end());
    ModelBuilder m;
    const uint32_t input = m.f32({1000}), output = m.tensor(type, {1000}, out.scale, out.zeroPoint);
    REQUIRE(m.op(ANEURALNETWORKS_QUANTIZE, {input}, {output}) == ANEURALNETWORKS_NO_ERROR);
    REQUIRE(m.io({input}, {output}) == ANEURALNETWORKS_NO_ERROR);
    REQUIRE(m.finish() == ANEURALNETWORKS_NO_ERROR);
    std::vector<std::vector<uint8_t>> outputs;
    const std::vector<uint8_t> xBytes(reinterpret_cast<const uint8_t*>(x.data()),
                                      reinterpret_cast<const uint8_t*>(x.data() + x.size()));
    REQUIRE(host_test::runBytes(m.model(), {xBytes}, {1000}, &outputs) == ANEURALNETWORKS_NO_ERROR);
    checkWithinOneQuantum(valuesOf(type, outputs[0]), quantizeReference(real, out, typeRange(type)), type);
  }
}

// ---- HARD_SWISH ---------------------------------------------------------------------------------------------

namespace {

double hardSwish(double x) { return x * std::min(6.0, std::max(0.0, x + 3.0)) / 6.0; }

}  // namespace

TEST_CASE("HARD_SWISH: float32") {
  ModelBuilder m;
  const uint32_t input = m.f32({7}), output = m.f32({7});
  REQUIRE(m.op(ANEURALNETWORKS_HARD_SWISH, {input}, {output}) == ANEURALNETWORKS_NO_ERROR);
  // x * relu6(x + 3) / 6: -1.5 * 1.5 / 6 = -0.375, 1.5 * 4.5 / 6 = 1.125
  host_test::requireClose(runFloat(m, {input}, {{-4.0f, -3.0f, -1.5f, 0.0f, 1.5f, 4.0f, 6.0f}}, output, 7),
                          {0.0f, 0.0f, -0.375f, 0.0f, 1.125f, 4.0f, 6.0f});
}

TEST_CASE("HARD_SWISH: uint8 and int8 through the int16 fixed-point path") {
  // x {-4, -3, -1.5, 0, 1.5, 4, 6} at s_in 0.5 -> d = {-8, -6, -3, 0, 3, 8, 12}; s_out 0.125 -> exact results
  // {0, 0, -0.375, 0, 1.125, 4, 6} are {0, 0, -3, 0, 9, 32, 48} quanta. §11.7 for d = 3: hires s_in/128 = 2^-8;
  // (Mo, eo) = QM(2^-8/0.125 = 1/32) = (2^30, -4), Mo16 = 16384; (Mr, er) = QM(2^-8/(3/32768) = 42.67) =
  // (1431655765, 6), Mr16 = 21845. v = 384; po = SRDHM16(384, 16384) = 192; r = satShl16(384, 5) = 12288;
  // SRDHM16(12288, 21845) = round(8191.875) = 8192; satShl16(8192, 1) = 16384; (16384 + 32768) >> 1 = 24576
  // (0.75 = (1.5 + 3)/6); SDHM16(24576, 192) = 144; RDBPOT(144, 4) = 9. d = -3 gives -8192 -> 8192 (0.25),
  // SDHM16(8192, -192) = -48 -> -3. d = 8: r saturates at 32767, SDHM16(32767, 512) = 511, RDBPOT(511, 4) = 32;
  // d = 12: SDHM16(32767, 768) = 767 -> 48. d <= -6 gives r = 0 -> 0.
  const std::vector<int32_t> d{-8, -6, -3, 0, 3, 8, 12}, quanta{0, 0, -3, 0, 9, 32, 48};
  for (const int32_t type : {Q8A, Q8S}) {
    const int32_t zeroIn = type == Q8A ? 128 : 0, zeroOut = type == Q8A ? 10 : -20;
    ModelBuilder m;
    const uint32_t input = m.tensor(type, {7}, 0.5f, zeroIn), output = m.tensor(type, {7}, 0.125f, zeroOut);
    REQUIRE(m.op(ANEURALNETWORKS_HARD_SWISH, {input}, {output}) == ANEURALNETWORKS_NO_ERROR);
    std::vector<int32_t> x, expected;
    for (size_t i = 0; i < d.size(); ++i) {
      x.push_back(d[i] + zeroIn);
      expected.push_back(quanta[i] + zeroOut);
    }
    INFO("type " << (type == Q8A ? "TENSOR_QUANT8_ASYMM" : "TENSOR_QUANT8_ASYMM_SIGNED"));
    CHECK(runQ8(m, {input}, {x}, output, type, 7) == expected);
  }
}

TEST_CASE("HARD_SWISH: every 8-bit input value against the float reference") {
  // uint8: x in [-5, 7.75], hard_swish in [-0.375, 7.75] -> [-9, 194] quanta of 0.04 around zp 20.
  // int8: x in [-4.72, 5.48] -> [-15, 219] quanta of 0.025 around zp -100.
  for (const Quant& in : {Quant{Q8A, 0.05f, 100}, Quant{Q8S, 0.04f, -10}}) {
    const Quant out = in.type == Q8A ? Quant{Q8A, 0.04f, 20} : Quant{Q8S, 0.025f, -100};
    std::vector<int32_t> x;
    for (int32_t q = typeRange(in.type).lo; q <= typeRange(in.type).hi; ++q) x.push_back(q);
    std::vector<double> real;
    for (int32_t q : x) real.push_back(hardSwish(realOf(q, in)));
    ModelBuilder m;
    const uint32_t input = m.tensor(in.type, {256}, in.scale, in.zeroPoint);
    const uint32_t output = m.tensor(out.type, {256}, out.scale, out.zeroPoint);
    REQUIRE(m.op(ANEURALNETWORKS_HARD_SWISH, {input}, {output}) == ANEURALNETWORKS_NO_ERROR);
    INFO("type " << (in.type == Q8A ? "TENSOR_QUANT8_ASYMM" : "TENSOR_QUANT8_ASYMM_SIGNED"));
    checkWithinOneQuantum(runQ8(m, {input}, {x}, output, out.type, 256),
                          quantizeReference(real, out, typeRange(out.type)), out.type);
  }
}

// ---- RESIZE_BILINEAR ----------------------------------------------------------------------------------------

namespace {

enum class Mapping { Plain, AlignCorners, HalfPixelCenters };

// RESIZE_BILINEAR inputs after the tensor: sizes (width, height), then NCHW false and the FL4 flags if needed.
std::vector<uint32_t> resizeArgs(ModelBuilder& m, uint32_t input, uint32_t outW, uint32_t outH, Mapping mapping) {
  std::vector<uint32_t> args{input, m.i32(int32_t(outW)), m.i32(int32_t(outH))};
  if (mapping != Mapping::Plain) {
    args.push_back(m.boolean(false));
    args.push_back(m.boolean(mapping == Mapping::AlignCorners));
    args.push_back(m.boolean(mapping == Mapping::HalfPixelCenters));
  }
  return args;
}

// §10 RESIZE_BILINEAR in double, NHWC.
std::vector<double> resizeReference(const std::vector<double>& in, const Dims& d, uint32_t outH, uint32_t outW,
                                    Mapping mapping) {
  struct Tap {
    uint32_t lo, hi;
    double frac;
  };
  const auto taps = [&](uint32_t inSize, uint32_t outSize) {
    const bool align = mapping == Mapping::AlignCorners, half = mapping == Mapping::HalfPixelCenters;
    const double scale = align && outSize > 1 ? double(inSize - 1) / (outSize - 1) : double(inSize) / outSize;
    std::vector<Tap> t;
    for (uint32_t o = 0; o < outSize; ++o) {
      const double y = half ? (o + 0.5) * scale - 0.5 : o * scale;
      const double y0 = std::max(std::floor(y), 0.0), y1 = std::min(std::ceil(y), double(inSize - 1));
      t.push_back({uint32_t(y0), uint32_t(y1), y - y0});
    }
    return t;
  };
  const std::vector<Tap> ty = taps(d[1], outH), tx = taps(d[2], outW);
  const auto at = [&](uint32_t n, uint32_t y, uint32_t x, uint32_t c) {
    return in[((n * d[1] + y) * d[2] + x) * d[3] + c];
  };
  std::vector<double> out;
  for (uint32_t n = 0; n < d[0]; ++n)
    for (const Tap& y : ty)
      for (const Tap& x : tx)
        for (uint32_t c = 0; c < d[3]; ++c) {
          const double top = at(n, y.lo, x.lo, c) * (1 - x.frac) + at(n, y.lo, x.hi, c) * x.frac;
          const double bottom = at(n, y.hi, x.lo, c) * (1 - x.frac) + at(n, y.hi, x.hi, c) * x.frac;
          out.push_back(top * (1 - y.frac) + bottom * y.frac);
        }
  return out;
}

}  // namespace

TEST_CASE("RESIZE_BILINEAR: float32 2x2 -> 4x4 with each coordinate mapping, and the scale-factor form") {
  // Input rows {0, 4}, {8, 12}: value = 8*fy + 4*fx at source position (fy, fx) in [0,1]^2. Source positions of
  // the 4 outputs per axis: plain scale 0.5 -> {0, 0.5, 1, 1.5 (clamped to 1)}; align_corners scale 1/3 ->
  // {0, 1/3, 2/3, 1}; half_pixel_centers (o + 0.5)*0.5 - 0.5 -> {-0.25 (row 0), 0.25, 0.75, 1.25 (row 1)}.
  const std::vector<float> x{0, 4, 8, 12};
  const auto grid = [](const std::vector<float>& f) {
    std::vector<float> v;
    for (float fy : f)
      for (float fx : f) v.push_back(8 * fy + 4 * fx);
    return v;
  };
  const std::vector<float> plain = grid({0, 0.5f, 1, 1}), align = grid({0, 1.0f / 3, 2.0f / 3, 1}),
                           half = grid({0, 0.25f, 0.75f, 1});
  for (const Mapping mapping : {Mapping::Plain, Mapping::AlignCorners, Mapping::HalfPixelCenters}) {
    ModelBuilder m;
    const uint32_t input = m.f32({1, 2, 2, 1}), output = m.f32({1, 4, 4, 1});
    REQUIRE(m.op(ANEURALNETWORKS_RESIZE_BILINEAR, resizeArgs(m, input, 4, 4, mapping), {output}) ==
            ANEURALNETWORKS_NO_ERROR);
    INFO("mapping " << int(mapping));
    host_test::requireClose(runFloat(m, {input}, {x}, output, 16), mapping == Mapping::Plain          ? plain
                                                                   : mapping == Mapping::AlignCorners ? align
                                                                                                      : half);
  }
  {
    ModelBuilder m;  // FL3 scale factors: floor(2 * 2.0) = 4 per axis, same as the plain sizes form
    const uint32_t input = m.f32({1, 2, 2, 1}), output = m.f32({1, 4, 4, 1});
    REQUIRE(m.op(ANEURALNETWORKS_RESIZE_BILINEAR, {input, m.f32Scalar(2.0f), m.f32Scalar(2.0f)}, {output}) ==
            ANEURALNETWORKS_NO_ERROR);
    host_test::requireClose(runFloat(m, {input}, {x}, output, 16), plain);
  }
}

TEST_CASE("RESIZE_BILINEAR: uint8 and int8 interpolate raw values, output keeps the input q") {
  // Inputs chosen so every interpolated value is an integer (weights 0, 1/4, 1/2, 3/4, 1), so no rounding rule
  // matters. uint8 rows {2, 6}, {10, 14} (zp 2, the float case + 2); int8 rows {-60, -20}, {20, 60}: value =
  // -60 + 80*fy + 40*fx.
  struct Case {
    int32_t type;
    int32_t zeroPoint;
    std::vector<int32_t> x;
  };
  for (const Case& c : {Case{Q8A, 2, {2, 6, 10, 14}}, Case{Q8S, 0, {-60, -20, 20, 60}}}) {
    for (const Mapping mapping : {Mapping::Plain, Mapping::HalfPixelCenters}) {
      const std::vector<float> f =
          mapping == Mapping::Plain ? std::vector<float>{0, 0.5f, 1, 1} : std::vector<float>{0, 0.25f, 0.75f, 1};
      std::vector<int32_t> expected;
      for (float fy : f)
        for (float fx : f)
          expected.push_back(c.type == Q8A ? int32_t(2 + 8 * fy + 4 * fx) : int32_t(-60 + 80 * fy + 40 * fx));
      ModelBuilder m;
      const uint32_t input = m.tensor(c.type, {1, 2, 2, 1}, 0.5f, c.zeroPoint);
      const uint32_t output = m.tensor(c.type, {1, 4, 4, 1}, 0.5f, c.zeroPoint);
      REQUIRE(m.op(ANEURALNETWORKS_RESIZE_BILINEAR, resizeArgs(m, input, 4, 4, mapping), {output}) ==
              ANEURALNETWORKS_NO_ERROR);
      INFO("type " << (c.type == Q8A ? "TENSOR_QUANT8_ASYMM" : "TENSOR_QUANT8_ASYMM_SIGNED") << ", mapping "
                   << int(mapping));
      CHECK(runQ8(m, {input}, {c.x}, output, c.type, 16) == expected);
    }
  }
}

TEST_CASE("RESIZE_BILINEAR: random uint8 and int8 cases against the float reference") {
  // §13: the reference's rounding of the interpolated value is version-dependent; 1 quantum covers both.
  std::mt19937 rng(61);
  const Dims inDims{2, 4, 5, 3};
  const uint32_t outH = 7, outW = 9;
  for (const int32_t type : {Q8A, Q8S}) {
    for (const Mapping mapping : {Mapping::Plain, Mapping::AlignCorners, Mapping::HalfPixelCenters}) {
      const Quant q{type, 0.1f, type == Q8A ? 128 : 0};
      const std::vector<int32_t> x = randomQ(rng, type, elementCount(inDims));
      const std::vector<double> real = resizeReference(realsOf(x, q), inDims, outH, outW, mapping);
      ModelBuilder m;
      const uint32_t input = m.tensor(type, inDims, q.scale, q.zeroPoint);
      const Dims outDims{2, outH, outW, 3};
      const uint32_t output = m.tensor(type, outDims, q.scale, q.zeroPoint);
      REQUIRE(m.op(ANEURALNETWORKS_RESIZE_BILINEAR, resizeArgs(m, input, outW, outH, mapping), {output}) ==
              ANEURALNETWORKS_NO_ERROR);
      INFO("type " << (type == Q8A ? "TENSOR_QUANT8_ASYMM" : "TENSOR_QUANT8_ASYMM_SIGNED") << ", mapping "
                   << int(mapping));
      checkWithinOneQuantum(runQ8(m, {input}, {x}, output, type, elementCount(outDims)),
                            quantizeReference(real, q, typeRange(type)), type);
    }
  }
}

// ---- validation ---------------------------------------------------------------------------------------------

TEST_CASE("setOperandSymmPerChannelQuantParams rejects bad parameters with BAD_DATA") {
  ModelBuilder m;
  const uint32_t signedFilter = m.tensor(Q8S, {2, 1, 1, 3}, 0.5f, 0);
  const uint32_t filter = m.tensor(Q8PC, {2, 1, 1, 3});
  const float two[2] = {0.5f, 0.25f}, three[3] = {0.5f, 0.25f, 1.0f};
  const float withZero[2] = {0.5f, 0.0f}, withNegative[2] = {-0.5f, 0.25f};
  const auto set = [&](uint32_t index, uint32_t channelDim, uint32_t count, const float* scales) {
    const ANeuralNetworksSymmPerChannelQuantParams params{channelDim, count, scales};
    return ANeuralNetworksModel_setOperandSymmPerChannelQuantParams(m.model(), int32_t(index), &params);
  };
  CHECK(set(signedFilter, 0, 2, two) == ANEURALNETWORKS_BAD_DATA);  // not TENSOR_QUANT8_SYMM_PER_CHANNEL
  CHECK(set(filter, 0, 3, three) == ANEURALNETWORKS_BAD_DATA);      // scaleCount 3 != dims[0] = 2
  CHECK(set(filter, 3, 2, two) == ANEURALNETWORKS_BAD_DATA);        // scaleCount 2 != dims[3] = 3
  CHECK(set(filter, 0, 2, withZero) == ANEURALNETWORKS_BAD_DATA);   // a scale of 0
  CHECK(set(filter, 0, 2, withNegative) == ANEURALNETWORKS_BAD_DATA);
  CHECK(set(filter, 4, 2, two) == ANEURALNETWORKS_BAD_DATA);      // channelDim >= rank
  CHECK(set(filter, 0, 2, nullptr) == ANEURALNETWORKS_BAD_DATA);  // AOSP: NN_RET_CHECK(scales) -> BAD_DATA
  CHECK(set(filter, 0, 2, two) == ANEURALNETWORKS_NO_ERROR);      // none of the rejected calls left a mark
}

TEST_CASE("addOperand rejects a per-channel type with a scale or zero point of its own") {
  ModelBuilder m;
  const Dims dims{2, 1, 1, 1};
  const ANeuralNetworksOperandType withScale{Q8PC, 4, dims.data(), 0.5f, 0}, withZero{Q8PC, 4, dims.data(), 0.0f, 1};
  CHECK(ANeuralNetworksModel_addOperand(m.model(), &withScale) == ANEURALNETWORKS_BAD_DATA);
  CHECK(ANeuralNetworksModel_addOperand(m.model(), &withZero) == ANEURALNETWORKS_BAD_DATA);
}

namespace {

// A per-channel CONV_2D (input [1,1,1,2], filter [2,1,1,2]) whose filter's parameters are set by `setParams`,
// called before or after addOperation.
struct PerChannelConv {
  ModelBuilder m;
  uint32_t input, filter, bias, output;
  PerChannelConv() {
    input = m.tensor(Q8A, {1, 1, 1, 2}, 0.5f, 128);
    const std::vector<int32_t> q{1, 2, 3, 4};
    filter = constQ8(m, Q8PC, {2, 1, 1, 2}, 0.0f, 0, q);
    bias = constBias(m, 0.0f, {0, 0});
    output = m.tensor(Q8A, {1, 1, 1, 2}, 1.0f, 128);
  }
  int setParams(uint32_t channelDim) {
    const float scales[2] = {0.5f, 0.25f};
    const ANeuralNetworksSymmPerChannelQuantParams params{channelDim, 2, scales};
    return ANeuralNetworksModel_setOperandSymmPerChannelQuantParams(m.model(), int32_t(filter), &params);
  }
  int addConv() { return conv1x1(m, input, filter, bias, output); }
};

}  // namespace

TEST_CASE("finish rejects a per-channel operand without parameters, and a model it failed cannot compile") {
  PerChannelConv c;
  REQUIRE(c.addConv() == ANEURALNETWORKS_NO_ERROR);  // parameters may still follow addOperation
  REQUIRE(c.m.io({c.input}, {c.output}) == ANEURALNETWORKS_NO_ERROR);
  CHECK(c.m.finish() == ANEURALNETWORKS_BAD_DATA);
  ANeuralNetworksCompilation* compilation = nullptr;
  CHECK(ANeuralNetworksCompilation_create(c.m.model(), &compilation) == ANEURALNETWORKS_BAD_STATE);
}

TEST_CASE("CONV_2D wants the per-channel axis 0, DEPTHWISE_CONV_2D axis 3") {
  SECTION("CONV_2D filter quantized along axis 3: rejected at addOperation") {
    PerChannelConv c;
    REQUIRE(c.setParams(3) == ANEURALNETWORKS_NO_ERROR);  // dims[3] = 2 scales: valid for the operand alone
    CHECK(c.addConv() == ANEURALNETWORKS_BAD_DATA);
  }
  SECTION("CONV_2D filter whose axis-3 parameters follow addOperation: rejected at finish") {
    PerChannelConv c;
    REQUIRE(c.addConv() == ANEURALNETWORKS_NO_ERROR);
    REQUIRE(c.setParams(3) == ANEURALNETWORKS_NO_ERROR);
    REQUIRE(c.m.io({c.input}, {c.output}) == ANEURALNETWORKS_NO_ERROR);
    CHECK(c.m.finish() == ANEURALNETWORKS_BAD_DATA);
  }
  SECTION("DEPTHWISE_CONV_2D filter quantized along axis 0") {
    ModelBuilder m;
    const uint32_t input = m.tensor(Q8A, {1, 1, 1, 1}, 0.5f, 128);
    const uint32_t filter = perChannelFilter(m, {1, 1, 1, 2}, 0, {0.5f}, {1, 2});
    const uint32_t bias = constBias(m, 0.0f, {0, 0});
    const uint32_t output = m.tensor(Q8A, {1, 1, 1, 2}, 1.0f, 128);
    CHECK(m.op(ANEURALNETWORKS_DEPTHWISE_CONV_2D,
               {input, filter, bias, m.i32(ANEURALNETWORKS_PADDING_VALID), m.i32(1), m.i32(1), m.i32(2), m.i32(kNone)},
               {output}) == ANEURALNETWORKS_BAD_DATA);
  }
}

TEST_CASE("per-channel filters: bias declared with scale 0, quantized inputs only, no FULLY_CONNECTED form") {
  SECTION("a per-channel bias with a non-zero declared scale") {
    PerChannelConv c;
    REQUIRE(c.setParams(0) == ANEURALNETWORKS_NO_ERROR);
    const uint32_t scaledBias = constBias(c.m, 0.25f, {0, 0});
    CHECK(conv1x1(c.m, c.input, c.filter, scaledBias, c.output) == ANEURALNETWORKS_BAD_DATA);
  }
  SECTION("a float32 input") {
    PerChannelConv c;
    REQUIRE(c.setParams(0) == ANEURALNETWORKS_NO_ERROR);
    const uint32_t input = c.m.f32({1, 1, 1, 2}), output = c.m.f32({1, 1, 1, 2});
    const uint32_t bias = c.m.constF32({2}, {0, 0});
    CHECK(conv1x1(c.m, input, c.filter, bias, output) == ANEURALNETWORKS_BAD_DATA);
  }
  SECTION("FULLY_CONNECTED weights") {
    ModelBuilder m;
    const uint32_t input = m.tensor(Q8S, {1, 2}, 0.5f, 0);
    const uint32_t weights = perChannelFilter(m, {2, 2}, 0, {0.5f, 0.25f}, {1, 2, 3, 4});
    const uint32_t bias = constBias(m, 0.0f, {0, 0});
    const uint32_t output = m.tensor(Q8S, {1, 2}, 1.0f, 0);
    CHECK(m.op(ANEURALNETWORKS_FULLY_CONNECTED, {input, weights, bias, m.i32(kNone)}, {output}) ==
          ANEURALNETWORKS_BAD_DATA);
  }
}

TEST_CASE("one operation never mixes TENSOR_QUANT8_ASYMM and TENSOR_QUANT8_ASYMM_SIGNED") {
  // Each section first adds the operation with consistent types (accepted), then with one operand of the other
  // 8-bit type and otherwise identical shape, scale and zero point (rejected), so only the mix is at fault.
  ModelBuilder m;
  const Dims dims{1, 1, 1, 2};
  const uint32_t u = m.tensor(Q8A, dims, 0.5f, 0), s = m.tensor(Q8S, dims, 0.5f, 0);
  const auto uOut = [&] { return m.tensor(Q8A, dims, 0.5f, 0); };
  const auto sOut = [&] { return m.tensor(Q8S, dims, 0.5f, 0); };
  SECTION("ADD of a uint8 and an int8 operand") {
    CHECK(m.op(ANEURALNETWORKS_ADD, {s, s, m.i32(kNone)}, {sOut()}) == ANEURALNETWORKS_NO_ERROR);
    CHECK(m.op(ANEURALNETWORKS_ADD, {u, s, m.i32(kNone)}, {uOut()}) == ANEURALNETWORKS_BAD_DATA);
    CHECK(m.op(ANEURALNETWORKS_ADD, {s, u, m.i32(kNone)}, {sOut()}) == ANEURALNETWORKS_BAD_DATA);
  }
  SECTION("MUL of int8 operands into a uint8 output") {
    CHECK(m.op(ANEURALNETWORKS_MUL, {s, s, m.i32(kNone)}, {sOut()}) == ANEURALNETWORKS_NO_ERROR);
    CHECK(m.op(ANEURALNETWORKS_MUL, {s, s, m.i32(kNone)}, {uOut()}) == ANEURALNETWORKS_BAD_DATA);
  }
  SECTION("CONV_2D with a uint8 input and an int8 filter") {
    const uint32_t unsignedFilter = constQ8(m, Q8A, {2, 1, 1, 2}, 0.5f, 0, {1, 2, 3, 4});
    const uint32_t signedFilter = constQ8(m, Q8S, {2, 1, 1, 2}, 0.5f, 0, {1, 2, 3, 4});
    CHECK(conv1x1(m, u, unsignedFilter, constBias(m, 0.25f, {0, 0}), uOut()) == ANEURALNETWORKS_NO_ERROR);
    CHECK(conv1x1(m, u, signedFilter, constBias(m, 0.25f, {0, 0}), uOut()) == ANEURALNETWORKS_BAD_DATA);
  }
  SECTION("CONV_2D with an int8 input, a per-channel filter and a uint8 output") {
    const uint32_t filter = perChannelFilter(m, {2, 1, 1, 2}, 0, {0.5f, 0.25f}, {1, 2, 3, 4});
    CHECK(conv1x1(m, s, filter, constBias(m, 0.0f, {0, 0}), sOut()) == ANEURALNETWORKS_NO_ERROR);
    CHECK(conv1x1(m, s, filter, constBias(m, 0.0f, {0, 0}), uOut()) == ANEURALNETWORKS_BAD_DATA);
  }
  SECTION("FULLY_CONNECTED with an int8 input and uint8 weights") {
    const uint32_t input = m.tensor(Q8S, {1, 2}, 0.5f, 0);
    const uint32_t signedWeights = constQ8(m, Q8S, {2, 2}, 0.5f, 0, {1, 2, 3, 4});
    const uint32_t unsignedWeights = constQ8(m, Q8A, {2, 2}, 0.5f, 0, {1, 2, 3, 4});
    const auto fc = [&](uint32_t weights) {
      return m.op(ANEURALNETWORKS_FULLY_CONNECTED, {input, weights, constBias(m, 0.25f, {0, 0}), m.i32(kNone)},
                  {m.tensor(Q8S, {1, 2}, 1.0f, 0)});
    };
    CHECK(fc(signedWeights) == ANEURALNETWORKS_NO_ERROR);
    CHECK(fc(unsignedWeights) == ANEURALNETWORKS_BAD_DATA);
  }
  SECTION("HARD_SWISH and RESIZE_BILINEAR from int8 to uint8") {
    CHECK(m.op(ANEURALNETWORKS_HARD_SWISH, {s}, {sOut()}) == ANEURALNETWORKS_NO_ERROR);
    CHECK(m.op(ANEURALNETWORKS_HARD_SWISH, {s}, {uOut()}) == ANEURALNETWORKS_BAD_DATA);
    CHECK(m.op(ANEURALNETWORKS_RESIZE_BILINEAR, {s, m.i32(1), m.i32(1)}, {sOut()}) == ANEURALNETWORKS_NO_ERROR);
    CHECK(m.op(ANEURALNETWORKS_RESIZE_BILINEAR, {s, m.i32(1), m.i32(1)}, {uOut()}) == ANEURALNETWORKS_BAD_DATA);
  }
}

TEST_CASE("quantized MUL needs s_out > s_a * s_b") {
  // s_a * s_b = 0.5 * 0.25 = 0.125: equal or smaller output scales are rejected, a larger one is accepted.
  for (const float outScale : {0.125f, 0.1f, 0.126f}) {
    ModelBuilder m;
    const uint32_t a = m.tensor(Q8S, {2}, 0.5f, 0), b = m.tensor(Q8S, {2}, 0.25f, 0);
    const uint32_t output = m.tensor(Q8S, {2}, outScale, 0);
    INFO("output scale " << outScale);
    CHECK(m.op(ANEURALNETWORKS_MUL, {a, b, m.i32(kNone)}, {output}) ==
          (outScale > 0.125f ? ANEURALNETWORKS_NO_ERROR : ANEURALNETWORKS_BAD_DATA));
  }
}
