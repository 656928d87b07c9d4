// Where a PyTorch (logical) dimension lives in an operand's physical NNAPI dimensions, and emitting an operation
// whose output is laid out like its input. Shared by the lowerings that take axes (mean, softmax, cat) and by the
// element-wise ones that keep whatever layout they are given.
#pragma once

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "ir/model.h"
#include "ops/lowering.h"

namespace nnc {

// The physical axis holding logical dimension `dim` (already normalised to [0, rank)) of a tensor stored in
// `layout`. ChannelsLast stores PyTorch's [N,C,H,W] as [N,H,W,C]: logical 0,1,2,3 -> physical 0,3,1,2.
// ChannelsLast1d stores [N,C,L] as [N,L,C]: 0,1,2 -> 0,2,1. ChannelsLastFlattened keeps PyTorch's two axes; only the
// order of features inside axis 1 differs.
int32_t physicalAxis(ir::Layout layout, int64_t dim);

// An output stored in `layout`; type, shape and quantization come from NNAPI's output rules.
ir::OutputSpec outputIn(ir::Layout layout);

// Emits `op` with a single output laid out like operand `like` (including a flattened map's C,H,W), for operations
// that work element by element or along one whole axis and so do not care about the order of the elements.
// `quant`: the output's scale and zero point, for operations whose output quantization is free.
uint32_t emitKeepingLayout(LoweringContext& ctx, int32_t op, std::vector<uint32_t> inputs, uint32_t like,
                           std::optional<std::pair<float, int32_t>> quant = std::nullopt);

}  // namespace nnc
