#include "partition_description.h"

#include <map>
#include <vector>

#include "validation/operation_rules.h"

namespace nnc::cli {
namespace {

namespace fbs = nnapi_convert::schema;

template <typename T>
std::vector<int64_t> toVector(const flatbuffers::Vector<T>* values) {
  std::vector<int64_t> out;
  if (values) out.assign(values->begin(), values->end());
  return out;
}

const char* layoutText(fbs::Layout layout) {
  return layout == fbs::Layout::ChannelsLast ? "channels_last" : "contiguous";
}

}  // namespace

nlohmann::json describePartition(const fbs::Model& model, const std::vector<size_t>& weight_bytes) {
  nlohmann::json operands = nlohmann::json::array();
  size_t constant_bytes = 0;
  for (uint32_t i = 0; i < model.operands()->size(); ++i) {
    const fbs::Operand* operand = model.operands()->Get(i);
    size_t bytes = 0;
    if (operand->buffer() >= 0) {
      const fbs::Buffer& buffer = *model.buffers()->Get(operand->buffer());
      bytes = buffer.tensor() >= 0 ? weight_bytes.at(size_t(buffer.tensor())) : buffer.data()->size();
    }
    constant_bytes += bytes;
    nlohmann::json item = {{"index", i},
                           {"type", nnapi_rules::operandTypeName(operand->type())},
                           {"dims", toVector(operand->dimensions())},
                           {"layout", layoutText(operand->layout())},
                           {"name", operand->name() ? operand->name()->str() : ""},
                           {"constant_bytes", bytes}};
    if (operand->scale() != 0.0f || operand->zero_point() != 0) {
      item["scale"] = operand->scale();
      item["zero_point"] = operand->zero_point();
    }
    if (const fbs::PerChannelQuant* q = operand->per_channel()) {
      item["per_channel"] = {{"channel_dim", q->channel_dim()},
                             {"scales", std::vector<float>(q->scales()->begin(), q->scales()->end())}};
    }
    operands.push_back(item);
  }
  nlohmann::json operations = nlohmann::json::array();
  std::map<std::string, int> counts;
  for (const fbs::Operation* operation : *model.operations()) {
    const std::string name = nnapi_rules::operationName(operation->type());
    ++counts[name];
    operations.push_back({{"op", name}, {"inputs", toVector(operation->inputs())},
                          {"outputs", toVector(operation->outputs())}});
  }
  auto io = [](const flatbuffers::Vector<flatbuffers::Offset<fbs::IoInfo>>* list) {
    nlohmann::json out = nlohmann::json::array();
    for (const fbs::IoInfo* info : *list) {
      out.push_back({{"operand", info->operand()}, {"torch_shape", toVector(info->torch_shape())},
                     {"name", info->name() ? info->name()->str() : ""}});
    }
    return out;
  };
  return {{"producer", model.producer() ? model.producer()->str() : ""},
          {"schema_version", model.version()},
          {"feature_level", model.min_feature_level()},
          {"preference", model.preference()},
          {"relax_fp16", model.relax_fp16()},
          {"inputs", io(model.inputs())},
          {"outputs", io(model.outputs())},
          {"operands", operands},
          {"operations", operations},
          {"op_counts", counts},
          {"constant_bytes", constant_bytes}};
}

}  // namespace nnc::cli
