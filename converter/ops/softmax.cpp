// softmax / log_softmax along one dim -> NNAPI SOFTMAX / LOG_SOFTMAX with beta 1.
//
// Both work along one whole axis, so the output keeps the input's layout: on an NHWC map the dim is mapped to its
// physical axis; on a flattened map [N, H*W*C] the features are only permuted inside axis 1, which softmax along
// either axis does not notice.
// Float32 only for now: NNAPI's quantized SOFTMAX has a fixed output scale (1/256) and LOG_SOFTMAX is float only.
#include "nnapi/NeuralNetworks.h"
#include "ops/layout_axes.h"
#include "ops/registry.h"

namespace nnc {
namespace {

constexpr int kFeatureLevel3 = 29;  // Android 10: SOFTMAX axis input, any rank; LOG_SOFTMAX

// softmax(self, int dim, ScalarType? dtype=None), log_softmax(self, int dim, ScalarType? dtype=None)
template <int32_t kOperation>
void lowerSoftmax(LoweringContext& ctx) {
  const uint32_t x = ctx.operandInput(0);
  const int32_t type = ctx.operand(x).type;
  ctx.require(type == ANEURALNETWORKS_TENSOR_FLOAT32,
              ctx.node().kind + " is only supported on float32 tensors so far, got " + ir::operandTypeName(type));
  ctx.require(ctx.isNone(2), ctx.node().kind + " with a dtype argument is not supported");
  const size_t rank = ctx.torchShape(x).size();
  ctx.require(rank >= 1 && rank <= 4, ctx.node().kind + " on a tensor of rank " + std::to_string(rank) +
                                          " is not supported: NNAPI takes rank 1 to 4");
  const int32_t axis = physicalAxis(ctx.operand(x).layout, normalizeDim(ctx.intInput(1), rank));

  // SOFTMAX's axis input is new in feature level 3; leaving it out means the last axis, which keeps the usual
  // [N, classes] softmax valid on older devices. LOG_SOFTMAX always takes it.
  const bool needs_axis = kOperation == ANEURALNETWORKS_LOG_SOFTMAX || axis != static_cast<int32_t>(rank) - 1;
  ctx.require(!needs_axis || ctx.model().featureLevel() >= kFeatureLevel3,
              ctx.node().kind + " along a dimension other than the last needs NNAPI feature level 3 (Android 10)");
  std::vector<uint32_t> inputs = {x, ctx.f32(1.0f)};
  if (needs_axis) inputs.push_back(ctx.i32(axis));
  ctx.setOutput(0, emitKeepingLayout(ctx, kOperation, std::move(inputs), x));
}

}  // namespace

void registerSoftmax(Registry& registry) {
  registry.add({"aten::softmax"}, lowerSoftmax<ANEURALNETWORKS_SOFTMAX>);
  registry.add({"aten::log_softmax"}, lowerSoftmax<ANEURALNETWORKS_LOG_SOFTMAX>);
}

}  // namespace nnc
