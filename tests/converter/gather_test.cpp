// index_select and embedding: GATHER along the physical axis, constant int64 indices as a TENSOR_INT32 constant.
#include <catch2/catch.hpp>

#include <cstring>

#include "lowering_harness.h"
#include "nnapi/NeuralNetworks.h"

using nnc::ConstTensor;
using nnc::DType;
using nnc::ir::Layout;
using nnc::test::LoweringHarness;

namespace {

ConstTensor int64Tensor(std::vector<int64_t> shape, const std::vector<int64_t>& values) {
  ConstTensor t;
  t.dtype = DType::Int64;
  t.shape = std::move(shape);
  std::vector<uint8_t> bytes(values.size() * 8);
  std::memcpy(bytes.data(), values.data(), bytes.size());
  t.bytes = nnc::ConstBytes(std::move(bytes));
  return t;
}

}  // namespace

TEST_CASE("index_select of channels of an NHWC map gathers along physical axis 3", "[gather]") {
  LoweringHarness h;
  const auto x = h.tensor({1, 5, 4, 4}, Layout::ChannelsLast);
  h.lower("aten::index_select", {x, h.integer(1), h.constant(int64Tensor({3}, {4, 0, 4}))});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_GATHER});
  CHECK(h.scalarInt(h.operation(0).inputs[1]) == 3);
  CHECK(h.intValues(h.operation(0).inputs[2]) == std::vector<int32_t>{4, 0, 4});
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 4, 4, 3});
  CHECK(h.operand(h.outputOperand()).layout == Layout::ChannelsLast);
}

TEST_CASE("index_select with indices the model computes as TENSOR_INT32 passes them to GATHER", "[gather]") {
  LoweringHarness h;
  const auto x = h.tensor({6, 3});
  const auto indices = h.int32Tensor({2});
  h.lower("aten::index_select", {x, h.integer(0), indices});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_GATHER});
  CHECK(h.operation(0).inputs[2] == h.operandOf(indices));
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{2, 3});
}

TEST_CASE("embedding of a constant table by 2-D indices gives [rows, cols, dim]", "[gather]") {
  LoweringHarness h;
  const auto weight = h.floatTensor({3, 2}, {0, 1, 2, 3, 4, 5});
  h.lower("aten::embedding", {weight, h.constant(int64Tensor({2, 2}, {2, 0, 1, 2})), h.integer(-1),
                              h.boolean(false), h.boolean(false)});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_GATHER});
  const auto& op = h.operation(0);
  CHECK(h.floatValues(op.inputs[0]) == std::vector<float>{0, 1, 2, 3, 4, 5});
  CHECK(h.scalarInt(op.inputs[1]) == 0);
  CHECK(h.operand(op.inputs[2]).dims == std::vector<uint32_t>{2, 2});
  CHECK(h.intValues(op.inputs[2]) == std::vector<int32_t>{2, 0, 1, 2});
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{2, 2, 2});
}

TEST_CASE("gathers NNAPI would compute differently from PyTorch are refused with the reason", "[gather]") {
  LoweringHarness h;
  const auto x = h.tensor({4, 3});
  CHECK_THAT(h.unsupportedReason("aten::index_select", {x, h.integer(0), h.constant(int64Tensor({2}, {1, 4}))}),
             Catch::Contains("index 4 is out of range [0, 4)"));
  CHECK_THAT(h.unsupportedReason("aten::index_select", {x, h.integer(1), h.constant(int64Tensor({1}, {-1}))}),
             Catch::Contains("out of range"));
  CHECK_THAT(h.unsupportedReason("aten::index_select", {x, h.integer(0), h.tensor({2})}),
             Catch::Contains("TENSOR_INT32"));
  CHECK_THAT(h.unsupportedReason("aten::embedding", {h.tensor({4, 3, 2}), h.constant(int64Tensor({1}, {0})),
                                                     h.integer(-1), h.boolean(false), h.boolean(false)}),
             Catch::Contains("2-D weight"));
  CHECK_THAT(h.unsupportedReason("aten::embedding", {h.tensor({4, 3}), h.constant(int64Tensor({1, 2, 2, 1}, {0, 1, 2, 3})),
                                                     h.integer(-1), h.boolean(false), h.boolean(false)}),
             Catch::Contains("rank 5"));
  CHECK_THAT(h.unsupportedReason("aten::index_select", {h.tensor({0, 3}), h.integer(0),
                                                        h.constant(int64Tensor({1}, {0}))}),
             Catch::Contains("run time"));
  LoweringHarness old(28);
  CHECK_THAT(old.unsupportedReason("aten::index_select", {old.tensor({4, 3}), old.integer(0),
                                                          old.constant(int64Tensor({1}, {0}))}),
             Catch::Contains("GATHER") && Catch::Contains("Android 10"));
}
