#include "cli_common.h"

#include "run_time_extents.h"

#include <iostream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

namespace nnc::cli {

std::string shapeText(const std::vector<int64_t>& shape) {
  std::string text;
  for (int64_t d : shape) text += (text.empty() ? "" : ",") + std::to_string(d);
  return "[" + text + "]";
}

ConvertOptions toOptions(const ModelArgs& args) {
  ConvertOptions options;
  for (const std::string& text : args.inputs) {
    std::vector<int64_t> shape;
    std::stringstream stream(text);
    std::string item;
    while (std::getline(stream, item, ',')) {
      size_t used = 0;
      long long value = -1;
      try {
        value = std::stoll(item, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used != item.size() || (value <= 0 && value != kRunTimeExtent)) {
        throw InputError("--input '" + text +
                         "': each dimension must be a positive integer, or -1 for one fixed only at run time "
                         "(e.g. 1,3,224,224 or -1,3,224,224)");
      }
      shape.push_back(value);
    }
    if (shape.empty()) throw InputError("--input '" + text + "' is empty");
    options.input_shapes.push_back(shape);
  }
  if (args.input_layout != "nchw" && args.input_layout != "nhwc") {
    throw InputError("--input-layout must be nchw or nhwc, got '" + args.input_layout + "'");
  }
  // Shapes are always given as the original model takes them (NCHW); with nhwc the converted module takes the
  // same 4-D inputs permuted to NHWC.
  options.inputs_nhwc = args.input_layout == "nhwc";
  if (args.min_api < 27 || args.min_api > 34) {
    throw InputError("--min-api " + std::to_string(args.min_api) + ": NNAPI runs on Android API levels 27 (8.1) to 34 (14)");
  }
  options.min_api = args.min_api;
  options.strict = args.strict;
  return options;
}

void addModelOptions(CLI::App& command, ModelArgs& args) {
  // Not required here: without it, the conversion says which forward arguments need a shape.
  command.add_option("--input", args.inputs,
                     "Shape of one forward argument, e.g. 1,3,224,224; one per argument. -1 marks a dimension fixed "
                     "only at run time (a flexible batch: -1,3,224,224; needs --min-api 29 or later)")
      ->take_all();
  command.add_option("--input-layout", args.input_layout,
                     "nchw (default: the original signature) or nhwc (4-D inputs arrive channels-last)");
  command.add_option("--min-api", args.min_api,
                     "Oldest Android API level the model must run on, 27 (Android 8.1) to 34 (Android 14); default " +
                         std::to_string(kDefaultMinApi) + " (Android 10, NNAPI feature level 3). Ops with no legal "
                         "NNAPI form at that level stay on the CPU");
  command.add_flag("--strict", args.strict,
                   "Fail (exit 3, listing every one) instead of leaving ops NNAPI cannot run on the CPU");
}

namespace {

int reportUnsupported(const std::string& model_path, const UnsupportedModelError& error, bool json) {
  const auto& ops = error.ops();
  if (json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& op : ops) {
      list.push_back({{"kind", op.kind}, {"reason", op.reason}, {"source", op.source}, {"module", op.scope}});
    }
    std::cout << nlohmann::json{{"error", "unsupported_ops"}, {"model", model_path}, {"unsupported", list}}.dump(2)
              << "\n";
  }
  std::map<std::string, std::vector<const UnsupportedOp*>> by_kind;
  for (const auto& op : ops) by_kind[op.kind].push_back(&op);
  std::cerr << "error: " << model_path << " does not run entirely on NNAPI (--strict): " << ops.size()
            << " op occurrence(s) of " << by_kind.size() << " kind(s) would stay on the CPU:\n";
  for (const auto& [kind, occurrences] : by_kind) {
    std::cerr << "  " << kind << " (" << occurrences.size() << "x)\n";
    for (const UnsupportedOp* op : occurrences) {
      std::cerr << "    at " << (op->source.empty() ? "<no source location recorded>" : op->source);
      if (!op->scope.empty()) std::cerr << " in " << op->scope;
      std::cerr << ": " << op->reason << "\n";
    }
  }
  std::cerr << "Nothing was written. Without --strict these ops run on the CPU; supported ops are listed in the "
               "README.\n";
  return kUnsupported;
}

}  // namespace

int reportConversionError(const std::string& model_path, std::exception_ptr error, bool json) {
  try {
    std::rethrow_exception(error);
  } catch (const UnsupportedModelError& e) {
    return reportUnsupported(model_path, e, json);
  } catch (const InputError& e) {
    if (json) std::cout << nlohmann::json{{"error", "input"}, {"message", e.what()}}.dump(2) << "\n";
    std::cerr << "error: " << e.what() << "\n";
    return kInputError;
  }
}

}  // namespace nnc::cli
