#include "kernels/data_movement.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace nnapi_host::kernels {
namespace {

size_t countOf(const Dims& dims) {
  size_t n = 1;
  for (uint32_t d : dims) n *= d;
  return n;
}

// Row-major strides of `dims` left-padded to rank 4.
void strides4(const Dims& dims, uint32_t extent[4], size_t stride[4]) {
  const size_t offset = 4 - dims.size();
  size_t s = 1;
  for (int k = 3; k >= 0; --k) {
    extent[k] = k >= int(offset) ? dims[size_t(k) - offset] : 1;
    stride[k] = s;
    s *= extent[k];
  }
}

// Element copies with a fixed-size type, so the inner loops are plain loads and stores.
template <typename T>
void transposeTyped(const T* in, const Dims& inDims, const std::vector<uint32_t>& perm, T* out) {
  uint32_t inExtent[4];
  size_t inStride[4];
  strides4(inDims, inExtent, inStride);
  const size_t offset = 4 - inDims.size();
  uint32_t extent[4] = {1, 1, 1, 1};
  size_t stride[4] = {0, 0, 0, 0};  // input stride of each output axis
  for (size_t i = 0; i < perm.size(); ++i) {
    extent[offset + i] = inDims[perm[i]];
    stride[offset + i] = inStride[offset + perm[i]];
  }
  for (uint32_t a = 0; a < extent[0]; ++a)
    for (uint32_t b = 0; b < extent[1]; ++b)
      for (uint32_t c = 0; c < extent[2]; ++c) {
        const T* p = in + a * stride[0] + b * stride[1] + c * stride[2];
        for (uint32_t d = 0; d < extent[3]; ++d) *out++ = p[d * stride[3]];
      }
}

template <typename T>
void sliceTyped(const T* in, const Dims& inDims, const std::vector<int32_t>& begin, const std::vector<int32_t>& steps,
                const std::vector<uint32_t>& counts, T* out) {
  uint32_t inExtent[4];
  size_t inStride[4];
  strides4(inDims, inExtent, inStride);
  const size_t offset = 4 - inDims.size();
  uint32_t count[4] = {1, 1, 1, 1};
  int64_t start[4] = {0, 0, 0, 0}, step[4] = {0, 0, 0, 0};
  for (size_t k = 0; k < inDims.size(); ++k) {
    count[offset + k] = counts[k];
    start[offset + k] = begin[k];
    step[offset + k] = steps[k];
  }
  for (uint32_t a = 0; a < count[0]; ++a)
    for (uint32_t b = 0; b < count[1]; ++b)
      for (uint32_t c = 0; c < count[2]; ++c) {
        const int64_t base = (start[0] + a * step[0]) * int64_t(inStride[0]) +
                             (start[1] + b * step[1]) * int64_t(inStride[1]) +
                             (start[2] + c * step[2]) * int64_t(inStride[2]);
        for (uint32_t d = 0; d < count[3]; ++d) *out++ = in[base + start[3] + d * step[3]];
      }
}

template <template <typename> class Fn, typename... Args>
void byElementSize(size_t elementSize, Args&&... args) {
  switch (elementSize) {
    case 1: Fn<uint8_t>::run(std::forward<Args>(args)...); break;
    case 2: Fn<uint16_t>::run(std::forward<Args>(args)...); break;
    default: Fn<uint32_t>::run(std::forward<Args>(args)...); break;
  }
}

template <typename T>
struct Transpose {
  static void run(const void* in, const Dims& d, const std::vector<uint32_t>& perm, void* out) {
    transposeTyped(static_cast<const T*>(in), d, perm, static_cast<T*>(out));
  }
};

template <typename T>
struct Slice {
  static void run(const void* in, const Dims& d, const std::vector<int32_t>& b, const std::vector<int32_t>& s,
                  const std::vector<uint32_t>& c, void* out) {
    sliceTyped(static_cast<const T*>(in), d, b, s, c, static_cast<T*>(out));
  }
};

}  // namespace

void transposeBytes(size_t elementSize, const void* in, const Dims& inDims, const std::vector<uint32_t>& perm,
                    void* out) {
  byElementSize<Transpose>(elementSize, in, inDims, perm, out);
}

void stridedSliceBytes(size_t elementSize, const void* in, const Dims& inDims, const std::vector<int32_t>& begin,
                       const std::vector<int32_t>& strides, const std::vector<uint32_t>& counts, void* out) {
  byElementSize<Slice>(elementSize, in, inDims, begin, strides, counts, out);
}

void concatBytes(size_t elementSize, const std::vector<ConcatPart>& parts, uint32_t axis, void* out) {
  const Dims& first = parts.front().dims;
  size_t outer = 1;
  for (uint32_t k = 0; k < axis; ++k) outer *= first[k];
  uint8_t* o = static_cast<uint8_t*>(out);
  for (size_t i = 0; i < outer; ++i)
    for (const ConcatPart& part : parts) {
      size_t chunk = elementSize;  // bytes of one outer slice of this part
      for (size_t k = axis; k < part.dims.size(); ++k) chunk *= part.dims[k];
      std::memcpy(o, static_cast<const uint8_t*>(part.data) + i * chunk, chunk);
      o += chunk;
    }
}

