// Padding: PyTorch's (last dimension first) pairs land on the physical axes of the input's layout; constant
// padding is PAD / PAD_V2, reflection and replication one GATHER per padded axis with hand-computed indices.
#include <catch2/catch.hpp>

#include "lowering_harness.h"
#include "nnapi/NeuralNetworks.h"

using nnc::ir::Layout;
using nnc::test::LoweringHarness;

TEST_CASE("reflection_pad2d of an NHWC map gathers along W then H, with no TRANSPOSE", "[padding]") {
  LoweringHarness h;
  const auto x = h.tensor({1, 2, 3, 4}, Layout::ChannelsLast);
  h.lower("aten::reflection_pad2d", {x, h.ints({1, 2, 2, 1})});  // left 1, right 2, top 2, bottom 1
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_GATHER, ANEURALNETWORKS_GATHER});
  // W = 4 (physical axis 2): -1..5 reflected about 0 and 3.
  CHECK(h.scalarInt(h.operation(0).inputs[1]) == 2);
  CHECK(h.intValues(h.operation(0).inputs[2]) == std::vector<int32_t>{1, 0, 1, 2, 3, 2, 1});
  // H = 3 (physical axis 1): -2..3.
  CHECK(h.scalarInt(h.operation(1).inputs[1]) == 1);
  CHECK(h.intValues(h.operation(1).inputs[2]) == std::vector<int32_t>{2, 1, 0, 1, 2, 1});
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 6, 7, 2});
  CHECK(h.operand(h.outputOperand()).layout == Layout::ChannelsLast);
}

TEST_CASE("replication_pad1d repeats the edge elements", "[padding]") {
  LoweringHarness h;
  const auto x = h.tensor({2, 3, 5});
  h.lower("aten::replication_pad1d", {x, h.ints({2, 1})});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_GATHER});
  CHECK(h.scalarInt(h.operation(0).inputs[1]) == 2);
  CHECK(h.intValues(h.operation(0).inputs[2]) == std::vector<int32_t>{0, 0, 0, 1, 2, 3, 4, 4});
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{2, 3, 8});
}

TEST_CASE("aten::pad replicate of an NCHW map from the CPU transposes the partition input, then pads NHWC",
          "[padding]") {
  LoweringHarness h;
  const auto x = h.cpuTensor({1, 3, 2, 2});
  h.lower("aten::pad", {x, h.ints({0, 0, 1, 0}), h.constant(std::string("replicate")), h.none()});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_TRANSPOSE, ANEURALNETWORKS_GATHER});
  CHECK(h.operation(0).inputs[0] == h.importOf(x, Layout::Contiguous));
  CHECK(h.scalarInt(h.operation(1).inputs[1]) == 1);  // H only (axis 1 of NHWC): W's pair is (0, 0)
  CHECK(h.intValues(h.operation(1).inputs[2]) == std::vector<int32_t>{0, 0, 1});
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 3, 2, 3});
  CHECK(h.operand(h.outputOperand()).layout == Layout::ChannelsLast);
}

TEST_CASE("zero padding is PAD with PyTorch's pairs moved to NNAPI's physical rows", "[padding]") {
  LoweringHarness h;
  const auto x = h.tensor({1, 2, 3, 4}, Layout::ChannelsLast);
  h.lower("aten::constant_pad_nd", {x, h.ints({1, 2, 3, 4}), h.number(0.0)});  // W (1, 2), H (3, 4)
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_PAD});
  // Rows N, H, W, C of the NHWC map.
  CHECK(h.intValues(h.operation(0).inputs[1]) == std::vector<int32_t>{0, 0, 3, 4, 1, 2, 0, 0});
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 10, 7, 2});
}

TEST_CASE("padding with another value is PAD_V2, of the channels too", "[padding]") {
  LoweringHarness h;
  const auto x = h.tensor({1, 2, 3, 4}, Layout::ChannelsLast);
  h.lower("aten::pad", {x, h.ints({0, 0, 0, 0, 1, 1}), h.constant(std::string("constant")), h.number(1.5)});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_PAD_V2});
  CHECK(h.intValues(h.operation(0).inputs[1]) == std::vector<int32_t>{0, 0, 0, 0, 0, 0, 1, 1});  // C is axis 3
  CHECK(h.scalarFloat(h.operation(0).inputs[2]) == 1.5f);
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 3, 4, 4});
}

TEST_CASE("padding nothing emits nothing", "[padding]") {
  LoweringHarness h;
  const auto x = h.tensor({2, 3});
  h.lower("aten::constant_pad_nd", {x, h.ints({0, 0}), h.number(2.0)});
  CHECK(h.operations().empty());
  CHECK(h.output().partition_operand == h.operandOf(x));
}

TEST_CASE("padding that NNAPI cannot express as PyTorch does stays on the CPU, with the reason", "[padding]") {
  LoweringHarness h;
  const auto x = h.tensor({1, 2, 3, 4}, Layout::ChannelsLast);
  CHECK_THAT(h.unsupportedReason("aten::pad", {x, h.ints({1, 1}), h.constant(std::string("circular")), h.none()}),
             Catch::Contains("circular"));
  CHECK_THAT(h.unsupportedReason("aten::reflection_pad2d", {x, h.ints({4, 0, 0, 0})}),
             Catch::Contains("smaller than the padded dimension's extent 4"));
  CHECK_THAT(h.unsupportedReason("aten::reflection_pad2d", {x, h.ints({1, 1})}), Catch::Contains("4 padding values"));
  CHECK_THAT(h.unsupportedReason("aten::constant_pad_nd", {x, h.ints({-1, 0}), h.number(0.0)}),
             Catch::Contains("negative"));
  CHECK_THAT(h.unsupportedReason("aten::constant_pad_nd", {x, h.ints({1, 0, 1}), h.number(0.0)}),
             Catch::Contains("even number"));
  const auto five = h.tensor({1, 1, 2, 2, 2});
  CHECK_THAT(h.unsupportedReason("aten::constant_pad_nd", {five, h.ints({1, 0}), h.number(0.0)}),
             Catch::Contains("rank 5"));
  const auto run_time = h.tensor({1, 0, 4});  // extent 0: fixed only at run time
  CHECK_THAT(h.unsupportedReason("aten::replication_pad1d", {h.tensor({1, 3, 0}), h.ints({1, 1})}),
             Catch::Contains("run time"));
  h.lower("aten::replication_pad1d", {run_time, h.ints({1, 1})});  // the run-time extent is not the padded one
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 0, 6});
}

TEST_CASE("padding by feature level: PAD from Android 9, PAD_V2 and GATHER from Android 10", "[padding][feature_level]") {
  LoweringHarness h(28);
  const auto x = h.tensor({1, 2, 3, 4}, Layout::ChannelsLast);
  CHECK_THAT(h.unsupportedReason("aten::reflection_pad2d", {x, h.ints({1, 1, 1, 1})}),
             Catch::Contains("reflection padding uses GATHER") && Catch::Contains("Android 10"));
  CHECK_THAT(h.unsupportedReason("aten::constant_pad_nd", {x, h.ints({1, 1}), h.number(-1.0)}),
             Catch::Contains("PAD_V2") && Catch::Contains("Android 10"));
  h.lower("aten::constant_pad_nd", {x, h.ints({1, 1}), h.number(0.0)});
  CHECK(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_PAD});
}
