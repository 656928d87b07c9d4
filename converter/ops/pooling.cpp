// 2-D pooling: max_pool2d, avg_pool2d, adaptive_avg_pool2d -> NNAPI MAX_POOL_2D / AVERAGE_POOL_2D (explicit
// padding form) on an NHWC map; max_pool1d, avg_pool1d and adaptive_avg_pool1d the same on a map of height 1
// (ops/sequence_map.h).
//
// Argument orders differ: PyTorch gives kernel/stride/padding as (H, W) pairs with one symmetric pad per axis;
// NNAPI wants pad_left, pad_right, pad_top, pad_bottom, then stride_w, stride_h, then filter_w, filter_h.
//
// Output sizes follow PyTorch exactly, ceil_mode included: NNAPI computes out = (in - k + s + head + tail) / s
// (floor), so the right/bottom pad ("tail") is made as large as PyTorch's ceil-mode output needs. Those extra taps
// lie past the input, and PyTorch never counts them either: max ignores them and avg_pool2d's divisor stops at
// input + padding, which is what NNAPI's "padding taps are excluded" gives for the ceil-mode part.
#include <algorithm>
#include <array>

#include "nnapi/NeuralNetworks.h"
#include "ops/layout_axes.h"
#include "ops/pooling.h"
#include "ops/registry.h"
#include "ops/sequence_map.h"

