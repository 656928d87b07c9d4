// UNIDIRECTIONAL_SEQUENCE_LSTM, computed by hand from AOSP's reference (LSTM.cpp's LSTMStep per time step):
//   i = σ(b_i + W_i x + R_i h), f = σ(b_f + W_f x + R_f h), o = σ(b_o + W_o x + R_o h),
//   c' = f c + i tanh(b_c + W_c x + R_c h) (clipped to ±cell_clip when it is > 0), h' = o tanh(c').
#include <cmath>

#include <catch2/catch.hpp>

#include "model_builder.h"
#include "sequence_lstm_model.h"

using host_test::Dims;
using host_test::ModelBuilder;
using host_test::requireClose;
using host_test::lstm::Case;
using host_test::lstm::Gates;
using host_test::lstm::lstmInputs;
using host_test::lstm::scalarGates;

namespace {

float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }

// Builds and runs the operation with input x [T,N,I] (or [N,T,I]) and states h0, c0 [N,U] as model inputs; returns
// the output and, with stateOutputs, output_state_out and cell_state_out.
std::vector<std::vector<float>> runLstm(const Case& k, const Gates& g, const std::vector<float>& x,
                                        const std::vector<float>& h0, const std::vector<float>& c0) {
  ModelBuilder m;
  const std::vector<uint32_t> in = lstmInputs(m, k, g);
  const uint32_t input = in[0], hIn = in[18], cIn = in[19];
  const Dims outSeq = k.timeMajor ? Dims{k.steps, k.batch, k.units} : Dims{k.batch, k.steps, k.units};
  std::vector<uint32_t> out = {m.f32(outSeq)};
  if (k.stateOutputs) out.insert(out.end(), {m.f32({k.batch, k.units}), m.f32({k.batch, k.units})});
  REQUIRE(m.op(ANEURALNETWORKS_UNIDIRECTIONAL_SEQUENCE_LSTM, in, out) == ANEURALNETWORKS_NO_ERROR);
  REQUIRE(m.io({input, hIn, cIn}, out) == ANEURALNETWORKS_NO_ERROR);
  REQUIRE(m.finish() == ANEURALNETWORKS_NO_ERROR);
  std::vector<size_t> sizes = {size_t(k.steps) * k.batch * k.units};
  if (k.stateOutputs) sizes.insert(sizes.end(), {size_t(k.batch) * k.units, size_t(k.batch) * k.units});
  std::vector<std::vector<float>> outputs;
  REQUIRE(host_test::runF32(m.model(), {x, h0, c0}, sizes, &outputs) == ANEURALNETWORKS_NO_ERROR);
  return outputs;
}

// The two-step gates below: W_c = 2, R_c = 1, b_f = ln 3 (f = 0.75), every other parameter 0 (i = o = 0.5).
const Gates kTwoStep = scalarGates({0, 0, 2, 0}, {0, 0, 1, 0}, {0, std::log(3.0f), 0, 0});

// One row of kTwoStep over inputs x1, x2 from (h0, c0): {h1, h2, c2}.
std::vector<float> twoStepRow(float x1, float x2, float h0, float c0) {
  const float c1 = 0.75f * c0 + 0.5f * std::tanh(2 * x1 + h0), h1 = 0.5f * std::tanh(c1);
  const float c2 = 0.75f * c1 + 0.5f * std::tanh(2 * x2 + h1), h2 = 0.5f * std::tanh(c2);
  return {h1, h2, c2};
}

}  // namespace

TEST_CASE("UNIDIRECTIONAL_SEQUENCE_LSTM: one step reads each gate's and each unit's own weight rows") {
  // U = 2 units, I = 2 features, x = (1, 2), h0 = (1, 0), c0 = (0, 0.5).
  Gates g;
  g.w[0] = {1, 0, 0, 0};       // input gate: unit 0 sees x0 -> i = (σ(1), σ(0))
  g.w[1] = {0, 0, 0, 0.25f};   // forget gate: unit 1 sees x1/4 -> f = (σ(0), σ(0.5))
  g.w[2] = {0, 0.5f, 1, -1};   // cell input: (x1/2, x0 - x1) = (1, -1)
  g.w[3] = {0, 0, 0, 1};       // output gate: unit 1 sees x1 -> 2
  g.r[0] = g.r[1] = g.r[2] = {0, 0, 0, 0};
  g.r[3] = {0, 0, 1, 0};       // R_o row 1 reads h0[0] = 1 -> output gate (0, 2 + 1)
  g.b[0] = g.b[1] = g.b[2] = {0, 0};
  g.b[3] = {0.5f, 0};          // -> output gate (0.5, 3)
  const Case k{1, 1, 2, 2};
  const auto out = runLstm(k, g, {1, 2}, {1, 0}, {0, 0.5f});
  const float c0 = sigmoid(1) * std::tanh(1.0f);
  const float c1 = sigmoid(0.5f) * 0.5f + 0.5f * std::tanh(-1.0f);
  const std::vector<float> h = {sigmoid(0.5f) * std::tanh(c0), sigmoid(3) * std::tanh(c1)};
  requireClose(out[0], h);
  requireClose(out[1], h);
  requireClose(out[2], {c0, c1});
}

TEST_CASE("UNIDIRECTIONAL_SEQUENCE_LSTM: two steps carry h and c from one step to the next") {
  const Case k{2, 1, 1, 1};
  const auto out = runLstm(k, kTwoStep, {0.5f, -1}, {0.1f}, {0.4f});
  const std::vector<float> e = twoStepRow(0.5f, -1, 0.1f, 0.4f);
  requireClose(out[0], {e[0], e[1]});
  requireClose(out[1], {e[1]});
  requireClose(out[2], {e[2]});
}

