// The pass that folds arithmetic with constants into weights and biases: hand-built models, the folded constants
// computed by hand.
#include <catch2/catch.hpp>

#include <cstring>
#include <vector>

#include "ir/model.h"
#include "nnapi/NeuralNetworks.h"
#include "passes/absorb_constants.h"

using nnc::ir::Layout;
using nnc::ir::Model;

namespace {

constexpr int32_t F32 = ANEURALNETWORKS_TENSOR_FLOAT32;

std::vector<float> floatsOf(const Model& m, uint32_t operand) {
  size_t n = 1;
  for (uint32_t d : m.operands()[operand].dims) n *= d;
  std::vector<float> v(n);
  std::memcpy(v.data(), m.constantData(operand), n * sizeof(float));
  return v;
}

int32_t intOf(const Model& m, uint32_t operand) {
  int32_t v;
  std::memcpy(&v, m.constantData(operand), sizeof v);
  return v;
}

uint32_t constant(Model& m, std::vector<uint32_t> dims, const std::vector<float>& values) {
  return m.addTensorFloat32(std::move(dims), values, Layout::Contiguous, "c");
}

// A 1x1 CONV_2D [1,1,1,2] -> [1,1,1,2] with filter [[1,2],[3,4]] (output channel major) and bias [10, 20].
uint32_t conv(Model& m, uint32_t x, int32_t fuse = ANEURALNETWORKS_FUSED_NONE) {
  const uint32_t filter = constant(m, {2, 1, 1, 2}, {1, 2, 3, 4});
  const uint32_t bias = constant(m, {2}, {10, 20});
  std::vector<uint32_t> inputs{x, filter, bias};
  for (int32_t v : {0, 0, 0, 0, 1, 1, fuse}) inputs.push_back(m.addScalarInt32(v));
  return m.addOperation(ANEURALNETWORKS_CONV_2D, inputs, nnc::ir::OutputSpec{}, "conv");
}

uint32_t binary(Model& m, int32_t op, uint32_t a, uint32_t b, int32_t fuse = ANEURALNETWORKS_FUSED_NONE) {
  std::vector<uint32_t> inputs{a, b};
  if (op != ANEURALNETWORKS_MAXIMUM) inputs.push_back(m.addScalarInt32(fuse));
  return m.addOperation(op, inputs, nnc::ir::OutputSpec{}, "binary");
}

std::vector<int32_t> codes(const Model& m) {
  std::vector<int32_t> out;
  for (const auto& op : m.operations()) out.push_back(op.type);
  return out;
}

}  // namespace

TEST_CASE("ADD of a constant after a convolution goes into its bias, with the ADD's activation", "[absorb]") {
  Model m(29);
  const uint32_t x = m.addInput(F32, {1, 1, 1, 2}, Layout::ChannelsLast, "x");
  const uint32_t y = binary(m, ANEURALNETWORKS_ADD, conv(m, x), constant(m, {1}, {3}), ANEURALNETWORKS_FUSED_RELU6);
  m.setOutputs({y});
  CHECK(nnc::absorbConstants(m) == 1);
  REQUIRE(codes(m) == std::vector<int32_t>{ANEURALNETWORKS_CONV_2D});
  const auto& c = m.operations()[0];
  CHECK(floatsOf(m, c.inputs[2]) == std::vector<float>{13, 23});
  CHECK(floatsOf(m, c.inputs[1]) == std::vector<float>{1, 2, 3, 4});
  CHECK(intOf(m, c.inputs[9]) == ANEURALNETWORKS_FUSED_RELU6);
  CHECK(c.outputs[0] == m.outputs()[0]);
}

TEST_CASE("MUL and DIV by a per-channel constant after a convolution scale its filter and bias", "[absorb]") {
  Model m(29);
  const uint32_t x = m.addInput(F32, {1, 1, 1, 2}, Layout::ChannelsLast, "x");
  const uint32_t scaled = binary(m, ANEURALNETWORKS_MUL, constant(m, {1, 1, 1, 2}, {2, -1}), conv(m, x));
  const uint32_t y = binary(m, ANEURALNETWORKS_DIV, scaled, constant(m, {1}, {4}));
  m.setOutputs({y});
  CHECK(nnc::absorbConstants(m) == 2);
  REQUIRE(codes(m) == std::vector<int32_t>{ANEURALNETWORKS_CONV_2D});
  const auto& c = m.operations()[0];
  // channel 0 * 2 / 4, channel 1 * -1 / 4
  CHECK(floatsOf(m, c.inputs[1]) == std::vector<float>{0.5f, 1, -0.75f, -1});
  CHECK(floatsOf(m, c.inputs[2]) == std::vector<float>{5, -5});
}

