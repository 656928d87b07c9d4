#include "convert.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "frontend/build_forward.h"
#include "frontend/import_graph.h"
#include "frontend/prepare_graph.h"
#include "passes/absorb_constants.h"
#include "passes/collapse_reshapes.h"
#include "passes/fold_matmul_transposes.h"
#include "passes/fuse_activations.h"
#include "report.h"
#include "run_time_extents.h"
#include "validation/feature_levels.h"
#include "wrapper/wrap_stock.h"

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

// The NNAPI C API's operand lengths (and the HAL's) are 32-bit: no input tensor can be larger.
constexpr uint64_t kMaxInputBytes = UINT32_MAX;

// Each --input must describe a float32 tensor NNAPI can take; checked before any tensor of that shape is made,
// so a huge shape is the user's error, not an allocation failure.
void checkInputSizes(const std::string& path, const std::vector<std::string>& names, const ConvertOptions& options) {
  for (size_t i = 0; i < options.input_shapes.size(); ++i) {
    const auto& shape = options.input_shapes[i];
    uint64_t bytes = sizeof(float);
    for (int64_t d : shape) {
      if (d == kRunTimeExtent) continue;  // sized at run time; the given dimensions alone must fit
      bytes = d > 0 && bytes <= kMaxInputBytes / static_cast<uint64_t>(d) ? bytes * d : kMaxInputBytes + 1;
    }
    if (bytes > kMaxInputBytes) {
      throw InputError(path + ": --input " + shapeText(shape) + " for '" + names[i] + "': a float32 tensor of " +
                       "that shape holds more than 4 GiB (" + std::to_string(kMaxInputBytes) + " bytes), the most " +
                       "an NNAPI operand can hold");
    }
  }
}

// Tensor, List[Tensor], or tuples of these: what the converted forward can hand back as the original does.
bool returnsOnlyTensors(const c10::TypePtr& type) {
  if (type->kind() == c10::TypeKind::TensorType) return true;
  if (const auto list = type->cast<c10::ListType>()) return list->getElementType()->kind() == c10::TypeKind::TensorType;
  if (const auto tuple = type->cast<c10::TupleType>()) {
    for (const c10::TypePtr& element : tuple->elements()) {
      if (!returnsOnlyTensors(element)) return false;
    }
    return true;
  }
  // Dict[str, Tensor]: what torchvision's segmentation networks return ({"out": ..., "aux": ...}).
  if (const auto dict = type->cast<c10::DictType>()) {
    return dict->getKeyType()->kind() == c10::TypeKind::StringType && returnsOnlyTensors(dict->getValueType());
  }
  return false;
}

