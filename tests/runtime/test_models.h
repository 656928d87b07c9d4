// Tiny serialized models written by hand with the flatbuffers API, independent of the converter, so the runtime
// is tested against the schema itself. Each model's expected outputs are worked out in the test that uses it.
#pragma once

#include <schema/schema_version.h>

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nnc_test {

struct OperandSpec {
  int32_t type = 0;                // NNAPI OperandCode
  std::vector<uint32_t> dims;      // empty for scalars
  std::vector<uint8_t> constant;   // the value's bytes; empty for inputs and operation outputs
  std::string name;
  std::optional<int32_t> buffer;   // written instead of the buffer index serialize() assigns (to test bad ones)
  // When set, the buffer names this weight tensor (Buffer.tensor) instead of holding `constant`, which the test
  // then passes as a tensor (weightTensor).
  std::optional<int32_t> weight_tensor;
  bool also_inline = false;        // with weight_tensor: write the bytes in the buffer too (to test bad ones)
  float scale = 0.0f;
  int32_t zero_point = 0;
  std::vector<float> channel_scales;  // TENSOR_QUANT8_SYMM_PER_CHANNEL: one scale per index of channel_dim
  uint32_t channel_dim = 0;
};

struct OperationSpec {
  int32_t type = 0;                // NNAPI OperationCode
  std::vector<uint32_t> inputs;
  std::vector<uint32_t> outputs;
};

struct IoSpec {
  uint32_t operand = 0;
  std::vector<int64_t> torch_shape;
  std::string name;
};

struct ModelSpec {
  uint32_t version = nnapi_convert::schema::kSchemaVersion;
  int32_t min_feature_level = 27;  // Android API level
  std::vector<OperandSpec> operands;
  std::vector<OperationSpec> operations;
  std::vector<IoSpec> inputs;
  std::vector<IoSpec> outputs;
  int32_t preference = 2;          // ANeuralNetworksCompilation_setPreference
  bool relax_fp16 = false;         // ANeuralNetworksModel_relaxComputationFloat32toFloat16
};

OperandSpec tensorFloat32(std::vector<uint32_t> dims, std::string name);
OperandSpec constantFloat32(std::vector<uint32_t> dims, const std::vector<float>& values, std::string name);
OperandSpec scalarInt32(int32_t value);
OperandSpec tensorQuant8Asymm(std::vector<uint32_t> dims, float scale, int32_t zero_point, std::string name);

// The flatbuffer of `spec`, with the schema's file identifier unless another 4-character one is given.
std::string serialize(const ModelSpec& spec, const char* identifier = nullptr);

// A copy of `operand`'s constant as the converter writes a float weight: a float32 tensor of its dimensions.
at::Tensor floatWeightTensor(const OperandSpec& operand);

// out = relu(a + b): ADD of two float [2,3] inputs "a", "b" with fused RELU.
ModelSpec addReluModel();
// (relu(a + b), a + b): two ADDs over the same [2,3] inputs, two outputs.
ModelSpec addTwoOutputsModel();
// out = a + c: ADD of a float [4,10] input and a [4,10] constant c[i] = 0.5·i, larger than the 128 bytes NNAPI
// copies, so NNAPI must read it from the model bytes.
ModelSpec addLargeConstantModel();
// out = a + b on TENSOR_QUANT8_ASYMM [2,3] inputs and output, all with scale 0.5 and zero point 128.
ModelSpec addQuant8Model();
// CONV_2D of a TENSOR_QUANT8_ASYMM [1,1,1,2] input (scale 0.5, zero point 0) with a per-channel quantized
// [2,1,1,2] filter (scales 0.5 and 0.25 along dimension 0) holding the real values {1,1 | 2,1}, bias {0.5, 0}
// (int32 {2, 0}), implicit VALID padding, stride 1; output TENSOR_QUANT8_ASYMM [1,1,1,2], scale 0.5, zero point 0.
ModelSpec perChannelConv2dModel();
// CONV_2D (explicit padding 0, stride 1, no activation) of a [1,3,3,1] NHWC input with a [2,2,2,1] filter
// {1,2,3,4 | 0,0,0,2} and bias {0.5, -1}: output [1,2,2,2].
ModelSpec conv2dModel();

}  // namespace nnc_test
