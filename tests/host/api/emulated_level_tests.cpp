// The desktop NNAPI emulating an older device (NNAPI_HOST_FEATURE_LEVEL, api/emulated_level.h), through the C API
// only. The variable is read once per process, so each test case is tagged with the setting it expects and ctest
// runs it in its own process with that setting (tests/host/api/CMakeLists.txt).
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "model_builder.h"
#include "sequence_lstm_model.h"

using host_test::ModelBuilder;

namespace {

// Fails the test, saying how to run it, unless the process was started with NNAPI_HOST_FEATURE_LEVEL=value.
void requireSetting(const char* value) {
  const char* actual = std::getenv("NNAPI_HOST_FEATURE_LEVEL");
  INFO("run through ctest, which sets NNAPI_HOST_FEATURE_LEVEL=" << value << " for this test");
  REQUIRE(actual != nullptr);
  REQUIRE(std::string(actual) == value);
}

// What the library prints on stderr (its messages for rejected calls) while this object lives.
class CapturedStderr {
 public:
  CapturedStderr() : file_(std::tmpfile()), saved_(dup(STDERR_FILENO)) {
    REQUIRE(file_ != nullptr);
    std::fflush(stderr);
    dup2(fileno(file_), STDERR_FILENO);
  }
  ~CapturedStderr() {
    restore();
    std::fclose(file_);
  }
  std::string text() {
    restore();
    std::string text;
    std::rewind(file_);
    for (int c; (c = std::fgetc(file_)) != EOF;) text += char(c);
    return text;
  }

 private:
  void restore() {
    if (saved_ < 0) return;
    std::fflush(stderr);
    dup2(saved_, STDERR_FILENO);
    close(saved_);
    saved_ = -1;
  }
  std::FILE* file_;
  int saved_;
};

int64_t deviceFeatureLevel() {
  ANeuralNetworksDevice* device = nullptr;
  REQUIRE(ANeuralNetworks_getDevice(0, &device) == ANEURALNETWORKS_NO_ERROR);
  int64_t level = 0;
  REQUIRE(ANeuralNetworksDevice_getFeatureLevel(device, &level) == ANEURALNETWORKS_NO_ERROR);
  return level;
}

// Adds `type` with float [2,3] inputs; returns the result code and the message printed for it.
int addOperationPrinting(ModelBuilder& m, int32_t type, std::vector<uint32_t> parameters, uint32_t output,
                         std::string* printed) {
  std::vector<uint32_t> inputs{m.f32({2, 3})};
  inputs.insert(inputs.end(), parameters.begin(), parameters.end());
  CapturedStderr captured;
  const int rc = m.op(type, inputs, {output});
  *printed = captured.text();
  return rc;
}

// Adds BATCH_MATMUL (feature level 6) of [2,3] by [3,2]; returns the result code and the message printed for it.
int addBatchMatmulPrinting(std::string* printed) {
  ModelBuilder m;
  return addOperationPrinting(m, ANEURALNETWORKS_BATCH_MATMUL, {m.f32({3, 2}), m.boolean(false), m.boolean(false)},
                              m.f32({2, 2}), printed);
}

const char kFl1Note[] = "; this device emulates feature level 1 (NNAPI_HOST_FEATURE_LEVEL=1)\n";

}  // namespace

TEST_CASE("feature level 1: the device and the runtime report API level 27", "[fl1]") {
  requireSetting("1");
  CHECK(deviceFeatureLevel() == 27);
  CHECK(ANeuralNetworks_getRuntimeFeatureLevel() == 27);
}