TEST_CASE("UNIDIRECTIONAL_SEQUENCE_LSTM: time-major and batch-major sequences give the same rows") {
  // Batch row 0 reads (0.5, -1) from (h, c) = (0.1, 0.4), row 1 reads (1, 0.25) from (-0.2, 0).
  const std::vector<float> r0 = twoStepRow(0.5f, -1, 0.1f, 0.4f), r1 = twoStepRow(1, 0.25f, -0.2f, 0);
  Case k{2, 2, 1, 1};
  k.timeMajor = true;  // [T, N, 1]: step 0 of rows 0 and 1, then step 1
  const auto timeMajor = runLstm(k, kTwoStep, {0.5f, 1, -1, 0.25f}, {0.1f, -0.2f}, {0.4f, 0});
  requireClose(timeMajor[0], {r0[0], r1[0], r0[1], r1[1]});
  k.timeMajor = false;  // [N, T, 1]: row 0's steps, then row 1's
  const auto batchMajor = runLstm(k, kTwoStep, {0.5f, -1, 1, 0.25f}, {0.1f, -0.2f}, {0.4f, 0});
  requireClose(batchMajor[0], {r0[0], r0[1], r1[0], r1[1]});
  for (const auto* out : {&timeMajor, &batchMajor}) {
    requireClose((*out)[1], {r0[1], r1[1]});
    requireClose((*out)[2], {r0[2], r1[2]});
  }
}

TEST_CASE("UNIDIRECTIONAL_SEQUENCE_LSTM: the cell clip bounds the new cell state on both sides") {
  // One step of kTwoStep with x = 0.5, h0 = 0.1: the cell input is 0.5 tanh(1.1) ≈ 0.40. From c0 = 1 the new cell
  // state 0.75 + 0.40 is clipped to 0.3; from c0 = -1, -0.75 + 0.40 ≈ -0.35 to -0.3. Without a clip it stays.
  Case k{1, 2, 1, 1};
  k.cellClip = 0.3f;
  const auto clipped = runLstm(k, kTwoStep, {0.5f, 0.5f}, {0.1f, 0.1f}, {1, -1});
  requireClose(clipped[2], {0.3f, -0.3f});
  requireClose(clipped[0], {0.5f * std::tanh(0.3f), 0.5f * std::tanh(-0.3f)});
  k.cellClip = 0.0f;
  const float cell = 0.5f * std::tanh(1.1f);
  requireClose(runLstm(k, kTwoStep, {0.5f, 0.5f}, {0.1f, 0.1f}, {1, -1})[2], {0.75f + cell, -0.75f + cell});
}

TEST_CASE("UNIDIRECTIONAL_SEQUENCE_LSTM: one output without the FL4 state outputs") {
  Case k{2, 1, 1, 1};
  k.stateOutputs = false;
  const auto out = runLstm(k, kTwoStep, {0.5f, -1}, {0.1f}, {0.4f});
  REQUIRE(out.size() == 1);
  const std::vector<float> e = twoStepRow(0.5f, -1, 0.1f, 0.4f);
  requireClose(out[0], {e[0], e[1]});
}

TEST_CASE("UNIDIRECTIONAL_SEQUENCE_LSTM: refuses what it does not compute, and wrong shapes") {
  const Case k{2, 1, 1, 1};
  const auto refused = [&](auto change) {
    ModelBuilder m;
    std::vector<uint32_t> in = lstmInputs(m, k, kTwoStep);
    std::vector<uint32_t> out = {m.f32({2, 1, 1})};
    change(m, in, out);
    return m.op(ANEURALNETWORKS_UNIDIRECTIONAL_SEQUENCE_LSTM, in, out) == ANEURALNETWORKS_BAD_DATA;
  };
  CHECK(refused([](ModelBuilder&, std::vector<uint32_t>&, std::vector<uint32_t>&) {}) == false);
  CHECK(refused([](ModelBuilder& m, std::vector<uint32_t>& in, std::vector<uint32_t>&) {
    in[10] = m.constF32({1}, {0.5f});  // a forget-gate peephole
  }));
  CHECK(refused([](ModelBuilder& m, std::vector<uint32_t>& in, std::vector<uint32_t>&) {
    in[16] = m.constF32({1, 1}, {1});  // a projection
  }));
  CHECK(refused([](ModelBuilder& m, std::vector<uint32_t>& in, std::vector<uint32_t>&) {
    in[2] = m.omittedF32({1, 1});  // a required weight left out
  }));
  CHECK(refused([](ModelBuilder& m, std::vector<uint32_t>& in, std::vector<uint32_t>&) {
    in[7] = m.constF32({1, 2}, {1, 1});  // recurrent weights [U, 2] for U = 1 units
  }));
  CHECK(refused([](ModelBuilder& m, std::vector<uint32_t>& in, std::vector<uint32_t>&) { in[20] = m.i32(7); }));
  CHECK(refused([](ModelBuilder& m, std::vector<uint32_t>& in, std::vector<uint32_t>&) {
    in[21] = m.f32Scalar(-1);  // a negative cell clip
  }));
  CHECK(refused([](ModelBuilder& m, std::vector<uint32_t>&, std::vector<uint32_t>& out) {
    out.push_back(m.f32({1, 1}));  // two outputs: one, or three with both states
  }));
  CHECK(refused([](ModelBuilder&, std::vector<uint32_t>& in, std::vector<uint32_t>&) { in.pop_back(); }));
}
