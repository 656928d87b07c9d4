// Runs one operation's executor. Operations with TENSOR_FLOAT16 operands run on the float32 executor: every F16
// input is converted to float32, the float32 executor computes, the outputs are converted back. (Their FLOAT16
// scalars were already decoded to float by the rules.)
#pragma once

#include "executor/op_context.h"

namespace nnapi_host {

bool runOperation(OpContext& ctx);

}  // namespace nnapi_host
