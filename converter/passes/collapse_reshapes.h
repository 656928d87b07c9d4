// Folds chains of RESHAPEs. RESHAPE keeps the element order, so a RESHAPE of a RESHAPE's output can read what the
// first one read, and one that gives back exactly its source (dims, layout, type) is dropped, its readers reading
// the source. A 1-D layer's [N,1,L,C] -> [N,L,C] and the next 1-D layer's [N,L,C] -> [N,1,L,C] cancel this way
// (ops/sequence_map.h). RESHAPEs nothing reads any more are removed.
#pragma once

#include "ir/model.h"

namespace nnc {

// Returns how many RESHAPEs were removed.
int collapseReshapes(ir::Model& model);

}  // namespace nnc
