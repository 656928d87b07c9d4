// Walks a prepared TorchScript graph node by node: convert-time values are evaluated to constants, every other
// node goes to its registered lowering. Unsupported nodes are collected (all of them), not thrown one by one.
#pragma once

#include <string>
#include <vector>

#include <torch/script.h>

#include "convert.h"
#include "ir/model.h"

namespace nnc {

struct ImportedGraph {
  std::vector<uint32_t> outputs;  // model output operands, in PyTorch's order, in PyTorch's layout
  bool returns_tuple = false;
  std::vector<UnsupportedOp> unsupported;
};

ImportedGraph importGraph(const torch::jit::Graph& graph, const ConvertOptions& options, ir::Model& model);

}  // namespace nnc
