// UNIDIRECTIONAL_SEQUENCE_LSTM (FL3; AOSP's UnidirectionalSequenceLSTM.cpp): 28 inputs.
//   0 input [T,N,I] (time major) or [N,T,I]; 1..4 input-to-{input,forget,cell,output} weights [U,I];
//   5..8 recurrent-to-{input,forget,cell,output} weights [U,O]; 9..11 peephole weights [U] (optional);
//   12..15 {input,forget,cell,output} gate biases [U]; 16 projection weights [O,U], 17 projection bias [O]
//   (optional); 18 output_state_in [N,O]; 19 cell_state_in [N,U]; 20 activation (INT32: 0 none, 1 relu,
//   2 relu1, 3 relu6, 4 tanh, 5 sign bit, 6 sigmoid; TFLite's TfLiteFusedActivation, not a FuseCode); 21 cell clip, 22 projection
//   clip (FLOAT32, 0 = none); 23 time_major (BOOL); 24..27 layer-normalization weights [U] (optional).
// Outputs: 0 output [T,N,O] or [N,T,O]; from FL4 also 1 output_state_out [N,O] and 2 cell_state_out [N,U].
// The optional inputs of NNAPI's full LSTM (CIFG without the input gate, peepholes, projection, layer
// normalization) are accepted by NNAPI; nnapi_host computes the plain LSTM only and says so for the others.
#include "nnapi/NeuralNetworks.h"
#include "validation/op_check.h"

namespace nnapi_rules::detail {
namespace {

constexpr size_t kInput = 0, kInputWeights = 1, kRecurrentWeights = 5, kPeepholes = 9, kBiases = 12,
                 kProjection = 16, kOutputState = 18, kCellState = 19, kLayerNorm = 24;

// A tensor of the input's type and shape `dims`; a 0 extent on either side is left to execution.
void expectShape(OpCheck& c, size_t i, const char* role, const std::vector<uint32_t>& dims) {
  c.sameType(i, role, kInput);
  const std::vector<uint32_t>& got = c.in(i).dims;
  bool ok = got.size() == dims.size();
  for (size_t k = 0; ok && k < dims.size(); ++k) ok = got[k] == 0 || dims[k] == 0 || got[k] == dims[k];
  if (!ok) c.failInput(i, role, "shape is " + dimsToString(got) + ", expected " + dimsToString(dims));
}

void refuseOptional(OpCheck& c, size_t first, size_t count, const char* what) {
  for (size_t i = first; i < first + count; ++i) {
    if (!c.omitted(i))
      c.failInput(i, what, "is given, but nnapi_host implements the LSTM without " + std::string(what) +
                               " only: leave it out (setOperandValue with NULL)");
  }
}

void sequenceLstmRule(OpCheck& c, OpParams& params) {
  c.expectInputCount({28});
  if (c.outputCount() != 1 && c.outputCount() != 3)
    c.fail("takes 1 output, or 3 (with the states) from feature level 4, got " + std::to_string(c.outputCount()));
  const int32_t type = c.tensorType(kInput, "input");
  c.expectRank(kInput, "input", 3, 3);
  SequenceLstmParams p;
  p.activation = c.i32(20, "activation");
  if (p.activation < 0 || p.activation > 6)
    c.failInput(20, "activation", "is " + std::to_string(p.activation) +
                                      ", expected 0 (none), 1 (relu), 2 (relu1), 3 (relu6), 4 (tanh), 5 (sign bit) "
                                      "or 6 (sigmoid)");
  p.cellClip = c.floatScalar(21, "cell clip", type);
  if (p.cellClip < 0) c.failInput(21, "cell clip", "must be >= 0 (0: no clipping)");
  // The projection clip only acts on a projection, which is refused below; it is still a FLOAT32 scalar.
  if (c.floatScalar(22, "projection clip", type) < 0) c.failInput(22, "projection clip", "must be >= 0");
  p.timeMajor = c.boolean(23, "time_major");

  refuseOptional(c, kPeepholes, 3, "peephole weights");
  refuseOptional(c, kProjection, 2, "projection");
  refuseOptional(c, kLayerNorm, 4, "layer normalization");
  if (c.omitted(kInputWeights) || c.omitted(kRecurrentWeights) || c.omitted(kBiases))
    c.fail("the input gate's weights or bias are omitted (CIFG), which nnapi_host does not implement");

  const std::vector<uint32_t> in = c.rankKnown(kInput) ? c.in(kInput).dims : std::vector<uint32_t>{0, 0, 0};
  const uint32_t batch = p.timeMajor ? in[1] : in[0], inputSize = in[2];
  c.expectRank(kInputWeights + 3, "input-to-output weights", 2, 2);
  const uint32_t units = c.rankKnown(kInputWeights + 3) ? c.in(kInputWeights + 3).dims[0] : 0;
  if (units == 0) c.failInput(kInputWeights + 3, "input-to-output weights", "need a known number of units");
  static const char* const kGates[] = {"input", "forget", "cell", "output"};
  for (size_t g = 0; g < 4; ++g) {
    const std::string gate = kGates[g];
    expectShape(c, kInputWeights + g, (gate + " input weights").c_str(), {units, inputSize});
    expectShape(c, kRecurrentWeights + g, (gate + " recurrent weights").c_str(), {units, units});
    expectShape(c, kBiases + g, (gate + " gate bias").c_str(), {units});
  }
  expectShape(c, kOutputState, "output_state_in", {batch, units});
  expectShape(c, kCellState, "cell_state_in", {batch, units});

  for (size_t o = 0; o < c.outputCount(); ++o) c.outputType(o, type);
  c.out(0).dims = {in[0], in[1], units};
  if (c.outputCount() == 3) {
    c.needFeature(Feature::SequenceLstmStateOutputs);
    c.out(1).dims = {batch, units};
    c.out(2).dims = {batch, units};
  }
  params = p;
}

}  // namespace

void registerSequenceLstmRules(RuleTable& table) {
  table.add(ANEURALNETWORKS_UNIDIRECTIONAL_SEQUENCE_LSTM, sequenceLstmRule);
}

}  // namespace nnapi_rules::detail
