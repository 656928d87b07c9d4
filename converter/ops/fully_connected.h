// What the float (ops/linear.cpp) and quantized (ops/quantized_linear.cpp) fully-connected layers share: the input
// side of FULLY_CONNECTED (rank 1..4, a flattened channels-last map read as it is with the weight columns reordered
// instead), and putting PyTorch's leading dimensions back on the output.
#pragma once

#include <cstdint>
#include <vector>

#include "ops/lowering.h"
#include "ops/weight_layout.h"

namespace nnc {

struct FullyConnectedInput {
  size_t input = 0;                     // the node input
  std::vector<int64_t> shape;           // its PyTorch shape
  std::vector<uint32_t> flattened_chw;  // its C,H,W when it is a flattened channels-last map
};

// The support question for node input `input` multiplied by weights with `weight_in` columns: a computed tensor of
// rank 1..4 whose last dimension is weight_in, readable contiguous (or kept flattened), FULLY_CONNECTED and (rank
// != 2) RESHAPE on its type at the target level.
FullyConnectedInput planFullyConnectedInput(const LoweringContext& ctx, size_t input, int64_t weight_in);

// Weights [units, in] with PyTorch's column order, reordered to the order of the input's features.
template <typename T>
std::vector<T> weightsForInput(const FullyConnectedInput& fc, std::vector<T> weights, int64_t units) {
  if (fc.flattened_chw.empty()) return weights;
  const auto& chw = fc.flattened_chw;
  return columnsCHW_to_HWC(weights, units, chw[0], chw[1], chw[2]);
}

// The input as an operand of at least rank 2 whose last dimension holds the features (rank 1 -> [1, in]).
uint32_t fullyConnectedInputOperand(LoweringContext& ctx, const FullyConnectedInput& fc);

// Makes `output` ([batch, units] or any shape holding batch x units) node output 0 with PyTorch's shape
// (the input's leading dims, then units): a RESHAPE unless it already is that.
void setFullyConnectedOutput(LoweringContext& ctx, const FullyConnectedInput& fc, uint32_t output, int64_t units);

}  // namespace nnc
