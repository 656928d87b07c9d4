// Executors of SPLIT and CHANNEL_SHUFFLE. They move whole elements, so every operand type the rules accept runs here.
#include "executor/op_context.h"
#include "kernels/data_movement.h"
#include "nnapi/NeuralNetworks.h"

namespace nnapi_host {
namespace {

bool splitExec(OpContext& ctx) {
  const Tensor& in = ctx.inputs[0];
  std::vector<void*> outs;
  for (const Tensor& out : ctx.outputs) outs.push_back(out.data);
  kernels::splitBytes(nnapi_rules::elementSize(in.type()), in.data, in.dims(), ctx.get<nnapi_rules::SplitParams>().axis,
                      outs);
  return true;
}

bool channelShuffleExec(OpContext& ctx) {
  const Tensor& in = ctx.inputs[0];
  const auto& p = ctx.get<nnapi_rules::ChannelShuffleParams>();
  kernels::channelShuffleBytes(nnapi_rules::elementSize(in.type()), in.data, in.dims(), p.groups, p.axis,
                               ctx.outputs[0].data);
  return true;
}

}  // namespace

void registerSplitShuffleExecutors(ExecTable& table) {
  table.add(ANEURALNETWORKS_SPLIT, splitExec, kAnyElementType);
  table.add(ANEURALNETWORKS_CHANNEL_SHUFFLE, channelShuffleExec, kAnyElementType);
}

}  // namespace nnapi_host
