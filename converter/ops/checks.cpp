#include "ops/checks.h"

#include <string>

#include "nnapi/NeuralNetworks.h"

namespace nnc {

void requireFloat32(const LoweringContext& ctx, const ir::Operand& tensor) {
  ctx.require(tensor.type == ANEURALNETWORKS_TENSOR_FLOAT32, ctx.node().kind +
                                                                 " is only supported on float32 tensors so far, got " +
                                                                 ir::operandTypeName(tensor.type));
}

void requireRankAtMost4(const LoweringContext& ctx, size_t rank) {
  ctx.require(rank <= 4, ctx.node().kind + " on a tensor of rank " + std::to_string(rank) +
                             " is not supported: NNAPI takes rank 4 at most");
}

const ir::Operand& quint8Input(const LoweringContext& ctx, size_t i) {
  const ir::Operand& x = ctx.tensor(i);
  ctx.require(x.type == ANEURALNETWORKS_TENSOR_QUANT8_ASYMM, ctx.node().kind + " needs quint8 tensors "
                                                             "(TENSOR_QUANT8_ASYMM), got " +
                                                                 ir::operandTypeName(x.type));
  return x;
}

std::pair<float, int32_t> quint8OutputQuant(const LoweringContext& ctx, size_t scale_input, size_t zero_point_input) {
  const double scale = ctx.doubleInput(scale_input);
  const int64_t zero_point = ctx.intInput(zero_point_input);
  ctx.require(scale > 0.0 && zero_point >= 0 && zero_point <= 255,
              ctx.node().kind + " with output scale " + std::to_string(scale) + " and zero point " +
                  std::to_string(zero_point) + " is not a quint8 quantization");
  return {static_cast<float>(scale), static_cast<int32_t>(zero_point)};
}

}  // namespace nnc
