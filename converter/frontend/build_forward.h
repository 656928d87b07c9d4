// The converted forward: the prepared graph itself, with every NNAPI partition's nodes replaced by
//
//   if self.nnapi_partition_<k>.available():
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

#include <string>
#include <vector>

#include <torch/script.h>

#include "frontend/import_graph.h"

namespace nnc {

// Rewrites `graph` (the one `imported` was imported from). Returns the imported partitions that are called, in
// attribute order: attribute k holds partition returned[k]. `partition_class` is the runtime's TorchScript class.
// With imported.layers, forward returns (its result, a tuple of those layers' tensors as PyTorch holds them).
// Without `cpu_fallback`, forward keeps none of the partitions' original nodes.
std::vector<int> buildForward(torch::jit::Graph& graph, const ImportedGraph& imported,
                              const c10::ClassTypePtr& partition_class, bool cpu_fallback);

// The original graph (a copy of `graph` before buildForward) made to take forward's arguments without self and
// return PyTorch's values of imported.layers, in order.
std::shared_ptr<torch::jit::Graph> referenceLayersGraph(torch::jit::Graph& graph, const ImportedGraph& imported);

std::string partitionAttribute(size_t k);  // "nnapi_partition_<k>"

}  // namespace nnc
