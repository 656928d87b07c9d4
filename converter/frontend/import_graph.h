// Walks a prepared TorchScript graph (blocks of prim::If and prim::Loop included) and decides, node by node,
// where it runs:
//   - values known at convert time (constants, sizes, int arithmetic, lists of ints) are evaluated;
//   - a node whose lowering says it can run on NNAPI at the target feature level is emitted into the open NNAPI
//     partition (every maximal run of such nodes in a block is one partition);
//   - any other node stays in TorchScript on the CPU: the open partition ends there, and the node's output
//     shapes come from running it once on placeholder inputs of the right shapes, so lowering goes on after it.
// Control flow stays in TorchScript; its blocks are partitioned like any straight-line code. An `if` whose
// condition is known at convert time is replaced by the branch it takes.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <torch/script.h>

#include "convert.h"
#include "ops/lowering.h"

namespace nnc {

// A partition output: value `value`, the operand holding it, stored in `layout` (Contiguous = as PyTorch has it).
struct BoundaryOutput {
  ValueId value = 0;
  uint32_t operand = 0;
  ir::Layout layout = ir::Layout::Contiguous;
};

struct ImportedPartition {
  std::vector<torch::jit::Node*> nodes;  // the lowered TorchScript nodes, in graph order (its CPU fallback)
  std::vector<BoundaryOutput> outputs;
};

struct ImportedGraph {
  explicit ImportedGraph(int feature_level) : state(feature_level) {}
  LoweringState state;  // every value; state.partitions[k] is partition k's model and inputs
  std::vector<ImportedPartition> partitions;
  std::unordered_map<const torch::jit::Value*, ValueId> ids;
  std::vector<const torch::jit::Value*> torch_values;  // by ValueId
  // Nodes whose work is done elsewhere (on NNAPI, at convert time, or by bookkeeping): the wrapper drops them.
  std::unordered_set<const torch::jit::Node*> absorbed;
  ConversionSummary summary;
  // An op left on the CPU failed when run on placeholders of the given input shapes (or the top level raises an
  // exception): the model may reject those shapes, which only running it can tell.
  bool may_reject_shapes = false;
  // ConvertOptions::expose_layers: the tensors partitions compute at the top level, each handed to TorchScript.
  std::vector<std::pair<ValueId, Layer>> layers;
};

// Imports `graph` (which it may change: an `if` with a known condition is inlined). Never throws for ops it cannot
// lower: those are listed in summary.cpu_ops.
std::unique_ptr<ImportedGraph> importGraph(torch::jit::Graph& graph, const ConvertOptions& options);

}  // namespace nnc
