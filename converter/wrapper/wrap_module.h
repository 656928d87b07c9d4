// The converter's last step: the converted forward graph and one runtime object per NNAPI partition, put together
// as a TorchScript module used exactly like the original one (module(x), torch.jit.save/load).
#pragma once

#include <torch/csrc/jit/api/module.h>

#include <memory>
#include <string>
#include <vector>

namespace nnc {

// The attribute holding the conversion report (JSON: partitions, ops left on the CPU), for `inspect`.
inline constexpr char kReportAttribute[] = "nnapi_convert_report";

// One partition as the runtime's class takes it: the flatbuffer (schema/nnapi_model.fbs) and the weight tensors
// its buffers refer to by index (Buffer.tensor).
struct SerializedPartition {
  std::string model;
  std::vector<at::Tensor> weights;
};

// torch.classes.nnapi_convert.Model, the runtime's class (registered by libnnapi_runtime.so, which code using
// this links; any process that loads the saved module must load it too).
c10::ClassTypePtr partitionClass();

// An instance of that class holding `partition`, made by name as TorchScript's
// `torch.classes.nnapi_convert.Model(bytes, weights)` does: the class's C++ type stays private to the runtime
// library. The object keeps the weight tensors themselves (no copy).
c10::IValue makePartitionObject(const SerializedPartition& partition);

// A module of class __torch__.nnapi_convert.ConvertedModel whose forward is `forward` (its first input is self;
// it reads partition k from attribute partition_attributes[k]), each attribute holding a runtime object made
// from serialized_partitions[k] (the bytes and weights are the object's saved state), and `report` in
// kReportAttribute. Partition k's CPU fallback reads its weights from that object (wrapper/shared_weights.h), so
// the saved module holds each weight once. Throws std::invalid_argument when a serialized model is not one.
torch::jit::Module wrapForward(std::shared_ptr<torch::jit::Graph> forward,
                               const std::vector<std::string>& partition_attributes,
                               const std::vector<SerializedPartition>& serialized_partitions,
                               const std::string& report);

// Makes `forward` (its first input is self) the module's forward method.
void addForward(torch::jit::Module& module, std::shared_ptr<torch::jit::Graph> forward);

}  // namespace nnc
