#include "frontend/prepare_graph.h"

#include "frontend/decompose_transformer.h"
#include "frontend/fold_batch_norm.h"

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

std::shared_ptr<torch::jit::Graph> prepareForwardGraph(torch::jit::Module& module) {
  module.eval();
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
