// A 16-byte aligned copy of a serialized model, for readers whose bytes come from a file or a string at any
// address: verifyModelBuffer (model_loader.h) needs the alignment the writer laid the buffer out with.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

namespace nnapi_convert::runtime {

class AlignedBytes {
 public:
  AlignedBytes(const void* data, size_t size)
      : blocks_(size / sizeof(Block) + (size % sizeof(Block) != 0)), size_(size) {
    if (size > 0) std::memcpy(blocks_.data(), data, size);
  }
  const uint8_t* data() const { return blocks_.empty() ? nullptr : blocks_.front().bytes; }
  size_t size() const { return size_; }

 private:
  struct alignas(16) Block {
    uint8_t bytes[16];
  };
  std::vector<Block> blocks_;
  size_t size_;
};

}  // namespace nnapi_convert::runtime
