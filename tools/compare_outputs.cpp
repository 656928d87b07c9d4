#include "compare_outputs.h"

#include <cmath>
#include <cstdio>
#include <limits>

#include <ATen/ATen.h>

#include "cli_common.h"

namespace nnc::cli {
namespace {

std::string number(double value, const char* format = "%.3e") {
  char text[32];
  std::snprintf(text, sizeof text, format, value);
  return text;
}

// Quantized output: the largest difference in steps of the reference's scale.
OutputComparison compareQuantized(const at::Tensor& reference, const at::Tensor& converted, const CompareRule& rule) {
  OutputComparison result;
  const double scale = reference.q_scale();
  // Same quantization: count steps exactly on the integers; otherwise measure in the reference's steps.
  const bool same_quant = converted.q_scale() == scale && converted.q_zero_point() == reference.q_zero_point();
  const double lsb = same_quant ? (reference.int_repr().to(at::kInt) - converted.int_repr().to(at::kInt))
                                      .abs().max().item<double>()
                                : (reference.dequantize() - converted.dequantize()).abs().max().item<double>() / scale;
  const int64_t differing = (reference.int_repr() != converted.int_repr()).sum().item<int64_t>();
  result.pass = lsb <= rule.max_lsb + 1e-3;  // 1e-3: a float division of exactly N steps may land above N
  result.details = {{"max_lsb", lsb}, {"differing_elements", differing}, {"scale", scale}};
  result.text = "max " + number(lsb) + " LSB, " + std::to_string(differing) + " of " +
                std::to_string(reference.numel()) + " elements differ";
  return result;
}

// Float output of a quantized model: direction (cosine) and decision (top-1) must agree.
OutputComparison compareDequantized(const at::Tensor& reference, const at::Tensor& converted,
                                    const CompareRule& rule) {
  OutputComparison result;
  const at::Tensor a = reference.flatten(), b = converted.flatten();
  const double norms = a.norm().item<double>() * b.norm().item<double>();
  const bool both_zero = a.abs().max().item<double>() == 0.0 && b.abs().max().item<double>() == 0.0;
  const double cosine = both_zero ? 1.0 : (norms > 0 ? (a * b).sum().item<double>() / norms : 0.0);
  // Top-1 is a classifier's decision: rows of a [N, classes] output. The converted model's choice agrees when it
  // is one of the reference's maxima (quantized logits tie often).
  bool same_top1 = true;
  if (reference.dim() == 2 && reference.size(1) > 1) {
    const at::Tensor chosen = converted.argmax(1, /*keepdim=*/true);
    same_top1 = reference.gather(1, chosen).squeeze(1).equal(std::get<0>(reference.max(1)));
  }
  result.pass = cosine >= rule.min_cosine && same_top1;
  result.details = {{"cosine", cosine}, {"same_top1", same_top1}};
  result.text = "cosine " + number(cosine) + ", top-1 " + (same_top1 ? "same" : "DIFFERENT");
  return result;
}

double floatRtol(const CompareRule& rule) {
  return rule.relaxed_depth > 0 ? rule.rtol + relaxedRtol(rule.relaxed_depth) : rule.rtol;
}

OutputComparison compareFloat(const at::Tensor& reference, const at::Tensor& converted, const CompareRule& rule) {
  OutputComparison result;
  const double max_ref = reference.numel() ? reference.abs().max().item<double>() : 0.0;
  const double max_err = reference.numel() ? (reference - converted).abs().max().item<double>() : 0.0;
  // NaN anywhere fails: a comparison with NaN is false.
  result.pass = max_err <= rule.atol + floatRtol(rule) * max_ref;
  result.details = {{"max_abs_error", max_err}, {"max_abs_reference", max_ref}};
  result.text = "max abs error " + number(max_err) + "  max |reference| " + number(max_ref);
  return result;
}

}  // namespace

double relaxedRtol(int depth) { return 5.0 * std::ldexp(1.0, -10) * std::sqrt(double(depth)); }

std::string describeRule(const CompareRule& rule) {
  if (rule.quantized_model) {
    return "quantized model: quantized outputs within " + std::to_string(rule.max_lsb) +
           " LSB; float outputs cosine >= " + number(rule.min_cosine, "%g") + " and the same top-1";
  }
  const std::string rule_text =
      "max|a-b| <= " + number(rule.atol) + " + " + number(floatRtol(rule)) + " * max|reference|";
  if (rule.relaxed_depth == 0) return rule_text;
  return rule_text + " (--relax-fp16: rtol " + number(rule.rtol) + " + 5*2^-10*sqrt(" +
         std::to_string(rule.relaxed_depth) + " operations on the longest path))";
}

OutputComparison compareOutput(const std::string& label, size_t index, const at::Tensor& reference,
                               const at::Tensor& converted, const CompareRule& rule) {
  OutputComparison result;
  const std::string shape = shapeText(reference.sizes().vec());
  if (reference.sizes() != converted.sizes() || reference.is_quantized() != converted.is_quantized()) {
    result.details = {{"index", index}, {"shape", reference.sizes().vec()}, {"pass", false},
                      {"converted_shape", converted.sizes().vec()}};
    result.text = label + ": shape " + shape + " (converted: " +
                  shapeText(converted.sizes().vec()) + (converted.is_quantized() ? ", quantized" : "") + ")  FAIL";
    return result;
  }
  if (reference.is_quantized()) {
    result = compareQuantized(reference, converted, rule);
  } else if (rule.quantized_model) {
    result = compareDequantized(reference.to(at::kFloat), converted.to(at::kFloat), rule);
  } else {
    result = compareFloat(reference.to(at::kFloat), converted.to(at::kFloat), rule);
  }
  result.details["index"] = index;
  result.details["shape"] = reference.sizes().vec();
  result.details["pass"] = result.pass;
  result.text = label + ": shape " + shape + "  " + result.text + "  " +
                (result.pass ? "PASS" : "FAIL");
  return result;
}

}  // namespace nnc::cli
