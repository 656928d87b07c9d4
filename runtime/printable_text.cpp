#include "printable_text.h"

#include <cstdint>
#include <cstdio>

namespace nnapi_convert::runtime {
namespace {

// The length of the valid UTF-8 character starting at text[at], or 0 when the bytes there are not one
// (Unicode 15, table 3-7: the second byte's range depends on the first, which rules out overlong forms,
// surrogates and code points above U+10FFFF).
size_t validCharacterLength(const std::string& text, size_t at) {
  const auto byte = [&](size_t i) { return at + i < text.size() ? uint8_t(text[at + i]) : 0; };
  const uint8_t lead = byte(0);
  if (lead < 0x80) return 1;
  size_t length = 0;
  uint8_t low = 0x80, high = 0xBF;  // allowed range of the second byte
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (byte(1) < low || byte(1) > high) return 0;
  for (size_t i = 2; i < length; ++i)
    if (byte(i) < 0x80 || byte(i) > 0xBF) return 0;
  return length;
}

}  // namespace

std::string printableText(const std::string& text) {
  std::string result;
  result.reserve(text.size());
  for (size_t at = 0; at < text.size();) {
    const uint8_t lead = uint8_t(text[at]);
    const size_t length = validCharacterLength(text, at);
    if (length == 0 || lead < 0x20 || lead == 0x7F) {
      char escaped[5];
      std::snprintf(escaped, sizeof escaped, "\\x%02X", unsigned(lead));
      result += escaped;
      ++at;
    } else {
      result.append(text, at, length);
      at += length;
    }
  }
  return result;
}

}  // namespace nnapi_convert::runtime
