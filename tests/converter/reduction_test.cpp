// mean, sum, amax, amin: PyTorch dims mapped to physical axes, and the result's layout worked out case by case.
#include <catch2/catch.hpp>

#include "lowering_harness.h"
#include "nnapi/NeuralNetworks.h"

using nnc::ir::Layout;
using nnc::test::LoweringHarness;

namespace {

void lowerMean(LoweringHarness& h, nnc::ValueId x, std::vector<int64_t> dims, bool keepdim) {
  h.lower("aten::mean", {x, h.ints(dims), h.boolean(keepdim), h.none()});
}

// The MEAN operation's axes and keep_dims flag.
void checkMean(const LoweringHarness& h, const nnc::ir::Operation& mean, std::vector<int32_t> axes, int32_t keep) {
  REQUIRE(mean.type == ANEURALNETWORKS_MEAN);
  REQUIRE(mean.inputs.size() == 3);
  CHECK(h.intValues(mean.inputs[1]) == axes);
  CHECK(h.scalarInt(mean.inputs[2]) == keep);
}

}  // namespace

TEST_CASE("mean on an NHWC map maps PyTorch's dims to physical axes", "[reduction]") {
  LoweringHarness h;
  // PyTorch [N,C,H,W] = [1,8,5,7], stored [1,5,7,8].
  const auto x = h.tensor({1, 8, 5, 7}, Layout::ChannelsLast);

  SECTION("H,W with keepdim: still a map") {
    lowerMean(h, x, {2, 3}, true);
    REQUIRE(h.operations().size() == 1);
    checkMean(h, h.operation(0), {1, 2}, 1);
    CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 1, 1, 8});
    CHECK(h.operand(h.outputOperand()).layout == Layout::ChannelsLast);
  }
  SECTION("H,W without keepdim: [N,C] in both orders") {
    lowerMean(h, x, {-1, -2}, false);
    REQUIRE(h.operations().size() == 1);
    checkMean(h, h.operation(0), {1, 2}, 0);
    CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 8});
    CHECK(h.operand(h.outputOperand()).layout == Layout::Contiguous);
  }
  SECTION("C without keepdim: [N,H,W] in both orders") {
    lowerMean(h, x, {1}, false);
    REQUIRE(h.operations().size() == 1);
    checkMean(h, h.operation(0), {3}, 0);
    CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 5, 7});
    CHECK(h.operand(h.outputOperand()).layout == Layout::Contiguous);
  }
  SECTION("C with keepdim: a one-channel map") {
    lowerMean(h, x, {1}, true);
    REQUIRE(h.operations().size() == 1);
    checkMean(h, h.operation(0), {3}, 1);
    CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 5, 7, 1});
    CHECK(h.operand(h.outputOperand()).layout == Layout::ChannelsLast);
  }
  SECTION("H alone without keepdim: C before W in PyTorch, so back to NCHW first") {
    lowerMean(h, x, {2}, false);
    REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_TRANSPOSE, ANEURALNETWORKS_MEAN});
    CHECK(h.operation(1).inputs[0] == h.operation(0).outputs[0]);
    checkMean(h, h.operation(1), {2}, 0);
    CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 8, 7});
    CHECK(h.operand(h.outputOperand()).layout == Layout::Contiguous);
  }
  SECTION("repeated dims count once") {
    lowerMean(h, x, {3, -1}, true);
    checkMean(h, h.operation(0), {2}, 1);
    CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 5, 1, 8});
  }
}

TEST_CASE("mean on a plain tensor uses PyTorch's dims as they are", "[reduction]") {
  LoweringHarness h;
  const auto x = h.tensor({4, 6});
  lowerMean(h, x, {0}, false);
  REQUIRE(h.operations().size() == 1);
  checkMean(h, h.operation(0), {0}, 0);
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{6});
}

TEST_CASE("mean on a flattened map reorders features only when their order matters", "[reduction]") {
  LoweringHarness h;
  const auto x = h.tensor({2, 12}, Layout::ChannelsLastFlattened, {3, 2, 2});
  SECTION("over every feature: order does not matter") {
    lowerMean(h, x, {1}, false);
    REQUIRE(h.operations().size() == 1);
    checkMean(h, h.operation(0), {1}, 0);
    CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{2});
    CHECK(h.operand(h.outputOperand()).layout == Layout::Contiguous);
  }
  SECTION("over the batch: features are put back in PyTorch's order first") {
    lowerMean(h, x, {0}, true);
    REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_RESHAPE, ANEURALNETWORKS_TRANSPOSE,
                                                        ANEURALNETWORKS_RESHAPE, ANEURALNETWORKS_MEAN});
    checkMean(h, h.operation(3), {0}, 1);
    CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 12});
    CHECK(h.operand(h.outputOperand()).layout == Layout::Contiguous);
  }
}

