// C API object lifecycles: NULL arguments, *_free(NULL), state rules (finish twice, modify after finish, reuse of
// an execution), devices, compilation settings, events, bursts, timing and the FL4 additions.
#include <catch2/catch.hpp>

#include "model_builder.h"

using host_test::ModelBuilder;

namespace {

// out = in + [10, 20]; one input, one output, both [2].
struct AddModel {
  ModelBuilder m;
  uint32_t in, out;
  AddModel() {
    in = m.f32({2});
    out = m.f32({2});
    REQUIRE(m.op(ANEURALNETWORKS_ADD, {in, m.constF32({2}, {10, 20}), m.i32(0)}, {out}) == 0);
    REQUIRE(m.io({in}, {out}) == 0);
    REQUIRE(m.finish() == 0);
  }
};

ANeuralNetworksCompilation* compile(ANeuralNetworksModel* model) {
  ANeuralNetworksCompilation* c = nullptr;
  REQUIRE(ANeuralNetworksCompilation_create(model, &c) == 0);
  REQUIRE(ANeuralNetworksCompilation_finish(c) == 0);
  return c;
}

ANeuralNetworksCompilation* compileForCpu(ANeuralNetworksModel* model) {
  ANeuralNetworksDevice* device = nullptr;
  REQUIRE(ANeuralNetworks_getDevice(0, &device) == 0);
  const ANeuralNetworksDevice* devices[] = {device};
  ANeuralNetworksCompilation* c = nullptr;
  REQUIRE(ANeuralNetworksCompilation_createForDevices(model, devices, 1, &c) == 0);
  REQUIRE(ANeuralNetworksCompilation_finish(c) == 0);
  return c;
}

// An execution with input (1, 2) and its output bound to `out`.
ANeuralNetworksExecution* prepared(ANeuralNetworksCompilation* c, const float* in, float* out) {
  ANeuralNetworksExecution* e = nullptr;
  REQUIRE(ANeuralNetworksExecution_create(c, &e) == 0);
  REQUIRE(ANeuralNetworksExecution_setInput(e, 0, nullptr, in, 8) == 0);
  REQUIRE(ANeuralNetworksExecution_setOutput(e, 0, nullptr, out, 8) == 0);
  return e;
}

constexpr int kNull = ANEURALNETWORKS_UNEXPECTED_NULL;
constexpr int kBadState = ANEURALNETWORKS_BAD_STATE;
constexpr int kBadData = ANEURALNETWORKS_BAD_DATA;

}  // namespace

