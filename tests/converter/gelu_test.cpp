// gelu: the erf recipe's accuracy (the sequence of operations the lowering emits, computed in float32 as the desktop
// NNAPI's kernels compute it) against std::erf, and what each approximation emits.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <string>

#include "lowering_harness.h"
#include "nnapi/NeuralNetworks.h"
#include "ops/gelu_erf.h"

using nnc::ir::Layout;
using nnc::test::LoweringHarness;

namespace {

// The recipe's arithmetic in float32, one rounding per operation as NNAPI's float32 kernels do.
struct FloatOperations {
  using Value = float;
  float abs(float x) { return std::fabs(x); }
  float relu(float x) { return std::max(x, 0.0f); }
  float exp(float x) { return std::exp(x); }
  float add(float a, float b) { return a + b; }
  float sub(float a, float b) { return a - b; }
  float mul(float a, float b) { return a * b; }
  float addNumber(float x, float c) { return x + c; }
  float mulNumber(float x, float c) { return x * c; }
  float numberDiv(float c, float x) { return c / x; }
};

double exactGelu(double x) { return x / 2 * (1 + std::erf(x / std::sqrt(2.0))); }

}  // namespace

TEST_CASE("gelu's erf recipe is within 3.5e-7 of the exact gelu over [-14, 14]", "[gelu]") {
  // A&S 7.1.26 bounds erf's error by 1.5e-7, gelu's by |x|/2 times that where e^(-x^2/2) has not yet taken the
  // correction away; float32 roundings of the 19 operations add a few units of 2^-24 of the result. Measured 3.3e-7
  // (at x ~ 3.06); PyTorch's own float32 gelu is off by up to 3.8e-7.
  FloatOperations f;
  double worst = 0, worst_at = 0;
  for (int i = -1400000; i <= 1400000; ++i) {
    const float x = static_cast<float>(i * 1e-5);
    const double error = std::fabs(double(nnc::gelu_erf::gelu(f, x)) - exactGelu(x));
    if (error > worst) {
      worst = error;
      worst_at = x;
    }
  }
  INFO("max error " << worst << " at x = " << worst_at);
  CHECK(worst < 3.5e-7);
  CHECK(worst > 1e-8);  // the recipe is an approximation: a zero error would mean the test measured nothing
}

TEST_CASE("gelu's erf recipe: the error of erf itself, seen through 1 - 2 (P/2) e^(-z^2), is within 6.5e-7", "[gelu]") {
  // gelu = relu(x) - |x| (P/2) e^(-x^2/2), so erf(|x|/sqrt 2) = 1 - 2 (gelu(x) - relu(x)) / -|x|. Taken on x > 0
  // from the recipe's own result, this is the erf the emitted operations compute, rounding of the final SUB included.
  FloatOperations f;
  double worst = 0;
  for (int i = 1; i <= 600000; ++i) {
    const double x = i * 1e-5 * std::sqrt(2.0);  // z = x / sqrt 2 in (0, 6]
    const float xf = static_cast<float>(x);
    const double correction = double(xf) - double(nnc::gelu_erf::gelu(f, xf));  // |x| (P/2) e^(-z^2)
    const double erf = 1 - 2 * correction / xf;
    worst = std::max(worst, std::fabs(erf - std::erf(xf / std::sqrt(2.0))));
  }
  INFO("max error of erf " << worst);
  CHECK(worst < 6.5e-7);  // the float32 SUB at small x is what dominates: A&S itself is 1.5e-7
}

