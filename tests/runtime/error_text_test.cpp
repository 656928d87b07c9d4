// What a runtime error says (issue 10, item 7): a failed NNAPI call carries the desktop NNAPI's reason when the
// library can tell it (NnapiHost_lastErrorMessage), and text from the model file or the library that is not valid UTF-8
// is escaped, so Python shows the message instead of an empty RuntimeError().
#include "compiled_model.h"
#include "module_io.h"
#include "printable_text.h"
#include "run_command.h"
#include "test_models.h"

#include <catch2/catch.hpp>

#include <ATen/ATen.h>

#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>

using namespace nnapi_convert::runtime;
using namespace nnc_test;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

// out = a + t, where the temporary t is written by no operation: the flatbuffer and the runtime's checks accept
// it, NNAPI's ANeuralNetworksModel_finish refuses it.
ModelSpec unwrittenOperandModel() {
  ModelSpec spec;
  spec.operands = {tensorFloat32({2, 3}, "a"), tensorFloat32({2, 3}, "t"), scalarInt32(0), tensorFloat32({2, 3}, "out")};
  spec.operations = {{ANEURALNETWORKS_ADD, {0, 1, 2}, {3}}};
  spec.inputs = {{0, {2, 3}, "a"}};
  spec.outputs = {{3, {2, 3}, "out"}};
  return spec;
}

std::string compileError(const ModelSpec& spec, const NnapiFunctions& nnapi) {
  try {
    CompiledModel model(bytesTensor(serialize(spec)), nnapi);
  } catch (const std::runtime_error& error) {
    return error.what();
  }
  FAIL("the model compiled");
  return "";
}

const char* staleReason() { return "ANeuralNetworksModel_addOperand: an earlier failure"; }

}  // namespace

TEST_CASE("a failed ANeuralNetworksModel_finish says why, as the desktop NNAPI does") {
  const std::string message = compileError(unwrittenOperandModel(), nnapiLibrary().functions);
  CHECK_THAT(message, StartsWith("nnapi-convert runtime: ANeuralNetworksModel_finish failed with "
                                 "ANEURALNETWORKS_BAD_DATA (4), the NNAPI library says: ") &&
                          Contains("operand 1"));
}

TEST_CASE("without NnapiHost_lastErrorMessage (a phone) the message names the call that failed") {
  NnapiFunctions phone = nnapiLibrary().functions;
  phone.NnapiHost_lastErrorMessage = nullptr;
  CHECK(compileError(unwrittenOperandModel(), phone) ==
        "nnapi-convert runtime: ANeuralNetworksModel_finish failed with ANEURALNETWORKS_BAD_DATA (4)");
}

TEST_CASE("a reason left by another call is not given as this call's") {
  NnapiFunctions stale = nnapiLibrary().functions;
  stale.NnapiHost_lastErrorMessage = staleReason;
  CHECK_THROWS_WITH(checkNnapiResult(stale, ANEURALNETWORKS_BAD_DATA, "ANeuralNetworksModel_finish"),
                    "nnapi-convert runtime: ANeuralNetworksModel_finish failed with ANEURALNETWORKS_BAD_DATA (4)");
  CHECK_THROWS_WITH(checkNnapiResult(stale, ANEURALNETWORKS_BAD_DATA, "ANeuralNetworksModel_addOperand", "operand 2"),
                    "nnapi-convert runtime: ANeuralNetworksModel_addOperand(operand 2) failed with "
                    "ANEURALNETWORKS_BAD_DATA (4), the NNAPI library says: an earlier failure");
}

TEST_CASE("printableText keeps valid UTF-8 and escapes every other byte") {
  CHECK(printableText("conv1.weight") == "conv1.weight");
  CHECK(printableText("poids_\xC3\xA9t\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80") ==
        "poids_\xC3\xA9t\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80");  // é, €, an emoji
  CHECK(printableText("a\xFF") == "a\\xFF");
  CHECK(printableText("\xC3") == "\\xC3");                              // truncated sequence
  CHECK(printableText("\xC3(") == "\\xC3(");                            // bad continuation
  CHECK(printableText("\xC0\xAF") == "\\xC0\\xAF");                     // overlong '/'
  CHECK(printableText("\xED\xA0\x80") == "\\xED\\xA0\\x80");            // a UTF-16 surrogate
  CHECK(printableText("\xF4\x90\x80\x80") == "\\xF4\\x90\\x80\\x80");   // above U+10FFFF
  CHECK(printableText("\x80\xBF") == "\\x80\\xBF");                     // stray continuation bytes
  CHECK(printableText("line\nfeed\x7F") == "line\\x0Afeed\\x7F");       // control characters
}

TEST_CASE("an error naming an input whose name is not UTF-8 reaches Python with its text") {
  ModelSpec spec = addReluModel();
  spec.inputs[0].name = "a\xFF";
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("nnc_error_text_" + std::to_string(getpid()) + ".nnc")).string();
  std::ofstream(path, std::ios::binary) << serialize(spec);
  int status = -1;
  const std::string output = runCommand(std::string(NNC_TEST_PYTHON) + " " + NNC_TEST_SCRIPT_DIR +
                                            "/run_serialized_model.py " + NNC_TEST_LIB_DIR + "/libnnapi_runtime.so " +
                                            path + " 3 2x3",
                                        status);
  std::filesystem::remove(path);
  CHECK(status == 0);
  CHECK_THAT(output, StartsWith("error: nnapi-convert runtime: input 0 'a\\xFF' has shape [3], but the model was "
                                "converted for shape [2,3]"));
}
