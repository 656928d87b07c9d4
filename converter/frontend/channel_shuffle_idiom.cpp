#include "frontend/channel_shuffle_idiom.h"

namespace nnc {
namespace {

using torch::jit::Node;
using TorchValue = torch::jit::Value;

bool isReshape(const Node* node) {
  return node->kind() == c10::aten::view || node->kind() == c10::aten::reshape;
}

// The node that is the only user of `value`, or null.
Node* onlyUser(const TorchValue* value) {
  return value->uses().size() == 1 ? value->uses()[0].user : nullptr;
}

std::optional<int64_t> knownInt(const TorchValue* value, const KnownValues& known) {
  const std::optional<c10::IValue> v = known.constant(value);
  if (v && v->isInt()) return v->toInt();
  return std::nullopt;
}

// The target shape of a view/reshape of a tensor of `numel` elements, its -1 resolved: a list known at convert
// time, or one a ListConstruct the walk has not reached yet builds from known ints.
std::optional<std::vector<int64_t>> targetShape(const Node* reshape, int64_t numel, const KnownValues& known) {
  const TorchValue* list = reshape->input(1);
  std::vector<int64_t> shape;
  if (const std::optional<c10::IValue> v = known.constant(list); v && v->isIntList()) {
    shape = v->toIntVector();
  } else if (list->node()->kind() == c10::prim::ListConstruct) {
    for (const TorchValue* element : list->node()->inputs()) {
      const std::optional<int64_t> extent = knownInt(element, known);
      if (!extent) return std::nullopt;
      shape.push_back(*extent);
    }
  } else {
    return std::nullopt;
  }
  int64_t product = 1;
  int64_t* inferred = nullptr;
  for (int64_t& extent : shape) {
    if (extent == -1 && !inferred) {
      inferred = &extent;
    } else if (extent > 0) {
      product *= extent;
    } else {
      return std::nullopt;
    }
  }
  if (inferred) {
    if (numel % product != 0) return std::nullopt;
    *inferred = numel / product;
  }
  return shape;
}

// Whether `transpose` swaps dimensions 1 and 2 of a 5-D tensor.
bool swapsGroupAxes(const Node* transpose, const KnownValues& known) {
  if (transpose->kind() != c10::aten::transpose) return false;
  std::optional<int64_t> a = knownInt(transpose->input(1), known), b = knownInt(transpose->input(2), known);
  if (!a || !b) return false;
  const int64_t first = (*a + 5) % 5, second = (*b + 5) % 5;
  return std::min(first, second) == 1 && std::max(first, second) == 2;
}

}  // namespace

Node* fuseChannelShuffle(Node* view, const KnownValues& known) {
  if (!isReshape(view)) return nullptr;
  TorchValue* x = view->input(0);
  const std::optional<std::vector<int64_t>> shape = known.shape(x);
  if (!shape || shape->size() != 4) return nullptr;
  const int64_t n = (*shape)[0], c = (*shape)[1], h = (*shape)[2], w = (*shape)[3];
  const int64_t numel = n * c * h * w;
  const std::optional<std::vector<int64_t>> grouped = targetShape(view, numel, known);
  // [N, g, C/g, H, W]
  if (!grouped || grouped->size() != 5 || (*grouped)[0] != n || (*grouped)[1] * (*grouped)[2] != c ||
      (*grouped)[3] != h || (*grouped)[4] != w) {
    return nullptr;
  }
  Node* transpose = onlyUser(view->output());
  if (!transpose || transpose->input(0) != view->output() || !swapsGroupAxes(transpose, known)) return nullptr;
  Node* contiguous = onlyUser(transpose->output());
  if (contiguous && contiguous->kind() != c10::aten::contiguous) contiguous = nullptr;
  const TorchValue* shuffled = contiguous ? contiguous->output() : transpose->output();
  Node* back = onlyUser(shuffled);
  if (!back || !isReshape(back) || back->input(0) != shuffled) return nullptr;
  if (targetShape(back, numel, known) != *shape) return nullptr;

  torch::jit::Graph& graph = *view->owningGraph();
  torch::jit::WithInsertPoint insert_before(view);
  TorchValue* groups = graph.insertConstant((*grouped)[1]);
  Node* shuffle = graph.create(c10::Symbol::fromQualString("aten::channel_shuffle"), {x, groups}, 1);
  shuffle->insertBefore(view);
  shuffle->copyMetadata(transpose);
  shuffle->output()->setType(back->output()->type());
  back->output()->replaceAllUsesWith(shuffle->output());
  // Each node's output is only used by the next one: destroyed from the last, none is still in use.
  back->destroy();
  if (contiguous) contiguous->destroy();
  transpose->destroy();
  view->destroy();
  return groups->node();
}

}  // namespace nnc
