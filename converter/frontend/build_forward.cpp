#include "frontend/build_forward.h"

#include <map>
#include <unordered_set>

#include <torch/csrc/jit/ir/ir.h>
#include <torch/csrc/jit/passes/dead_code_elimination.h>

#include "frontend/torch_constants.h"

namespace nnc {
namespace {

using torch::jit::Block;
using torch::jit::Graph;
using torch::jit::Node;
using torch::jit::WithInsertPoint;
using TorchValue = torch::jit::Value;

class ForwardBuilder {
 public:
  ForwardBuilder(Graph& graph, const ImportedGraph& imported, const PartitionCalls& calls, bool cpu_fallback)
      : graph_(graph), imported_(imported), calls_(calls), cpu_fallback_(cpu_fallback), self_(graph.inputs().at(0)) {}

  std::vector<int> run() {
    std::vector<int> called;
    for (size_t p = 0; p < imported_.partitions.size(); ++p) {
      if (p >= imported_.state.partitions.size() || imported_.state.partitions[p].model.operations().empty()) continue;
      insertCall(static_cast<int>(p), called.size());
      called.push_back(static_cast<int>(p));
    }
    rewireBlock(graph_.block());
    if (!imported_.layers.empty()) returnLayers();
    torch::jit::EliminateDeadCode(graph_.block());
    return called;
  }

 private:
  const Value& valueOf(ValueId id) const { return imported_.state.values.at(id); }
  std::vector<int64_t> shapeOf(ValueId id) const { return LoweringContext::logicalShape(valueOf(id).tensor); }

  // ---------------- layouts ----------------

  TorchValue* insertOp(c10::Symbol op, std::vector<torch::jit::NamedValue> args) {
    TorchValue* out = graph_.insert(op, args);
    created_.insert(out->node());
    return out;
  }

  TorchValue* permute(TorchValue* x, std::vector<int64_t> order) {
    return insertOp(c10::aten::contiguous, {insertOp(c10::aten::permute, {x, order})});
  }

  // `x` (value `id` stored in `from`) stored in `to`, at the insertion point.
  TorchValue* adapt(TorchValue* x, ValueId id, ir::Layout from, ir::Layout to) {
    if (from == to) return x;
    const std::vector<int64_t> nchw = from == ir::Layout::ChannelsLastFlattened || to == ir::Layout::ChannelsLastFlattened
                                          ? flattenedMapShape(id)
                                          : shapeOf(id);
    switch (from) {
      case ir::Layout::ChannelsLast:
        return adapt(permute(x, {0, 3, 1, 2}), id, ir::Layout::Contiguous, to);
      case ir::Layout::ChannelsLast1d:
        return adapt(permute(x, {0, 2, 1}), id, ir::Layout::Contiguous, to);
      // The reshapes leave N to PyTorch (-1): it may be fixed only at run time (--input -1,...), while a flattened
      // map's C, H and W are always known.
      case ir::Layout::ChannelsLastFlattened: {
        // [N, H*W*C] -> [N,H,W,C] -> [N,C,H,W] -> [N, C*H*W]
        TorchValue* map = insertOp(c10::aten::reshape, {x, std::vector<int64_t>{-1, nchw[2], nchw[3], nchw[1]}});
        TorchValue* flat = insertOp(c10::aten::reshape, {permute(map, {0, 3, 1, 2}), flatShape(nchw)});
        return adapt(flat, id, ir::Layout::Contiguous, to);
      }
      case ir::Layout::Contiguous:
        if (to == ir::Layout::ChannelsLast) return permute(x, {0, 2, 3, 1});
        if (to == ir::Layout::ChannelsLast1d) return permute(x, {0, 2, 1});
        {
          TorchValue* map = insertOp(c10::aten::reshape, {x, std::vector<int64_t>{-1, nchw[1], nchw[2], nchw[3]}});
          return insertOp(c10::aten::reshape, {permute(map, {0, 2, 3, 1}), flatShape(nchw)});
        }
    }
    throw std::logic_error("adapt: unknown layout");
  }

  static std::vector<int64_t> flatShape(const std::vector<int64_t>& nchw) { return {-1, nchw[1] * nchw[2] * nchw[3]}; }