TEST_CASE("NULL arguments return UNEXPECTED_NULL and freeing NULL is a no-op") {
  AddModel add;
  ANeuralNetworksCompilation* c = compile(add.m.model());
  const ANeuralNetworksOperandType f32{ANEURALNETWORKS_FLOAT32, 0, nullptr, 0, 0};
  const uint32_t idx[] = {0};
  CHECK(ANeuralNetworksModel_create(nullptr) == kNull);
  CHECK(ANeuralNetworksModel_addOperand(nullptr, &f32) == kNull);
  CHECK(ANeuralNetworksModel_addOperand(add.m.model(), nullptr) == kNull);
  CHECK(ANeuralNetworksModel_setOperandValue(nullptr, 0, idx, 4) == kNull);
  CHECK(ANeuralNetworksModel_addOperation(nullptr, ANEURALNETWORKS_ADD, 1, idx, 1, idx) == kNull);
  CHECK(ANeuralNetworksModel_identifyInputsAndOutputs(nullptr, 1, idx, 1, idx) == kNull);
  CHECK(ANeuralNetworksModel_finish(nullptr) == kNull);
  CHECK(ANeuralNetworksModel_relaxComputationFloat32toFloat16(nullptr, true) == kNull);
  CHECK(ANeuralNetworksCompilation_create(nullptr, &c) == kNull);
  CHECK(ANeuralNetworksCompilation_create(add.m.model(), nullptr) == kNull);
  CHECK(ANeuralNetworksCompilation_setPreference(nullptr, 0) == kNull);
  CHECK(ANeuralNetworksCompilation_finish(nullptr) == kNull);
  CHECK(ANeuralNetworksExecution_create(nullptr, nullptr) == kNull);
  CHECK(ANeuralNetworksExecution_setInput(nullptr, 0, nullptr, idx, 4) == kNull);
  CHECK(ANeuralNetworksExecution_setOutput(nullptr, 0, nullptr, nullptr, 0) == kNull);
  CHECK(ANeuralNetworksExecution_compute(nullptr) == kNull);
  CHECK(ANeuralNetworksExecution_startCompute(nullptr, nullptr) == kNull);
  CHECK(ANeuralNetworksExecution_getOutputOperandRank(nullptr, 0, nullptr) == kNull);
  CHECK(ANeuralNetworksEvent_wait(nullptr) == kNull);
  CHECK(ANeuralNetworks_getDeviceCount(nullptr) == kNull);
  CHECK(ANeuralNetworks_getDevice(0, nullptr) == kNull);
  CHECK(ANeuralNetworksDevice_getName(nullptr, nullptr) == kNull);
  CHECK(ANeuralNetworksMemory_createFromFd(4, 3, 0, 0, nullptr) == kNull);
  ANeuralNetworksModel_free(nullptr);
  ANeuralNetworksCompilation_free(nullptr);
  ANeuralNetworksExecution_free(nullptr);
  ANeuralNetworksMemory_free(nullptr);
  ANeuralNetworksEvent_free(nullptr);
  ANeuralNetworksBurst_free(nullptr);
  ANeuralNetworksMemoryDesc_free(nullptr);
  ANeuralNetworksCompilation_free(c);
}

TEST_CASE("one CPU device at feature level 7, reported as NNAPI writes it (1000007), as is the runtime's level") {
  uint32_t count = 0;
  REQUIRE(ANeuralNetworks_getDeviceCount(&count) == 0);
  CHECK(count == 1);
  ANeuralNetworksDevice* device = nullptr;
  CHECK(ANeuralNetworks_getDevice(1, &device) == kBadData);
  REQUIRE(ANeuralNetworks_getDevice(0, &device) == 0);
  const char* name = nullptr;
  int32_t type = 0;
  int64_t level = 0;
  REQUIRE(ANeuralNetworksDevice_getName(device, &name) == 0);
  CHECK(std::string(name) == "nnapi-convert-host");
  REQUIRE(ANeuralNetworksDevice_getType(device, &type) == 0);
  CHECK(type == ANEURALNETWORKS_DEVICE_CPU);
  REQUIRE(ANeuralNetworksDevice_getFeatureLevel(device, &level) == 0);
  CHECK(level == 1000007);
  CHECK(ANeuralNetworks_getRuntimeFeatureLevel() == 1000007);
  CHECK(ANeuralNetworksDevice_wait(device) == 0);
}

TEST_CASE("model: finish twice and modifying a finished model are BAD_STATE") {
  AddModel add;
  CHECK(add.m.finish() == kBadState);
  const ANeuralNetworksOperandType f32{ANEURALNETWORKS_TENSOR_FLOAT32, 0, nullptr, 0, 0};
  CHECK(ANeuralNetworksModel_addOperand(add.m.model(), &f32) == kBadState);
  CHECK(add.m.op(ANEURALNETWORKS_RELU, {add.in}, {add.out}) == kBadState);
  CHECK(ANeuralNetworksModel_relaxComputationFloat32toFloat16(add.m.model(), true) == kBadState);
}

