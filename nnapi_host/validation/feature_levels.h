// Which NNAPI feature level (Android version) each operation, operand type and optional operand needs: the one
// table the desktop NNAPI's validation, the converter's IR validation and the converter's support questions all
// read. A level is written as the Android API level that brought it: 27 (FL1, Android 8.1), 28 (FL2, Android 9),
// 29 (FL3, Android 10), 30 (FL4, Android 11), 31 (FL5, Android 12; 12L, API 32, has no new level), 33 (FL6,
// Android 13), 34 (FL7, Android 14). NNAPI writes FL1..FL5 the same way but FL6 and later as 1000006, 1000007
// (nnapiFeatureLevelCode); the converter, the serialized model's min_feature_level and the runtime's comparison
// with a device all use API levels, so levels compare as numbers and `--min-api N` is simply "at most N".
// Source: NeuralNetworks.h's "Available since NNAPI feature level N" per operation and operand type
// (shared/nnapi-reference.md §5, §6; levels 5-7 from AOSP packages/modules/NeuralNetworks NeuralNetworksTypes.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace nnapi_rules {

constexpr int kFeatureLevel1 = 27;  // Android 8.1
constexpr int kFeatureLevel2 = 28;  // Android 9
constexpr int kFeatureLevel3 = 29;  // Android 10
constexpr int kFeatureLevel4 = 30;  // Android 11
constexpr int kFeatureLevel5 = 31;  // Android 12 (and 12L, API 32)
constexpr int kFeatureLevel6 = 33;  // Android 13
constexpr int kFeatureLevel7 = 34;  // Android 14
// The newest level this table (and the desktop NNAPI) knows; newer Android versions run FL7 models unchanged.
constexpr int kNewestFeatureLevel = kFeatureLevel7;

// The newest feature level an Android API level has (32 -> 31, 35 -> 34); 0 below API 27.
int featureLevelOfApi(int apiLevel);
// The feature level numbered `number` (1..7 -> 27..31, 33, 34); 0 for other numbers.
int featureLevelNumbered(int number);
// A level's number (27 -> 1, 33 -> 6); 0 for an API level that brought no feature level.
int featureLevelNumber(int level);
// A level as NNAPI reports it (ANEURALNETWORKS_FEATURE_LEVEL_*: 27..31, then 1000006, 1000007); 0 for an API level
// that brought no feature level.
int64_t nnapiFeatureLevelCode(int level);

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

// "Android 10 (API 29, NNAPI feature level 3)", for messages; "API level 40" for levels this table does not name.
std::string describeLevel(int level);

}  // namespace nnapi_rules
