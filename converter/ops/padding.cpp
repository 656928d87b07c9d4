// Padding: aten::constant_pad_nd, aten::pad (modes constant, reflect, replicate), aten::reflection_pad1d/2d and
// aten::replication_pad1d/2d.
//
// Argument order: PyTorch's `pad` lists (before, after) pairs starting from the LAST dimension
// ((left, right, top, bottom) for a map), covering only the trailing pad.size()/2 dimensions. NNAPI's PAD and
// PAD_V2 take a [rank, 2] paddings tensor with one (before, after) row per PHYSICAL axis, first axis first; so each
// pair is moved to the row of the physical axis that holds its logical dimension (for an NHWC map, W is axis 2 and
// H axis 1).
//
// constant: PAD (feature level 2) fills with 0, PAD_V2 (feature level 3) with any other value.
// reflect: from feature level 7 (Android 14) one MIRROR_PAD in REFLECT mode (PyTorch's reflection: the edge
// element is not repeated), its paddings as PAD's.
// reflect below that, and replicate (MIRROR_PAD's SYMMETRIC mode mirrors the edge element, replicate repeats it):
// each padded axis becomes ONE GATHER (feature level 3) along that physical axis with a constant index vector: for
// extent W and padding (p, q), reflect takes p..1, 0..W-1, W-2..W-1-q and replicate 0 (p times), 0..W-1, W-1
// (q times). The output keeps the input's layout, so a network that reflection-pads NHWC maps before every
// convolution needs no TRANSPOSE.
#include <string>
#include <vector>

#include "nnapi/NeuralNetworks.h"
#include "ops/axis_layout.h"
#include "ops/checks.h"
#include "ops/layout_axes.h"
#include "ops/registry.h"

