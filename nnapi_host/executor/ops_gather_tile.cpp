// Executors of GATHER and TILE: element moves, so every operand type the rules accept runs here.
#include "executor/op_context.h"
#include "kernels/gather_tile.h"
#include "nnapi/NeuralNetworks.h"

namespace nnapi_host {
namespace {

bool gatherExec(OpContext& ctx) {
  const Tensor& in = ctx.inputs[0];
  const Tensor& indices = ctx.inputs[2];
  const uint32_t axis = ctx.get<nnapi_rules::GatherParams>().axis;
  if (!kernels::gatherBytes(nnapi_rules::elementSize(in.type()), in.data, in.dims(), axis, indices.as<int32_t>(),
                            indices.elements(), ctx.outputs[0].data))
    return ctx.fail("GATHER: an index is outside [0, " + std::to_string(in.dims()[axis]) + "), the extent of axis " +
                    std::to_string(axis));
  return true;
}

bool tileExec(OpContext& ctx) {
  const Tensor& in = ctx.inputs[0];
  kernels::tileBytes(nnapi_rules::elementSize(in.type()), in.data, in.dims(),
                     ctx.get<nnapi_rules::TileParams>().multiples, ctx.outputs[0].data);
  return true;
}

}  // namespace

void registerGatherTileExecutors(ExecTable& table) {
  table.add(ANEURALNETWORKS_GATHER, gatherExec, kAnyElementType);
  table.add(ANEURALNETWORKS_TILE, tileExec, kAnyElementType);
}

}  // namespace nnapi_host
