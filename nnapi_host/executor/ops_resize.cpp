// Executors of RESIZE_NEAREST_NEIGHBOR (an element move: any type) and RESIZE_BILINEAR (float32).
#include "executor/layout.h"
#include "executor/quant_support.h"
#include "kernels/data_movement.h"
#include "kernels/quant/resize_q8.h"
#include "kernels/resize_bilinear_f32.h"
#include "nnapi/NeuralNetworks.h"

namespace nnapi_host {
namespace {

bool resizeExec(OpContext& ctx) {
  const auto& p = ctx.get<nnapi_rules::ResizeParams>();
  const int32_t type = ctx.inputs[0].type();
  const bool nearest = ctx.op == ANEURALNETWORKS_RESIZE_NEAREST_NEIGHBOR;
  if (!nearest && ctx.op != ANEURALNETWORKS_RESIZE_BILINEAR) return ctx.noKernel("resize");
  return withNhwc(ctx, p.nchw, [&](const NhwcIo& io) {
    if (nearest)
      kernels::resizeNearestBytes(nnapi_rules::elementSize(type), io.in, io.inShape, p.outH, p.outW, p.alignCorners,
                                  p.halfPixelCenters, io.out);
    else if (type == kQ8A)
      kernels::resizeBilinearQ8<uint8_t>(io.in, io.inShape, p.outH, p.outW, p.alignCorners, p.halfPixelCenters, io.out);
    else if (type == kQ8S)
      kernels::resizeBilinearQ8<int8_t>(reinterpret_cast<const int8_t*>(io.in), io.inShape, p.outH, p.outW,
                                        p.alignCorners, p.halfPixelCenters, reinterpret_cast<int8_t*>(io.out));
    else
      kernels::resizeBilinearF32(reinterpret_cast<const float*>(io.in), io.inShape, p.outH, p.outW, p.alignCorners,
                                 p.halfPixelCenters, reinterpret_cast<float*>(io.out));
    return true;
  });
}

}  // namespace

void registerResizeExecutors(ExecTable& table) {
  table.add(ANEURALNETWORKS_RESIZE_BILINEAR, resizeExec, {kF32, kQ8A, kQ8S});
  table.add(ANEURALNETWORKS_RESIZE_NEAREST_NEIGHBOR, resizeExec, kAnyElementType);
}

}  // namespace nnapi_host
