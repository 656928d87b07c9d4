// Executors of RESHAPE, SQUEEZE, EXPAND_DIMS (a copy: same bytes, new shape), TRANSPOSE, CONCATENATION. They move
// whole elements, so every operand type the rules accept runs here.
#include <cstring>

#include "executor/op_context.h"
#include "executor/quant_support.h"
#include "kernels/data_movement.h"
#include "kernels/quant/concatenation_q8.h"
#include "nnapi/NeuralNetworks.h"

namespace nnapi_host {
namespace {

bool copyExec(OpContext& ctx) {
  if (ctx.outputs[0].data != ctx.inputs[0].data)
    std::memcpy(ctx.outputs[0].data, ctx.inputs[0].data, ctx.inputs[0].bytes());
  return true;
}

bool transposeExec(OpContext& ctx) {
  const Tensor& in = ctx.inputs[0];
  kernels::transposeBytes(nnapi_rules::elementSize(in.type()), in.data, in.dims(),
                          ctx.get<nnapi_rules::TransposeParams>().perm, ctx.outputs[0].data);
  return true;
}

bool concatenationExec(OpContext& ctx) {
  const Tensor& out = ctx.outputs[0];
  const uint32_t axis = ctx.get<nnapi_rules::ConcatParams>().axis;
  std::vector<kernels::ConcatPart> parts;
  std::vector<kernels::QuantParams> quants;
  bool requantize = false;  // inputs quantized differently from the output (FL3) are requantized (§11.8)
  for (size_t i = 0; i + 1 < ctx.inputs.size(); ++i) {
    const Tensor& t = ctx.inputs[i];
    requantize = requantize || t.desc->scale != out.desc->scale || t.desc->zeroPoint != out.desc->zeroPoint;
    parts.push_back({t.data, t.dims()});
    quants.push_back(quantOf(t));
  }
  if (requantize && (out.type() == kQ8A || out.type() == kQ8S))
    return withQ8Type(out.type(), [&](auto zero) {
      using T = decltype(zero);
      kernels::concatenationQ8<T>(parts, quants, axis, out.as<T>(), quantOf(out));
      return true;
    });
  kernels::concatBytes(nnapi_rules::elementSize(out.type()), parts, axis, out.data);
  return true;
}

}  // namespace

void registerShapeExecutors(ExecTable& table) {
  table.add(ANEURALNETWORKS_RESHAPE, copyExec, kAnyElementType);
  table.add(ANEURALNETWORKS_SQUEEZE, copyExec, kAnyElementType);
  table.add(ANEURALNETWORKS_EXPAND_DIMS, copyExec, kAnyElementType);
  table.add(ANEURALNETWORKS_TRANSPOSE, transposeExec, kAnyElementType);
  table.add(ANEURALNETWORKS_CONCATENATION, concatenationExec, kAnyElementType);
}

}  // namespace nnapi_host
