#include "convert.h"

#include <filesystem>
#include <sstream>

#include "frontend/build_forward.h"
#include "frontend/import_graph.h"
#include "frontend/prepare_graph.h"
#include "passes/fuse_activations.h"
#include "report.h"
#include "run_time_extents.h"
#include "validation/feature_levels.h"

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
  for (const auto& shape : options.input_shapes) {
    inputs.emplace_back(torch::zeros(withRunTimeExtents(shape, kProbeExtents[0])));
  }
  try {
    torch::NoGradGuard no_grad;
    torch::jit::Module copy = module.clone();
    copy.eval();
    copy.forward(inputs);
  } catch (const std::exception& e) {
    std::string shapes;
    for (const auto& s : options.input_shapes) shapes += (shapes.empty() ? "" : " ") + shapeText(s);
    const std::string tried = hasRunTimeExtents(options.input_shapes)
                                  ? " (-1 run as " + std::to_string(kProbeExtents[0]) + ")"
                                  : "";
    throw InputError(path + ": the model rejects inputs of shape " + shapes + tried + ": " + firstLine(e.what()));
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

int featureLevelForApi(int min_api) { return std::min(min_api, nnapi_rules::kNewestFeatureLevel); }

ConvertedModel convertModule(const torch::jit::Module& module, const std::string& path,
                             const ConvertOptions& options) {
  if (options.min_api < 27 || options.min_api > 34) {
    throw InputError("--min-api " + std::to_string(options.min_api) +
                     ": NNAPI runs on Android API levels 27 (8.1) to 34 (14)");
  }
  const int run_time_extents_level = nnapi_rules::featureLevel(nnapi_rules::Feature::DynamicOutputShape);
  if (hasRunTimeExtents(options.input_shapes) && featureLevelForApi(options.min_api) < run_time_extents_level) {
    throw InputError("--input with -1 (a dimension fixed only at run time) needs " +
                     nnapi_rules::describeLevel(run_time_extents_level) + ", --min-api " +
                     std::to_string(run_time_extents_level) + " or later, where NNAPI reports the shape of an output "
                     "known only after it runs; the target is --min-api " + std::to_string(options.min_api) +
                     ". Give every dimension, or raise --min-api");
  }
  if (!module.find_method("forward")) throw InputError(path + ": the module has no forward method");
  const auto& arguments = module.get_method("forward").function().getSchema().arguments();
  if (arguments.size() - 1 != options.input_shapes.size()) {
    std::string names;
    for (size_t i = 1; i < arguments.size(); ++i) names += (i > 1 ? ", " : "") + arguments[i].name();
    throw InputError(path + ": forward takes " + std::to_string(arguments.size() - 1) + " input(s) (" + names +
                     ") but " + std::to_string(options.input_shapes.size()) +
                     " --input shape(s) were given: give one --input per argument, in order, as the original "
                     "model takes it (e.g. --input 1,3,224,224)");
  }
  checkInputShapes(module, path, options);

  std::shared_ptr<torch::jit::Graph> graph = prepareForwardGraph(module);
  // The converted forward keeps the original argument names (the graph's debug names carry suffixes: "x.1").
  for (size_t i = 1; i < arguments.size() && i < graph->inputs().size(); ++i) {
    graph->inputs()[i]->setDebugName(arguments[i].name());
  }
  std::unique_ptr<ImportedGraph> imported = importGraph(*graph, options);
  if (options.strict && !imported->summary.cpu_ops.empty()) {
    throw UnsupportedModelError(imported->summary.cpu_ops);
  }

  ConvertedModel converted;
  converted.feature_level = featureLevelForApi(options.min_api);
  converted.summary = imported->summary;
  // What each partition runs, read before the forward is built: that drops the nodes NNAPI now computes.
  std::vector<std::vector<std::string>> source_ops(imported->partitions.size());
  for (size_t p = 0; p < imported->partitions.size(); ++p) {
    for (const torch::jit::Node* node : imported->partitions[p].nodes) {
      source_ops[p].push_back(node->kind().toQualString());
    }
  }
  if (options.expose_layers) {
    converted.reference_layers = referenceLayersGraph(*graph, *imported);
    for (const auto& [id, layer] : imported->layers) converted.layers.push_back(layer);
  }
  for (int p : buildForward(*graph, *imported, partitionClass())) {
    ConvertedPartition partition{std::move(imported->state.partitions[p].model), {}, {}, std::move(source_ops[p])};
    fuseActivations(partition.model);
    for (uint32_t input : partition.model.inputs()) {
      partition.input_shapes.push_back(torchShapeOf(partition.model.operands()[input].dims));
    }
    for (uint32_t output : partition.model.outputs()) {
      partition.output_shapes.push_back(torchShapeOf(partition.model.operands()[output].dims));
    }
    converted.partitions.push_back(std::move(partition));
  }
  converted.forward = graph;
  return converted;
}

torch::jit::Module wrapConverted(const ConvertedModel& converted) {
  std::vector<std::string> attributes, serialized;
  for (size_t k = 0; k < converted.partitions.size(); ++k) {
    attributes.push_back(partitionAttribute(k));
    serialized.push_back(serializeModel(converted.partitions[k]));
  }
  return wrapForward(converted.forward->copy(), attributes, serialized, reportJson(converted).dump());
}

torch::jit::Module convertToModule(const std::string& path, const ConvertOptions& options) {
  const torch::jit::Module module = loadModule(path);
  return wrapConverted(convertModule(module, path, options));
}

}  // namespace nnc
