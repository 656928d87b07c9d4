// nnapi-convert inspect OUT.pt [--json]: what is inside a converted module's NNAPI model.
#include <iostream>
#include <map>
#include <sstream>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli_common.h"
#include "commands.h"
#include "aligned_bytes.h"
#include "model_loader.h"
#include "partition_description.h"
#include "validation/feature_levels.h"
#include "report.h"
#include "wrapper/serialized_model.h"

namespace nnc::cli {
namespace {

void printText(std::ostream& out, const nlohmann::json& d, const std::string& path) {
  out << path << ": " << d["producer"].get<std::string>() << ", schema v" << d["schema_version"]
      << ", needs " << nnapi_rules::describeLevel(d["feature_level"].get<int>()) << "\n";
  const int preference = d["preference"].get<int>();
  out << "compilation: ANeuralNetworksCompilation_setPreference(" << preference << ": "
      << (preference >= 0 && preference <= 2 ? kPreferenceNames[preference] : "not a PreferenceCode")
      << "), relaxComputationFloat32toFloat16(" << (d["relax_fp16"].get<bool>() ? "true" : "false") << ")\n";
  for (const char* side : {"inputs", "outputs"}) {
    out << side << ":\n";
    for (const auto& io : d[side]) {
      const auto& operand = d["operands"][io["operand"].get<size_t>()];
      out << "  #" << io["operand"] << " " << operand["type"].get<std::string>() << " "
          << shapeText(io["torch_shape"].get<std::vector<int64_t>>()) << " (" << io["name"].get<std::string>()
          << ")\n";
    }
  }
  out << "operations (" << d["operations"].size() << "):";
  for (const auto& [op, count] : d["op_counts"].items()) out << " " << op << " x" << count.get<int>();
  out << "\n";
  for (size_t i = 0; i < d["operations"].size(); ++i) {
    const auto& operation = d["operations"][i];
    out << "  " << i << " " << operation["op"].get<std::string>() << " (";
    bool first = true;
    for (const auto& input : operation["inputs"]) {
      out << (first ? "" : ", ") << "#" << input;
      first = false;
    }
    out << ") -> #" << operation["outputs"][0] << "\n";
  }
  out << "operands (" << d["operands"].size() << "), constants " << d["constant_bytes"] << " bytes:\n";
  for (const auto& operand : d["operands"]) {
    out << "  #" << operand["index"] << " " << operand["type"].get<std::string>() << " "
        << shapeText(operand["dims"].get<std::vector<int64_t>>()) << " " << operand["layout"].get<std::string>();
    if (operand.contains("scale")) out << " scale " << operand["scale"] << " zp " << operand["zero_point"];
    if (operand["constant_bytes"].get<size_t>() > 0) out << " constant " << operand["constant_bytes"] << " B";
    if (!operand["name"].get<std::string>().empty()) out << "  " << operand["name"].get<std::string>();
    out << "\n";
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
    const std::vector<at::Tensor>& weights = contents.partitions[k].weights;
    // The runtime's own verification (flatbuffer and its semantic checks) comes first: describePartition() reads
    // only what a model the runtime accepts can hold.
    const nnapi_convert::runtime::AlignedBytes aligned(bytes.data(), bytes.size());
    nlohmann::json description;
    try {
      std::vector<size_t> weight_bytes;
      for (const at::Tensor& weight : weights) weight_bytes.push_back(weight.nbytes());
      description = describePartition(
          nnapi_convert::runtime::verifyModelBuffer(aligned.data(), aligned.size(), weights), weight_bytes);
    } catch (const std::runtime_error& e) {
      throw InputError("NNAPI partition " + std::to_string(k) + ": " + e.what());
    }
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
    // Everything is written to `out` first: a module whose report or model cannot be printed is an input error
    // with nothing on stdout, not half an answer.
    std::ostringstream out;
    try {
      const nlohmann::json description = describeModule(wrappedContentsOf(loadModule(*path)), *path);
      if (*json) {
        // Names come from the file: bytes that are not UTF-8 are printed as U+FFFD rather than failing the dump.
        out << description.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
      } else {
        out << *path << ": " << summaryText(description);
        for (const auto& partition : description.at("partitions")) {
          if (!partition.contains("operands")) continue;  // a stock-format summary: nothing more to show
          out << "\n=== NNAPI partition " << partition.at("index") << " ===\n";
          printText(out, partition, *path);
        }
      }
    } catch (const std::exception&) {
      return reportConversionError(*path, std::current_exception(), *json);
    }
    std::cout << out.str();
    return kOk;
  };
}

}  // namespace nnc::cli
