// Quantized ADD, SUB, MUL, PRELU, MAXIMUM, MINIMUM: hand-computed values (ties included), broadcasting, and
// random tensors against the real-valued operation within one quantum.
#include <catch2/catch.hpp>

#include <functional>
#include <stdexcept>
#include <vector>

#include "kernels/quant/binary_q8.h"
#include "kernels/quant/requantize.h"
#include "quant_test_util.h"

using namespace nnapi_host::kernels;
using namespace quant_test;

TEST_CASE("ADD int8 rounds ties away from zero", "[binary_q8]") {
  // s_a = s_b = 1, s_out = 2: out = (a + b) / 2. The §11.2 chain is exact here up to the final RDBPOT.
  const std::vector<int8_t> a{1, -1, 3, -3, 100, -128}, b{0, 0, 0, 0, 100, -128};
  std::vector<int8_t> out(6);
  addQ8(a.data(), {6}, {1.0f, 0}, b.data(), {6}, {1.0f, 0}, IntRange{-128, 127}, out.data(), {2.0f, 0});
  CHECK(out == std::vector<int8_t>{1, -1, 2, -2, 100, -128});
}

TEST_CASE("ADD uint8 with different scales and a fused RELU", "[binary_q8]") {
  // a real (q - 128) * 0.5, b real (q - 100) * 0.25, out s 0.5 zp 128.
  const std::vector<uint8_t> a{130, 120}, b{104, 90};  // 1 + 1 = 2, -4 - 2.5 = -6.5
  std::vector<uint8_t> out(2);
  const QuantParams outQ{0.5f, 128};
  addQ8(a.data(), {2}, {0.5f, 128}, b.data(), {2}, {0.25f, 100}, activationRange<uint8_t>(FuseCode::kNone, outQ),
        out.data(), outQ);
  CHECK(out == std::vector<uint8_t>{132, 115});  // -13 quanta: -6.5 / 0.5
  addQ8(a.data(), {2}, {0.5f, 128}, b.data(), {2}, {0.25f, 100}, activationRange<uint8_t>(FuseCode::kRelu, outQ),
        out.data(), outQ);
  CHECK(out == std::vector<uint8_t>{132, 128});
}

TEST_CASE("SUB, MUL, PRELU, MAXIMUM, MINIMUM on hand-computed values", "[binary_q8]") {
  std::vector<int8_t> out(3);
  const IntRange all{-128, 127};
  // SUB: [5, -2, 0] - [1, 1, -3] = [4, -3, 3], s 1.
  const std::vector<int8_t> a{5, -2, 0}, b{1, 1, -3};
  subQ8(a.data(), {3}, {1.0f, 0}, b.data(), {3}, {1.0f, 0}, all, out.data(), {1.0f, 0});
  CHECK(out == std::vector<int8_t>{4, -3, 3});
  // MUL: (a * 0.5) * (b * 0.5) with s_out 0.5: [1.25, -0.5, 0] -> [2.5 -> 3, -1, 0].
  mulQ8(a.data(), {3}, {0.5f, 0}, b.data(), {3}, {0.5f, 0}, all, out.data(), {0.5f, 0});
  CHECK(out == std::vector<int8_t>{3, -1, 0});
  // PRELU: x s 1, alpha 0.25 (q 1, s 0.25), out s 0.5: [5 -> 10, -2 -> -0.5 -> -1, 0 -> 0].
  const std::vector<int8_t> alpha{1};
  preluQ8(a.data(), {3}, {1.0f, 0}, alpha.data(), {1}, {0.25f, 0}, out.data(), {0.5f, 0});
  CHECK(out == std::vector<int8_t>{10, -1, 0});
  // MAXIMUM/MINIMUM: b is requantized from s 0.5 to s 1 first: [0.5 -> 1, 0.5 -> 1, -1.5 -> -2].
  maximumQ8(a.data(), {3}, {1.0f, 0}, b.data(), {3}, {0.5f, 0}, out.data(), {1.0f, 0});
  CHECK(out == std::vector<int8_t>{5, 1, 0});
  minimumQ8(a.data(), {3}, {1.0f, 0}, b.data(), {3}, {0.5f, 0}, out.data(), {1.0f, 0});
  CHECK(out == std::vector<int8_t>{1, -2, -2});
}

TEST_CASE("MUL rejects an output scale not above the product of the input scales", "[binary_q8]") {
  const std::vector<uint8_t> a{1}, b{1};
  std::vector<uint8_t> out(1);
  CHECK_THROWS_WITH(mulQ8(a.data(), {1}, {1.0f, 0}, b.data(), {1}, {1.0f, 0}, IntRange{0, 255}, out.data(), {1.0f, 0}),
                    Catch::Contains("MUL"));
}

