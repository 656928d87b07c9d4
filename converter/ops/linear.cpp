// aten::linear, aten::addmm and 2-D aten::matmul/mm with a constant weight -> FULLY_CONNECTED.
#include "nnapi/NeuralNetworks.h"
#include "ops/registry.h"
#include "ops/weight_layout.h"

namespace nnc {
namespace {

// input [..., in] x weights [units, in] (+ bias [units]) -> [..., units].
void emitFullyConnected(LoweringContext& ctx, size_t input_index, std::vector<float> weights, int64_t units,
                        std::vector<float> bias) {
  ctx.require(ctx.isTensor(input_index), "the input must be a tensor computed by the model");
  uint32_t input = ctx.input(input_index).operand;
  const std::vector<int64_t> shape = ctx.torchShape(input);
  ctx.require(!shape.empty(), "the input must be at least 1-D");
  const int64_t in_features = shape.back();
  ctx.require(static_cast<int64_t>(weights.size()) == units * in_features,
              "the weight's input size differs from the input's last dimension");

  const ir::Operand& source = ctx.operand(input);
  if (source.layout == ir::Layout::ChannelsLastFlattened) {
    // The input's features are in (H,W,C) order: reorder the weight's columns instead of transposing the input.
    const auto& chw = source.flattened_chw;
    weights = columnsCHW_to_HWC(weights, units, chw[0], chw[1], chw[2]);
  } else {
    input = ctx.toLayout(input, ir::Layout::Contiguous);
  }
  ctx.require(shape.size() >= 1 && shape.size() <= 4, "FULLY_CONNECTED takes inputs of rank 1 to 4");
  if (shape.size() == 1) {
    input = ctx.emit(ANEURALNETWORKS_RESHAPE, {input, ctx.i32Tensor({1, int32_t(in_features)})});
  }
  const uint32_t weight_operand = ctx.f32Tensor({uint32_t(units), uint32_t(in_features)}, weights,
                                                ir::Layout::Contiguous, ctx.outputName() + " weights");
  const uint32_t bias_operand = ctx.f32Tensor({uint32_t(units)}, bias);
  uint32_t output = ctx.emit(ANEURALNETWORKS_FULLY_CONNECTED,
                             {input, weight_operand, bias_operand, ctx.i32(ANEURALNETWORKS_FUSED_NONE)});
  if (shape.size() != 2) {
    // FULLY_CONNECTED flattens leading dimensions into a batch; PyTorch keeps them.
    std::vector<int32_t> out_shape(shape.begin(), shape.end() - 1);
    out_shape.push_back(int32_t(units));
    output = ctx.emit(ANEURALNETWORKS_RESHAPE, {output, ctx.i32Tensor(out_shape)});
  }
  ctx.setOutput(0, output);
}

std::vector<float> transposed(const std::vector<float>& m, int64_t rows, int64_t cols) {
  std::vector<float> t(m.size());
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c) t[c * rows + r] = m[r * cols + c];
  return t;
}

// x [M,K] @ y [K,N], both computed by the model: FULLY_CONNECTED reads its weights [N,K] from any operand, so
// y only needs a TRANSPOSE (NNAPI has no general matmul before feature level 6's BATCH_MATMUL).
void lowerMatmulOfTensors(LoweringContext& ctx) {
  ctx.require(ctx.isTensor(0), "the input must be a tensor computed by the model");
  const uint32_t x = ctx.toLayout(ctx.input(0).operand, ir::Layout::Contiguous);
  const uint32_t y = ctx.toLayout(ctx.input(1).operand, ir::Layout::Contiguous);
  const std::vector<int64_t> x_shape = ctx.torchShape(x), y_shape = ctx.torchShape(y);
  ctx.require(x_shape.size() == 2 && y_shape.size() == 2, "a product of two computed tensors must be 2-D x 2-D");
  ctx.require(x_shape[1] == y_shape[0], "the inner dimensions of the product differ");
  const uint32_t weights = ctx.emit(ANEURALNETWORKS_TRANSPOSE, {y, ctx.i32Tensor({1, 0})});
  const uint32_t bias = ctx.f32Tensor({uint32_t(y_shape[1])}, std::vector<float>(y_shape[1], 0.0f));
  ctx.setOutput(0, ctx.emit(ANEURALNETWORKS_FULLY_CONNECTED,
                            {x, weights, bias, ctx.i32(ANEURALNETWORKS_FUSED_NONE)}));
}

// aten::linear(input, weight [out, in], bias?)
void lowerLinear(LoweringContext& ctx) {
  const ConstTensor& weight = ctx.constTensorInput(1);
  ctx.require(weight.shape.size() == 2, "the weight must be 2-D");
  std::vector<float> bias(weight.shape[0], 0.0f);
  if (!ctx.isNone(2)) bias = ctx.constTensorInput(2).toFloats();
  ctx.require(static_cast<int64_t>(bias.size()) == weight.shape[0], "bias length differs from the weight's rows");
  emitFullyConnected(ctx, 0, weight.toFloats(), weight.shape[0], bias);
}

// aten::matmul/mm(input, other [in, out]).
void lowerMatmul(LoweringContext& ctx) {
  if (ctx.isTensor(1)) {
    lowerMatmulOfTensors(ctx);
    return;
  }
  const ConstTensor& other = ctx.constTensorInput(1);
  ctx.require(other.shape.size() == 2, "the constant matrix must be 2-D");
  const int64_t in = other.shape[0], out = other.shape[1];
  emitFullyConnected(ctx, 0, transposed(other.toFloats(), in, out), out, std::vector<float>(out, 0.0f));
}

// aten::addmm(bias, input, other [in, out], beta, alpha) = beta*bias + alpha*(input @ other).
void lowerAddmm(LoweringContext& ctx) {
  ctx.require(ctx.doubleInput(3) == 1.0 && ctx.doubleInput(4) == 1.0, "addmm with beta or alpha other than 1");
  ctx.require(ctx.isConstTensor(2), "only a product with a constant matrix is supported");
  const ConstTensor& other = ctx.constTensorInput(2);
  ctx.require(other.shape.size() == 2, "the constant matrix must be 2-D");
  const int64_t in = other.shape[0], out = other.shape[1];
  const ConstTensor& bias_tensor = ctx.constTensorInput(0);
  std::vector<float> bias = bias_tensor.toFloats();
  if (bias.size() == 1) bias.assign(out, bias[0]);
  ctx.require(static_cast<int64_t>(bias.size()) == out && bias_tensor.shape.size() <= 1,
              "the bias must be a vector of the output size");
  emitFullyConnected(ctx, 1, transposed(other.toFloats(), in, out), out, bias);
}

}  // namespace

void registerLinear(Registry& registry) {
  registry.add({"aten::linear"}, lowerLinear);
  registry.add({"aten::matmul", "aten::mm"}, lowerMatmul);
  registry.add({"aten::addmm"}, lowerAddmm);
}

}  // namespace nnc
