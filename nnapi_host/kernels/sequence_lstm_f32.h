// UNIDIRECTIONAL_SEQUENCE_LSTM for float32 without peepholes, projection, CIFG or layer normalization, as AOSP's
// reference (LSTM.cpp's LSTMStep, run once per time step by UnidirectionalSequenceLSTM.cpp) computes it. Per step t
// and batch row b, with x the step's input row and h, c the previous state:
//   i = sigmoid(b_i + W_i x + R_i h), f = sigmoid(b_f + W_f x + R_f h), o = sigmoid(b_o + W_o x + R_o h),
//   c' = f * c + i * act(b_c + W_c x + R_c h), clipped to [-cellClip, cellClip] when cellClip > 0,
//   h' = o * act(c'); the output row of step t is h'.
#pragma once

#include <cstdint>

namespace nnapi_host::kernels {

// Per gate in NNAPI's order (input, forget, cell, output): input weights [U, I], recurrent weights [U, U], bias [U].
struct LstmGatesF32 {
  const float* inputWeights[4];
  const float* recurrentWeights[4];
  const float* bias[4];
};

struct SequenceLstmShape {
  uint32_t steps = 0, batch = 0, inputSize = 0, units = 0;
  bool timeMajor = true;  // input and output [T, N, *]; else [N, T, *]
};

// `activation` in TFLite's numbering (0 none, 1 relu, 2 relu1, 3 relu6, 4 tanh, 5 sign bit, 6 sigmoid). The final
// states go to outputState [N, U] and cellState [N, U], which start as the initial states (copied by the caller).
void sequenceLstmF32(const float* input, const LstmGatesF32& gates, SequenceLstmShape shape, int32_t activation,
                     float cellClip, float* output, float* outputState, float* cellState);

}  // namespace nnapi_host::kernels
