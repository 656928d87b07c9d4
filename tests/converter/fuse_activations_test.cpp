// The fusion pass folds a RELU-family op into its producer's fuse operand, only when nothing else reads the
// producer's output.
#include <catch2/catch.hpp>

#include "lowering_harness.h"
#include "nnapi/NeuralNetworks.h"
#include "passes/fuse_activations.h"

using nnc::test::LoweringHarness;

TEST_CASE("ADD followed by RELU6 becomes one ADD with FUSED_RELU6", "[fuse]") {
  LoweringHarness h;
  const auto a = h.tensor({1, 4});
  const auto b = h.tensor({1, 4});
  h.lower("aten::add", {a, b, h.integer(1)});
  h.lower("aten::hardtanh", {h.outputValue(), h.number(0.0), h.number(6.0)});
  const uint32_t result = h.outputOperand();
  h.model.setOutputs({result});

  CHECK(nnc::fuseActivations(h.model) == 1);
  REQUIRE(h.operations().size() == 1);
  const auto& add = h.operation(0);
  CHECK(add.type == ANEURALNETWORKS_ADD);
  CHECK(h.scalarInt(add.inputs[2]) == ANEURALNETWORKS_FUSED_RELU6);
  CHECK(add.outputs[0] == h.model.outputs()[0]);
}

TEST_CASE("an activation whose input is also read elsewhere is not fused", "[fuse]") {
  LoweringHarness h;
  const auto a = h.tensor({1, 4});
  h.lower("aten::mul", {a, h.number(2.0)});
  const uint32_t product = h.outputOperand();
  h.lower("aten::relu", {h.outputValue()});
  const uint32_t relu = h.outputOperand();
  h.model.setOutputs({relu, product});

  CHECK(nnc::fuseActivations(h.model) == 0);
  CHECK(h.operations().size() == 2);
}

TEST_CASE("a RELU after a 1-D convolution's RESHAPE fuses into the CONV_2D, and the RESHAPE writes its output",
          "[fuse]") {
  LoweringHarness h;
  const auto x = h.tensor({1, 2, 6}, nnc::ir::Layout::ChannelsLast1d);
  h.lower("aten::conv1d", {x, h.floatTensor({2, 2, 3}, std::vector<float>(12, 1.0f)), h.none(), h.ints({1}),
                           h.ints({0}), h.ints({1}), h.integer(1)});
  h.lower("aten::relu", {h.outputValue()});
  h.model.setOutputs({h.outputOperand()});

  CHECK(nnc::fuseActivations(h.model) == 1);
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_RESHAPE, ANEURALNETWORKS_CONV_2D,
                                                     ANEURALNETWORKS_RESHAPE});
  CHECK(h.scalarInt(h.operation(1).inputs[9]) == ANEURALNETWORKS_FUSED_RELU);
  CHECK(h.operation(2).outputs[0] == h.model.outputs()[0]);
  CHECK(h.operand(h.operation(2).outputs[0]).dims == std::vector<uint32_t>{1, 4, 2});
}
