// Operations that only rearrange elements (§10): RESHAPE, SQUEEZE, EXPAND_DIMS, TRANSPOSE, CONCATENATION.
// All keep the input's quantization.
#include <algorithm>

#include "nnapi/NeuralNetworks.h"
#include "validation/op_check.h"

namespace nnapi_rules::detail {
namespace {

// Input 0 of one of the operation's types, output of the same type and q.
int32_t sameQuantTensor(OpCheck& c) {
  const int32_t type = c.tensorType(0, "input");
  c.outputType(0, type);
  c.outputSameQuant(0, 0);
  return type;
}

uint64_t elementCount(const std::vector<uint32_t>& dims) {
  uint64_t n = 1;
  for (uint32_t d : dims) n *= d;
  return n;
}

void reshapeRule(OpCheck& c, OpParams&) {
  c.expectInputCount({2});
  c.expectOutputCount(1);
  sameQuantTensor(c);
  c.expectRank(0, "input", 0, 4);
  const std::optional<std::vector<int32_t>> given = c.i32TensorIfConstant(1, "shape");
  if (!given) {  // a model input: the output has as many dimensions as the shape has values, extents at run time
    const std::vector<uint32_t>& length = c.in(1).dims;
    if (!length.empty() && length[0] != 0) {
      if (length[0] > 4) c.failInput(1, "shape", "must hold 1..4 values, has " + std::to_string(length[0]));
      c.out(0).dims.assign(length[0], 0);
    }
    return;
  }
  const std::vector<int32_t>& shape = *given;
  if (shape.empty() || shape.size() > 4)
    c.failInput(1, "shape", "must hold 1..4 values, got " + std::to_string(shape.size()));
  std::vector<uint32_t> out(shape.size());
  int inferred = -1;
  uint64_t known = 1;
  for (size_t k = 0; k < shape.size(); ++k) {
    if (shape[k] == -1 && inferred < 0) {
      inferred = int(k);
      continue;
    }
    if (shape[k] < 1)
      c.failInput(1, "shape",
                  "value " + std::to_string(shape[k]) + " at position " + std::to_string(k) +
                      " is invalid (positive, or a single -1)");
    out[k] = uint32_t(shape[k]);
    known *= out[k];
  }
  const uint64_t total = c.rankKnown(0) ? elementCount(c.in(0).dims) : 0;
  if (total != 0) {
    if (inferred >= 0) {
      if (total % known != 0)
        c.failInput(1, "shape",
                    "cannot infer the -1 extent: " + std::to_string(total) + " elements are not a multiple of " +
                        std::to_string(known));
      out[size_t(inferred)] = uint32_t(total / known);
    } else if (total != known) {
      c.failInput(1, "shape",
                  "has " + std::to_string(known) + " elements, the input " + dimsToString(c.in(0).dims) + " has " +
                      std::to_string(total));
    }
  }
  c.out(0).dims = out;
}

void squeezeRule(OpCheck& c, OpParams&) {
  c.expectInputCount({1, 2});
  c.expectOutputCount(1);
  sameQuantTensor(c);
  c.expectRank(0, "input", 0, 4);
  const bool allAxes = c.inputCount() == 1 || c.omitted(1);
  if (!c.rankKnown(0)) return;
  const std::vector<uint32_t>& dims = c.in(0).dims;
  std::vector<bool> squeeze(dims.size(), false);
  if (!allAxes) {
    for (int32_t a : c.i32Tensor(1, "axes")) {
      const uint32_t axis = c.axis(1, "axes", a, dims.size());
      if (dims[axis] != 1 && dims[axis] != 0)
        c.failInput(
            1, "axes",
            "dimension " + std::to_string(axis) + " of " + dimsToString(dims) + " is not 1 and cannot be squeezed");
      squeeze[axis] = true;
    }
  } else {
    for (size_t k = 0; k < dims.size(); ++k) squeeze[k] = dims[k] == 1;
  }
  std::vector<uint32_t> out;
  for (size_t k = 0; k < dims.size(); ++k)
    if (!squeeze[k]) out.push_back(dims[k]);
  if (out.empty()) out = {1};
  c.out(0).dims = out;
}

void expandDimsRule(OpCheck& c, OpParams&) {
  c.expectInputCount({2});
  c.expectOutputCount(1);
  sameQuantTensor(c);
  const int32_t value = c.i32(1, "axis");
  if (!c.rankKnown(0)) return;
  std::vector<uint32_t> out = c.in(0).dims;
  const uint32_t axis = c.axis(1, "axis", value, out.size() + 1);
  out.insert(out.begin() + axis, 1);
  c.out(0).dims = out;
}

void transposeRule(OpCheck& c, OpParams& params) {
  c.expectInputCount({1, 2});
  c.expectOutputCount(1);
  sameQuantTensor(c);
  c.expectRank(0, "input", 0, 4);
  const bool reverse = c.inputCount() == 1 || c.omitted(1);
  if (!c.rankKnown(0)) return;
  const std::vector<uint32_t>& dims = c.in(0).dims;
  TransposeParams p;
  if (!reverse) {
    const std::optional<std::vector<int32_t>> given = c.i32TensorIfConstant(1, "perm");
    if (!given) {  // a model input: the output has the input's rank, extents at run time
      const std::vector<uint32_t>& length = c.in(1).dims;
      if (!length.empty() && length[0] != 0 && length[0] != dims.size())
        c.failInput(1, "perm",
                    "has " + std::to_string(length[0]) + " values, input rank is " + std::to_string(dims.size()));
      c.out(0).dims.assign(dims.size(), 0);
      return;
    }
    const std::vector<int32_t>& perm = *given;
    if (perm.size() != dims.size())
      c.failInput(1, "perm",
                  "has " + std::to_string(perm.size()) + " values, input rank is " + std::to_string(dims.size()));
    std::vector<bool> seen(dims.size(), false);
    for (int32_t v : perm) {
      if (v < 0 || size_t(v) >= dims.size() || seen[size_t(v)])
        c.failInput(1, "perm", "is not a permutation of 0.." + std::to_string(dims.size() - 1));
      seen[size_t(v)] = true;
      p.perm.push_back(uint32_t(v));
    }
  } else {
    for (size_t k = dims.size(); k-- > 0;) p.perm.push_back(uint32_t(k));  // omitted: reverse the axes
  }
  std::vector<uint32_t> out;
  for (uint32_t axis : p.perm) out.push_back(dims[axis]);
  c.out(0).dims = out;
  params = p;
}

void concatenationRule(OpCheck& c, OpParams& params) {
  c.expectOutputCount(1);
  if (c.inputCount() < 2) c.fail("takes at least one tensor and the axis, got " + std::to_string(c.inputCount()));
  const size_t tensors = c.inputCount() - 1;
  const int32_t type = c.tensorType(0, "input");
  c.outputType(0, type);
  const int32_t axisValue = c.i32(tensors, "axis");
  const size_t rank = c.in(0).dims.size();
  c.expectRank(0, "input", 0, 4);
  ConcatParams p;
  if (rank != 0) {
    // The reference accepts only non-negative axes here.
    if (axisValue < 0 || size_t(axisValue) >= rank)
      c.failInput(tensors, "axis",
                  "is " + std::to_string(axisValue) + ", must be in [0, " + std::to_string(rank) + ")");
    p.axis = uint32_t(axisValue);
  }
  std::vector<uint32_t> out = c.in(0).dims;
  bool quantChanges = false;
  for (size_t i = 0; i < tensors; ++i) {
    c.sameType(i, "input", 0);
    const OperandDesc& d = c.in(i);
    if (isQuantized8(type) && (d.scale != c.declaredOut(0).scale || d.zeroPoint != c.declaredOut(0).zeroPoint))
      quantChanges = true;
    if (i == 0 || rank == 0) continue;
    if (d.dims.size() != rank)
      c.failInput(i, "input", "rank is " + std::to_string(d.dims.size()) + ", input 0's is " + std::to_string(rank));
    for (size_t k = 0; k < rank; ++k) {
      if (k == p.axis) {
        out[k] = (out[k] == 0 || d.dims[k] == 0) ? 0 : out[k] + d.dims[k];
      } else if (d.dims[k] != 0 && out[k] != 0 && d.dims[k] != out[k]) {
        c.failInput(i, "input",
                    "dimension " + std::to_string(k) + " is " + std::to_string(d.dims[k]) + ", other inputs have " +
                        std::to_string(out[k]) + " (only axis " + std::to_string(p.axis) + " may differ)");
      } else if (out[k] == 0) {
        out[k] = d.dims[k];
      }
    }
  }
  if (quantChanges) c.needFeature(Feature::ConcatMixedQuant);
  if (rank != 0) c.out(0).dims = out;
  params = p;
}

}  // namespace

void registerShapeRules(RuleTable& table) {
  table.add(ANEURALNETWORKS_RESHAPE, reshapeRule);
  table.add(ANEURALNETWORKS_SQUEEZE, squeezeRule);
  table.add(ANEURALNETWORKS_EXPAND_DIMS, expandDimsRule);
  table.add(ANEURALNETWORKS_TRANSPOSE, transposeRule);
  table.add(ANEURALNETWORKS_CONCATENATION, concatenationRule);
}

}  // namespace nnapi_rules::detail
