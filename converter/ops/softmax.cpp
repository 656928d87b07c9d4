// softmax / log_softmax along one dim -> NNAPI SOFTMAX / LOG_SOFTMAX with beta 1. SOFTMAX is in every NNAPI
// version for the last axis of a 2-D or 4-D tensor; other axes and ranks need feature level 3, as LOG_SOFTMAX does.
//
// Both work along one whole axis, so the output keeps the input's layout: on an NHWC map the dim is mapped to its
// physical axis; on a flattened map [N, H*W*C] the features are only permuted inside axis 1, which softmax along
// either axis does not notice.
// Float32 only for now: NNAPI's quantized SOFTMAX has a fixed output scale (1/256) and LOG_SOFTMAX is float only.
#include "nnapi/NeuralNetworks.h"
#include "ops/checks.h"
#include "ops/layout_axes.h"
#include "ops/registry.h"

namespace nnc {
namespace {

// softmax(self, int dim, ScalarType? dtype=None), log_softmax(self, int dim, ScalarType? dtype=None)
template <int32_t kOperation>
Emitter lowerSoftmax(const LoweringContext& ctx) {
  const ir::Operand& x = ctx.tensor(0);
  requireFloat32(ctx, x);
  ctx.require(ctx.isNone(2), ctx.node().kind + " with a dtype argument is not supported");
  const size_t rank = ctx.inputShape(0).size();
  ctx.require(rank >= 1 && rank <= 4, ctx.node().kind + " on a tensor of rank " + std::to_string(rank) +
                                          " is not supported: NNAPI takes rank 1 to 4");
  const int32_t axis = physicalAxis(x.layout, normalizeDim(ctx.intInput(1), rank));
  ctx.requireOperation(kOperation, x.type);
  // SOFTMAX's axis input is new in feature level 3; leaving it out means the last axis, which keeps the usual
  // [N, classes] softmax valid on older devices. LOG_SOFTMAX (feature level 3) always takes it.
  const bool needs_axis = kOperation == ANEURALNETWORKS_LOG_SOFTMAX || axis != static_cast<int32_t>(rank) - 1;
  if (kOperation == ANEURALNETWORKS_SOFTMAX) {
    if (needs_axis) ctx.requireFeature(nnapi_rules::Feature::SoftmaxAxis, kOperation);
    if (rank != 2 && rank != 4) ctx.requireFeature(nnapi_rules::Feature::SoftmaxAnyRank, kOperation);
  }
  return [needs_axis, axis](LoweringContext& ctx) {
    const uint32_t x = ctx.operandInput(0);
    std::vector<uint32_t> inputs = {x, ctx.f32(1.0f)};
    if (needs_axis) inputs.push_back(ctx.i32(axis));
    ctx.setOutput(0, emitKeepingLayout(ctx, kOperation, std::move(inputs), x));
  };
}

}  // namespace

void registerSoftmax(Registry& registry) {
  registry.add({"aten::softmax"}, lowerSoftmax<ANEURALNETWORKS_SOFTMAX>);
  registry.add({"aten::log_softmax"}, lowerSoftmax<ANEURALNETWORKS_LOG_SOFTMAX>);
}

}  // namespace nnc
