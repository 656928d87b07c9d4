// How runtime messages print shapes and index lists: "[1,3,224,224]".
#pragma once

#include <string>
#include <vector>

namespace nnapi_convert::runtime {

template <typename T>
std::string listText(const std::vector<T>& values) {
  std::string text = "[";
  for (size_t i = 0; i < values.size(); ++i) text += (i ? "," : "") + std::to_string(values[i]);
  return text + "]";
}

}  // namespace nnapi_convert::runtime
