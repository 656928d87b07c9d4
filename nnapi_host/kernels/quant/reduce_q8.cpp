// Quantized MEAN: accumulate each input element into the output element its kept coordinates select.
#include "kernels/quant/reduce_q8.h"

#include <algorithm>

namespace nnapi_host::kernels {

template <typename T>
void meanQ8(const T* input, const Dims& dims, const std::vector<uint32_t>& axes, T* output) {
  const std::size_t rank = dims.size();
  std::vector<bool> reduced(rank, false);
  for (uint32_t axis : axes) reduced[axis] = true;
  // Stride of each input axis in the output (0 for reduced axes), and the number of elements averaged.
  std::vector<std::size_t> outputStride(rank, 0);
  std::size_t outputCount = 1, reducedCount = 1;
  for (std::size_t axis = rank; axis-- > 0;) {
    if (reduced[axis]) {
      reducedCount *= dims[axis];
    } else {
      outputStride[axis] = outputCount;
      outputCount *= dims[axis];
    }
  }
  std::vector<int32_t> sums(outputCount, 0);
  std::vector<uint32_t> index(rank, 0);
  std::size_t inputCount = 1;
  for (uint32_t d : dims) inputCount *= d;
  std::size_t target = 0;
  for (std::size_t i = 0; i < inputCount; ++i) {
    sums[target] += input[i];
    // Advance the multi-index (last axis fastest) and keep `target` in step with it.
    for (std::size_t axis = rank; axis-- > 0;) {
      target += outputStride[axis];
      if (++index[axis] < dims[axis]) break;
      target -= outputStride[axis] * dims[axis];
      index[axis] = 0;
    }
  }
  for (std::size_t o = 0; o < outputCount; ++o) {
    output[o] = static_cast<T>(sums[o] / static_cast<int32_t>(reducedCount));
  }
}

template void meanQ8<uint8_t>(const uint8_t*, const Dims&, const std::vector<uint32_t>&, uint8_t*);
template void meanQ8<int8_t>(const int8_t*, const Dims&, const std::vector<uint32_t>&, int8_t*);

}  // namespace nnapi_host::kernels