namespace nnc {
namespace {

enum class PadMode { Constant, Reflect, Replicate };

// One padded logical dimension.
struct AxisPad {
  int64_t dim;
  int32_t before, after;
};

// Reads PyTorch's pad list (input 1) for a tensor of shape `shape`: the dimensions it pads, with (before, after).
std::vector<AxisPad> readPads(const LoweringContext& ctx, const std::vector<int64_t>& shape) {
  const std::vector<int64_t> pad = ctx.intListInput(1);
  ctx.require(pad.size() % 2 == 0, ctx.node().kind + " needs an even number of padding values, got " +
                                       std::to_string(pad.size()));
  ctx.require(pad.size() / 2 <= shape.size(), ctx.node().kind + " pads " + std::to_string(pad.size() / 2) +
                                                  " dimensions of a tensor of rank " + std::to_string(shape.size()));
  std::vector<AxisPad> pads;
  for (size_t k = 0; k < pad.size() / 2; ++k) {
    const int64_t before = pad[2 * k], after = pad[2 * k + 1];
    ctx.require(before >= 0 && after >= 0, ctx.node().kind + " with negative padding (" + std::to_string(before) +
                                               ", " + std::to_string(after) + ") crops; that is not supported");
    ctx.require(before <= INT32_MAX && after <= INT32_MAX, ctx.node().kind + " padding is beyond NNAPI's int32");
    if (before == 0 && after == 0) continue;
    pads.push_back({int64_t(shape.size()) - 1 - int64_t(k), int32_t(before), int32_t(after)});
  }
  return pads;
}

// The source index of every element of a padded axis of extent `extent` (see the file comment).
std::vector<int32_t> sourceIndices(PadMode mode, int32_t extent, const AxisPad& pad) {
  std::vector<int32_t> indices;
  for (int32_t j = -pad.before; j < extent + pad.after; ++j) {
    if (mode == PadMode::Reflect) {
      indices.push_back(j < 0 ? -j : j >= extent ? 2 * (extent - 1) - j : j);
    } else {
      indices.push_back(j < 0 ? 0 : j >= extent ? extent - 1 : j);
    }
  }
  return indices;
}

// NNAPI's [rank, 2] paddings: rows in physical axis order, 0 for the axes not padded.
std::vector<int32_t> physicalPaddings(ir::Layout layout, const std::vector<AxisPad>& pads, size_t rank) {
  std::vector<int32_t> paddings(rank * 2, 0);
  for (const AxisPad& p : pads) {
    const int32_t axis = physicalAxis(layout, p.dim);
    paddings[2 * axis] = p.before;
    paddings[2 * axis + 1] = p.after;
  }
  return paddings;
}

// `op` (PAD, PAD_V2, MIRROR_PAD) of input 0 in `layout` with `paddings` and the operation's further inputs.
uint32_t emitPad(LoweringContext& ctx, int32_t op, ir::Layout layout, const std::vector<int32_t>& paddings,
                 std::vector<uint32_t> parameters) {
  ir::Operand paddings_type;
  paddings_type.type = ANEURALNETWORKS_TENSOR_INT32;
  paddings_type.dims = {uint32_t(paddings.size() / 2), 2};
  paddings_type.name = ctx.outputName() + " paddings";
  std::vector<uint32_t> inputs = {
      ctx.operandInput(0, layout),
      ctx.model().addConstant(paddings_type, paddings.data(), paddings.size() * sizeof(int32_t))};
  inputs.insert(inputs.end(), parameters.begin(), parameters.end());
  return ctx.emit(op, inputs, outputIn(layout));
}

Emitter padEmitter(const LoweringContext& ctx, PadMode mode, double value) {
  const ir::Operand& x = ctx.tensor(0);
  requireFloat32(ctx, x);
  const std::vector<int64_t> shape = ctx.inputShape(0);
  requireRankAtMost4(ctx, shape.size());
  const std::vector<AxisPad> pads = readPads(ctx, shape);
  if (pads.empty()) return [](LoweringContext& ctx) { ctx.setOutputAlias(0, ctx.node().inputs[0]); };
  const ir::Layout layout = axisLayout(ctx, 0);
  ctx.requireLayout(0, layout);
  if (mode == PadMode::Constant) {
    const bool zero = value == 0.0;
    ctx.requireOperation(zero ? ANEURALNETWORKS_PAD : ANEURALNETWORKS_PAD_V2, x.type,
                         zero ? "zero padding" : "padding with a value other than 0");
    const std::vector<int32_t> paddings = physicalPaddings(layout, pads, shape.size());
    return [layout, paddings, zero, value](LoweringContext& ctx) {
      if (zero) {
        ctx.setOutput(0, emitPad(ctx, ANEURALNETWORKS_PAD, layout, paddings, {}));
      } else {
        ctx.setOutput(0, emitPad(ctx, ANEURALNETWORKS_PAD_V2, layout, paddings, {ctx.f32(float(value))}));
      }
    };
  }
  const char* name = mode == PadMode::Reflect ? "reflection padding" : "replication padding";
  const bool mirror_pad = mode == PadMode::Reflect && ctx.hasOperation(ANEURALNETWORKS_MIRROR_PAD, x.type);
  if (!mirror_pad) ctx.requireOperation(ANEURALNETWORKS_GATHER, x.type, name);
  std::vector<std::pair<int32_t, std::vector<int32_t>>> gathers;  // (physical axis, indices)
  for (const AxisPad& p : pads) {
    const int64_t extent = shape[p.dim];
    ctx.require(extent != 0, std::string(name) + " of dimension " + std::to_string(p.dim) +
                                 ", which is fixed only at run time (--input -1): its indices depend on the extent");
    if (mode == PadMode::Reflect) {
      ctx.require(p.before < extent && p.after < extent,
                  std::string(name) + " (" + std::to_string(p.before) + ", " + std::to_string(p.after) +
                      ") must be smaller than the padded dimension's extent " + std::to_string(extent) +
                      " (PyTorch's rule)");
    }
    gathers.emplace_back(physicalAxis(layout, p.dim), sourceIndices(mode, int32_t(extent), p));
  }
  if (mirror_pad) {
    const std::vector<int32_t> paddings = physicalPaddings(layout, pads, shape.size());
    return [layout, paddings](LoweringContext& ctx) {
      constexpr int32_t kReflect = 0;  // MIRROR_PAD's mode input: 0 REFLECT, 1 SYMMETRIC
      ctx.setOutput(0, emitPad(ctx, ANEURALNETWORKS_MIRROR_PAD, layout, paddings, {ctx.i32(kReflect)}));
    };
  }
  return [layout, gathers](LoweringContext& ctx) {
    uint32_t y = ctx.operandInput(0, layout);
    for (const auto& [axis, indices] : gathers) y = emitGatherAlong(ctx, y, axis, indices);
    ctx.setOutput(0, y);
  };
}

// aten::constant_pad_nd(self, pad, value=0)
Emitter lowerConstantPad(const LoweringContext& ctx) {
  return padEmitter(ctx, PadMode::Constant, ctx.inputCount() > 2 ? ctx.doubleInput(2) : 0.0);
}

// aten::pad(self, pad, mode="constant", value=None)
Emitter lowerPad(const LoweringContext& ctx) {
  const auto* mode = std::get_if<std::string>(&ctx.input(2).constant);
  ctx.require(mode != nullptr, "aten::pad needs its mode known at convert time");
  if (*mode == "reflect") return padEmitter(ctx, PadMode::Reflect, 0.0);
  if (*mode == "replicate") return padEmitter(ctx, PadMode::Replicate, 0.0);
  ctx.require(*mode == "constant", "aten::pad with mode '" + *mode + "' is not supported (constant, reflect and "
                                                                     "replicate are)");
  return padEmitter(ctx, PadMode::Constant, ctx.isNone(3) ? 0.0 : ctx.doubleInput(3));
}

// aten::reflection_pad{1,2}d / replication_pad{1,2}d(self, padding): the padding covers the last 1 or 2 dimensions.
template <PadMode kMode, size_t kDims>
Emitter lowerModePad(const LoweringContext& ctx) {
  const size_t count = ctx.intListInput(1).size();
  ctx.require(count == 2 * kDims, ctx.node().kind + " needs " + std::to_string(2 * kDims) + " padding values, got " +
                                      std::to_string(count));
  return padEmitter(ctx, kMode, 0.0);
}

}  // namespace

void registerPadding(Registry& registry) {
  registry.add({"aten::constant_pad_nd"}, lowerConstantPad);
  registry.add({"aten::pad"}, lowerPad);
  registry.add({"aten::reflection_pad1d"}, lowerModePad<PadMode::Reflect, 1>);
  registry.add({"aten::reflection_pad2d"}, lowerModePad<PadMode::Reflect, 2>);
  registry.add({"aten::replication_pad1d"}, lowerModePad<PadMode::Replicate, 1>);
  registry.add({"aten::replication_pad2d"}, lowerModePad<PadMode::Replicate, 2>);
}

}  // namespace nnc
