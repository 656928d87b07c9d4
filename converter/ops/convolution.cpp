// aten::conv2d, aten::_convolution (what tracing records) -> CONV_2D, DEPTHWISE_CONV_2D, GROUPED_CONV_2D or
// TRANSPOSE_CONV_2D, on a channels-last input with the weights re-laid out offline.
#include "nnapi/NeuralNetworks.h"
#include "ops/registry.h"
#include "ops/weight_layout.h"

namespace nnc {
namespace {

struct ConvArgs {
  std::vector<int64_t> stride, padding, dilation, output_padding;
  bool transposed = false;
  int64_t groups = 1;
};

// PyTorch's per-axis lists are (height, width); a single int means both.
std::vector<int64_t> pair(std::vector<int64_t> values, const char* what) {
  if (values.size() == 1) values.push_back(values[0]);
  if (values.size() != 2) throw Unsupported(std::string(what) + " must have 2 values for a 2-D convolution");
  return values;
}

ConvArgs parseArgs(LoweringContext& ctx) {
  ConvArgs args;
  args.stride = pair(ctx.intListInput(3), "stride");
  const std::vector<int64_t> kernel = ctx.constTensorInput(1).shape;
  if (const auto* mode = std::get_if<std::string>(&ctx.input(4).constant)) {
    // conv2d(padding='same'|'valid'): PyTorch pads 'same' symmetrically, extra on the bottom/right; only the
    // symmetric case (odd effective kernel, stride 1) is exact with our explicit padding here.
    args.dilation = pair(ctx.intListInput(5), "dilation");
    args.padding = {0, 0};
    if (*mode == "same") {
      for (int axis = 0; axis < 2; ++axis) {
        const int64_t total = args.dilation[axis] * (kernel[2 + axis] - 1);
        ctx.require(total % 2 == 0, "padding='same' with an even effective kernel pads asymmetrically");
        args.padding[axis] = total / 2;
      }
    }
  } else {
    args.padding = pair(ctx.intListInput(4), "padding");
    args.dilation = pair(ctx.intListInput(5), "dilation");
  }
  if (ctx.node().kind == "aten::_convolution") {
    args.transposed = ctx.boolInput(6);
    args.output_padding = pair(ctx.intListInput(7), "output_padding");
    args.groups = ctx.intInput(8);
  } else {
    args.groups = ctx.intInput(6);
  }
  return args;
}

void lowerConvolution(LoweringContext& ctx) {
  ctx.require(ctx.isTensor(0), "the input must be a tensor computed by the model");
  ctx.require(ctx.isConstTensor(1), "the weight must be a constant (a frozen parameter)");
  const ConstTensor& weight = ctx.constTensorInput(1);
  ctx.require(weight.shape.size() == 4, "only 2-D convolutions (4-D weights) are supported");
  ctx.require(weight.dtype == DType::Float32, "only float32 weights are supported so far");
  const std::vector<int64_t> in_shape = ctx.torchShape(ctx.input(0).operand);
  ctx.require(in_shape.size() == 4, "the input must be 4-D [N,C,H,W]");
  const ConvArgs args = parseArgs(ctx);
  for (int64_t p : args.padding) ctx.require(p >= 0, "negative padding");

  const int64_t in_channels = in_shape[1];
  const int64_t kh = weight.shape[2], kw = weight.shape[3];
  const int64_t out_channels = args.transposed ? weight.shape[1] * args.groups : weight.shape[0];
  const bool depthwise = !args.transposed && args.groups == in_channels && args.groups > 1 && weight.shape[1] == 1;
  const bool dilated = args.dilation[0] != 1 || args.dilation[1] != 1;
  // NNAPI requires explicit padding smaller than the effective kernel.
  for (int axis = 0; axis < 2; ++axis) {
    const int64_t effective = args.dilation[axis] * (weight.shape[2 + axis] - 1) + 1;
    ctx.require(args.padding[axis] < effective, "padding must be smaller than the (dilated) kernel for NNAPI");
  }

  std::vector<float> bias(out_channels, 0.0f);
  if (!ctx.isNone(2)) {
    bias = ctx.constTensorInput(2).toFloats();
    ctx.require(static_cast<int64_t>(bias.size()) == out_channels, "bias length differs from output channels");
  }

  const uint32_t input = ctx.toLayout(ctx.input(0).operand, ir::Layout::ChannelsLast);
  const std::vector<float> values = weight.toFloats();
  const uint32_t bias_operand = ctx.f32Tensor({uint32_t(out_channels)}, bias, ir::Layout::Contiguous,
                                              ctx.input(2).name);
  // NNAPI's explicit padding is (left, right, top, bottom) and strides/dilations are (width, height): the
  // reverse of PyTorch's (height, width) lists.
  std::vector<uint32_t> operands = {input};
  int32_t op = ANEURALNETWORKS_CONV_2D;
  const ir::OutputSpec out{ir::Layout::ChannelsLast, {}, {}, ""};

  if (args.transposed) {
    ctx.require(args.groups == 1, "grouped transposed convolution is not supported by NNAPI");
    ctx.require(!dilated, "dilated transposed convolution is not supported by NNAPI");
    const std::vector<int64_t> iohw = weight.shape;
    const uint32_t filter = ctx.f32Tensor({uint32_t(iohw[1]), uint32_t(kh), uint32_t(kw), uint32_t(iohw[0])},
                                          IOHW_to_OHWI(values, iohw), ir::Layout::Contiguous, ctx.input(1).name);
    // PyTorch's output extent (in-1)*s - 2p + k + output_padding equals NNAPI's in*s + k - s - head - tail with
    // head = p and tail = p - output_padding (NNAPI allows a negative right/bottom padding here).
    const int32_t pw = int32_t(args.padding[1]), ph = int32_t(args.padding[0]);
    operands = {input, filter, bias_operand,
                ctx.i32(pw), ctx.i32(pw - int32_t(args.output_padding[1])),
                ctx.i32(ph), ctx.i32(ph - int32_t(args.output_padding[0])),
                ctx.i32(int32_t(args.stride[1])), ctx.i32(int32_t(args.stride[0])),
                ctx.i32(ANEURALNETWORKS_FUSED_NONE), ctx.boolean(false)};
    ctx.setOutput(0, ctx.emit(ANEURALNETWORKS_TRANSPOSE_CONV_2D, operands, out));
    return;
  }

  uint32_t filter = 0;
  if (depthwise) {
    op = ANEURALNETWORKS_DEPTHWISE_CONV_2D;
    filter = ctx.f32Tensor({1, uint32_t(kh), uint32_t(kw), uint32_t(out_channels)},
                           O1HW_to_1HWO(values, weight.shape), ir::Layout::Contiguous, ctx.input(1).name);
  } else {
    ctx.require(weight.shape[1] * args.groups == in_channels, "weight input channels x groups differ from the "
                                                               "input's channels");
    if (args.groups > 1) {
      op = ANEURALNETWORKS_GROUPED_CONV_2D;
      ctx.require(!dilated, "dilated grouped convolution is not supported by NNAPI");
    }
    filter = ctx.f32Tensor({uint32_t(out_channels), uint32_t(kh), uint32_t(kw), uint32_t(weight.shape[1])},
                           OIHW_to_OHWI(values, weight.shape), ir::Layout::Contiguous, ctx.input(1).name);
  }
  const uint32_t pw = uint32_t(args.padding[1]), ph = uint32_t(args.padding[0]);
  operands = {input, filter, bias_operand, ctx.i32(pw), ctx.i32(pw), ctx.i32(ph), ctx.i32(ph),
              ctx.i32(int32_t(args.stride[1])), ctx.i32(int32_t(args.stride[0]))};
  if (depthwise) operands.push_back(ctx.i32(int32_t(out_channels / in_channels)));  // depth multiplier
  if (op == ANEURALNETWORKS_GROUPED_CONV_2D) operands.push_back(ctx.i32(int32_t(args.groups)));
  operands.push_back(ctx.i32(ANEURALNETWORKS_FUSED_NONE));
  // The layout flag and dilations are FL3 inputs: emit them only when needed (GROUPED_CONV_2D always needs the
  // flag), so a plain conv stays valid on older devices.
  if (dilated || op == ANEURALNETWORKS_GROUPED_CONV_2D) operands.push_back(ctx.boolean(false));
  if (dilated) {
    operands.push_back(ctx.i32(int32_t(args.dilation[1])));
    operands.push_back(ctx.i32(int32_t(args.dilation[0])));
  }
  ctx.setOutput(0, ctx.emit(op, operands, out));
}

}  // namespace

void registerConvolution(Registry& registry) {
  registry.add({"aten::conv2d", "aten::_convolution"}, lowerConvolution);
}

}  // namespace nnc
