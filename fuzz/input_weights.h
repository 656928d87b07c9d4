// The weight tensors a serialized model names (Buffer.tensor), made for a fuzz input: converted models keep every
// constant over 128 bytes in a tensor of the TorchScript module, which torch.classes.nnapi_convert.Model hands to
// verifyModelBuffer and buildNnapiModel next to the model bytes. A target that passed none would see every real
// model refused at verification, before any NNAPI building.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include <ATen/core/Tensor.h>

namespace nnc_fuzz {

// For each weight tensor index the model's buffers name, a contiguous CPU tensor shaped and typed for the first
// operand that reads it (as the converter writes it), filled with the input's own bytes repeated, so that the
// fuzzer steers the values too. Indices no operand reads stay undefined tensors; so does a tensor the runtime
// would have to refuse anyway (an operand type with no tensor dtype, or over the size cap), so that verification
// gives its message. Bytes that are not a flatbuffer Model give no tensors. `data` needs the alignment
// verifyModelBuffer needs (AlignedBytes).
std::vector<at::Tensor> inputWeights(const uint8_t* data, size_t size);

// Each tensor's byte size, as inspect passes them to describePartition.
std::vector<size_t> byteSizes(const std::vector<at::Tensor>& weights);

}  // namespace nnc_fuzz
