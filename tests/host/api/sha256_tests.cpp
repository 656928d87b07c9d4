// SHA-256 (digest/), which keys the compilation cache: FIPS 180-4's examples, and the same digest whichever way
// the bytes are split across update calls (the padding and the block boundary are where an implementation errs).
#include <string>

#include <catch2/catch.hpp>

#include "digest/sha256.h"

using nnapi_digest::hex;
using nnapi_digest::Sha256;

TEST_CASE("SHA-256 of FIPS 180-4's examples") {
  CHECK(hex(Sha256().finish()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(hex(Sha256().update("abc").finish()) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // 56 bytes: the length no longer fits in the first block's padding.
  CHECK(hex(Sha256().update("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq").finish()) ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(hex(Sha256().update(std::string(1000000, 'a')).finish()) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("SHA-256 is the same however the input is split") {
  const std::string text(200, 'x');
  const std::string whole = hex(Sha256().update(text).finish());
  for (size_t cut : {1u, 55u, 56u, 63u, 64u, 65u, 128u, 199u}) {
    INFO("split at " << cut);
    CHECK(hex(Sha256().update(text.substr(0, cut)).update(text.substr(cut)).finish()) == whole);
  }
}
