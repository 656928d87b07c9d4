// Extents fixed only at run time (--input -1,...; 0 in the shapes lowerings read): reshapes keep them as RESHAPE's
// -1, fully-connected layers and means carry them through, and what would need their value at convert time is
// refused with the reason. The IR accepts them in model inputs from feature level 3 and never in constants.
#include <catch2/catch.hpp>

#include "lowering_harness.h"
#include "nnapi/NeuralNetworks.h"

using nnc::ir::Layout;
using nnc::test::LoweringHarness;

TEST_CASE("a run-time batch flows through flatten and linear as RESHAPE's -1", "[shape][run_time_extent]") {
  LoweringHarness h;
  const auto x = h.tensor({0, 8, 6, 6}, Layout::ChannelsLast);
  h.lower("aten::flatten", {x, h.integer(1), h.integer(-1)});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_RESHAPE});
  CHECK(h.intValues(h.operation(0).inputs[1]) == std::vector<int32_t>{-1, 288});
  const uint32_t flat = h.outputOperand();
  CHECK(h.operand(flat).dims == std::vector<uint32_t>{0, 288});
  CHECK(h.operand(flat).layout == Layout::ChannelsLastFlattened);

  const auto y = h.tensor({0, 288}, Layout::ChannelsLastFlattened, {8, 6, 6});
  h.lower("aten::linear", {y, h.constant(LoweringHarness::floatConst({4, 288}, std::vector<float>(4 * 288, 0.5f))),
                           h.none()});
  CHECK(h.operationCodes().back() == ANEURALNETWORKS_FULLY_CONNECTED);
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{0, 4});
}

TEST_CASE("view with -1 of a tensor with a run-time extent leaves the inferred extent to RESHAPE",
          "[shape][run_time_extent]") {
  LoweringHarness h;
  const auto x = h.tensor({0, 6});
  h.lower("aten::view", {x, h.ints({-1, 3})});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_RESHAPE});
  CHECK(h.intValues(h.operation(0).inputs[1]) == std::vector<int32_t>{-1, 3});
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{0, 3});
}

TEST_CASE("a fully-connected layer over [N, T, features] with N fixed at run time restores [N, T, units]",
          "[shape][run_time_extent]") {
  LoweringHarness h;
  const auto x = h.tensor({0, 5, 3});
  h.lower("aten::linear", {x, h.constant(LoweringHarness::floatConst({2, 3}, std::vector<float>(6, 1.0f))), h.none()});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_FULLY_CONNECTED, ANEURALNETWORKS_RESHAPE});
  CHECK(h.intValues(h.operation(1).inputs[1]) == std::vector<int32_t>{-1, 5, 2});
}

TEST_CASE("a mean over H and W keeps the run-time batch", "[reduction][run_time_extent]") {
  LoweringHarness h;
  const auto x = h.tensor({0, 8, 4, 4}, Layout::ChannelsLast);
  h.lower("aten::mean", {x, h.ints({2, 3}), h.boolean(false), h.none()});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_MEAN});
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{0, 8});
}

TEST_CASE("what needs a run-time extent at convert time is refused with the reason", "[shape][run_time_extent]") {
  LoweringHarness h;
  const auto x = h.tensor({0, 2, 6});
  CHECK_THAT(h.unsupportedReason("aten::size", {x, h.integer(0)}),
             Catch::Contains("dimension 0 is fixed only at run time"));
  CHECK_THAT(h.unsupportedReason("aten::size", {x}), Catch::Contains("fixed only at run time"));
  CHECK_THAT(h.unsupportedReason("aten::numel", {x}), Catch::Contains("fixed only at run time"));
  CHECK_THAT(h.unsupportedReason("aten::view", {x, h.ints({2, 12})}),
             Catch::Contains("fixes every dimension") && Catch::Contains("RESHAPE would fix it"));
  const auto two = h.tensor({0, 0, 6});
  CHECK_THAT(h.unsupportedReason("aten::linear", {two, h.constant(LoweringHarness::floatConst({2, 6}, std::vector<float>(12, 1.0f))),
                                                  h.none()}),
             Catch::Contains("more than one dimension"));
  const auto map = h.tensor({1, 8, 0, 4}, Layout::ChannelsLast);
  CHECK_THAT(h.unsupportedReason("aten::adaptive_avg_pool2d", {map, h.ints({1, 1})}),
             Catch::Contains("fixed only at run time"));
  // What is known stays known.
  h.lower("aten::size", {x, h.integer(2)});
  CHECK(std::get<int64_t>(h.output().constant) == 6);
  CHECK(h.operations().empty());
}

TEST_CASE("the IR takes run-time extents in model inputs from feature level 3, never in constants",
          "[ir][run_time_extent]") {
  nnc::ir::Model fl2(28);
  CHECK_THROWS_WITH(fl2.addInput(ANEURALNETWORKS_TENSOR_FLOAT32, {0, 3}, Layout::Contiguous, "x"),
                    Catch::Contains("'x'") && Catch::Contains("Android 10"));
  nnc::ir::Model fl3(29);
  const uint32_t x = fl3.addInput(ANEURALNETWORKS_TENSOR_FLOAT32, {0, 3}, Layout::Contiguous, "x");
  const uint32_t relu = fl3.addOperation(ANEURALNETWORKS_RELU, {x}, nnc::ir::OutputSpec{}, "test");
  CHECK(fl3.operands()[relu].dims == std::vector<uint32_t>{0, 3});
  CHECK(fl3.minimumFeatureLevel() == 29);  // RELU alone is level 27
  nnc::ir::Operand constant;
  constant.type = ANEURALNETWORKS_TENSOR_FLOAT32;
  constant.dims = {0, 3};
  constant.name = "w";
  CHECK_THROWS_WITH(fl3.addConstant(constant, nullptr, 0), Catch::Contains("'w'") && Catch::Contains("unspecified"));
}
