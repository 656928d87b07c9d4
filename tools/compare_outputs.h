// How `verify` compares an output of the converted module with the original's.
//   float models:      PASS when max|a-b| <= atol + rtol * max|reference|
//   relaxed models     (--relax-fp16): the same with rtol + relaxedRtol(depth); see there
//   quantized models:  a quantized output within max_lsb steps of its scale everywhere; a float output of a
//                      quantized model (after its DeQuantStub) with cosine similarity >= min_cosine and, for a
//                      [N, classes] output, the same top-1 (the converted model's choice is one of the reference's
//                      maxima), since requantization rounds differently between PyTorch's kernels and NNAPI's and
//                      the differences compound over the layers.
#pragma once

#include <string>

#include <ATen/core/Tensor.h>
#include <nlohmann/json.hpp>

namespace nnc::cli {

struct CompareRule {
  double atol = 1e-4;
  double rtol = 1e-4;
  bool quantized_model = false;
  int max_lsb = 2;
  double min_cosine = 0.99;
  // --relax-fp16: the number of NNAPI operations on the longest path from an input to an output (summed over the
  // partitions); 0 when the model computes float32 at full precision.
  int relaxed_depth = 0;
};

// What relaxed computation adds to rtol for a path of `depth` operations: 5 * 2^-10 * sqrt(depth).
// 5 * 2^-10 = 10u, u = 2^-11 binary16's unit roundoff, is the error AOSP's NNAPI tests accept for one relaxed (or
// float16) operation; a relaxed operation rounds its inputs, weights and result to binary16, each within u
// relative. Over `depth` operations in sequence these independent rounding errors grow like sqrt(depth), not
// depth (Higham and Mary, "A new approach to probabilistic rounding error analysis", 2019).
double relaxedRtol(int depth);

std::string describeRule(const CompareRule& rule);

struct OutputComparison {
  bool pass = false;
  nlohmann::json details;  // index, shape, and the measures of the rule that applied
  std::string text;        // one line for people
};

// `label` starts the text ("output 0"); `index` goes into details.
OutputComparison compareOutput(const std::string& label, size_t index, const at::Tensor& reference,
                               const at::Tensor& converted, const CompareRule& rule);

}  // namespace nnc::cli
