// AVERAGE_POOL_2D, MAX_POOL_2D, L2_POOL_2D (§10): explicit form 10/11 inputs, implicit 7/8; output has input q.
#include "nnapi/NeuralNetworks.h"
#include "validation/op_check.h"

namespace nnapi_rules::detail {
namespace {

uint32_t positive(OpCheck& c, size_t i, const char* role) {
  const int32_t v = c.i32(i, role);
  if (v < 1) c.failInput(i, role, "must be >= 1, got " + std::to_string(v));
  return uint32_t(v);
}

void poolRule(OpCheck& c, OpParams& params) {
  c.expectInputCount({7, 8, 10, 11});
  c.expectOutputCount(1);
  const bool explicitPadding = c.inputCount() >= 10;
  const int32_t type = c.tensorType(0, "input");  // the table has no quantized L2_POOL_2D
  c.expectRank(0, "input", 4, 4);
  c.outputType(0, type);
  c.outputSameQuant(0, 0);

  PoolParams p;
  const size_t first = explicitPadding ? 5 : 2;  // stride_w, stride_h, filter_w, filter_h, fuse, [NCHW]
  p.strideW = positive(c, first, "stride_w");
  p.strideH = positive(c, first + 1, "stride_h");
  p.filterW = positive(c, first + 2, "filter_w");
  p.filterH = positive(c, first + 3, "filter_h");
  p.fuse = c.fuse(first + 4);
  if (c.inputCount() == first + 6) {
    p.nchw = c.boolean(first + 5, "NCHW layout");
    c.needFeature(Feature::LayoutInput);
  }
  Nhwc in;
  if (c.rankKnown(0)) in = readNhwc(c.in(0).dims, p.nchw);
  if (explicitPadding) {
    const char* names[] = {"pad_left", "pad_right", "pad_top", "pad_bottom"};
    int32_t pads[4];
    for (size_t k = 0; k < 4; ++k) {
      pads[k] = c.i32(1 + k, names[k]);
      const uint32_t filter = k < 2 ? p.filterW : p.filterH;
      if (pads[k] < 0 || uint32_t(pads[k]) >= filter)
        c.failInput(1 + k, names[k],
                    "is " + std::to_string(pads[k]) + ", must be in [0, filter size " + std::to_string(filter) + ")");
    }
    p.pad = {pads[0], pads[1], pads[2], pads[3]};
  } else {
    const int32_t code = c.i32(1, "padding code");
    if (code != ANEURALNETWORKS_PADDING_SAME && code != ANEURALNETWORKS_PADDING_VALID)
      c.failInput(1, "padding code", "PaddingCode " + std::to_string(code) + " is not 1 or 2");
    implicitPadding(code, in.w, p.strideW, p.filterW, &p.pad.left, &p.pad.right);
    implicitPadding(code, in.h, p.strideH, p.filterH, &p.pad.top, &p.pad.bottom);
  }
  if (c.rankKnown(0)) {
    const Nhwc out{in.n, windowOutputSize(in.h, p.filterH, p.strideH, p.pad.top, p.pad.bottom),
                   windowOutputSize(in.w, p.filterW, p.strideW, p.pad.left, p.pad.right), in.c};
    c.out(0).dims = writeNhwc(out, p.nchw);
  }
  params = p;
}

}  // namespace

void registerPoolRules(RuleTable& table) {
  table.add(ANEURALNETWORKS_AVERAGE_POOL_2D, poolRule);
  table.add(ANEURALNETWORKS_MAX_POOL_2D, poolRule);
  table.add(ANEURALNETWORKS_L2_POOL_2D, poolRule);
}

}  // namespace nnapi_rules::detail
