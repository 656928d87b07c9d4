// nnapi-convert verify MODEL.pt --input SHAPE... : converts in memory, runs the original with libtorch and the
// converted module on the desktop NNAPI on the same seeded inputs, and compares every output. A dimension given as
// -1 (fixed only at run time) is compared at two values, 1 and 5, of the one conversion.
#include <algorithm>
#include <iostream>

#include <nlohmann/json.hpp>

#include <optional>

#include <torch/csrc/jit/api/function_impl.h>

#include "cli_common.h"
#include "compare_outputs.h"
#include "commands.h"
#include "nnapi_convert/runtime.h"
#include "run_time_extents.h"

namespace nnc::cli {
namespace {

// What verify sets the dimensions given as -1 to: one conversion compared at a single item and at several.
constexpr int64_t kVerifiedRunTimeExtents[] = {1, 5};

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

// The tensors of a model's result, in order: a tensor, or tuples, lists and dicts (by insertion order) of them.
std::vector<at::Tensor> tensorsOf(const c10::IValue& value) {
  if (value.isTensor()) return {value.toTensor()};
  std::vector<c10::IValue> elements;
  if (value.isTuple()) {
    elements = value.toTupleRef().elements().vec();
  } else if (value.isList()) {
    elements = value.toListRef().vec();
  } else if (value.isGenericDict()) {
    for (const auto& entry : value.toGenericDict()) elements.push_back(entry.value());
  } else {
    throw InputError("the model returns " + value.type()->str() +
                     ", not a tensor or tuples, lists or dicts of tensors");
  }
  std::vector<at::Tensor> tensors;
  for (const c10::IValue& element : elements) {
    for (at::Tensor& tensor : tensorsOf(element)) tensors.push_back(std::move(tensor));
  }
  return tensors;
}

// PyTorch's own values of the layers `model` exposes, from the original graph on the same inputs.
std::vector<at::Tensor> referenceLayers(const ConvertedModel& model, const std::vector<c10::IValue>& inputs) {
  torch::jit::GraphFunction function("reference_layers", model.reference_layers->copy(), nullptr);
  torch::jit::Stack stack(inputs.begin(), inputs.end());
  function.run(stack);
  return tensorsOf(stack.back());
}

// Per layer: where it is, what computed it, how far from PyTorch; the first layer beyond the rule is where the
// error comes from. Printed as a table when `print`; returned for --json.
nlohmann::json compareLayers(const std::vector<Layer>& layers, const std::vector<at::Tensor>& expected,
                             const std::vector<at::Tensor>& actual, const CompareRule& rule, bool print) {
  nlohmann::json report = nlohmann::json::array();
  std::optional<size_t> first_failure;
  if (print) std::cout << "layers (" << layers.size() << " tensors computed on NNAPI, in graph order):\n";
  for (size_t i = 0; i < layers.size() && i < expected.size() && i < actual.size(); ++i) {
    const OutputComparison comparison = compareOutput(layers[i].kind, i, expected[i], actual[i], rule);
    if (!comparison.pass && !first_failure) first_failure = i;
    nlohmann::json entry = comparison.details;
    entry["op"] = layers[i].kind;
    entry["module"] = layers[i].scope;
    entry["source"] = layers[i].source;
    report.push_back(entry);
    if (print) {
      std::cout << "  " << i << " " << (layers[i].scope.empty() ? "-" : layers[i].scope) << " ("
                << layers[i].source << ") " << comparison.text << "\n";
    }
  }
  if (print) {
    if (first_failure) {
      const Layer& layer = layers[*first_failure];
      std::cout << "first layer beyond the rule: " << layer.kind << " in " << layer.scope << " at " << layer.source
                << "\n";
    } else {
      std::cout << "every layer within the rule\n";
    }
  }
  return report;
}

// The number of NNAPI operations on the longest path through each partition, summed: how many relaxed operations
// an output's value can have passed through (partitions may run one after another).
int longestNnapiPath(const ConvertedModel& model) {
  int total = 0;
  for (const ConvertedPartition& partition : model.partitions) {
    // Operations are stored in an order where producers come first; an operand's depth is that of its producer.
    std::vector<int> depth(partition.model.operands().size(), 0);
    int longest = 0;
    for (const ir::Operation& operation : partition.model.operations()) {
      int deepest_input = 0;
      for (uint32_t input : operation.inputs) deepest_input = std::max(deepest_input, depth[input]);
      for (uint32_t output : operation.outputs) depth[output] = deepest_input + 1;
      longest = std::max(longest, deepest_input + 1);
    }
    total += longest;
  }
  return total;
}

// Converts, runs both and compares; throws for anything that stops the comparison.
int verifyModel(const ModelArgs& args, int64_t seed, const CompareRule& tolerance, bool layers, bool json) {
  ConvertOptions options = toOptions(args);
  options.expose_layers = layers;
  torch::jit::Module original = loadModule(args.model);
  ConvertedModel model = convertModule(original.clone(), args.model, options);  // the original runs below
  torch::jit::Module converted = wrapConverted(model);

  torch::NoGradGuard no_grad;
  original.eval();
  CompareRule rule = tolerance;
  rule.quantized_model = isQuantized(original);
  if (options.compilation.relax_fp16) rule.relaxed_depth = longestNnapiPath(model);
  // One conversion with run-time extents (--input -1,...) is compared at two values of them.
  const bool flexible = hasRunTimeExtents(options.input_shapes);
  const std::vector<int64_t> extents = flexible ? std::vector<int64_t>(std::begin(kVerifiedRunTimeExtents),
                                                                        std::end(kVerifiedRunTimeExtents))
                                                : std::vector<int64_t>{1};
  if (!json) {
    std::cout << "NNAPI library: " << nnapiLibraryUsed() << "\n";
    std::cout << "rule: " << describeRule(rule) << "\n";
  }
  bool all_pass = true;
  nlohmann::json outputs = nlohmann::json::array();
  nlohmann::json layer_report = nlohmann::json::array();
  for (int64_t extent : extents) {
    if (flexible && !json) std::cout << "run-time dimensions (-1) = " << extent << ":\n";
    torch::manual_seed(seed);
    std::vector<c10::IValue> reference_inputs, converted_inputs;
    for (const auto& shape : options.input_shapes) {
      at::Tensor x = torch::randn(withRunTimeExtents(shape, extent));
      reference_inputs.emplace_back(x);
      const bool nhwc = options.inputs_nhwc && shape.size() == 4;
      converted_inputs.emplace_back(nhwc ? x.permute({0, 2, 3, 1}).contiguous() : x);
    }
    const std::vector<at::Tensor> expected = tensorsOf(original.forward(reference_inputs));
    c10::IValue result = converted.forward(converted_inputs);
    std::vector<at::Tensor> actual_layers, expected_layers;
    if (layers) {
      // forward returns (its result, (layer tensors...)); PyTorch's values come from the original graph.
      actual_layers = tensorsOf(result.toTupleRef().elements().at(1));
      result = result.toTupleRef().elements().at(0);
      expected_layers = referenceLayers(model, reference_inputs);
    }
    const std::vector<at::Tensor> actual = tensorsOf(result);
    if (expected.size() != actual.size()) {
      const std::string message = args.model + ": the converted module returned " + std::to_string(actual.size()) +
                                  " outputs, the original " + std::to_string(expected.size());
      if (json) printErrorJson("mismatch", message);
      std::cerr << "error: " << message << "\n";
      return kMismatch;
    }
    for (size_t i = 0; i < expected.size(); ++i) {
      const OutputComparison comparison =
          compareOutput("output " + std::to_string(i), i, expected[i], actual[i], rule);
      all_pass = all_pass && comparison.pass;
      outputs.push_back(comparison.details);
      if (flexible) outputs.back()["run_time_extent"] = extent;
      if (!json) std::cout << comparison.text << "\n";
    }
    if (layers) {
      for (auto& entry : compareLayers(model.layers, expected_layers, actual_layers, rule, !json)) {
        if (flexible) entry["run_time_extent"] = extent;
        layer_report.push_back(entry);
      }
    }
  }
  if (json) {
    nlohmann::json report{{"outputs", outputs}, {"pass", all_pass}, {"rule", describeRule(rule)},
                          {"nnapi_library", nnapiLibraryUsed()}};
    if (layers) report["layers"] = layer_report;
    std::cout << report.dump(2) << "\n";
  }
  return all_pass ? kOk : kMismatch;
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
                "same top-1; with --relax-fp16, rtol grows by 5*2^-10*sqrt(NNAPI operations on the longest path)");
  cmd->add_option("model", args->model, "TorchScript model file")->required();
  addModelOptions(*cmd, *args);
  cmd->add_option("--seed", *seed, "Seed of the random inputs")->capture_default_str()->check(wholeInt64());
  cmd->add_option("--atol", tolerance->atol, "Absolute tolerance")->capture_default_str()->check(finiteNonNegative());
  cmd->add_option("--rtol", tolerance->rtol, "Tolerance relative to max|reference| of each output")
      ->capture_default_str()
      ->check(finiteNonNegative());
  cmd->add_option("--max-lsb", tolerance->max_lsb, "Quantized models: allowed steps of a quantized output's scale")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--min-cosine", tolerance->min_cosine,
                  "Quantized models: least cosine similarity of a float output with the original's")
      ->capture_default_str()
      ->check(finiteNonNegative());
  auto layers = std::make_shared<bool>(false);
  cmd->add_flag("--layers", *layers,
                "Also compare every tensor NNAPI computes with PyTorch's (per layer: module path, op, max error or "
                "LSB, and the first layer beyond the rule)");
  cmd->add_flag("--json", *json, "Print the result as JSON");

  return [args, seed, tolerance, layers, json]() -> int {
    try {
      return verifyModel(*args, *seed, *tolerance, *layers, *json);
    } catch (const std::exception&) {
      return reportConversionError(args->model, std::current_exception(), *json);
    }
  };
}

}  // namespace nnc::cli
