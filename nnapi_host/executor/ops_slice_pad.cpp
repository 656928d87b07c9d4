// Executors of STRIDED_SLICE, PAD, PAD_V2, MIRROR_PAD: element moves, so every accepted operand type runs here.
#include <cstring>

#include "executor/op_context.h"
#include "kernels/data_movement.h"
#include "kernels/mirror_pad.h"
#include "nnapi/NeuralNetworks.h"

namespace nnapi_host {
namespace {

bool stridedSliceExec(OpContext& ctx) {
  const Tensor& in = ctx.inputs[0];
  const auto& p = ctx.get<nnapi_rules::SliceParams>();
  kernels::stridedSliceBytes(nnapi_rules::elementSize(in.type()), in.data, in.dims(), p.begin, p.strides, p.counts,
                             ctx.outputs[0].data);
  return true;
}

bool padExec(OpContext& ctx) {
  const Tensor& in = ctx.inputs[0];
  const auto& p = ctx.get<nnapi_rules::PadParams>();
  uint8_t fill[4] = {0, 0, 0, 0};
  switch (in.type()) {
    case ANEURALNETWORKS_TENSOR_FLOAT32: std::memcpy(fill, &p.floatValue, 4); break;
    case ANEURALNETWORKS_TENSOR_QUANT8_ASYMM: fill[0] = uint8_t(p.intValue); break;
    case ANEURALNETWORKS_TENSOR_QUANT8_ASYMM_SIGNED: fill[0] = uint8_t(int8_t(p.intValue)); break;
    default: return ctx.unsupportedType(in.type());
  }
  kernels::padBytes(nnapi_rules::elementSize(in.type()), in.data, in.dims(), p.pads, fill, ctx.outputs[0].data);
  return true;
}

bool mirrorPadExec(OpContext& ctx) {
  const Tensor& in = ctx.inputs[0];
  const auto& p = ctx.get<nnapi_rules::MirrorPadParams>();
  kernels::mirrorPadBytes(nnapi_rules::elementSize(in.type()), in.data, in.dims(), p.pads, p.reflect,
                          ctx.outputs[0].data);
  return true;
}

}  // namespace

void registerSlicePadExecutors(ExecTable& table) {
  table.add(ANEURALNETWORKS_STRIDED_SLICE, stridedSliceExec, kAnyElementType);
  table.add(ANEURALNETWORKS_PAD, padExec,
            {kF32, ANEURALNETWORKS_TENSOR_QUANT8_ASYMM, ANEURALNETWORKS_TENSOR_QUANT8_ASYMM_SIGNED});
  table.add(ANEURALNETWORKS_PAD_V2, padExec,
            {kF32, ANEURALNETWORKS_TENSOR_QUANT8_ASYMM, ANEURALNETWORKS_TENSOR_QUANT8_ASYMM_SIGNED});
  table.add(ANEURALNETWORKS_MIRROR_PAD, mirrorPadExec, kAnyElementType);
}

}  // namespace nnapi_host