TEST_CASE("SUB of a constant after FULLY_CONNECTED goes into its bias, a constant first does not", "[absorb]") {
  Model m(29);
  const uint32_t x = m.addInput(F32, {1, 2}, Layout::Contiguous, "x");
  const uint32_t fc = m.addOperation(ANEURALNETWORKS_FULLY_CONNECTED,
                                     {x, constant(m, {2, 2}, {1, 2, 3, 4}), constant(m, {2}, {10, 20}),
                                      m.addScalarInt32(ANEURALNETWORKS_FUSED_NONE)},
                                     nnc::ir::OutputSpec{}, "fc");
  SECTION("fc - c") {
    m.setOutputs({binary(m, ANEURALNETWORKS_SUB, fc, constant(m, {2}, {1, 2}))});
    CHECK(nnc::absorbConstants(m) == 1);
    REQUIRE(codes(m) == std::vector<int32_t>{ANEURALNETWORKS_FULLY_CONNECTED});
    CHECK(floatsOf(m, m.operations()[0].inputs[2]) == std::vector<float>{9, 18});
  }
  SECTION("c - fc is not a bias") {
    m.setOutputs({binary(m, ANEURALNETWORKS_SUB, constant(m, {2}, {1, 2}), fc)});
    CHECK(nnc::absorbConstants(m) == 0);
    CHECK(m.operations().size() == 2);
  }
}

TEST_CASE("nothing is folded into a producer whose output is read elsewhere, is an output or has an activation",
          "[absorb]") {
  SECTION("read twice") {
    Model m(29);
    const uint32_t x = m.addInput(F32, {1, 1, 1, 2}, Layout::ChannelsLast, "x");
    const uint32_t c = conv(m, x);
    const uint32_t y = binary(m, ANEURALNETWORKS_ADD, c, constant(m, {1}, {3}));
    m.setOutputs({binary(m, ANEURALNETWORKS_MUL, y, c)});
    CHECK(nnc::absorbConstants(m) == 0);
  }
  SECTION("a model output") {
    Model m(29);
    const uint32_t x = m.addInput(F32, {1, 1, 1, 2}, Layout::ChannelsLast, "x");
    const uint32_t c = conv(m, x);
    m.setOutputs({c, binary(m, ANEURALNETWORKS_ADD, c, constant(m, {1}, {3}))});
    CHECK(nnc::absorbConstants(m) == 0);
  }
  SECTION("a fused activation") {
    Model m(29);
    const uint32_t x = m.addInput(F32, {1, 1, 1, 2}, Layout::ChannelsLast, "x");
    m.setOutputs({binary(m, ANEURALNETWORKS_MUL, conv(m, x, ANEURALNETWORKS_FUSED_RELU), constant(m, {1}, {2}))});
    CHECK(nnc::absorbConstants(m) == 0);
  }
  SECTION("a constant that is not one per output channel") {
    Model m(29);
    const uint32_t x = m.addInput(F32, {1, 2, 1, 2}, Layout::ChannelsLast, "x");
    m.setOutputs({binary(m, ANEURALNETWORKS_ADD, conv(m, x), constant(m, {2, 1, 1}, {1, 2}))});
    CHECK(nnc::absorbConstants(m) == 0);
  }
}

TEST_CASE("a scalar MUL reaching a convolution only through a MUL and a pooling goes into its filter", "[absorb]") {
  // squeeze-excite as hardsigmoid leaves it: y = x * (h * 1/6), then the projection convolution of y
  Model m(29);
  const uint32_t x = m.addInput(F32, {1, 1, 1, 2}, Layout::ChannelsLast, "x");
  const uint32_t h = m.addInput(F32, {1, 1, 1, 2}, Layout::ChannelsLast, "h");
  const uint32_t gate = binary(m, ANEURALNETWORKS_MUL, h, constant(m, {1}, {0.25f}));
  const uint32_t y = binary(m, ANEURALNETWORKS_MUL, x, gate);
  SECTION("into the convolution") {
    m.setOutputs({conv(m, y, ANEURALNETWORKS_FUSED_RELU)});
    CHECK(nnc::absorbConstants(m) == 1);
    REQUIRE(codes(m) == std::vector<int32_t>{ANEURALNETWORKS_MUL, ANEURALNETWORKS_CONV_2D});
    CHECK(m.operations()[0].inputs[0] == 0);  // x
    CHECK(m.operations()[0].inputs[1] == 1);  // h itself
    CHECK(floatsOf(m, m.operations()[1].inputs[1]) == std::vector<float>{0.25f, 0.5f, 0.75f, 1});
    CHECK(floatsOf(m, m.operations()[1].inputs[2]) == std::vector<float>{10, 20});  // the bias is not scaled
  }
  SECTION("not when the scaled value also reaches an ADD or is an output") {
    const uint32_t c = conv(m, y);
    m.setOutputs({binary(m, ANEURALNETWORKS_ADD, c, y)});
    CHECK(nnc::absorbConstants(m) == 0);
    Model n = m;
    n.setOutputs({c, y});
    CHECK(nnc::absorbConstants(n) == 0);
  }
}
