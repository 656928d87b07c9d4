#include "cli_common.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>

#include "run_time_extents.h"

#include <iostream>
#include <iterator>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

namespace nnc::cli {

std::string shapeText(const std::vector<int64_t>& shape) {
  std::string text;
  for (int64_t d : shape) text += (text.empty() ? "" : ",") + std::to_string(d);
  return "[" + text + "]";
}

namespace {

// One dimension of --input: digits only, as written (no sign, no spaces, no empty field), 1..2^32-1, or exactly
// "-1": a dimension fixed only at run time (kRunTimeExtent).
int64_t parseDimension(const std::string& text, const std::string& item) {
  const std::string example = " (e.g. --input 1,3,224,224)";
  if (item == "-1") return kRunTimeExtent;
  const bool digits =
      !item.empty() && std::all_of(item.begin(), item.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!digits) {
    throw InputError("--input '" + text + "': '" + item + "' is not a dimension; write positive integers (or -1 for "
                     "one fixed only at run time) separated by commas, with no spaces, signs or empty fields" +
                     example);
  }
  // NNAPI's dimensions are uint32_t.
  if (item.size() > 18 || std::stoll(item) > UINT32_MAX) {
    throw InputError("--input '" + text + "': dimension " + item + " is larger than NNAPI's largest (" +
                     std::to_string(UINT32_MAX) + ")");
  }
  const int64_t value = std::stoll(item);
  if (value == 0) throw InputError("--input '" + text + "': a dimension of 0 makes an empty tensor" + example);
  return value;
}

}  // namespace

// Shapes are comma-separated positive integers, strictly: "1,3,8,8," or " 1,3,8,8" or "1,3,8,+8" are refused the
// same way, so a typo is never read as some other shape.
std::vector<int64_t> parseShape(const std::string& text) {
  if (text.empty()) throw InputError("--input '' is empty (e.g. --input 1,3,224,224)");
  std::vector<int64_t> shape;
  size_t start = 0;
  while (true) {
    const size_t comma = text.find(',', start);
    shape.push_back(parseDimension(text, text.substr(start, comma == std::string::npos ? comma : comma - start)));
    if (comma == std::string::npos) return shape;
    start = comma + 1;
  }
}

ConvertOptions toOptions(const ModelArgs& args) {
  ConvertOptions options;
  for (const std::string& text : args.inputs) options.input_shapes.push_back(parseShape(text));
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
  const auto* names = std::begin(kPreferenceNames);
  const auto* found = std::find(names, std::end(kPreferenceNames), args.preference);
  if (found == std::end(kPreferenceNames)) {
    throw InputError("--preference must be low-power, fast-single or sustained, got '" + args.preference + "'");
  }
  options.compilation.preference = int(found - names);
  options.compilation.relax_fp16 = args.relax_fp16;
  return options;
}

namespace {

// Reads all of `text` as a T with std::from_chars (no leading '+' or spaces, nothing left over).
template <typename T>
std::errc readWhole(const std::string& text, T& value) {
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (error != std::errc()) return error;
  return text.empty() || stop != end ? std::errc::invalid_argument : std::errc();
}

}  // namespace

CLI::Validator wholeInt64() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        int64_t value = 0;
        const std::errc error = readWhole(text, value);
        if (error == std::errc::result_out_of_range) {
          return "'" + text + "' is out of range (" + std::to_string(INT64_MIN) + " to " +
                 std::to_string(INT64_MAX) + ")";
        }
        return error == std::errc() ? "" : "'" + text + "' is not an integer";
      },
      "INT64");
}

CLI::Validator finiteNonNegative() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        double value = 0;
        if (readWhole(text, value) != std::errc()) return "'" + text + "' is not a number";
        return std::isfinite(value) && value >= 0 ? "" : "'" + text + "' must be a finite number >= 0";
      },
      "NUMBER >= 0");
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
                         std::to_string(kDefaultMinApi) + " (Android 10, NNAPI feature level 3). The model uses the "
                         "newest NNAPI feature level that API level has: 27-31 are levels 1-5, 32 (12L) is 5, 33 is 6 "
                         "(BATCH_MATMUL), 34 is 7 (MIRROR_PAD). Ops with no legal NNAPI form at that level stay on "
                         "the CPU");
  command.add_flag("--strict", args.strict,
                   "Fail (exit 3, listing every one) instead of leaving ops NNAPI cannot run on the CPU");
  command.add_option("--preference", args.preference,
                     "What NNAPI compiles the model for (ANeuralNetworksCompilation_setPreference): low-power, "
                     "fast-single (one answer as fast as possible) or sustained (default, as PyTorch: fast answers "
                     "one after another)");
  command.add_flag("--relax-fp16", args.relax_fp16,
                   "Let NNAPI compute float32 with float16 range and precision "
                   "(ANeuralNetworksModel_relaxComputationFloat32toFloat16, Android 9+): faster on GPUs and NPUs, "
                   "less accurate; verify measures the cost");
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

void printErrorJson(const std::string& kind, const std::string& message) {
  std::cout << nlohmann::json{{"error", kind}, {"message", message}}.dump(2) << "\n";
}

int reportConversionError(const std::string& model_path, std::exception_ptr error, bool json) {
  std::string message, kind = "failed";
  try {
    std::rethrow_exception(error);
  } catch (const UnsupportedModelError& e) {
    return reportUnsupported(model_path, e, json);
  } catch (const InputError& e) {
    message = e.what();
    kind = "input";
  } catch (const c10::Error& e) {
    message = e.what_without_backtrace();  // libtorch's backtrace is for its developers
  } catch (const std::exception& e) {
    message = e.what();
  }
  message = message.substr(0, message.find('\n'));
  // Every message names the file it is about.
  if (message.find(model_path) == std::string::npos) message = model_path + ": " + message;
  if (json) printErrorJson(kind, message);
  std::cerr << "error: " << message << "\n";
  return kInputError;
}

}  // namespace nnc::cli
