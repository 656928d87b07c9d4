// select, slice and narrow: one STRIDED_SLICE along the physical axis of the dimension, every other axis masked.
#include <catch2/catch.hpp>

#include "lowering_harness.h"
#include "nnapi/NeuralNetworks.h"

using nnc::ir::Layout;
using nnc::test::LoweringHarness;

namespace {

// STRIDED_SLICE's constant inputs: begin, end, strides, begin_mask, end_mask, shrink_axis_mask.
struct SliceInputs {
  std::vector<int32_t> begin, end, strides;
  int32_t begin_mask, end_mask, shrink_mask;
};

SliceInputs sliceInputs(const LoweringHarness& h, const nnc::ir::Operation& op) {
  const auto& in = op.inputs;
  return {h.intValues(in[1]), h.intValues(in[2]), h.intValues(in[3]), h.scalarInt(in[4]), h.scalarInt(in[5]),
          h.scalarInt(in[6])};
}

}  // namespace

TEST_CASE("slice with a step of the channels of an NHWC map cuts physical axis 3", "[slicing]") {
  LoweringHarness h;
  const auto x = h.tensor({1, 8, 4, 5}, Layout::ChannelsLast);
  h.lower("aten::slice", {x, h.integer(1), h.integer(1), h.integer(7), h.integer(2)});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_STRIDED_SLICE});
  const SliceInputs s = sliceInputs(h, h.operation(0));
  CHECK(s.begin == std::vector<int32_t>{0, 0, 0, 1});
  CHECK(s.end == std::vector<int32_t>{0, 0, 0, 7});
  CHECK(s.strides == std::vector<int32_t>{1, 1, 1, 2});
  CHECK(s.begin_mask == 0b0111);
  CHECK(s.end_mask == 0b0111);
  CHECK(s.shrink_mask == 0);
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 4, 5, 3});  // channels 1, 3, 5
  CHECK(h.operand(h.outputOperand()).layout == Layout::ChannelsLast);
}

TEST_CASE("slice bounds follow PyTorch: negative from the end, clamped, INT64_MAX to the end", "[slicing]") {
  LoweringHarness h;
  const auto x = h.tensor({2, 10});
  h.lower("aten::slice", {x, h.integer(-1), h.integer(-4), h.integer(INT64_MAX), h.integer(1)});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_STRIDED_SLICE});
  CHECK(sliceInputs(h, h.operation(0)).begin == std::vector<int32_t>{0, 6});
  CHECK(sliceInputs(h, h.operation(0)).end == std::vector<int32_t>{0, 10});
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{2, 4});
  h.lower("aten::slice", {x, h.integer(0), h.none(), h.integer(50), h.integer(1)});  // the whole dimension
  CHECK(h.operations().size() == 1);
  CHECK(h.output().partition_operand == h.operandOf(x));
}

TEST_CASE("select of a channel of an NHWC map drops physical axis 3: [N,H,W] is PyTorch's order", "[slicing]") {
  LoweringHarness h;
  const auto x = h.tensor({1, 3, 4, 5}, Layout::ChannelsLast);
  h.lower("aten::select", {x, h.integer(1), h.integer(-1)});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_STRIDED_SLICE});
  const SliceInputs s = sliceInputs(h, h.operation(0));
  CHECK(s.begin == std::vector<int32_t>{0, 0, 0, 2});
  CHECK(s.end == std::vector<int32_t>{0, 0, 0, 3});
  CHECK(s.shrink_mask == 0b1000);
  CHECK(s.begin_mask == 0b0111);
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 4, 5});
  CHECK(h.operand(h.outputOperand()).layout == Layout::Contiguous);
}

TEST_CASE("select of a row of an NHWC map slices it in PyTorch's order", "[slicing]") {
  LoweringHarness h;
  const auto x = h.tensor({1, 3, 4, 5}, Layout::ChannelsLast);
  h.lower("aten::select", {x, h.integer(2), h.integer(1)});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_TRANSPOSE, ANEURALNETWORKS_STRIDED_SLICE});
  const SliceInputs s = sliceInputs(h, h.operation(1));
  CHECK(s.begin == std::vector<int32_t>{0, 0, 1, 0});
  CHECK(s.shrink_mask == 0b0100);
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 3, 5});
}

TEST_CASE("narrow takes length elements from start, a negative start counting from the end", "[slicing]") {
  LoweringHarness h;
  const auto x = h.tensor({1, 3, 6, 5}, Layout::ChannelsLast);
  h.lower("aten::narrow", {x, h.integer(2), h.integer(-4), h.integer(3)});  // H rows 2, 3, 4
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_STRIDED_SLICE});
  CHECK(sliceInputs(h, h.operation(0)).begin == std::vector<int32_t>{0, 2, 0, 0});
  CHECK(sliceInputs(h, h.operation(0)).end == std::vector<int32_t>{0, 5, 0, 0});
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 3, 5, 3});
}

TEST_CASE("slicing that NNAPI cannot do as PyTorch does is refused with the reason", "[slicing]") {
  LoweringHarness h;
  const auto x = h.tensor({2, 6});
  CHECK_THAT(h.unsupportedReason("aten::select", {x, h.integer(1), h.integer(6)}), Catch::Contains("out of range"));
  CHECK_THAT(h.unsupportedReason("aten::select", {h.tensor({6}), h.integer(0), h.integer(1)}),
             Catch::Contains("0-d"));
  CHECK_THAT(h.unsupportedReason("aten::slice", {x, h.integer(1), h.integer(4), h.integer(2), h.integer(1)}),
             Catch::Contains("no element"));
  CHECK_THAT(h.unsupportedReason("aten::narrow", {x, h.integer(1), h.integer(4), h.integer(3)}),
             Catch::Contains("out of range"));
  const auto run_time = h.tensor({0, 6});
  CHECK_THAT(h.unsupportedReason("aten::select", {run_time, h.integer(0), h.integer(0)}),
             Catch::Contains("run time"));
  h.lower("aten::slice", {run_time, h.integer(1), h.integer(2), h.integer(4), h.integer(1)});  // not along it
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{0, 2});
  CHECK_THAT(h.unsupportedReason("aten::slice", {h.tensor({1, 1, 1, 1, 4}), h.integer(4), h.integer(1),
                                                 h.integer(3), h.integer(1)}),
             Catch::Contains("rank 5"));
  LoweringHarness old(27);
  CHECK_THAT(old.unsupportedReason("aten::narrow", {old.tensor({2, 6}), old.integer(1), old.integer(0),
                                                    old.integer(2)}),
             Catch::Contains("STRIDED_SLICE") && Catch::Contains("Android 9"));
}
