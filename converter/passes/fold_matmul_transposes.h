// Reads a BATCH_MATMUL side that a TRANSPOSE of only its last two dimensions produced before that TRANSPOSE, with
// the side's adj flag flipped (BATCH_MATMUL transposes the side itself): attention's q @ k.transpose(-2, -1) costs
// no TRANSPOSE at feature level 6. Lowerings cannot see where an operand came from, so this is a pass over the
// partition. TRANSPOSEs nothing reads any more (and that are not model outputs) are removed.
#pragma once

#include "ir/model.h"

namespace nnc {

// Returns how many BATCH_MATMUL sides now read past a TRANSPOSE.
int foldMatmulTransposes(ir::Model& model);

}  // namespace nnc
