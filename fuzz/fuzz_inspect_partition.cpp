// libFuzzer target: `nnapi-convert inspect`'s reading of a partition's bytes from a converted module: the runtime's
// verification, then the description inspect prints (tools/partition_description.h), dumped as inspect --json does.
// The weight tensors the module would hold are made from the input (input_weights.h). Seeds: partitions of converted
// models (fuzz/make_seeds.py).
#include <cstdint>
#include <stdexcept>

#include "aligned_bytes.h"
#include "input_weights.h"
#include "model_loader.h"
#include "partition_description.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const nnapi_convert::runtime::AlignedBytes bytes(data, size);
  try {
    const std::vector<at::Tensor> weights = nnc_fuzz::inputWeights(bytes.data(), bytes.size());
    const nlohmann::json description = nnc::cli::describePartition(
        nnapi_convert::runtime::verifyModelBuffer(bytes.data(), bytes.size(), weights), nnc_fuzz::byteSizes(weights));
    (void)description.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
  } catch (const std::runtime_error&) {
    // Refused by the verification, with a message: the answer inspect gives.
  }
  return 0;
}
