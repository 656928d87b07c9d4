// What the two forms of aten::gru / aten::lstm share (recurrent.cpp unrolls cells; sequence_lstm.cpp emits NNAPI's
// UNIDIRECTIONAL_SEQUENCE_LSTM): the node read once into per-layer weights split per gate, and the operations that
// take a layer's initial state and stack the layers' final states.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "ops/lowering.h"

namespace nnc {

// A layer's weights, split per gate in PyTorch's order (GRU r, z, n; LSTM i, f, g, o): w_ih[g] [H, I],
// w_hh[g] [H, H], and the biases of the input projection (b_in) and of the hidden one (b_h) after moving what can
// be moved into b_in (for LSTM all of b_hh: b_in[g] = b_ih[g] + b_hh[g], b_h zero).
struct LayerWeights {
  std::vector<std::vector<float>> w_ih, w_hh, b_in, b_h;
  int64_t input_size = 0;
};

// The initial state of one kind (h or c) for all layers: constant values [L, N, H], or a computed tensor.
struct InitialState {
  std::optional<ValueId> tensor;
  std::vector<float> values;
};

struct Recurrent {
  bool lstm = false;
  bool batch_first = false;
  int64_t steps = 0, batch = 0, hidden = 0;
  std::vector<LayerWeights> layers;
  InitialState h0, c0;
};

// The support question both forms share: Unsupported (with the reason) unless the node is a unidirectional,
// inference-mode gru/lstm over a float32 [T,N,I] / [N,T,I] input of extents fixed at convert time.
Recurrent readRecurrent(const LoweringContext& ctx, bool lstm);

// Rows [first, first + count) of a row-major matrix of `cols` columns.
std::vector<float> rowsOf(const std::vector<float>& m, int64_t first, int64_t count, int64_t cols);

uint32_t stridedSlice(LoweringContext& ctx, uint32_t x, const std::vector<int32_t>& begin,
                      const std::vector<int32_t>& end, const std::vector<int32_t>& strides, int32_t shrink_mask);
uint32_t reshapeTo(LoweringContext& ctx, uint32_t x, const std::vector<int64_t>& shape);
// Layer l's [N, H] of a computed initial state [L, N, H] (STRIDED_SLICE shrinking axis 0).
uint32_t layerOfState(LoweringContext& ctx, const InitialState& state, size_t l, const Recurrent& r);
// The layers' final states [N, H] as [L, N, H] (CONCATENATION on axis 0 and RESHAPE).
uint32_t stackLayers(LoweringContext& ctx, std::vector<uint32_t> states, const Recurrent& r);

// Whether UNIDIRECTIONAL_SEQUENCE_LSTM computes this lstm node at the target (sequence_lstm.cpp); and its emitter.
bool sequenceLstmFits(const LoweringContext& ctx, const Recurrent& r);
void emitSequenceLstm(LoweringContext& ctx, const Recurrent& r);

}  // namespace nnc
