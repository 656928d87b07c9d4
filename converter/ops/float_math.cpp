#include "ops/float_math.h"

#include <stdexcept>

#include "nnapi/NeuralNetworks.h"
#include "ops/checks.h"
#include "ops/layout_axes.h"
#include "validation/operation_rules.h"

namespace nnc {
namespace {

bool takesFusedActivation(int32_t op) {
  return op == ANEURALNETWORKS_ADD || op == ANEURALNETWORKS_SUB || op == ANEURALNETWORKS_MUL ||
         op == ANEURALNETWORKS_DIV;
}

}  // namespace

const ir::Operand& floatMathInput(const LoweringContext& ctx, size_t i, std::initializer_list<int32_t> ops) {
  const ir::Operand& x = ctx.tensor(i);
  requireFloat32(ctx, x);
  requireRankAtMost4(ctx, x.dims.size());
  for (int32_t op : ops) ctx.requireOperation(op, x.type, ctx.node().kind);
  return x;
}

uint32_t emitUnaryOp(LoweringContext& ctx, int32_t op, uint32_t x) { return emitKeepingLayout(ctx, op, {x}, x); }

uint32_t emitBinaryOp(LoweringContext& ctx, int32_t op, uint32_t a, uint32_t b, uint32_t like, int32_t fuse) {
  if (takesFusedActivation(op)) return emitKeepingLayout(ctx, op, {a, b, ctx.i32(fuse)}, like);
  if (fuse != ANEURALNETWORKS_FUSED_NONE)
    throw std::logic_error(nnapi_rules::operationName(op) + " takes no fused activation");
  return emitKeepingLayout(ctx, op, {a, b}, like);
}

uint32_t emitWithNumber(LoweringContext& ctx, int32_t op, uint32_t x, float c, int32_t fuse) {
  return emitBinaryOp(ctx, op, x, ctx.f32Tensor({1}, {c}), x, fuse);
}

uint32_t emitNumberWith(LoweringContext& ctx, int32_t op, float c, uint32_t x) {
  return emitBinaryOp(ctx, op, ctx.f32Tensor({1}, {c}), x, x);
}

}  // namespace nnc
