// UNIDIRECTIONAL_SEQUENCE_LSTM's 28 inputs built with ModelBuilder, for the operation's tests
// (op_sequence_lstm_tests.cpp) and the emulated feature level ones (emulated_level_tests.cpp).
#pragma once

#include <vector>

#include "model_builder.h"

namespace host_test::lstm {

// One layer's parameters per gate (input, forget, cell, output): W [U, I], R [U, U], b [U].
struct Gates {
  std::vector<float> w[4], r[4], b[4];
};

// Gates of one unit over one input feature: W = w, R = r, b = b per gate.
inline Gates scalarGates(const float (&w)[4], const float (&r)[4], const float (&b)[4]) {
  Gates g;
  for (int k = 0; k < 4; ++k) g.w[k] = {w[k]}, g.r[k] = {r[k]}, g.b[k] = {b[k]};
  return g;
}

struct Case {
  uint32_t steps, batch, inputSize, units;
  bool timeMajor = true;
  float cellClip = 0.0f;
  bool stateOutputs = true;
};

// The operation's 28 inputs: input x [T,N,I] (or [N,T,I]) and states h0, c0 [N,U] as model operands, the gates'
// constants, activation tanh, and every optional input omitted.
inline std::vector<uint32_t> lstmInputs(ModelBuilder& m, const Case& k, const Gates& g) {
  const Dims seq = k.timeMajor ? Dims{k.steps, k.batch, k.inputSize} : Dims{k.batch, k.steps, k.inputSize};
  std::vector<uint32_t> in = {m.f32(seq)};
  for (int q = 0; q < 4; ++q) in.push_back(m.constF32({k.units, k.inputSize}, g.w[q]));
  for (int q = 0; q < 4; ++q) in.push_back(m.constF32({k.units, k.units}, g.r[q]));
  for (int q = 0; q < 3; ++q) in.push_back(m.omittedF32({k.units}));  // no peepholes
  for (int q = 0; q < 4; ++q) in.push_back(m.constF32({k.units}, g.b[q]));
  in.push_back(m.omittedF32({k.units, k.units}));  // no projection
  in.push_back(m.omittedF32({k.units}));
  in.insert(in.end(), {m.f32({k.batch, k.units}), m.f32({k.batch, k.units}), m.i32(4), m.f32Scalar(k.cellClip),
                       m.f32Scalar(0.0f), m.boolean(k.timeMajor)});
  for (int q = 0; q < 4; ++q) in.push_back(m.omittedF32({k.units}));  // no layer normalization
  return in;
}

}  // namespace host_test::lstm
