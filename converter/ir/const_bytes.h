// The read-only bytes of a constant, shared rather than copied: values the converter made (a relayouted filter, a
// folded bias: moved in, not copied) or a view of memory that `owner` keeps alive (the libtorch tensor in the frozen
// graph). The lowerings read weights where libtorch holds them, the IR holds what they made, and serialization wraps
// the same bytes in a weight tensor (serialize/weight_tensor.h), so a weight is never copied on its way to the file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <type_traits>
#include <vector>

namespace nnc {

class ConstBytes {
 public:
  ConstBytes() = default;
  // Takes `values` (no copy) and keeps them for as long as any copy of this ConstBytes lives.
  template <typename T>
  explicit ConstBytes(std::vector<T> values) {
    static_assert(std::is_trivially_copyable_v<T>, "constant values are plain bytes");
    auto owned = std::make_shared<const std::vector<T>>(std::move(values));
    data_ = reinterpret_cast<const uint8_t*>(owned->data());
    size_ = owned->size() * sizeof(T);
    owner_ = std::move(owned);
  }
  ConstBytes(std::shared_ptr<const void> owner, const uint8_t* data, size_t size)
      : owner_(std::move(owner)), data_(data), size_(size) {}

  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }
  const uint8_t* begin() const { return data_; }
  const uint8_t* end() const { return data_ + size_; }

 private:
  std::shared_ptr<const void> owner_;
  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace nnc