TEST_CASE("feature level 1: SUB, TRANSPOSE and MEAN are BAD_DATA, naming the level needed and emulated", "[fl1]") {
  requireSetting("1");
  std::string printed;
  {
    ModelBuilder m;
    const uint32_t b = m.f32({2, 3}), out = m.f32({2, 3});
    CHECK(addOperationPrinting(m, ANEURALNETWORKS_SUB, {b, m.i32(0)}, out, &printed) == ANEURALNETWORKS_BAD_DATA);
    CHECK(printed == std::string("nnapi_host: ANeuralNetworksModel_addOperation: SUB on TENSOR_FLOAT32 needs "
                                 "Android 9 (API 28, NNAPI feature level 2)") +
                         kFl1Note);
  }
  {
    ModelBuilder m;
    const uint32_t perm = m.constI32Tensor({2}, {1, 0}), out = m.f32({3, 2});
    CHECK(addOperationPrinting(m, ANEURALNETWORKS_TRANSPOSE, {perm}, out, &printed) == ANEURALNETWORKS_BAD_DATA);
    CHECK_THAT(printed, Catch::Contains("TRANSPOSE on TENSOR_FLOAT32 needs Android 9") && Catch::EndsWith(kFl1Note));
  }
  {
    ModelBuilder m;
    const uint32_t axes = m.constI32Tensor({1}, {1}), out = m.f32({2});
    CHECK(addOperationPrinting(m, ANEURALNETWORKS_MEAN, {axes, m.i32(0)}, out, &printed) ==
          ANEURALNETWORKS_BAD_DATA);
    CHECK_THAT(printed, Catch::Contains("MEAN on TENSOR_FLOAT32 needs Android 9") && Catch::EndsWith(kFl1Note));
  }
}

TEST_CASE("feature level 1: operand types of later levels are BAD_DATA at addOperand", "[fl1]") {
  requireSetting("1");
  ModelBuilder m;
  m.f32({2});
  // BOOL, the type of CONV_2D's layout flag, which its dilation inputs must follow: no dilated CONV_2D either.
  const ANeuralNetworksOperandType flag{ANEURALNETWORKS_BOOL, 0, nullptr, 0.0f, 0};
  CapturedStderr captured;
  CHECK(ANeuralNetworksModel_addOperand(m.model(), &flag) == ANEURALNETWORKS_BAD_DATA);
  const uint32_t dims[] = {2};
  const ANeuralNetworksOperandType half{ANEURALNETWORKS_TENSOR_FLOAT16, 1, dims, 0.0f, 0};
  CHECK(ANeuralNetworksModel_addOperand(m.model(), &half) == ANEURALNETWORKS_BAD_DATA);
  CHECK(captured.text() ==
        std::string("nnapi_host: ANeuralNetworksModel_addOperand: operand 1: BOOL needs Android 10 (API 29, NNAPI "
                    "feature level 3)") +
            kFl1Note +
            "nnapi_host: ANeuralNetworksModel_addOperand: operand 1: TENSOR_FLOAT16 needs Android 10 (API 29, "
            "NNAPI feature level 3)" +
            kFl1Note);
}

TEST_CASE("feature level 1: CONV_2D without layout flag or dilation is accepted and computes", "[fl1]") {
  requireSetting("1");
  // [1,3,3,1] input 1..9; 2x2 filter of ones; bias 0.5; explicit padding 0, stride 1: the 2x2 window sums.
  ModelBuilder m;
  const uint32_t in = m.f32({1, 3, 3, 1}), out = m.f32({1, 2, 2, 1});
  const uint32_t filter = m.constF32({1, 2, 2, 1}, {1, 1, 1, 1}), bias = m.constF32({1}, {0.5f});
  REQUIRE(m.op(ANEURALNETWORKS_CONV_2D,
               {in, filter, bias, m.i32(0), m.i32(0), m.i32(0), m.i32(0), m.i32(1), m.i32(1), m.i32(0)},
               {out}) == ANEURALNETWORKS_NO_ERROR);
  REQUIRE(m.io({in}, {out}) == ANEURALNETWORKS_NO_ERROR);
  REQUIRE(m.finish() == ANEURALNETWORKS_NO_ERROR);
  std::vector<std::vector<float>> outputs;
  REQUIRE(host_test::runF32(m.model(), {{1, 2, 3, 4, 5, 6, 7, 8, 9}}, {4}, &outputs) == ANEURALNETWORKS_NO_ERROR);
  host_test::requireClose(outputs[0], {12.5f, 16.5f, 24.5f, 28.5f});
}

TEST_CASE("feature level 3: the device reports API level 29", "[fl3]") {
  requireSetting("3");
  CHECK(deviceFeatureLevel() == 29);
}

