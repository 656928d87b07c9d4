// Executor of UNIDIRECTIONAL_SEQUENCE_LSTM (float32; validation/sequence_lstm_rules.cpp lists the inputs). The
// final states are computed whether or not the operation has its FL4 state outputs.
#include <algorithm>
#include <vector>

#include "executor/op_context.h"
#include "kernels/sequence_lstm_f32.h"
#include "nnapi/NeuralNetworks.h"

namespace nnapi_host {
namespace {

constexpr size_t kInputWeights = 1, kRecurrentWeights = 5, kBiases = 12, kOutputState = 18, kCellState = 19;

bool sequenceLstmExec(OpContext& ctx) {
  const auto& p = ctx.get<nnapi_rules::SequenceLstmParams>();
  const Tensor& input = ctx.inputs[0];
  kernels::SequenceLstmShape shape;
  shape.timeMajor = p.timeMajor;
  shape.steps = input.dims()[p.timeMajor ? 0 : 1];
  shape.batch = input.dims()[p.timeMajor ? 1 : 0];
  shape.inputSize = input.dims()[2];
  shape.units = ctx.inputs[kBiases].dims()[0];
  kernels::LstmGatesF32 gates{};
  for (size_t g = 0; g < 4; ++g) {
    gates.inputWeights[g] = ctx.inputs[kInputWeights + g].as<const float>();
    gates.recurrentWeights[g] = ctx.inputs[kRecurrentWeights + g].as<const float>();
    gates.bias[g] = ctx.inputs[kBiases + g].as<const float>();
  }
  const Tensor& h0 = ctx.inputs[kOutputState];
  const Tensor& c0 = ctx.inputs[kCellState];
  std::vector<float> h(h0.as<const float>(), h0.as<const float>() + h0.elements());
  std::vector<float> c(c0.as<const float>(), c0.as<const float>() + c0.elements());
  kernels::sequenceLstmF32(input.as<const float>(), gates, shape, p.activation, p.cellClip,
                           ctx.outputs[0].as<float>(), h.data(), c.data());
  if (ctx.outputs.size() == 3) {
    std::copy(h.begin(), h.end(), ctx.outputs[1].as<float>());
    std::copy(c.begin(), c.end(), ctx.outputs[2].as<float>());
  }
  return true;
}

}  // namespace

void registerSequenceLstmExecutors(ExecTable& table) {
  table.add(ANEURALNETWORKS_UNIDIRECTIONAL_SEQUENCE_LSTM, sequenceLstmExec, {kF32});
}

}  // namespace nnapi_host
