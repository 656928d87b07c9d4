// Running a finished model: a Plan is the model's operations in execution order, each with the parameters its
// rule decoded and the operand shapes resolved for the actual inputs (dimensions left unknown in the model are
// inferred again here, operation by operation, with the same rules that validated the model).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "executor/graph.h"
#include "validation/op_params.h"

namespace nnapi_host {

struct PlanStep {
  uint32_t operation = 0;
  nnapi_rules::OpParams params;
  std::vector<uint32_t> release;  // temporaries read for the last time by this step
};

struct Plan {
  std::vector<nnapi_rules::OperandDesc> operands;  // shapes resolved
  std::vector<PlanStep> steps;
};

// `operands` are the graph's operands with the model inputs' actual shapes. Returns "" or why the model cannot
// run with these shapes.
std::string buildPlan(const Graph& graph, std::vector<nnapi_rules::OperandDesc> operands, Plan* plan);

struct Binding {
  void* data = nullptr;  // nullptr: omitted (an output is then computed into scratch and dropped)
  size_t length = 0;
};

struct RunResult {
  int code = 0;  // ResultCode
  std::string message;
  std::vector<std::vector<uint32_t>> outputDims;  // per model output, also when a buffer was too small
  std::vector<bool> outputSufficient;             // per model output: its buffer held the result
};

RunResult runPlan(const Graph& graph, const Plan& plan, const std::vector<Binding>& inputs,
                  const std::vector<Binding>& outputs);

}  // namespace nnapi_host
