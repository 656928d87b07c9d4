#include "kernels/elementwise_f32.h"

#include <algorithm>
#include <cmath>

namespace nnapi_host::kernels {
namespace {

// Extents and element strides of an operand aligned to the 4-D output (stride 0 on broadcast axes).
struct Aligned4 {
  uint32_t extent[4] = {1, 1, 1, 1};
  size_t stride[4] = {0, 0, 0, 0};
};

Aligned4 align4(const Dims& dims, const Dims& outDims) {
  Aligned4 a;
  const size_t offset = 4 - dims.size();
  size_t stride = 1;
  for (size_t k = dims.size(); k-- > 0;) {
    a.extent[offset + k] = dims[k];
    a.stride[offset + k] = dims[k] == 1 && outDims[outDims.size() - dims.size() + k] != 1 ? 0 : stride;
    stride *= dims[k];
  }
  return a;
}

size_t countOf(const Dims& dims) {
  size_t n = 1;
  for (uint32_t d : dims) n *= d;
  return n;
}

// Applies f over the broadcast of a and b. The common cases (same shape, one side a single value) run as flat
// loops the compiler vectorises; the general case walks three outer axes with a strided innermost loop.
template <typename T, typename F>
void broadcast(F f, const T* a, const Dims& aDims, const T* b, const Dims& bDims, T* out, const Dims& outDims) {
  const size_t total = countOf(outDims), na = countOf(aDims), nb = countOf(bDims);
  if (na == total && nb == total) {
    for (size_t i = 0; i < total; ++i) out[i] = f(a[i], b[i]);
    return;
  }
  if (na == total && nb == 1) {
    const T bv = b[0];
    for (size_t i = 0; i < total; ++i) out[i] = f(a[i], bv);
    return;
  }
  if (na == 1 && nb == total) {
    const T av = a[0];
    for (size_t i = 0; i < total; ++i) out[i] = f(av, b[i]);
    return;
  }
  Dims out4(4 - outDims.size(), 1);
  out4.insert(out4.end(), outDims.begin(), outDims.end());
  const Aligned4 sa = align4(aDims, outDims), sb = align4(bDims, outDims);
  T* o = out;
  for (uint32_t i0 = 0; i0 < out4[0]; ++i0)
    for (uint32_t i1 = 0; i1 < out4[1]; ++i1)
      for (uint32_t i2 = 0; i2 < out4[2]; ++i2) {
        const T* pa = a + i0 * sa.stride[0] + i1 * sa.stride[1] + i2 * sa.stride[2];
        const T* pb = b + i0 * sb.stride[0] + i1 * sb.stride[1] + i2 * sb.stride[2];
        const size_t da = sa.stride[3], db = sb.stride[3];
        for (uint32_t i3 = 0; i3 < out4[3]; ++i3) *o++ = f(pa[i3 * da], pb[i3 * db]);
      }
}

template <typename F>
void binaryF32(F f, const float* a, const Dims& aDims, const float* b, const Dims& bDims, FloatRange act, float* out,
               const Dims& outDims) {
  const float lo = act.min, hi = act.max;
  broadcast<float>([&](float x, float y) { return std::min(std::max(f(x, y), lo), hi); }, a, aDims, b, bDims, out,
                   outDims);
}

// Wrap-around arithmetic in uint32 avoids signed-overflow UB on hostile data.
int32_t wrap(uint32_t v) { return int32_t(v); }

int32_t floorDiv(int32_t x, int32_t y) {
  if (y == 0) return 0;                        // undefined in NNAPI; never crash
  if (y == -1) return wrap(0u - uint32_t(x));  // INT32_MIN / -1 would overflow
  const int32_t q = x / y;
  return (q * y != x && ((x < 0) != (y < 0))) ? q - 1 : q;
}

template <typename F>
void mapF32(F f, const float* in, size_t count, float* out) {
  for (size_t i = 0; i < count; ++i) out[i] = f(in[i]);
}

}  // namespace

void broadcastBinaryF32(BinaryOp op, const float* a, const Dims& aDims, const float* b, const Dims& bDims,
                        FloatRange act, float* out, const Dims& outDims) {
  switch (op) {
    case BinaryOp::Add: return binaryF32([](float x, float y) { return x + y; }, a, aDims, b, bDims, act, out, outDims);
    case BinaryOp::Sub: return binaryF32([](float x, float y) { return x - y; }, a, aDims, b, bDims, act, out, outDims);
    case BinaryOp::Mul: return binaryF32([](float x, float y) { return x * y; }, a, aDims, b, bDims, act, out, outDims);
    case BinaryOp::Div: return binaryF32([](float x, float y) { return x / y; }, a, aDims, b, bDims, act, out, outDims);
    case BinaryOp::Max:
      return binaryF32([](float x, float y) { return std::max(x, y); }, a, aDims, b, bDims, act, out, outDims);
    case BinaryOp::Min:
      return binaryF32([](float x, float y) { return std::min(x, y); }, a, aDims, b, bDims, act, out, outDims);
    case BinaryOp::Prelu:
      return binaryF32([](float x, float alpha) { return x >= 0 ? x : alpha * x; }, a, aDims, b, bDims, act, out,
                       outDims);
  }
}

void broadcastBinaryI32(BinaryOp op, const int32_t* a, const Dims& aDims, const int32_t* b, const Dims& bDims,
                        int32_t* out, const Dims& outDims) {
  switch (op) {
    case BinaryOp::Add:
      return broadcast<int32_t>([](int32_t x, int32_t y) { return wrap(uint32_t(x) + uint32_t(y)); }, a, aDims, b,
                                bDims, out, outDims);
    case BinaryOp::Sub:
      return broadcast<int32_t>([](int32_t x, int32_t y) { return wrap(uint32_t(x) - uint32_t(y)); }, a, aDims, b,
                                bDims, out, outDims);
    case BinaryOp::Mul:
      return broadcast<int32_t>([](int32_t x, int32_t y) { return wrap(uint32_t(x) * uint32_t(y)); }, a, aDims, b,
                                bDims, out, outDims);
    case BinaryOp::Div: return broadcast<int32_t>(floorDiv, a, aDims, b, bDims, out, outDims);
    case BinaryOp::Max:
      return broadcast<int32_t>([](int32_t x, int32_t y) { return std::max(x, y); }, a, aDims, b, bDims, out, outDims);
    case BinaryOp::Min:
      return broadcast<int32_t>([](int32_t x, int32_t y) { return std::min(x, y); }, a, aDims, b, bDims, out, outDims);
    case BinaryOp::Prelu:
      return broadcast<int32_t>([](int32_t x, int32_t al) { return x >= 0 ? x : wrap(uint32_t(al) * uint32_t(x)); }, a,
                                aDims, b, bDims, out, outDims);
  }
}

void broadcastPowF32(const float* base, const Dims& baseDims, const float* exponent, const Dims& exponentDims,
                     float* out, const Dims& outDims) {
  broadcast<float>([](float b, float e) { return std::pow(b, e); }, base, baseDims, exponent, exponentDims, out,
                   outDims);
}

void eluF32(const float* in, size_t count, float alpha, float* out) {
  mapF32([alpha](float x) { return std::max(0.0f, x) + std::min(0.0f, alpha * (std::exp(x) - 1)); }, in, count, out);
}

void clampF32(const float* in, size_t count, FloatRange range, float* out) {
  const float lo = range.min, hi = range.max;
  for (size_t i = 0; i < count; ++i) out[i] = std::min(std::max(in[i], lo), hi);
}

void unaryF32(UnaryOp op, const float* in, size_t count, float* out) {
  switch (op) {
    case UnaryOp::Logistic: return mapF32([](float x) { return 1.0f / (1.0f + std::exp(-x)); }, in, count, out);
    case UnaryOp::Tanh: return mapF32([](float x) { return std::tanh(x); }, in, count, out);
    case UnaryOp::HardSwish:
      return mapF32([](float x) { return x * std::min(6.0f, std::max(0.0f, x + 3.0f)) / 6.0f; }, in, count, out);
    case UnaryOp::Abs: return mapF32([](float x) { return std::abs(x); }, in, count, out);
    case UnaryOp::Exp: return mapF32([](float x) { return std::exp(x); }, in, count, out);
    case UnaryOp::Log: return mapF32([](float x) { return std::log(x); }, in, count, out);
    case UnaryOp::Neg: return mapF32([](float x) { return -x; }, in, count, out);
    case UnaryOp::Rsqrt: return mapF32([](float x) { return 1.0f / std::sqrt(x); }, in, count, out);
    case UnaryOp::Sin: return mapF32([](float x) { return std::sin(x); }, in, count, out);
    case UnaryOp::Sqrt: return mapF32([](float x) { return std::sqrt(x); }, in, count, out);
  }
}

}  // namespace nnapi_host::kernels