  // The [N,C,H,W] map a flattened value came from.
  std::vector<int64_t> flattenedMapShape(ValueId id) const {
    const ir::Operand& t = valueOf(id).tensor;
    if (t.flattened_chw.size() != 3) throw std::logic_error("a flattened map without its C,H,W");
    return {int64_t(t.dims[0]), t.flattened_chw[0], t.flattened_chw[1], t.flattened_chw[2]};
  }

  // ---------------- values ----------------

  // Value `id` stored in `want`, usable at the insertion point. `local` maps original values that a CPU fallback
  // block recomputes to their recomputed copies.
  TorchValue* torchValue(ValueId id, ir::Layout want, const std::unordered_map<const TorchValue*, TorchValue*>* local) {
    const TorchValue* original = imported_.torch_values.at(id);
    if (local) {
      if (auto it = local->find(original); it != local->end()) return adapt(it->second, id, ir::Layout::Contiguous, want);
    }
    const Value& value = valueOf(id);
    switch (value.kind) {
      case Value::Kind::Tensor: {
        if (auto it = produced_.find({id, want}); it != produced_.end()) return it->second;
        if (value.partition >= 0) {
          // Any layout the partition outputs it in: the map is ordered by value first, Contiguous is layout 0.
          auto any = produced_.lower_bound({id, ir::Layout::Contiguous});
          if (any != produced_.end() && any->first.first == id) return adapt(any->second, id, any->first.second, want);
          throw std::logic_error("buildForward: partition " + std::to_string(value.partition) + " does not output '" +
                                 value.name + "'");
        }
        return adapt(const_cast<TorchValue*>(original), id, value.tensor.layout, want);
      }
      case Value::Kind::Constant:
        if (original->node()->kind() != c10::prim::Constant) {
          if (std::optional<c10::IValue> constant = toIValue(value.constant)) return insertConstant(*constant);
        }
        return const_cast<TorchValue*>(original);
      case Value::Kind::List: {
        std::vector<TorchValue*> elements;
        for (ValueId element : value.elements) elements.push_back(torchValue(element, ir::Layout::Contiguous, local));
        Node* list = nullptr;
        if (original->type()->cast<c10::TupleType>()) {
          list = graph_.createTuple(elements);
        } else if (const auto dict = original->type()->cast<c10::DictType>()) {
          std::vector<TorchValue*> keys, entries;
          for (size_t i = 0; i + 1 < elements.size(); i += 2) {
            keys.push_back(elements[i]);
            entries.push_back(elements[i + 1]);
          }
          list = graph_.createDict(dict->getKeyType(), dict->getValueType(), keys, entries);
        } else {
          list = graph_.createList(c10::TensorType::get(), elements);
          if (!elements.empty()) list->output()->setType(original->type());
        }
        graph_.insertNode(list);
        created_.insert(list);
        return list->output();
      }
      case Value::Kind::Unknown: break;
    }
    return const_cast<TorchValue*>(original);
  }

  TorchValue* insertConstant(const c10::IValue& constant) {
    WithInsertPoint top(graph_.block()->nodes().front());
    TorchValue* value = graph_.insertConstant(constant);
    created_.insert(value->node());
    return value;
  }

  // ---------------- partition calls ----------------

