#include "convert.h"

#include <filesystem>
#include <sstream>

#include "frontend/import_graph.h"
#include "frontend/prepare_graph.h"
#include "passes/fuse_activations.h"

namespace nnc {
namespace {

std::string firstLine(const std::string& text) {
  const auto end = text.find('\n');
  return end == std::string::npos ? text : text.substr(0, end);
}

std::string shapeText(const std::vector<int64_t>& shape) {
  std::string text;
  for (int64_t d : shape) text += (text.empty() ? "" : ",") + std::to_string(d);
  return "[" + text + "]";
}

// Runs the original once on zeros of the given shapes, so a shape the model rejects is the user's input error
// with PyTorch's own explanation, not a confusing lowering failure.
void checkInputShapes(const torch::jit::Module& module, const std::string& path, const ConvertOptions& options) {
  std::vector<c10::IValue> inputs;
  for (const auto& shape : options.input_shapes) inputs.emplace_back(torch::zeros(shape));
  try {
    torch::NoGradGuard no_grad;
    torch::jit::Module copy = module.clone();
    copy.eval();
    copy.forward(inputs);
  } catch (const std::exception& e) {
    std::string shapes;
    for (const auto& s : options.input_shapes) shapes += (shapes.empty() ? "" : " ") + shapeText(s);
    throw InputError(path + ": the model rejects inputs of shape " + shapes + ": " + firstLine(e.what()));
  }
}

}  // namespace

UnsupportedModelError::UnsupportedModelError(std::vector<UnsupportedOp> ops)
    : std::runtime_error(std::to_string(ops.size()) + " unsupported op occurrence(s)"), ops_(std::move(ops)) {}

torch::jit::Module loadModule(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) throw InputError(path + ": no such file");
  if (std::filesystem::is_directory(path, error)) throw InputError(path + ": is a directory, not a model file");
  try {
    return torch::jit::load(path);
  } catch (const std::exception& e) {
    throw InputError(path + ": not a readable TorchScript model (" + firstLine(e.what()) +
                     "). Save it with torch.jit.trace(...).save() or torch.jit.script(...).save()");
  }
}

ConvertedModel convertModule(const torch::jit::Module& module, const std::string& path,
                             const ConvertOptions& options) {
  if (!module.find_method("forward")) throw InputError(path + ": the module has no forward method");
  const auto& arguments = module.get_method("forward").function().getSchema().arguments();
  if (arguments.size() - 1 != options.input_shapes.size()) {
    std::string names;
    for (size_t i = 1; i < arguments.size(); ++i) names += (i > 1 ? ", " : "") + arguments[i].name();
    throw InputError(path + ": forward takes " + std::to_string(arguments.size() - 1) + " input(s) (" + names +
                     ") but " + std::to_string(options.input_shapes.size()) + " --input shape(s) were given");
  }
  checkInputShapes(module, path, options);

  std::shared_ptr<torch::jit::Graph> graph = prepareForwardGraph(module);
  ConvertedModel converted{ir::Model(options.feature_level), {}, {}, {}};
  ImportedGraph imported = importGraph(*graph, options, converted.model);
  if (!imported.unsupported.empty()) throw UnsupportedModelError(std::move(imported.unsupported));
  fuseActivations(converted.model);

  // The original forward's argument names (the graph's debug names carry suffixes such as "x.1").
  for (size_t i = 1; i < arguments.size(); ++i) {
    converted.signature.input_names.push_back(arguments[i].name());
    converted.model.mutableOperand(converted.model.inputs().at(i - 1)).name = arguments[i].name();
  }
  converted.signature.returns_tuple = imported.returns_tuple;
  converted.signature.num_outputs = converted.model.outputs().size();
  for (uint32_t input : converted.model.inputs()) {
    const auto& dims = converted.model.operands()[input].dims;
    converted.input_torch_shapes.emplace_back(dims.begin(), dims.end());
  }
  for (uint32_t output : converted.model.outputs()) {
    const auto& dims = converted.model.operands()[output].dims;
    converted.output_torch_shapes.emplace_back(dims.begin(), dims.end());
  }
  return converted;
}

torch::jit::Module convertToModule(const std::string& path, const ConvertOptions& options) {
  const torch::jit::Module module = loadModule(path);
  const ConvertedModel converted = convertModule(module, path, options);
  return wrapModel(serializeModel(converted), converted.signature);
}

}  // namespace nnc
