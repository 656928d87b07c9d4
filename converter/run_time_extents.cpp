#include "run_time_extents.h"

#include <algorithm>

namespace nnc {

std::vector<int64_t> torchShapeOf(const std::vector<uint32_t>& nnapi_dims) {
  std::vector<int64_t> shape;
  for (uint32_t d : nnapi_dims) shape.push_back(d == 0 ? kRunTimeExtent : int64_t(d));
  return shape;
}

bool hasRunTimeExtents(const std::vector<int64_t>& shape) {
  return std::find(shape.begin(), shape.end(), kRunTimeExtent) != shape.end();
}

bool hasRunTimeExtents(const std::vector<std::vector<int64_t>>& shapes) {
  return std::any_of(shapes.begin(), shapes.end(), [](const auto& shape) { return hasRunTimeExtents(shape); });
}

std::vector<int64_t> withRunTimeExtents(const std::vector<int64_t>& shape, int64_t extent) {
  std::vector<int64_t> concrete = shape;
  std::replace(concrete.begin(), concrete.end(), kRunTimeExtent, extent);
  return concrete;
}

}  // namespace nnc
