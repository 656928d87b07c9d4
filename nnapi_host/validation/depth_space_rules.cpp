// DEPTH_TO_SPACE, SPACE_TO_DEPTH (§10): 0 input [N,H,W,C]; 1 block size (i32 >= 1); 2 NCHW (optional, FL3).
// DEPTH_TO_SPACE -> [N, H*b, W*b, C/(b*b)] (C divisible by b*b); SPACE_TO_DEPTH -> [N, H/b, W/b, C*b*b] (H and W
// divisible by b). Both move elements: the output keeps the input's type and quantization.
#include "nnapi/NeuralNetworks.h"
#include "validation/op_check.h"

namespace nnapi_rules::detail {
namespace {

void blockRule(OpCheck& c, OpParams& params, bool toSpace) {
  c.expectInputCount({2, 3});
  c.expectOutputCount(1);
  const int32_t type = c.tensorType(0, "input");
  c.expectRank(0, "input", 4, 4);
  c.outputType(0, type);
  c.outputSameQuant(0, 0);
  BlockParams p;
  const int32_t block = c.i32(1, "block size");
  if (block < 1) c.failInput(1, "block size", "must be >= 1, got " + std::to_string(block));
  p.block = uint32_t(block);
  if (c.inputCount() > 2) {
    p.nchw = c.boolean(2, "NCHW layout");
    c.needFeature(Feature::LayoutInput);
  }
  params = p;
  if (!c.rankKnown(0)) return;
  const Nhwc in = readNhwc(c.in(0).dims, p.nchw);
  const uint32_t b = p.block, area = b * b;
  Nhwc out = in;
  if (toSpace) {
    if (in.c % area != 0)
      c.failInput(0, "input", "depth " + std::to_string(in.c) + " is not divisible by block size squared " +
                                  std::to_string(area));
    out = Nhwc{in.n, in.h * b, in.w * b, in.c / area};
  } else {
    if (in.h % b != 0 || in.w % b != 0)
      c.failInput(0, "input", "height " + std::to_string(in.h) + " and width " + std::to_string(in.w) +
                                  " must be divisible by the block size " + std::to_string(b));
    out = Nhwc{in.n, in.h / b, in.w / b, in.c * area};
  }
  c.out(0).dims = writeNhwc(out, p.nchw);
}

void depthToSpace(OpCheck& c, OpParams& p) { blockRule(c, p, true); }
void spaceToDepth(OpCheck& c, OpParams& p) { blockRule(c, p, false); }

}  // namespace

void registerDepthSpaceRules(RuleTable& table) {
  table.add(ANEURALNETWORKS_DEPTH_TO_SPACE, depthToSpace);
  table.add(ANEURALNETWORKS_SPACE_TO_DEPTH, spaceToDepth);
}

}  // namespace nnapi_rules::detail
