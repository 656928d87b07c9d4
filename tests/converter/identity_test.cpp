// dropout (eval), contiguous, clone, detach: the output is the input, nothing is emitted.
#include <catch2/catch.hpp>

#include "lowering_harness.h"

using nnc::ir::Layout;
using nnc::test::LoweringHarness;

TEST_CASE("no-op nodes pass their input operand through", "[identity]") {
  for (const char* kind : {"aten::dropout", "aten::dropout_", "aten::feature_dropout", "aten::contiguous",
                           "aten::clone", "aten::detach"}) {
    INFO(kind);
    LoweringHarness h;
    const auto x = h.tensor({1, 3, 4, 4}, Layout::ChannelsLast);
    const std::string k = kind;
    if (k.find("dropout") != std::string::npos) {
      h.lower(kind, {x, h.number(0.5), h.boolean(false)});
    } else if (k == "aten::detach") {
      h.lower(kind, {x});
    } else {
      h.lower(kind, {x, h.integer(0)});
    }
    CHECK(h.operations().empty());
    CHECK(h.outputOperand() == h.operandOf(x));
  }
}

TEST_CASE("no-op nodes on a constant give the constant", "[identity]") {
  LoweringHarness h;
  const auto c = h.floatTensor({2}, {1.0f, 2.0f});
  h.lower("aten::clone", {c, h.none()});
  CHECK(h.operations().empty());
  REQUIRE(h.output().kind == nnc::Value::Kind::Constant);
  const auto* tensor = std::get_if<nnc::ConstTensor>(&h.output().constant);
  REQUIRE(tensor != nullptr);
  CHECK(tensor->toFloats() == std::vector<float>{1.0f, 2.0f});
}

TEST_CASE("dropout in training mode is unsupported", "[identity]") {
  LoweringHarness h;
  const auto x = h.tensor({2, 8});
  CHECK_THAT(h.unsupportedReason("aten::dropout", {x, h.number(0.5), h.boolean(true)}),
             Catch::Contains("training mode"));
  CHECK(h.operations().empty());
}

TEST_CASE("no-op nodes on a tensor computed elsewhere give that tensor, without importing it", "[identity]") {
  LoweringHarness h(27);
  const auto x = h.cpuTensor({1, 3, 4, 4});
  h.lower("aten::contiguous", {x, h.integer(0)});
  CHECK(h.operations().empty());
  CHECK(h.model.inputs().empty());
  CHECK(h.output().kind == nnc::Value::Kind::Tensor);
  CHECK(h.output().partition == -1);
  CHECK(h.output().tensor.dims == std::vector<uint32_t>{1, 3, 4, 4});
}
