#include "executor/plan.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "executor/op_context.h"
#include "executor/run_operation.h"
#include "nnapi/NeuralNetworks.h"
#include "validation/op_check.h"

namespace nnapi_host {

using nnapi_rules::Lifetime;
using nnapi_rules::OperandDesc;

namespace {

bool fullyKnown(const OperandDesc& d) {
  if (d.dims.empty()) return false;
  for (uint32_t x : d.dims)
    if (x == 0) return false;
  return true;
}

// NNAPI_HOST_PROFILE set: every operation's time goes to stderr, to find slow kernels without a profiler.
bool profiling() {
  static const bool enabled = std::getenv("NNAPI_HOST_PROFILE") != nullptr;
  return enabled;
}

void reportTime(uint32_t operation, int32_t type, const Tensor& output, std::chrono::steady_clock::time_point start) {
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  std::fprintf(stderr, "nnapi_host: profile: operation %u %s -> %s %.3f ms\n", operation,
               nnapi_rules::operationName(type).c_str(), nnapi_rules::detail::dimsToString(output.dims()).c_str(), ms);
}

}  // namespace

std::string buildPlan(const Graph& graph, std::vector<OperandDesc> operands, Plan* plan) {
  plan->steps.clear();
  std::vector<int64_t> lastReader(operands.size(), -1);
  for (uint32_t opIndex : graph.order) {
    const Operation& op = graph.operations[opIndex];
    PlanStep step;
    step.operation = opIndex;
    std::vector<OperandDesc> inferred;
    // The model's feature level was checked when each operation was added; here only shapes and parameters
    // matter, so the newest level is the target.
    const nnapi_rules::Verdict v = nnapi_rules::prepareOperation(op.type, op.inputs, op.outputs, operands,
                                                                 nnapi_rules::kNewestFeatureLevel, &inferred,
                                                                 &step.params);
    const std::string where = "operation " + std::to_string(opIndex) + ": ";
    if (!v.ok) return where + v.message;
    for (size_t o = 0; o < op.outputs.size(); ++o) {
      if (!fullyKnown(inferred[o]))
        return where + nnapi_rules::operationName(op.type) + " output " + std::to_string(o) + " (operand " +
               std::to_string(op.outputs[o]) + "): shape could not be inferred, got " +
               nnapi_rules::operandTypeName(inferred[o].type) + " of rank " + std::to_string(inferred[o].dims.size()) +
               " with unknown extents";
      operands[op.outputs[o]] = std::move(inferred[o]);
    }
    for (uint32_t in : op.inputs) lastReader[in] = int64_t(plan->steps.size());
    plan->steps.push_back(std::move(step));
  }
  std::vector<bool> isModelOutput(operands.size(), false);
  for (uint32_t o : graph.outputs) isModelOutput[o] = true;
  for (uint32_t i = 0; i < operands.size(); ++i)
    if (lastReader[i] >= 0 && operands[i].lifetime == Lifetime::Temporary && !isModelOutput[i])
      plan->steps[size_t(lastReader[i])].release.push_back(i);
  plan->operands = std::move(operands);
  return {};
}

RunResult runPlan(const Graph& graph, const Plan& plan, const std::vector<Binding>& inputs,
                  const std::vector<Binding>& outputs) {
  RunResult result;
  const size_t n = plan.operands.size();
  std::vector<uint8_t*> data(n, nullptr);
  std::vector<std::unique_ptr<uint8_t[]>> owned(n);
  // Executors never write their inputs, so constants are used in place.
  for (size_t i = 0; i < n; ++i)
    if (plan.operands[i].lifetime == Lifetime::Constant)
      data[i] = static_cast<uint8_t*>(const_cast<void*>(plan.operands[i].value));
  for (size_t i = 0; i < graph.inputs.size(); ++i) data[graph.inputs[i]] = static_cast<uint8_t*>(inputs[i].data);
  bool insufficient = false;
  for (size_t o = 0; o < graph.outputs.size(); ++o) {
    const uint32_t index = graph.outputs[o];
    const size_t bytes = nnapi_rules::byteSize(plan.operands[index]);
    result.outputDims.push_back(plan.operands[index].dims);
    const bool fits = outputs[o].length >= bytes;
    result.outputSufficient.push_back(fits || outputs[o].data == nullptr);
    if (outputs[o].data != nullptr && fits) {
      data[index] = static_cast<uint8_t*>(outputs[o].data);
    } else {
      // Omitted or too small: computed into scratch, so later operations reading it still run.
      insufficient = insufficient || outputs[o].data != nullptr;
      owned[index].reset(new uint8_t[std::max<size_t>(1, bytes)]);
      data[index] = owned[index].get();
    }
  }

  for (const PlanStep& step : plan.steps) {
    const Operation& op = graph.operations[step.operation];
    OpContext ctx;
    ctx.op = op.type;
    ctx.params = &step.params;
    ctx.relaxed = graph.relaxed;
    for (uint32_t in : op.inputs) ctx.inputs.push_back({&plan.operands[in], data[in]});
    for (uint32_t out : op.outputs) {
      if (!data[out]) {
        owned[out].reset(new uint8_t[std::max<size_t>(1, nnapi_rules::byteSize(plan.operands[out]))]);
        data[out] = owned[out].get();
      }
      ctx.outputs.push_back({&plan.operands[out], data[out]});
    }
    const auto start = std::chrono::steady_clock::now();
    const bool ok = runOperation(ctx);
    if (profiling()) reportTime(step.operation, op.type, ctx.outputs[0], start);
    if (!ok) {
      result.code = ANEURALNETWORKS_OP_FAILED;
      result.message = "operation " + std::to_string(step.operation) + ": " + ctx.error;
      return result;
    }
    for (uint32_t r : step.release) owned[r].reset();
  }
  result.code = insufficient ? ANEURALNETWORKS_OUTPUT_INSUFFICIENT_SIZE : ANEURALNETWORKS_NO_ERROR;
  return result;
}

}  // namespace nnapi_host
