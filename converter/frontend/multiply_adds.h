// How many multiply-adds a node costs, for the share of the model that runs on NNAPI. Only the ops that dominate a
// network's arithmetic are counted (convolutions, linear layers, matrix products, the fused transformer encoder
// layer and multi-head attention); everything else is 0.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace nnc {

// `inputs` are the PyTorch shapes of the node's inputs ({} where an input is not a tensor; a quantized op's packed
// weights count as its weight tensor), `output` its first
// output's shape; `transposed_conv` when a convolution node is a transposed one.
int64_t multiplyAdds(const std::string& kind, const std::vector<std::vector<int64_t>>& inputs,
                     const std::vector<int64_t>& output, bool transposed_conv);

}  // namespace nnc
