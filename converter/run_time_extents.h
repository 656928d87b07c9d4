// Extents fixed only at run time: `--input -1,3,224,224` (a flexible batch). The converter leaves such an
// extent 0 in every NNAPI operand that carries it (NNAPI's "unspecified dimension"); the runtime fixes it per
// execution through ANeuralNetworksExecution_setInput's operand type and learns each output's shape from
// ANeuralNetworksExecution_getOutputOperandRank/Dimensions, which exist from NNAPI feature level 3 (API 29):
// nnapi_rules::Feature::DynamicOutputShape.
// Nothing here assumes the batch: any dimension may be -1.
#pragma once

#include <cstdint>
#include <vector>

namespace nnc {

// How --input writes an extent fixed only at run time.
constexpr int64_t kRunTimeExtent = -1;

// What the converter sets run-time extents to when it runs the original on placeholders: two values, so that an
// extent computed from a run-time one can be told from a fixed one by comparing the two runs; neither is 1, which
// broadcasting and squeezing treat specially.
constexpr int64_t kProbeExtents[2] = {2, 3};

// An NNAPI dimension of 0 (unspecified) as the runtime's torch shape writes it: -1, any extent.
std::vector<int64_t> torchShapeOf(const std::vector<uint32_t>& nnapi_dims);

bool hasRunTimeExtents(const std::vector<int64_t>& shape);
bool hasRunTimeExtents(const std::vector<std::vector<int64_t>>& shapes);

// `shape` with each run-time extent set to `extent`: a concrete shape to run the original model at.
std::vector<int64_t> withRunTimeExtents(const std::vector<int64_t>& shape, int64_t extent);

}  // namespace nnc
