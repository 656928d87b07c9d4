// Executors of QUANTIZE (float32 -> Q8A/Q8S) and DEQUANTIZE (Q8A, Q8S, Q8 symmetric, per-channel -> float32).
#include "executor/op_context.h"
#include "kernels/quantize_convert.h"
#include "nnapi/NeuralNetworks.h"

namespace nnapi_host {
namespace {

bool quantizeExec(OpContext& ctx) {
  const Tensor& in = ctx.inputs[0];
  Tensor& out = ctx.outputs[0];
  if (in.type() != ANEURALNETWORKS_TENSOR_FLOAT32) return ctx.unsupportedType(in.type());
  const float s = out.desc->scale;
  const int32_t zp = out.desc->zeroPoint;
  if (out.type() == ANEURALNETWORKS_TENSOR_QUANT8_ASYMM)
    kernels::quantizeF32ToU8(in.as<float>(), in.elements(), s, zp, out.as<uint8_t>());
  else
    kernels::quantizeF32ToS8(in.as<float>(), in.elements(), s, zp, out.as<int8_t>());
  return true;
}

bool dequantizeExec(OpContext& ctx) {
  const Tensor& in = ctx.inputs[0];
  Tensor& out = ctx.outputs[0];
  if (out.type() != ANEURALNETWORKS_TENSOR_FLOAT32) return ctx.unsupportedType(out.type());
  const float s = in.desc->scale;
  const int32_t zp = in.desc->zeroPoint;
  switch (in.type()) {
    case ANEURALNETWORKS_TENSOR_QUANT8_ASYMM:
      kernels::dequantizeU8ToF32(in.as<uint8_t>(), in.elements(), s, zp, out.as<float>());
      return true;
    case ANEURALNETWORKS_TENSOR_QUANT8_ASYMM_SIGNED:
    case ANEURALNETWORKS_TENSOR_QUANT8_SYMM:
      kernels::dequantizeS8ToF32(in.as<int8_t>(), in.elements(), s, zp, out.as<float>());
      return true;
    case ANEURALNETWORKS_TENSOR_QUANT8_SYMM_PER_CHANNEL:
      kernels::dequantizePerChannelToF32(in.as<int8_t>(), in.dims(), in.desc->channelDim, in.desc->channelScales,
                                         out.as<float>());
      return true;
    default: return ctx.unsupportedType(in.type());
  }
}

}  // namespace

void registerQuantizeExecutors(ExecTable& table) {
  table.add(ANEURALNETWORKS_QUANTIZE, quantizeExec, {kF32});
  table.add(ANEURALNETWORKS_DEQUANTIZE, dequantizeExec,
            {ANEURALNETWORKS_TENSOR_QUANT8_ASYMM, ANEURALNETWORKS_TENSOR_QUANT8_ASYMM_SIGNED,
             ANEURALNETWORKS_TENSOR_QUANT8_SYMM, ANEURALNETWORKS_TENSOR_QUANT8_SYMM_PER_CHANNEL});
}

}  // namespace nnapi_host
