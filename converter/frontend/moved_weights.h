// A weight a lowering reordered into NNAPI's layout (a convolution's OIHW filter stored OHWI) would be held twice
// while converting: by the frozen graph in PyTorch's order and by the partition in NNAPI's. The graph can read it
// as a view of the partition's bytes instead, and PyTorch's copy is freed as soon as its node is lowered, so the
// conversion's peak memory holds each weight once (ResNet50: about 90 MB less). The wrapper later finds these views
// by their storage (wrapper/shared_weights.h), with no comparison of values.
#pragma once

#include <optional>

#include <ATen/core/Tensor.h>

#include "ir/model.h"
#include "ops/lowering.h"

namespace nnc {

// PyTorch's tensor `original` as a view of the partition constant `move` names (ops/lowering.h WeightMove). Where
// no view has `original`'s shape (FULLY_CONNECTED weights whose columns were reordered for a flattened NHWC map:
// stored [units, H, W, C], PyTorch's [units, C*H*W] is that permuted to [units, C, H, W], flattened), the permuted
// constant itself, whose elements in row-major order are `original`'s: the graph reads it through a reshape.
// nullopt when the constant cannot stand for it (another dtype or size).
std::optional<at::Tensor> viewOfMovedWeight(const ir::Model& model, const WeightMove& move,
                                            const at::Tensor& original);

}  // namespace nnc
