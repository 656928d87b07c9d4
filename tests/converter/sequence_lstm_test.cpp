// lstm as NNAPI's UNIDIRECTIONAL_SEQUENCE_LSTM: one operation per layer, PyTorch's [4H, *] weights split per gate,
// b_ih + b_hh per gate, time_major from batch_first, h_n from the last step or the state outputs, and the unrolled
// form (recurrent_test.cpp) where the operation does not fit.
#include <algorithm>

#include <catch2/catch.hpp>

#include "lowering_harness.h"
#include "nnapi/NeuralNetworks.h"

using nnc::ConstTensor;
using nnc::test::LoweringHarness;

namespace {

using Codes = std::vector<int32_t>;
constexpr int32_t LSTM = ANEURALNETWORKS_UNIDIRECTIONAL_SEQUENCE_LSTM, SS = ANEURALNETWORKS_STRIDED_SLICE,
                  CAT = ANEURALNETWORKS_CONCATENATION, RESHAPE = ANEURALNETWORKS_RESHAPE,
                  FC = ANEURALNETWORKS_FULLY_CONNECTED;

// Input size 1, hidden size 1, per layer: w_ih = (1, 2, 3, 4), w_hh = (5, 6, 7, 8) in PyTorch's i, f, g, o order;
// b_ih = (0.5, 0.25, 0.125, 2), b_hh = (1, 2, 3, 4). A second layer reads the first one's H = 1 outputs alike.
std::vector<ConstTensor> lstmParams(int layers = 1) {
  std::vector<ConstTensor> params;
  for (int l = 0; l < layers; ++l) {
    params.push_back(LoweringHarness::floatConst({4, 1}, {1, 2, 3, 4}));
    params.push_back(LoweringHarness::floatConst({4, 1}, {5, 6, 7, 8}));
    params.push_back(LoweringHarness::floatConst({4}, {0.5f, 0.25f, 0.125f, 2}));
    params.push_back(LoweringHarness::floatConst({4}, {1, 2, 3, 4}));
  }
  return params;
}

// aten::lstm(input, [h0, c0], params, has_biases, num_layers, dropout, train, bidirectional, batch_first)
void lstm(LoweringHarness& h, nnc::ValueId x, nnc::ValueId h0, nnc::ValueId c0, int layers, bool batch_first) {
  h.lower("aten::lstm", {x, h.list({h0, c0}), h.constant(lstmParams(layers)), h.boolean(true), h.integer(layers),
                         h.number(0.0), h.boolean(false), h.boolean(false), h.boolean(batch_first)},
          3);
}

bool boolValue(const LoweringHarness& h, uint32_t operand) { return h.bytes(operand).at(0) != 0; }

}  // namespace

TEST_CASE("lstm becomes one UNIDIRECTIONAL_SEQUENCE_LSTM: weights split per gate, b_ih + b_hh, time major",
          "[recurrent]") {
  LoweringHarness h(29);
  h.output_used = {true, false, false};  // only the output sequence is read
  const auto x = h.tensor({3, 1, 1});   // T=3, N=1, I=1
  const auto zeros = h.floatTensor({1, 1, 1}, {0});
  lstm(h, x, zeros, zeros, 1, false);
  REQUIRE(h.operationCodes() == Codes{LSTM});
  const auto& op = h.operation(0);
  REQUIRE(op.inputs.size() == 28);
  CHECK(op.inputs[0] == h.operandOf(x));
  // NNAPI's input, forget, cell, output gates are PyTorch's i, f, g, o rows.
  for (size_t g = 0; g < 4; ++g) {
    CHECK(h.floatValues(op.inputs[1 + g]) == std::vector<float>{float(1 + g)});
    CHECK(h.floatValues(op.inputs[5 + g]) == std::vector<float>{float(5 + g)});
  }
  CHECK(h.floatValues(op.inputs[12]) == std::vector<float>{1.5f});
  CHECK(h.floatValues(op.inputs[13]) == std::vector<float>{2.25f});
  CHECK(h.floatValues(op.inputs[14]) == std::vector<float>{3.125f});
  CHECK(h.floatValues(op.inputs[15]) == std::vector<float>{6});
  for (size_t omitted : {9, 10, 11, 16, 17, 24, 25, 26, 27}) CHECK(h.model.isOmitted(op.inputs[omitted]));
  CHECK(h.floatValues(op.inputs[18]) == std::vector<float>{0});  // h0, c0: constants
  CHECK(h.floatValues(op.inputs[19]) == std::vector<float>{0});
  CHECK(h.scalarInt(op.inputs[20]) == 4);  // tanh
  CHECK(h.scalarFloat(op.inputs[21]) == 0.0f);
  CHECK(h.scalarFloat(op.inputs[22]) == 0.0f);
  CHECK(boolValue(h, op.inputs[23]));  // time major
  CHECK(op.outputs.size() == 1);
  CHECK(h.outputOperand(0) == op.outputs[0]);
  CHECK(h.operand(op.outputs[0]).dims == std::vector<uint32_t>{3, 1, 1});
}

