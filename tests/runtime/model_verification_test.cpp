// The runtime's check of serialized models: damaged or inconsistent bytes are refused with a message, never
// read out of bounds; what passes the check is built and run on the desktop NNAPI to show it is harmless.
#include "compiled_model.h"
#include "model_loader.h"
#include "test_models.h"

#include <ATen/ATen.h>

#include <catch2/catch.hpp>

#include <cstring>
#include <random>

using namespace nnapi_convert::runtime;
using namespace nnc_test;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

// Verifies a private copy, so a read past `size` would leave the copy (and show under a sanitizer).
const nnapi_convert::schema::Model& verify(const std::vector<uint8_t>& bytes) {
  return verifyModelBuffer(bytes.data(), bytes.size());
}

std::vector<uint8_t> serializedBytes(const ModelSpec& spec) {
  const std::string serialized = serialize(spec);
  return std::vector<uint8_t>(serialized.begin(), serialized.end());
}

const std::string kCorrupt = "nnapi-convert runtime: model buffer is truncated or corrupt: ";

}  // namespace

TEST_CASE("A hand-built model verifies and reads back as written", "[runtime][verify]") {
  const std::vector<uint8_t> bytes = serializedBytes(conv2dModel());
  const nnapi_convert::schema::Model& model = verify(bytes);
  CHECK(model.operands()->size() == 11);
  CHECK(model.operations()->size() == 1);
  CHECK(model.buffers()->size() == 9);  // filter, bias and 7 scalars
  CHECK(model.inputs()->Get(0)->name()->str() == "x");
  CHECK(describeOperand(model, 1) == "operand 1 'conv.weight'");
  CHECK(describeOperand(model, 3) == "operand 3");
}

TEST_CASE("Every truncation is rejected unless it only cut trailing zero padding", "[runtime][verify]") {
  for (const ModelSpec& spec : {conv2dModel(), addTwoOutputsModel()}) {
    const std::vector<uint8_t> whole = serializedBytes(spec);
    size_t accepted = 0;
    for (size_t length = 0; length < whole.size(); ++length) {
      const std::vector<uint8_t> truncated(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(length));
      try {
        verify(truncated);
        // flatbuffers never reads alignment padding, so losing it loses nothing the model holds.
        ++accepted;
        for (size_t i = length; i < whole.size(); ++i) REQUIRE(whole[i] == 0);
      } catch (const std::runtime_error& error) {
        REQUIRE_THAT(error.what(), StartsWith(kCorrupt));
      }
    }
    // Padding is shorter than the widest alignment the schema asks for (16 bytes, constant buffers).
    CHECK(accepted < 16);
  }
}

TEST_CASE("Random byte corruption is rejected with a message or leaves a model that runs harmlessly",
          "[runtime][verify]") {
  std::mt19937 random(20241125);
  const ModelSpec spec = conv2dModel();
  const std::vector<uint8_t> whole = serializedBytes(spec);
  const at::Tensor x = at::arange(1, 10, at::kFloat).reshape({1, 3, 3, 1});
  std::uniform_int_distribution<size_t> position(0, whole.size() - 1);
  std::uniform_int_distribution<int> byte(0, 255), count(1, 4);
  size_t rejected = 0, refused_by_nnapi = 0, ran = 0;
  for (int trial = 0; trial < 5000; ++trial) {
    std::vector<uint8_t> corrupted = whole;
    for (int n = count(random); n > 0; --n) corrupted[position(random)] = static_cast<uint8_t>(byte(random));
    try {
      verify(corrupted);
    } catch (const std::runtime_error& error) {
      ++rejected;
      REQUIRE_THAT(error.what(), StartsWith("nnapi-convert runtime: "));
      continue;
    }
    // Verified: building and running it must fail with a message (NNAPI's own rules) or give the declared output.
    at::Tensor bytes = at::empty({int64_t(corrupted.size())}, at::kByte);
    std::memcpy(bytes.data_ptr(), corrupted.data(), corrupted.size());
    try {
      const std::vector<at::Tensor> outputs = CompiledModel(bytes, nnapiLibrary().functions).run({x});
      REQUIRE(outputs.size() == 1);
      CHECK(outputs[0].sizes().vec() == spec.outputs[0].torch_shape);
      ++ran;
    } catch (const std::runtime_error& error) {
      REQUIRE_THAT(error.what(), StartsWith("nnapi-convert runtime: "));
      ++refused_by_nnapi;
    }
  }
  // Most bytes are offsets, sizes, indices or codes; a corruption that only changes a weight, a name or padding
  // stays valid and runs.
  INFO("rejected " << rejected << ", refused when built " << refused_by_nnapi << ", ran " << ran);
  CHECK(rejected + refused_by_nnapi + ran == 5000);
  CHECK(rejected > 2500);
  CHECK(ran > 0);
}

