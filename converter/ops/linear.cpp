// aten::linear, aten::addmm and 2-D aten::matmul/mm with a constant weight -> FULLY_CONNECTED (feature level 1); a
// 2-D product of two computed tensors -> TRANSPOSE of the right-hand side (feature level 2), then FULLY_CONNECTED;
// batched products of computed tensors are ops/batched_matmul.cpp's.
#include "nnapi/NeuralNetworks.h"
#include "ops/batched_matmul.h"
#include "ops/checks.h"
#include "ops/fully_connected.h"
#include "ops/registry.h"

namespace nnc {

FullyConnectedInput planFullyConnectedInput(const LoweringContext& ctx, size_t input, int64_t weight_in) {
  ctx.require(ctx.isTensor(input), "the input must be a tensor computed by the model");
  const ir::Operand& tensor = ctx.tensor(input);
  FullyConnectedInput fc;
  fc.input = input;
  fc.shape = ctx.inputShape(input);
  ctx.require(fc.shape.size() >= 1 && fc.shape.size() <= 4, "FULLY_CONNECTED takes inputs of rank 1 to 4");
  ctx.require(fc.shape.back() != 0, "the input's last dimension is fixed only at run time (--input -1); "
                                    "FULLY_CONNECTED needs it known");
  ctx.require(weight_in == fc.shape.back(), "the weight's input size differs from the input's last dimension");
  // Leading dimensions FULLY_CONNECTED flattens come back through RESHAPE, which infers only one unknown extent.
  ctx.require(fc.shape.size() == 2 || runTimeExtentCount(fc.shape) <= 1,
              "more than one dimension is fixed only at run time (--input -1); the RESHAPE that restores the "
              "leading dimensions can infer only one");
  if (tensor.layout == ir::Layout::ChannelsLastFlattened) {
    fc.flattened_chw = tensor.flattened_chw;
  } else {
    ctx.requireLayout(input, ir::Layout::Contiguous);
  }
  ctx.requireOperation(ANEURALNETWORKS_FULLY_CONNECTED, tensor.type);
  if (fc.shape.size() != 2) ctx.requireOperation(ANEURALNETWORKS_RESHAPE, tensor.type);
  return fc;
}

uint32_t fullyConnectedInputOperand(LoweringContext& ctx, const FullyConnectedInput& fc) {
  uint32_t input = fc.flattened_chw.empty() ? ctx.operandInput(fc.input, ir::Layout::Contiguous)
                                            : ctx.operandInput(fc.input);
  if (fc.shape.size() == 1) {
    input = ctx.emit(ANEURALNETWORKS_RESHAPE, {input, ctx.i32Tensor({1, int32_t(fc.shape[0])})});
  }
  return input;
}

void setFullyConnectedOutput(LoweringContext& ctx, const FullyConnectedInput& fc, uint32_t output, int64_t units) {
  std::vector<int64_t> out_shape(fc.shape.begin(), fc.shape.end() - 1);
  out_shape.push_back(units);
  // FULLY_CONNECTED flattens leading dimensions into a batch; PyTorch keeps them.
  if (ctx.shapeOf(output) != out_shape) {
    output = ctx.emit(ANEURALNETWORKS_RESHAPE, {output, ctx.i32Tensor(reshapeTarget(out_shape))});
  }
  ctx.setOutput(0, output);
}

namespace {

// input [..., in] x weights [units, in] (+ bias [units]) -> [..., units]. The weights are the constant node input
// `weight`, [units, in] as linear's, or [in, units] (matmul's, addmm's) to be transposed; they are only read when
// emitted.
struct FullyConnected {
  size_t input = 0;
  size_t weight = 0;
  bool transpose_weight = false;
  std::vector<float> bias;
};

std::vector<float> transposed(const FloatValues& m, int64_t rows, int64_t cols) {
  std::vector<float> t(m.size());
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c) t[c * rows + r] = m[r * cols + c];
  return t;
}

void emitFullyConnected(LoweringContext& ctx, const FullyConnected& fc, const FullyConnectedInput& in) {
  const int64_t units = static_cast<int64_t>(fc.bias.size());
  const int64_t in_features = in.shape.back();
  const uint32_t input = fullyConnectedInputOperand(ctx, in);
  uint32_t weight_operand = 0;
  if (fc.transpose_weight) {
    const ConstTensor& weight = ctx.constTensorInput(fc.weight);
    std::vector<float> weights = weightsForInput(in, transposed(FloatValues(weight), weight.shape[0], weight.shape[1]),
                                                 units);
    weight_operand = ctx.f32Tensor({uint32_t(units), uint32_t(in_features)}, std::move(weights),
                                   ir::Layout::Contiguous, ctx.outputName() + " weights");
  } else if (in.flattened_chw.empty()) {
    weight_operand = ctx.operandInput(fc.weight, ir::Layout::Contiguous);  // PyTorch's [units, in], its bytes shared
  } else {
    // A flattened NHWC input's features are in (H,W,C) order: the weight's columns are reordered instead of
    // transposing the input, in place where the frontend allows (VGG's 411 MB classifier weight is then held once).
    // The operand says so (its rows are flattened channels-last maps), so the weight tensor is stored
    // [units, H, W, C] and PyTorch's weight is that permuted to [units, C, H, W], flattened (the WeightMove).
    // The move is recorded before the bytes change and nothing that can fail comes between: should emitting fail
    // later, the frontend still reads PyTorch's weight back from the reordered bytes.
    const std::vector<uint32_t>& chw = in.flattened_chw;
    std::vector<float> scratch(static_cast<size_t>(in_features));
    LoweringContext::WeightToReorder weights = ctx.floatWeightToReorder(fc.weight);
    weight_operand = ctx.f32Tensor({uint32_t(units), uint32_t(in_features)}, weights.bytes, ir::Layout::Contiguous,
                                   ctx.outputName() + " weights");
    ir::Operand& operand = ctx.model().mutableOperand(weight_operand);
    operand.layout = ir::Layout::ChannelsLastFlattened;
    operand.flattened_chw = chw;
    ctx.weightMovedTo(fc.weight, weight_operand, {0, 3, 1, 2});
    columnsCHW_to_HWC_inPlace(weights.values, units, chw.at(0), chw.at(1), chw.at(2), scratch.data());
  }
  const uint32_t bias_operand = ctx.f32Tensor({uint32_t(units)}, fc.bias);
  const uint32_t output = ctx.emit(ANEURALNETWORKS_FULLY_CONNECTED,
                                   {input, weight_operand, bias_operand, ctx.i32(ANEURALNETWORKS_FUSED_NONE)});
  setFullyConnectedOutput(ctx, in, output, units);
}

// The support question for `fc` (its input, weight and bias already chosen by the lowering).
Emitter fullyConnected(const LoweringContext& ctx, FullyConnected fc) {
  ctx.require(ctx.isTensor(fc.input), "the input must be a tensor computed by the model");
  requireFloat32(ctx, ctx.tensor(fc.input));
  const std::vector<int64_t>& weight = ctx.constTensorInput(fc.weight).shape;
  const FullyConnectedInput in = planFullyConnectedInput(ctx, fc.input, fc.transpose_weight ? weight[0] : weight[1]);
  return [fc, in](LoweringContext& ctx) { emitFullyConnected(ctx, fc, in); };
}

// x [M,K] @ y [K,N], both computed by the model: FULLY_CONNECTED reads its weights [N,K] from any operand, so
// y only needs a TRANSPOSE (NNAPI has no general matmul before feature level 6's BATCH_MATMUL).
Emitter lowerMatmulOfTensors(const LoweringContext& ctx) {
  ctx.require(ctx.isTensor(0), "the input must be a tensor computed by the model");
  const ir::Operand& x = ctx.tensor(0);
  requireFloat32(ctx, x);  // the zero bias is float32
  requireFloat32(ctx, ctx.tensor(1));
  const std::vector<int64_t> x_shape = ctx.inputShape(0), y_shape = ctx.inputShape(1);
  ctx.require(x_shape.size() == 2 && y_shape.size() == 2, "a product of two computed tensors must be 2-D x 2-D");
  ctx.require(x_shape[1] == y_shape[0], "the inner dimensions of the product differ");
  ctx.requireLayout(0, ir::Layout::Contiguous);
  ctx.requireLayout(1, ir::Layout::Contiguous);
  ctx.requireOperation(ANEURALNETWORKS_TRANSPOSE, x.type, "a product of two computed tensors");
  ctx.requireOperation(ANEURALNETWORKS_FULLY_CONNECTED, x.type);
  const int64_t units = y_shape[1];
  return [units](LoweringContext& ctx) {
    const uint32_t x = ctx.operandInput(0, ir::Layout::Contiguous);
    const uint32_t y = ctx.operandInput(1, ir::Layout::Contiguous);
    const uint32_t weights = ctx.emit(ANEURALNETWORKS_TRANSPOSE, {y, ctx.i32Tensor({1, 0})});
    const uint32_t bias = ctx.f32Tensor({uint32_t(units)}, std::vector<float>(units, 0.0f));
    ctx.setOutput(0, ctx.emit(ANEURALNETWORKS_FULLY_CONNECTED,
                              {x, weights, bias, ctx.i32(ANEURALNETWORKS_FUSED_NONE)}));
  };
}

// aten::linear(input, weight [out, in], bias?)
Emitter lowerLinear(const LoweringContext& ctx) {
  const ConstTensor& weight = ctx.constTensorInput(1);
  ctx.require(weight.shape.size() == 2, "the weight must be 2-D");
  FullyConnected fc;
  fc.weight = 1;
  fc.bias.assign(weight.shape[0], 0.0f);
  if (!ctx.isNone(2)) fc.bias = ctx.constTensorInput(2).toFloats();
  ctx.require(static_cast<int64_t>(fc.bias.size()) == weight.shape[0], "bias length differs from the weight's rows");
  return fullyConnected(ctx, fc);
}

// aten::matmul/mm(input, other [in, out]).
Emitter lowerMatmul(const LoweringContext& ctx) {
  if (ctx.isTensor(1) && ctx.inputShape(1).size() > 2) return lowerBatchedMatmulOfTensors(ctx);
  if (ctx.isTensor(1)) return lowerMatmulOfTensors(ctx);
  const ConstTensor& other = ctx.constTensorInput(1);
  ctx.require(other.shape.size() == 2, "the constant matrix must be 2-D");
  FullyConnected fc;
  fc.weight = 1;
  fc.transpose_weight = true;
  fc.bias.assign(other.shape[1], 0.0f);
  return fullyConnected(ctx, fc);
}

// aten::addmm(bias, input, other [in, out], beta, alpha) = beta*bias + alpha*(input @ other).
Emitter lowerAddmm(const LoweringContext& ctx) {
  ctx.require(ctx.doubleInput(3) == 1.0 && ctx.doubleInput(4) == 1.0, "addmm with beta or alpha other than 1");
  ctx.require(ctx.isConstTensor(2), "only a product with a constant matrix is supported");
  const ConstTensor& other = ctx.constTensorInput(2);
  ctx.require(other.shape.size() == 2, "the constant matrix must be 2-D");
  const int64_t out = other.shape[1];
  const ConstTensor& bias_tensor = ctx.constTensorInput(0);
  FullyConnected fc;
  fc.input = 1;
  fc.weight = 2;
  fc.transpose_weight = true;
  fc.bias = bias_tensor.toFloats();
  if (fc.bias.size() == 1) fc.bias.assign(out, fc.bias[0]);
  ctx.require(static_cast<int64_t>(fc.bias.size()) == out && bias_tensor.shape.size() <= 1,
              "the bias must be a vector of the output size");
  return fullyConnected(ctx, fc);
}

}  // namespace

void registerLinear(Registry& registry) {
  registry.add({"aten::linear"}, lowerLinear);
  registry.add({"aten::matmul", "aten::mm"}, lowerMatmul);
  registry.add({"aten::addmm"}, lowerAddmm);
}

}  // namespace nnc
