#include "frontend/import_graph.h"

#include <algorithm>
#include <unordered_map>
#include <utility>

#include "frontend/channel_shuffle_idiom.h"
#include "frontend/moved_weights.h"
#include "frontend/multiply_adds.h"
#include "frontend/torch_constants.h"
#include "nnapi/NeuralNetworks.h"
#include "ops/registry.h"
#include "run_time_extents.h"

namespace nnc {
namespace {

using torch::jit::Block;
using torch::jit::Node;
using TorchValue = torch::jit::Value;

// Thrown when a decision made earlier must change (a node must stay on the CPU after all): the import starts
// again with these nodes left to the CPU, so no partition ever holds half a decision.
struct Restart {
  std::vector<Node*> nodes;
  std::string reason;
};

std::string sourceOf(const Node* node) {
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
std::string scopeOf(const Node* node) {
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
  const torch::jit::ScopePtr scope = const_cast<Node*>(node)->scope();
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

// Building, unpacking and indexing lists and tuples: they follow from the ops that made the elements.
bool isBookkeeping(const std::string& kind) {
  return kind == "prim::ListConstruct" || kind == "prim::TupleConstruct" || kind == "prim::ListUnpack" ||
         kind == "prim::TupleUnpack" || kind == "prim::TupleIndex" || kind == "aten::__getitem__" ||
         kind == "prim::DictConstruct";
}

// The prim::ListUnpack that is the only use of `node`'s one output, a list of tensors (chunk, split, unbind), or
// null. Such a pair is lowered as one node whose outputs are the unpacked tensors, so each piece is a value of
// its own (a list has no operand).
Node* unpackOfTensorList(const Node* node) {
  if (node->outputs().size() != 1) return nullptr;
  const TorchValue* list = node->output();
  const auto type = list->type()->cast<c10::ListType>();
  if (!type || !type->getElementType()->cast<c10::TensorType>() || list->uses().size() != 1) return nullptr;
  Node* user = list->uses()[0].user;
  return user->kind() == c10::prim::ListUnpack ? user : nullptr;
}

bool touchesTensors(const Node* node) {
  auto isTensor = [](const TorchValue* value) { return value->type()->cast<c10::TensorType>() != nullptr; };
  return std::any_of(node->inputs().begin(), node->inputs().end(), isTensor) ||
         std::any_of(node->outputs().begin(), node->outputs().end(), isTensor);
}

// NNAPI operations that only move data: a partition of nothing else costs more to call than it saves.
bool movesDataOnly(int32_t op) {
  return op == ANEURALNETWORKS_RESHAPE || op == ANEURALNETWORKS_TRANSPOSE || op == ANEURALNETWORKS_SQUEEZE ||
         op == ANEURALNETWORKS_EXPAND_DIMS || op == ANEURALNETWORKS_CONCATENATION ||
         op == ANEURALNETWORKS_STRIDED_SLICE || op == ANEURALNETWORKS_PAD || op == ANEURALNETWORKS_PAD_V2 ||
         op == ANEURALNETWORKS_GATHER || op == ANEURALNETWORKS_TILE;
}

// How the CPU side describes a tensor it computes: PyTorch's shape, contiguous, float32 or quint8 with its
// per-tensor quantization; type 0 when NNAPI lowerings cannot take it (other dtypes, 0-d tensors).
ir::Operand describeCpuTensor(const at::Tensor& tensor, const std::string& name) {
  ir::Operand operand;
  if (tensor.dim() > 0 && tensor.scalar_type() == at::kFloat) operand.type = ANEURALNETWORKS_TENSOR_FLOAT32;
  if (tensor.dim() > 0 && tensor.scalar_type() == at::kQUInt8 && tensor.qscheme() == at::kPerTensorAffine) {
    operand.type = ANEURALNETWORKS_TENSOR_QUANT8_ASYMM;
    operand.scale = static_cast<float>(tensor.q_scale());
    operand.zero_point = static_cast<int32_t>(tensor.q_zero_point());
  }
  operand.dims.assign(tensor.sizes().begin(), tensor.sizes().end());
  operand.name = name;
  return operand;
}

// A stand-in with the type, quantization and PyTorch shape of a tensor an NNAPI partition computes, its extents
// fixed only at run time (0) set to `run_time_extent`.
at::Tensor placeholderTensor(const ir::Operand& described, int64_t run_time_extent) {
  std::vector<int64_t> shape = LoweringContext::logicalShape(described);
  std::replace(shape.begin(), shape.end(), int64_t{0}, run_time_extent);
  const at::Tensor values = torch::rand(shape);
  if (described.type != ANEURALNETWORKS_TENSOR_QUANT8_ASYMM) return values;
  return at::quantize_per_tensor(values, described.scale, described.zero_point, at::kQUInt8);
}

// The same tensor as PyTorch holds it: logical shape, contiguous.
ir::Operand asTorchHoldsIt(const ir::Operand& described) {
  ir::Operand operand = described;
  const std::vector<int64_t> shape = LoweringContext::logicalShape(described);
  operand.dims.assign(shape.begin(), shape.end());
  operand.layout = ir::Layout::Contiguous;
  operand.flattened_chw.clear();
  operand.buffer = -1;
  return operand;
}

// A tensor's PyTorch shape with its run-time extents (0) counted as 1: multiply-adds with a flexible batch are
// counted per batch item.
std::vector<int64_t> perUnitOfRunTimeExtents(const ir::Operand& tensor) {
  std::vector<int64_t> shape = LoweringContext::logicalShape(tensor);
  std::replace(shape.begin(), shape.end(), int64_t{0}, int64_t{1});
  return shape;
}

class GraphImporter {
 public:
  GraphImporter(const ConvertOptions& options, const std::map<Node*, std::string>& forced)
      : options_(options),
        forced_(forced),
        result_(std::make_unique<ImportedGraph>(featureLevelForApi(options.min_api))),
        placeholders_(hasRunTimeExtents(options.input_shapes) ? 2 : 1) {
    result_->state.format = options.format;
  }

  std::unique_ptr<ImportedGraph> run(torch::jit::Graph& graph) {
    torch::manual_seed(0);  // placeholder inputs: the same shapes, and the same values, on every run
    addInputs(graph);
    visitBlock(graph.block());
    keepTinyPartitionsOnCpu();
    connectPartitions();
    return std::move(result_);
  }

 private:
  LoweringState& state() { return result_->state; }
  std::vector<Value>& values() { return result_->state.values; }

  ValueId idOf(const TorchValue* value) {
    auto it = result_->ids.find(value);
    if (it != result_->ids.end()) return it->second;
    Value v;
    v.name = value->debugName();
    values().push_back(std::move(v));
    result_->torch_values.push_back(value);
    result_->ids[value] = values().size() - 1;
    return values().size() - 1;
  }
  Value& valueOf(const TorchValue* value) { return values()[idOf(value)]; }

  void addInputs(torch::jit::Graph& graph) {
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
      std::vector<c10::IValue> runs;
      for (size_t k = 0; k < placeholders_.size(); ++k) {
        runs.emplace_back(torch::randn(withRunTimeExtents(shape, kProbeExtents[k])));
      }
      describeCpuValue(idOf(argument), runs);  // a run-time extent differs between the runs: it becomes 0
      Value& value = valueOf(argument);
      if (options_.inputs_nhwc && shape.size() == 4) {
        // The converted module takes this argument channels-last.
        value.tensor.dims = physicalDims(LoweringContext::logicalShape(value.tensor), ir::Layout::ChannelsLast);
        value.tensor.layout = ir::Layout::ChannelsLast;
      }
    }
  }

  // ---------------- walking ----------------

  void visitBlock(Block* block) {
    for (Node* node = block->nodes().front(); node != block->return_node();) {
      Node* next = node->next();
      if (node->kind() == c10::prim::If && !forced_.count(node)) {
        const Value& condition = valueOf(node->input(0));
        if (const auto* taken = condition.kind == Value::Kind::Constant ? std::get_if<bool>(&condition.constant)
                                                                         : nullptr) {
          next = inlineBranch(node, *taken);
          node = next;
          continue;
        }
      }
      if (!forced_.count(node)) {
        if (Node* fused = fuseChannelShuffle(node, known_values_)) {
          node = fused;
          continue;
        }
      }
      visit(node);
      node = next;
    }
    closePartition();
    for (const TorchValue* output : block->outputs()) requestTorch(idOf(output));
  }

  // if/else with a condition known at convert time (shape checks, flags): the branch taken replaces the `if`.
  // Returns the node to visit next.
  Node* inlineBranch(Node* if_node, bool condition) {
    Block* taken = if_node->blocks()[condition ? 0 : 1];
    Node* first = nullptr;
    for (Node* n = taken->nodes().front(); n != taken->return_node();) {
      Node* following = n->next();
      n->moveBefore(if_node);
      if (!first) first = n;
      n = following;
    }
    for (size_t i = 0; i < if_node->outputs().size(); ++i) {
      if_node->outputs()[i]->replaceAllUsesWith(taken->outputs()[i]);
    }
    Node* after = if_node->next();
    if_node->destroy();
    return first ? first : after;
  }

  void visit(Node* node) {
    const std::string kind = node->kind().toQualString();
    auto forced = forced_.find(node);
    if (forced != forced_.end()) {
      leaveOnCpu(node, forced->second, /*report=*/!isBookkeeping(kind));
      return;
    }
    if (unpacked_with_producer_.count(node)) return;  // lowered with the node that made its list
    if (kind == "prim::Constant") {
      if (heldByGraphAlone(node)) graph_owned_.insert(idOf(node->output()));
      setConstant(node->output(), *torch::jit::toIValue(node->output()));
      result_->absorbed.insert(node);
      return;
    }
    if (kind == "prim::If") return visitIf(node);
    if (kind == "prim::Loop") return visitLoop(node);
    if (allInputsKnownAtConvertTime(node) && node->maybeOperator() && !node->hasSideEffects() && evaluate(node)) {
      result_->absorbed.insert(node);
      return;
    }
    if (trackBookkeeping(node, kind)) {
      result_->absorbed.insert(node);
      return;
    }
    lowerOrLeave(node, kind);
  }

  // The tensor a prim::Constant node holds, or null (another node, or a constant of another kind).
  static const at::Tensor* constantTensorOf(const Node* node) {
    const bool tensor = node->kind() == c10::prim::Constant && node->hasAttribute(c10::attr::value) &&
                        node->kindOf(c10::attr::value) == torch::jit::AttributeKind::t;
    return tensor ? &node->t(c10::attr::value) : nullptr;
  }

  // Whether `reader` is the only node that reads `value`.
  static bool onlyReader(const TorchValue* value, const Node* reader) {
    const auto& uses = value->uses();
    return std::all_of(uses.begin(), uses.end(), [&](const torch::jit::Use& use) { return use.user == reader; });
  }

  // A contiguous float32 tensor constant that nothing but this node's attribute holds (no module attribute, no
  // other tensor on its storage): a lowering may rewrite its bytes (Node::rewritable_inputs).
  static bool heldByGraphAlone(const Node* node) {
    const at::Tensor* tensor = constantTensorOf(node);
    return tensor && tensor->scalar_type() == at::kFloat && tensor->is_contiguous() && tensor->use_count() == 1 &&
           tensor->storage().use_count() == 1;
  }

  // Lists and tuples of values the converter knows are followed symbolically; the wrapper rebuilds one only
  // where TorchScript on the CPU uses it.
  bool trackBookkeeping(const Node* node, const std::string& kind) {
    // A dict's elements are its inputs as they come: key, value, key, value (its keys are constant strings).
    if (kind == "prim::ListConstruct" || kind == "prim::TupleConstruct" || kind == "prim::DictConstruct") {
      if (kind == "prim::ListConstruct" && constructIntList(node)) return true;
      std::vector<ValueId> elements;
      for (const TorchValue* input : node->inputs()) {
        if (valueOf(input).kind == Value::Kind::Unknown) return false;
        elements.push_back(idOf(input));
      }
      Value& list = valueOf(node->output());
      list.kind = Value::Kind::List;
      list.elements = std::move(elements);
      return true;
    }
    if ((kind == "prim::ListUnpack" || kind == "prim::TupleUnpack") &&
        valueOf(node->input()).kind == Value::Kind::List) {
      const std::vector<ValueId> elements = valueOf(node->input()).elements;
      if (elements.size() != node->outputs().size()) return false;
      for (size_t i = 0; i < elements.size(); ++i) alias(idOf(node->outputs()[i]), elements[i]);
      return true;
    }
    // n, c, h, w = x.size(): a list known at convert time (here, an int list a lowering computed) unpacks into its
    // elements, each known too.
    if (kind == "prim::ListUnpack" && ivalues_.count(idOf(node->input())) && ivalues_.at(idOf(node->input())).isList()) {
      const c10::List<c10::IValue> list = ivalues_.at(idOf(node->input())).toList();
      if (list.size() != node->outputs().size()) return false;
      for (size_t i = 0; i < list.size(); ++i) setConstant(node->outputs()[i], list.get(i));
      return true;
    }
    return false;
  }

  void alias(ValueId target, ValueId source) {
    const std::string name = values()[target].name;
    values()[target] = values()[source];
    values()[target].name = name;
    if (auto it = ivalues_.find(source); it != ivalues_.end()) ivalues_[target] = it->second;
    for (auto& set : placeholders_) {
      if (auto it = set.find(source); it != set.end()) set[target] = it->second;
    }
  }

  // [x.size(0), -1]: a list of ints known at convert time, some of them computed by lowerings.
  bool constructIntList(const Node* node) {
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

  bool allInputsKnownAtConvertTime(const Node* node) {
    for (const TorchValue* input : node->inputs()) {
      if (!ivalues_.count(idOf(input))) return false;
    }
    return true;
  }

  // Runs a node whose inputs are all known (shape arithmetic such as size -> NumToTensor -> Int -> mul).
  bool evaluate(const Node* node) {
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
    if (!converted) {
      // No torch-free form: a CPU value the lowerings cannot use.
      for (auto& set : placeholders_) set[idOf(output)] = constant;
      return;
    }
    Value& value = valueOf(output);
    value.kind = Value::Kind::Constant;
    value.constant = std::move(*converted);
    ivalues_[idOf(output)] = constant;
  }

  // The node as the lowerings see it; a list-making node's outputs are the tensors `unpack` takes out of it.
  nnc::Node mirrorOf(const Node* node, const std::string& kind, const Node* unpack = nullptr) {
    nnc::Node mirror;
    mirror.kind = kind;
    for (const TorchValue* input : node->inputs()) mirror.inputs.push_back(idOf(input));
    for (const TorchValue* output : (unpack ? unpack : node)->outputs()) {
      mirror.outputs.push_back(idOf(output));
      mirror.output_used.push_back(output->hasUses());
    }
    // A constant only this node reads, whose tensor only the graph holds: its lowering may reorder it in place,
    // and releaseMovedWeights then points the graph at the result.
    for (const TorchValue* input : node->inputs()) {
      mirror.rewritable_inputs.push_back(graph_owned_.count(idOf(input)) > 0 && onlyReader(input, node));
    }
    mirror.source = sourceOf(node);
    mirror.scope = scopeOf(node);
    return mirror;
  }

  // ---------------- NNAPI or CPU ----------------

  // Why inputs rule out any lowering, or "".
  std::string inputProblem(const Node* node) {
    for (size_t i = 0; i < node->inputs().size(); ++i) {
      const Value& value = valueOf(node->inputs()[i]);
      const std::string which = "input " + std::to_string(i) + " ('" + value.name + "')";
      if (value.kind == Value::Kind::Unknown) return which + " is known only when the model runs";
      const auto* weight = value.kind == Value::Kind::Constant ? std::get_if<ConstTensor>(&value.constant) : nullptr;
      if (weight && weight->dtype == DType::Other) {
        const auto known = ivalues_.find(idOf(node->inputs()[i]));
        const std::string dtype = known != ivalues_.end() && known->second.isTensor()
                                      ? c10::toString(known->second.toTensor().scalar_type())
                                      : "other than float32";
        return which + " is a constant tensor of dtype " + dtype + ", which NNAPI lowerings do not take (float32, "
               "or quantized weights); convert the model to float32 (model.float()) first";
      }
      if (value.kind == Value::Kind::Tensor && value.tensor.type != ANEURALNETWORKS_TENSOR_FLOAT32 &&
          value.tensor.type != ANEURALNETWORKS_TENSOR_QUANT8_ASYMM) {
        return which + " is neither a float32 nor a per-tensor quint8 tensor of rank >= 1, which NNAPI "
                       "lowerings take";
      }
    }
    return "";
  }

  void lowerOrLeave(Node* node, const std::string& kind) {
    // Lists, tuples and arithmetic on run-time numbers (a loop counter) are TorchScript's own business: they are
    // not ops NNAPI could have run, so they are not listed.
    const bool report = !isBookkeeping(kind) && touchesTensors(node);
    if (!registry().find(kind)) return leaveOnCpu(node, "no lowering to NNAPI for this op", report);
    if (std::string problem = inputProblem(node); !problem.empty()) return leaveOnCpu(node, problem, report);
    Node* unpack = unpackOfTensorList(node);
    const nnc::Node mirror = mirrorOf(node, kind, unpack);
    LoweringContext context(state(), mirror);
    const Support support = supports(context);
    if (!support.ok) return leaveOnCpu(node, support.reason, report);

    state().openPartition();
    const int partition = state().open;
    if (result_->partitions.size() <= static_cast<size_t>(partition)) result_->partitions.resize(partition + 1);
    try {
      support.emit(context);  // the emitter the question returned: nothing is parsed or converted twice
    } catch (const std::exception& e) {
      // The support question said yes and emission failed: a converter bug. Keep the model convertible. A weight
      // the lowering already reordered in place is read back from its bytes first, so the CPU sees PyTorch's values.
      releaseMovedWeights(node);
      throw Restart{{node}, std::string("internal error, left to the CPU: ") + e.what()};
    }
    releaseMovedWeights(node);
    result_->absorbed.insert(node);
    result_->partitions[partition].nodes.push_back(node);
    if (unpack) {
      unpacked_with_producer_.insert(unpack);
      result_->absorbed.insert(unpack);
      result_->partitions[partition].nodes.push_back(unpack);
    }
    // An in-place op the mutation pass could not rewrite: later readers of its first input see the result.
    if (kind.back() == '_' && !mirror.outputs.empty() && !mirror.inputs.empty()) {
      alias(mirror.inputs[0], mirror.outputs[0]);
    }
    for (size_t i = 0; i < node->outputs().size(); ++i) {
      const Value& value = values()[mirror.outputs[i]];
      if (value.kind == Value::Kind::Unknown && mirror.output_used[i]) {
        throw Restart{{node}, "internal error, left to the CPU: the lowering left output " + std::to_string(i) +
                                  " undefined"};
      }
      if (value.kind == Value::Kind::Constant) {
        if (auto ivalue = toIValue(value.constant)) ivalues_[mirror.outputs[i]] = *ivalue;
      }
    }
    countMultiplyAdds(node, kind, /*on_nnapi=*/true);
    if (options_.expose_layers && node->owningBlock() == node->owningGraph()->block()) {
      exposeLayers(node, kind, unpack);
    }
  }

  // The weights `node`'s lowering reordered into its partition: where nothing but `node` reads the constant, the
  // graph reads it from the partition's bytes from now on and PyTorch's copy is freed (frontend/moved_weights.h).
  // The lowerings still see its shape and dtype; its bytes are gone from what they see (no one reads them again).
  // A weight reordered in place (Node::rewritable_inputs) must be read back so: its old bytes are no longer
  // PyTorch's values.
  void releaseMovedWeights(Node* node) {
    const std::vector<WeightMove> moves = std::exchange(state().weight_moves, {});
    for (const WeightMove& move : moves) {
      Node* constant = const_cast<Node*>(result_->torch_values.at(move.source)->node());
      auto* seen = std::get_if<ConstTensor>(&values()[move.source].constant);
      const ir::Model& model = state().partitions.at(move.partition).model;
      const ir::Operand& operand = model.operands().at(move.operand);
      // The operand holds PyTorch's own bytes, reordered (LoweringContext::floatWeightToReorder).
      const bool rewritten = seen && seen->bytes.size() > 0 && operand.buffer >= 0 &&
                             model.buffers().at(operand.buffer).data() == seen->bytes.data();
      const at::Tensor* original = constantTensorOf(constant);
      std::optional<at::Tensor> view;
      if (seen && original && onlyReader(constant->output(), node)) view = viewOfMovedWeight(model, move, *original);
      if (!view) {
        if (rewritten) {
          throw std::logic_error(std::string("a weight reordered in place cannot be read back for ") +
                                 node->kind().toQualString());
        }
        continue;
      }
      const std::vector<int64_t> shape = original->sizes().vec();  // before t_ replaces what `original` points to
      constant->t_(c10::attr::value, *view);
      constant->output()->inferTypeFrom(*view);
      ivalues_[move.source] = *view;
      seen->bytes = ConstBytes();
      if (view->sizes() != at::IntArrayRef(shape)) readThroughReshape(node, constant->output(), shape, move.partition);
    }
  }

  // `node` reads `constant`, now a tensor of another shape with the same elements in row-major order, through a
  // reshape to `shape`. The reshape is part of node's work: it runs only in the CPU fallback.
  void readThroughReshape(Node* node, TorchValue* constant, const std::vector<int64_t>& shape, int partition) {
    torch::jit::Graph& graph = *node->owningGraph();
    torch::jit::WithInsertPoint before(node);
    TorchValue* reshaped = graph.insert(c10::aten::reshape, {constant, shape});
    node->replaceInputWith(constant, reshaped);
    result_->absorbed.insert(reshaped->node());
    result_->partitions.at(partition).nodes.push_back(reshaped->node());
  }

  // The tensors `node` made (taken out of its list by `unpack` for a list-making node), for verify --layers.
  void exposeLayers(const Node* node, const std::string& kind, const Node* unpack) {
    for (const TorchValue* output : (unpack ? unpack : node)->outputs()) {
      const ValueId id = idOf(output);
      if (values()[id].kind != Value::Kind::Tensor || values()[id].partition < 0) continue;
      requestTorch(id);
      result_->layers.push_back({id, Layer{kind, sourceOf(node), scopeOf(node)}});
    }
  }

  // `node` stays in TorchScript: the open partition ends, what it reads is handed to the CPU, and its outputs are
  // described from one run on placeholder inputs.
  void leaveOnCpu(Node* node, const std::string& reason, bool report) {
    const std::string kind = node->kind().toQualString();
    if (report) result_->summary.cpu_ops.push_back({kind, reason, sourceOf(node), scopeOf(node)});
    closePartition();
    for (const TorchValue* input : node->inputs()) requestTorch(idOf(input));
    if (!node->blocks().empty()) {
      // Control flow kept whole: whatever its blocks read from outside comes from the CPU too.
      requestOuterValuesOf(node);
      return;  // its outputs stay Unknown
    }
    describeByRunning(node);
    countMultiplyAdds(node, kind, /*on_nnapi=*/false);
  }

  // Runs the node once per placeholder set; its outputs stay Unknown (and what depends on them on the CPU) when a
  // run is impossible or fails.
  void describeByRunning(const Node* node) {
    if (node->kind() == c10::prim::RaiseException && node->owningBlock() == node->owningGraph()->block()) {
      result_->may_reject_shapes = true;
    }
    if (node->hasSideEffects()) return;
    std::vector<torch::jit::Stack> runs;
    for (size_t k = 0; k < placeholders_.size(); ++k) {
      std::optional<torch::jit::Stack> outputs = runOnPlaceholders(node, k);
      if (!outputs || outputs->size() != node->outputs().size()) return;
      runs.push_back(std::move(*outputs));
    }
    for (size_t i = 0; i < node->outputs().size(); ++i) {
      std::vector<c10::IValue> values;
      for (const torch::jit::Stack& run : runs) values.push_back(run[i]);
      describeCpuValue(idOf(node->outputs()[i]), values);
    }
  }

  std::optional<torch::jit::Stack> runOnPlaceholders(const Node* node, size_t set) {
    torch::jit::Stack stack;
    for (const TorchValue* input : node->inputs()) {
      std::optional<c10::IValue> placeholder = placeholderOf(idOf(input), set);
      if (!placeholder) return std::nullopt;
      stack.push_back(std::move(*placeholder));
    }
    // Building and unpacking lists and tuples the CPU computes ([x.size(0), -1] with a run-time extent; chunk,
    // split) is the interpreter's own work, no operator.
    if (node->kind() == c10::prim::ListConstruct) {
      c10::impl::GenericList list(node->output()->type()->expectRef<c10::ListType>().getElementType());
      for (c10::IValue& element : stack) list.push_back(std::move(element));
      return torch::jit::Stack{c10::IValue(list)};
    }
    if (node->kind() == c10::prim::TupleConstruct) {
      return torch::jit::Stack{c10::IValue(c10::ivalue::Tuple::create(std::move(stack)))};
    }
    if (node->kind() == c10::prim::ListUnpack || node->kind() == c10::prim::TupleUnpack) {
      const c10::IValue& packed = stack.at(0);
      if (packed.isList()) return packed.toListRef().vec();
      if (packed.isTuple()) return packed.toTupleRef().elements().vec();
      return std::nullopt;
    }
    if (!node->maybeOperator()) return std::nullopt;
    try {
      torch::NoGradGuard no_grad;
      node->getOperation()(stack);
    } catch (const std::exception&) {
      result_->may_reject_shapes = true;
      return std::nullopt;  // outputs stay Unknown: what depends on them stays on the CPU too
    }
    return stack;
  }

  // A value the CPU computes, from its placeholder in each set: a tensor's extent that differs between the sets
  // follows a run-time extent and is itself fixed only at run time (0).
  void describeCpuValue(ValueId id, const std::vector<c10::IValue>& runs) {
    Value& value = values()[id];
    value.kind = Value::Kind::Unknown;
    const bool tensors = runs.at(0).isTensor() && std::all_of(runs.begin(), runs.end(), [&](const c10::IValue& run) {
      return run.isTensor() && run.toTensor().dim() == runs[0].toTensor().dim();
    });
    if (tensors) {
      value.kind = Value::Kind::Tensor;
      value.tensor = describeCpuTensor(runs[0].toTensor(), value.name);
      value.partition = -1;
      for (const c10::IValue& run : runs) {
        for (size_t d = 0; d < value.tensor.dims.size(); ++d) {
          if (run.toTensor().size(int64_t(d)) != int64_t(value.tensor.dims[d])) value.tensor.dims[d] = 0;
        }
      }
    }
    for (size_t k = 0; k < runs.size(); ++k) placeholders_[k][id] = runs[k];
  }

  // A value with the right type and shape for running a CPU node at convert time, from placeholder set `set`.
  std::optional<c10::IValue> placeholderOf(ValueId id, size_t set) {
    if (auto it = ivalues_.find(id); it != ivalues_.end()) return it->second;
    if (auto it = placeholders_[set].find(id); it != placeholders_[set].end()) return it->second;
    const Value& value = values()[id];
    if (value.kind == Value::Kind::Tensor) return c10::IValue(placeholderTensor(value.tensor, kProbeExtents[set]));
    if (value.kind == Value::Kind::List) {
      std::vector<c10::IValue> elements;
      for (ValueId element : value.elements) {
        auto p = placeholderOf(element, set);
        if (!p) return std::nullopt;
        elements.push_back(std::move(*p));
      }
      const TorchValue* torch_value = result_->torch_values[id];
      if (torch_value->type()->cast<c10::TupleType>()) return c10::IValue(c10::ivalue::Tuple::create(elements));
      c10::List<at::Tensor> tensors;
      for (const c10::IValue& element : elements) {
        if (!element.isTensor()) return std::nullopt;
        tensors.push_back(element.toTensor());
      }
      return c10::IValue(tensors);
    }
    return std::nullopt;
  }

  void countMultiplyAdds(const Node* node, const std::string& kind, bool on_nnapi) {
    std::vector<std::vector<int64_t>> shapes;
    bool transposed = kind.find("transpose") != std::string::npos;
    for (const TorchValue* input : node->inputs()) {
      const Value& value = valueOf(input);
      if (value.kind == Value::Kind::Tensor) {
        shapes.push_back(perUnitOfRunTimeExtents(value.tensor));
      } else if (const auto* constant = value.kind == Value::Kind::Constant ? std::get_if<ConstTensor>(&value.constant)
                                                                             : nullptr) {
        shapes.push_back(constant->shape);
      } else if (const auto* packed = value.kind == Value::Kind::Constant
                                          ? std::get_if<PackedWeights>(&value.constant)
                                          : nullptr) {
        shapes.push_back(packed->weight.shape);
        transposed = transposed || packed->transposed;
      } else {
        shapes.emplace_back();
      }
    }
    if (node->outputs().empty()) return;  // prim::RaiseException, aten::warn: no arithmetic
    const Value& output = valueOf(node->outputs()[0]);
    if (output.kind != Value::Kind::Tensor) return;
    if (kind == "aten::_convolution" && node->inputs().size() > 6) {
      const Value& flag = valueOf(node->inputs()[6]);
      if (const auto* b = flag.kind == Value::Kind::Constant ? std::get_if<bool>(&flag.constant) : nullptr) {
        transposed = *b;
      }
    }
    const int64_t count = multiplyAdds(kind, shapes, perUnitOfRunTimeExtents(output.tensor), transposed);
    result_->summary.multiply_adds += count;
    if (on_nnapi) result_->summary.nnapi_multiply_adds += count;
  }

  // ---------------- control flow ----------------

  void reportControlFlow(Node* node) {
    result_->summary.cpu_ops.push_back({node->kind().toQualString(),
                                        "control flow runs in TorchScript; the code in its blocks is partitioned",
                                        sourceOf(node), scopeOf(node)});
  }

  void visitIf(Node* node) {
    reportControlFlow(node);
    closePartition();
    requestTorch(idOf(node->input(0)));
    for (Block* block : node->blocks()) visitBlock(block);
    for (size_t i = 0; i < node->outputs().size(); ++i) {
      const ValueId then_value = idOf(node->blocks()[0]->outputs()[i]);
      const ValueId else_value = idOf(node->blocks()[1]->outputs()[i]);
      const ValueId out = idOf(node->outputs()[i]);
      const Value& a = values()[then_value];
      const Value& b = values()[else_value];
      const bool same_tensor = a.kind == Value::Kind::Tensor && b.kind == Value::Kind::Tensor &&
                               LoweringContext::logicalShape(a.tensor) == LoweringContext::logicalShape(b.tensor) &&
                               a.tensor.type == b.tensor.type;
      if (same_tensor) {
        values()[out].kind = Value::Kind::Tensor;
        values()[out].tensor = asTorchHoldsIt(a.tensor);
        values()[out].partition = -1;
      }
      for (size_t k = 0; k < placeholders_.size(); ++k) {
        if (auto placeholder = placeholderOf(then_value, k)) placeholders_[k][out] = *placeholder;
      }
    }
  }

  // The loop stays a TorchScript loop; its body is partitioned with the loop-carried values described by their
  // values on entry. A carried tensor whose shape changes between iterations makes the body's description wrong:
  // the loop is then left whole to the CPU.
  void visitLoop(Node* node) {
    reportControlFlow(node);
    closePartition();
    for (const TorchValue* input : node->inputs()) requestTorch(idOf(input));
    Block* body = node->blocks()[0];
    const ValueId counter = idOf(body->inputs()[0]);
    for (auto& set : placeholders_) set[counter] = c10::IValue(int64_t{0});
    const size_t carried = node->outputs().size();
    for (size_t k = 0; k < carried; ++k) enterCarried(idOf(body->inputs()[k + 1]), idOf(node->inputs()[k + 2]));
    visitBlock(body);
    for (size_t k = 0; k < carried; ++k) {
      const Value& entry = values()[idOf(body->inputs()[k + 1])];
      const Value& next = values()[idOf(body->outputs()[k + 1])];
      if (entry.kind == Value::Kind::Tensor &&
          (next.kind != Value::Kind::Tensor ||
           LoweringContext::logicalShape(next.tensor) != LoweringContext::logicalShape(entry.tensor))) {
        throw Restart{{node}, "a tensor carried through the loop changes shape between iterations"};
      }
      enterCarried(idOf(node->outputs()[k]), idOf(node->inputs()[k + 2]));
    }
  }

  // A loop-carried value (or a loop output) is computed at run time, shaped like its value on entry.
  void enterCarried(ValueId target, ValueId initial) {
    Value& value = values()[target];
    const Value& entry = values()[initial];
    value.kind = entry.kind == Value::Kind::Tensor ? Value::Kind::Tensor : Value::Kind::Unknown;
    if (entry.kind == Value::Kind::Tensor) {
      value.tensor = asTorchHoldsIt(entry.tensor);
      value.partition = -1;
    }
    for (size_t k = 0; k < placeholders_.size(); ++k) {
      if (auto placeholder = placeholderOf(initial, k)) placeholders_[k][target] = *placeholder;
    }
  }

  void requestOuterValuesOf(const Node* node) {
    for (const Block* block : node->blocks()) {
      for (const Node* inner : block->nodes()) {
        for (const TorchValue* input : inner->inputs()) requestTorch(idOf(input));
        requestOuterValuesOf(inner);
      }
      for (const TorchValue* output : block->outputs()) requestTorch(idOf(output));
    }
  }

  // ---------------- partitions ----------------

  void closePartition() { state().open = -1; }

  // TorchScript needs value `id` (as PyTorch has it): the partition computing it will output it.
  void requestTorch(ValueId id) {
    const Value& value = values()[id];
    if (value.kind == Value::Kind::List) {
      for (ValueId element : std::vector<ValueId>(value.elements)) requestTorch(element);
      return;
    }
    if (value.kind == Value::Kind::Tensor && value.partition >= 0) torch_requests_.push_back(id);
  }

  // A partition that only moves data, or takes no input, stays on the CPU (see README, "Partitions").
  void keepTinyPartitionsOnCpu() {
    Restart restart;
    for (size_t p = 0; p < state().partitions.size(); ++p) {
      const ir::Model& model = state().partitions[p].model;
      if (model.operations().empty()) continue;
      bool computes = false;
      for (const ir::Operation& operation : model.operations()) computes = computes || !movesDataOnly(operation.type);
      if (computes && !model.inputs().empty()) continue;
      restart.reason = computes ? "its NNAPI partition would take no input (all constants)"
                                : "its NNAPI partition would only move data (RESHAPE, TRANSPOSE, ...), which costs "
                                  "more to call than it saves";
      for (Node* node : result_->partitions[p].nodes) restart.nodes.push_back(node);
    }
    if (!restart.nodes.empty()) throw restart;
  }

  // Every partition outputs what later partitions and TorchScript read from it: later partitions in the layout the
  // value has, TorchScript as PyTorch has it (a TRANSPOSE back where the feature level has one; below that the
  // wrapper permutes).
  void connectPartitions() {
    for (const PartitionState& partition : state().partitions) {
      for (const BoundaryInput& input : partition.inputs) {
        if (values()[input.value].partition >= 0) addOutput(input.value, /*for_torch=*/false);
      }
    }
    for (ValueId id : torch_requests_) addOutput(id, /*for_torch=*/true);
    for (size_t p = 0; p < state().partitions.size(); ++p) {
      std::vector<uint32_t> operands;
      for (const BoundaryOutput& output : result_->partitions[p].outputs) operands.push_back(output.operand);
      state().partitions[p].model.setOutputs(operands);
    }
  }

  void addOutput(ValueId id, bool for_torch) {
    const Value value = values()[id];
    const int p = value.partition;
    if (result_->partitions.size() <= static_cast<size_t>(p)) result_->partitions.resize(p + 1);
    uint32_t operand = value.partition_operand;
    ir::Layout layout = state().partitions[p].model.operands().at(operand).layout;
    if (for_torch && layout != ir::Layout::Contiguous) {
      state().open = p;
      const nnc::Node boundary{"boundary", {}, {}, "", "", {}, {}};
      LoweringContext context(state(), boundary);
      if (context.hasOperation(ANEURALNETWORKS_TRANSPOSE)) {
        operand = context.toLayout(operand, ir::Layout::Contiguous);
        layout = ir::Layout::Contiguous;
      }
      state().open = -1;
    }
    const ir::Model& model = state().partitions[p].model;
    for (const BoundaryOutput& existing : result_->partitions[p].outputs) {
      if (existing.operand == operand) return;
      // Another value of the same bytes (a permute that only changed the layout, ops/permute.cpp): NNAPI lists an
      // output once, so this one gets a copy of its own.
      if (model.resolveAlias(existing.operand) == model.resolveAlias(operand)) {
        operand = copyOf(p, operand);
        break;
      }
    }
    result_->partitions[p].outputs.push_back({id, operand, layout});
  }

  // A copy of `operand` in partition p: RESHAPE to its own shape, or (more than one extent fixed only at run time,
  // which RESHAPE cannot infer) TRANSPOSE by the identity, which the run-time extents' feature level 3 has.
  uint32_t copyOf(int p, uint32_t operand) {
    state().open = p;
    const nnc::Node boundary{"boundary", {}, {}, "", "", {}, {}};
    LoweringContext context(state(), boundary);
    const ir::Operand source = context.operand(operand);
    const std::vector<int64_t> dims(source.dims.begin(), source.dims.end());
    const ir::OutputSpec spec{source.layout, {}, {}, source.name + " (copy)"};
    uint32_t copy = 0;
    if (runTimeExtentCount(dims) <= 1) {
      copy = context.emit(ANEURALNETWORKS_RESHAPE, {operand, context.i32Tensor(reshapeTarget(dims))}, spec);
    } else {
      std::vector<int32_t> identity(dims.size());
      for (size_t k = 0; k < identity.size(); ++k) identity[k] = static_cast<int32_t>(k);
      copy = context.emit(ANEURALNETWORKS_TRANSPOSE, {operand, context.i32Tensor(identity)}, spec);
    }
    state().open = -1;
    return copy;
  }

  const ConvertOptions& options_;
  const std::map<Node*, std::string>& forced_;
  std::unique_ptr<ImportedGraph> result_;
  std::unordered_map<ValueId, c10::IValue> ivalues_;       // values known at convert time
  std::unordered_set<ValueId> graph_owned_;                // constants whose tensor only the graph holds
  // Stand-ins for values known only at run time: one set per probe extent (kProbeExtents), two when the inputs have
  // run-time extents, so that describeCpuValue can tell which extents follow them.
  std::vector<std::unordered_map<ValueId, c10::IValue>> placeholders_;
  std::vector<ValueId> torch_requests_;
  std::unordered_set<const Node*> unpacked_with_producer_;  // ListUnpacks lowered with their list's producer
  // For idioms recognised over several nodes: constants (visited or not yet), tensors' shapes.
  const KnownValues known_values_{
      [this](const TorchValue* value) -> std::optional<c10::IValue> {
        if (auto it = ivalues_.find(idOf(value)); it != ivalues_.end()) return it->second;
        return torch::jit::toIValue(value);
      },
      [this](const TorchValue* value) -> std::optional<std::vector<int64_t>> {
        const Value& v = valueOf(value);
        if (v.kind != Value::Kind::Tensor) return std::nullopt;
        std::vector<int64_t> shape = LoweringContext::logicalShape(v.tensor);
        if (runTimeExtentCount(shape) > 0) return std::nullopt;
        return shape;
      }};
};

}  // namespace

std::unique_ptr<ImportedGraph> importGraph(torch::jit::Graph& graph, const ConvertOptions& options) {
  std::map<torch::jit::Node*, std::string> forced;
  while (true) {
    try {
      return GraphImporter(options, forced).run(graph);
    } catch (const Restart& restart) {
      size_t added = 0;
      for (torch::jit::Node* node : restart.nodes) added += forced.emplace(node, restart.reason).second;
      if (added == 0) throw std::logic_error("importGraph: a restart that leaves nothing new to the CPU");
    }
  }
}

}  // namespace nnc