TEST_CASE("A buffer with another file identifier is not taken for a model", "[runtime][verify]") {
  const std::string serialized = serialize(conv2dModel(), "TFL3");
  const std::vector<uint8_t> bytes(serialized.begin(), serialized.end());
  REQUIRE_THROWS_WITH(verify(bytes), "nnapi-convert runtime: not an nnapi-convert model: the file identifier is "
                                     "'TFL3', expected 'NNC1'");
}

TEST_CASE("A model of another schema version is refused with both versions named", "[runtime][verify]") {
  ModelSpec spec = conv2dModel();
  spec.version = nnapi_convert::schema::kSchemaVersion + 1;
  const uint32_t ours = nnapi_convert::schema::kSchemaVersion;
  REQUIRE_THROWS_WITH(verify(serializedBytes(spec)), Contains("schema version " + std::to_string(ours + 1)) &&
                                                         Contains("reads version " + std::to_string(ours)));
}

TEST_CASE("Inconsistent models are refused with the operand or operation named", "[runtime][verify]") {
  ModelSpec spec = conv2dModel();
  std::string expected;
  SECTION("operation operand index out of range") {
    spec.operations[0].inputs[0] = 99;
    expected = "operation 0 uses operand 99 of 11";
  }
  SECTION("operation code out of range") {
    spec.operations[0].type = 106;
    expected = "operation 0 has operation code 106";
  }
  SECTION("constant byte count differs from element size x dimensions") {
    spec.operands[1].constant.resize(28);
    expected = "operand 1 'conv.weight' holds 28 bytes but its type and dimensions [2,2,2,1] need 32";
  }
  SECTION("buffer index out of range") {
    spec.operands[2].buffer = 40;
    expected = "operand 2 'conv.bias' refers to buffer 40 of 9";
  }
  SECTION("unknown operand type code") {
    spec.operands[10].type = 42;
    expected = "operand 10 'y' has type code 42, not an operand type this runtime reads";
  }
  SECTION("MODEL operands (sub-models) are not part of the schema") {
    spec.operands[10].type = 15;
    expected = "operand 10 'y' has type code 15, not an operand type this runtime reads";
  }
  SECTION("a scalar with dimensions") {
    spec.operands[3].dims = {1};
    expected = "operand 3 is a scalar but has dimensions [1]";
  }
  SECTION("a constant with an unknown dimension") {
    spec.operands[2].dims = {0};
    expected = "operand 2 'conv.bias' is a constant with an unknown dimension [0]";
  }
  SECTION("a torch shape that contradicts the operand") {
    spec.inputs[0].torch_shape = {1, 1, 3, 3};
    expected = "model input 0 (operand 0 'x') has torch_shape [1,1,3,3] but operand dimensions [1,3,3,1]";
  }
  SECTION("a model output that is a constant") {
    spec.outputs[0].operand = 1;
    expected = "model output 0 (operand 1 'conv.weight') is a constant";
  }
  SECTION("a model input out of range") {
    spec.inputs[0].operand = 11;
    expected = "model input 0 is operand 11 of 11";
  }
  SECTION("per-channel quantized operand without channel scales") {
    spec = perChannelConv2dModel();
    spec.operands[1].channel_scales.clear();
    expected = "operand 1 'conv.weight' is per-channel quantized but has no channel scales";
  }
  SECTION("channel scales that do not match the channel dimension") {
    spec = perChannelConv2dModel();
    spec.operands[1].channel_scales.push_back(1.0f);
    expected = "operand 1 'conv.weight' has 3 channel scales for channel dimension 0 of [2,1,1,2]";
  }
  SECTION("channel scales on an operand that is not per-channel quantized") {
    spec.operands[1].channel_scales = {1.0f, 1.0f};
    expected = "operand 1 'conv.weight' has channel scales but is not per-channel quantized";
  }
  SECTION("no outputs") {
    spec.outputs.clear();
    expected = "the model has 1 inputs and 0 outputs; it needs at least one of each";
  }
  SECTION("no operations") {
    spec.operations.clear();
    expected = "the model has no operations";
  }
  SECTION("an operation without outputs") {
    spec.operations[0].outputs.clear();
    expected = "operation 0 has no outputs";
  }
  REQUIRE_THROWS_WITH(verify(serializedBytes(spec)), kCorrupt + expected);
}

