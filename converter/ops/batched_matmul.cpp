// x [..., M, K] @ y [..., K, N] of two computed tensors with the same batch dimensions (rank 3 or 4).
//
// From feature level 6 (Android 13) it is one BATCH_MATMUL, which takes both sides as they are (NNAPI requires the
// same batch dimensions on both sides: it does not broadcast them, so neither does this lowering); a side that
// arrives transposed by a TRANSPOSE of its last two dimensions is read before it, with BATCH_MATMUL's adj flag set
// instead (passes/fold_matmul_transposes.h).
//
// Below, the exact lower-level form: FULLY_CONNECTED per batch item, whose weights [N, K] may be any operand. y's
// last two dimensions are swapped once (TRANSPOSE) and both sides flattened to matrices of rows ([B*M, K] and
// [B*N, K]); per batch item b, STRIDED_SLICE cuts rows b*M..(b+1)*M of x and b*N..(b+1)*N of y^T, FULLY_CONNECTED
// (zero bias) gives the [M, N] product, and CONCATENATION along the rows with a RESHAPE restores [..., M, N]. Each
// output element is the same sum of K products PyTorch computes.
#include "ops/batched_matmul.h"

#include <algorithm>

#include "nnapi/NeuralNetworks.h"
#include "ops/checks.h"
#include "ops/registry.h"

