// stream_seed MODEL.nnc OUT: writes the serialized model MODEL.nnc (a converted partition) as the command stream
// fuzz_nnapi_stream reads (nnapi_stream.h), so the stream fuzzer starts from real converted models.
#include <fstream>
#include <iostream>
#include <iterator>
#include <stdexcept>
#include <string>

#include "aligned_bytes.h"
#include "input_weights.h"
#include "model_loader.h"
#include "nnapi_stream.h"

namespace {

namespace fbs = nnapi_convert::schema;
using nnc_fuzz::stream::Writer;

template <typename T>
void writeIndexList(Writer& out, const flatbuffers::Vector<T>* list) {
  out.u8(uint8_t(list ? list->size() : 0));
  if (list)
    for (T index : *list) out.u16(uint16_t(index));
}

// The stream sets every constant as NNAPI receives it: a weight tensor's bytes (input_weights.h) where the buffer
// names one.
std::string streamOf(const fbs::Model& model, const std::vector<at::Tensor>& weights) {
  Writer out;
  for (const fbs::Operand* operand : *model.operands()) {
    out.u8(nnc_fuzz::stream::kAddOperand);
    out.u8(uint8_t(operand->type()));
    const auto* dims = operand->dimensions();
    out.u8(uint8_t(dims ? dims->size() : 0));
    if (dims)
      for (uint32_t d : *dims) out.u8(uint8_t(d));  // extents above 255 wrap: such a seed is only a start
    out.f32(operand->scale());
    out.u32(uint32_t(operand->zero_point()));
  }
  for (uint32_t i = 0; i < model.operands()->size(); ++i) {
    const fbs::Operand* operand = model.operands()->Get(i);
    if (const fbs::PerChannelQuant* quant = operand->per_channel()) {
      out.u8(nnc_fuzz::stream::kSetPerChannel);
      out.u16(uint16_t(i));
      out.u8(uint8_t(quant->channel_dim()));
      out.u16(uint16_t(quant->scales()->size()));
      for (float scale : *quant->scales()) out.f32(scale);
    }
    if (operand->buffer() >= 0) {
      const fbs::Buffer& buffer = *model.buffers()->Get(operand->buffer());
      out.u8(nnc_fuzz::stream::kSetValue);
      out.u16(uint16_t(i));
      if (buffer.tensor() >= 0) {
        const at::Tensor& weight = weights[buffer.tensor()];
        out.u32(uint32_t(weight.nbytes()));
        out.bytes(weight.data_ptr(), weight.nbytes());
      } else {
        out.u32(buffer.data()->size());
        out.bytes(buffer.data()->data(), buffer.data()->size());
      }
    }
  }
  for (const fbs::Operation* operation : *model.operations()) {
    out.u8(nnc_fuzz::stream::kAddOperation);
    out.u8(uint8_t(operation->type()));
    writeIndexList(out, operation->inputs());
    writeIndexList(out, operation->outputs());
  }
  out.u8(nnc_fuzz::stream::kIdentifyIo);
  out.u8(uint8_t(model.inputs()->size()));
  for (const fbs::IoInfo* io : *model.inputs()) out.u16(uint16_t(io->operand()));
  out.u8(uint8_t(model.outputs()->size()));
  for (const fbs::IoInfo* io : *model.outputs()) out.u16(uint16_t(io->operand()));
  return out.text();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: stream_seed MODEL.nnc OUT\n";
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in && !in.eof()) {
    std::cerr << "stream_seed: cannot read " << argv[1] << "\n";
    return 2;
  }
  try {
    const nnapi_convert::runtime::AlignedBytes aligned(bytes.data(), bytes.size());
    const std::vector<at::Tensor> weights = nnc_fuzz::inputWeights(aligned.data(), aligned.size());
    const std::string stream =
        streamOf(nnapi_convert::runtime::verifyModelBuffer(aligned.data(), aligned.size(), weights), weights);
    std::ofstream(argv[2], std::ios::binary) << stream;
  } catch (const std::runtime_error& e) {
    std::cerr << "stream_seed: " << argv[1] << ": " << e.what() << "\n";
    return 2;
  }
  return 0;
}
