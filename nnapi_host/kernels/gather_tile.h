// GATHER and TILE kernels of the desktop NNAPI. Like the other data-movement kernels they copy whole elements of
// `elementSize` bytes, so one implementation serves every operand type these operations accept (q is kept).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace nnapi_host::kernels {

// GATHER along `axis`: out[outer, i, inner] = in[outer, indices[i], inner] for each of `indexCount` indices.
// Returns false, writing nothing more, at the first index outside [0, inDims[axis]) (NNAPI's reference fails the
// execution then).
bool gatherBytes(size_t elementSize, const void* in, const std::vector<uint32_t>& inDims, uint32_t axis,
                 const int32_t* indices, size_t indexCount, void* out);

// TILE: the output's axis k holds multiples[k] copies of the input's axis k (any rank).
void tileBytes(size_t elementSize, const void* in, const std::vector<uint32_t>& inDims,
               const std::vector<uint32_t>& multiples, void* out);

}  // namespace nnapi_host::kernels