// Conversion follows shapes without running the model; when an op could not be run on inputs of the given shapes
// (ImportedGraph::may_reject_shapes), the model runs once on zeros so that, if it rejects them, the user gets
// PyTorch's own explanation instead of a model that cannot run.
void explainRejectedShapes(torch::jit::Module& module, const std::string& path, const ConvertOptions& options) {
  std::vector<c10::IValue> inputs;
  for (const auto& shape : options.input_shapes) {
    inputs.emplace_back(torch::zeros(withRunTimeExtents(shape, kProbeExtents[0])));
  }
  try {
    torch::NoGradGuard no_grad;
    module.forward(inputs);
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

namespace {

// Why `path` cannot be read as a model file, or "" when it can: checked before libtorch opens it, so the user
// gets the reason in words (not "errno 13"), and a FIFO or device is refused without blocking on it.
std::string unreadableReason(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    switch (errno) {
      case ENOENT: return "no such file";
      case EACCES: return "permission denied (the file is not readable by this user)";
      case ELOOP: return "too many levels of symbolic links (a symbolic link loop)";
      case ENOTDIR: return "a component of the path is not a directory";
      default: return std::strerror(errno);
    }
  }
  struct stat info {};
  const bool known = fstat(fd, &info) == 0;
  close(fd);
  if (!known) return std::strerror(errno);
  if (S_ISDIR(info.st_mode)) return "is a directory, not a model file";
  if (!S_ISREG(info.st_mode)) return "is not a regular file (a FIFO, device or socket), not a model file";
  if (info.st_size == 0) return "is empty, not a model file";
  return "";
}

}  // namespace

torch::jit::Module loadModule(const std::string& path) {
  if (const std::string reason = unreadableReason(path); !reason.empty()) throw InputError(path + ": " + reason);
  try {
    return torch::jit::load(path);
  } catch (const std::exception& e) {
    // The runtime's own refusal of a converted module's partition (torch.classes.nnapi_convert.Model) says what
    // is wrong with it; the advice to save a TorchScript model does not apply.
    const std::string reason = firstLine(e.what());
    if (reason.rfind("nnapi-convert runtime: ", 0) == 0) throw InputError(path + ": " + reason);
    throw InputError(path + ": not a readable TorchScript model (" + reason +
                     "). Save it with torch.jit.trace(...).save() or torch.jit.script(...).save()");
  }
}

int featureLevelForApi(int min_api) { return nnapi_rules::featureLevelOfApi(min_api); }

ConvertedModel convertModule(torch::jit::Module module, const std::string& path, const ConvertOptions& options) {
  if (options.min_api < 27 || options.min_api > 34) {
    throw InputError("--min-api " + std::to_string(options.min_api) +
                     ": NNAPI runs on Android API levels 27 (8.1) to 34 (14)");
  }
  if (options.compilation.preference < 0 || options.compilation.preference > 2) {
    throw InputError("preference " + std::to_string(options.compilation.preference) +
                     " is not an NNAPI PreferenceCode (0 low power, 1 fast single answer, 2 sustained speed)");
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
  const c10::TypePtr& returns = module.get_method("forward").function().getSchema().returns().at(0).type();
  if (!returnsOnlyTensors(returns)) {
    throw InputError(path + ": forward returns " + returns->annotation_str() + "; a converted module returns what "
                     "the original does, and that can be a tensor, or tuples, lists and string-keyed dicts of tensors");
  }
  std::vector<std::string> names;
  for (size_t i = 1; i < arguments.size(); ++i) names.push_back(arguments[i].name());
  checkInputSizes(path, names, options);

  std::shared_ptr<torch::jit::Graph> graph = prepareForwardGraph(module);
  // The converted forward keeps the original argument names (the graph's debug names carry suffixes: "x.1").
  for (size_t i = 1; i < arguments.size() && i < graph->inputs().size(); ++i) {
    graph->inputs()[i]->setDebugName(arguments[i].name());
  }
  std::unique_ptr<ImportedGraph> imported = importGraph(*graph, options);
  if (imported->may_reject_shapes) explainRejectedShapes(module, path, options);
  if (options.strict && !imported->summary.cpu_ops.empty()) {
    throw UnsupportedModelError(imported->summary.cpu_ops);
  }

  ConvertedModel converted;
  converted.feature_level = featureLevelForApi(options.min_api);
  converted.summary = imported->summary;
  converted.compilation = options.compilation;
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
  converted.format = options.format;
  const std::unique_ptr<PartitionCalls> calls = options.format == TargetFormat::PyTorchNnapi
                                                    ? stockPartitionCalls()
                                                    : runtimePartitionCalls(partitionClass());
  for (int p : buildForward(*graph, *imported, *calls, options.cpu_fallback)) {
    ConvertedPartition partition{std::move(imported->state.partitions[p].model), {}, {}, std::move(source_ops[p]),
                                 converted.compilation};
    fuseActivations(partition.model);
    collapseReshapes(partition.model);
    foldMatmulTransposes(partition.model);
    absorbConstants(partition.model);
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

torch::jit::Module wrapConverted(ConvertedModel& converted) {
  const std::string report = reportJson(converted).dump();
  if (converted.format == TargetFormat::PyTorchNnapi) {
    std::vector<const ir::Model*> models;
    for (const ConvertedPartition& partition : converted.partitions) models.push_back(&partition.model);
    return wrapStockForward(converted.forward->copy(), models, converted.compilation, report);
  }
  std::vector<std::string> attributes;
  std::vector<SerializedPartition> serialized;
  for (size_t k = 0; k < converted.partitions.size(); ++k) {
    attributes.push_back(partitionAttribute(k));
    serialized.push_back(serializeModel(converted.partitions[k]));
    // The serialized model and its weight tensors hold the constants now: a second copy in the IR would only
    // raise the peak memory.
    converted.partitions[k].model.releaseConstantBytes();
  }
  return wrapForward(converted.forward->copy(), attributes, serialized, report);
}

torch::jit::Module convertToModule(const std::string& path, const ConvertOptions& options) {
  ConvertedModel converted = convertModule(loadModule(path), path, options);
  return wrapConverted(converted);
}

}  // namespace nnc
