// Executors of RELU, RELU1, RELU6, LOGISTIC, TANH, HARD_SWISH, SOFTMAX, LOG_SOFTMAX, ELU (float32), and of the float
// unary math operations ABS, EXP, LOG, NEG, RSQRT, SIN, SQRT.
#include "executor/op_context.h"
#include "executor/quant_support.h"
#include "kernels/elementwise_f32.h"
#include "kernels/quant/activation_q8.h"
#include "kernels/reduce_f32.h"
#include "nnapi/NeuralNetworks.h"

namespace nnapi_host {
namespace {

template <typename T>
bool activationQ8(OpContext& ctx) {
  const Tensor& in = ctx.inputs[0];
  Tensor& out = ctx.outputs[0];
  const T* x = in.as<T>();
  T* y = out.as<T>();
  const size_t n = in.elements();
  switch (ctx.op) {
    case ANEURALNETWORKS_RELU: kernels::clampQ8<T>(x, n, activationOn<T>(ANEURALNETWORKS_FUSED_RELU, out), y); break;
    case ANEURALNETWORKS_RELU1: kernels::clampQ8<T>(x, n, activationOn<T>(ANEURALNETWORKS_FUSED_RELU1, out), y); break;
    case ANEURALNETWORKS_RELU6: kernels::clampQ8<T>(x, n, activationOn<T>(ANEURALNETWORKS_FUSED_RELU6, out), y); break;
    case ANEURALNETWORKS_LOGISTIC: kernels::logisticQ8<T>(x, n, quantOf(in), y); break;
    case ANEURALNETWORKS_TANH: kernels::tanhQ8<T>(x, n, quantOf(in), y); break;
    case ANEURALNETWORKS_HARD_SWISH: kernels::hardSwishQ8<T>(x, n, quantOf(in), y, quantOf(out)); break;
    default: return ctx.noKernel("activation");
  }
  return true;
}

bool activationExec(OpContext& ctx) {
  const Tensor& in = ctx.inputs[0];
  Tensor& out = ctx.outputs[0];
  if (in.type() == kQ8A) return activationQ8<uint8_t>(ctx);
  if (in.type() == kQ8S) return activationQ8<int8_t>(ctx);
  if (in.type() != ANEURALNETWORKS_TENSOR_FLOAT32) return ctx.unsupportedType(in.type());
  const float* x = in.as<float>();
  float* y = out.as<float>();
  const size_t n = in.elements();
  switch (ctx.op) {
    case ANEURALNETWORKS_RELU: kernels::clampF32(x, n, floatActivation(ANEURALNETWORKS_FUSED_RELU), y); break;
    case ANEURALNETWORKS_RELU1: kernels::clampF32(x, n, floatActivation(ANEURALNETWORKS_FUSED_RELU1), y); break;
    case ANEURALNETWORKS_RELU6: kernels::clampF32(x, n, floatActivation(ANEURALNETWORKS_FUSED_RELU6), y); break;
    case ANEURALNETWORKS_LOGISTIC: kernels::unaryF32(kernels::UnaryOp::Logistic, x, n, y); break;
    case ANEURALNETWORKS_TANH: kernels::unaryF32(kernels::UnaryOp::Tanh, x, n, y); break;
    case ANEURALNETWORKS_HARD_SWISH: kernels::unaryF32(kernels::UnaryOp::HardSwish, x, n, y); break;
    default: return ctx.noKernel("activation");
  }
  return true;
}

bool unaryMathExec(OpContext& ctx) {
  kernels::UnaryOp op;
  switch (ctx.op) {
    case ANEURALNETWORKS_ABS: op = kernels::UnaryOp::Abs; break;
    case ANEURALNETWORKS_EXP: op = kernels::UnaryOp::Exp; break;
    case ANEURALNETWORKS_LOG: op = kernels::UnaryOp::Log; break;
    case ANEURALNETWORKS_NEG: op = kernels::UnaryOp::Neg; break;
    case ANEURALNETWORKS_RSQRT: op = kernels::UnaryOp::Rsqrt; break;
    case ANEURALNETWORKS_SIN: op = kernels::UnaryOp::Sin; break;
    case ANEURALNETWORKS_SQRT: op = kernels::UnaryOp::Sqrt; break;
    default: return ctx.noKernel("unary math");
  }
  const Tensor& in = ctx.inputs[0];
  if (in.type() != ANEURALNETWORKS_TENSOR_FLOAT32) return ctx.unsupportedType(in.type());
  kernels::unaryF32(op, in.as<float>(), in.elements(), ctx.outputs[0].as<float>());
  return true;
}

bool eluExec(OpContext& ctx) {
  if (ctx.op != ANEURALNETWORKS_ELU) return ctx.noKernel("ELU");
  const Tensor& in = ctx.inputs[0];
  if (in.type() != ANEURALNETWORKS_TENSOR_FLOAT32) return ctx.unsupportedType(in.type());
  kernels::eluF32(in.as<float>(), in.elements(), *ctx.inputs[1].as<float>(), ctx.outputs[0].as<float>());
  return true;
}

bool softmaxExec(OpContext& ctx) {
  if (ctx.op != ANEURALNETWORKS_SOFTMAX && ctx.op != ANEURALNETWORKS_LOG_SOFTMAX) return ctx.noKernel("softmax");
  const auto& p = ctx.get<nnapi_rules::SoftmaxParams>();
  const Tensor& in = ctx.inputs[0];
  if (in.type() == kQ8A || in.type() == kQ8S)  // LOG_SOFTMAX is float-only (rules)
    return withQ8Type(in.type(), [&](auto zero) {
      using T = decltype(zero);
      kernels::softmaxQ8<T>(in.as<T>(), in.dims(), p.axis, quantOf(in), p.beta, ctx.outputs[0].as<T>());
      return true;
    });
  if (in.type() != ANEURALNETWORKS_TENSOR_FLOAT32) return ctx.unsupportedType(in.type());
  kernels::softmaxF32(in.as<float>(), in.dims(), p.axis, p.beta, ctx.op == ANEURALNETWORKS_LOG_SOFTMAX,
                      ctx.outputs[0].as<float>());
  return true;
}

}  // namespace

void registerActivationExecutors(ExecTable& table) {
  for (int32_t op : {ANEURALNETWORKS_RELU, ANEURALNETWORKS_RELU1, ANEURALNETWORKS_RELU6, ANEURALNETWORKS_LOGISTIC,
                     ANEURALNETWORKS_TANH, ANEURALNETWORKS_HARD_SWISH})
    table.add(op, activationExec, {kF32, kQ8A, kQ8S});
  table.add(ANEURALNETWORKS_SOFTMAX, softmaxExec, {kF32, kQ8A, kQ8S});
  table.add(ANEURALNETWORKS_LOG_SOFTMAX, softmaxExec, {kF32});
  for (int32_t op : {ANEURALNETWORKS_ABS, ANEURALNETWORKS_EXP, ANEURALNETWORKS_LOG, ANEURALNETWORKS_NEG,
                     ANEURALNETWORKS_RSQRT, ANEURALNETWORKS_SIN, ANEURALNETWORKS_SQRT})
    table.add(op, unaryMathExec, {kF32});
  table.add(ANEURALNETWORKS_ELU, eluExec, {kF32});
}

}  // namespace nnapi_host
