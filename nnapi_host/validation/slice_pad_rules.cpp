// STRIDED_SLICE, PAD, PAD_V2 (§10), MIRROR_PAD (feature level 7). Outputs keep the input q.
#include <algorithm>

#include "nnapi/NeuralNetworks.h"
#include "validation/op_check.h"

namespace nnapi_rules::detail {
namespace {

// A constant TENSOR_INT32 holding exactly `count` values.
std::vector<int32_t> perAxisValues(OpCheck& c, size_t i, const char* role, size_t count) {
  std::vector<int32_t> v = c.i32Tensor(i, role);
  if (v.size() != count)
    c.failInput(i, role, "holds " + std::to_string(v.size()) + " values, expected " + std::to_string(count));
  return v;
}

// §10 index clamping of a begin/end value on an axis of extent d, for a positive or negative stride.
int64_t clampIndex(int64_t i, int64_t d, bool positiveStride) {
  if (positiveStride) {
    if (i >= d) return d;
    i = std::clamp(i, -d, d);
  } else {
    if (i < -d) return -1;
    i = std::clamp(i, -d, d - 1);
  }
  return i < 0 ? i + d : i;
}

void stridedSliceRule(OpCheck& c, OpParams& params) {
  c.expectInputCount({7});
  c.expectOutputCount(1);
  const int32_t type = c.tensorType(0, "input");
  c.expectRank(0, "input", 1, 4);
  c.outputType(0, type);
  c.outputSameQuant(0, 0);
  const int32_t beginMask = c.i32(4, "begin_mask"), endMask = c.i32(5, "end_mask");
  const int32_t shrinkMask = c.i32(6, "shrink_axis_mask");
  if (!c.rankKnown(0)) return;
  const std::vector<uint32_t>& dims = c.in(0).dims;
  const size_t rank = dims.size();
  const std::vector<int32_t> begin = perAxisValues(c, 1, "begin", rank);
  const std::vector<int32_t> end = perAxisValues(c, 2, "end", rank);
  const std::vector<int32_t> strides = perAxisValues(c, 3, "strides", rank);
  SliceParams p;
  std::vector<uint32_t> out;
  for (size_t k = 0; k < rank; ++k) {
    const int64_t d = dims[k], s = strides[k];
    if (s == 0) c.failInput(3, "strides", "stride of axis " + std::to_string(k) + " is 0");
    const bool shrink = (shrinkMask >> k) & 1;
    if (d == 0) {  // unknown extent: the slice is resolved at execution
      p.begin.push_back(0);
      p.strides.push_back(int32_t(s));
      p.counts.push_back(0);
      if (!shrink) out.push_back(0);
      continue;
    }
    const int64_t b = ((beginMask >> k) & 1) ? (s > 0 ? 0 : d - 1) : clampIndex(begin[k], d, s > 0);
    const int64_t e = ((endMask >> k) & 1) ? (s > 0 ? d : -1) : clampIndex(end[k], d, s > 0);
    const int64_t span = e - b;
    const int64_t count = std::max<int64_t>(0, s > 0 ? (span + s - 1) / s : (span + s + 1) / s);
    if (shrink && (s < 0 || count != 1))
      c.failInput(6, "shrink_axis_mask",
                  "axis " + std::to_string(k) +
                      " is shrunk, which needs a positive stride and exactly 1 element, got " + std::to_string(count) +
                      " element(s) with stride " + std::to_string(s));
    p.begin.push_back(int32_t(b));
    p.strides.push_back(int32_t(s));
    p.counts.push_back(uint32_t(count));
    if (!shrink) out.push_back(uint32_t(count));
  }
  if (out.empty()) out = {1};
  c.out(0).dims = out;
  params = p;
}

void padCommon(OpCheck& c, OpParams& params, PadParams p) {
  c.expectRank(0, "input", 1, 4);
  c.outputSameQuant(0, 0);
  if (!c.rankKnown(0)) return;
  const std::vector<uint32_t>& dims = c.in(0).dims;
  const std::vector<int32_t> pads = perAxisValues(c, 1, "paddings", dims.size() * 2);
  std::vector<uint32_t> out;
  for (size_t k = 0; k < dims.size(); ++k) {
    const int32_t before = pads[2 * k], after = pads[2 * k + 1];
    if (before < 0 || after < 0)
      c.failInput(1, "paddings",
                  "axis " + std::to_string(k) + " has negative padding (" + std::to_string(before) + ", " +
                      std::to_string(after) + ")");
    p.pads.emplace_back(uint32_t(before), uint32_t(after));
    out.push_back(dims[k] == 0 ? 0 : dims[k] + uint32_t(before) + uint32_t(after));
  }
  c.out(0).dims = out;
  params = p;
}

void padRule(OpCheck& c, OpParams& params) {
  c.expectInputCount({2});
  c.expectOutputCount(1);
  const int32_t type = c.tensorType(0, "input");
  c.outputType(0, type);
  PadParams p;
  if (isQuantized8(type)) {
    p.intValue = c.in(0).zeroPoint;  // quantized PAD fills with the logical zero
    if (type == Q8A && p.intValue != 0) c.needFeature(Feature::PadQuantNonZeroZeroPoint);
  }
  padCommon(c, params, p);
}

void padV2Rule(OpCheck& c, OpParams& params) {
  c.expectInputCount({3});
  c.expectOutputCount(1);
  const int32_t type = c.tensorType(0, "input");
  c.outputType(0, type);
  PadParams p;
  if (isQuantized8(type)) {
    p.intValue = c.i32(2, "pad value");  // the raw quantized value
    const int32_t lo = type == Q8A ? 0 : -128, hi = type == Q8A ? 255 : 127;
    if (p.intValue < lo || p.intValue > hi)
      c.failInput(2, "pad value",
                  std::to_string(p.intValue) + " is outside the " + operandTypeName(type) + " range [" +
                      std::to_string(lo) + ", " + std::to_string(hi) + "]");
  } else {
    p.floatValue = c.floatScalar(2, "pad value", type);
  }
  padCommon(c, params, p);
}

// MIRROR_PAD: 0 input (rank 1..4 here), 1 paddings [rank, 2] as PAD's, 2 mode (INT32 scalar: 0 REFLECT mirrors
// around the edge element, so at most extent - 1 per side; 1 SYMMETRIC repeats the edge element, at most extent).
void mirrorPadRule(OpCheck& c, OpParams& params) {
  c.expectInputCount({3});
  c.expectOutputCount(1);
  const int32_t type = c.tensorType(0, "input");
  c.outputType(0, type);
  const int32_t mode = c.i32(2, "mode");
  if (mode != 0 && mode != 1)
    c.failInput(2, "mode", std::to_string(mode) + " is neither REFLECT (0) nor SYMMETRIC (1)");
  padCommon(c, params, PadParams{});
  if (!c.rankKnown(0)) return;
  MirrorPadParams p{std::get<PadParams>(params).pads, mode == 0};
  const std::vector<uint32_t>& dims = c.in(0).dims;
  for (size_t k = 0; k < dims.size(); ++k) {
    if (dims[k] == 0) continue;  // known at execution, checked then
    const uint32_t most = dims[k] - (p.reflect ? 1 : 0);
    if (p.pads[k].first > most || p.pads[k].second > most)
      c.failInput(1, "paddings",
                  "axis " + std::to_string(k) + " of extent " + std::to_string(dims[k]) + " is padded (" +
                      std::to_string(p.pads[k].first) + ", " + std::to_string(p.pads[k].second) + "), more than " +
                      (p.reflect ? "REFLECT" : "SYMMETRIC") + "'s " + std::to_string(most));
  }
  params = p;
}

}  // namespace

void registerSlicePadRules(RuleTable& table) {
  table.add(ANEURALNETWORKS_STRIDED_SLICE, stridedSliceRule);
  table.add(ANEURALNETWORKS_PAD, padRule);
  table.add(ANEURALNETWORKS_PAD_V2, padV2Rule);
  table.add(ANEURALNETWORKS_MIRROR_PAD, mirrorPadRule);
}

}  // namespace nnapi_rules::detail
