#include "frontend/prepare_graph.h"

#include "frontend/decompose_transformer.h"
#include "frontend/fold_batch_norm.h"

#include <unordered_map>

#include <torch/csrc/jit/api/function_impl.h>
#include <torch/csrc/jit/passes/constant_propagation.h>
#include <torch/csrc/jit/passes/dead_code_elimination.h>
#include <torch/csrc/jit/passes/freeze_module.h>
#include <torch/csrc/jit/passes/frozen_conv_folding.h>
#include <torch/csrc/jit/passes/inliner.h>
#include <torch/csrc/jit/passes/lower_tuples.h>
#include <torch/csrc/jit/passes/peephole.h>
#include <torch/csrc/jit/passes/remove_dropout.h>
#include <torch/csrc/jit/passes/remove_mutation.h>

namespace nnc {
namespace {

using InlinedGraphs = std::unordered_map<torch::jit::GraphFunction*, std::shared_ptr<torch::jit::Graph>>;

void inlineMethodCalls(torch::jit::Block* block, InlinedGraphs& inlined);

// A copy of `method`'s graph with the methods it calls inlined, made once per method.
torch::jit::Graph* inlinedGraph(torch::jit::GraphFunction* method, InlinedGraphs& inlined) {
  auto known = inlined.find(method);
  if (known != inlined.end()) return known->second.get();
  std::shared_ptr<torch::jit::Graph> graph = method->graph()->copy();
  inlineMethodCalls(graph->block(), inlined);
  return inlined.emplace(method, std::move(graph)).first->second.get();
}

// Inlines every call of a TorchScript method in `block` (and the blocks in it) with the method's graph as written.
// Freezing would inline them itself, but with libtorch's optimized copy of each method's graph, which runs a round
// of optimization passes for every method of every submodule: half of MobileNetV2's freezing time. The passes
// below run once, on the whole graph, instead. Callees are inlined into their callers first, as libtorch does, so
// each node's inlined call stack names its whole module path (stages.0.act).
void inlineMethodCalls(torch::jit::Block* block, InlinedGraphs& inlined) {
  for (auto it = block->nodes().begin(); it != block->nodes().end();) {
    torch::jit::Node* node = *it++;
    for (torch::jit::Block* inner : node->blocks()) inlineMethodCalls(inner, inlined);
    if (node->kind() != c10::prim::CallMethod) continue;
    const auto type = node->input(0)->type()->cast<c10::ClassType>();
    torch::jit::Function* method = type ? type->findMethod(node->s(c10::attr::name)) : nullptr;
    torch::jit::GraphFunction* graph = method ? torch::jit::tryToGraphFunction(*method) : nullptr;
    if (graph == nullptr) continue;  // left to freezing (an interface call, a method in C++)
    torch::jit::inlineCallTo(node, graph, inlinedGraph(graph, inlined));
  }
}

}  // namespace

std::shared_ptr<torch::jit::Graph> prepareForwardGraph(torch::jit::Module& module) {
  module.eval();
  InlinedGraphs inlined;
  inlineMethodCalls(module.get_method("forward").graph()->block(), inlined);
  // Frozen in place and its graph rewritten in place: a clone (or torch::jit::freeze, which clones) would hold a
  // second copy of every weight, and a copied graph would keep the unfolded conv weights alive next to the folded
  // ones. Batch norm is folded below, after mutation removal, so the folding also sees convs whose output was
  // written in place; freeze's own numerics changes are not run, so what runs is what this file says.
  torch::jit::freeze_module_inplace(&module);
  std::shared_ptr<torch::jit::Graph> graph = module.get_method("forward").graph();

  torch::jit::Inline(*graph);
  decomposeTransformerOps(*graph);
  torch::jit::LowerSimpleTuples(graph);
  torch::jit::RemoveListMutation(graph);
  torch::jit::RemoveTensorMutation(graph);
  torch::jit::InplaceToFunctionalActivation(graph);
  torch::jit::removeDropout(graph);
  torch::jit::ConstantPropagation(graph);
  foldConvBatchNorm(*graph);  // not libtorch's FoldFrozenConvBatchnorm: frontend/fold_batch_norm.h says why
  torch::jit::FoldFrozenConvAddOrSub(graph);
  torch::jit::FoldFrozenConvMulOrDiv(graph);
  torch::jit::ConstantPropagation(graph);
  torch::jit::PeepholeOptimize(graph);
  torch::jit::EliminateDeadCode(graph);
  return graph;
}

}  // namespace nnc
