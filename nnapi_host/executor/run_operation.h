// Runs one operation's executor. Kernels compute in float32; two kinds of operands go through float32 stand-ins:
//  - TENSOR_FLOAT16 operands: every F16 input is converted to float32, the float32 executor computes, the outputs
//    are converted back. (Their FLOAT16 scalars were already decoded to float by the rules.)
//  - in a relaxed model (ANeuralNetworksModel_relaxComputationFloat32toFloat16), TENSOR_FLOAT32 operands: NNAPI
//    lets such a model compute "with range and precision as low as that of the IEEE 754 16-bit floating-point
//    format", so every F32 input (activations and weights alike) is rounded to the nearest F16 value (overflow:
//    infinity) and so is every F32 result. The arithmetic in between (sums of products) stays float32, which is
//    allowed: it is at least F16's precision. What a relaxed model loses is therefore exactly F16 storage of each
//    operation's inputs and outputs, as on an accelerator that keeps tensors in F16.
#pragma once

#include "executor/op_context.h"

namespace nnapi_host {

bool runOperation(OpContext& ctx);

}  // namespace nnapi_host
