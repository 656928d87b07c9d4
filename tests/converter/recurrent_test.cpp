// gru and lstm as unrolled cells (sequence_lstm_test.cpp: the LSTM as NNAPI's sequence operation): gate order, biases moved into the input projection, the constant initial state
// computed at convert time, step slicing for batch_first and not.
#include <catch2/catch.hpp>

#include "lowering_harness.h"
#include "nnapi/NeuralNetworks.h"

using nnc::ConstTensor;
using nnc::test::LoweringHarness;

namespace {

using Codes = std::vector<int32_t>;
constexpr int32_t FC = ANEURALNETWORKS_FULLY_CONNECTED, SS = ANEURALNETWORKS_STRIDED_SLICE,
                  SIG = ANEURALNETWORKS_LOGISTIC, TANH = ANEURALNETWORKS_TANH, MUL = ANEURALNETWORKS_MUL,
                  ADD = ANEURALNETWORKS_ADD, SUB = ANEURALNETWORKS_SUB, CAT = ANEURALNETWORKS_CONCATENATION,
                  RESHAPE = ANEURALNETWORKS_RESHAPE;

// One-layer GRU, input size 1, hidden size 1: w_ih = (1, 2, 3), w_hh = (4, 5, 6) for r, z, n;
// b_ih = (0.1, 0.2, 0.3), b_hh = (0.4, 0.5, 0.6).
std::vector<ConstTensor> gruParams() {
  return {LoweringHarness::floatConst({3, 1}, {1, 2, 3}), LoweringHarness::floatConst({3, 1}, {4, 5, 6}),
          LoweringHarness::floatConst({3}, {0.1f, 0.2f, 0.3f}), LoweringHarness::floatConst({3}, {0.4f, 0.5f, 0.6f})};
}

// aten::gru(input, hx, params, has_biases, num_layers, dropout, train, bidirectional, batch_first)
void gru(LoweringHarness& h, nnc::ValueId x, nnc::ValueId hx, std::vector<ConstTensor> params, bool batch_first) {
  h.lower("aten::gru", {x, hx, h.constant(std::move(params)), h.boolean(true), h.integer(1), h.number(0.0),
                        h.boolean(false), h.boolean(false), h.boolean(batch_first)},
          2);
}

}  // namespace

TEST_CASE("gru from a zero state: r and z biases join the input projection, b_hn stays inside r·(...), and the "
          "first step's hidden projection is a constant",
          "[recurrent]") {
  LoweringHarness h;
  const auto x = h.tensor({2, 1, 1});  // T=2, N=1, I=1
  gru(h, x, h.floatTensor({1, 1, 1}, {0}), gruParams(), false);
  REQUIRE(h.operationCodes() == Codes{FC, FC, FC,                                           // projections
                                      SS, SS, SS, SIG, SIG, MUL, ADD, TANH, MUL, SUB,         // step 0
                                      SS, FC, SS, FC, SS, FC, ADD, SIG, ADD, SIG, MUL, ADD,   // step 1
                                      TANH, SUB, MUL, ADD,                                    //
                                      CAT, RESHAPE, RESHAPE});                                // output, h_n
  // Input projections: weights (1), (2), (3); biases 0.1 + 0.4, 0.2 + 0.5, 0.3.
  CHECK(h.floatValues(h.operation(0).inputs[1]) == std::vector<float>{1});
  CHECK(h.floatValues(h.operation(0).inputs[2]) == std::vector<float>{0.1f + 0.4f});
  CHECK(h.floatValues(h.operation(1).inputs[2]) == std::vector<float>{0.2f + 0.5f});
  CHECK(h.floatValues(h.operation(2).inputs[2]) == std::vector<float>{0.3f});
  // Step 0 takes row 0 of each projection; r·(W_hn·0 + b_hn) multiplies by the constant 0.6.
  CHECK(h.intValues(h.operation(3).inputs[1]) == std::vector<int32_t>{0, 0});
  CHECK(h.intValues(h.operation(3).inputs[2]) == std::vector<int32_t>{1, 1});
  CHECK(h.floatValues(h.operation(8).inputs[1]) == std::vector<float>{0.6f});
  // Step 1: row 1; hidden projections with weights 4, 5, 6 and biases 0, 0, 0.6.
  CHECK(h.intValues(h.operation(13).inputs[1]) == std::vector<int32_t>{1, 0});
  CHECK(h.floatValues(h.operation(14).inputs[1]) == std::vector<float>{4});
  CHECK(h.floatValues(h.operation(14).inputs[2]) == std::vector<float>{0});
  CHECK(h.floatValues(h.operation(18).inputs[1]) == std::vector<float>{6});
  CHECK(h.floatValues(h.operation(18).inputs[2]) == std::vector<float>{0.6f});
  // output [T, N, H] = [2, 1, 1], h_n [1, 1, 1].
  CHECK(h.operand(h.outputOperand(0)).dims == std::vector<uint32_t>{2, 1, 1});
  CHECK(h.operand(h.outputOperand(1)).dims == std::vector<uint32_t>{1, 1, 1});
}

