// stack(tensors, dim): tensors of one shape S joined along a new dimension `dim`.
//
// Before the last position (dim < rank of S) stack's element order is that of concatenating along dim (for every
// index before dim, each tensor's block in turn), so it is one CONCATENATION along dim and one RESHAPE to the
// stacked shape. At the end (dim == rank) each tensor is first given a trailing dimension of 1 (RESHAPE), then they
// are concatenated along it. Both in PyTorch's order: a stacked map would have 5 dimensions, more than NNAPI takes.
#include "nnapi/NeuralNetworks.h"
#include "ops/checks.h"
#include "ops/registry.h"

namespace nnc {
namespace {

Emitter lowerStack(const LoweringContext& ctx) {
  const std::vector<ValueId> tensors = ctx.tensorListInput(0);
  ctx.require(!tensors.empty(), "stack of an empty list is not supported");
  const ir::Operand& first = ctx.tensorOf(tensors[0]);
  const std::vector<int64_t> shape = LoweringContext::logicalShape(first);
  requireRankAtMost4(ctx, shape.size() + 1);
  const size_t dim = normalizeDim(ctx.intInput(1), shape.size() + 1);
  for (ValueId t : tensors) {
    const ir::Operand& tensor = ctx.tensorOf(t);
    ctx.require(LoweringContext::logicalShape(tensor) == shape, "stack of tensors of different shapes");
    ctx.require(tensor.type == first.type && tensor.scale == first.scale && tensor.zero_point == first.zero_point,
                "stack of tensors of different types or quantization is not supported");
    ctx.requireLayoutOf(t, ir::Layout::Contiguous);
  }
  std::vector<int64_t> stacked = shape;
  stacked.insert(stacked.begin() + dim, static_cast<int64_t>(tensors.size()));
  std::vector<int64_t> each = shape;
  each.push_back(1);
  ctx.require(runTimeExtentCount(stacked) <= 1, "the tensors have more than one dimension fixed only at run time "
                                                "(--input -1); NNAPI's RESHAPE can infer only one");
  ctx.requireOperation(ANEURALNETWORKS_CONCATENATION, first.type);
  ctx.requireOperation(ANEURALNETWORKS_RESHAPE, first.type);
  const bool at_end = dim == shape.size();
  return [tensors, dim, at_end, stacked, each](LoweringContext& ctx) {
    std::vector<uint32_t> inputs;
    for (ValueId t : tensors) {
      const uint32_t tensor = ctx.operandOf(t, ir::Layout::Contiguous);
      inputs.push_back(at_end ? ctx.emit(ANEURALNETWORKS_RESHAPE, {tensor, ctx.i32Tensor(reshapeTarget(each))})
                              : tensor);
    }
    inputs.push_back(ctx.i32(static_cast<int32_t>(dim)));
    const uint32_t joined = ctx.emit(ANEURALNETWORKS_CONCATENATION, inputs);
    ctx.setOutput(0, at_end ? joined
                            : ctx.emit(ANEURALNETWORKS_RESHAPE, {joined, ctx.i32Tensor(reshapeTarget(stacked))}));
  };
}

}  // namespace

void registerStack(Registry& registry) { registry.add({"aten::stack"}, lowerStack); }

}  // namespace nnc
