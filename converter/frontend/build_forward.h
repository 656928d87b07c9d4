// The converted forward: the prepared graph itself, with every NNAPI partition's nodes replaced by
//
//   if self.nnapi_partition_<k>.available():                     # (the format's PartitionCalls)
//       outputs = self.nnapi_partition_<k>.run([inputs...])     # NNAPI
//   else:
//       outputs = <the partition's original TorchScript nodes>   # CPU fallback (old device, no NNAPI, ...)
//
// or, without the CPU fallback (convert --no-cpu-fallback), only the call of run, which raises why NNAPI cannot run
// the partition here.
//
// Everything else (ops left to the CPU, control flow, the return structure) is the original graph, reading NNAPI
// results where it read the replaced nodes' values; layouts are converted (permutes) only where a partition hands
// over a tensor in a layout other than the one its reader needs.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <torch/script.h>

#include "frontend/import_graph.h"

namespace nnc {

// How the converted forward reaches partition k: each output format calls NNAPI through its own TorchScript class.
class PartitionCalls {
 public:
  virtual ~PartitionCalls() = default;
  // Inserts, at the graph's insertion point, a bool: whether NNAPI runs partition k here (else its CPU fallback).
  virtual torch::jit::Value* useNnapi(torch::jit::Graph& graph, torch::jit::Value* self, size_t k) const = 0;
  // Inserts the call of partition k on `inputs` (a list of tensors, each in the layout the partition takes it);
  // returns the list of its outputs, in the layouts the partition gives them.
  virtual torch::jit::Value* run(torch::jit::Graph& graph, torch::jit::Value* self, size_t k,
                                 torch::jit::Value* inputs) const = 0;
};

// The flatbuffer format's calls: `self.nnapi_partition_<k>.available()` and `.run(inputs)` on the runtime's
// class `partition_class` (torch.classes.nnapi_convert.Model).
std::unique_ptr<PartitionCalls> runtimePartitionCalls(c10::ClassTypePtr partition_class);

// Inserts `object.method(args...)` returning `returns`.
torch::jit::Value* insertCallMethod(torch::jit::Graph& graph, torch::jit::Value* object, const std::string& method,
                                    std::vector<torch::jit::Value*> args, const c10::TypePtr& returns);

// Rewrites `graph` (the one `imported` was imported from). Returns the imported partitions that are called, in
// call order: call k (see PartitionCalls) runs partition returned[k].
// With imported.layers, forward returns (its result, a tuple of those layers' tensors as PyTorch holds them).
// Without `cpu_fallback`, forward keeps none of the partitions' original nodes.
std::vector<int> buildForward(torch::jit::Graph& graph, const ImportedGraph& imported, const PartitionCalls& calls,
                              bool cpu_fallback);

// The original graph (a copy of `graph` before buildForward) made to take forward's arguments without self and
// return PyTorch's values of imported.layers, in order.
std::shared_ptr<torch::jit::Graph> referenceLayersGraph(torch::jit::Graph& graph, const ImportedGraph& imported);

std::string partitionAttribute(size_t k);  // "nnapi_partition_<k>"

}  // namespace nnc
