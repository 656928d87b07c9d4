#include "report.h"

#include <cstdio>
#include <map>
#include <sstream>

namespace nnc {
namespace {

nlohmann::json partitionJson(const ConvertedPartition& partition, size_t index) {
  std::map<std::string, int> counts;
  nlohmann::json operations = nlohmann::json::array();
  for (const ir::Operation& operation : partition.model.operations()) {
    const std::string name = ir::operationName(operation.type);
    operations.push_back(name);
    ++counts[name];
  }
  return {{"index", index},
          {"operations", operations},
          {"op_counts", counts},
          {"inputs", partition.model.inputs().size()},
          {"outputs", partition.model.outputs().size()},
          {"feature_level", partition.model.minimumFeatureLevel()},
          {"source_ops", partition.source_ops}};
}

std::string percent(double share) {
  char text[16];
  std::snprintf(text, sizeof text, "%.1f%%", 100.0 * share);
  return text;
}

}  // namespace

nlohmann::json reportJson(const ConvertedModel& converted) {
  nlohmann::json partitions = nlohmann::json::array();
  size_t operations = 0;
  for (size_t k = 0; k < converted.partitions.size(); ++k) {
    partitions.push_back(partitionJson(converted.partitions[k], k));
    operations += converted.partitions[k].model.operations().size();
  }
  nlohmann::json cpu_ops = nlohmann::json::array();
  for (const UnsupportedOp& op : converted.summary.cpu_ops) {
    cpu_ops.push_back({{"kind", op.kind}, {"source", op.source}, {"module", op.scope}, {"reason", op.reason}});
  }
  const ConversionSummary& s = converted.summary;
  // A model without convolutions or matrix products: what runs on NNAPI is all of it or a part we cannot weigh.
  const double share = s.multiply_adds > 0 ? double(s.nnapi_multiply_adds) / double(s.multiply_adds)
                                           : (cpu_ops.empty() ? 1.0 : 0.0);
  return {{"feature_level", converted.feature_level},
          {"format", formatName(converted.format)},
          {"preference", kPreferenceNames[converted.compilation.preference]},
          {"relax_fp16", converted.compilation.relax_fp16},
          {"partitions", partitions},
          {"nnapi_operations", operations},
          {"multiply_adds", s.multiply_adds},
          {"nnapi_multiply_adds", s.nnapi_multiply_adds},
          {"nnapi_share", share},
          {"cpu_ops", cpu_ops}};
}

std::string summaryText(const nlohmann::json& report) {
  std::ostringstream text;
  const auto& cpu_ops = report.at("cpu_ops");
  text << report.at("partitions").size() << " NNAPI partition(s), " << report.at("nnapi_operations").get<size_t>()
       << " NNAPI operations, " << percent(report.at("nnapi_share").get<double>())
       << " of the multiply-adds on NNAPI, " << cpu_ops.size() << " op(s) on the CPU\n";
  // Reports stored by converters before the compilation options existed have neither key.
  if (report.contains("preference")) {
    text << "  compilation: preference " << report.at("preference").get<std::string>() << ", float32 "
         << (report.at("relax_fp16").get<bool>() ? "relaxed to float16 precision (--relax-fp16)" : "at full precision")
         << "\n";
  }
  std::map<std::string, std::vector<const nlohmann::json*>> by_kind;
  for (const auto& op : cpu_ops) by_kind[op.at("kind").get<std::string>()].push_back(&op);
  for (const auto& [kind, occurrences] : by_kind) {
    text << "  on the CPU: " << kind << " (" << occurrences.size() << "x)\n";
    for (const nlohmann::json* op : occurrences) {
      const std::string source = op->at("source").get<std::string>();
      const std::string module = op->at("module").get<std::string>();
      text << "    at " << (source.empty() ? "<no source location recorded>" : source);
      if (!module.empty()) text << " in " << module;
      text << ": " << op->at("reason").get<std::string>() << "\n";
    }
  }
  return text.str();
}

}  // namespace nnc
