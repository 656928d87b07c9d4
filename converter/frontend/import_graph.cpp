#include "frontend/import_graph.h"

#include <unordered_map>

#include "frontend/torch_constants.h"
#include "nnapi/NeuralNetworks.h"
#include "ops/registry.h"

namespace nnc {
namespace {

using TorchValue = torch::jit::Value;

std::string sourceOf(const torch::jit::Node* node) {
  torch::jit::SourceRange range = node->sourceRange();
  // A loaded archive's ranges point into its serialized code (code/__torch__/...); its debug info maps them back
  // to the model's own Python source, which is what the user can act on.
  if (auto original = range.findSourceRangeThatGenerated()) range = *original;
  if (auto location = range.file_line_col()) {
    const auto& [file, line, column] = *location;
    return file + ":" + std::to_string(line);
  }
  return "";
}

// Module path of the node ("features.3.conv.1"): inlining records the module instances it went through.
std::string scopeOf(const torch::jit::Node* node) {
  std::string path;
  if (auto callstack = node->callstack()) {
    for (const auto& entry : (*callstack)->vec()) {
      const auto& info = std::get<2>(entry);
      if (!info || info->instance_name().empty()) continue;
      if (!path.empty()) path += ".";
      path += info->instance_name();
    }
  }
  // Node::scope() is not const-qualified in libtorch although it only reads.
  const torch::jit::ScopePtr scope = const_cast<torch::jit::Node*>(node)->scope();
  if (path.empty() && scope && !scope->isBlank()) {
    // Traced graphs name scopes "__module.features/__module.features.3": the last one is the full path.
    std::string name = scope->namesFromRoot();
    const auto slash = name.rfind('/');
    if (slash != std::string::npos) name = name.substr(slash + 1);
    const std::string prefix = "__module.";
    if (name.rfind(prefix, 0) == 0) name = name.substr(prefix.size());
    if (name != "__module") path = name;
  }
  return path;
}

class GraphImporter {
 public:
  GraphImporter(const ConvertOptions& options, ir::Model& model) : options_(options), state_(model) {}

  ImportedGraph run(const torch::jit::Graph& graph) {
    addInputs(graph);
    for (const torch::jit::Node* node : graph.nodes()) visit(node);
    addOutputs(graph);
    return std::move(result_);
  }

 private:
  ValueId idOf(const TorchValue* value) {
    auto it = ids_.find(value);
    if (it != ids_.end()) return it->second;
    Value v;
    v.name = value->debugName();
    state_.values.push_back(std::move(v));
    ids_[value] = state_.values.size() - 1;
    return state_.values.size() - 1;
  }
  Value& valueOf(const TorchValue* value) { return state_.values[idOf(value)]; }

  void addInputs(const torch::jit::Graph& graph) {
    std::vector<const TorchValue*> arguments;
    for (const TorchValue* input : graph.inputs()) {
      if (input->type()->cast<c10::ClassType>()) continue;  // self
      arguments.push_back(input);
    }
    if (arguments.size() != options_.input_shapes.size()) {
      throw InputError("the graph takes " + std::to_string(arguments.size()) + " tensor input(s), " +
                       std::to_string(options_.input_shapes.size()) + " shape(s) were given");
    }
    for (size_t i = 0; i < arguments.size(); ++i) {
      const TorchValue* argument = arguments[i];
      if (!argument->type()->cast<c10::TensorType>()) {
        throw InputError("forward argument '" + argument->debugName() + "' is a " + argument->type()->str() +
                         "; only tensor arguments are supported");
      }
      const auto& shape = options_.input_shapes[i];
      const bool nhwc = options_.inputs_nhwc && shape.size() == 4;
      const ir::Layout layout = nhwc ? ir::Layout::ChannelsLast : ir::Layout::Contiguous;
      Value& value = valueOf(argument);
      value.kind = Value::Kind::Tensor;
      value.operand = state_.model.addInput(ANEURALNETWORKS_TENSOR_FLOAT32, physicalDims(shape, layout), layout,
                                            argument->debugName());
    }
  }

  void visit(const torch::jit::Node* node) {
    const std::string kind = node->kind().toQualString();
    if (kind == "prim::Constant") {
      const c10::IValue constant = *torch::jit::toIValue(node->output());
      setConstant(node->output(), constant);
      return;
    }
    for (const TorchValue* input : node->inputs()) {
      if (valueOf(input).kind != Value::Kind::Unknown) continue;
      // Downstream of an unsupported node nothing can be checked that needs shapes, but an op with no lowering
      // at all is reported anyway, so the user sees every unsupported op in one run.
      if (!registry().find(kind)) report(mirrorOf(node, kind), "no lowering to NNAPI for this op");
      return;
    }
    if (allInputsKnownAtConvertTime(node) && node->maybeOperator() && !node->hasSideEffects()) {
      if (evaluate(node)) return;
    }
    if (kind == "prim::ListConstruct" || kind == "prim::TupleConstruct") {
      if (kind == "prim::ListConstruct" && constructIntList(node)) return;
      std::vector<ValueId> elements;
      for (const TorchValue* input : node->inputs()) elements.push_back(idOf(input));
      Value& list = valueOf(node->output());
      list.kind = Value::Kind::List;
      list.elements = std::move(elements);
      return;
    }
    if ((kind == "prim::ListUnpack" || kind == "prim::TupleUnpack") &&
        valueOf(node->input()).kind == Value::Kind::List) {
      const std::vector<ValueId> elements = valueOf(node->input()).elements;
      for (size_t i = 0; i < node->outputs().size() && i < elements.size(); ++i) {
        Value& out = valueOf(node->outputs()[i]);
        const std::string name = out.name;
        out = state_.values[elements[i]];
        out.name = name;
      }
      return;
    }
    lower(node, kind);
  }