TEST_CASE("gelu approximate='none' emits the erf recipe on an NHWC map, no transpose", "[gelu]") {
  LoweringHarness h(29);
  const auto x = h.tensor({1, 3, 4, 5}, Layout::ChannelsLast);
  h.lower("aten::gelu", {x, h.constant(std::string("none"))});
  using V = std::vector<int32_t>;
  const int32_t ABS = ANEURALNETWORKS_ABS, ADD = ANEURALNETWORKS_ADD, DIV = ANEURALNETWORKS_DIV,
                MUL = ANEURALNETWORKS_MUL, EXP = ANEURALNETWORKS_EXP, RELU = ANEURALNETWORKS_RELU,
                SUB = ANEURALNETWORKS_SUB;
  REQUIRE(h.operationCodes() ==
          V{ABS, ADD, DIV, MUL, ADD, MUL, ADD, MUL, ADD, MUL, ADD, MUL, MUL, MUL, EXP, MUL, MUL, RELU, SUB});
  const uint32_t in = h.operandOf(x);
  CHECK(h.operation(0).inputs == std::vector<uint32_t>{in});
  // t = k / (|x| + k), k = sqrt(2)/p
  const float k = static_cast<float>(std::sqrt(2.0) / nnc::gelu_erf::kP);
  CHECK(h.floatValues(h.operation(1).inputs[1]) == std::vector<float>{k});
  CHECK(h.floatValues(h.operation(2).inputs[0]) == std::vector<float>{k});
  // Horner from a5/2 down to a1/2
  CHECK(h.floatValues(h.operation(3).inputs[1]) == std::vector<float>{float(nnc::gelu_erf::kHalfA[4])});
  CHECK(h.floatValues(h.operation(10).inputs[1]) == std::vector<float>{float(nnc::gelu_erf::kHalfA[0])});
  // e^(-x^2/2) and relu of the input itself
  CHECK(h.operation(12).inputs[0] == in);
  CHECK(h.operation(12).inputs[1] == in);
  CHECK(h.floatValues(h.operation(13).inputs[1]) == std::vector<float>{-0.5f});
  CHECK(h.operation(17).inputs == std::vector<uint32_t>{in});
  CHECK(h.operation(18).inputs[0] == h.operation(17).outputs[0]);
  CHECK(h.operation(18).inputs[1] == h.operation(16).outputs[0]);
  CHECK(h.outputOperand() == h.operation(18).outputs[0]);
  for (const auto& op : h.operations()) CHECK(h.operand(op.outputs[0]).layout == Layout::ChannelsLast);
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 4, 5, 3});
}

TEST_CASE("gelu approximate='tanh' is x * sigmoid(x (c1 + c3 x^2)): six operations from feature level 1", "[gelu]") {
  LoweringHarness h(27);
  const auto x = h.tensor({2, 7});
  h.lower("aten::gelu", {x, h.constant(std::string("tanh"))});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_MUL, ANEURALNETWORKS_MUL, ANEURALNETWORKS_ADD,
                                                     ANEURALNETWORKS_MUL, ANEURALNETWORKS_LOGISTIC,
                                                     ANEURALNETWORKS_MUL});
  const double c1 = 2.0 * std::sqrt(2.0 / M_PI);  // 2 sqrt(2/pi): (1 + tanh u)/2 = sigmoid(2u)
  CHECK(h.floatValues(h.operation(1).inputs[1]) == std::vector<float>{float(0.044715 * c1)});
  CHECK(h.floatValues(h.operation(2).inputs[1]) == std::vector<float>{float(c1)});
  const uint32_t in = h.operandOf(x);
  CHECK(h.operation(3).inputs[1] == in);
  CHECK(h.operation(5).inputs[0] == in);
  CHECK(h.operation(5).inputs[1] == h.operation(4).outputs[0]);
  CHECK(h.outputOperand() == h.operation(5).outputs[0]);
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{2, 7});
}

TEST_CASE("gelu refuses what it does not emit correctly", "[gelu]") {
  SECTION("approximate='none' below feature level 3 (ABS, EXP)") {
    LoweringHarness h(28);
    const auto x = h.tensor({4});
    CHECK_THAT(h.unsupportedReason("aten::gelu", {x, h.constant(std::string("none"))}),
               Catch::Contains("ABS on TENSOR_FLOAT32") && Catch::Contains("needs Android 10"));
  }
  SECTION("an unknown approximation") {
    LoweringHarness h;
    const auto x = h.tensor({4});
    CHECK_THAT(h.unsupportedReason("aten::gelu", {x, h.constant(std::string("fast"))}),
               Catch::Contains("approximate='fast'"));
  }
  SECTION("rank 5, quantized") {
    LoweringHarness h;
    CHECK_THAT(h.unsupportedReason("aten::gelu", {h.tensor({1, 2, 3, 4, 5}), h.constant(std::string("none"))}),
               Catch::Contains("rank 5"));
    CHECK_THAT(h.unsupportedReason("aten::gelu", {h.quantTensor({1, 4}, 0.1f, 3), h.constant(std::string("tanh"))}),
               Catch::Contains("float32"));
  }
}
