// Parameters of an operation, decoded once from its operand list by the same rule code that validates it.
// The desktop NNAPI's executor runs kernels from these structs, so no operation's operand list is decoded in two
// places. Shapes are not repeated here: they live on the (inferred) operand descriptions.
#pragma once

#include <cstdint>
#include <utility>
#include <variant>
#include <vector>

#include "validation/operation_rules.h"

namespace nnapi_rules {

// Resolved padding, NNAPI order (left, right, top, bottom). TRANSPOSE_CONV_2D may have negative right/bottom.
struct Padding2D {
  int32_t left = 0, right = 0, top = 0, bottom = 0;
};

// CONV_2D, DEPTHWISE_CONV_2D, GROUPED_CONV_2D, TRANSPOSE_CONV_2D.
struct ConvParams {
  Padding2D pad;
  uint32_t strideW = 1, strideH = 1;
  uint32_t dilationW = 1, dilationH = 1;
  uint32_t filterW = 1, filterH = 1;
  uint32_t groups = 1;      // GROUPED_CONV_2D
  uint32_t multiplier = 1;  // DEPTHWISE_CONV_2D
  int32_t fuse = 0;
  bool nchw = false;  // input 0 and output 0 are [N,C,H,W]
};

// AVERAGE_POOL_2D, MAX_POOL_2D, L2_POOL_2D.
struct PoolParams {
  Padding2D pad;
  uint32_t strideW = 1, strideH = 1;
  uint32_t filterW = 1, filterH = 1;
  int32_t fuse = 0;
  bool nchw = false;
};

// ADD, SUB, MUL, DIV, FULLY_CONNECTED: only a fused activation.
struct FuseParams {
  int32_t fuse = 0;
};

// SOFTMAX, LOG_SOFTMAX.
struct SoftmaxParams {
  float beta = 1.0f;
  uint32_t axis = 0;  // non-negative
};

// MEAN: the reduced axes (non-negative, deduplicated, ascending).
struct ReduceParams {
  std::vector<uint32_t> axes;
  bool keepDims = false;
};

struct ConcatParams {
  uint32_t axis = 0;
};

struct TransposeParams {
  std::vector<uint32_t> perm;  // out.dim[i] = in.dim[perm[i]]
};

// STRIDED_SLICE: per input axis the first index, the step and the number of elements taken (before shrinking).
struct SliceParams {
  std::vector<int32_t> begin;
  std::vector<int32_t> strides;
  std::vector<uint32_t> counts;
};

// PAD, PAD_V2: (before, after) per axis and the fill value (float types use floatValue, quantized intValue).
struct PadParams {
  std::vector<std::pair<uint32_t, uint32_t>> pads;
  float floatValue = 0.0f;
  int32_t intValue = 0;
};

// RESIZE_BILINEAR, RESIZE_NEAREST_NEIGHBOR.
struct ResizeParams {
  uint32_t outH = 0, outW = 0;
  bool nchw = false;
  bool alignCorners = false;
  bool halfPixelCenters = false;
};

// SPLIT: the axis (non-negative) cut into equal pieces, one per output.
struct SplitParams {
  uint32_t axis = 0;
};

// CHANNEL_SHUFFLE: the axis (non-negative) whose extent C is seen as [groups, C/groups] and transposed.
struct ChannelShuffleParams {
  uint32_t groups = 1;
  uint32_t axis = 0;
};

// GATHER: the axis (non-negative) the indices select along.
struct GatherParams {
  uint32_t axis = 0;
};

// TILE: how many copies of the input each axis gets.
struct TileParams {
  std::vector<uint32_t> multiples;
};

// DEPTH_TO_SPACE, SPACE_TO_DEPTH.
struct BlockParams {
  uint32_t block = 1;
  bool nchw = false;
};

// INSTANCE_NORMALIZATION: (x - mean) * gamma / sqrt(var + epsilon) + beta per (batch, channel).
struct InstanceNormParams {
  float gamma = 1.0f, beta = 0.0f, epsilon = 0.0f;
  bool nchw = false;
};

// MIRROR_PAD: (before, after) per axis, and REFLECT (true: the edge element is not repeated) or SYMMETRIC.
struct MirrorPadParams {
  std::vector<std::pair<uint32_t, uint32_t>> pads;
  bool reflect = true;
};

// BATCH_MATMUL: whether each side's last two dimensions are transposed before the product.
struct BatchMatmulParams {
  bool adjX = false, adjY = false;
};

// UNIDIRECTIONAL_SEQUENCE_LSTM: the activation of the cell input and of the cell state's output (TFLite's
// TfLiteFusedActivation numbering: 0 none, 1 relu, 2 relu1, 3 relu6, 4 tanh, 5 sign bit, 6 sigmoid), the clip of
// the cell state (0: none), and whether input 0 is [T,N,I] (else [N,T,I]).
struct SequenceLstmParams {
  int32_t activation = 4;
  float cellClip = 0.0f;
  bool timeMajor = true;
};

using OpParams = std::variant<std::monostate, ConvParams, PoolParams, FuseParams, SoftmaxParams, ReduceParams,
                              ConcatParams, TransposeParams, SliceParams, PadParams, ResizeParams, SplitParams,
                              ChannelShuffleParams, GatherParams, TileParams, BlockParams, InstanceNormParams,
                              BatchMatmulParams, MirrorPadParams, SequenceLstmParams>;

// validateOperation that also hands back the decoded parameters (for the executor).
Verdict prepareOperation(int32_t op, const std::vector<uint32_t>& inputs, const std::vector<uint32_t>& outputs,
                         const std::vector<OperandDesc>& operands, int featureLevel,
                         std::vector<OperandDesc>* inferredOutputs, OpParams* params);

// True when a rule for `op` exists (operations outside the supported list are rejected with their name).
bool hasRule(int32_t op);

}  // namespace nnapi_rules
