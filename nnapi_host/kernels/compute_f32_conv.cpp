// CONV_2D / GROUPED_CONV_2D and TRANSPOSE_CONV_2D in float32 (DEPTHWISE_CONV_2D: compute_f32_depthwise_conv.cpp).
//
// CONV_2D is lowered to a matrix product per group: output rows [N·OH·OW, Cout/G] = patches [N·OH·OW, K] ×
// filterᵀ with K = KH·KW·Cin/G, because NNAPI's OHWI filter, read row by row, is exactly the [Cout, K] matrix
// whose columns line up with an NHWC patch. The output rows are cut into tiles so that each tile's patch
// matrix (im2col) is built just before its product, and tiles are spread over threadCount() threads with our
// own pool; the product inside a tile (gemmABtF32) is single-threaded, so the two never compete.
//
// TRANSPOSE_CONV_2D accumulates many small products into each output row and uses Eigen for them directly
// (kept single-threaded by EIGEN_DONT_PARALLELIZE).
#define EIGEN_DONT_PARALLELIZE
#include <Eigen/Core>

#include <algorithm>
#include <cstring>
#include <vector>

#include "kernels/bias_activation_f32.h"
#include "kernels/compute_f32.h"
#include "kernels/gemm_f32.h"
#include "kernels/parallel_for.h"