TEST_CASE("gru from a given constant state computes W_h h0 + b_h at convert time", "[recurrent]") {
  LoweringHarness h;
  const auto x = h.tensor({1, 1, 1});  // one step: no slices, no CONCATENATION
  gru(h, x, h.floatTensor({1, 1, 1}, {2}), gruParams(), false);
  REQUIRE(h.operationCodes() == Codes{FC, FC, FC, ADD, SIG, ADD, SIG, MUL, ADD, TANH, SUB, MUL, ADD, RESHAPE,
                                      RESHAPE});
  CHECK(h.floatValues(h.operation(3).inputs[1]) == std::vector<float>{8});   // 4·2 + 0
  CHECK(h.floatValues(h.operation(5).inputs[1]) == std::vector<float>{10});  // 5·2 + 0
  CHECK(h.floatValues(h.operation(7).inputs[1]) == std::vector<float>{12.6f});  // 6·2 + 0.6
  CHECK(h.floatValues(h.operation(10).inputs[0]) == std::vector<float>{2});  // h - n
}

TEST_CASE("gru batch_first takes step t's rows t, t+T, ... and joins the steps along dimension 1", "[recurrent]") {
  LoweringHarness h;
  const auto x = h.tensor({2, 3, 1});  // N=2, T=3
  gru(h, x, h.floatTensor({1, 2, 1}, {0, 0}), gruParams(), true);
  const auto& first = h.operation(3);
  REQUIRE(first.type == SS);
  CHECK(h.intValues(first.inputs[1]) == std::vector<int32_t>{0, 0});
  CHECK(h.intValues(first.inputs[2]) == std::vector<int32_t>{6, 1});
  CHECK(h.intValues(first.inputs[3]) == std::vector<int32_t>{3, 1});
  const auto codes = h.operationCodes();
  const size_t cat = codes.size() - 3;
  REQUIRE(codes[cat] == CAT);
  CHECK(h.scalarInt(h.operation(cat).inputs.back()) == 1);
  CHECK(h.operand(h.outputOperand(0)).dims == std::vector<uint32_t>{2, 3, 1});
}

TEST_CASE("lstm unrolled below feature level 3: gates i, f, g, o, and from zero states c' = i·g and "
          "h' = o·tanh(c')",
          "[recurrent]") {
  LoweringHarness h(28);  // Android 9 has no UNIDIRECTIONAL_SEQUENCE_LSTM
  const auto x = h.tensor({1, 1, 1});
  std::vector<ConstTensor> params = {LoweringHarness::floatConst({4, 1}, {1, 2, 3, 4}),
                                     LoweringHarness::floatConst({4, 1}, {5, 6, 7, 8}),
                                     LoweringHarness::floatConst({4}, {1, 1, 1, 1}),
                                     LoweringHarness::floatConst({4}, {2, 2, 2, 2})};
  const auto zeros = h.floatTensor({1, 1, 1}, {0});
  h.lower("aten::lstm", {x, h.list({zeros, zeros}), h.constant(std::move(params)), h.boolean(true), h.integer(1),
                         h.number(0.0), h.boolean(false), h.boolean(false), h.boolean(false)},
          3);
  REQUIRE(h.operationCodes() == Codes{FC, FC, FC, FC, SIG, SIG, TANH, SIG, MUL, TANH, MUL, RESHAPE, RESHAPE,
                                      RESHAPE});
  CHECK(h.floatValues(h.operation(2).inputs[1]) == std::vector<float>{3});  // g's input weight
  CHECK(h.floatValues(h.operation(2).inputs[2]) == std::vector<float>{3});  // 1 + 2
  CHECK(h.operand(h.outputOperand(2)).dims == std::vector<uint32_t>{1, 1, 1});
}

TEST_CASE("gru and lstm refuse what the unrolled cells do not compute", "[recurrent]") {
  LoweringHarness h;
  const auto hx = h.floatTensor({1, 1, 1}, {0});
  const auto lower = [&](nnc::ValueId x, bool bidirectional) {
    return h.unsupportedReason("aten::gru", {x, hx, h.constant(gruParams()), h.boolean(true), h.integer(1),
                                             h.number(0.0), h.boolean(false), h.boolean(bidirectional),
                                             h.boolean(false)});
  };
  CHECK_THAT(lower(h.tensor({2, 1, 1}), true), Catch::Contains("bidirectional"));
  CHECK_THAT(lower(h.tensor({0, 1, 1}), false), Catch::Contains("fixed only at run time"));
  CHECK_THAT(lower(h.tensor({2, 1}), false), Catch::Contains("3-D input"));
  CHECK_THAT(lower(h.tensor({2, 1, 3}), false), Catch::Contains("do not match the input size"));
}
