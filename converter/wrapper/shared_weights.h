// Each weight stored once, in both output formats.
//
// Partition k's CPU fallback (the `else` branch of the `if` around its NNAPI call) reads PyTorch's constants, and
// NNAPI reads the same weights re-laid out, as tensors the module holds (serialize/weight_tensor.h). Saved as they
// are, the file would hold each weight twice. So a constant the fallback reads that holds exactly the values of one
// of the partition's weights, in one of the re-layouts the lowerings make (ops/weight_layout.h), becomes a view of
// that weight: a permute of the tensor NNAPI reads, which costs no copy. The match is by value (torch.equal), so a
// view is never a different tensor. A weight the converter scaled by a number (passes/absorb_constants.h) is read
// divided back, within float rounding of PyTorch's constant. A quantized layer's packed parameters (an object, not
// a tensor) are packed again from the int8 values of NNAPI's filter by PyTorch's own prepack op, each time the
// fallback runs (a copy of that layer's weight while it runs, none in the file). What has no such view (a batch norm
// folded into a convolution) keeps its own constant.
#pragma once

#include <functional>
#include <vector>

#include <ATen/core/Tensor.h>
#include <torch/csrc/jit/ir/ir.h>

namespace nnc {

// Makes the fallback of one partition read views of `weights` wherever a constant it reads has one. `is_call`
// recognises the partition's NNAPI call (a node of the `if`'s then-block); `weights_list` inserts, at the graph's
// insertion point, the value that holds `weights` at run time (a List[Tensor]), and is called only when some
// constant has a view. A forward without a fallback (--no-cpu-fallback) is left as it is.
void shareWeightsWithFallback(torch::jit::Graph& forward,
                              const std::function<bool(const torch::jit::Node&)>& is_call,
                              const std::function<torch::jit::Value*(torch::jit::Graph&)>& weights_list,
                              const std::vector<at::Tensor>& weights);

}  // namespace nnc
