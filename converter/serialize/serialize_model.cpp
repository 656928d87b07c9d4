// ir::Model -> the flatbuffer the runtime reads (schema/nnapi_model.fbs).
#include "convert.h"

#include "schema/nnapi_model_generated.h"
#include "schema/schema_version.h"
#include "serialize/weight_tensor.h"

namespace nnc {
namespace {

namespace fbs = nnapi_convert::schema;
static_assert(ir::kOmitted == fbs::kOmittedBuffer, "the IR writes Operand::buffer as the schema's Operand.buffer");

fbs::Layout toSchema(ir::Layout layout) {
  // The flattened form only exists during lowering: model operands the runtime sees are never flattened maps,
  // but an intermediate one may be, and its elements are then in channels-last order.
  return layout == ir::Layout::Contiguous ? fbs::Layout::Contiguous : fbs::Layout::ChannelsLast;
}

flatbuffers::Offset<fbs::IoInfo> ioInfo(flatbuffers::FlatBufferBuilder& builder, const ir::Model& model,
                                        uint32_t operand, const std::vector<int64_t>& torch_shape) {
  return fbs::CreateIoInfo(builder, operand, builder.CreateVector(torch_shape),
                           builder.CreateString(model.operands()[operand].name));
}

}  // namespace

SerializedPartition serializeModel(const ConvertedPartition& partition) {
  const ir::Model& model = partition.model;
  flatbuffers::FlatBufferBuilder builder(1 << 20);
  SerializedPartition serialized;

  // A weight becomes a tensor, typed and shaped by the first operand that reads it; the runtime checks that
  // every reader agrees with it.
  std::vector<const ir::Operand*> first_reader(model.buffers().size(), nullptr);
  for (const ir::Operand& operand : model.operands()) {
    if (operand.buffer >= 0 && !first_reader[operand.buffer]) first_reader[operand.buffer] = &operand;
  }
  std::vector<flatbuffers::Offset<fbs::Buffer>> buffers;
  for (size_t b = 0; b < model.buffers().size(); ++b) {
    const ConstBytes& bytes = model.buffers()[b];
    if (first_reader[b] && isWeight(bytes)) {
      buffers.push_back(fbs::CreateBuffer(builder, 0, int32_t(serialized.weights.size())));
      serialized.weights.push_back(weightTensor(*first_reader[b], bytes));
      continue;
    }
    builder.ForceVectorAlignment(bytes.size(), sizeof(uint8_t), 16);
    buffers.push_back(fbs::CreateBuffer(builder, builder.CreateVector(bytes.data(), bytes.size())));
  }

  std::vector<flatbuffers::Offset<fbs::Operand>> operands;
  for (const ir::Operand& operand : model.operands()) {
    flatbuffers::Offset<fbs::PerChannelQuant> per_channel = 0;
    if (operand.per_channel) {
      per_channel = fbs::CreatePerChannelQuant(builder, operand.per_channel->channel_dim,
                                               builder.CreateVector(operand.per_channel->scales));
    }
    operands.push_back(fbs::CreateOperand(builder, operand.type, builder.CreateVector(operand.dims), operand.scale,
                                          operand.zero_point, per_channel, toSchema(operand.layout), operand.buffer,
                                          builder.CreateString(operand.name)));
  }

  std::vector<flatbuffers::Offset<fbs::Operation>> operations;
  for (const ir::Operation& operation : model.operations()) {
    operations.push_back(fbs::CreateOperation(builder, operation.type, builder.CreateVector(operation.inputs),
                                              builder.CreateVector(operation.outputs)));
  }

  std::vector<flatbuffers::Offset<fbs::IoInfo>> inputs, outputs;
  for (size_t i = 0; i < model.inputs().size(); ++i) {
    inputs.push_back(ioInfo(builder, model, model.inputs()[i], partition.input_shapes.at(i)));
  }
  for (size_t i = 0; i < model.outputs().size(); ++i) {
    outputs.push_back(ioInfo(builder, model, model.outputs()[i], partition.output_shapes.at(i)));
  }

  const auto root = fbs::CreateModel(builder, fbs::kSchemaVersion, model.minimumFeatureLevel(),
                                     builder.CreateVector(operands), builder.CreateVector(operations),
                                     builder.CreateVector(buffers), builder.CreateVector(inputs),
                                     builder.CreateVector(outputs),
                                     builder.CreateString("nnapi-convert " NNAPI_CONVERT_VERSION),
                                     partition.compilation.preference, partition.compilation.relax_fp16);
  builder.Finish(root, fbs::ModelIdentifier());
  serialized.model.assign(reinterpret_cast<const char*>(builder.GetBufferPointer()), builder.GetSize());
  return serialized;
}

}  // namespace nnc
