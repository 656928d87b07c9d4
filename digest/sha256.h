// SHA-256 (FIPS 180-4), incremental. Used where a 32-byte digest must change whenever any byte it covers changes:
// NNAPI compilation cache tokens and the integrity checks of the desktop NNAPI's cache files.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace nnapi_digest {

using Digest = std::array<uint8_t, 32>;

class Sha256 {
 public:
  Sha256();
  Sha256& update(const void* data, size_t size);
  Sha256& update(const std::string& text) { return update(text.data(), text.size()); }
  // The digest of everything given to update; the object must not be updated afterwards.
  Digest finish();

 private:
  void compress(const uint8_t* block);

  std::array<uint32_t, 8> state_;
  std::array<uint8_t, 64> block_{};
  size_t filled_ = 0;     // bytes waiting in block_
  uint64_t total_ = 0;    // bytes given so far
};

// Lower-case hexadecimal, 64 characters.
std::string hex(const Digest& digest);

}  // namespace nnapi_digest
