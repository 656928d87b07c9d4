// gelu(x) = x/2 * (1 + erf(x/sqrt(2))) from operations NNAPI has (it has no erf), written once as a recipe over an
// arithmetic `F`: the lowering (ops/gelu.cpp) instantiates it with F emitting NNAPI operations, the unit test with F
// computing in float as the desktop NNAPI's kernels do, so the test measures the very sequence of operations that
// is emitted.
//
// erf is Abramowitz & Stegun 7.1.26: for z >= 0, erf(z) = 1 - P(t) e^(-z^2) with t = 1/(1 + p z) and
// P(t) = a1 t + a2 t^2 + a3 t^3 + a4 t^4 + a5 t^5, absolute error below 1.5e-7. erf is odd, so with z = |x|/sqrt(2):
//   x >= 0: gelu(x) = x/2 (2 - P e^(-x^2/2)) = x - |x|/2 P e^(-x^2/2)
//   x <  0: gelu(x) = x/2 (P e^(-x^2/2))     =   - |x|/2 P e^(-x^2/2)
// i.e. gelu(x) = relu(x) - |x| * (P(t)/2) * e^(-x^2/2), with t = k / (k + |x|), k = sqrt(2)/p. The error is |x|/2
// times erf's, and e^(-x^2/2) makes the correction vanish for large |x| (it underflows to 0 past |x| ~ 13, where
// gelu(x) is relu(x) in float32). Measured against std::erf in double over [-12, 12] with float32 operations: 3.3e-7
// absolute at most (PyTorch's own float32 gelu: 3.8e-7). 19 NNAPI operations.
#pragma once

#include <cmath>

namespace nnc::gelu_erf {

constexpr double kP = 0.3275911;
// a1..a5 halved: the recipe uses P(t)/2.
constexpr double kHalfA[5] = {0.254829592 / 2, -0.284496736 / 2, 1.421413741 / 2, -1.453152027 / 2,
                              1.061405429 / 2};

// F provides: Value; abs, relu, exp (one operand); add, mul, sub (two operands); addNumber, mulNumber (operand and
// a float); numberDiv (a float divided by an operand).
template <typename F>
typename F::Value gelu(F& f, typename F::Value x) {
  using Value = typename F::Value;
  const float k = static_cast<float>(std::sqrt(2.0) / kP);
  const Value a = f.abs(x);
  const Value t = f.numberDiv(k, f.addNumber(a, k));
  // Horner: P(t)/2 = t (a1 + t (a2 + t (a3 + t (a4 + t a5)))) / 2
  Value p = f.mulNumber(t, static_cast<float>(kHalfA[4]));
  for (int i = 3; i >= 0; --i) p = f.mul(f.addNumber(p, static_cast<float>(kHalfA[i])), t);
  const Value gauss = f.exp(f.mulNumber(f.mul(x, x), -0.5f));
  // One statement per operation: the order of emission must not depend on the order arguments are evaluated in.
  const Value correction = f.mul(f.mul(p, gauss), a);
  const Value positive = f.relu(x);
  return f.sub(positive, correction);
}

}  // namespace nnc::gelu_erf
