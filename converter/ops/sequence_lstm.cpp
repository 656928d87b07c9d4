// aten::lstm -> one UNIDIRECTIONAL_SEQUENCE_LSTM per layer (feature level 3), each layer reading the previous one's
// output sequence, where the operation fits; recurrent.cpp unrolls the cells otherwise. It fits when:
//   - the target has the operation (Android 10) and the format can write its omitted inputs (not
//     --format pytorch-nnapi, whose loader never omits an operand);
//   - c_n is not read, or the target has the operation's cell_state_out output (feature level 4, Android 11);
// bidirectional, projected (proj_size) and training-mode LSTMs are refused by readRecurrent for both forms.
//
// PyTorch's weight_ih_l{k} [4H, I] and weight_hh_l{k} [4H, H] hold the gates' rows in the order i, f, g, o; NNAPI
// takes one operand per gate in the order input, forget, cell, output (the same gates: g is NNAPI's "cell"), so
// the rows are split per gate (recurrent.cpp's splitLayer). NNAPI has one bias per gate where PyTorch has two
// (b_ih and b_hh, each added once): their sum. The cell math is PyTorch's: i, f, o = σ(...), g = tanh(...),
// c' = f·c + i·g, h' = o·tanh(c'), with activation 4 (tanh), no cell clip, no peepholes, projection or layer
// normalization (those inputs omitted). batch_first is the operation's time_major flag inverted, so no TRANSPOSE.
// h_n is each layer's last output row (STRIDED_SLICE), or the layer's output_state_out where the target has the
// state outputs; c_n its cell_state_out. Outputs nothing reads are not computed.
#include "nnapi/NeuralNetworks.h"
#include "ops/recurrent.h"

namespace nnc {
namespace {

constexpr int32_t kTanh = 4;  // the operation's activation input: TFLite's numbering, not a FuseCode

bool stateOutputs(const LoweringContext& ctx) {
  return ctx.hasFeature(nnapi_rules::Feature::SequenceLstmStateOutputs) && (ctx.outputUsed(1) || ctx.outputUsed(2));
}

// Layer l's initial state [N, H]: a constant, or the layer's slice of the computed [L, N, H].
uint32_t initialState(LoweringContext& ctx, const InitialState& state, size_t l, const Recurrent& r) {
  if (state.tensor) return layerOfState(ctx, state, l, r);
  return ctx.f32Tensor({uint32_t(r.batch), uint32_t(r.hidden)}, rowsOf(state.values, int64_t(l) * r.batch, r.batch,
                                                                       r.hidden));
}

// One layer: its output sequence and, with the state outputs, its final h and c.
std::vector<uint32_t> emitLayer(LoweringContext& ctx, const Recurrent& r, size_t l, uint32_t sequence,
                                bool with_states) {
  const LayerWeights& w = r.layers[l];
  const uint32_t h = uint32_t(r.hidden);
  // One operand stands for every input left out; NNAPI reads no dimensions of an omitted operand.
  const uint32_t omitted = ctx.model().addOmitted(ANEURALNETWORKS_TENSOR_FLOAT32, {h});
  std::vector<uint32_t> inputs = {sequence};
  for (size_t g = 0; g < 4; ++g) inputs.push_back(ctx.f32Tensor({h, uint32_t(w.input_size)}, w.w_ih[g]));
  for (size_t g = 0; g < 4; ++g) inputs.push_back(ctx.f32Tensor({h, h}, w.w_hh[g]));
  inputs.insert(inputs.end(), {omitted, omitted, omitted});  // peepholes
  for (size_t g = 0; g < 4; ++g) inputs.push_back(ctx.f32Tensor({h}, w.b_in[g]));
  inputs.insert(inputs.end(), {omitted, omitted});  // projection weights and bias
  inputs.push_back(initialState(ctx, r.h0, l, r));
  inputs.push_back(initialState(ctx, r.c0, l, r));
  inputs.insert(inputs.end(), {ctx.i32(kTanh), ctx.f32(0.0f), ctx.f32(0.0f), ctx.boolean(!r.batch_first)});
  inputs.insert(inputs.end(), {omitted, omitted, omitted, omitted});  // layer normalization
  std::vector<ir::OutputSpec> outputs(with_states ? 3 : 1);
  return ctx.emitMany(ANEURALNETWORKS_UNIDIRECTIONAL_SEQUENCE_LSTM, inputs, outputs);
}

// The last time step of a layer's output sequence, [N, H].
uint32_t lastStep(LoweringContext& ctx, const Recurrent& r, uint32_t sequence) {
  const int32_t t = int32_t(r.steps), n = int32_t(r.batch), h = int32_t(r.hidden);
  if (r.batch_first) return stridedSlice(ctx, sequence, {0, t - 1, 0}, {n, t, h}, {1, 1, 1}, 2);
  return stridedSlice(ctx, sequence, {t - 1, 0, 0}, {t, n, h}, {1, 1, 1}, 1);
}

}  // namespace

bool sequenceLstmFits(const LoweringContext& ctx, const Recurrent& r) {
  return r.lstm && ctx.hasOperation(ANEURALNETWORKS_UNIDIRECTIONAL_SEQUENCE_LSTM) &&
         ctx.hasFeature(nnapi_rules::Feature::OmittedOperand) &&
         (!ctx.outputUsed(2) || ctx.hasFeature(nnapi_rules::Feature::SequenceLstmStateOutputs));
}

void emitSequenceLstm(LoweringContext& ctx, const Recurrent& r) {
  const bool with_states = stateOutputs(ctx);
  uint32_t sequence = ctx.operandInput(0, ir::Layout::Contiguous);
  std::vector<uint32_t> last_h, last_c;
  for (size_t l = 0; l < r.layers.size(); ++l) {
    const std::vector<uint32_t> out = emitLayer(ctx, r, l, sequence, with_states);
    sequence = out[0];
    if (with_states) {
      last_h.push_back(out[1]);
      last_c.push_back(out[2]);
    } else if (ctx.outputUsed(1)) {
      last_h.push_back(lastStep(ctx, r, sequence));
    }
  }
  ctx.setOutput(0, sequence);
  if (ctx.outputUsed(1)) ctx.setOutput(1, stackLayers(ctx, last_h, r));
  if (ctx.outputUsed(2)) ctx.setOutput(2, stackLayers(ctx, last_c, r));
}

}  // namespace nnc
