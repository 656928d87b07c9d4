#include "executor/run_operation.h"

#include <stdexcept>

#include "kernels/half_convert.h"

namespace nnapi_host {
namespace {

constexpr int32_t kF16 = ANEURALNETWORKS_TENSOR_FLOAT16;

bool runDirect(OpContext& ctx) {
  const std::string unsupported = executionSupport(ctx.op, ctx.inputs[0].type());
  if (!unsupported.empty()) return ctx.fail(unsupported);
  try {
    return executorFor(ctx.op)(ctx);
  } catch (const std::invalid_argument& e) {  // a quantized kernel refusing its multipliers, as the reference does
    return ctx.fail(nnapi_rules::operationName(ctx.op) + ": " + e.what());
  }
}

bool hasHalfOperand(const OpContext& ctx) {
  for (const Tensor& t : ctx.inputs)
    if (t.type() == kF16) return true;
  for (const Tensor& t : ctx.outputs)
    if (t.type() == kF16) return true;
  return false;
}

}  // namespace

bool runOperation(OpContext& ctx) {
  if (!hasHalfOperand(ctx)) return runDirect(ctx);
  OpContext promoted;
  promoted.op = ctx.op;
  promoted.params = ctx.params;
  // Stable storage for the float32 stand-ins (descriptions and data) of every F16 operand.
  std::vector<nnapi_rules::OperandDesc> descs;
  descs.reserve(ctx.inputs.size() + ctx.outputs.size());
  std::vector<std::vector<float>> buffers;
  buffers.reserve(ctx.inputs.size() + ctx.outputs.size());
  auto standIn = [&](const Tensor& t) -> Tensor {
    if (t.type() != kF16) return t;
    descs.push_back(*t.desc);
    descs.back().type = ANEURALNETWORKS_TENSOR_FLOAT32;
    buffers.emplace_back(t.elements());
    return Tensor{&descs.back(), reinterpret_cast<uint8_t*>(buffers.back().data())};
  };
  for (const Tensor& t : ctx.inputs) {
    Tensor s = t.data ? standIn(t) : t;
    if (t.type() == kF16 && t.data) kernels::halfToFloat(t.as<uint16_t>(), t.elements(), s.as<float>());
    promoted.inputs.push_back(s);
  }
  for (const Tensor& t : ctx.outputs) promoted.outputs.push_back(standIn(t));
  if (!runDirect(promoted)) return ctx.fail(promoted.error);
  for (size_t o = 0; o < ctx.outputs.size(); ++o)
    if (ctx.outputs[o].type() == kF16)
      kernels::floatToHalf(promoted.outputs[o].as<float>(), ctx.outputs[o].elements(), ctx.outputs[o].as<uint16_t>());
  return true;
}

}  // namespace nnapi_host
