// Executors of AVERAGE_POOL_2D, MAX_POOL_2D, L2_POOL_2D.
#include "executor/layout.h"
#include "executor/window.h"
#include "executor/quant_support.h"
#include "kernels/compute_f32.h"
#include "kernels/quant/pool_q8.h"
#include "nnapi/NeuralNetworks.h"

namespace nnapi_host {
namespace {

bool poolF32(OpContext& ctx, const nnapi_rules::PoolParams& p) {
  const kernels::Window win = windowOf(p);
  const kernels::FloatRange act = floatActivation(p.fuse);
  const int32_t op = ctx.op;
  return withNhwc(ctx, p.nchw, [&](const NhwcIo& io) {
    const float* in = reinterpret_cast<const float*>(io.in);
    float* out = reinterpret_cast<float*>(io.out);
    switch (op) {
      case ANEURALNETWORKS_AVERAGE_POOL_2D:
        kernels::averagePool2dF32(in, io.inShape, win, act, out, io.outShape);
        break;
      case ANEURALNETWORKS_MAX_POOL_2D: kernels::maxPool2dF32(in, io.inShape, win, act, out, io.outShape); break;
      case ANEURALNETWORKS_L2_POOL_2D: kernels::l2Pool2dF32(in, io.inShape, win, act, out, io.outShape); break;
      default: return ctx.noKernel("pooling");
    }
    return true;
  });
}

template <typename T>
bool poolQ8(OpContext& ctx, const nnapi_rules::PoolParams& p) {
  const kernels::Window win = windowOf(p);
  const kernels::IntRange act = activationOn<T>(p.fuse, ctx.outputs[0]);
  const int32_t op = ctx.op;
  return withNhwc(ctx, p.nchw, [&](const NhwcIo& io) {
    const T* in = reinterpret_cast<const T*>(io.in);
    T* out = reinterpret_cast<T*>(io.out);
    switch (op) {
      case ANEURALNETWORKS_AVERAGE_POOL_2D:
        kernels::averagePool2dQ8<T>(in, io.inShape, win, act, out, io.outShape);
        break;
      case ANEURALNETWORKS_MAX_POOL_2D: kernels::maxPool2dQ8<T>(in, io.inShape, win, act, out, io.outShape); break;
      default: return ctx.noKernel("pooling");  // L2_POOL_2D is float-only (rules)
    }
    return true;
  });
}

bool poolExec(OpContext& ctx) {
  const auto& p = ctx.get<nnapi_rules::PoolParams>();
  switch (ctx.inputs[0].type()) {
    case ANEURALNETWORKS_TENSOR_FLOAT32: return poolF32(ctx, p);
    case kQ8A: return poolQ8<uint8_t>(ctx, p);
    case kQ8S: return poolQ8<int8_t>(ctx, p);
    default: return ctx.unsupportedType(ctx.inputs[0].type());
  }
}

}  // namespace

void registerPoolExecutors(ExecTable& table) {
  table.add(ANEURALNETWORKS_AVERAGE_POOL_2D, poolExec, {kF32, kQ8A, kQ8S});
  table.add(ANEURALNETWORKS_MAX_POOL_2D, poolExec, {kF32, kQ8A, kQ8S});
  table.add(ANEURALNETWORKS_L2_POOL_2D, poolExec, {kF32});
}

}  // namespace nnapi_host