  void insertCall(int p, size_t attribute) {
    const PartitionState& partition = imported_.state.partitions[p];
    const ImportedPartition& nodes = imported_.partitions[p];
    Node* last = nodes.nodes.back();
    WithInsertPoint after(last->next());

    std::vector<TorchValue*> inputs;
    for (const BoundaryInput& input : partition.inputs) inputs.push_back(torchValue(input.value, input.layout, nullptr));

    std::vector<TorchValue*> results;
    if (cpu_fallback_) {
      TorchValue* available = calls_.useNnapi(graph_, self_, attribute);
      Node* branch = graph_.insertNode(graph_.create(c10::prim::If, {available}, nodes.outputs.size()));
      created_.insert(branch);
      Block* on_nnapi = branch->addBlock();
      Block* on_cpu = branch->addBlock();
      {
        WithInsertPoint in_block(on_nnapi->return_node());
        for (TorchValue* out : callRun(attribute, inputs, nodes.outputs.size())) on_nnapi->registerOutput(out);
      }
      {
        WithInsertPoint in_block(on_cpu->return_node());
        for (TorchValue* out : fallback(nodes)) on_cpu->registerOutput(out);
      }
      results.assign(branch->outputs().begin(), branch->outputs().end());
    } else {
      // No CPU path: run() raises the reason NNAPI cannot run the partition here, and the original nodes (and the
      // weights only they read) are dropped from the file.
      results = callRun(attribute, inputs, nodes.outputs.size());
    }
    for (size_t i = 0; i < nodes.outputs.size(); ++i) {
      const BoundaryOutput& output = nodes.outputs[i];
      results[i]->setType(c10::TensorType::get());
      produced_[{output.value, output.layout}] = results[i];
    }
    // What TorchScript reads, as PyTorch has it, right after the call (dead-code elimination drops unused ones).
    for (const BoundaryOutput& output : nodes.outputs) {
      if (output.layout == ir::Layout::Contiguous || produced_.count({output.value, ir::Layout::Contiguous})) continue;
      produced_[{output.value, ir::Layout::Contiguous}] =
          adapt(produced_.at({output.value, output.layout}), output.value, output.layout, ir::Layout::Contiguous);
    }
  }

  // Partition `attribute`'s outputs as its run(inputs) returns them, at the insertion point.
  std::vector<TorchValue*> callRun(size_t attribute, const std::vector<TorchValue*>& inputs, size_t outputs) {
    Node* list = graph_.insertNode(graph_.createList(c10::TensorType::get(), inputs));
    TorchValue* results = calls_.run(graph_, self_, attribute, list->output());
    Node* unpack = graph_.insertNode(graph_.createListUnpack(results, outputs));
    // Their inputs are final (rewireBlock must not touch them) when they are not inside the fallback's `if`.
    created_.insert({list, results->node(), unpack});
    return {unpack->outputs().begin(), unpack->outputs().end()};
  }

  // The partition's original nodes, recomputed on the CPU; returns its outputs in their partition layouts.
  std::vector<TorchValue*> fallback(const ImportedPartition& nodes) {
    std::unordered_map<const TorchValue*, TorchValue*> local;
    for (Node* node : nodes.nodes) {
      Node* copy = graph_.createClone(node, [&](TorchValue* input) -> TorchValue* {
        if (auto it = local.find(input); it != local.end()) return it->second;
        auto id = imported_.ids.find(input);
        if (id == imported_.ids.end()) return input;
        return torchValue(id->second, ir::Layout::Contiguous, &local);
      });
      graph_.insertNode(copy);
      for (size_t i = 0; i < node->outputs().size(); ++i) local[node->outputs()[i]] = copy->outputs()[i];
    }
    std::vector<TorchValue*> outputs;
    for (const BoundaryOutput& output : nodes.outputs) outputs.push_back(torchValue(output.value, output.layout, &local));
    return outputs;
  }

  // ---------------- readers ----------------

  // Every node TorchScript keeps reads values as PyTorch has them; those the converter replaced come from the
  // partitions (or are constants now).
  void rewireBlock(Block* block) {
    for (Node* node : block->nodes()) {
      if (created_.count(node) || imported_.absorbed.count(node)) continue;
      rewireInputs(node);
      for (Block* inner : node->blocks()) rewireBlock(inner);
    }
    rewireInputs(block->return_node());
  }

  void rewireInputs(Node* node) {
    WithInsertPoint before(node);
    for (size_t i = 0; i < node->inputs().size(); ++i) {
      TorchValue* input = node->inputs()[i];
      auto id = imported_.ids.find(input);
      if (id == imported_.ids.end()) continue;
      const Value& value = valueOf(id->second);
      const bool replaced = imported_.absorbed.count(input->node()) > 0;
      const bool permuted_argument = value.kind == Value::Kind::Tensor && value.partition < 0 &&
                                     value.tensor.layout != ir::Layout::Contiguous;
      if (!replaced && !permuted_argument) continue;
      TorchValue* wanted = torchValue(id->second, ir::Layout::Contiguous, nullptr);
      if (wanted != input) node->replaceInput(i, wanted);
    }
  }