TEST_CASE("compilation state and preference and devices and supported operations") {
  ModelBuilder unfinished;
  ANeuralNetworksCompilation* c = nullptr;
  CHECK(ANeuralNetworksCompilation_create(unfinished.model(), &c) == kBadState);

  AddModel add;
  REQUIRE(ANeuralNetworksCompilation_create(add.m.model(), &c) == 0);
  CHECK(ANeuralNetworksCompilation_setPreference(c, 3) == kBadData);
  CHECK(ANeuralNetworksCompilation_setPreference(c, ANEURALNETWORKS_PREFER_SUSTAINED_SPEED) == 0);
  CHECK(ANeuralNetworksCompilation_setPriority(c, 42) == kBadData);
  CHECK(ANeuralNetworksCompilation_setPriority(c, ANEURALNETWORKS_PRIORITY_HIGH) == 0);
  CHECK(ANeuralNetworksCompilation_setTimeout(c, 1000) == kBadData);  // only for createForDevices
  REQUIRE(ANeuralNetworksCompilation_finish(c) == 0);
  CHECK(ANeuralNetworksCompilation_finish(c) == kBadState);
  CHECK(ANeuralNetworksCompilation_setPreference(c, 0) == kBadState);
  ANeuralNetworksCompilation_free(c);

  ANeuralNetworksDevice* device = nullptr;
  REQUIRE(ANeuralNetworks_getDevice(0, &device) == 0);
  const ANeuralNetworksDevice* twice[] = {device, device};
  CHECK(ANeuralNetworksCompilation_createForDevices(add.m.model(), twice, 2, &c) == kBadData);
  bool supported[1] = {false};
  REQUIRE(ANeuralNetworksModel_getSupportedOperationsForDevices(add.m.model(), twice, 1, supported) == 0);
  CHECK(supported[0]);
}

TEST_CASE("execution runs once and inputs are set once and startCompute + Event_wait and burst work") {
  AddModel add;
  ANeuralNetworksCompilation* c = compile(add.m.model());
  const float in[2] = {1, 2};
  float out[2] = {0, 0};
  ANeuralNetworksExecution* e = prepared(c, in, out);
  CHECK(ANeuralNetworksExecution_setInput(e, 0, nullptr, in, 8) == kBadState);
  uint32_t rank = 0;
  CHECK(ANeuralNetworksExecution_getOutputOperandRank(e, 0, &rank) == kBadState);  // not computed yet
  REQUIRE(ANeuralNetworksExecution_compute(e) == 0);
  CHECK(out[0] == 11.0f);
  CHECK(out[1] == 22.0f);
  CHECK(ANeuralNetworksExecution_compute(e) == kBadState);
  CHECK(ANeuralNetworksExecution_setOutput(e, 0, nullptr, out, 8) == kBadState);
  ANeuralNetworksEvent* event = nullptr;
  CHECK(ANeuralNetworksExecution_startCompute(e, &event) == kBadState);
  ANeuralNetworksExecution_free(e);

  float out2[2] = {0, 0};
  e = prepared(c, in, out2);
  REQUIRE(ANeuralNetworksExecution_startCompute(e, &event) == 0);
  CHECK(ANeuralNetworksEvent_wait(event) == 0);
  CHECK(out2[1] == 22.0f);
  int fence = 0;
  CHECK(ANeuralNetworksEvent_getSyncFenceFd(event, &fence) == kBadData);
  ANeuralNetworksEvent_free(event);
  ANeuralNetworksExecution_free(e);

  ANeuralNetworksBurst* burst = nullptr;
  REQUIRE(ANeuralNetworksBurst_create(c, &burst) == 0);
  float out3[2] = {0, 0};
  e = prepared(c, in, out3);
  REQUIRE(ANeuralNetworksExecution_burstCompute(e, burst) == 0);
  CHECK(out3[0] == 11.0f);
  ANeuralNetworksExecution_free(e);
  ANeuralNetworksBurst_free(burst);
  ANeuralNetworksCompilation_free(c);
}

