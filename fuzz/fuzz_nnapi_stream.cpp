// libFuzzer target: the desktop NNAPI driven by a byte stream (nnapi_stream.h): operands, values, operations,
// inputs and outputs through the C API, then finish, compile and compute, as any client could call them. Seeds:
// converted models written as streams (stream_seed, fuzz/make_seeds.py).
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <vector>

#include "nnapi/NeuralNetworks.h"
#include "nnapi_stream.h"
#include "run_model.h"

namespace {

using nnc_fuzz::stream::Reader;

constexpr size_t kMaxOperands = 1024;
constexpr size_t kMaxListLength = 32;

std::vector<uint32_t> indexList(Reader& in) {
  std::vector<uint32_t> list(in.u8() % kMaxListLength);
  for (uint32_t& index : list) index = in.u16();
  return list;
}

// One stream's model: what has been declared, for sizing the run at the end.
struct Session {
  ANeuralNetworksModel* model = nullptr;
  std::vector<nnc_fuzz::OperandSpec> operands;
  std::deque<std::vector<uint8_t>> values;  // NNAPI references values over 128 bytes: kept until the run is over
  std::vector<uint32_t> inputs, outputs;
  bool freeModelEarly = false;
};

void addOperand(Session& s, Reader& in) {
  nnc_fuzz::OperandSpec spec;
  spec.type = in.u8();
  spec.dims.resize(in.u8() % 7);
  for (uint32_t& d : spec.dims) d = in.u8();
  spec.scale = in.f32();
  spec.zeroPoint = int32_t(in.u32());
  if (s.operands.size() >= kMaxOperands) return;
  const ANeuralNetworksOperandType type{spec.type, uint32_t(spec.dims.size()),
                                        spec.dims.empty() ? nullptr : spec.dims.data(), spec.scale, spec.zeroPoint};
  if (ANeuralNetworksModel_addOperand(s.model, &type) == ANEURALNETWORKS_NO_ERROR) s.operands.push_back(spec);
}

void setPerChannel(Session& s, Reader& in) {
  const uint16_t index = in.u16();
  const uint8_t channelDim = in.u8();
  std::vector<float> scales(in.u16() % 512);
  for (float& scale : scales) scale = in.f32();
  const ANeuralNetworksSymmPerChannelQuantParams params{channelDim, uint32_t(scales.size()), scales.data()};
  ANeuralNetworksModel_setOperandSymmPerChannelQuantParams(s.model, index, &params);
}

void runCommand(Session& s, Reader& in) {
  switch (in.u8() % nnc_fuzz::stream::kCommandCount) {
    case nnc_fuzz::stream::kAddOperand: addOperand(s, in); break;
    case nnc_fuzz::stream::kSetValue: {
      const uint16_t index = in.u16();
      s.values.push_back(in.bytes(in.u32()));
      ANeuralNetworksModel_setOperandValue(s.model, index, s.values.back().data(), s.values.back().size());
      break;
    }
    case nnc_fuzz::stream::kSetOmitted: ANeuralNetworksModel_setOperandValue(s.model, in.u16(), nullptr, 0); break;
    case nnc_fuzz::stream::kSetPerChannel: setPerChannel(s, in); break;
    case nnc_fuzz::stream::kAddOperation: {
      const int32_t type = in.u8();
      const std::vector<uint32_t> inputs = indexList(in), outputs = indexList(in);
      ANeuralNetworksModel_addOperation(s.model, type, uint32_t(inputs.size()), inputs.data(),
                                        uint32_t(outputs.size()), outputs.data());
      break;
    }
    case nnc_fuzz::stream::kIdentifyIo: {
      std::vector<uint32_t> inputs = indexList(in), outputs = indexList(in);
      if (ANeuralNetworksModel_identifyInputsAndOutputs(s.model, uint32_t(inputs.size()), inputs.data(),
                                                        uint32_t(outputs.size()),
                                                        outputs.data()) == ANEURALNETWORKS_NO_ERROR) {
        s.inputs = std::move(inputs);
        s.outputs = std::move(outputs);
      }
      break;
    }
    case nnc_fuzz::stream::kRelax: ANeuralNetworksModel_relaxComputationFloat32toFloat16(s.model, in.u8() & 1); break;
    case nnc_fuzz::stream::kFreeModelEarly: s.freeModelEarly = true; break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  setenv("NNAPI_HOST_THREADS", "1", 1);  // one thread per run: no pool to start, stop or race
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Session s;
  if (ANeuralNetworksModel_create(&s.model) != ANEURALNETWORKS_NO_ERROR) return 0;
  Reader in(data, size);
  while (!in.done()) runCommand(s, in);
  if (ANeuralNetworksModel_finish(s.model) == ANEURALNETWORKS_NO_ERROR) {
    nnc_fuzz::compileAndRun(s.model, s.operands, s.inputs, s.outputs, [&] {
      if (!s.freeModelEarly) return;
      ANeuralNetworksModel_free(s.model);
      s.model = nullptr;
    });
  }
  ANeuralNetworksModel_free(s.model);
  return 0;
}
