// Executor of FULLY_CONNECTED: input viewed as [batch, input_size] (batch = output dim 0).
#include "executor/op_context.h"
#include "executor/quant_support.h"
#include "kernels/compute_f32.h"
#include "kernels/quant/fully_connected_q8.h"
#include "nnapi/NeuralNetworks.h"

namespace nnapi_host {
namespace {

bool fullyConnectedExec(OpContext& ctx) {
  const auto& p = ctx.get<nnapi_rules::FuseParams>();
  const Tensor &in = ctx.inputs[0], &weights = ctx.inputs[1], &bias = ctx.inputs[2];
  Tensor& out = ctx.outputs[0];
  const uint32_t batch = out.dims()[0], units = out.dims()[1], inputSize = weights.dims()[1];
  switch (in.type()) {
    case ANEURALNETWORKS_TENSOR_FLOAT32:
      kernels::fullyConnectedF32(in.as<float>(), batch, inputSize, weights.as<float>(), bias.as<float>(), units,
                                 floatActivation(p.fuse), out.as<float>());
      return true;
    case kQ8A:
    case kQ8S:
      return withQ8Type(in.type(), [&](auto zero) {
        using T = decltype(zero);
        kernels::fullyConnectedQ8<T>(in.as<T>(), batch, inputSize, quantOf(in), weights.as<T>(), quantOf(weights),
                                     bias.as<int32_t>(), units, activationOn<T>(p.fuse, out), out.as<T>(),
                                     quantOf(out));
        return true;
      });
    default: return ctx.unsupportedType(in.type());
  }
}

}  // namespace

void registerFullyConnectedExecutors(ExecTable& table) {
  table.add(ANEURALNETWORKS_FULLY_CONNECTED, fullyConnectedExec, {kF32, kQ8A, kQ8S});
}

}  // namespace nnapi_host
