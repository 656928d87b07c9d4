#include "kernels/sequence_lstm_f32.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

namespace nnapi_host::kernels {
namespace {

float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }

// AOSP's ActivationFunctor, which the reference applies to the cell input and to the new cell state.
float activate(int32_t activation, float x) {
  switch (activation) {
    case 1: return std::max(0.0f, x);
    case 2: return std::min(std::max(x, -1.0f), 1.0f);
    case 3: return std::min(std::max(x, 0.0f), 6.0f);
    case 4: return std::tanh(x);
    case 5: return std::signbit(x) ? 1.0f : 0.0f;
    case 6: return sigmoid(x);
    default: return x;
  }
}

// bias + weights·x + recurrent·h for one gate's unit u.
float gateInput(const LstmGatesF32& gates, size_t gate, size_t u, const float* x, const float* h,
                const SequenceLstmShape& s) {
  float sum = gates.bias[gate][u];
  const float* w = gates.inputWeights[gate] + u * s.inputSize;
  for (size_t k = 0; k < s.inputSize; ++k) sum += w[k] * x[k];
  const float* r = gates.recurrentWeights[gate] + u * s.units;
  for (size_t k = 0; k < s.units; ++k) sum += r[k] * h[k];
  return sum;
}

}  // namespace

void sequenceLstmF32(const float* input, const LstmGatesF32& gates, SequenceLstmShape s, int32_t activation,
                     float cellClip, float* output, float* outputState, float* cellState) {
  const size_t units = s.units;
  std::vector<float> next(units);
  for (size_t t = 0; t < s.steps; ++t) {
    for (size_t b = 0; b < s.batch; ++b) {
      const size_t row = s.timeMajor ? t * s.batch + b : b * s.steps + t;
      const float* x = input + row * s.inputSize;
      float* h = outputState + b * units;
      float* c = cellState + b * units;
      for (size_t u = 0; u < units; ++u) {
        const float i = sigmoid(gateInput(gates, 0, u, x, h, s));
        const float f = sigmoid(gateInput(gates, 1, u, x, h, s));
        const float g = activate(activation, gateInput(gates, 2, u, x, h, s));
        const float o = sigmoid(gateInput(gates, 3, u, x, h, s));
        float cell = f * c[u] + i * g;
        if (cellClip > 0.0f) cell = std::min(std::max(cell, -cellClip), cellClip);
        c[u] = cell;  // unit u's cell state is read by unit u alone
        next[u] = o * activate(activation, cell);
      }
      std::copy(next.begin(), next.end(), h);  // h is read by every unit of this row, so it changes after them all
      std::copy(next.begin(), next.end(), output + row * units);
    }
  }
}

}  // namespace nnapi_host::kernels
