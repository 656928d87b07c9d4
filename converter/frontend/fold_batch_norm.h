// Folds each batch norm of a frozen graph into the convolution before it, as libtorch's FoldFrozenConvBatchnorm does
// (the same pairs, the same arithmetic: computeUpdatedConvWeightAndBias), but one pair at a time, dropping each
// unfolded weight as soon as the folded one replaces it. libtorch's pass keeps every unfolded weight until its final
// dead-code pass, so a conversion peaked at two copies of the convolution weights (ResNet50: about 100 MB more).
#pragma once

#include <torch/csrc/jit/ir/ir.h>

namespace nnc {

void foldConvBatchNorm(torch::jit::Graph& graph);

}  // namespace nnc