TEST_CASE("feature level 3: SUB is accepted, HARD_SWISH and RESIZE_BILINEAR's align_corners are not", "[fl3]") {
  requireSetting("3");
  std::string printed;
  {
    ModelBuilder m;
    const uint32_t b = m.f32({2, 3}), out = m.f32({2, 3});
    CHECK(addOperationPrinting(m, ANEURALNETWORKS_SUB, {b, m.i32(0)}, out, &printed) == ANEURALNETWORKS_NO_ERROR);
  }
  {
    ModelBuilder m;
    CHECK(addOperationPrinting(m, ANEURALNETWORKS_HARD_SWISH, {}, m.f32({2, 3}), &printed) ==
          ANEURALNETWORKS_BAD_DATA);
    CHECK(printed == "nnapi_host: ANeuralNetworksModel_addOperation: HARD_SWISH on TENSOR_FLOAT32 needs Android 11 "
                     "(API 30, NNAPI feature level 4); this device emulates feature level 3 "
                     "(NNAPI_HOST_FEATURE_LEVEL=3)\n");
  }
  {
    ModelBuilder m;
    const uint32_t in = m.f32({1, 2, 2, 1}), out = m.f32({1, 4, 4, 1});
    CapturedStderr captured;
    CHECK(m.op(ANEURALNETWORKS_RESIZE_BILINEAR,
               {in, m.i32(4), m.i32(4), m.boolean(false), m.boolean(true), m.boolean(false)},
               {out}) == ANEURALNETWORKS_BAD_DATA);
    CHECK_THAT(captured.text(), Catch::Contains("RESIZE_BILINEAR with the align_corners / half_pixel_centers "
                                                "inputs needs Android 11"));
  }
}

TEST_CASE("feature level 5: reported as API level 31, and BATCH_MATMUL is BAD_DATA naming level 6", "[fl5]") {
  requireSetting("5");
  CHECK(deviceFeatureLevel() == ANEURALNETWORKS_FEATURE_LEVEL_5);
  CHECK(ANeuralNetworks_getRuntimeFeatureLevel() == ANEURALNETWORKS_FEATURE_LEVEL_5);
  std::string printed;
  CHECK(addBatchMatmulPrinting(&printed) == ANEURALNETWORKS_BAD_DATA);
  CHECK(printed == "nnapi_host: ANeuralNetworksModel_addOperation: BATCH_MATMUL on TENSOR_FLOAT32 needs Android 13 "
                   "(API 33, NNAPI feature level 6); this device emulates feature level 5 "
                   "(NNAPI_HOST_FEATURE_LEVEL=5)\n");
}

TEST_CASE("feature level 6: reported as NNAPI's code 1000006, BATCH_MATMUL is accepted, MIRROR_PAD (level 7) is not",
          "[fl6]") {
  requireSetting("6");
  CHECK(deviceFeatureLevel() == ANEURALNETWORKS_FEATURE_LEVEL_6);
  CHECK(ANeuralNetworks_getRuntimeFeatureLevel() == ANEURALNETWORKS_FEATURE_LEVEL_6);
  std::string printed;
  CHECK(addBatchMatmulPrinting(&printed) == ANEURALNETWORKS_NO_ERROR);
  CHECK(printed.empty());
  ModelBuilder m;
  CHECK(addOperationPrinting(m, ANEURALNETWORKS_MIRROR_PAD, {m.constI32Tensor({2, 2}, {1, 1, 0, 0}), m.i32(0)},
                             m.f32({4, 3}), &printed) == ANEURALNETWORKS_BAD_DATA);
  CHECK(printed == "nnapi_host: ANeuralNetworksModel_addOperation: MIRROR_PAD on TENSOR_FLOAT32 needs Android 14 "
                   "(API 34, NNAPI feature level 7); this device emulates feature level 6 "
                   "(NNAPI_HOST_FEATURE_LEVEL=6)\n");
}

