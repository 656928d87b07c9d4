// size/dim/numel are answered at convert time; flatten/view/reshape keep PyTorch's element order.
#include <catch2/catch.hpp>

#include "lowering_harness.h"
#include "nnapi/NeuralNetworks.h"

using nnc::ir::Layout;
using nnc::test::LoweringHarness;

TEST_CASE("size of a channels-last map reports PyTorch's NCHW shape", "[shape]") {
  LoweringHarness h;
  const auto x = h.tensor({1, 3, 5, 7}, Layout::ChannelsLast);
  h.lower("aten::size", {x, h.integer(1)});
  CHECK(std::get<int64_t>(h.output().constant) == 3);
  h.lower("aten::size", {x});
  CHECK(std::get<std::vector<int64_t>>(h.output().constant) == std::vector<int64_t>{1, 3, 5, 7});
  h.lower("aten::numel", {x});
  CHECK(std::get<int64_t>(h.output().constant) == 105);
  CHECK(h.operations().empty());
}

TEST_CASE("flattening a 1x1 NHWC map is a plain RESHAPE in PyTorch order", "[shape]") {
  LoweringHarness h;
  const auto x = h.tensor({1, 8, 1, 1}, Layout::ChannelsLast);
  h.lower("aten::flatten", {x, h.integer(1), h.integer(-1)});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_RESHAPE});
  CHECK(h.intValues(h.operation(0).inputs[1]) == std::vector<int32_t>{1, 8});
  CHECK(h.operand(h.outputOperand()).layout == Layout::Contiguous);
}

TEST_CASE("flattening a spatial NHWC map marks it flattened instead of transposing", "[shape]") {
  LoweringHarness h;
  const auto x = h.tensor({2, 3, 2, 2}, Layout::ChannelsLast);
  h.lower("aten::view", {x, h.ints({2, -1})});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_RESHAPE});
  CHECK(h.operand(h.outputOperand()).layout == Layout::ChannelsLastFlattened);
  CHECK(h.operand(h.outputOperand()).flattened_chw == std::vector<uint32_t>{3, 2, 2});
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{2, 12});
}

TEST_CASE("any other reshape of an NHWC map transposes to NCHW first", "[shape]") {
  LoweringHarness h;
  const auto x = h.tensor({1, 4, 2, 2}, Layout::ChannelsLast);
  h.lower("aten::reshape", {x, h.ints({4, 4})});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_TRANSPOSE, ANEURALNETWORKS_RESHAPE});
  CHECK(h.intValues(h.operation(0).inputs[1]) == std::vector<int32_t>{0, 3, 1, 2});
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{4, 4});
}

TEST_CASE("a flattened map used by something other than a fully-connected layer is restored to PyTorch order",
          "[shape]") {
  LoweringHarness h;
  const auto x = h.tensor({1, 12}, Layout::ChannelsLastFlattened, {3, 2, 2});
  h.lower("aten::view", {x, h.ints({3, 4})});
  // [1,12] -> [1,2,2,3] (NHWC) -> TRANSPOSE -> [1,3,2,2] -> [1,12] -> [3,4].
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_RESHAPE, ANEURALNETWORKS_TRANSPOSE,
                                                     ANEURALNETWORKS_RESHAPE, ANEURALNETWORKS_RESHAPE});
  CHECK(h.intValues(h.operation(0).inputs[1]) == std::vector<int32_t>{-1, 2, 2, 3});  // N: RESHAPE infers it
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{3, 4});
}

TEST_CASE("view with two -1 or a wrong element count is unsupported", "[shape]") {
  LoweringHarness h;
  const auto x = h.tensor({2, 6});
  CHECK_THAT(h.unsupportedReason("aten::view", {x, h.ints({-1, -1})}), Catch::Contains("-1"));
  CHECK_THAT(h.unsupportedReason("aten::view", {x, h.ints({5, 2})}), Catch::Contains("number of elements"));
}

