#include "passes/fold_matmul_transposes.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <set>

#include "nnapi/NeuralNetworks.h"
#include "passes/remove_operations.h"

namespace nnc {
namespace {

// Whether TRANSPOSE `transpose` swaps the last two dimensions and keeps the others: its perm is a constant
// [0, 1, ..., r-1, r-2] of the input's rank r.
bool swapsLastTwo(const ir::Model& model, const ir::Operation& transpose) {
  const uint32_t perm = transpose.inputs[1];
  const size_t rank = model.operands()[transpose.inputs[0]].dims.size();
  if (!model.isConstant(perm) || rank < 2 || model.operands()[perm].dims != std::vector<uint32_t>{uint32_t(rank)})
    return false;
  std::vector<int32_t> values(rank);
  std::memcpy(values.data(), model.constantData(perm), rank * sizeof(int32_t));
  for (size_t d = 0; d < rank; ++d) {
    const size_t from = d + 2 < rank ? d : (d == rank - 2 ? rank - 1 : rank - 2);
    if (values[d] != int32_t(from)) return false;
  }
  return true;
}

}  // namespace

int foldMatmulTransposes(ir::Model& model) {
  auto& operations = model.mutableOperations();
  std::map<uint32_t, size_t> transposeOf;  // TRANSPOSE output -> that operation
  int folded = 0;
  for (size_t i = 0; i < operations.size(); ++i) {
    if (operations[i].type == ANEURALNETWORKS_TRANSPOSE && swapsLastTwo(model, operations[i])) {
      transposeOf[operations[i].outputs[0]] = i;
    }
    if (operations[i].type != ANEURALNETWORKS_BATCH_MATMUL) continue;
    for (size_t side = 0; side < 2; ++side) {
      const auto transpose = transposeOf.find(operations[i].inputs[side]);
      if (transpose == transposeOf.end()) continue;
      // BATCH_MATMUL's inputs 2 and 3 are the adj flags of sides 0 and 1 (constant BOOL scalars).
      const bool adj = model.constantData(operations[i].inputs[2 + side])[0] != 0;
      const uint32_t flag = model.addScalarBool(!adj);  // may grow the operand table: index, not reference
      operations[i].inputs[side] = operations[transpose->second].inputs[0];
      operations[i].inputs[2 + side] = flag;
      ++folded;
    }
  }
  if (folded == 0) return 0;
  // TRANSPOSEs whose outputs nothing reads now, from the last operation back.
  const std::vector<uint32_t>& outputs = model.outputs();
  std::set<uint32_t> read;
  std::vector<bool> removed(operations.size(), false);
  for (size_t i = operations.size(); i-- > 0;) {
    const ir::Operation& operation = operations[i];
    if (operation.type == ANEURALNETWORKS_TRANSPOSE && !read.count(operation.outputs[0]) &&
        std::find(outputs.begin(), outputs.end(), operation.outputs[0]) == outputs.end()) {
      removed[i] = true;
      continue;
    }
    read.insert(operation.inputs.begin(), operation.inputs.end());
  }
  removeOperations(model, removed);
  return folded;
}

}  // namespace nnc
