// What every pass that drops operations ends with: the kept operations in their order, then the operands nothing
// refers to any more removed.
#pragma once

#include <vector>

#include "ir/model.h"

namespace nnc {

// Drops operation i of `model` wherever removed[i] (one flag per operation); returns how many were dropped.
int removeOperations(ir::Model& model, const std::vector<bool>& removed);

}  // namespace nnc
