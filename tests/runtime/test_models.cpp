#include "test_models.h"

#include <nnapi/NeuralNetworks.h>
#include <schema/nnapi_model_generated.h>

#include <ATen/ops/empty.h>

#include <cstring>
#include <stdexcept>

namespace nnc_test {
namespace fb = flatbuffers;
namespace schema = nnapi_convert::schema;

namespace {

template <typename T>
std::vector<uint8_t> bytesOf(const std::vector<T>& values) {
  std::vector<uint8_t> bytes(values.size() * sizeof(T));
  std::memcpy(bytes.data(), values.data(), bytes.size());
  return bytes;
}

OperandSpec makeOperand(int32_t type, std::vector<uint32_t> dims, std::vector<uint8_t> constant, std::string name) {
  OperandSpec operand;
  operand.type = type;
  operand.dims = std::move(dims);
  operand.constant = std::move(constant);
  operand.name = std::move(name);
  return operand;
}

std::vector<fb::Offset<schema::IoInfo>> writeIo(fb::FlatBufferBuilder& builder, const std::vector<IoSpec>& list) {
  std::vector<fb::Offset<schema::IoInfo>> offsets;
  for (const IoSpec& io : list) {
    offsets.push_back(schema::CreateIoInfoDirect(builder, io.operand, &io.torch_shape, io.name.c_str()));
  }
  return offsets;
}

}  // namespace

OperandSpec tensorFloat32(std::vector<uint32_t> dims, std::string name) {
  return makeOperand(ANEURALNETWORKS_TENSOR_FLOAT32, std::move(dims), {}, std::move(name));
}

OperandSpec constantFloat32(std::vector<uint32_t> dims, const std::vector<float>& values, std::string name) {
  return makeOperand(ANEURALNETWORKS_TENSOR_FLOAT32, std::move(dims), bytesOf(values), std::move(name));
}

OperandSpec scalarInt32(int32_t value) {
  return makeOperand(ANEURALNETWORKS_INT32, {}, bytesOf(std::vector<int32_t>{value}), "");
}

OperandSpec tensorQuant8Asymm(std::vector<uint32_t> dims, float scale, int32_t zero_point, std::string name) {
  OperandSpec operand = makeOperand(ANEURALNETWORKS_TENSOR_QUANT8_ASYMM, std::move(dims), {}, std::move(name));
  operand.scale = scale;
  operand.zero_point = zero_point;
  return operand;
}

std::string serialize(const ModelSpec& spec, const char* identifier) {
  fb::FlatBufferBuilder builder;
  std::vector<fb::Offset<schema::Buffer>> buffers;
  std::vector<fb::Offset<schema::Operand>> operands;
  for (const OperandSpec& operand : spec.operands) {
    int32_t buffer = -1;
    if (!operand.constant.empty()) {
      buffer = static_cast<int32_t>(buffers.size());
      const bool inline_bytes = !operand.weight_tensor || operand.also_inline;
      buffers.push_back(schema::CreateBufferDirect(builder, inline_bytes ? &operand.constant : nullptr,
                                                   operand.weight_tensor.value_or(-1)));
    }
    buffer = operand.buffer.value_or(buffer);
    // Scalars get no dimensions vector at all, as the converter writes them.
    fb::Offset<schema::PerChannelQuant> per_channel = 0;
    if (!operand.channel_scales.empty()) {
      per_channel = schema::CreatePerChannelQuantDirect(builder, operand.channel_dim, &operand.channel_scales);
    }
    operands.push_back(schema::CreateOperandDirect(builder, operand.type,
                                                   operand.dims.empty() ? nullptr : &operand.dims, operand.scale,
                                                   operand.zero_point, per_channel,
                                                   schema::Layout::Contiguous, buffer,
                                                   operand.name.empty() ? nullptr : operand.name.c_str()));
  }
  std::vector<fb::Offset<schema::Operation>> operations;
  for (const OperationSpec& operation : spec.operations) {
    operations.push_back(schema::CreateOperationDirect(builder, operation.type, &operation.inputs,
                                                       &operation.outputs));
  }
  const auto inputs = writeIo(builder, spec.inputs);
  const auto outputs = writeIo(builder, spec.outputs);
  const auto model = schema::CreateModelDirect(builder, spec.version, spec.min_feature_level, &operands, &operations,
                                               &buffers, &inputs, &outputs, "nnapi-convert runtime tests",
                                               spec.preference, spec.relax_fp16);
  builder.Finish(model, identifier ? identifier : schema::ModelIdentifier());
  return std::string(reinterpret_cast<const char*>(builder.GetBufferPointer()), builder.GetSize());
}

at::Tensor floatWeightTensor(const OperandSpec& operand) {
  at::Tensor tensor = at::empty(std::vector<int64_t>(operand.dims.begin(), operand.dims.end()), at::kFloat);
  if (size_t(tensor.nbytes()) != operand.constant.size()) {
    throw std::invalid_argument("floatWeightTensor: " + operand.name + " is not a float32 constant");
  }
  std::memcpy(tensor.data_ptr(), operand.constant.data(), operand.constant.size());
  return tensor;
}

ModelSpec addReluModel() {
  ModelSpec spec;
  spec.operands = {tensorFloat32({2, 3}, "a"), tensorFloat32({2, 3}, "b"), scalarInt32(ANEURALNETWORKS_FUSED_RELU),
                   tensorFloat32({2, 3}, "out")};
  spec.operations = {{ANEURALNETWORKS_ADD, {0, 1, 2}, {3}}};
  spec.inputs = {{0, {2, 3}, "a"}, {1, {2, 3}, "b"}};
  spec.outputs = {{3, {2, 3}, "out"}};
  return spec;
}

ModelSpec addTwoOutputsModel() {
  ModelSpec spec = addReluModel();
  spec.operands.push_back(scalarInt32(ANEURALNETWORKS_FUSED_NONE));  // 4
  spec.operands.push_back(tensorFloat32({2, 3}, "sum"));             // 5
  spec.operations.push_back({ANEURALNETWORKS_ADD, {0, 1, 4}, {5}});
  spec.outputs.push_back({5, {2, 3}, "sum"});
  return spec;
}

ModelSpec addLargeConstantModel() {
  std::vector<float> c(40);
  for (size_t i = 0; i < c.size(); ++i) c[i] = 0.5f * static_cast<float>(i);
  ModelSpec spec;
  spec.operands = {tensorFloat32({4, 10}, "a"), constantFloat32({4, 10}, c, "c"),
                   scalarInt32(ANEURALNETWORKS_FUSED_NONE), tensorFloat32({4, 10}, "out")};
  spec.operations = {{ANEURALNETWORKS_ADD, {0, 1, 2}, {3}}};
  spec.inputs = {{0, {4, 10}, "a"}};
  spec.outputs = {{3, {4, 10}, "out"}};
  return spec;
}

ModelSpec addQuant8Model() {
  ModelSpec spec;
  spec.operands = {tensorQuant8Asymm({2, 3}, 0.5f, 128, "a"), tensorQuant8Asymm({2, 3}, 0.5f, 128, "b"),
                   scalarInt32(ANEURALNETWORKS_FUSED_NONE), tensorQuant8Asymm({2, 3}, 0.5f, 128, "out")};
  spec.operations = {{ANEURALNETWORKS_ADD, {0, 1, 2}, {3}}};
  spec.inputs = {{0, {2, 3}, "a"}, {1, {2, 3}, "b"}};
  spec.outputs = {{3, {2, 3}, "out"}};
  return spec;
}

ModelSpec perChannelConv2dModel() {
  // Filter integers: real / channel scale = {1,1}/0.5 = {2,2} and {2,1}/0.25 = {8,4}. Bias integers: real /
  // (input scale · channel scale) = 0.5/0.25 = 2 and 0.
  OperandSpec filter =
      makeOperand(ANEURALNETWORKS_TENSOR_QUANT8_SYMM_PER_CHANNEL, {2, 1, 1, 2}, {2, 2, 8, 4}, "conv.weight");
  filter.channel_scales = {0.5f, 0.25f};
  const OperandSpec bias =
      makeOperand(ANEURALNETWORKS_TENSOR_INT32, {2}, bytesOf(std::vector<int32_t>{2, 0}), "conv.bias");
  ModelSpec spec;
  spec.operands = {
      tensorQuant8Asymm({1, 1, 1, 2}, 0.5f, 0, "x"), filter, bias,          // 0-2
      scalarInt32(ANEURALNETWORKS_PADDING_VALID), scalarInt32(1), scalarInt32(1),  // 3-5 padding, stride w,h
      scalarInt32(ANEURALNETWORKS_FUSED_NONE),                              // 6
      tensorQuant8Asymm({1, 1, 1, 2}, 0.5f, 0, "y"),                        // 7
  };
  spec.operations = {{ANEURALNETWORKS_CONV_2D, {0, 1, 2, 3, 4, 5, 6}, {7}}};
  spec.inputs = {{0, {1, 1, 1, 2}, "x"}};
  spec.outputs = {{7, {1, 1, 1, 2}, "y"}};
  return spec;
}

ModelSpec conv2dModel() {
  ModelSpec spec;
  spec.operands = {
      tensorFloat32({1, 3, 3, 1}, "x"),                                                 // 0
      constantFloat32({2, 2, 2, 1}, {1, 2, 3, 4, 0, 0, 0, 2}, "conv.weight"),           // 1 [Cout,KH,KW,Cin]
      constantFloat32({2}, {0.5f, -1.0f}, "conv.bias"),                                 // 2
      scalarInt32(0), scalarInt32(0), scalarInt32(0), scalarInt32(0),                   // 3-6 pads l,r,t,b
      scalarInt32(1), scalarInt32(1),                                                   // 7-8 stride w,h
      scalarInt32(ANEURALNETWORKS_FUSED_NONE),                                          // 9
      tensorFloat32({1, 2, 2, 2}, "y"),                                                 // 10
  };
  spec.operations = {{ANEURALNETWORKS_CONV_2D, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {10}}};
  spec.inputs = {{0, {1, 3, 3, 1}, "x"}};
  spec.outputs = {{10, {1, 2, 2, 2}, "y"}};
  return spec;
}

}  // namespace nnc_test
