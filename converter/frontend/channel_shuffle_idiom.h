// ShuffleNet's channel shuffle, written in PyTorch as
//
//     x.view(N, g, C // g, H, W).transpose(1, 2).contiguous().view(N, C, H, W)
//
// goes through a 5-D tensor, which NNAPI cannot hold. The whole idiom is PyTorch's channel_shuffle(x, g), which
// NNAPI has as one operation (CHANNEL_SHUFFLE). Recognised while the graph is walked, when the shapes are known, it
// is replaced in the graph by aten::channel_shuffle: lowered like any op, and the CPU path (an op left to the CPU,
// a partition's fallback) runs PyTorch's own channel_shuffle, which computes the same.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include <torch/script.h>

namespace nnc {

// What the walk knows so far: a value known at convert time, and a tensor's PyTorch shape (every extent known).
struct KnownValues {
  std::function<std::optional<c10::IValue>(const torch::jit::Value*)> constant;
  std::function<std::optional<std::vector<int64_t>>(const torch::jit::Value*)> shape;
};

// When `view` (aten::view or aten::reshape) starts the idiom above, with only the idiom using each intermediate
// tensor, replaces the idiom's nodes by aten::channel_shuffle(x, g) (metadata of the transpose, which is where the
// shuffle happens) and returns the first node inserted, a constant; else returns null and changes nothing.
torch::jit::Node* fuseChannelShuffle(torch::jit::Node* view, const KnownValues& known);

}  // namespace nnc
