// RESIZE_BILINEAR, RESIZE_NEAREST_NEIGHBOR (§10): 0 input [N,H,W,C]; 1 width, 2 height (i32 sizes, or from FL3
// float scale factors); 3 NCHW; 4 align_corners, 5 half_pixel_centers (FL4). Output keeps the input q.
#include <cmath>

#include "nnapi/NeuralNetworks.h"
#include "validation/op_check.h"

namespace nnapi_rules::detail {
namespace {

void resizeRule(OpCheck& c, OpParams& params, bool nearest) {
  if (nearest)
    c.expectInputCount({4, 5, 6});
  else
    c.expectInputCount({3, 4, 5, 6});
  c.expectOutputCount(1);
  const int32_t type = c.tensorType(0, "input");
  c.expectRank(0, "input", 4, 4);
  c.outputType(0, type);
  c.outputSameQuant(0, 0);
  ResizeParams p;
  if (c.inputCount() > 3) {
    p.nchw = c.boolean(3, "NCHW layout");
    c.needFeature(Feature::LayoutInput);
  }
  if (c.inputCount() > 4) {
    p.alignCorners = c.boolean(4, "align_corners");
    c.needFeature(Feature::ResizeAlignCorners);
  }
  if (c.inputCount() > 5) p.halfPixelCenters = c.boolean(5, "half_pixel_centers");
  if (p.alignCorners && p.halfPixelCenters)
    c.failInput(5, "half_pixel_centers", "cannot be true together with align_corners");

  Nhwc in;
  if (c.rankKnown(0)) in = readNhwc(c.in(0).dims, p.nchw);
  if (c.scalarType(1) == kInt32) {
    const int32_t w = c.i32(1, "output width"), h = c.i32(2, "output height");
    if (w < 1) c.failInput(1, "output width", "must be >= 1, got " + std::to_string(w));
    if (h < 1) c.failInput(2, "output height", "must be >= 1, got " + std::to_string(h));
    p.outW = uint32_t(w);
    p.outH = uint32_t(h);
  } else {
    c.needFeature(Feature::ResizeScaleInputs);
    const float sw = c.floatScalar(1, "width scale", type), sh = c.floatScalar(2, "height scale", type);
    if (!(sw > 0)) c.failInput(1, "width scale", "must be > 0, got " + std::to_string(sw));
    if (!(sh > 0)) c.failInput(2, "height scale", "must be > 0, got " + std::to_string(sh));
    // floor(in * factor), computed in float as the reference does; unknown input sizes stay unknown.
    p.outW = uint32_t(std::floor(float(in.w) * sw));
    p.outH = uint32_t(std::floor(float(in.h) * sh));
    if (in.w != 0 && p.outW == 0) c.failInput(1, "width scale", "gives an output width of 0");
    if (in.h != 0 && p.outH == 0) c.failInput(2, "height scale", "gives an output height of 0");
  }
  if (c.rankKnown(0)) c.out(0).dims = writeNhwc(Nhwc{in.n, p.outH, p.outW, in.c}, p.nchw);
  params = p;
}

void bilinear(OpCheck& c, OpParams& p) { resizeRule(c, p, false); }
void nearestNeighbor(OpCheck& c, OpParams& p) { resizeRule(c, p, true); }

}  // namespace

void registerResizeRules(RuleTable& table) {
  table.add(ANEURALNETWORKS_RESIZE_BILINEAR, bilinear);
  table.add(ANEURALNETWORKS_RESIZE_NEAREST_NEIGHBOR, nearestNeighbor);
}

}  // namespace nnapi_rules::detail
