// The first step of every conversion: the module's forward as one clean, frozen graph.
#pragma once

#include <memory>

#include <torch/script.h>

namespace nnc {

// eval(), inline every method call as written, freeze (weights become constants, batch norm folds into the
// preceding conv), inline every other call,
// rewrite PyTorch's fused transformer kernels into plain ops (decompose_transformer.h),
// remove in-place ops and list mutation, remove dropout, constant propagation, dead-code elimination.
// Works on `module` itself, without copying its weights: afterwards `module` is frozen and its forward is the
// returned graph (which still computes what the original did).
std::shared_ptr<torch::jit::Graph> prepareForwardGraph(torch::jit::Module& module);

}  // namespace nnc
