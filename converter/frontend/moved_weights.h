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

// PyTorch's tensor `original` as a view of the partition constant `move` names (ops/lowering.h WeightMove), or
// nullopt when that constant cannot stand for it (another dtype or size, a shape no view gives).
std::optional<at::Tensor> viewOfMovedWeight(const ir::Model& model, const WeightMove& move,
                                            const at::Tensor& original);

}  // namespace nnc
