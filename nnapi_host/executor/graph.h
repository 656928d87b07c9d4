// A finished model as the executor sees it: operand descriptions (constants carry their bytes through
// OperandDesc::value), operations, model inputs/outputs and an order in which every operation's inputs are ready.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "validation/operation_rules.h"

namespace nnapi_host {

struct Operation {
  int32_t type = 0;
  std::vector<uint32_t> inputs;
  std::vector<uint32_t> outputs;
};

struct Graph {
  std::vector<nnapi_rules::OperandDesc> operands;
  std::vector<Operation> operations;
  std::vector<uint32_t> inputs;   // model input operands, in setInput order
  std::vector<uint32_t> outputs;  // model output operands, in setOutput order
  std::vector<uint32_t> order;    // operation indices, topologically sorted (filled by sortOperations)
  // ANeuralNetworksModel_relaxComputationFloat32toFloat16(true): TENSOR_FLOAT32 operations compute with the range
  // and precision of TENSOR_FLOAT16 (see executor/run_operation.h).
  bool relaxed = false;
};

// §12.4 graph checks: every operand read is a model input, a constant, an omitted optional or written by exactly
// one operation; model outputs are operation outputs; no cycles. Fills graph.order. Returns "" or the problem.
std::string sortOperations(Graph& graph);

}  // namespace nnapi_host
