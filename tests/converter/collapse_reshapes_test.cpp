// The RESHAPE-chain pass: consecutive 1-D layers' [N,L,C] -> [N,1,L,C] round trips cancel; what a model output or
// another reader needs stays.
#include <catch2/catch.hpp>

#include "lowering_harness.h"
#include "nnapi/NeuralNetworks.h"
#include "passes/collapse_reshapes.h"

using nnc::ir::Layout;
using nnc::test::LoweringHarness;

namespace {

// conv1d (2 -> 2 channels, kernel 1) on a [1,2,6] map, then max_pool1d(2) of its output; returns the conv's
// [N,L,C] output operand.
uint32_t convThenPool(LoweringHarness& h) {
  const auto x = h.tensor({1, 2, 6}, Layout::ChannelsLast1d);
  h.lower("aten::conv1d", {x, h.floatTensor({2, 2, 1}, {1, 0, 0, 1}), h.none(), h.ints({1}), h.ints({0}),
                           h.ints({1}), h.integer(1)});
  const uint32_t conv_output = h.outputOperand();
  const nnc::ValueId conv = h.none();
  h.state.values[conv] = h.output();
  h.lower("aten::max_pool1d", {conv, h.ints({2}), h.ints({}), h.ints({0}), h.ints({1}), h.boolean(false)});
  return conv_output;
}

}  // namespace

TEST_CASE("a conv1d's RESHAPE back to [N,L,C] and the pool's RESHAPE to [N,1,L,C] cancel", "[collapse_reshapes]") {
  LoweringHarness h;
  convThenPool(h);
  h.model.setOutputs({h.outputOperand()});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_RESHAPE, ANEURALNETWORKS_CONV_2D,
                                                     ANEURALNETWORKS_RESHAPE, ANEURALNETWORKS_RESHAPE,
                                                     ANEURALNETWORKS_MAX_POOL_2D, ANEURALNETWORKS_RESHAPE});
  CHECK(nnc::collapseReshapes(h.model) == 2);
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_RESHAPE, ANEURALNETWORKS_CONV_2D,
                                                     ANEURALNETWORKS_MAX_POOL_2D, ANEURALNETWORKS_RESHAPE});
  CHECK(h.operation(2).inputs[0] == h.operation(1).outputs[0]);
  CHECK(h.operand(h.model.outputs()[0]).dims == std::vector<uint32_t>{1, 3, 2});
}

TEST_CASE("a RESHAPE whose output is a model output stays, and the next RESHAPE reads past it", "[collapse_reshapes]") {
  LoweringHarness h;
  const uint32_t conv_output = convThenPool(h);
  h.model.setOutputs({conv_output, h.outputOperand()});
  CHECK(nnc::collapseReshapes(h.model) == 1);
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_RESHAPE, ANEURALNETWORKS_CONV_2D,
                                                     ANEURALNETWORKS_RESHAPE, ANEURALNETWORKS_MAX_POOL_2D,
                                                     ANEURALNETWORKS_RESHAPE});
  CHECK(h.operation(2).outputs[0] == h.model.outputs()[0]);
  CHECK(h.operation(3).inputs[0] == h.operation(1).outputs[0]);
}