namespace {

// The number of slices of `dims` before `axis`, and the bytes of one slice from `axis` on (the axis included).
std::pair<size_t, size_t> outerAndSliceBytes(size_t elementSize, const Dims& dims, uint32_t axis) {
  size_t outer = 1, slice = elementSize;
  for (size_t k = 0; k < dims.size(); ++k) (k < axis ? outer : slice) *= dims[k];
  return {outer, slice};
}

}  // namespace

void splitBytes(size_t elementSize, const void* in, const Dims& inDims, uint32_t axis, const std::vector<void*>& outs) {
  // The inverse of concatenating the pieces: each outer slice of the input is the pieces' slices one after another.
  const auto [outer, slice] = outerAndSliceBytes(elementSize, inDims, axis);
  const size_t piece = slice / outs.size();
  const uint8_t* i = static_cast<const uint8_t*>(in);
  for (size_t o = 0; o < outer; ++o)
    for (void* out : outs) {
      std::memcpy(static_cast<uint8_t*>(out) + o * piece, i, piece);
      i += piece;
    }
}

void channelShuffleBytes(size_t elementSize, const void* in, const Dims& inDims, uint32_t groups, uint32_t axis,
                         void* out) {
  // [outer, C, inner] seen as [outer, groups, C/groups, inner] and transposed to [outer, C/groups, groups, inner].
  const auto [outer, slice] = outerAndSliceBytes(elementSize, inDims, axis);
  const uint32_t channels = inDims[axis];
  const uint32_t inner = uint32_t(slice / elementSize / channels);
  transposeBytes(elementSize, in, {uint32_t(outer), groups, channels / groups, inner}, {0, 2, 1, 3}, out);
}

void padBytes(size_t elementSize, const void* in, const Dims& inDims,
              const std::vector<std::pair<uint32_t, uint32_t>>& pads, const void* fill, void* out) {
  Dims outDims(inDims.size());
  for (size_t k = 0; k < inDims.size(); ++k) outDims[k] = inDims[k] + pads[k].first + pads[k].second;
  uint8_t* o = static_cast<uint8_t*>(out);
  const size_t total = countOf(outDims);
  for (size_t i = 0; i < total; ++i) std::memcpy(o + i * elementSize, fill, elementSize);
  uint32_t inExtent[4], outExtent[4];
  size_t inStride[4], outStride[4];
  strides4(inDims, inExtent, inStride);
  strides4(outDims, outExtent, outStride);
  const size_t offset = 4 - inDims.size();
  size_t before[4] = {0, 0, 0, 0};
  for (size_t k = 0; k < inDims.size(); ++k) before[offset + k] = pads[k].first;
  const uint8_t* src = static_cast<const uint8_t*>(in);
  const size_t row = inExtent[3] * elementSize;  // innermost rows are contiguous on both sides
  for (uint32_t a = 0; a < inExtent[0]; ++a)
    for (uint32_t b = 0; b < inExtent[1]; ++b)
      for (uint32_t c = 0; c < inExtent[2]; ++c) {
        const size_t dst = (a + before[0]) * outStride[0] + (b + before[1]) * outStride[1] +
                           (c + before[2]) * outStride[2] + before[3];
        std::memcpy(o + dst * elementSize, src, row);
        src += row;
      }
}

void resizeNearestBytes(size_t elementSize, const void* in, Shape4 s, uint32_t outH, uint32_t outW, bool alignCorners,
                        bool halfPixelCenters, void* out) {
  auto sourceIndex = [&](uint32_t o, uint32_t inSize, uint32_t outSize) {
    const float scale =
        (alignCorners && outSize > 1) ? float(inSize - 1) / float(outSize - 1) : float(inSize) / float(outSize);
    const float f = halfPixelCenters ? (float(o) + 0.5f) * scale : float(o) * scale;
    const int64_t i = alignCorners ? int64_t(std::round(f)) : int64_t(std::floor(f));
    return uint32_t(std::clamp<int64_t>(i, 0, int64_t(inSize) - 1));
  };
  std::vector<uint32_t> ys(outH), xs(outW);
  for (uint32_t y = 0; y < outH; ++y) ys[y] = sourceIndex(y, s.h, outH);
  for (uint32_t x = 0; x < outW; ++x) xs[x] = sourceIndex(x, s.w, outW);
  const size_t pixel = size_t(s.c) * elementSize;
  const uint8_t* src = static_cast<const uint8_t*>(in);
  uint8_t* dst = static_cast<uint8_t*>(out);
  for (uint32_t n = 0; n < s.n; ++n)
    for (uint32_t y = 0; y < outH; ++y)
      for (uint32_t x = 0; x < outW; ++x) {
        std::memcpy(dst, src + ((size_t(n) * s.h + ys[y]) * s.w + xs[x]) * pixel, pixel);
        dst += pixel;
      }
}

}  // namespace nnapi_host::kernels
