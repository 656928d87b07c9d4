// Executors of the broadcasting binary operations: ADD, SUB, MUL, DIV (with fused activation), MAXIMUM, MINIMUM,
// PRELU, and POW (float32).
#include <optional>

#include "executor/op_context.h"
#include "executor/quant_support.h"
#include "kernels/elementwise_f32.h"
#include "kernels/quant/binary_q8.h"
#include "nnapi/NeuralNetworks.h"

namespace nnapi_host {
namespace {

using kernels::BinaryOp;

std::optional<BinaryOp> binaryOpOf(int32_t op) {
  switch (op) {
    case ANEURALNETWORKS_ADD: return BinaryOp::Add;
    case ANEURALNETWORKS_SUB: return BinaryOp::Sub;
    case ANEURALNETWORKS_MUL: return BinaryOp::Mul;
    case ANEURALNETWORKS_DIV: return BinaryOp::Div;
    case ANEURALNETWORKS_MAXIMUM: return BinaryOp::Max;
    case ANEURALNETWORKS_MINIMUM: return BinaryOp::Min;
    case ANEURALNETWORKS_PRELU: return BinaryOp::Prelu;
    default: return std::nullopt;
  }
}

template <typename T>
bool binaryQ8(OpContext& ctx, BinaryOp op, int32_t fuse) {
  const Tensor &a = ctx.inputs[0], &b = ctx.inputs[1];
  Tensor& out = ctx.outputs[0];
  const T *pa = a.as<T>(), *pb = b.as<T>();
  T* po = out.as<T>();
  const kernels::QuantParams qa = quantOf(a), qb = quantOf(b), qo = quantOf(out);
  switch (op) {
    case BinaryOp::Add:
      kernels::addQ8<T>(pa, a.dims(), qa, pb, b.dims(), qb, activationOn<T>(fuse, out), po, qo);
      break;
    case BinaryOp::Sub:
      kernels::subQ8<T>(pa, a.dims(), qa, pb, b.dims(), qb, activationOn<T>(fuse, out), po, qo);
      break;
    case BinaryOp::Mul:
      kernels::mulQ8<T>(pa, a.dims(), qa, pb, b.dims(), qb, activationOn<T>(fuse, out), po, qo);
      break;
    case BinaryOp::Max: kernels::maximumQ8<T>(pa, a.dims(), qa, pb, b.dims(), qb, po, qo); break;
    case BinaryOp::Min: kernels::minimumQ8<T>(pa, a.dims(), qa, pb, b.dims(), qb, po, qo); break;
    case BinaryOp::Prelu: kernels::preluQ8<T>(pa, a.dims(), qa, pb, b.dims(), qb, po, qo); break;
    case BinaryOp::Div: return ctx.unsupportedType(a.type());  // rules accept no quantized DIV
  }
  return true;
}

bool binaryExec(OpContext& ctx) {
  const Tensor &a = ctx.inputs[0], &b = ctx.inputs[1];
  Tensor& out = ctx.outputs[0];
  const std::optional<BinaryOp> kernel = binaryOpOf(ctx.op);
  if (!kernel) return ctx.noKernel("binary");
  const BinaryOp op = *kernel;
  // MAXIMUM, MINIMUM and PRELU carry no activation (their params are empty).
  const auto* fuse = std::get_if<nnapi_rules::FuseParams>(ctx.params);
  switch (a.type()) {
    case ANEURALNETWORKS_TENSOR_FLOAT32:
      kernels::broadcastBinaryF32(op, a.as<float>(), a.dims(), b.as<float>(), b.dims(),
                                  floatActivation(fuse ? fuse->fuse : 0), out.as<float>(), out.dims());
      return true;
    case ANEURALNETWORKS_TENSOR_INT32:  // rules allow only FUSED_NONE here
      kernels::broadcastBinaryI32(op, a.as<int32_t>(), a.dims(), b.as<int32_t>(), b.dims(), out.as<int32_t>(),
                                  out.dims());
      return true;
    case kQ8A: return binaryQ8<uint8_t>(ctx, op, fuse ? fuse->fuse : 0);
    case kQ8S: return binaryQ8<int8_t>(ctx, op, fuse ? fuse->fuse : 0);
    default: return ctx.unsupportedType(a.type());
  }
}

bool powExec(OpContext& ctx) {
  if (ctx.op != ANEURALNETWORKS_POW) return ctx.noKernel("power");
  const Tensor &base = ctx.inputs[0], &exponent = ctx.inputs[1];
  if (base.type() != ANEURALNETWORKS_TENSOR_FLOAT32) return ctx.unsupportedType(base.type());
  Tensor& out = ctx.outputs[0];
  kernels::broadcastPowF32(base.as<float>(), base.dims(), exponent.as<float>(), exponent.dims(), out.as<float>(),
                           out.dims());
  return true;
}

}  // namespace

void registerElementwiseExecutors(ExecTable& table) {
  for (int32_t op : {ANEURALNETWORKS_ADD, ANEURALNETWORKS_SUB, ANEURALNETWORKS_MUL, ANEURALNETWORKS_MAXIMUM,
                     ANEURALNETWORKS_MINIMUM, ANEURALNETWORKS_PRELU})
    table.add(op, binaryExec, {kF32, ANEURALNETWORKS_TENSOR_INT32, kQ8A, kQ8S});
  table.add(ANEURALNETWORKS_DIV, binaryExec, {kF32, ANEURALNETWORKS_TENSOR_INT32});
  table.add(ANEURALNETWORKS_POW, powExec, {kF32});
}

}  // namespace nnapi_host
