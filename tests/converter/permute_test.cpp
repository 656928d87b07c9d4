// permute/transpose/t: free where only the tracked layout changes, one TRANSPOSE from the physical order otherwise.
#include <catch2/catch.hpp>

#include "lowering_harness.h"
#include "nnapi/NeuralNetworks.h"

using nnc::ir::Layout;
using nnc::test::LoweringHarness;

TEST_CASE("permuting a channels-last map to [N,H,W,C] is the same operand seen as contiguous", "[permute]") {
  LoweringHarness h;
  const auto x = h.tensor({1, 3, 5, 7}, Layout::ChannelsLast);
  SECTION("permute") { h.lower("aten::permute", {x, h.ints({0, 2, 3, 1})}); }
  SECTION("negative dims") { h.lower("aten::permute", {x, h.ints({0, -2, -1, 1})}); }
  CHECK(h.operations().empty());
  const auto& out = h.operand(h.outputOperand());
  CHECK(out.layout == Layout::Contiguous);
  CHECK(out.dims == std::vector<uint32_t>{1, 5, 7, 3});
  CHECK(h.model.resolveAlias(h.outputOperand()) == h.operandOf(x));
}

TEST_CASE("permuting a contiguous [N,H,W,C] tensor by (0,3,1,2) makes a channels-last map of it", "[permute]") {
  LoweringHarness h;
  const auto x = h.tensor({2, 5, 7, 3});
  h.lower("aten::permute", {x, h.ints({0, 3, 1, 2})});
  CHECK(h.operations().empty());
  const auto& out = h.operand(h.outputOperand());
  CHECK(out.layout == Layout::ChannelsLast);
  CHECK(out.dims == std::vector<uint32_t>{2, 5, 7, 3});  // physical NHWC: PyTorch's [2,3,5,7]
  // An operation reading the alias reads the original operand.
  const auto y = h.output();
  h.state.values.push_back(y);
  h.lower("aten::relu", {h.state.values.size() - 1});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_RELU});
  CHECK(h.operation(0).inputs[0] == h.operandOf(x));
  CHECK(h.operand(h.outputOperand()).layout == Layout::ChannelsLast);
}

TEST_CASE("other permutations are one TRANSPOSE from the physical order", "[permute]") {
  LoweringHarness h;
  SECTION("of a map, staying a map") {
    const auto x = h.tensor({1, 3, 5, 7}, Layout::ChannelsLast);  // stored [1,5,7,3]
    h.lower("aten::transpose", {x, h.integer(2), h.integer(3)});   // PyTorch [1,3,7,5], stored [1,7,5,3]
    REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_TRANSPOSE});
    CHECK(h.intValues(h.operation(0).inputs[1]) == std::vector<int32_t>{0, 2, 1, 3});
    CHECK(h.operand(h.outputOperand()).layout == Layout::ChannelsLast);
    CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 7, 5, 3});
  }
  SECTION("of a plain tensor") {
    const auto x = h.tensor({2, 3, 4});
    h.lower("aten::permute", {x, h.ints({2, 0, 1})});
    REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_TRANSPOSE});
    CHECK(h.intValues(h.operation(0).inputs[1]) == std::vector<int32_t>{2, 0, 1});
    CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{4, 2, 3});
  }
  SECTION("t of a matrix") {
    const auto x = h.tensor({2, 3});
    h.lower("aten::t", {x});
    REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_TRANSPOSE});
    CHECK(h.intValues(h.operation(0).inputs[1]) == std::vector<int32_t>{1, 0});
    CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{3, 2});
  }
  SECTION("of a flattened map, put back into PyTorch's order first") {
    const auto x = h.tensor({2, 12}, Layout::ChannelsLastFlattened, {3, 2, 2});
    h.lower("aten::t", {x});
    REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_RESHAPE, ANEURALNETWORKS_TRANSPOSE,
                                                       ANEURALNETWORKS_RESHAPE, ANEURALNETWORKS_TRANSPOSE});
    CHECK(h.intValues(h.operation(3).inputs[1]) == std::vector<int32_t>{1, 0});
    CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{12, 2});
  }
}

TEST_CASE("a permute of a tensor taken in from the CPU is a TRANSPOSE, never an alias of a partition input",
          "[permute]") {
  LoweringHarness h;
  const auto x = h.cpuTensor({1, 5, 7, 3});
  h.lower("aten::permute", {x, h.ints({0, 3, 1, 2})});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_TRANSPOSE});
  CHECK(h.intValues(h.operation(0).inputs[1]) == std::vector<int32_t>{0, 3, 1, 2});
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 3, 5, 7});
}

TEST_CASE("identity permutations and t of a vector are the input itself", "[permute]") {
  LoweringHarness h;
  const auto x = h.tensor({4});
  h.lower("aten::t", {x});
  CHECK(h.outputOperand() == h.operandOf(x));
  const auto m = h.tensor({1, 3, 5, 7}, Layout::ChannelsLast);
  h.lower("aten::transpose", {m, h.integer(1), h.integer(-3)});
  CHECK(h.outputOperand() == h.operandOf(m));
  CHECK(h.operations().empty());
}

TEST_CASE("permutes that cannot be lowered say why", "[permute]") {
  LoweringHarness h;
  const auto x = h.tensor({2, 3, 4});
  CHECK_THAT(h.unsupportedReason("aten::permute", {x, h.ints({0, 1})}), Catch::Contains("rank 3"));
  CHECK_THAT(h.unsupportedReason("aten::permute", {x, h.ints({0, 1, 1})}), Catch::Contains("repeats"));
  CHECK_THAT(h.unsupportedReason("aten::permute", {x, h.ints({0, 1, 3})}), Catch::Contains("out of range"));
  CHECK_THAT(h.unsupportedReason("aten::t", {x}), Catch::Contains("rank 2 at most"));
  const auto big = h.tensor({1, 2, 3, 4, 5});
  CHECK_THAT(h.unsupportedReason("aten::transpose", {big, h.integer(0), h.integer(1)}), Catch::Contains("rank 5"));
}

TEST_CASE("below feature level 2 only the free permutes are lowered", "[permute][feature_level]") {
  LoweringHarness h(27);
  const auto x = h.tensor({1, 3, 5, 7}, Layout::ChannelsLast);
  CHECK_THAT(h.unsupportedReason("aten::transpose", {x, h.integer(2), h.integer(3)}),
             Catch::Contains("TRANSPOSE") && Catch::Contains("Android 9"));
  h.lower("aten::permute", {x, h.ints({0, 2, 3, 1})});
  CHECK(h.operations().empty());
  CHECK(h.operand(h.outputOperand()).layout == Layout::Contiguous);
}
