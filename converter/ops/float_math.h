// Element-wise float32 arithmetic for the lowerings that compose an activation or a math function from several
// NNAPI operations (silu, gelu, softplus, mish, elu, ...): the support question's common checks, and emission of
// one operation at a time whose output keeps the layout of the tensor it works on, so a channels-last map stays
// channels-last and no TRANSPOSE is ever needed.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>

#include "ir/model.h"
#include "ops/lowering.h"

namespace nnc {

// Tensor input i as an element-wise float32 function takes it: a computed float32 tensor of rank 4 at most (the
// limit of NNAPI's ADD, MUL and activations), with every NNAPI operation of `ops` at the target feature level
// (Unsupported otherwise, naming the operation the node would use).
const ir::Operand& floatMathInput(const LoweringContext& ctx, size_t i, std::initializer_list<int32_t> ops);

// op(x), laid out like x.
uint32_t emitUnaryOp(LoweringContext& ctx, int32_t op, uint32_t x);
// op(a, b[, fuse]) for ADD, SUB, MUL, DIV (which take a fused activation) and MAXIMUM, MINIMUM, PRELU, POW (which do
// not); the output is laid out like `like` (the tensor operand among a and b).
uint32_t emitBinaryOp(LoweringContext& ctx, int32_t op, uint32_t a, uint32_t b, uint32_t like,
                      int32_t fuse = 0 /* ANEURALNETWORKS_FUSED_NONE */);
// op(x, c) with the number c as a one-element constant, which broadcasts over x in any layout.
uint32_t emitWithNumber(LoweringContext& ctx, int32_t op, uint32_t x, float c,
                        int32_t fuse = 0 /* ANEURALNETWORKS_FUSED_NONE */);
// op(c, x): for the operations whose constant comes first (c / x).
uint32_t emitNumberWith(LoweringContext& ctx, int32_t op, float c, uint32_t x);

}  // namespace nnc
