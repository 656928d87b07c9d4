// The convolutions (§10): CONV_2D, DEPTHWISE_CONV_2D, GROUPED_CONV_2D, TRANSPOSE_CONV_2D. Each has an explicit
// padding form (four i32 pads) and an implicit one (a PaddingCode); the forms differ in input count, and where
// counts collide the type of one input decides. The operand positions of each form are described by a
// ConvSignature so one body checks all four operations.
#include "nnapi/NeuralNetworks.h"
#include "validation/op_check.h"

namespace nnapi_rules::detail {
namespace {

constexpr size_t kNone = size_t(-1);

enum class ConvKind { Conv, Depthwise, Grouped, Transpose };

// Input positions of the parameters after 0 input, 1 filter, 2 bias.
struct ConvSignature {
  bool explicitPadding = false;
  size_t paddingCode = kNone;  // implicit: the PaddingCode; explicit: first of left, right, top, bottom
  size_t outputShape = kNone;  // TRANSPOSE_CONV_2D implicit
  size_t strideW = kNone;
  size_t extra = kNone;  // depth multiplier or groups
  size_t fuse = kNone;
  size_t layout = kNone;     // optional or mandatory NCHW bool
  size_t dilationW = kNone;  // dilation_h follows
};

ConvSignature signatureFor(OpCheck& c, ConvKind kind) {
  const size_t n = c.inputCount();
  ConvSignature s;
  auto fill = [&](bool explicitForm) {
    s.explicitPadding = explicitForm;
    s.paddingCode = 3;
    size_t next = explicitForm ? 7 : 4;
    if (kind == ConvKind::Transpose && !explicitForm) {
      s.outputShape = 3;
      s.paddingCode = 4;
      next = 5;
    }
    s.strideW = next;
    next += 2;
    if (kind == ConvKind::Depthwise || kind == ConvKind::Grouped) s.extra = next++;
    s.fuse = next++;
    if (n > next) s.layout = next++;
    if (n > next) s.dilationW = next;
  };
  switch (kind) {
    case ConvKind::Conv:
      c.expectInputCount({7, 8, 10, 11, 13});
      // 10 inputs: explicit without layout, or implicit with layout and dilation; input 7 decides.
      fill(n == 11 || n == 13 || (n == 10 && c.scalarType(7) == kInt32));
      break;
    case ConvKind::Depthwise:
      c.expectInputCount({8, 9, 11, 12, 14});
      fill(n == 12 || n == 14 || (n == 11 && c.scalarType(8) == kInt32));
      break;
    case ConvKind::Grouped:
      c.expectInputCount({9, 12});
      fill(n == 12);
      break;
    case ConvKind::Transpose:
      c.expectInputCount({9, 11});
      fill(n == 11);
      break;
  }
  return s;
}

uint32_t positive(OpCheck& c, size_t i, const char* role) {
  const int32_t v = c.i32(i, role);
  if (v < 1) c.failInput(i, role, "must be >= 1, got " + std::to_string(v));
  return uint32_t(v);
}

void convRule(OpCheck& c, OpParams& params, ConvKind kind) {
  c.expectOutputCount(1);
  const ConvSignature sig = signatureFor(c, kind);
  const int32_t type = c.tensorType(0, "input");
  c.expectRank(0, "input", 4, 4);
  c.expectRank(1, "filter", 4, 4);
  const OperandDesc& filter = c.in(1);
  if (filter.type == Q8PC)
    checkPerChannelFilter(c, 1, kind == ConvKind::Depthwise ? 3 : 0);
  else
    c.sameType(1, "filter", 0);
  c.outputType(0, type);

  ConvParams p;
  p.strideW = positive(c, sig.strideW, "stride_w");
  p.strideH = positive(c, sig.strideW + 1, "stride_h");
  if (sig.extra != kNone)
    (kind == ConvKind::Depthwise ? p.multiplier : p.groups) =
        positive(c, sig.extra, kind == ConvKind::Depthwise ? "depth_multiplier" : "groups");
  p.fuse = c.fuse(sig.fuse);
  if (sig.layout != kNone) {
    p.nchw = c.boolean(sig.layout, "NCHW layout");
    c.needFeature(Feature::LayoutInput);
  }
  if (sig.dilationW != kNone) {
    p.dilationW = positive(c, sig.dilationW, "dilation_w");
    p.dilationH = positive(c, sig.dilationW + 1, "dilation_h");
    c.needFeature(Feature::ConvDilation);
  }

  // Filter geometry: [Cout, KH, KW, Cin/groups], depthwise [1, KH, KW, Cout].
  uint32_t cout = 0;
  if (c.rankKnown(1)) {
    p.filterH = filter.dims[1];
    p.filterW = filter.dims[2];
    cout = kind == ConvKind::Depthwise ? filter.dims[3] : filter.dims[0];
    if (kind == ConvKind::Depthwise && filter.dims[0] != 1)
      c.failInput(1, "filter", "dimension 0 is " + std::to_string(filter.dims[0]) + ", expected 1 (depthwise)");
  }
  Nhwc in;
  if (c.rankKnown(0)) in = readNhwc(c.in(0).dims, p.nchw);
  if (c.rankKnown(0) && c.rankKnown(1) && in.c != 0) {
    const std::string inC = std::to_string(in.c);
    if (kind == ConvKind::Depthwise) {
      if (filter.dims[3] != 0 && filter.dims[3] != in.c * p.multiplier)
        c.failInput(1, "filter",
                    "dimension 3 is " + std::to_string(filter.dims[3]) + ", expected " + inC +
                        " input channels * depth_multiplier " + std::to_string(p.multiplier));
    } else if (kind == ConvKind::Grouped) {
      if (filter.dims[3] * p.groups != in.c)
        c.failInput(1, "filter",
                    "dimension 3 is " + std::to_string(filter.dims[3]) + ", expected input channels " + inC +
                        " / groups " + std::to_string(p.groups));
      if (cout % p.groups != 0)
        c.failInput(1, "filter",
                    "dimension 0 (output channels) " + std::to_string(cout) + " is not a multiple of groups " +
                        std::to_string(p.groups));
    } else if (filter.dims[3] != in.c) {
      c.failInput(1, "filter",
                  "dimension 3 is " + std::to_string(filter.dims[3]) + ", expected " + inC + " (input channels)");
    }
  }
  checkBias(c, 2, 0, 1, cout);

  const uint32_t effW = (p.filterW - 1) * p.dilationW + 1, effH = (p.filterH - 1) * p.dilationH + 1;
  Nhwc out{in.n, 0, 0, cout};
  if (sig.explicitPadding) {
    const char* names[] = {"pad_left", "pad_right", "pad_top", "pad_bottom"};
    int32_t pads[4];
    for (int k = 0; k < 4; ++k) {
      const size_t i = sig.paddingCode + size_t(k);
      pads[k] = c.i32(i, names[k]);
      const bool mayBeNegative = kind == ConvKind::Transpose && (k == 1 || k == 3);
      if (pads[k] < 0 && !mayBeNegative) c.failInput(i, names[k], "must be >= 0, got " + std::to_string(pads[k]));
      const uint32_t eff = k < 2 ? effW : effH;
      if (kind != ConvKind::Transpose && c.rankKnown(1) && uint32_t(pads[k]) >= eff)
        c.failInput(
            i, names[k],
            "is " + std::to_string(pads[k]) + ", must be smaller than the effective kernel " + std::to_string(eff));
    }
    p.pad = {pads[0], pads[1], pads[2], pads[3]};
  } else {
    const int32_t code = c.i32(sig.paddingCode, "padding code");
    if (code != ANEURALNETWORKS_PADDING_SAME && code != ANEURALNETWORKS_PADDING_VALID)
      c.failInput(sig.paddingCode, "padding code", "PaddingCode " + std::to_string(code) + " is not 1 or 2");
    if (kind == ConvKind::Transpose) {
      // Padding from the requested output size O (only its H and W are used); the tail may go negative so
      // the output fits the last stride exactly (§10).
      const std::vector<int32_t> shape = c.i32Tensor(sig.outputShape, "output shape");
      if (shape.size() != 4)
        c.failInput(sig.outputShape, "output shape", "must hold 4 values, got " + std::to_string(shape.size()));
      std::vector<uint32_t> requested(shape.begin(), shape.end());
      const Nhwc o = readNhwc(requested, p.nchw);
      for (int axis = 0; axis < 2; ++axis) {
        const uint32_t size = axis ? o.w : o.h, stride = axis ? p.strideW : p.strideH, k = axis ? effW : effH;
        int32_t& head = axis ? p.pad.left : p.pad.top;
        int32_t& tail = axis ? p.pad.right : p.pad.bottom;
        implicitPadding(code, size, stride, k, &head, &tail);
        if (code == ANEURALNETWORKS_PADDING_SAME && size != 0) {
          const int64_t needed = ((int64_t(size) + stride - 1) / stride - 1) * stride + k;
          tail = int32_t(needed - size - head);
        }
      }
    } else {
      implicitPadding(code, in.w, p.strideW, effW, &p.pad.left, &p.pad.right);
      implicitPadding(code, in.h, p.strideH, effH, &p.pad.top, &p.pad.bottom);
    }
  }

  if (kind == ConvKind::Transpose) {
    auto extent = [](uint32_t size, uint32_t stride, uint32_t k, int32_t head, int32_t tail) -> uint32_t {
      if (size == 0) return 0;
      const int64_t e = int64_t(size - 1) * stride + k - head - tail;
      return e > 0 ? uint32_t(e) : 0;
    };
    out.h = extent(in.h, p.strideH, p.filterH, p.pad.top, p.pad.bottom);
    out.w = extent(in.w, p.strideW, p.filterW, p.pad.left, p.pad.right);
  } else {
    out.h = windowOutputSize(in.h, effH, p.strideH, p.pad.top, p.pad.bottom);
    out.w = windowOutputSize(in.w, effW, p.strideW, p.pad.left, p.pad.right);
  }
  if (c.rankKnown(0)) c.out(0).dims = writeNhwc(out, p.nchw);

  // FL1/FL2 quantized convolutions required a requantizing multiplier < 1.
  if (type == Q8A && filter.type == Q8A && !(double(c.declaredOut(0).scale) > double(c.in(0).scale) * filter.scale))
    c.needFeature(Feature::QuantOutputScaleBelowProduct);
  params = p;
}

void conv2d(OpCheck& c, OpParams& p) { convRule(c, p, ConvKind::Conv); }
void depthwise(OpCheck& c, OpParams& p) { convRule(c, p, ConvKind::Depthwise); }
void grouped(OpCheck& c, OpParams& p) { convRule(c, p, ConvKind::Grouped); }
void transpose(OpCheck& c, OpParams& p) { convRule(c, p, ConvKind::Transpose); }

}  // namespace

void registerConvRules(RuleTable& table) {
  table.add(ANEURALNETWORKS_CONV_2D, conv2d);
  table.add(ANEURALNETWORKS_DEPTHWISE_CONV_2D, depthwise);
  table.add(ANEURALNETWORKS_GROUPED_CONV_2D, grouped);
  table.add(ANEURALNETWORKS_TRANSPOSE_CONV_2D, transpose);
}

}  // namespace nnapi_rules::detail
