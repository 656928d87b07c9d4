#include "passes/remove_operations.h"

#include <utility>

namespace nnc {

int removeOperations(ir::Model& model, const std::vector<bool>& removed) {
  auto& operations = model.mutableOperations();
  size_t kept = 0;
  for (size_t i = 0; i < operations.size(); ++i) {
    if (removed[i]) continue;
    if (kept != i) operations[kept] = std::move(operations[i]);  // never self-move: that empties the vectors
    ++kept;
  }
  const int dropped = int(operations.size() - kept);
  operations.resize(kept);
  model.removeUnusedOperands();
  return dropped;
}

}  // namespace nnc
