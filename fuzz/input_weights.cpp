#include "input_weights.h"

#include <algorithm>

#include <ATen/ATen.h>
#include <flatbuffers/flatbuffers.h>

#include "model_loader.h"
#include "schema/nnapi_model_generated.h"

namespace nnc_fuzz {
namespace {

namespace fbs = nnapi_convert::schema;

// Larger weights would only make runs slow; the runtime's own size check (4 GiB per operand) is not what a fuzz
// run can reach anyway.
constexpr uint64_t kMaxWeightBytes = uint64_t(1) << 20;
constexpr uint64_t kMaxTotalBytes = uint64_t(4) << 20;

void fillFrom(at::Tensor& weight, const uint8_t* data, size_t size) {
  auto* out = static_cast<uint8_t*>(weight.data_ptr());
  const size_t bytes = weight.nbytes();
  for (size_t done = 0; done < bytes;) {
    const size_t chunk = std::min(size, bytes - done);
    std::copy(data, data + chunk, out + done);
    done += chunk;
  }
}

}  // namespace

std::vector<at::Tensor> inputWeights(const uint8_t* data, size_t size) {
  std::vector<at::Tensor> weights;
  if (data == nullptr || size == 0) return weights;
  flatbuffers::Verifier verifier(data, size);
  if (!verifier.VerifyBuffer<fbs::Model>(fbs::ModelIdentifier())) return weights;
  const fbs::Model& model = *fbs::GetModel(data);
  if (model.operands() == nullptr || model.buffers() == nullptr) return weights;
  uint64_t total = 0;
  for (const fbs::Operand* operand : *model.operands()) {
    if (operand->buffer() < 0 || static_cast<size_t>(operand->buffer()) >= model.buffers()->size()) continue;
    const int64_t index = model.buffers()->Get(operand->buffer())->tensor();
    // The converter numbers weight tensors densely, so a valid index is below the buffer count; a larger one is
    // left for verification to refuse (and is no reason to allocate a huge list).
    if (index < 0 || static_cast<size_t>(index) >= model.buffers()->size()) continue;
    if (static_cast<size_t>(index) < weights.size() && weights[index].defined()) continue;  // the first reader's
    const at::ScalarType dtype = nnapi_convert::runtime::weightDtype(operand->type());
    if (dtype == at::ScalarType::Undefined) continue;
    std::vector<int64_t> shape;
    uint64_t bytes = c10::elementSize(dtype);
    if (operand->dimensions()) {
      for (uint32_t extent : *operand->dimensions()) {
        shape.push_back(extent);
        bytes *= extent;
        if (bytes > kMaxWeightBytes) break;
      }
    }
    if (bytes > kMaxWeightBytes || total + bytes > kMaxTotalBytes) continue;
    total += bytes;
    at::Tensor weight = at::empty(shape, at::TensorOptions().dtype(dtype));
    fillFrom(weight, data, size);
    if (weights.size() <= static_cast<size_t>(index)) weights.resize(index + 1);
    weights[index] = weight;
  }
  return weights;
}

std::vector<size_t> byteSizes(const std::vector<at::Tensor>& weights) {
  std::vector<size_t> sizes;
  for (const at::Tensor& weight : weights) sizes.push_back(weight.defined() ? weight.nbytes() : 0);
  return sizes;
}

}  // namespace nnc_fuzz