namespace nnapi_host::kernels {
namespace {

using RowMajorMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using StridedMap = Eigen::Map<RowMajorMatrix, Eigen::Unaligned, Eigen::OuterStride<>>;
using ConstStridedMap = Eigen::Map<const RowMajorMatrix, Eigen::Unaligned, Eigen::OuterStride<>>;

// Patch tiles are sized to about this many floats (2 MiB): each product re-packs the filter, so tiles should
// hold many rows; the product reads a tile in slices of 256 columns, so the whole tile need not fit in L2.
// (ResNet50 layers, one thread: 128 Ki floats 94 ms, 512 Ki 87 ms, 2 Mi 89 ms.)
constexpr std::size_t kPatchTileFloats = 512 * 1024;
// Fewer rows than this per product and the filter packing dominates; split output channels instead.
constexpr std::size_t kMinRowsPerTile = 64;
constexpr std::size_t kMaxRowsPerTile = 4096;
constexpr std::size_t kMinColsPerBlock = 16;

std::size_t ceilDiv(std::size_t a, std::size_t b) { return (a + b - 1) / b; }

// How one convolution's product is cut into independent tasks: tiles of output rows × groups × blocks of a
// group's output channels. Channel blocks only exist when there are too few row tiles to occupy every thread
// (the small 7×7 maps at the end of ResNet).
struct ConvTiling {
  std::size_t rowsPerTile, rowTiles, colsPerBlock, colBlocks;
};

ConvTiling planConvTiling(std::size_t rows, std::size_t depth, std::size_t groups, std::size_t colsPerGroup) {
  const std::size_t threads = static_cast<std::size_t>(threadCount());
  const std::size_t tileCap = std::clamp(kPatchTileFloats / std::max<std::size_t>(depth, 1), kMinRowsPerTile,
                                         kMaxRowsPerTile);
  std::size_t rowTiles = ceilDiv(rows, tileCap);
  if (groups == 1 && threads > 1) {
    // A multiple of the thread count, so no thread idles through the last round, if tiles stay big enough.
    const std::size_t balanced = ceilDiv(rowTiles, threads) * threads;
    if (rows / balanced >= kMinRowsPerTile) rowTiles = balanced;
  }
  const std::size_t rowsPerTile = ceilDiv(rows, rowTiles);
  rowTiles = ceilDiv(rows, rowsPerTile);
  std::size_t colBlocks = 1;
  if (rowTiles * groups < threads) {
    colBlocks = std::min(ceilDiv(threads, rowTiles * groups), std::max<std::size_t>(1, colsPerGroup / kMinColsPerBlock));
  }
  const std::size_t colsPerBlock = ceilDiv(colsPerGroup, colBlocks);
  colBlocks = ceilDiv(colsPerGroup, colsPerBlock);
  return {rowsPerTile, rowTiles, colsPerBlock, colBlocks};
}

// Writes the patch matrix for output rows [rowBegin, rowEnd) of one group: one row per output pixel, holding
// the group's input channels under each filter tap in (kh, kw, c) order; taps in the padding are zero.
void im2colRows(const float* input, Shape4 in, const Window& win, std::size_t outH, std::size_t outW,
                std::size_t channelOffset, std::size_t channels, std::size_t rowBegin, std::size_t rowEnd,
                float* patches) {
  const std::size_t rowSpan = std::size_t(win.filter_w) * channels;  // one kh's worth of a patch row
  // Without dilation and with all channels in one group, the taps of one kh are adjacent pixels of one input
  // row, so they are copied as a single span; this matters when Cin is small (3 in a network's first layer).
  const bool tapsAreContiguous = win.dilation_w == 1 && channels == in.c;
  for (std::size_t r = rowBegin; r < rowEnd; ++r) {
    const std::size_t n = r / (outH * outW);
    const std::size_t oh = (r / outW) % outH;
    const std::size_t ow = r % outW;
    float* dst = patches + (r - rowBegin) * rowSpan * win.filter_h;
    const long ihBase = long(oh * win.stride_h) - long(win.pad_top);
    const long iwBase = long(ow * win.stride_w) - long(win.pad_left);
    for (uint32_t kh = 0; kh < win.filter_h; ++kh, dst += rowSpan) {
      const long ih = ihBase + long(kh * win.dilation_h);
      if (ih < 0 || ih >= long(in.h)) {
        std::fill(dst, dst + rowSpan, 0.0f);
        continue;
      }
      const float* inputRow = input + ((n * in.h + std::size_t(ih)) * in.w) * in.c + channelOffset;
      if (tapsAreContiguous) {
        const long firstInside = std::clamp(-iwBase, 0L, long(win.filter_w));
        const long endInside = std::clamp(long(in.w) - iwBase, firstInside, long(win.filter_w));
        std::fill(dst, dst + firstInside * channels, 0.0f);
        if (endInside > firstInside) {
          std::memcpy(dst + firstInside * channels, inputRow + (iwBase + firstInside) * long(in.c),
                      sizeof(float) * (endInside - firstInside) * channels);
        }
        std::fill(dst + endInside * channels, dst + rowSpan, 0.0f);
        continue;
      }
      for (uint32_t kw = 0; kw < win.filter_w; ++kw) {
        float* tap = dst + kw * channels;
        const long iw = iwBase + long(kw * win.dilation_w);
        if (iw < 0 || iw >= long(in.w)) {
          std::fill(tap, tap + channels, 0.0f);
        } else {
          std::memcpy(tap, inputRow + std::size_t(iw) * in.c, sizeof(float) * channels);
        }
      }
    }
  }
}

// A 1×1, stride-1, unpadded convolution reads each input pixel exactly once, in output order: the NHWC input
// already is the patch matrix, so im2col is skipped.
bool inputIsPatchMatrix(const Window& win) {
  return win.filter_h == 1 && win.filter_w == 1 && win.stride_h == 1 && win.stride_w == 1 && win.pad_left == 0 &&
         win.pad_right == 0 && win.pad_top == 0 && win.pad_bottom == 0;
}

}  // namespace

void conv2dF32(const float* input, Shape4 in, const float* filter, const float* bias, uint32_t groups,
               const Window& win, FloatRange act, float* output, Shape4 out) {
  const std::size_t inChannels = in.c / groups;
  const std::size_t outChannels = out.c / groups;
  const std::size_t depth = std::size_t(win.filter_h) * win.filter_w * inChannels;
  const std::size_t rows = std::size_t(out.n) * out.h * out.w;
  if (rows == 0 || out.c == 0) return;
  const bool direct = inputIsPatchMatrix(win);
  const ConvTiling tiling = planConvTiling(rows, depth, groups, outChannels);

  parallelFor(tiling.rowTiles * groups * tiling.colBlocks, [&](std::size_t task) {
    const std::size_t colBlock = task % tiling.colBlocks;
    const std::size_t group = (task / tiling.colBlocks) % groups;
    const std::size_t rowTile = task / (tiling.colBlocks * groups);
    const std::size_t rowBegin = rowTile * tiling.rowsPerTile;
    const std::size_t tileRows = std::min(rows, rowBegin + tiling.rowsPerTile) - rowBegin;
    const std::size_t colBegin = colBlock * tiling.colsPerBlock;
    const std::size_t blockCols = std::min(outChannels, colBegin + tiling.colsPerBlock) - colBegin;
    const std::size_t firstOutChannel = group * outChannels + colBegin;

    // Reused across calls: a fresh allocation per tile would fault its pages in every time.
    thread_local std::vector<float> patchBuffer;
    const float* patches = input + rowBegin * in.c + group * inChannels;
    std::size_t patchStride = in.c;
    if (!direct) {
      if (patchBuffer.size() < tileRows * depth) patchBuffer.resize(tileRows * depth);
      im2colRows(input, in, win, out.h, out.w, group * inChannels, inChannels, rowBegin, rowBegin + tileRows,
                 patchBuffer.data());
      patches = patchBuffer.data();
      patchStride = depth;
    }

    float* outTile = output + rowBegin * out.c + firstOutChannel;
    gemmABtF32(patches, patchStride, filter + firstOutChannel * depth, depth, outTile, out.c, tileRows, blockCols,
               depth);
    addBiasAndClampF32(outTile, tileRows, blockCols, out.c, bias ? bias + firstOutChannel : nullptr, act);
  });
}

// Written as a gather (each output row sums the input rows that scatter onto it) rather than NNAPI's scatter,
// so that threads own disjoint output rows and need no synchronisation. For one output row, one filter tap
// (kh, kw) links every stride_w-th output pixel to consecutive input pixels of one input row, so each tap's
// contribution to the row is one small matrix product: [pixels, Cin] × [Cin, Cout].
void transposeConv2dF32(const float* input, Shape4 in, const float* filter, const float* bias, const Window& win,
                        FloatRange act, float* output, Shape4 out) {
  const long strideH = long(win.stride_h), strideW = long(win.stride_w);
  const std::size_t filterRowStride = std::size_t(win.filter_h) * win.filter_w * in.c;  // between output channels
  parallelForRanges(std::size_t(out.n) * out.h, 1, [&](std::size_t rowBegin, std::size_t rowEnd) {
    for (std::size_t row = rowBegin; row < rowEnd; ++row) {
      const std::size_t n = row / out.h;
      float* outRow = output + row * out.w * out.c;
      for (std::size_t ow = 0; ow < out.w; ++ow) {
        float* pixel = outRow + ow * out.c;
        if (bias != nullptr) {
          std::memcpy(pixel, bias, sizeof(float) * out.c);
        } else {
          std::fill(pixel, pixel + out.c, 0.0f);
        }
      }
      for (uint32_t kh = 0; kh < win.filter_h; ++kh) {
        // Input row ih reaches this output row through tap kh when ih·stride_h − pad_top + kh == oh.
        const long shiftedH = long(row % out.h) + long(win.pad_top) - long(kh);
        if (shiftedH < 0 || shiftedH % strideH != 0 || shiftedH / strideH >= long(in.h)) continue;
        const std::size_t ih = std::size_t(shiftedH / strideH);
        for (uint32_t kw = 0; kw < win.filter_w; ++kw) {
          // Output pixel ow takes input pixel iw = (ow + pad_left − kw) / stride_w when that divides exactly.
          const long shift = long(win.pad_left) - long(kw);
          long firstOw = std::max(0L, -shift);
          firstOw += (strideW - (firstOw + shift) % strideW) % strideW;
          const long firstIw = (firstOw + shift) / strideW;
          const long pixels =
              std::min((long(out.w) - firstOw + strideW - 1) / strideW, long(in.w) - firstIw);
          if (pixels <= 0) continue;
          const ConstStridedMap inputPixels(input + ((n * in.h + ih) * in.w + std::size_t(firstIw)) * in.c,
                                            pixels, in.c, Eigen::OuterStride<>(in.c));
          const ConstStridedMap tapFilter(filter + (std::size_t(kh) * win.filter_w + kw) * in.c, out.c, in.c,
                                          Eigen::OuterStride<>(filterRowStride));
          StridedMap outPixels(outRow + std::size_t(firstOw) * out.c, pixels, out.c,
                               Eigen::OuterStride<>(strideW * out.c));
          outPixels.noalias() += inputPixels * tapFilter.transpose();
        }
      }
      addBiasAndClampF32(outRow, 1, out.w * out.c, 0, nullptr, act);
    }
  });
}

}  // namespace nnapi_host::kernels
