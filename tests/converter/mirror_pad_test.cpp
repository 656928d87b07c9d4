// Reflection padding from feature level 7 (Android 14, API 34): one MIRROR_PAD in REFLECT mode with PAD's
// paddings on the physical axes; replication padding, which MIRROR_PAD cannot express, stays one GATHER per axis.
#include <catch2/catch.hpp>

#include "lowering_harness.h"
#include "nnapi/NeuralNetworks.h"

using nnc::ir::Layout;
using nnc::test::LoweringHarness;

namespace {

constexpr int kFeatureLevel6 = 33, kFeatureLevel7 = 34;

}  // namespace

TEST_CASE("At feature level 7 reflection_pad2d of an NHWC map is one MIRROR_PAD (REFLECT) on axes H and W",
          "[mirror_pad]") {
  LoweringHarness h(kFeatureLevel7);
  const auto x = h.tensor({1, 2, 3, 4}, Layout::ChannelsLast);
  h.lower("aten::reflection_pad2d", {x, h.ints({1, 2, 2, 1})});  // left 1, right 2, top 2, bottom 1
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_MIRROR_PAD});
  const auto& pad = h.operation(0);
  CHECK(pad.inputs[0] == h.operandOf(x));
  // Rows N, H, W, C of the NHWC map: H gets (top 2, bottom 1), W (left 1, right 2).
  CHECK(h.intValues(pad.inputs[1]) == std::vector<int32_t>{0, 0, 2, 1, 1, 2, 0, 0});
  CHECK(h.scalarInt(pad.inputs[2]) == 0);  // REFLECT
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 6, 7, 2});
  CHECK(h.operand(h.outputOperand()).layout == Layout::ChannelsLast);
}

TEST_CASE("At feature level 7 reflection_pad1d of a contiguous [N,C,L] pads its last axis", "[mirror_pad]") {
  LoweringHarness h(kFeatureLevel7);
  h.lower("aten::reflection_pad1d", {h.tensor({1, 2, 5}), h.ints({3, 1})});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_MIRROR_PAD});
  CHECK(h.intValues(h.operation(0).inputs[1]) == std::vector<int32_t>{0, 0, 0, 0, 3, 1});
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 2, 9});
}

TEST_CASE("At feature level 7 replication padding is still GATHERs, and below it reflection is too",
          "[mirror_pad]") {
  {
    LoweringHarness h(kFeatureLevel7);
    h.lower("aten::replication_pad2d", {h.tensor({1, 2, 3, 4}, Layout::ChannelsLast), h.ints({1, 1, 1, 1})});
    CHECK(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_GATHER, ANEURALNETWORKS_GATHER});
  }
  {
    LoweringHarness h(kFeatureLevel6);
    h.lower("aten::reflection_pad2d", {h.tensor({1, 2, 3, 4}, Layout::ChannelsLast), h.ints({1, 1, 1, 1})});
    CHECK(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_GATHER, ANEURALNETWORKS_GATHER});
  }
}

TEST_CASE("At feature level 7 reflection padding still refuses padding as large as the extent", "[mirror_pad]") {
  LoweringHarness h(kFeatureLevel7);
  CHECK_THAT(h.unsupportedReason("aten::reflection_pad2d",
                                 {h.tensor({1, 2, 3, 4}, Layout::ChannelsLast), h.ints({4, 0, 0, 0})}),
             Catch::Contains("must be smaller than the padded dimension's extent 4"));
}