TEST_CASE("execution: an unset input is BAD_DATA at compute") {
  AddModel add;
  ANeuralNetworksCompilation* c = compile(add.m.model());
  ANeuralNetworksExecution* e = nullptr;
  REQUIRE(ANeuralNetworksExecution_create(c, &e) == 0);
  float out[2];
  REQUIRE(ANeuralNetworksExecution_setOutput(e, 0, nullptr, out, 8) == 0);
  CHECK(ANeuralNetworksExecution_compute(e) == kBadData);
  ANeuralNetworksExecution_free(e);
  ANeuralNetworksCompilation_free(c);
}

TEST_CASE("timing: UINT64_MAX unless measured on a single-device compilation") {
  AddModel add;
  const float in[2] = {1, 2};
  float out[2];
  ANeuralNetworksCompilation* plain = compile(add.m.model());
  ANeuralNetworksExecution* e = prepared(plain, in, out);
  CHECK(ANeuralNetworksExecution_setMeasureTiming(e, true) == kBadData);
  REQUIRE(ANeuralNetworksExecution_compute(e) == 0);
  uint64_t duration = 0;
  REQUIRE(ANeuralNetworksExecution_getDuration(e, ANEURALNETWORKS_DURATION_ON_HARDWARE, &duration) == 0);
  CHECK(duration == UINT64_MAX);
  ANeuralNetworksExecution_free(e);
  ANeuralNetworksCompilation_free(plain);

  ANeuralNetworksCompilation* single = compileForCpu(add.m.model());
  e = prepared(single, in, out);
  REQUIRE(ANeuralNetworksExecution_setMeasureTiming(e, true) == 0);
  REQUIRE(ANeuralNetworksExecution_setTimeout(e, 1'000'000'000) == 0);
  REQUIRE(ANeuralNetworksExecution_compute(e) == 0);
  REQUIRE(ANeuralNetworksExecution_getDuration(e, ANEURALNETWORKS_DURATION_IN_DRIVER, &duration) == 0);
  CHECK(duration != UINT64_MAX);
  CHECK(ANeuralNetworksExecution_getDuration(e, 7, &duration) == kBadData);
  ANeuralNetworksExecution_free(e);
  ANeuralNetworksCompilation_free(single);
  CHECK(ANeuralNetworks_getDefaultLoopTimeout() <= ANeuralNetworks_getMaximumLoopTimeout());
}

TEST_CASE("FL4 memory descriptors allocate an input-sized memory usable with setInputFromMemory") {
  AddModel add;
  ANeuralNetworksCompilation* c = compile(add.m.model());
  ANeuralNetworksMemoryDesc* desc = nullptr;
  REQUIRE(ANeuralNetworksMemoryDesc_create(&desc) == 0);
  CHECK(ANeuralNetworksMemoryDesc_addInputRole(desc, c, 1, 1.0f) == kBadData);  // only input 0 exists
  REQUIRE(ANeuralNetworksMemoryDesc_addInputRole(desc, c, 0, 1.0f) == 0);
  REQUIRE(ANeuralNetworksMemoryDesc_finish(desc) == 0);
  CHECK(ANeuralNetworksMemoryDesc_finish(desc) == kBadState);
  ANeuralNetworksMemory* memory = nullptr;
  REQUIRE(ANeuralNetworksMemory_createFromDesc(desc, &memory) == 0);
  ANeuralNetworksExecution* e = nullptr;
  REQUIRE(ANeuralNetworksExecution_create(c, &e) == 0);
  REQUIRE(ANeuralNetworksExecution_setInputFromMemory(e, 0, nullptr, memory, 0, 8) == 0);  // zero-filled
  float out[2] = {0, 0};
  REQUIRE(ANeuralNetworksExecution_setOutput(e, 0, nullptr, out, 8) == 0);
  REQUIRE(ANeuralNetworksExecution_compute(e) == 0);
  CHECK(out[0] == 10.0f);
  ANeuralNetworksExecution_free(e);
  ANeuralNetworksMemory_free(memory);
  ANeuralNetworksMemoryDesc_free(desc);
  ANeuralNetworksCompilation_free(c);
}
