// The byte stream that fuzz_nnapi_stream turns into NNAPI C API calls: a sequence of commands that declare
// operands, set values, add operations and name the model's inputs and outputs; at its end the model is finished,
// compiled and computed. stream_seed writes converted models in this form (the seed corpus). Numbers are little
// endian; a stream that ends early reads zeros.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace nnc_fuzz::stream {

enum Command : uint8_t {
  kAddOperand,     // type u8, rank u8, extents u8 x rank (0 = unknown), scale f32, zero point i32
  kSetValue,       // operand u16, length u32, bytes
  kSetOmitted,     // operand u16: setOperandValue(NULL, 0)
  kSetPerChannel,  // operand u16, channel dim u8, count u16, scales f32 x count
  kAddOperation,   // type u8, input count u8, operands u16 x count, output count u8, operands u16 x count
  kIdentifyIo,     // input count u8, operands u16 x count, output count u8, operands u16 x count
  kRelax,          // flag u8: relaxComputationFloat32toFloat16
  kFreeModelEarly, // free the model as soon as its compilation exists (the compilation must keep it alive)
  kCommandCount
};

class Reader {
 public:
  Reader(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  bool done() const { return at_ >= size_; }
  uint8_t u8() { return at_ < size_ ? data_[at_++] : 0; }
  uint16_t u16() { return uint16_t(u8() | (u8() << 8)); }
  uint32_t u32() { return uint32_t(u16()) | (uint32_t(u16()) << 16); }
  float f32() {
    const uint32_t bits = u32();
    float value;
    std::memcpy(&value, &bits, sizeof value);
    return value;
  }
  // Up to `length` bytes, fewer when the stream ends.
  std::vector<uint8_t> bytes(size_t length) {
    const size_t n = length < size_ - at_ ? length : size_ - at_;
    std::vector<uint8_t> out(data_ + at_, data_ + at_ + n);
    at_ += n;
    return out;
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t at_ = 0;
};

class Writer {
 public:
  void u8(uint8_t v) { out_.push_back(char(v)); }
  void u16(uint16_t v) {
    u8(uint8_t(v));
    u8(uint8_t(v >> 8));
  }
  void u32(uint32_t v) {
    u16(uint16_t(v));
    u16(uint16_t(v >> 16));
  }
  void f32(float v) {
    uint32_t bits;
    std::memcpy(&bits, &v, sizeof bits);
    u32(bits);
  }
  void bytes(const void* data, size_t n) { out_.append(static_cast<const char*>(data), n); }
  const std::string& text() const { return out_; }

 private:
  std::string out_;
};

}  // namespace nnc_fuzz::stream
