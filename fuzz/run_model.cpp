#include "run_model.h"

#include <memory>

#include "validation/operation_rules.h"

namespace nnc_fuzz {
namespace {

constexpr size_t kMaxOperandBytes = size_t(1) << 20;
constexpr size_t kMaxModelBytes = size_t(4) << 20;

bool isScalarType(int32_t type) {
  return type == ANEURALNETWORKS_FLOAT32 || type == ANEURALNETWORKS_INT32 || type == ANEURALNETWORKS_UINT32 ||
         type == ANEURALNETWORKS_BOOL || type == ANEURALNETWORKS_FLOAT16;
}

// The bytes of a scalar or fully known tensor; 0 when a tensor's rank or an extent is unknown.
size_t knownBytes(const OperandSpec& spec) {
  if (spec.dims.empty() && !isScalarType(spec.type)) return 0;
  for (uint32_t d : spec.dims)
    if (d == 0) return 0;
  nnapi_rules::OperandDesc desc;
  desc.type = spec.type;
  desc.dims = spec.dims;
  return nnapi_rules::byteSize(desc);
}

bool smallAndKnown(const std::vector<OperandSpec>& operands) {
  size_t total = 0;
  for (const OperandSpec& spec : operands) {
    if (spec.type == ANEURALNETWORKS_MODEL) return false;
    const size_t bytes = knownBytes(spec);
    if (bytes == 0 || bytes > kMaxOperandBytes) return false;
    total += bytes;
  }
  return total <= kMaxModelBytes;
}

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* object) const { Free(object); }
};
using Compilation = std::unique_ptr<ANeuralNetworksCompilation,
                                    Deleter<ANeuralNetworksCompilation, ANeuralNetworksCompilation_free>>;
using Execution =
    std::unique_ptr<ANeuralNetworksExecution, Deleter<ANeuralNetworksExecution, ANeuralNetworksExecution_free>>;

}  // namespace

void compileAndRun(ANeuralNetworksModel* model, const std::vector<OperandSpec>& operands,
                   const std::vector<uint32_t>& inputs, const std::vector<uint32_t>& outputs,
                   const std::function<void()>& compilationCreated) {
  ANeuralNetworksCompilation* rawCompilation = nullptr;
  if (ANeuralNetworksCompilation_create(model, &rawCompilation) != ANEURALNETWORKS_NO_ERROR) return;
  const Compilation compilation(rawCompilation);
  if (compilationCreated) compilationCreated();
  if (ANeuralNetworksCompilation_finish(rawCompilation) != ANEURALNETWORKS_NO_ERROR) return;
  if (!smallAndKnown(operands)) return;
  ANeuralNetworksExecution* rawExecution = nullptr;
  if (ANeuralNetworksExecution_create(rawCompilation, &rawExecution) != ANEURALNETWORKS_NO_ERROR) return;
  const Execution execution(rawExecution);
  std::vector<std::vector<uint8_t>> buffers;
  for (size_t i = 0; i < inputs.size(); ++i) {
    std::vector<uint8_t> data(knownBytes(operands.at(inputs[i])));
    // Small varied values: int32 inputs (shapes, permutations) stay in range often enough to matter.
    for (size_t b = 0; b < data.size(); ++b) data[b] = uint8_t(b % 4 == 0 ? b / 4 % 5 : 0);
    if (ANeuralNetworksExecution_setInput(rawExecution, int32_t(i), nullptr, data.data(), data.size()) !=
        ANEURALNETWORKS_NO_ERROR)
      return;
    buffers.push_back(std::move(data));
  }
  for (size_t o = 0; o < outputs.size(); ++o) {
    std::vector<uint8_t> data(knownBytes(operands.at(outputs[o])));
    if (ANeuralNetworksExecution_setOutput(rawExecution, int32_t(o), nullptr, data.data(), data.size()) !=
        ANEURALNETWORKS_NO_ERROR)
      return;
    buffers.push_back(std::move(data));
  }
  ANeuralNetworksExecution_compute(rawExecution);
}

}  // namespace nnc_fuzz
