// Products of two computed tensors with batch dimensions (attention's [B,H,T,d] @ [B,H,d,T]), for aten::matmul
// (ops/linear.cpp hands the batched case here), aten::bmm and aten::baddbmm.
#pragma once

#include "ops/lowering.h"

namespace nnc {

// aten::matmul(x, y) of two computed tensors of rank 3 or 4 with the same batch dimensions.
Emitter lowerBatchedMatmulOfTensors(const LoweringContext& ctx);

}  // namespace nnc