TEST_CASE("mean is rejected where NNAPI cannot give PyTorch's result", "[reduction]") {
  LoweringHarness h;
  const auto x = h.tensor({2, 3, 4, 4}, Layout::ChannelsLast);
  SECTION("every dim without keepdim (0-d result)") {
    CHECK_THAT(h.unsupportedReason("aten::mean", {x, h.ints({0, 1, 2, 3}), h.boolean(false), h.none()}),
               Catch::Contains("0-d"));
  }
  SECTION("dtype") {
    CHECK_THAT(h.unsupportedReason("aten::mean", {x, h.ints({2, 3}), h.boolean(false), h.integer(6)}),
               Catch::Contains("dtype"));
  }
  SECTION("mean of everything (the overload without dims)") {
    CHECK_THAT(h.unsupportedReason("aten::mean", {x, h.none()}), Catch::Contains("without dims"));
  }
  SECTION("rank above 4") {
    const auto five_d = h.tensor({1, 2, 2, 2, 2});
    CHECK_THAT(h.unsupportedReason("aten::mean", {five_d, h.ints({1}), h.boolean(true), h.none()}),
               Catch::Contains("rank 5"));
  }
  SECTION("dim out of range") {
    CHECK_THAT(h.unsupportedReason("aten::mean", {x, h.ints({4}), h.boolean(true), h.none()}),
               Catch::Contains("out of range"));
  }
  CHECK(h.operations().empty());
}

TEST_CASE("below feature level 2 the mean over H and W of a map is an AVERAGE_POOL_2D over the whole map",
          "[reduction][feature_level]") {
  LoweringHarness h(27);
  // PyTorch [N,C,H,W] = [2,8,5,7], stored [2,5,7,8].
  const auto x = h.tensor({2, 8, 5, 7}, Layout::ChannelsLast);
  // NNAPI pool inputs 1-9: pad_left, pad_right, pad_top, pad_bottom, stride_w, stride_h, filter_w, filter_h, fuse.
  const std::vector<int32_t> whole_map = {0, 0, 0, 0, 7, 5, 7, 5, ANEURALNETWORKS_FUSED_NONE};
  SECTION("keepdim: the pooled [N,1,1,C] map is PyTorch's [N,C,1,1]") {
    lowerMean(h, x, {2, 3}, true);
    REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_AVERAGE_POOL_2D});
    CHECK(h.operation(0).inputs[0] == h.operandOf(x));
    CHECK(h.scalarInts(h.operation(0), 1, 9) == whole_map);
    CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{2, 1, 1, 8});
    CHECK(h.operand(h.outputOperand()).layout == Layout::ChannelsLast);
  }
  SECTION("without keepdim: then RESHAPE to [N,C]") {
    lowerMean(h, x, {-1, -2}, false);
    REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_AVERAGE_POOL_2D, ANEURALNETWORKS_RESHAPE});
    CHECK(h.scalarInts(h.operation(0), 1, 9) == whole_map);
    CHECK(h.operation(1).inputs[0] == h.operation(0).outputs[0]);
    CHECK(h.intValues(h.operation(1).inputs[1]) == std::vector<int32_t>{2, 8});
    CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{2, 8});
    CHECK(h.operand(h.outputOperand()).layout == Layout::Contiguous);
  }
}

TEST_CASE("below feature level 2 a mean NNAPI can only do with MEAN or TRANSPOSE names Android 9",
          "[reduction][feature_level]") {
  LoweringHarness h(27);
  SECTION("over C") {
    const auto x = h.tensor({2, 8, 5, 7}, Layout::ChannelsLast);
    CHECK_THAT(h.unsupportedReason("aten::mean", {x, h.ints({1}), h.boolean(true), h.none()}),
               Catch::Contains("mean over dimensions other than H and W") &&
                   Catch::Contains("MEAN on TENSOR_FLOAT32, which needs Android 9 (API 28"));
  }
  SECTION("over the last dim of a plain tensor") {
    const auto x = h.tensor({4, 6});
    CHECK_THAT(h.unsupportedReason("aten::mean", {x, h.ints({1}), h.boolean(false), h.none()}),
               Catch::Contains("Android 9"));
  }
  SECTION("over H and W of an NCHW map computed in the partition") {
    const auto x = h.tensor({2, 8, 5, 7});
    CHECK_THAT(h.unsupportedReason("aten::mean", {x, h.ints({2, 3}), h.boolean(true), h.none()}),
               Catch::Contains("TRANSPOSE") && Catch::Contains("Android 9"));
  }
  CHECK(h.operations().empty());
}

