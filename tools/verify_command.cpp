// nnapi-convert verify MODEL.pt --input SHAPE... : converts in memory, runs the original with libtorch and the
// converted module on the desktop NNAPI on the same seeded inputs, and compares every output.
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli_common.h"
#include "compare_outputs.h"
#include "commands.h"
#include "nnapi_convert/runtime.h"

namespace nnc::cli {
namespace {

// A model with quantized ops anywhere (quantize_per_tensor, quantized::*) is compared by the quantized rule.
bool isQuantized(const torch::jit::Module& module) {
  for (const torch::jit::Module& part : module.modules()) {
    for (const torch::jit::Method& method : part.get_methods()) {
      for (const torch::jit::Node* node : method.graph()->nodes()) {
        const std::string kind = node->kind().toQualString();
        if (kind.rfind("quantized::", 0) == 0 || kind == "aten::quantize_per_tensor") return true;
      }
    }
  }
  return false;
}

// Which NNAPI the converted module used: the library's path, or why none could be loaded (the partitions then
// ran their CPU fallback, which is still compared).
std::string nnapiLibraryUsed() {
  try {
    const auto library = nnapi_convert::runtime::nnapiLibraryInfo();
    return library.path + " (found by " + library.found_by + ")";
  } catch (const std::exception& e) {
    return std::string("none, the CPU fallback ran (") + e.what() + ")";
  }
}

std::vector<at::Tensor> tensorsOf(const c10::IValue& value) {
  if (value.isTensor()) return {value.toTensor()};
  std::vector<at::Tensor> tensors;
  if (value.isTuple()) {
    for (const auto& element : value.toTupleRef().elements()) {
      if (!element.isTensor()) throw InputError("the model returns a tuple holding something other than tensors");
      tensors.push_back(element.toTensor());
    }
    return tensors;
  }
  throw InputError("the model returns neither a tensor nor a tuple of tensors");
}

}  // namespace

Command addVerifyCommand(CLI::App& app) {
  auto args = std::make_shared<ModelArgs>();
  auto seed = std::make_shared<int64_t>(0);
  auto tolerance = std::make_shared<CompareRule>();
  auto json = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand(
      "verify", "Convert in memory, run original (libtorch) and converted (desktop NNAPI) on the same random "
                "inputs, and compare: PASS when max|a-b| <= atol + rtol * max|reference|; for quantized models, "
                "quantized outputs within --max-lsb steps and float outputs with cosine >= --min-cosine and the "
                "same top-1");
  cmd->add_option("model", args->model, "TorchScript model file")->required();
  addModelOptions(*cmd, *args);
  cmd->add_option("--seed", *seed, "Seed of the random inputs")->capture_default_str();
  cmd->add_option("--atol", tolerance->atol, "Absolute tolerance")->capture_default_str();
  cmd->add_option("--rtol", tolerance->rtol, "Tolerance relative to max|reference| of each output")
      ->capture_default_str();
  cmd->add_option("--max-lsb", tolerance->max_lsb, "Quantized models: allowed steps of a quantized output's scale")
      ->capture_default_str();
  cmd->add_option("--min-cosine", tolerance->min_cosine,
                  "Quantized models: least cosine similarity of a float output with the original's")
      ->capture_default_str();
  cmd->add_flag("--json", *json, "Print the result as JSON");

  return [args, seed, tolerance, json]() -> int {
    ConvertOptions options;
    torch::jit::Module original, converted;
    try {
      options = toOptions(*args);
      original = loadModule(args->model);
      converted = wrapConverted(convertModule(original, args->model, options));
    } catch (const std::exception&) {
      return reportConversionError(args->model, std::current_exception(), *json);
    }

    torch::manual_seed(*seed);
    std::vector<c10::IValue> reference_inputs, converted_inputs;
    for (const auto& shape : options.input_shapes) {
      at::Tensor x = torch::randn(shape);
      reference_inputs.emplace_back(x);
      const bool nhwc = options.inputs_nhwc && shape.size() == 4;
      converted_inputs.emplace_back(nhwc ? x.permute({0, 2, 3, 1}).contiguous() : x);
    }
    torch::NoGradGuard no_grad;
    original.eval();
    const std::vector<at::Tensor> expected = tensorsOf(original.forward(reference_inputs));
    const std::vector<at::Tensor> actual = tensorsOf(converted.forward(converted_inputs));
    if (expected.size() != actual.size()) {
      std::cerr << "error: the converted module returned " << actual.size() << " outputs, the original "
                << expected.size() << "\n";
      return kMismatch;
    }

    bool all_pass = true;
    nlohmann::json outputs = nlohmann::json::array();
    CompareRule rule = *tolerance;
    rule.quantized_model = isQuantized(original);
    if (!*json) {
      std::cout << "NNAPI library: " << nnapiLibraryUsed() << "\n";
      std::cout << "rule: " << describeRule(rule) << "\n";
    }
    for (size_t i = 0; i < expected.size(); ++i) {
      const OutputComparison comparison = compareOutput(i, expected[i], actual[i], rule);
      all_pass = all_pass && comparison.pass;
      outputs.push_back(comparison.details);
      if (!*json) std::cout << comparison.text << "\n";
    }
    if (*json) {
      std::cout << nlohmann::json{{"outputs", outputs}, {"pass", all_pass}, {"rule", describeRule(rule)},
                                  {"nnapi_library", nnapiLibraryUsed()}}.dump(2) << "\n";
    }
    return all_pass ? kOk : kMismatch;
  };
}

}  // namespace nnc::cli