  // forward returns (its result, (layer tensors...)).
  void returnLayers() {
    WithInsertPoint at_end(graph_.return_node());
    std::vector<TorchValue*> layers;
    for (const auto& [id, layer] : imported_.layers) layers.push_back(torchValue(id, ir::Layout::Contiguous, nullptr));
    Node* tuple = graph_.insertNode(graph_.createTuple(layers));
    Node* result = graph_.insertNode(graph_.createTuple({graph_.outputs().at(0), tuple->output()}));
    graph_.return_node()->replaceInput(0, result->output());
  }

  Graph& graph_;
  const ImportedGraph& imported_;
  const PartitionCalls& calls_;
  bool cpu_fallback_;
  TorchValue* self_;
  std::map<std::pair<ValueId, ir::Layout>, TorchValue*> produced_;
  std::unordered_set<const Node*> created_;
};

}  // namespace

std::shared_ptr<torch::jit::Graph> referenceLayersGraph(torch::jit::Graph& graph, const ImportedGraph& imported) {
  std::shared_ptr<torch::jit::Graph> reference = graph.copy();
  // copy() keeps the node order: pair the top-level values of the two graphs.
  std::unordered_map<const torch::jit::Value*, torch::jit::Value*> copied;
  for (size_t i = 0; i < graph.inputs().size(); ++i) copied[graph.inputs()[i]] = reference->inputs()[i];
  auto original = graph.nodes().begin();
  for (torch::jit::Node* node : reference->nodes()) {
    for (size_t i = 0; i < node->outputs().size(); ++i) copied[original->outputs()[i]] = node->outputs()[i];
    ++original;
  }
  std::vector<torch::jit::Value*> layers;
  for (const auto& [id, layer] : imported.layers) layers.push_back(copied.at(imported.torch_values.at(id)));
  torch::jit::WithInsertPoint at_end(reference->return_node());
  torch::jit::Node* tuple = reference->insertNode(reference->createTuple(layers));
  reference->return_node()->replaceInput(0, tuple->output());
  torch::jit::EliminateDeadCode(reference);
  if (!reference->inputs().at(0)->hasUses()) reference->eraseInput(0);  // self: a frozen graph reads no attribute
  return reference;
}

std::string partitionAttribute(size_t k) { return "nnapi_partition_" + std::to_string(k); }

std::vector<int> buildForward(Graph& graph, const ImportedGraph& imported, const PartitionCalls& calls,
                              bool cpu_fallback) {
  return ForwardBuilder(graph, imported, calls, cpu_fallback).run();
}

TorchValue* insertCallMethod(Graph& graph, TorchValue* object, const std::string& method, std::vector<TorchValue*> args,
                             const c10::TypePtr& returns) {
  args.insert(args.begin(), object);
  torch::jit::Node* call = graph.insertNode(graph.create(c10::prim::CallMethod, args));
  call->s_(c10::attr::name, method);
  call->output()->setType(returns);
  return call->output();
}

namespace {

// torch.classes.nnapi_convert.Model in attribute nnapi_partition_<k>: available() says whether NNAPI can run it.
class RuntimePartitionCalls : public PartitionCalls {
 public:
  explicit RuntimePartitionCalls(c10::ClassTypePtr partition_class) : class_(std::move(partition_class)) {}

  TorchValue* useNnapi(Graph& graph, TorchValue* self, size_t k) const override {
    return insertCallMethod(graph, partition(graph, self, k), "available", {}, c10::BoolType::get());
  }
  TorchValue* run(Graph& graph, TorchValue* self, size_t k, TorchValue* inputs) const override {
    return insertCallMethod(graph, partition(graph, self, k), "run", {inputs}, c10::ListType::ofTensors());
  }

 private:
  TorchValue* partition(Graph& graph, TorchValue* self, size_t k) const {
    torch::jit::Node* get = graph.insertNode(graph.create(c10::prim::GetAttr, {self}));
    get->s_(c10::attr::name, partitionAttribute(k));
    get->output()->setType(class_);
    return get->output();
  }

  c10::ClassTypePtr class_;
};

}  // namespace

std::unique_ptr<PartitionCalls> runtimePartitionCalls(c10::ClassTypePtr partition_class) {
  return std::make_unique<RuntimePartitionCalls>(std::move(partition_class));
}

}  // namespace nnc