TEST_CASE("reshapes below feature level 2: flattening a map needs no TRANSPOSE, other reshapes of one do",
          "[shape][feature_level]") {
  LoweringHarness h(27);
  const auto x = h.tensor({2, 3, 2, 2}, Layout::ChannelsLast);
  CHECK_THAT(h.unsupportedReason("aten::reshape", {x, h.ints({4, 6})}),
             Catch::Contains("TRANSPOSE") && Catch::Contains("Android 9"));
  CHECK(h.operations().empty());
  h.lower("aten::flatten", {x, h.integer(1), h.integer(-1)});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_RESHAPE});
  CHECK(h.operand(h.outputOperand()).layout == Layout::ChannelsLastFlattened);
}

TEST_CASE("a reshape to the same shape is the input itself", "[shape]") {
  LoweringHarness h;
  const auto x = h.tensor({2, 6});
  h.lower("aten::view", {x, h.ints({2, -1})});
  CHECK(h.operations().empty());
  CHECK(h.outputOperand() == h.operandOf(x));
}

TEST_CASE("squeeze and unsqueeze are RESHAPEs to PyTorch's new shape", "[shape]") {
  LoweringHarness h;
  const auto x = h.tensor({2, 1, 3, 1});
  SECTION("squeeze all") {
    h.lower("aten::squeeze", {x});
    CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{2, 3});
  }
  SECTION("squeeze one dim; one that is not 1 stays") {
    h.lower("aten::squeeze", {x, h.integer(-1)});
    CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{2, 1, 3});
  }
  SECTION("squeeze dims") {
    h.lower("aten::squeeze", {x, h.ints({0, 1})});
    CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{2, 3, 1});
  }
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_RESHAPE});
  LoweringHarness u;
  const auto y = u.tensor({2, 3});
  u.lower("aten::unsqueeze", {y, u.integer(2)});
  REQUIRE(u.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_RESHAPE});
  CHECK(u.operand(u.outputOperand()).dims == std::vector<uint32_t>{2, 3, 1});
}

TEST_CASE("reshaping a map of one channel or of 1x1 pixels needs no TRANSPOSE", "[shape]") {
  LoweringHarness h;
  SECTION("one channel") {
    const auto x = h.tensor({2, 1, 3, 4}, Layout::ChannelsLast);  // stored [2,3,4,1]: PyTorch's order
    h.lower("aten::squeeze", {x, h.integer(1)});
    CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{2, 3, 4});
  }
  SECTION("1x1 pixels") {
    const auto x = h.tensor({2, 5, 1, 1}, Layout::ChannelsLast);
    h.lower("aten::squeeze", {x, h.integer(-1)});
    CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{2, 5, 1});
  }
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_RESHAPE});
  CHECK(h.operand(h.outputOperand()).layout == Layout::Contiguous);
}

TEST_CASE("squeezing an extent fixed only at run time is refused", "[shape]") {
  LoweringHarness h;
  const auto x = h.tensor({0, 1, 3});
  CHECK_THAT(h.unsupportedReason("aten::squeeze", {x}), Catch::Contains("only known when the model runs"));
  CHECK_THAT(h.unsupportedReason("aten::unsqueeze", {h.tensor({1, 2, 3, 4}), h.integer(0)}),
             Catch::Contains("rank 5"));
  h.lower("aten::squeeze", {x, h.integer(1)});
  CHECK(h.intValues(h.operation(0).inputs[1]) == std::vector<int32_t>{-1, 3});
}

TEST_CASE("a 4-D result of 1x1 pixels or one channel is made a map, stored NHWC", "[shape]") {
  LoweringHarness h;
  const auto x = h.tensor({2, 6});
  h.lower("aten::view", {x, h.ints({2, 6, 1, 1})});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_RESHAPE});
  CHECK(h.intValues(h.operation(0).inputs[1]) == std::vector<int32_t>{2, 1, 1, 6});
  CHECK(h.operand(h.outputOperand()).layout == Layout::ChannelsLast);
  LoweringHarness one_channel(27);  // no TRANSPOSE below feature level 2: none is needed
  const auto y = one_channel.tensor({2, 5, 7});
  one_channel.lower("aten::unsqueeze", {y, one_channel.integer(1)});
  REQUIRE(one_channel.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_RESHAPE});
  CHECK(one_channel.operand(one_channel.outputOperand()).dims == std::vector<uint32_t>{2, 5, 7, 1});
  CHECK(one_channel.operand(one_channel.outputOperand()).layout == Layout::ChannelsLast);
}
