// aten::conv2d, aten::conv1d, aten::conv_transpose1d, aten::_convolution(_mode) (what tracing records) -> CONV_2D,
// DEPTHWISE_CONV_2D, GROUPED_CONV_2D or TRANSPOSE_CONV_2D, on a channels-last input with the weights re-laid out
// offline. A 1-D convolution is the 2-D one on a map of height 1 (ops/sequence_map.h). The geometry and the operand
// list are shared with the quantized convolutions (ops/convolution.h).
#include "ops/convolution.h"

#include "nnapi/NeuralNetworks.h"
#include "ops/checks.h"
#include "ops/registry.h"
#include "ops/sequence_map.h"

namespace nnc {

std::vector<int64_t> hwPair(std::vector<int64_t> values, const char* what) {
  if (values.size() == 1) values.push_back(values[0]);
  if (values.size() != 2) throw Unsupported(std::string(what) + " must have 2 values for a 2-D convolution");
  return values;
}

namespace {

// A per-axis list of input i as (height, width). A 1-D convolution's one axis is the width of a map of height 1,
// whose height takes `unit` (1 for strides and dilations, 0 for paddings).
std::vector<int64_t> axisPair(const LoweringContext& ctx, size_t i, const char* what, bool one_d, int64_t unit) {
  const std::vector<int64_t> values = ctx.intListInput(i);
  if (!one_d) return hwPair(values, what);
  ctx.require(values.size() == 1, std::string(what) + " must have 1 value for a 1-D convolution");
  return {unit, values[0]};
}

// Arguments after (input, weight, bias): conv1d, conv2d and _convolution_mode (tracing's record of a padding
// string): (stride, padding, dilation, groups);
// conv_transpose1d and conv_transpose2d (scripted ConvTranspose; tracing records _convolution): (stride, padding,
// output_padding, groups, dilation);
// _convolution(stride, padding, dilation, transposed, output_padding, groups, ...). `kernel` is the weight's 4-D
// shape (a 1-D weight [O,I,K] as [O,I,1,K]).
ConvArgs parseArgs(const LoweringContext& ctx, const std::vector<int64_t>& kernel, bool one_d) {
  ConvArgs args;
  args.one_d = one_d;
  const bool conv_transpose = ctx.node().kind == "aten::conv_transpose1d" || ctx.node().kind == "aten::conv_transpose2d";
  const size_t dilation_input = conv_transpose ? 7 : 5;
  args.stride = axisPair(ctx, 3, "stride", one_d, 1);
  args.dilation = axisPair(ctx, dilation_input, "dilation", one_d, 1);
  if (const auto* mode = std::get_if<std::string>(&ctx.input(4).constant)) {
    // conv2d(padding='same'|'valid'): PyTorch pads 'same' symmetrically, extra on the bottom/right; only the
    // symmetric case (odd effective kernel, stride 1) is exact with our explicit padding here.
    args.padding = {0, 0};
    if (*mode == "same") {
      for (int axis = 0; axis < 2; ++axis) {
        const int64_t total = args.dilation[axis] * (kernel[2 + axis] - 1);
        ctx.require(total % 2 == 0, "padding='same' with an even effective kernel pads asymmetrically");
        args.padding[axis] = total / 2;
      }
    }
  } else {
    args.padding = axisPair(ctx, 4, "padding", one_d, 0);
  }
  if (conv_transpose) {
    args.transposed = true;
    args.output_padding = axisPair(ctx, 5, "output_padding", one_d, 0);
    args.groups = ctx.intInput(6);
  } else if (ctx.node().kind == "aten::_convolution") {
    args.transposed = ctx.boolInput(6);
    args.output_padding = axisPair(ctx, 7, "output_padding", one_d, 0);
    args.groups = ctx.intInput(8);
  } else {
    args.groups = ctx.intInput(6);
  }
  return args;
}

// TRANSPOSE_CONV_2D (feature level 3): PyTorch's ConvTranspose weight [I, O, H, W] -> NNAPI's filter [O, H, W, I].
void planTransposed(const LoweringContext& ctx, const std::vector<int64_t>& iohw, int64_t in_channels, int32_t type,
                    ConvPlan& plan) {
  ctx.requireOperation(ANEURALNETWORKS_TRANSPOSE_CONV_2D, type);
  ctx.require(plan.args.groups == 1, "grouped transposed convolution is not supported by NNAPI");
  ctx.require(!plan.dilated, "dilated transposed convolution is not supported by NNAPI");
  ctx.require(iohw[0] == in_channels, "the weight's input channels differ from the input's channels");
  plan.op = ANEURALNETWORKS_TRANSPOSE_CONV_2D;
  plan.filter_dims = {uint32_t(iohw[1]), uint32_t(iohw[2]), uint32_t(iohw[3]), uint32_t(iohw[0])};
  plan.relayout = FilterRelayout::IOHW_to_OHWI;
}

// CONV_2D, DEPTHWISE_CONV_2D (feature level 1) or GROUPED_CONV_2D (feature level 3); dilation inputs need feature
// level 3.
void planForward(const LoweringContext& ctx, const std::vector<int64_t>& oihw, int64_t in_channels, int32_t type,
                 ConvPlan& plan) {
  const int64_t groups = plan.args.groups;
  const bool depthwise = groups == in_channels && groups > 1 && oihw[1] == 1;
  plan.op = ANEURALNETWORKS_CONV_2D;
  if (depthwise) {
    plan.op = ANEURALNETWORKS_DEPTHWISE_CONV_2D;
    plan.depth_multiplier = oihw[0] / in_channels;
    plan.filter_dims = {1, uint32_t(oihw[2]), uint32_t(oihw[3]), uint32_t(oihw[0])};
    plan.relayout = FilterRelayout::O1HW_to_1HWO;
  } else {
    ctx.require(oihw[1] * groups == in_channels, "weight input channels x groups differ from the input's channels");
    if (groups > 1) {
      plan.op = ANEURALNETWORKS_GROUPED_CONV_2D;
      ctx.require(!plan.dilated, "dilated grouped convolution is not supported by NNAPI");
    }
    plan.filter_dims = {uint32_t(oihw[0]), uint32_t(oihw[2]), uint32_t(oihw[3]), uint32_t(oihw[1])};
    plan.relayout = FilterRelayout::OIHW_to_OHWI;
  }
  ctx.requireOperation(plan.op, type);
  if (plan.dilated) ctx.requireFeature(nnapi_rules::Feature::ConvDilation, plan.op);
}

Emitter lowerConvolution(const LoweringContext& ctx) {
  ctx.require(ctx.isTensor(0), "the input must be a tensor computed by the model");
  ctx.require(ctx.isConstTensor(1), "the weight must be a constant (a frozen parameter)");
  const ConstTensor& weight = ctx.constTensorInput(1);
  ctx.require(weight.shape.size() == 3 || weight.shape.size() == 4,
              "only 1-D and 2-D convolutions (3-D and 4-D weights) are supported");
  ctx.require(weight.dtype == DType::Float32, "only float32 weights are supported so far");
  requireFloat32(ctx, ctx.tensor(0));
  // A 1-D weight [O,I,K] (or [I,O,K] transposed) is the 2-D [O,I,1,K]: the same values in the same order.
  const bool one_d = weight.shape.size() == 3;
  std::vector<int64_t> shape = weight.shape;
  if (one_d) shape.insert(shape.begin() + 2, 1);
  const ConvPlan plan = planConvolution(ctx, shape, parseArgs(ctx, shape, one_d));
  std::vector<float> bias(plan.out_channels, 0.0f);
  if (!ctx.isNone(2)) {
    bias = ctx.constTensorInput(2).toFloats();
    ctx.require(static_cast<int64_t>(bias.size()) == plan.out_channels, "bias length differs from output channels");
  }
  return [plan, bias, shape](LoweringContext& ctx) {
    const ConstTensor& weight = ctx.constTensorInput(1);
    const uint32_t filter = ctx.f32Tensor(plan.filter_dims, relayoutFilter(plan.relayout, FloatValues(weight), shape),
                                          ir::Layout::Contiguous, ctx.input(1).name);
    ctx.weightMovedTo(1, filter, torchOrderOf(plan.relayout));
    const uint32_t bias_operand = ctx.f32Tensor({uint32_t(bias.size())}, bias, ir::Layout::Contiguous,
                                                ctx.input(2).name);
    emitConvolution(ctx, plan, filter, bias_operand, ANEURALNETWORKS_FUSED_NONE);
  };
}

}  // namespace

ConvPlan planConvolution(const LoweringContext& ctx, const std::vector<int64_t>& weight_shape, ConvArgs args) {
  ctx.require(ctx.isTensor(0), "the input must be a tensor computed by the model");
  ctx.require(weight_shape.size() == 4, "only 2-D convolutions (4-D weights) are supported");
  const std::vector<int64_t> in_shape = ctx.inputShape(0);
  ctx.require(in_shape.size() == (args.one_d ? 3u : 4u),
              args.one_d ? "the input of a 1-D convolution must be 3-D [N,C,L]" : "the input must be 4-D [N,C,H,W]");
  ConvPlan plan;
  plan.args = std::move(args);
  const ConvArgs& a = plan.args;
  for (int64_t p : a.padding) ctx.require(p >= 0, "negative padding");
  plan.dilated = a.dilation[0] != 1 || a.dilation[1] != 1;
  // NNAPI requires explicit padding smaller than the effective kernel.
  for (int axis = 0; axis < 2; ++axis) {
    const int64_t effective = a.dilation[axis] * (weight_shape[2 + axis] - 1) + 1;
    ctx.require(a.padding[axis] < effective, "padding must be smaller than the (dilated) kernel for NNAPI");
  }
  const int64_t in_channels = in_shape[1];
  const int32_t type = ctx.tensor(0).type;
  if (a.transposed) {
    planTransposed(ctx, weight_shape, in_channels, type, plan);
  } else {
    planForward(ctx, weight_shape, in_channels, type, plan);
  }
  plan.out_channels = plan.filter_dims[plan.op == ANEURALNETWORKS_DEPTHWISE_CONV_2D ? 3 : 0];
  requireMapInput(ctx);
  return plan;
}

// NNAPI's explicit padding is (left, right, top, bottom) and strides/dilations are (width, height): the reverse of
// PyTorch's (height, width) lists.
void emitConvolution(LoweringContext& ctx, const ConvPlan& plan, uint32_t filter, uint32_t bias, int32_t fuse,
                     std::optional<std::pair<float, int32_t>> quant) {
  const ConvArgs& args = plan.args;
  const uint32_t input = mapInput(ctx);
  const int32_t pw = int32_t(args.padding[1]), ph = int32_t(args.padding[0]);
  std::vector<uint32_t> operands = {input, filter, bias};
  if (plan.op == ANEURALNETWORKS_TRANSPOSE_CONV_2D) {
    // PyTorch's output extent (in-1)*s - 2p + k + output_padding equals NNAPI's in*s + k - s - head - tail with
    // head = p and tail = p - output_padding (NNAPI allows a negative right/bottom padding here).
    operands.insert(operands.end(), {ctx.i32(pw), ctx.i32(pw - int32_t(args.output_padding[1])), ctx.i32(ph),
                                     ctx.i32(ph - int32_t(args.output_padding[0]))});
  } else {
    operands.insert(operands.end(), {ctx.i32(pw), ctx.i32(pw), ctx.i32(ph), ctx.i32(ph)});
  }
  operands.push_back(ctx.i32(int32_t(args.stride[1])));
  operands.push_back(ctx.i32(int32_t(args.stride[0])));
  if (plan.op == ANEURALNETWORKS_DEPTHWISE_CONV_2D) operands.push_back(ctx.i32(int32_t(plan.depth_multiplier)));
  if (plan.op == ANEURALNETWORKS_GROUPED_CONV_2D) operands.push_back(ctx.i32(int32_t(args.groups)));
  operands.push_back(ctx.i32(fuse));
  // The layout flag and dilations are feature level 3 inputs: emitted only when needed (GROUPED_CONV_2D and
  // TRANSPOSE_CONV_2D always need the flag), so a plain conv stays valid on older devices.
  const bool needs_flag = plan.dilated || plan.op == ANEURALNETWORKS_GROUPED_CONV_2D ||
                          plan.op == ANEURALNETWORKS_TRANSPOSE_CONV_2D;
  if (needs_flag) operands.push_back(ctx.boolean(false));
  if (plan.dilated) {
    operands.push_back(ctx.i32(int32_t(args.dilation[1])));
    operands.push_back(ctx.i32(int32_t(args.dilation[0])));
  }
  setMapOutput(ctx, ctx.emit(plan.op, operands, {ir::Layout::ChannelsLast, {}, quant, ""}));
}

void registerConvolution(Registry& registry) {
  registry.add({"aten::conv1d", "aten::conv2d", "aten::conv_transpose1d", "aten::conv_transpose2d", "aten::_convolution",
                "aten::_convolution_mode"},
               lowerConvolution);
}

}  // namespace nnc