namespace {

using RealOp = std::function<double(double, double)>;

// Runs `kernel` on broadcast shapes [2,1,3,1] x [4,1,5] -> [2,4,3,5] and compares with `real` quantized exactly.
template <typename T, typename Kernel>
void checkBroadcastAgainstReal(const Kernel& kernel, const RealOp& real, QuantParams aQ, QuantParams bQ,
                               QuantParams outQ) {
  const Dims aDims{2, 1, 3, 1}, bDims{4, 1, 5};
  const auto a = randomValues<T>(6), b = randomValues<T>(20);
  std::vector<T> out(2 * 4 * 3 * 5);
  kernel(a.data(), aDims, aQ, b.data(), bDims, bQ, out.data(), outQ);
  std::vector<T> exact(out.size());
  for (uint32_t i0 = 0; i0 < 2; ++i0)
    for (uint32_t i1 = 0; i1 < 4; ++i1)
      for (uint32_t i2 = 0; i2 < 3; ++i2)
        for (uint32_t i3 = 0; i3 < 5; ++i3) {
          const double x = realValue(a[i0 * 3 + i2], aQ), y = realValue(b[i1 * 5 + i3], bQ);
          exact[((i0 * 4 + i1) * 3 + i2) * 5 + i3] = T(quantizeExact(real(x, y), outQ, typeRange<T>()));
        }
  CHECK(maxDifference(out, exact) <= 1);  // each formula rounds more than once: at most one quantum off
  CHECK(fractionInside(out, typeRange<T>()) > 0.5);
}

}  // namespace

TEMPLATE_TEST_CASE("binary operations broadcast and stay within one quantum of the real result", "[binary_q8]",
                   uint8_t, int8_t) {
  using T = TestType;
  const int32_t zp = std::is_signed_v<T> ? 0 : 128;
  const QuantParams aQ{0.03f, zp + 7}, bQ{0.05f, zp - 11}, outQ{0.06f, zp + 3};
  const IntRange all = typeRange<T>();
  const auto withAct = [all](auto kernel) {
    return [kernel, all](const T* a, const Dims& ad, QuantParams aq, const T* b, const Dims& bd, QuantParams bq,
                         T* out, QuantParams oq) { kernel(a, ad, aq, b, bd, bq, all, out, oq); };
  };
  SECTION("ADD") { checkBroadcastAgainstReal<T>(withAct(addQ8<T>), std::plus<double>(), aQ, bQ, outQ); }
  SECTION("SUB") { checkBroadcastAgainstReal<T>(withAct(subQ8<T>), std::minus<double>(), aQ, bQ, outQ); }
  SECTION("MUL") {
    checkBroadcastAgainstReal<T>(withAct(mulQ8<T>), std::multiplies<double>(), aQ, bQ, {0.1f, zp});
  }
  SECTION("PRELU") {
    checkBroadcastAgainstReal<T>(preluQ8<T>, [](double x, double a) { return x >= 0 ? x : a * x; }, aQ, bQ, outQ);
  }
  SECTION("MAXIMUM") {
    checkBroadcastAgainstReal<T>(maximumQ8<T>, [](double x, double y) { return std::max(x, y); }, aQ, bQ, outQ);
  }
  SECTION("MINIMUM") {
    checkBroadcastAgainstReal<T>(minimumQ8<T>, [](double x, double y) { return std::min(x, y); }, aQ, bQ, outQ);
  }
}

TEMPLATE_TEST_CASE("ADD and SUB on equal shapes: vector and portable code agree bit for bit", "[binary_q8]", uint8_t,
                   int8_t) {
  using T = TestType;
  const Dims dims{3, 7, 11, 5};  // 1155 elements: vector body and scalar tail
  const auto a = randomValues<T>(1155), b = randomValues<T>(1155);
  const int32_t zp = std::is_signed_v<T> ? 0 : 128;
  // Scale pairs where a, b or neither dominates, and an output scale below and above the inputs'.
  const QuantParams cases[][3] = {{{0.03f, zp + 7}, {0.05f, zp - 11}, {0.06f, zp + 3}},
                                  {{0.5f, zp}, {0.01f, zp + 20}, {0.02f, zp - 5}},
                                  {{0.1f, zp - 60}, {0.1f, zp + 60}, {0.4f, zp}}};
  for (const auto& q : cases) {
    const IntRange act = activationRange<T>(FuseCode::kRelu, q[2]);
    for (bool subtract : {false, true}) {
      const auto run = [&](bool portable) {
        setPortableKernelsForTesting(portable);
        std::vector<T> out(a.size());
        (subtract ? subQ8<T> : addQ8<T>)(a.data(), dims, q[0], b.data(), dims, q[1], act, out.data(), q[2]);
        setPortableKernelsForTesting(false);
        return out;
      };
      const std::vector<T> vector = run(false), portable = run(true);
      CHECK(vector == portable);
      std::vector<T> exact(a.size());
      for (std::size_t i = 0; i < a.size(); ++i) {
        const double x = realValue(a[i], q[0]), y = realValue(b[i], q[1]);
        exact[i] = T(quantizeExact(subtract ? x - y : x + y, q[2], act));
      }
      CHECK(maxDifference(vector, exact) <= 1);  // §11.2 rounds three times: still within one quantum
    }
  }
}