TEST_CASE("feature level 3: UNIDIRECTIONAL_SEQUENCE_LSTM is accepted with one output, its state outputs are not",
          "[fl3]") {
  requireSetting("3");
  const host_test::lstm::Case k{2, 1, 1, 1};
  const host_test::lstm::Gates g = host_test::lstm::scalarGates({1, 1, 1, 1}, {1, 1, 1, 1}, {0, 0, 0, 0});
  {
    ModelBuilder m;
    const std::vector<uint32_t> in = host_test::lstm::lstmInputs(m, k, g);
    CHECK(m.op(ANEURALNETWORKS_UNIDIRECTIONAL_SEQUENCE_LSTM, in, {m.f32({2, 1, 1})}) == ANEURALNETWORKS_NO_ERROR);
  }
  {
    ModelBuilder m;
    const std::vector<uint32_t> in = host_test::lstm::lstmInputs(m, k, g);
    CapturedStderr captured;
    CHECK(m.op(ANEURALNETWORKS_UNIDIRECTIONAL_SEQUENCE_LSTM, in, {m.f32({2, 1, 1}), m.f32({1, 1}), m.f32({1, 1})}) ==
          ANEURALNETWORKS_BAD_DATA);
    CHECK_THAT(captured.text(), Catch::Contains("UNIDIRECTIONAL_SEQUENCE_LSTM with the output_state_out and "
                                                "cell_state_out outputs needs Android 11"));
  }
}

TEST_CASE("a value outside 1..7 is reported on stderr at first use and the newest level is used", "[bad_level]") {
  requireSetting("8");
  CapturedStderr captured;
  const int64_t level = deviceFeatureLevel();
  CHECK(captured.text() == "nnapi_host: NNAPI_HOST_FEATURE_LEVEL=8 is not a feature level this library emulates "
                           "(1..7); using Android 14 (API 34, NNAPI feature level 7)\n");
  CHECK(level == 1000007);
}

TEST_CASE("feature level 1: a batch left unknown is given by setInput and setOutput; an output left to be sized at "
          "execution is BAD_DATA, naming the level needed",
          "[fl1]") {
  requireSetting("1");
  // out[?, 2] = relu(in[?, 2])
  ModelBuilder m;
  const uint32_t in = m.f32({0, 2}), out = m.f32({0, 2});
  REQUIRE(m.op(ANEURALNETWORKS_RELU, {in}, {out}) == 0);
  REQUIRE(m.io({in}, {out}) == 0);
  REQUIRE(m.finish() == 0);
  ANeuralNetworksCompilation* compilation = nullptr;
  REQUIRE(ANeuralNetworksCompilation_create(m.model(), &compilation) == 0);
  REQUIRE(ANeuralNetworksCompilation_finish(compilation) == 0);
  const std::vector<uint32_t> dims{3, 2};
  const ANeuralNetworksOperandType type{ANEURALNETWORKS_TENSOR_FLOAT32, 2, dims.data(), 0, 0};
  std::vector<float> x{-1, 1, -2, 2, -3, 3}, y(6, 7.0f);
  for (const bool give_output_shape : {false, true}) {
    ANeuralNetworksExecution* e = nullptr;
    REQUIRE(ANeuralNetworksExecution_create(compilation, &e) == 0);
    REQUIRE(ANeuralNetworksExecution_setInput(e, 0, &type, x.data(), x.size() * 4) == 0);
    if (give_output_shape) {
      REQUIRE(ANeuralNetworksExecution_setOutput(e, 0, &type, y.data(), y.size() * 4) == 0);
      REQUIRE(ANeuralNetworksExecution_compute(e) == 0);
      CHECK(y == std::vector<float>{0, 1, 0, 2, 0, 3});
    } else {
      CapturedStderr captured;
      CHECK(ANeuralNetworksExecution_setOutput(e, 0, nullptr, y.data(), y.size() * 4) == ANEURALNETWORKS_BAD_DATA);
      CHECK_THAT(captured.text(), Catch::Contains("output 0: the shape is not fully known") &&
                                      Catch::Contains("Android 10 (API 29, NNAPI feature level 3)") &&
                                      Catch::EndsWith(kFl1Note));
    }
    ANeuralNetworksExecution_free(e);
  }
  ANeuralNetworksCompilation_free(compilation);
}
