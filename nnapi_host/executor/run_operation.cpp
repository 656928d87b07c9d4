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

// Whether `t` is computed through a float32 stand-in (see run_operation.h).
bool needsStandIn(const OpContext& ctx, const Tensor& t) {
  return t.type() == kF16 || (ctx.relaxed && t.type() == kF32);
}

bool anyStandIn(const OpContext& ctx) {
  for (const Tensor& t : ctx.inputs)
    if (needsStandIn(ctx, t)) return true;
  for (const Tensor& t : ctx.outputs)
    if (needsStandIn(ctx, t)) return true;
  return false;
}

}  // namespace

bool runOperation(OpContext& ctx) {
  if (!anyStandIn(ctx)) return runDirect(ctx);
  OpContext promoted;
  promoted.op = ctx.op;
  promoted.params = ctx.params;
  // Stable storage for the float32 stand-ins (descriptions and data) of the operands that need one.
  std::vector<nnapi_rules::OperandDesc> descs;
  descs.reserve(ctx.inputs.size() + ctx.outputs.size());
  std::vector<std::vector<float>> buffers;
  buffers.reserve(ctx.inputs.size() + ctx.outputs.size());
  auto standIn = [&](const Tensor& t) -> Tensor {
    descs.push_back(*t.desc);
    descs.back().type = kF32;
    buffers.emplace_back(t.elements());
    return Tensor{&descs.back(), reinterpret_cast<uint8_t*>(buffers.back().data())};
  };
  for (const Tensor& t : ctx.inputs) {
    if (!t.data || !needsStandIn(ctx, t)) {
      promoted.inputs.push_back(t);
      continue;
    }
    const Tensor s = standIn(t);
    if (t.type() == kF16) kernels::halfToFloat(t.as<uint16_t>(), t.elements(), s.as<float>());
    else kernels::roundToHalfPrecision(t.as<float>(), t.elements(), s.as<float>());
    promoted.inputs.push_back(s);
  }
  // A relaxed F32 output is computed in place and rounded there afterwards.
  for (const Tensor& t : ctx.outputs) promoted.outputs.push_back(t.type() == kF16 ? standIn(t) : t);
  if (!runDirect(promoted)) return ctx.fail(promoted.error);
  for (size_t o = 0; o < ctx.outputs.size(); ++o) {
    const Tensor& t = ctx.outputs[o];
    if (t.type() == kF16) kernels::floatToHalf(promoted.outputs[o].as<float>(), t.elements(), t.as<uint16_t>());
    else if (needsStandIn(ctx, t)) kernels::roundToHalfPrecision(t.as<float>(), t.elements(), t.as<float>());
  }
  return true;
}

}  // namespace nnapi_host
