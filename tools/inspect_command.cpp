// nnapi-convert inspect OUT.pt [--json]: what is inside a converted module's NNAPI model.
#include <iostream>
#include <map>

#include <nlohmann/json.hpp>

#include "cli_common.h"
#include "commands.h"
#include "schema/nnapi_model_generated.h"
#include "validation/feature_levels.h"
#include "validation/operation_rules.h"
#include "report.h"
#include "wrapper/serialized_model.h"

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

// A constant's byte count: its buffer's own bytes or those of the weight tensor it names. `where` names the
// partition for an error.
size_t constantBytes(const fbs::Model& model, const fbs::Operand& operand, const std::vector<at::Tensor>& weights,
                     const std::string& where) {
  const fbs::Buffer& buffer = *model.buffers()->Get(operand.buffer());
  if (buffer.tensor() < 0) return buffer.data() ? buffer.data()->size() : 0;
  if (size_t(buffer.tensor()) >= weights.size()) {
    throw InputError(where + ": operand '" + (operand.name() ? operand.name()->str() : "") +
                     "' refers to weight tensor " + std::to_string(buffer.tensor()) + " of " +
                     std::to_string(weights.size()));
  }
  return weights[buffer.tensor()].nbytes();
}

nlohmann::json describe(const fbs::Model& model, const std::vector<at::Tensor>& weights, const std::string& where) {
  nlohmann::json operands = nlohmann::json::array();
  size_t constant_bytes = 0;
  for (uint32_t i = 0; i < model.operands()->size(); ++i) {
    const fbs::Operand* operand = model.operands()->Get(i);
    size_t bytes = 0;
    if (operand->buffer() >= 0) bytes = constantBytes(model, *operand, weights, where);
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
          {"inputs", io(model.inputs())},
          {"outputs", io(model.outputs())},
          {"operands", operands},
          {"operations", operations},
          {"op_counts", counts},
          {"constant_bytes", constant_bytes}};
}

void printText(const nlohmann::json& d, const std::string& path) {
  std::cout << path << ": " << d["producer"].get<std::string>() << ", schema v" << d["schema_version"]
            << ", needs " << nnapi_rules::describeLevel(d["feature_level"].get<int>()) << "\n";
  for (const char* side : {"inputs", "outputs"}) {
    std::cout << side << ":\n";
    for (const auto& io : d[side]) {
      const auto& operand = d["operands"][io["operand"].get<size_t>()];
      std::cout << "  #" << io["operand"] << " " << operand["type"].get<std::string>() << " "
                << shapeText(io["torch_shape"].get<std::vector<int64_t>>()) << " (" << io["name"].get<std::string>()
                << ")\n";
    }
  }
  std::cout << "operations (" << d["operations"].size() << "):";
  for (const auto& [op, count] : d["op_counts"].items()) std::cout << " " << op << " x" << count.get<int>();
  std::cout << "\n";
  for (size_t i = 0; i < d["operations"].size(); ++i) {
    const auto& operation = d["operations"][i];
    std::cout << "  " << i << " " << operation["op"].get<std::string>() << " (";
    bool first = true;
    for (const auto& input : operation["inputs"]) {
      std::cout << (first ? "" : ", ") << "#" << input;
      first = false;
    }
    std::cout << ") -> #" << operation["outputs"][0] << "\n";
  }
  std::cout << "operands (" << d["operands"].size() << "), constants " << d["constant_bytes"] << " bytes:\n";
  for (const auto& operand : d["operands"]) {
    std::cout << "  #" << operand["index"] << " " << operand["type"].get<std::string>() << " "
              << shapeText(operand["dims"].get<std::vector<int64_t>>()) << " " << operand["layout"].get<std::string>();
    if (operand.contains("scale")) std::cout << " scale " << operand["scale"] << " zp " << operand["zero_point"];
    if (operand["constant_bytes"].get<size_t>() > 0) std::cout << " constant " << operand["constant_bytes"] << " B";
    if (!operand["name"].get<std::string>().empty()) std::cout << "  " << operand["name"].get<std::string>();
    std::cout << "\n";
  }
}

// The report stored at conversion, with each partition's NNAPI model described in full; `operations` (each with
// its "partition") and `op_counts` cover all partitions.
nlohmann::json describeModule(const WrappedContents& contents, const std::string& path) {
  nlohmann::json result = nlohmann::json::parse(contents.report);
  // A module written with --format pytorch-nnapi holds PyTorch's serialized models, which keep no operand names,
  // layouts or PyTorch shapes to show: the report's own partition summaries (operations, op_counts, inputs,
  // outputs) stand.
  if (result.value("format", "") == formatName(TargetFormat::PyTorchNnapi)) return result;
  nlohmann::json partitions = nlohmann::json::array();
  nlohmann::json operations = nlohmann::json::array();
  std::map<std::string, int> counts;
  for (size_t k = 0; k < contents.partitions.size(); ++k) {
    const std::string& bytes = contents.partitions[k].model;
    flatbuffers::Verifier verifier(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    if (!fbs::ModelBufferHasIdentifier(bytes.data()) || !fbs::VerifyModelBuffer(verifier)) {
      throw InputError(path + ": NNAPI partition " + std::to_string(k) + " is corrupt or not nnapi-convert's format");
    }
    nlohmann::json description = describe(*fbs::GetModel(bytes.data()), contents.partitions[k].weights,
                                          path + ": NNAPI partition " + std::to_string(k));
    description["index"] = k;
    for (nlohmann::json operation : description["operations"]) {
      ++counts[operation["op"].get<std::string>()];
      operation["partition"] = k;
      operations.push_back(operation);
    }
    partitions.push_back(description);
  }
  result["partitions"] = partitions;
  result["operations"] = operations;
  result["op_counts"] = counts;
  return result;
}

}  // namespace

Command addInspectCommand(CLI::App& app) {
  auto path = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand("inspect", "Show the NNAPI partitions and CPU ops inside a converted module");
  cmd->add_option("converted", *path, "A module written by nnapi-convert convert")->required();
  cmd->add_flag("--json", *json, "Print one JSON object (partitions with operands and operations, cpu_ops, ...)");
  return [path, json]() -> int {
    nlohmann::json description;
    try {
      description = describeModule(wrappedContentsOf(loadModule(*path)), *path);
    } catch (const std::exception&) {
      return reportConversionError(*path, std::current_exception(), *json);
    }
    if (*json) {
      std::cout << description.dump(2) << "\n";
      return kOk;
    }
    std::cout << *path << ": " << summaryText(description);
    for (const auto& partition : description["partitions"]) {
      if (!partition.contains("operands")) continue;  // a stock-format summary: nothing more to show
      std::cout << "\n=== NNAPI partition " << partition["index"] << " ===\n";
      printText(partition, *path);
    }
    return kOk;
  };
}

}  // namespace nnc::cli
