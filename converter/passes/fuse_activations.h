// Folds a RELU/RELU1/RELU6 into the fused-activation operand of the operation that produces its input
// (CONV_2D, DEPTHWISE_CONV_2D, GROUPED_CONV_2D, FULLY_CONNECTED, ADD, SUB, MUL, DIV), where that operation's
// output is used by nothing else and its fuse code is still NONE; also through a RESHAPE between the two (a 1-D
// convolution's), whose output then is the activation's.
#pragma once

#include "ir/model.h"

namespace nnc {

// Returns how many activations were fused.
int fuseActivations(ir::Model& model);

// Position of the fused-activation input of `operation` as the converter emits it (ADD, SUB, MUL, DIV,
// FULLY_CONNECTED, CONV_2D, DEPTHWISE_CONV_2D, GROUPED_CONV_2D; explicit and implicit padding forms), or -1.
int fuseInputIndex(const ir::Operation& operation);

}  // namespace nnc
