// Executor of INSTANCE_NORMALIZATION (float32; half tensors reach it converted, see run_operation.h).
#include "executor/layout.h"
#include "kernels/instance_norm_f32.h"
#include "nnapi/NeuralNetworks.h"

namespace nnapi_host {
namespace {

bool instanceNormExec(OpContext& ctx) {
  const auto& p = ctx.get<nnapi_rules::InstanceNormParams>();
  return withNhwc(ctx, p.nchw, [&](const NhwcIo& io) {
    kernels::instanceNormF32(reinterpret_cast<const float*>(io.in), io.inShape, p.gamma, p.beta, p.epsilon,
                             reinterpret_cast<float*>(io.out));
    return true;
  });
}

}  // namespace

void registerInstanceNormExecutors(ExecTable& table) {
  table.add(ANEURALNETWORKS_INSTANCE_NORMALIZATION, instanceNormExec, {kF32});
}

}  // namespace nnapi_host
