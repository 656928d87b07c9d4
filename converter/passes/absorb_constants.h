// Folds arithmetic with constants into the weights and biases of the operations around it, so that no operation
// is left that a constant could absorb (issue 11, item 4). Float32 only; repeated until nothing applies:
//   1. ADD or SUB of a constant right after CONV_2D, DEPTHWISE_CONV_2D, GROUPED_CONV_2D or FULLY_CONNECTED: the
//      bias takes it;
//   2. MUL or DIV by a constant right after one of them: its filter and bias take it;
//      (for 1 and 2 the constant has one element, or one per output channel along the last axis; the producer's
//      output is read by nothing else and its fused activation is NONE: it takes over the ADD/MUL's)
//   3. MUL by a one-element constant k whose result reaches, only through operations linear in it (MUL by another
//      tensor, AVERAGE_POOL_2D, MEAN, RESHAPE, TRANSPOSE, SQUEEZE), only the data input of such weighted
//      operations: their filters take k. E.g. hardsigmoid's / 6 in squeeze-excite, x * (relu6(s + 3) / 6) before
//      the block's projection convolution, and hardswish's below feature level 4.
// No operand that is a model output changes its value. New constants replace changed ones (a filter may be
// shared); a changed weight no longer matches the fallback's PyTorch constant, which then keeps its own copy.
#pragma once

#include "ir/model.h"

namespace nnc {

// Returns how many operations were removed.
int absorbConstants(ir::Model& model);

}  // namespace nnc
