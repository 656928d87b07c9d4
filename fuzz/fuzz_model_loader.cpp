// libFuzzer target: the runtime's loading of a serialized model, as torch.classes.nnapi_convert.Model does it:
// verifyModelBuffer (flatbuffer verification and the runtime's own checks), then buildNnapiModel on the desktop
// NNAPI and, if NNAPI accepts the model, compiling and computing it once. The weight tensors the module would hold
// are made from the input (input_weights.h). Seeds: partitions of converted models (fuzz/make_seeds.py).
#include <cstdint>
#include <cstdlib>
#include <stdexcept>

#include "aligned_bytes.h"
#include "direct_nnapi.h"
#include "input_weights.h"
#include "model_loader.h"
#include "run_model.h"

namespace {

std::vector<nnc_fuzz::OperandSpec> operandsOf(const nnapi_convert::schema::Model& model) {
  std::vector<nnc_fuzz::OperandSpec> specs;
  for (const nnapi_convert::schema::Operand* operand : *model.operands()) {
    nnc_fuzz::OperandSpec spec;
    spec.type = operand->type();
    if (operand->dimensions()) spec.dims.assign(operand->dimensions()->begin(), operand->dimensions()->end());
    specs.push_back(spec);
  }
  return specs;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  setenv("NNAPI_HOST_THREADS", "1", 1);  // one thread per run: no pool to start, stop or race
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace rt = nnapi_convert::runtime;
  const rt::AlignedBytes bytes(data, size);
  try {
    // Declared before the model handle: NNAPI keeps pointers into them until the model is freed.
    const std::vector<at::Tensor> weights = nnc_fuzz::inputWeights(bytes.data(), bytes.size());
    const nnapi_convert::schema::Model& model = rt::verifyModelBuffer(bytes.data(), bytes.size(), weights);
    const rt::NnapiModelHandle built = rt::buildNnapiModel(nnc_fuzz::directNnapi(), model, weights);
    std::vector<uint32_t> inputs, outputs;
    for (const auto* io : *model.inputs()) inputs.push_back(io->operand());
    for (const auto* io : *model.outputs()) outputs.push_back(io->operand());
    nnc_fuzz::compileAndRun(built.get(), operandsOf(model), inputs, outputs);
  } catch (const std::runtime_error&) {
    // A refusal with a message is the correct answer to a bad model.
  }
  return 0;
}
