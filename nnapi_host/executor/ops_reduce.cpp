// Executors of MEAN and of REDUCE_SUM, REDUCE_MAX, REDUCE_MIN (float32).
#include "executor/op_context.h"
#include "executor/quant_support.h"
#include "kernels/quant/reduce_q8.h"
#include "kernels/reduce_f32.h"
#include "nnapi/NeuralNetworks.h"

namespace nnapi_host {
namespace {

bool meanExec(OpContext& ctx) {
  const Tensor& in = ctx.inputs[0];
  switch (in.type()) {
    case ANEURALNETWORKS_TENSOR_FLOAT32:
      kernels::meanF32(in.as<float>(), in.dims(), ctx.get<nnapi_rules::ReduceParams>().axes,
                       ctx.outputs[0].as<float>());
      return true;
    case kQ8A:
    case kQ8S:
      return withQ8Type(in.type(), [&](auto zero) {
        using T = decltype(zero);
        kernels::meanQ8<T>(in.as<T>(), in.dims(), ctx.get<nnapi_rules::ReduceParams>().axes, ctx.outputs[0].as<T>());
        return true;
      });
    default: return ctx.unsupportedType(in.type());
  }
}

bool reduceExec(OpContext& ctx) {
  kernels::Reduction reduction;
  switch (ctx.op) {
    case ANEURALNETWORKS_REDUCE_SUM: reduction = kernels::Reduction::Sum; break;
    case ANEURALNETWORKS_REDUCE_MAX: reduction = kernels::Reduction::Max; break;
    case ANEURALNETWORKS_REDUCE_MIN: reduction = kernels::Reduction::Min; break;
    default: return ctx.noKernel("reduce");
  }
  const Tensor& in = ctx.inputs[0];
  if (in.type() != ANEURALNETWORKS_TENSOR_FLOAT32) return ctx.unsupportedType(in.type());
  kernels::reduceF32(reduction, in.as<float>(), in.dims(), ctx.get<nnapi_rules::ReduceParams>().axes,
                     ctx.outputs[0].as<float>());
  return true;
}

}  // namespace

void registerReduceExecutors(ExecTable& table) {
  table.add(ANEURALNETWORKS_MEAN, meanExec, {kF32, kQ8A, kQ8S});
  for (int32_t op : {ANEURALNETWORKS_REDUCE_SUM, ANEURALNETWORKS_REDUCE_MAX, ANEURALNETWORKS_REDUCE_MIN})
    table.add(op, reduceExec, {kF32});
}

}  // namespace nnapi_host
