// Executors of DEPTH_TO_SPACE and SPACE_TO_DEPTH: element moves, so any type the rules accept.
#include "executor/layout.h"
#include "kernels/depth_space.h"
#include "nnapi/NeuralNetworks.h"

namespace nnapi_host {
namespace {

bool blockExec(OpContext& ctx) {
  const auto& p = ctx.get<nnapi_rules::BlockParams>();
  const size_t elementSize = nnapi_rules::elementSize(ctx.inputs[0].type());
  const bool toSpace = ctx.op == ANEURALNETWORKS_DEPTH_TO_SPACE;
  if (!toSpace && ctx.op != ANEURALNETWORKS_SPACE_TO_DEPTH) return ctx.noKernel("depth/space block move");
  return withNhwc(ctx, p.nchw, [&](const NhwcIo& io) {
    if (toSpace)
      kernels::depthToSpaceBytes(elementSize, io.in, io.inShape, p.block, io.out);
    else
      kernels::spaceToDepthBytes(elementSize, io.in, io.inShape, p.block, io.out);
    return true;
  });
}

}  // namespace

void registerDepthSpaceExecutors(ExecTable& table) {
  table.add(ANEURALNETWORKS_DEPTH_TO_SPACE, blockExec, kAnyElementType);
  table.add(ANEURALNETWORKS_SPACE_TO_DEPTH, blockExec, kAnyElementType);
}

}  // namespace nnapi_host
