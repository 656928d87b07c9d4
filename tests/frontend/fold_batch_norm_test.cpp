// foldConvBatchNorm: the same folded values as libtorch's FoldFrozenConvBatchnorm, and each unfolded weight freed as
// soon as its fold is done (not held until the end of the pass).
#include "frontend/fold_batch_norm.h"

#include <catch2/catch.hpp>

#include <torch/csrc/jit/passes/freeze_module.h>
#include <torch/csrc/jit/passes/frozen_conv_folding.h>
#include <torch/torch.h>

namespace {

// conv2d (no bias) + batch_norm, then conv2d (bias) + batch_norm, in eval mode, with seeded random parameters.
torch::jit::Module twoConvBatchNormPairs() {
  torch::jit::Module module("m");
  torch::manual_seed(3);
  module.register_parameter("w1", torch::randn({8, 3, 3, 3}), false);
  module.register_parameter("w2", torch::randn({4, 8, 1, 1}), false);
  module.register_parameter("bias2", torch::randn({4}), false);
  for (int k : {1, 2}) {
    const int64_t c = k == 1 ? 8 : 4;
    module.register_buffer("v" + std::to_string(k), torch::rand({c}) + 0.5);
    module.register_buffer("m" + std::to_string(k), torch::randn({c}));
    module.register_parameter("g" + std::to_string(k), torch::randn({c}), false);
    module.register_parameter("beta" + std::to_string(k), torch::randn({c}), false);
  }
  module.define(R"(
    def forward(self, x):
        y = torch.batch_norm(torch.conv2d(x, self.w1, None, 1, 1), self.g1, self.beta1, self.m1, self.v1,
                             False, 0.1, 1e-5, False)
        return torch.batch_norm(torch.conv2d(y, self.w2, self.bias2), self.g2, self.beta2, self.m2, self.v2,
                                False, 0.1, 1e-5, False)
  )");
  module.eval();
  return module;
}

// The graph of `module` frozen in place: its parameters are held by the graph's constants only.
std::shared_ptr<torch::jit::Graph> frozenGraph(torch::jit::Module& module) {
  torch::jit::freeze_module_inplace(&module);
  return module.get_method("forward").graph();
}

}  // namespace

TEST_CASE("foldConvBatchNorm folds as libtorch does and frees each unfolded weight", "[fold_batch_norm]") {
  const at::Tensor x = torch::randn({1, 3, 6, 6});
  const at::Tensor expected = twoConvBatchNormPairs().forward({x}).toTensor();
  torch::jit::Module ours = twoConvBatchNormPairs(), theirs = twoConvBatchNormPairs();
  std::shared_ptr<torch::jit::Graph> our_graph = frozenGraph(ours), their_graph = frozenGraph(theirs);

  // Weak references to the unfolded conv weights the frozen graph holds.
  std::vector<c10::weak_intrusive_ptr<c10::StorageImpl>> unfolded;
  for (torch::jit::Node* node : our_graph->nodes()) {
    if (node->kind() == c10::aten::conv2d) {
      unfolded.emplace_back(torch::jit::toIValue(node->input(1))->toTensor().storage().getWeakStorageImpl());
    }
  }
  REQUIRE(unfolded.size() == 2);

  nnc::foldConvBatchNorm(*our_graph);
  torch::jit::FoldFrozenConvBatchnorm(their_graph);

  for (torch::jit::Node* node : our_graph->nodes()) CHECK(node->kind() != c10::aten::batch_norm);
  for (const auto& weight : unfolded) CHECK(weight.expired());
  std::vector<at::Tensor> our_weights, their_weights;
  for (auto [graph, weights] : {std::pair{our_graph, &our_weights}, std::pair{their_graph, &their_weights}}) {
    for (torch::jit::Node* node : graph->nodes()) {
      if (node->kind() != c10::aten::conv2d) continue;
      weights->push_back(torch::jit::toIValue(node->input(1))->toTensor());
      weights->push_back(torch::jit::toIValue(node->input(2))->toTensor());
    }
  }
  REQUIRE(our_weights.size() == 4);
  REQUIRE(their_weights.size() == 4);
  for (size_t i = 0; i < 4; ++i) CHECK(at::equal(our_weights[i], their_weights[i]));  // bit for bit
  // And the folded forward is the original's, within float rounding of the fold.
  CHECK(at::allclose(ours.forward({x}).toTensor(), expected, 1e-5, 1e-5));
}