namespace nnc {
namespace {

struct BatchedProduct {
  size_t x = 0, y = 0;       // node inputs
  std::vector<int64_t> out;  // PyTorch's result shape [..., M, N]
  int64_t batch = 1, m = 0, k = 0, n = 0;
  bool batch_matmul = false;  // one BATCH_MATMUL rather than a FULLY_CONNECTED per batch item
};

BatchedProduct planBatchedProduct(const LoweringContext& ctx, size_t x, size_t y) {
  ctx.require(ctx.isTensor(x) && ctx.isTensor(y), "both sides must be tensors computed by the model");
  const ir::Operand& xt = ctx.tensor(x);
  requireFloat32(ctx, xt);  // the zero bias is float32
  requireFloat32(ctx, ctx.tensor(y));
  const std::vector<int64_t> xs = ctx.inputShape(x), ys = ctx.inputShape(y);
  const size_t rank = xs.size();
  ctx.require(rank >= 3 && rank <= 4 && ys.size() == rank,
              "a batched product needs two tensors of the same rank, 3 or 4, got " + std::to_string(rank) + " and " +
                  std::to_string(ys.size()));
  ctx.require(std::equal(xs.begin(), xs.end() - 2, ys.begin()),
              "the batch dimensions differ: broadcasting them is not supported");
  ctx.require(xs[rank - 1] == ys[rank - 2], "the inner dimensions of the product differ");
  const bool batch_matmul = ctx.hasOperation(ANEURALNETWORKS_BATCH_MATMUL, xt.type);
  // Unrolled, the batch items must be counted; BATCH_MATMUL would need both sides' run-time batch extents to be
  // the same one, which the shapes here cannot tell.
  ctx.require(runTimeExtentCount(xs) == 0 && runTimeExtentCount(ys) == 0,
              std::string("a batched product over an extent fixed only at run time (--input -1): ") +
                  (batch_matmul ? "BATCH_MATMUL needs both sides' batch dimensions known to be equal"
                                : "it is unrolled per batch item"));
  ctx.requireLayout(x, ir::Layout::Contiguous);
  ctx.requireLayout(y, ir::Layout::Contiguous);
  if (!batch_matmul) {
    for (int32_t op : {ANEURALNETWORKS_TRANSPOSE, ANEURALNETWORKS_RESHAPE, ANEURALNETWORKS_STRIDED_SLICE,
                       ANEURALNETWORKS_FULLY_CONNECTED, ANEURALNETWORKS_CONCATENATION}) {
      ctx.requireOperation(op, xt.type, "a batched product of two computed tensors");
    }
  }
  BatchedProduct plan{x, y, xs, product(xs, 0, rank - 2), xs[rank - 2], xs[rank - 1], ys[rank - 1], batch_matmul};
  plan.out.back() = plan.n;
  return plan;
}

// Rows [first, first + count) of the matrix `m` ([rows, cols]).
uint32_t rows(LoweringContext& ctx, uint32_t m, int64_t first, int64_t count, int64_t cols) {
  return ctx.emit(ANEURALNETWORKS_STRIDED_SLICE,
                  {m, ctx.i32Tensor({int32_t(first), 0}), ctx.i32Tensor({int32_t(first + count), int32_t(cols)}),
                   ctx.i32Tensor({1, 1}), ctx.i32(0), ctx.i32(0), ctx.i32(0)});
}

// Emits the product; returns its operand ([..., M, N], contiguous).
uint32_t emitBatchedProduct(LoweringContext& ctx, const BatchedProduct& p) {
  if (p.batch_matmul) {
    return ctx.emit(ANEURALNETWORKS_BATCH_MATMUL,
                    {ctx.operandInput(p.x, ir::Layout::Contiguous), ctx.operandInput(p.y, ir::Layout::Contiguous),
                     ctx.boolean(false), ctx.boolean(false)});
  }
  const size_t rank = p.out.size();
  const uint32_t x = ctx.emit(ANEURALNETWORKS_RESHAPE, {ctx.operandInput(p.x, ir::Layout::Contiguous),
                                                        ctx.i32Tensor({int32_t(p.batch * p.m), int32_t(p.k)})});
  std::vector<int32_t> swap_last(rank);
  for (size_t i = 0; i < rank; ++i) swap_last[i] = int32_t(i);
  std::swap(swap_last[rank - 1], swap_last[rank - 2]);
  const uint32_t yt = ctx.emit(ANEURALNETWORKS_TRANSPOSE,
                               {ctx.operandInput(p.y, ir::Layout::Contiguous), ctx.i32Tensor(swap_last)});
  const uint32_t weights = ctx.emit(ANEURALNETWORKS_RESHAPE,
                                    {yt, ctx.i32Tensor({int32_t(p.batch * p.n), int32_t(p.k)})});
  const uint32_t bias = ctx.f32Tensor({uint32_t(p.n)}, std::vector<float>(p.n, 0.0f));
  const uint32_t none = ctx.i32(ANEURALNETWORKS_FUSED_NONE);
  std::vector<uint32_t> pieces;
  for (int64_t b = 0; b < p.batch; ++b) {
    const uint32_t xb = p.batch == 1 ? x : rows(ctx, x, b * p.m, p.m, p.k);
    const uint32_t wb = p.batch == 1 ? weights : rows(ctx, weights, b * p.n, p.n, p.k);
    pieces.push_back(ctx.emit(ANEURALNETWORKS_FULLY_CONNECTED, {xb, wb, bias, none}));
  }
  uint32_t joined = pieces[0];
  if (pieces.size() > 1) {
    pieces.push_back(ctx.i32(0));
    joined = ctx.emit(ANEURALNETWORKS_CONCATENATION, pieces);
  }
  return ctx.emit(ANEURALNETWORKS_RESHAPE, {joined, ctx.i32Tensor(reshapeTarget(p.out))});
}

// aten::bmm(x [B,M,K], y [B,K,N])
Emitter lowerBmm(const LoweringContext& ctx) {
  const BatchedProduct plan = planBatchedProduct(ctx, 0, 1);
  ctx.require(plan.out.size() == 3, "bmm takes 3-D tensors");
  return [plan](LoweringContext& ctx) { ctx.setOutput(0, emitBatchedProduct(ctx, plan)); };
}

// aten::baddbmm(self, batch1, batch2, beta, alpha) = beta * self + alpha * (batch1 @ batch2); self broadcasts.
// alpha and beta other than 1 are a MUL each by a one-element constant.
Emitter lowerBaddbmm(const LoweringContext& ctx) {
  const BatchedProduct plan = planBatchedProduct(ctx, 1, 2);
  const double beta = ctx.doubleInput(3), alpha = ctx.doubleInput(4);
  ctx.require(ctx.isTensor(0) || ctx.isConstTensor(0), "baddbmm's self must be a tensor");
  const std::vector<int64_t> self_shape = ctx.isTensor(0) ? ctx.inputShape(0) : ctx.constTensorInput(0).shape;
  ctx.require(self_shape.size() <= 3, "baddbmm's self has more dimensions than the product");
  for (size_t i = 0; i < self_shape.size(); ++i) {
    const int64_t extent = plan.out[3 - self_shape.size() + i];
    ctx.require(self_shape[i] == 1 || self_shape[i] == extent, "baddbmm's self does not broadcast to the product");
  }
  if (ctx.isTensor(0)) {
    requireFloat32(ctx, ctx.tensor(0));
    ctx.requireLayout(0, ir::Layout::Contiguous);
  } else {
    ctx.require(ctx.constTensorInput(0).dtype == DType::Float32, "baddbmm's self must be float32");
  }
  ctx.requireOperation(ANEURALNETWORKS_ADD, ctx.tensor(1).type);
  ctx.requireOperation(ANEURALNETWORKS_MUL, ctx.tensor(1).type);
  return [plan, beta, alpha](LoweringContext& ctx) {
    const uint32_t none = ctx.i32(ANEURALNETWORKS_FUSED_NONE);
    auto scaled = [&](uint32_t operand, double factor) {
      if (factor == 1.0) return operand;
      return ctx.emit(ANEURALNETWORKS_MUL, {operand, ctx.f32Tensor({1}, {float(factor)}), none});
    };
    const uint32_t product = scaled(emitBatchedProduct(ctx, plan), alpha);
    const uint32_t self = scaled(ctx.operandInput(0, ir::Layout::Contiguous), beta);
    ctx.setOutput(0, ctx.emit(ANEURALNETWORKS_ADD, {self, product, none}));
  };
}

}  // namespace

Emitter lowerBatchedMatmulOfTensors(const LoweringContext& ctx) {
  const BatchedProduct plan = planBatchedProduct(ctx, 0, 1);
  return [plan](LoweringContext& ctx) { ctx.setOutput(0, emitBatchedProduct(ctx, plan)); };
}

void registerBatchedMatmul(Registry& registry) {
  registry.add({"aten::bmm"}, lowerBmm);
  registry.add({"aten::baddbmm"}, lowerBaddbmm);
}

}  // namespace nnc
