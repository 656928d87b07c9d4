// Which NNAPI feature level (Android version) each operation, operand type and optional operand needs: the one
// table the desktop NNAPI's validation, the converter's IR validation and the converter's support questions all
// read. Levels are written as NNAPI writes them for FL1..FL5, i.e. Android API levels: 27 (FL1, Android 8.1),
// 28 (FL2, Android 9), 29 (FL3, Android 10), 30 (FL4, Android 11). Source: NeuralNetworks.h's "Available since
// NNAPI feature level N" per operation and operand type (shared/nnapi-reference.md §5, §6).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace nnapi_rules {

constexpr int kFeatureLevel1 = 27;  // Android 8.1
constexpr int kFeatureLevel2 = 28;  // Android 9
constexpr int kFeatureLevel3 = 29;  // Android 10
constexpr int kFeatureLevel4 = 30;  // Android 11
// The newest level this table (and the desktop NNAPI) knows; newer Android versions run FL4 models unchanged.
constexpr int kNewestFeatureLevel = kFeatureLevel4;

// Optional operands, operand kinds and parameter values that a later feature level added to an existing
// operation.
enum class Feature {
  LayoutInput,                // the NCHW flag of CONV_2D, DEPTHWISE_CONV_2D, pools, RESIZE_*, ...
  ConvDilation,               // dilation inputs of CONV_2D / DEPTHWISE_CONV_2D
  PerChannelQuantFilter,      // TENSOR_QUANT8_SYMM_PER_CHANNEL filters
  QuantOutputScaleBelowProduct,  // quantized conv / FC with output scale <= input scale * filter scale
  SoftmaxAxis,                // SOFTMAX's axis input
  SoftmaxAnyRank,             // SOFTMAX on tensors of rank other than 2 and 4
  ConcatMixedQuant,           // CONCATENATION inputs whose scale / zero point differ from the output's
  PadQuantNonZeroZeroPoint,   // PAD of TENSOR_QUANT8_ASYMM with zero point != 0
  ResizeScaleInputs,          // RESIZE_* sized by scale factors instead of output extents
  ResizeAlignCorners,         // RESIZE_*'s align_corners / half_pixel_centers inputs
  DynamicOutputShape,         // model inputs and outputs with unspecified dimensions, outputs sized at execution
                              // and reported by ANeuralNetworksExecution_getOutputOperandRank/Dimensions
  SequenceLstmStateOutputs,   // UNIDIRECTIONAL_SEQUENCE_LSTM's output_state_out and cell_state_out outputs
  OmittedOperand,             // an optional input left out (ANeuralNetworksModel_setOperandValue(NULL, 0))
  Count                       // not a feature: the number of features (feature_levels.cpp checks its table)
};

// The feature level that first has `feature`.
int featureLevel(Feature feature);
// "the layout input", for messages.
const char* featureName(Feature feature);

// The lowest level at which operation `op` accepts `inputType` as its main input tensor type (input 0's), or 0
// when no level does (or the operation is unknown).
int operationLevel(int32_t op, int32_t inputType);
// The main input types `op` accepts at some level, oldest first; empty when the operation is unknown.
std::vector<int32_t> operationTypes(int32_t op);
// For the operations whose output type is chosen apart from the input's (QUANTIZE: Q8A or Q8S; DEQUANTIZE: F32
// or F16): the lowest level at which `op` produces `outputType`; 0 when no level does or `op` is not one of them.
int outputTypeLevel(int32_t op, int32_t outputType);
// The output types of such an operation, oldest first; empty for every other operation.
std::vector<int32_t> outputTypes(int32_t op);
// The lowest level at which operation `op` exists at all (its level for TENSOR_FLOAT32, or for any type when it
// has no float form); 0 when unknown.
int operationLevel(int32_t op);
// The lowest level at which an operand of OperandCode `type` may be added to a model; 0 when unknown.
int operandTypeLevel(int32_t type);

// "Android 10 (API 29, NNAPI feature level 3)", for messages; "API level 33" for levels this table does not name.
std::string describeLevel(int level);

}  // namespace nnapi_rules
