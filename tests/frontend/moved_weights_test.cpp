// A conversion holds each reordered convolution weight once (frontend/moved_weights.h): after convertModule, the
// forward's CPU fallback reads every filter from the partition's own bytes, with PyTorch's values, and the
// parameters PyTorch held are freed.
#include "convert.h"

#include <catch2/catch.hpp>

#include <functional>

#include <torch/torch.h>

namespace {

using torch::jit::Node;

// Every filter relayout a float convolution takes: OHWI, depthwise [1,H,W,O], grouped, transposed (IOHW), 1-D.
const char* const kConvolutions = R"(
    def forward(self, x):
        y = torch.conv2d(x, self.plain, self.bias, 1, 1)
        y = torch.conv2d(y, self.depthwise, None, 1, 1, 1, 8)
        y = torch.conv2d(y, self.grouped, None, 1, 0, 1, 2)
        y = torch.conv_transpose2d(y, self.transposed, None, 2)
        return torch.conv1d(y.flatten(2), self.one_d)
)";

std::map<std::string, at::Tensor> weights() {
  torch::manual_seed(5);
  return {{"plain", torch::randn({8, 3, 3, 3})},      {"bias", torch::randn({8})},
          {"depthwise", torch::randn({8, 1, 3, 3})},  {"grouped", torch::randn({4, 4, 1, 1})},
          {"transposed", torch::randn({4, 6, 2, 2})}, {"one_d", torch::randn({5, 6, 3})}};
}

void forEachNode(torch::jit::Block* block, const std::function<void(Node*)>& visit) {
  for (Node* node : block->nodes()) {
    visit(node);
    for (torch::jit::Block* inner : node->blocks()) forEachNode(inner, visit);
  }
}

}  // namespace

TEST_CASE("the fallback reads each reordered filter from the partition, and PyTorch's copy is freed",
          "[moved_weights]") {
  const std::map<std::string, at::Tensor> expected = weights();
  std::vector<c10::weak_intrusive_ptr<c10::StorageImpl>> originals;
  nnc::ConvertedModel converted;
  {
    torch::jit::Module module("m");
    for (const auto& [name, value] : expected) {
      const at::Tensor parameter = value.clone();
      originals.push_back(parameter.storage().getWeakStorageImpl());
      module.register_parameter(name, parameter, false);
    }
    module.define(kConvolutions);
    module.eval();
    nnc::ConvertOptions options;
    options.input_shapes = {{1, 3, 6, 6}};
    converted = nnc::convertModule(std::move(module), "convolutions.pt", options);
  }
  for (const nnc::UnsupportedOp& op : converted.summary.cpu_ops) FAIL_CHECK(op.kind << " on the CPU: " << op.reason);
  std::vector<nnc::ConstBytes> buffers;
  for (const nnc::ConvertedPartition& partition : converted.partitions) {
    buffers.insert(buffers.end(), partition.model.buffers().begin(), partition.model.buffers().end());
  }

  int filters = 0;
  forEachNode(converted.forward->block(), [&](Node* node) {
    const std::string kind = node->kind().toQualString();
    if (kind != "aten::conv2d" && kind != "aten::conv_transpose2d" && kind != "aten::conv1d") return;
    const at::Tensor filter = torch::jit::toIValue(node->input(1))->toTensor();
    INFO(kind << " filter " << filter.sizes());
    const bool in_partition = std::any_of(buffers.begin(), buffers.end(), [&](const nnc::ConstBytes& bytes) {
      return bytes.data() == filter.data_ptr();
    });
    CHECK(in_partition);
    CHECK(std::any_of(expected.begin(), expected.end(),
                      [&](const auto& named) { return at::equal(named.second, filter); }));
    ++filters;
  });
  CHECK(filters == 5);
  // The bias is used as PyTorch holds it (no reordering), so only the five filters' storages must be gone.
  int freed = 0;
  for (const auto& original : originals) freed += original.expired();
  CHECK(freed == 5);
}
