#include "frontend/prepare_graph.h"

#include <torch/csrc/jit/passes/constant_propagation.h>
#include <torch/csrc/jit/passes/dead_code_elimination.h>
#include <torch/csrc/jit/passes/frozen_conv_folding.h>
#include <torch/csrc/jit/passes/inliner.h>
#include <torch/csrc/jit/passes/lower_tuples.h>
#include <torch/csrc/jit/passes/peephole.h>
#include <torch/csrc/jit/passes/remove_dropout.h>
#include <torch/csrc/jit/passes/remove_mutation.h>

namespace nnc {

std::shared_ptr<torch::jit::Graph> prepareForwardGraph(const torch::jit::Module& module) {
  torch::jit::Module copy = module.clone();
  copy.eval();
  // optimize_numerics=false: we fold batch norm ourselves below, after mutation removal, so the folding also
  // sees convs whose output was written in place; and freeze's other numerics changes (e.g. conv+add folding
  // through linear ops) are left to the passes listed here, so what runs is what this file says.
  torch::jit::Module frozen = torch::jit::freeze(copy, c10::nullopt, /*optimize_numerics=*/false);
  std::shared_ptr<torch::jit::Graph> graph = frozen.get_method("forward").graph()->copy();

  torch::jit::Inline(*graph);
  torch::jit::LowerSimpleTuples(graph);
  torch::jit::RemoveListMutation(graph);
  torch::jit::RemoveTensorMutation(graph);
  torch::jit::InplaceToFunctionalActivation(graph);
  torch::jit::removeDropout(graph);
  torch::jit::ConstantPropagation(graph);
  torch::jit::FoldFrozenConvBatchnorm(graph);
  torch::jit::FoldFrozenConvAddOrSub(graph);
  torch::jit::FoldFrozenConvMulOrDiv(graph);
  torch::jit::ConstantPropagation(graph);
  torch::jit::PeepholeOptimize(graph);
  torch::jit::EliminateDeadCode(graph);
  return graph;
}

}  // namespace nnc
