// Executors of CONV_2D, DEPTHWISE_CONV_2D, GROUPED_CONV_2D, TRANSPOSE_CONV_2D: the operand type picks the kernel
// family here, in one place; the float kernels are in kernels/compute_f32.h.
#include <algorithm>

#include "executor/layout.h"
#include "executor/window.h"
#include "executor/quant_support.h"
#include "kernels/compute_f32.h"
#include "kernels/quant/conv_q8.h"
#include "nnapi/NeuralNetworks.h"

namespace nnapi_host {
namespace {

bool convF32(OpContext& ctx, const nnapi_rules::ConvParams& p) {
  const float* filter = ctx.inputs[1].as<float>();
  const float* bias = ctx.inputs[2].as<float>();
  const kernels::Window win = windowOf(p);
  const kernels::FloatRange act = floatActivation(p.fuse);
  const int32_t op = ctx.op;
  return withNhwc(ctx, p.nchw, [&](const NhwcIo& io) {
    const float* in = reinterpret_cast<const float*>(io.in);
    float* out = reinterpret_cast<float*>(io.out);
    switch (op) {
      case ANEURALNETWORKS_DEPTHWISE_CONV_2D:
        kernels::depthwiseConv2dF32(in, io.inShape, filter, bias, p.multiplier, win, act, out, io.outShape);
        break;
      case ANEURALNETWORKS_TRANSPOSE_CONV_2D:
        kernels::transposeConv2dF32(in, io.inShape, filter, bias, win, act, out, io.outShape);
        break;
      case ANEURALNETWORKS_CONV_2D:
      case ANEURALNETWORKS_GROUPED_CONV_2D:
        kernels::conv2dF32(in, io.inShape, filter, bias, p.groups, win, act, out, io.outShape);
        break;
      default: return ctx.noKernel("convolution");
    }
    return true;
  });
}

// T: input/output element type; F: filter element type (int8_t for a per-channel filter).
template <typename T, typename F>
bool convQ8(OpContext& ctx, const nnapi_rules::ConvParams& p) {
  const Tensor& filter = ctx.inputs[1];
  const nnapi_rules::OperandDesc& fd = *filter.desc;
  kernels::ConvQuant quant;
  quant.input = quantOf(ctx.inputs[0]);
  quant.output = quantOf(ctx.outputs[0]);
  if (fd.type == ANEURALNETWORKS_TENSOR_QUANT8_SYMM_PER_CHANNEL) {
    quant.filter = {fd.channelScales.data(), uint32_t(fd.channelScales.size()), 0};
  } else {
    quant.filter = {&fd.scale, 1, fd.zeroPoint};
  }
  const F* weights = filter.as<F>();
  const int32_t* bias = ctx.inputs[2].as<int32_t>();
  const kernels::Window win = windowOf(p);
  const kernels::IntRange act = activationOn<T>(p.fuse, ctx.outputs[0]);
  const int32_t op = ctx.op;
  return withNhwc(ctx, p.nchw, [&](const NhwcIo& io) {
    const T* in = reinterpret_cast<const T*>(io.in);
    T* out = reinterpret_cast<T*>(io.out);
    switch (op) {
      case ANEURALNETWORKS_DEPTHWISE_CONV_2D:
        kernels::depthwiseConv2dQ8<T, F>(in, io.inShape, weights, bias, p.multiplier, win, quant, act, out,
                                         io.outShape);
        break;
      case ANEURALNETWORKS_TRANSPOSE_CONV_2D:
        kernels::transposeConv2dQ8<T, F>(in, io.inShape, weights, bias, win, quant, act, out, io.outShape);
        break;
      case ANEURALNETWORKS_CONV_2D:
      case ANEURALNETWORKS_GROUPED_CONV_2D:
        kernels::conv2dQ8<T, F>(in, io.inShape, weights, bias, p.groups, win, quant, act, out, io.outShape);
        break;
      default: return ctx.noKernel("convolution");
    }
    return true;
  });
}

bool convExec(OpContext& ctx) {
  const auto& p = ctx.get<nnapi_rules::ConvParams>();
  const int32_t type = ctx.inputs[0].type();
  const bool perChannel = ctx.inputs[1].type() == ANEURALNETWORKS_TENSOR_QUANT8_SYMM_PER_CHANNEL;
  switch (type) {
    case ANEURALNETWORKS_TENSOR_FLOAT32: return convF32(ctx, p);
    case kQ8A: return perChannel ? convQ8<uint8_t, int8_t>(ctx, p) : convQ8<uint8_t, uint8_t>(ctx, p);
    case kQ8S: return convQ8<int8_t, int8_t>(ctx, p);
    default: return ctx.unsupportedType(type);
  }
}

}  // namespace

void registerConvExecutors(ExecTable& table) {
  table.add(ANEURALNETWORKS_CONV_2D, convExec, {kF32, kQ8A, kQ8S});
  table.add(ANEURALNETWORKS_DEPTHWISE_CONV_2D, convExec, {kF32, kQ8A, kQ8S});
  table.add(ANEURALNETWORKS_GROUPED_CONV_2D, convExec, {kF32, kQ8A, kQ8S});
  table.add(ANEURALNETWORKS_TRANSPOSE_CONV_2D, convExec, {kF32, kQ8A, kQ8S});
}

}  // namespace nnapi_host
