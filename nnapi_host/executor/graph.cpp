#include "executor/graph.h"

#include <deque>

namespace nnapi_host {

using nnapi_rules::Lifetime;

std::string sortOperations(Graph& graph) {
  const size_t n = graph.operands.size();
  if (graph.operations.empty()) return "the model has no operations";
  if (graph.outputs.empty()) return "the model has no outputs (identifyInputsAndOutputs)";
  constexpr uint32_t kNoWriter = UINT32_MAX;
  std::vector<uint32_t> writer(n, kNoWriter);
  for (uint32_t op = 0; op < graph.operations.size(); ++op) {
    for (uint32_t out : graph.operations[op].outputs) {
      const auto& desc = graph.operands[out];
      const std::string name = nnapi_rules::operationName(graph.operations[op].type);
      if (desc.lifetime != Lifetime::Temporary)
        return "operation " + std::to_string(op) + " (" + name + ") writes operand " + std::to_string(out) +
               ", which is a model input, a constant or omitted";
      if (writer[out] != kNoWriter)
        return "operand " + std::to_string(out) + " is written by operations " + std::to_string(writer[out]) + " and " +
               std::to_string(op);
      writer[out] = op;
    }
  }
  for (uint32_t out : graph.outputs)
    if (writer[out] == kNoWriter)
      return "model output operand " + std::to_string(out) + " is not written by any operation";

  // Kahn's algorithm over "operation reads an operand another operation writes".
  std::vector<uint32_t> pending(graph.operations.size(), 0);
  std::vector<std::vector<uint32_t>> readers(n);
  for (uint32_t op = 0; op < graph.operations.size(); ++op) {
    for (uint32_t in : graph.operations[op].inputs) {
      const auto& desc = graph.operands[in];
      if (desc.lifetime == Lifetime::Temporary && writer[in] == kNoWriter)
        return "operation " + std::to_string(op) + " (" + nnapi_rules::operationName(graph.operations[op].type) +
               ") reads operand " + std::to_string(in) +
               ", which is neither a model input, a constant nor written by an operation";
      if (writer[in] != kNoWriter) {
        ++pending[op];
        readers[in].push_back(op);
      }
    }
  }
  std::deque<uint32_t> ready;
  for (uint32_t op = 0; op < graph.operations.size(); ++op)
    if (pending[op] == 0) ready.push_back(op);
  graph.order.clear();
  while (!ready.empty()) {
    const uint32_t op = ready.front();
    ready.pop_front();
    graph.order.push_back(op);
    for (uint32_t out : graph.operations[op].outputs)
      for (uint32_t reader : readers[out])
        if (--pending[reader] == 0) ready.push_back(reader);
  }
  if (graph.order.size() != graph.operations.size()) return "the operations form a cycle";
  return {};
}

}  // namespace nnapi_host