namespace nnc {
namespace {

// One spatial axis of a pooling window, in PyTorch's terms.
struct PoolAxis {
  int64_t input = 0;
  int64_t kernel = 0;
  int64_t stride = 0;
  int64_t padding = 0;  // PyTorch's symmetric padding
};

// Division rounding towards minus infinity, as PyTorch's div_rtn (the span below can be negative).
int64_t floorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// PyTorch's pooling_output_shape (ATen/native/Pool.h): with ceil_mode the last window must still start inside
// the input or the left padding.
int64_t torchOutputSize(const PoolAxis& a, bool ceil_mode) {
  const int64_t span = a.input + 2 * a.padding - a.kernel;
  int64_t out = floorDiv(ceil_mode ? span + a.stride - 1 : span, a.stride) + 1;
  if (ceil_mode && (out - 1) * a.stride >= a.input + a.padding) --out;
  return out;
}

// NNAPI's explicit pads for one axis: `head` as given, `tail` just large enough for NNAPI's floor formula to give
// `out` windows. tail >= head keeps symmetric padding where ceil_mode adds nothing.
struct AxisPads {
  int64_t head = 0;
  int64_t tail = 0;
};
AxisPads nnapiPads(int64_t input, int64_t kernel, int64_t stride, int64_t head, int64_t out) {
  const int64_t needed = (out - 1) * stride + kernel - input - head;
  return {head, std::max(head, needed)};
}

// PyTorch's int[2] arguments: one value means both axes. Returns (H, W).
std::array<int64_t, 2> hwPair(const LoweringContext& ctx, size_t input, const char* what) {
  const std::vector<int64_t> values = ctx.intListInput(input);
  ctx.require(values.size() == 1 || values.size() == 2,
              ctx.node().kind + ": " + what + " must have 1 or 2 values, got " + std::to_string(values.size()));
  return {values.front(), values.back()};
}

struct Pool2d {
  std::array<PoolAxis, 2> axes;  // H, W
  bool ceil_mode = false;
};

// Reads kernel, stride (empty = kernel) and padding from inputs 1-3 and checks what PyTorch itself checks, and that
// the input is a map NNAPI can pool (`op`) in channels-last layout: 4-D, or for a 1-D pool ([N,C,L] input, one value
// per argument) the map [N,C,1,L] of height 1 (ops/sequence_map.h).
Pool2d readPool2d(const LoweringContext& ctx, int32_t op, size_t ceil_mode_input) {
  const bool one_d = ctx.node().kind.size() > 2 && ctx.node().kind.substr(ctx.node().kind.size() - 2) == "1d";
  const std::vector<int64_t> shape = ctx.inputShape(0);
  ctx.require(shape.size() == (one_d ? 3u : 4u),
              ctx.node().kind + " is supported on " + (one_d ? "3-D [N,C,L]" : "4-D [N,C,H,W]") +
                  " input only, got rank " + std::to_string(shape.size()));
  ctx.requireOperation(op, ctx.tensor(0).type);
  requireMapInput(ctx);
  Pool2d pool;
  pool.ceil_mode = ctx.boolInput(ceil_mode_input);
  if (one_d) {
    // The height: one row, pooled by a 1x1 window.
    pool.axes[0] = {1, 1, 1, 0};
    const std::vector<int64_t> kernel = ctx.intListInput(1), stride = ctx.intListInput(2),
                               padding = ctx.intListInput(3);
    ctx.require(kernel.size() == 1 && stride.size() <= 1 && padding.size() == 1,
                ctx.node().kind + ": kernel_size, stride and padding must have 1 value each");
    pool.axes[1] = {shape[2], kernel[0], stride.empty() ? kernel[0] : stride[0], padding[0]};
  } else {
    const auto kernel = hwPair(ctx, 1, "kernel_size");
    const auto stride = ctx.intListInput(2).empty() ? kernel : hwPair(ctx, 2, "stride");
    const auto padding = hwPair(ctx, 3, "padding");
    for (int i = 0; i < 2; ++i) pool.axes[i] = {shape[2 + i], kernel[i], stride[i], padding[i]};
  }
  const char* axis_names[2] = {"height", "width"};
  for (int i = 0; i < 2; ++i) {
    const PoolAxis& a = pool.axes[i];
    const std::string axis = std::string(" along the ") + (one_d ? "length" : axis_names[i]);
    ctx.require(a.input != 0, ctx.node().kind + " over an extent fixed only at run time (--input -1)" + axis +
                                  ": NNAPI computes the output extent from pads that depend on it");
    ctx.require(a.kernel > 0 && a.stride > 0 && a.padding >= 0,
                ctx.node().kind + ": kernel and stride must be positive and padding non-negative" + axis);
    // PyTorch rejects larger padding; it also keeps NNAPI's rule "padding < filter size".
    ctx.require(2 * a.padding <= a.kernel, ctx.node().kind + ": padding " + std::to_string(a.padding) +
                                               " is more than half the kernel " + std::to_string(a.kernel) + axis);
    ctx.require(torchOutputSize(a, pool.ceil_mode) >= 1,
                ctx.node().kind + ": the output would be empty" + axis);
  }
  return pool;
}

// Emits the pool on the NHWC map `x` (spatial extents `input`, as (H, W)) with NNAPI head pads `head` (H, W) and
// PyTorch's output size for `pool`. The tail stays below the kernel, as NNAPI requires: PyTorch's last window
// starts before input + padding.
uint32_t emitPool(LoweringContext& ctx, int32_t op, uint32_t x, const Pool2d& pool, std::array<int64_t, 2> input,
                  std::array<int64_t, 2> head) {
  std::array<AxisPads, 2> pads;
  for (int i = 0; i < 2; ++i) {
    const PoolAxis& a = pool.axes[i];
    pads[i] = nnapiPads(input[i], a.kernel, a.stride, head[i], torchOutputSize(a, pool.ceil_mode));
  }
  const PoolAxis& h = pool.axes[0];
  const PoolAxis& w = pool.axes[1];
  auto i32 = [&](int64_t v) { return ctx.i32(static_cast<int32_t>(v)); };
  return ctx.emit(op,
                  {x, i32(pads[1].head), i32(pads[1].tail), i32(pads[0].head), i32(pads[0].tail),  // l, r, t, b
                   i32(w.stride), i32(h.stride), i32(w.kernel), i32(h.kernel), i32(ANEURALNETWORKS_FUSED_NONE)},
                  outputIn(ir::Layout::ChannelsLast));
}

// Pools input 0 with NNAPI's own padding, which it excludes from averages.
Emitter poolEmitter(int32_t op, const Pool2d& pool) {
  return [op, pool](LoweringContext& ctx) {
    const uint32_t x = mapInput(ctx);
    const PoolAxis& h = pool.axes[0];
    const PoolAxis& w = pool.axes[1];
    setMapOutput(ctx, emitPool(ctx, op, x, pool, {h.input, w.input}, {h.padding, w.padding}));
  };
}

// max_pool2d / max_pool1d(self, kernel_size, stride, padding, dilation, ceil_mode)
Emitter lowerMaxPool(const LoweringContext& ctx) {
  const Pool2d pool = readPool2d(ctx, ANEURALNETWORKS_MAX_POOL_2D, 5);
  const auto dilation = hwPair(ctx, 4, "dilation");
  ctx.require(dilation[0] == 1 && dilation[1] == 1,
              ctx.node().kind + " with dilation (" + std::to_string(dilation[0]) + ", " +
                  std::to_string(dilation[1]) + ") is not supported: NNAPI's MAX_POOL_2D has no dilation");
  return poolEmitter(ANEURALNETWORKS_MAX_POOL_2D, pool);
}

// count_include_pad=True: the padding counts in the divisor. Padding the map with real zeros first (PAD) and pooling
// without head padding is exact: every window PyTorch averages over (input + padding) now lies inside the padded
// map. Paddings are [before, after] per NHWC dimension.
void emitZeroPaddedAvgPool(LoweringContext& ctx, const Pool2d& pool) {
  const PoolAxis& h = pool.axes[0];
  const PoolAxis& w = pool.axes[1];
  const uint32_t x = mapInput(ctx);
  const std::vector<int32_t> paddings = {0, 0, int32_t(h.padding), int32_t(h.padding),
                                         int32_t(w.padding), int32_t(w.padding), 0, 0};
  ir::Operand paddings_type;
  paddings_type.type = ANEURALNETWORKS_TENSOR_INT32;
  paddings_type.dims = {4, 2};
  paddings_type.name = ctx.outputName() + " paddings";
  const uint32_t padding_operand =
      ctx.model().addConstant(paddings_type, paddings.data(), paddings.size() * sizeof(int32_t));
  const uint32_t padded = ctx.emit(ANEURALNETWORKS_PAD, {x, padding_operand}, outputIn(ir::Layout::ChannelsLast));
  setMapOutput(ctx, emitPool(ctx, ANEURALNETWORKS_AVERAGE_POOL_2D, padded, pool,
                              {h.input + 2 * h.padding, w.input + 2 * w.padding}, {0, 0}));
}

// avg_pool2d(self, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override);
// avg_pool1d(self, kernel_size, stride, padding, ceil_mode, count_include_pad)
Emitter lowerAvgPool(const LoweringContext& ctx) {
  const Pool2d pool = readPool2d(ctx, ANEURALNETWORKS_AVERAGE_POOL_2D, 4);
  const bool count_include_pad = ctx.boolInput(5);
  ctx.require(ctx.inputCount() < 7 || ctx.isNone(6), "avg_pool2d with divisor_override is not supported: NNAPI's "
                                                     "AVERAGE_POOL_2D always divides by the number of taps inside "
                                                     "the input");
  const bool pad_with_zeros = count_include_pad && (pool.axes[0].padding > 0 || pool.axes[1].padding > 0);
  // NNAPI excludes padding taps from the average, as PyTorch does with count_include_pad=False (or no padding).
  if (!pad_with_zeros) return poolEmitter(ANEURALNETWORKS_AVERAGE_POOL_2D, pool);
  const ir::Operand& input = ctx.tensor(0);
  ctx.requireOperation(ANEURALNETWORKS_PAD, input.type,
                       ctx.node().kind + " counting its padding (count_include_pad=True)");
  // PAD fills a quantized map with its zero point, the real 0.
  if (input.type == ANEURALNETWORKS_TENSOR_QUANT8_ASYMM && input.zero_point != 0) {
    ctx.requireFeature(nnapi_rules::Feature::PadQuantNonZeroZeroPoint, ANEURALNETWORKS_PAD);
  }
  return [pool](LoweringContext& ctx) { emitZeroPaddedAvgPool(ctx, pool); };
}

// adaptive_avg_pool2d / adaptive_avg_pool1d(self, output_size). PyTorch's window i spans
// [floor(i*in/out), ceil((i+1)*in/out)); when `out` divides `in` that is a plain average pool with kernel = stride =
// in/out (global pooling for 1x1). A 1-D pool is the 2-D one over the width of a map of height 1.
Emitter lowerAdaptiveAvgPool(const LoweringContext& ctx) {
  const bool one_d = ctx.node().kind == "aten::adaptive_avg_pool1d";
  const std::vector<int64_t> shape = ctx.inputShape(0);
  ctx.require(shape.size() == (one_d ? 3u : 4u),
              ctx.node().kind + " is supported on " + (one_d ? "3-D [N,C,L]" : "4-D [N,C,H,W]") +
                  " input only, got rank " + std::to_string(shape.size()));
  ctx.requireOperation(ANEURALNETWORKS_AVERAGE_POOL_2D, ctx.tensor(0).type);
  requireMapInput(ctx);
  const std::vector<int64_t> sizes = ctx.intListInput(1);
  ctx.require(!one_d || sizes.size() == 1, "adaptive_avg_pool1d's output_size must have 1 value");
  const std::array<int64_t, 2> out = one_d ? std::array<int64_t, 2>{1, sizes[0]} : hwPair(ctx, 1, "output_size");
  const std::array<int64_t, 2> in = one_d ? std::array<int64_t, 2>{1, shape[2]}
                                          : std::array<int64_t, 2>{shape[2], shape[3]};
  Pool2d pool;
  for (int i = 0; i < 2; ++i) {
    ctx.require(in[i] != 0, ctx.node().kind + " over an extent fixed only at run time (--input -1): "
                                              "AVERAGE_POOL_2D's window is fixed in the model");
    ctx.require(out[i] > 0 && in[i] % out[i] == 0,
                ctx.node().kind + " from " + std::to_string(in[0]) + "x" + std::to_string(in[1]) + " to " +
                    std::to_string(out[0]) + "x" + std::to_string(out[1]) +
                    " is not supported: NNAPI can only pool when the output size divides the input size");
    pool.axes[i] = {in[i], in[i] / out[i], in[i] / out[i], 0};
  }
  return poolEmitter(ANEURALNETWORKS_AVERAGE_POOL_2D, pool);
}

}  // namespace

uint32_t emitGlobalAveragePool(LoweringContext& ctx, uint32_t x) {
  const std::vector<int64_t> shape = ctx.shapeOf(x);
  Pool2d pool;
  for (int i = 0; i < 2; ++i) pool.axes[i] = {shape[2 + i], shape[2 + i], shape[2 + i], 0};
  return emitPool(ctx, ANEURALNETWORKS_AVERAGE_POOL_2D, x, pool, {shape[2], shape[3]}, {0, 0});
}

void registerPooling(Registry& registry) {
  registry.add({"aten::max_pool1d", "aten::max_pool2d"}, lowerMaxPool);
  registry.add({"aten::avg_pool1d", "aten::avg_pool2d"}, lowerAvgPool);
  registry.add({"aten::adaptive_avg_pool1d", "aten::adaptive_avg_pool2d"}, lowerAdaptiveAvgPool);
}

}  // namespace nnc
