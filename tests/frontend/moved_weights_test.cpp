// A conversion holds each reordered weight once (frontend/moved_weights.h): after convertModule, the
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

namespace {

// A linear layer after flattening a convolution's NHWC map: its weight's columns are reordered to (H, W, C)
// (ops/linear.cpp), in place when only the graph holds the weight.
const char* const kFlattenLinear = R"(
    def forward(self, x):
        y = torch.conv2d(x, self.filter, None, 1, 1)
        return torch.linear(y.flatten(1), self.weight, self.bias)
)";

// The same, then a loop (a trip count known only at run time) whose carried tensor changes shape: the importer
// restarts with the loop left to the CPU, after the linear's weight was reordered in place.
const char* const kFlattenLinearThenRestart = R"(
    def forward(self, x):
        y = torch.conv2d(x, self.filter, None, 1, 1)
        z = torch.linear(y.flatten(1), self.weight, self.bias)
        for i in range(int(x.sum().item() > 0.0) + 1):
            z = torch.cat([z, z], 1)
        return z
)";

struct FlattenLinear {
  nnc::ConvertedModel converted;
  c10::weak_intrusive_ptr<c10::StorageImpl> weight_storage{c10::intrusive_ptr<c10::StorageImpl>()};
};

// Converts kFlattenLinear with `weight` [5, 4*3*3] as self.weight (the module's only holder unless the caller
// keeps it too).
FlattenLinear convertFlattenLinear(at::Tensor weight, const char* source = kFlattenLinear) {
  torch::manual_seed(6);
  FlattenLinear result;
  result.weight_storage = weight.storage().getWeakStorageImpl();
  torch::jit::Module module("m");
  module.register_parameter("filter", torch::randn({4, 2, 3, 3}), false);
  module.register_parameter("weight", std::move(weight), false);
  module.register_parameter("bias", torch::randn({5}), false);
  module.define(source);
  module.eval();
  nnc::ConvertOptions options;
  options.input_shapes = {{1, 2, 3, 3}};
  result.converted = nnc::convertModule(std::move(module), "flatten_linear.pt", options);
  return result;
}

// The weight the forward's aten::linear reads (in the CPU fallback), as the graph computes it from constants.
at::Tensor fallbackLinearWeight(const nnc::ConvertedModel& converted) {
  at::Tensor found;
  forEachNode(converted.forward->block(), [&](Node* node) {
    if (node->kind() != c10::aten::linear) return;
    torch::jit::Value* weight = node->input(1);
    if (weight->node()->kind() == c10::aten::reshape) {
      const at::Tensor source = torch::jit::toIValue(weight->node()->input(0))->toTensor();
      found = source.reshape(torch::jit::toIValue(weight->node()->input(1))->toIntVector());
    } else {
      found = torch::jit::toIValue(weight)->toTensor();
    }
  });
  return found;
}

}  // namespace

TEST_CASE("a linear weight reordered for a flattened NHWC map is held once, and never changed for another holder",
          "[moved_weights]") {
  torch::manual_seed(7);
  const at::Tensor expected = torch::randn({5, 36});
  SECTION("only the module holds it: reordered in place, the fallback reads it back from the partition") {
    FlattenLinear result = convertFlattenLinear(expected.clone());
    REQUIRE(result.converted.summary.cpu_ops.empty());
    const at::Tensor read = fallbackLinearWeight(result.converted);
    REQUIRE(read.defined());
    CHECK(at::equal(read, expected));
    // PyTorch's storage lives on as the partition's weight: no second 5x36 copy was made.
    REQUIRE(!result.weight_storage.expired());
    const void* storage = result.weight_storage.lock()->data();
    int shared = 0;
    for (const nnc::ConvertedPartition& partition : result.converted.partitions) {
      for (const nnc::ConstBytes& bytes : partition.model.buffers()) shared += bytes.data() == storage;
    }
    CHECK(shared == 1);
  }
  SECTION("a restart after the weight was reordered in place: the graph still computes PyTorch's weight") {
    FlattenLinear result = convertFlattenLinear(expected.clone(), kFlattenLinearThenRestart);
    const std::vector<nnc::UnsupportedOp>& cpu_ops = result.converted.summary.cpu_ops;
    CHECK(std::any_of(cpu_ops.begin(), cpu_ops.end(), [](const nnc::UnsupportedOp& op) {
      return op.kind == "prim::Loop" && op.reason.find("changes shape") != std::string::npos;
    }));
    const at::Tensor read = fallbackLinearWeight(result.converted);
    REQUIRE(read.defined());
    CHECK(at::equal(read, expected));
  }
  SECTION("the caller holds it too: reordered in a copy, the caller's tensor unchanged") {
    const at::Tensor held = expected.clone();
    FlattenLinear result = convertFlattenLinear(held);
    REQUIRE(result.converted.summary.cpu_ops.empty());
    CHECK(at::equal(held, expected));
    const at::Tensor read = fallbackLinearWeight(result.converted);
    REQUIRE(read.defined());
    CHECK(at::equal(read, expected));
  }
}