  // [x.size(0), -1]: a list of ints known at convert time, some of them computed by lowerings.
  bool constructIntList(const torch::jit::Node* node) {
    std::vector<int64_t> ints;
    for (const TorchValue* input : node->inputs()) {
      const Value& element = valueOf(input);
      const auto* i = element.kind == Value::Kind::Constant ? std::get_if<int64_t>(&element.constant) : nullptr;
      if (!i) return false;
      ints.push_back(*i);
    }
    setConstant(node->output(), c10::IValue(ints));
    return true;
  }

  bool allInputsKnownAtConvertTime(const torch::jit::Node* node) {
    for (const TorchValue* input : node->inputs()) {
      if (!ivalues_.count(idOf(input))) return false;
    }
    return true;
  }

  // Runs a node whose inputs are all known (shape arithmetic such as size -> NumToTensor -> Int -> mul).
  bool evaluate(const torch::jit::Node* node) {
    torch::jit::Stack stack;
    for (const TorchValue* input : node->inputs()) stack.push_back(ivalues_.at(idOf(input)));
    try {
      node->getOperation()(stack);
    } catch (const std::exception&) {
      return false;  // leave it to the lowering, which will say what is wrong
    }
    if (stack.size() != node->outputs().size()) return false;
    for (size_t i = 0; i < stack.size(); ++i) setConstant(node->outputs()[i], stack[i]);
    return true;
  }

  void setConstant(const TorchValue* output, const c10::IValue& constant) {
    auto converted = toConstant(constant);
    if (!converted) return;  // no torch-free form: stays Unknown and the node using it is reported
    Value& value = valueOf(output);
    value.kind = Value::Kind::Constant;
    value.constant = std::move(*converted);
    ivalues_[idOf(output)] = constant;
  }

  Node mirrorOf(const torch::jit::Node* node, const std::string& kind) {
    Node mirror;
    mirror.kind = kind;
    for (const TorchValue* input : node->inputs()) mirror.inputs.push_back(idOf(input));
    for (const TorchValue* output : node->outputs()) mirror.outputs.push_back(idOf(output));
    mirror.source = sourceOf(node);
    mirror.scope = scopeOf(node);
    return mirror;
  }

  void lower(const torch::jit::Node* node, const std::string& kind) {
    const Node mirror = mirrorOf(node, kind);

    const LowerFn lowering = registry().find(kind);
    if (!lowering) {
      report(mirror, "no lowering to NNAPI for this op");
      return;
    }
    try {
      LoweringContext context(state_, mirror);
      lowering(context);
    } catch (const Unsupported& e) {
      report(mirror, e.what());
      return;
    } catch (const ir::InvalidModel& e) {
      report(mirror, std::string("internal error, the converter built an invalid NNAPI operation: ") + e.what());
      return;
    }
    // An in-place op the mutation pass could not rewrite: later readers of its first input see the result.
    if (kind.back() == '_' && !mirror.outputs.empty() && !mirror.inputs.empty()) {
      Value& target = state_.values[mirror.inputs[0]];
      const std::string name = target.name;
      target = state_.values[mirror.outputs[0]];
      target.name = name;
    }
    for (size_t i = 0; i < node->outputs().size(); ++i) {
      Value& value = state_.values[mirror.outputs[i]];
      if (value.kind == Value::Kind::Unknown) {
        report(mirror, "internal error: the lowering left output " + std::to_string(i) + " undefined");
      } else if (value.kind == Value::Kind::Constant) {
        if (auto ivalue = toIValue(value.constant)) ivalues_[mirror.outputs[i]] = *ivalue;
      }
    }
  }

  void report(const Node& node, const std::string& reason) {
    result_.unsupported.push_back({node.kind, reason, node.source, node.scope});
    for (ValueId output : node.outputs) state_.values[output].kind = Value::Kind::Unknown;
  }

  void addOutputs(const torch::jit::Graph& graph) {
    if (!result_.unsupported.empty()) return;
    Node ret;
    ret.kind = "return";
    ret.inputs.push_back(idOf(graph.outputs().at(0)));
    LoweringContext context(state_, ret);
    const Value& value = context.input(0);
    std::vector<ValueId> elements;
    if (value.kind == Value::Kind::List) {
      result_.returns_tuple = true;
      elements = value.elements;
    } else {
      elements.push_back(ret.inputs[0]);
    }
    for (ValueId id : elements) {
      const Value& element = state_.values[id];
      if (element.kind != Value::Kind::Tensor) {
        result_.unsupported.push_back({"return", "the model returns something other than tensors or a tuple of "
                                       "tensors computed from its inputs", "", ""});
        return;
      }
      uint32_t operand = context.toLayout(element.operand, ir::Layout::Contiguous);
      const bool is_input = std::count(state_.model.inputs().begin(), state_.model.inputs().end(), operand) > 0;
      const bool repeated = std::count(result_.outputs.begin(), result_.outputs.end(), operand) > 0;
      if (is_input || repeated || state_.model.isConstant(operand)) {
        result_.unsupported.push_back({"return", "an output that is an input, a constant or another output is not "
                                       "supported by NNAPI", "", ""});
        return;
      }
      result_.outputs.push_back(operand);
    }
    state_.model.setOutputs(result_.outputs);
  }

  const ConvertOptions& options_;
  LoweringState state_;
  std::unordered_map<const TorchValue*, ValueId> ids_;
  std::unordered_map<ValueId, c10::IValue> ivalues_;
  ImportedGraph result_;
};

}  // namespace

ImportedGraph importGraph(const torch::jit::Graph& graph, const ConvertOptions& options, ir::Model& model) {
  return GraphImporter(options, model).run(graph);
}

}  // namespace nnc