TEST_CASE("below feature level 2 an NCHW map computed on the CPU is pooled after importing it as NHWC",
          "[reduction][feature_level]") {
  LoweringHarness h(27);
  const auto x = h.cpuTensor({1, 4, 3, 3});
  lowerMean(h, x, {2, 3}, false);
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_AVERAGE_POOL_2D, ANEURALNETWORKS_RESHAPE});
  CHECK(h.operation(0).inputs[0] == h.importOf(x, Layout::ChannelsLast));
  CHECK(h.state.partitions[0].inputs.size() == 1);
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 4});
}

TEST_CASE("sum, amax and amin are REDUCE_SUM, REDUCE_MAX, REDUCE_MIN with a bool keep_dims", "[reduction]") {
  const std::pair<const char*, int32_t> kinds[] = {{"aten::sum", ANEURALNETWORKS_REDUCE_SUM},
                                                   {"aten::amax", ANEURALNETWORKS_REDUCE_MAX},
                                                   {"aten::amin", ANEURALNETWORKS_REDUCE_MIN}};
  for (const auto& [kind, op] : kinds) {
    INFO(kind);
    LoweringHarness h(29);
    const auto x = h.tensor({1, 8, 5, 7}, Layout::ChannelsLast);
    std::vector<nnc::ValueId> inputs{x, h.ints({1}), h.boolean(true)};
    if (op == ANEURALNETWORKS_REDUCE_SUM) inputs.push_back(h.none());
    h.lower(kind, inputs);
    REQUIRE(h.operationCodes() == std::vector<int32_t>{op});
    // Channels (PyTorch dim 1) are physical axis 3 of the NHWC map; the result is still a map.
    CHECK(h.intValues(h.operation(0).inputs[1]) == std::vector<int32_t>{3});
    CHECK(h.operand(h.operation(0).inputs[2]).type == ANEURALNETWORKS_BOOL);
    CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 5, 7, 1});
    CHECK(h.operand(h.outputOperand()).layout == Layout::ChannelsLast);
  }
}

TEST_CASE("sum over H keeping C goes back to PyTorch's order first, amax over every dim needs keepdim",
          "[reduction]") {
  SECTION("sum over H") {
    LoweringHarness h(29);
    const auto x = h.tensor({1, 8, 5, 7}, Layout::ChannelsLast);
    h.lower("aten::sum", {x, h.ints({2}), h.boolean(false), h.none()});
    REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_TRANSPOSE, ANEURALNETWORKS_REDUCE_SUM});
    CHECK(h.intValues(h.operation(1).inputs[1]) == std::vector<int32_t>{2});
    CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 8, 7});
  }
  SECTION("amax with an empty dim list reduces every dim") {
    LoweringHarness h(29);
    const auto x = h.tensor({2, 3});
    h.lower("aten::amax", {x, h.ints({}), h.boolean(true)});
    CHECK(h.intValues(h.operation(0).inputs[1]) == std::vector<int32_t>{0, 1});
    CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 1});
    CHECK_THAT(h.unsupportedReason("aten::amin", {x, h.ints({}), h.boolean(false)}), Catch::Contains("0-d"));
  }
  SECTION("refused: sum without dims, below feature level 3, quantized") {
    LoweringHarness h(29);
    CHECK_THAT(h.unsupportedReason("aten::sum", {h.tensor({2, 3}), h.none()}), Catch::Contains("0-d"));
    CHECK_THAT(h.unsupportedReason("aten::amax", {h.quantTensor({2, 3}, 0.1f, 0), h.ints({1}), h.boolean(false)}),
               Catch::Contains("float32"));
    LoweringHarness old(28);
    CHECK_THAT(old.unsupportedReason("aten::sum", {old.tensor({2, 3}), old.ints({1}), old.boolean(false), old.none()}),
               Catch::Contains("REDUCE_SUM") && Catch::Contains("Android 10"));
  }
}
