// nnapi-convert verify MODEL.pt --input SHAPE... : converts in memory, runs the original with libtorch and the
// converted module on the desktop NNAPI on the same seeded inputs, and compares every output.
#include <iomanip>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli_common.h"
#include "commands.h"
#include "nnapi_convert/runtime.h"

namespace nnc::cli {
namespace {

struct Tolerance {
  double atol = 1e-4;
  double rtol = 1e-4;
};

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
  auto tolerance = std::make_shared<Tolerance>();
  auto json = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand(
      "verify", "Convert in memory, run original (libtorch) and converted (desktop NNAPI) on the same random "
                "inputs, and compare: PASS when max|a-b| <= atol + rtol * max|reference|");
  cmd->add_option("model", args->model, "TorchScript model file")->required();
  addModelOptions(*cmd, *args);
  cmd->add_option("--seed", *seed, "Seed of the random inputs")->capture_default_str();
  cmd->add_option("--atol", tolerance->atol, "Absolute tolerance")->capture_default_str();
  cmd->add_option("--rtol", tolerance->rtol, "Tolerance relative to max|reference| of each output")
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
    if (!*json) {
      std::cout << "NNAPI library: " << nnapiLibraryUsed() << "\n";
      std::cout << "rule: max|a-b| <= " << tolerance->atol << " + " << tolerance->rtol << " * max|reference|\n";
    }
    for (size_t i = 0; i < expected.size(); ++i) {
      const at::Tensor ref = expected[i].to(at::kFloat);
      const at::Tensor got = actual[i].to(at::kFloat);
      const bool same_shape = ref.sizes() == got.sizes();
      const double max_ref = ref.numel() ? ref.abs().max().item<double>() : 0.0;
      const double max_err = same_shape && ref.numel() ? (ref - got).abs().max().item<double>()
                                                       : std::numeric_limits<double>::infinity();
      // NaN anywhere fails: a comparison with NaN is false.
      const bool pass = same_shape && max_err <= tolerance->atol + tolerance->rtol * max_ref;
      all_pass = all_pass && pass;
      outputs.push_back({{"index", i}, {"shape", ref.sizes().vec()}, {"max_abs_error", max_err},
                         {"max_abs_reference", max_ref}, {"pass", pass}});
      if (!*json) {
        std::cout << "output " << i << ": shape " << shapeText(ref.sizes().vec());
        if (!same_shape) std::cout << " (converted: " << shapeText(got.sizes().vec()) << ")";
        std::cout << std::scientific << std::setprecision(3) << "  max abs error " << max_err << "  max |reference| "
                  << max_ref << "  " << (pass ? "PASS" : "FAIL") << "\n";
      }
    }
    if (*json) {
      std::cout << nlohmann::json{{"outputs", outputs}, {"pass", all_pass},
                                  {"nnapi_library", nnapiLibraryUsed()}}.dump(2) << "\n";
    }
    return all_pass ? kOk : kMismatch;
  };
}

}  // namespace nnc::cli
