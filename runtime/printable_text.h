// Text from a model file (operand and input names) or from an NNAPI library goes into the runtime's exception
// messages, and from there to Python, which decodes a message as strict UTF-8: a single invalid byte turned the
// whole error into an empty RuntimeError(). Such text passes through printableText first.
#pragma once

#include <string>

namespace nnapi_convert::runtime {

// `text` with every byte that is not part of a valid UTF-8 character (stray continuation bytes, truncated or
// overlong sequences, surrogates, code points above U+10FFFF), and every ASCII control character, written as
// "\xNN". Valid text, non-ASCII included, is unchanged.
std::string printableText(const std::string& text);

}  // namespace nnapi_convert::runtime