TEST_CASE("lstm batch_first is time_major false, and h_n below feature level 4 is the last step's row",
          "[recurrent]") {
  LoweringHarness h(29);
  h.output_used = {true, true, false};
  const auto x = h.tensor({2, 3, 1});  // N=2, T=3
  const auto zeros = h.floatTensor({1, 2, 1}, {0, 0});
  lstm(h, x, zeros, zeros, 1, true);
  REQUIRE(h.operationCodes() == Codes{LSTM, SS, RESHAPE});
  CHECK_FALSE(boolValue(h, h.operation(0).inputs[23]));
  CHECK(h.operand(h.operation(0).outputs[0]).dims == std::vector<uint32_t>{2, 3, 1});
  // [N, T, H] -> step T-1 of every row, dimension 1 shrunk: [N, H].
  const auto& last = h.operation(1);
  CHECK(h.intValues(last.inputs[1]) == std::vector<int32_t>{0, 2, 0});
  CHECK(h.intValues(last.inputs[2]) == std::vector<int32_t>{2, 3, 1});
  CHECK(h.scalarInt(last.inputs[6]) == 2);
  CHECK(h.operand(h.outputOperand(1)).dims == std::vector<uint32_t>{1, 2, 1});
}

TEST_CASE("lstm of two layers from computed states chains the layers and, at feature level 4, reads h_n and c_n "
          "from the state outputs",
          "[recurrent]") {
  LoweringHarness h(30);
  const auto x = h.tensor({4, 1, 1});
  const auto h0 = h.tensor({2, 1, 1}), c0 = h.tensor({2, 1, 1});
  lstm(h, x, h0, c0, 2, false);
  REQUIRE(h.operationCodes() == Codes{SS, SS, LSTM, SS, SS, LSTM, CAT, RESHAPE, CAT, RESHAPE});
  const auto& first = h.operation(2);
  const auto& second = h.operation(5);
  CHECK(first.inputs[18] == h.operation(0).outputs[0]);  // layer 0's slice of h0
  CHECK(first.inputs[19] == h.operation(1).outputs[0]);
  CHECK(h.intValues(h.operation(3).inputs[1]) == std::vector<int32_t>{1, 0, 0});  // layer 1's slice
  CHECK(second.inputs[0] == first.outputs[0]);
  REQUIRE(first.outputs.size() == 3);
  REQUIRE(second.outputs.size() == 3);
  // h_n = [h of layer 0, h of layer 1], c_n likewise.
  CHECK(h.operation(6).inputs == std::vector<uint32_t>{first.outputs[1], second.outputs[1], h.operation(6).inputs[2]});
  CHECK(h.operation(8).inputs == std::vector<uint32_t>{first.outputs[2], second.outputs[2], h.operation(8).inputs[2]});
  CHECK(h.outputOperand(0) == second.outputs[0]);
  CHECK(h.operand(h.outputOperand(2)).dims == std::vector<uint32_t>{2, 1, 1});
}

TEST_CASE("lstm stays unrolled where the sequence operation does not fit", "[recurrent]") {
  const auto loweredCodes = [](LoweringHarness& h) {
    const auto x = h.tensor({2, 1, 1});
    const auto zeros = h.floatTensor({1, 1, 1}, {0});
    lstm(h, x, zeros, zeros, 1, false);
    return h.operationCodes();
  };
  const auto unrolled = [](const Codes& codes) {
    return std::count(codes.begin(), codes.end(), LSTM) == 0 && std::count(codes.begin(), codes.end(), FC) > 0;
  };
  SECTION("c_n is read and the target lacks cell_state_out (feature level 4)") {
    LoweringHarness h(29);
    CHECK(unrolled(loweredCodes(h)));
  }
  SECTION("the target lacks the operation (feature level 3)") {
    LoweringHarness h(28);
    h.output_used = {true, false, false};
    CHECK(unrolled(loweredCodes(h)));
  }
  SECTION("--format pytorch-nnapi cannot omit its optional inputs") {
    LoweringHarness h(30);
    h.state.format = nnc::TargetFormat::PyTorchNnapi;
    CHECK(unrolled(loweredCodes(h)));
  }
  SECTION("c_n not read at feature level 3") {
    LoweringHarness h(29);
    h.output_used = {true, true, false};
    CHECK(loweredCodes(h) == Codes{LSTM, SS, RESHAPE});
  }
}
