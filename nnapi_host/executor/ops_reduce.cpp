// Executor of MEAN.
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

}  // namespace

void registerReduceExecutors(ExecTable& table) { table.add(ANEURALNETWORKS_MEAN, meanExec, {kF32, kQ8A, kQ8S}); }

}  // namespace nnapi_host
