// The stock format's module (--format pytorch-nnapi): runs in stock PyTorch with no library of ours, through
// PyTorch's own NNAPI binding, torch.classes._nnapi.Compilation. Per NNAPI partition k it holds
//
//   nnapi_model_<k>        Tensor (int32)         the serialized model in the binding's layout (stock_model.h)
//   nnapi_weights_<k>      List[Tensor]           its large constants, given to init2 with it
//   nnapi_compilation_<k>  Optional[Compilation]  None until the first call compiles the model (lazily, as
//                                                 PyTorch's own NnapiModule does: loading a file does no NNAPI work)
//   run_nnapi_partition_<k>(inputs) -> outputs    compiles once, allocates the outputs (dtype, shape, quantization
//                                                 as the model declares them) and runs
//
// and `nnapi_enabled` (bool, True): the forward's condition for using NNAPI at all; `set_nnapi_enabled(False)`
// switches every partition to its CPU fallback. The binding has no way to ask whether NNAPI is usable, and
// TorchScript cannot catch the exception it raises when it is not: an app that catches that exception can call
// set_nnapi_enabled(False) and run the same module again on the CPU.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <torch/csrc/jit/api/module.h>

#include "compilation_options.h"
#include "frontend/build_forward.h"
#include "ir/model.h"

namespace nnc {

// The forward's calls for the stock format (see above).
std::unique_ptr<PartitionCalls> stockPartitionCalls();

// The module of class __torch__.nnapi_convert.ConvertedModel whose forward is `forward` (built with
// stockPartitionCalls), holding models[k] as partition k, and `report` in kReportAttribute.
torch::jit::Module wrapStockForward(std::shared_ptr<torch::jit::Graph> forward,
                                    const std::vector<const ir::Model*>& models, const CompilationOptions& options,
                                    const std::string& report);

}  // namespace nnc