TEST_CASE("A weight held as a tensor is verified against its operand", "[runtime][verify]") {
  // Operand 1 'c' (float [4,10], 160 bytes) names weight tensor 0 instead of holding its bytes.
  ModelSpec spec = addLargeConstantModel();
  spec.operands[1].weight_tensor = 0;
  std::vector<at::Tensor> weights = {floatWeightTensor(spec.operands[1])};
  std::string expected;
  SECTION("the right tensor verifies") {
    const std::vector<uint8_t> bytes = serializedBytes(spec);
    CHECK_NOTHROW(verifyModelBuffer(bytes.data(), bytes.size(), weights));
    return;
  }
  SECTION("index out of range") {
    spec.operands[1].weight_tensor = 1;
    expected = "operand 1 'c' refers to weight tensor 1 of 1";
  }
  SECTION("negative index other than -1") {
    spec.operands[1].weight_tensor = -2;
    expected = "operand 1 'c''s buffer refers to weight tensor -2";
  }
  SECTION("no tensors given") {
    weights.clear();
    expected = "operand 1 'c' refers to weight tensor 0 of 0";
  }
  SECTION("bytes in the buffer too") {
    spec.operands[1].also_inline = true;
    expected = "operand 1 'c''s buffer holds both bytes and weight tensor 0";
  }
  SECTION("another dtype") {
    weights[0] = weights[0].to(at::kInt);
    expected = "operand 1 'c''s weight tensor 0 has dtype Int but the operand's type needs Float";
  }
  SECTION("another size") {
    weights[0] = at::zeros({4, 9}, at::kFloat);
    expected = "operand 1 'c''s weight tensor 0 holds 144 bytes but the operand needs 160";
  }
  SECTION("not contiguous") {
    weights[0] = at::zeros({10, 4}, at::kFloat).t();
    expected = "operand 1 'c''s weight tensor 0 is not a defined, contiguous CPU tensor";
  }
  SECTION("undefined") {
    weights[0] = at::Tensor();
    expected = "operand 1 'c''s weight tensor 0 is not a defined, contiguous CPU tensor";
  }
  const std::vector<uint8_t> bytes = serializedBytes(spec);
  REQUIRE_THROWS_WITH(verifyModelBuffer(bytes.data(), bytes.size(), weights), kCorrupt + expected);
}

TEST_CASE("Unknown dimensions verify when torch_shape leaves them open", "[runtime][verify]") {
  ModelSpec spec = addReluModel();
  spec.operands[3].dims = {0, 3};
  spec.outputs[0].torch_shape = {-1, 3};
  CHECK_NOTHROW(verify(serializedBytes(spec)));
  spec.outputs[0].torch_shape = {-2, 3};
  CHECK_THROWS_WITH(verify(serializedBytes(spec)), Contains("torch_shape [-2,3] but operand dimensions [0,3]"));
}

TEST_CASE("Values the buffer's address leaves misaligned are refused, not read", "[runtime][verify]") {
  // The same bytes 4 bytes past an aligned address: torch_shape's int64 values land on 4-byte boundaries.
  const std::vector<uint8_t> bytes = serializedBytes(addReluModel());
  std::vector<uint8_t> shifted(bytes.size() + 4);
  std::copy(bytes.begin(), bytes.end(), shifted.begin() + 4);
  REQUIRE_THROWS_WITH(verifyModelBuffer(shifted.data() + 4, bytes.size()),
                      kCorrupt + "model input 0 (operand 0 'a') has a misaligned torch_shape");
}
