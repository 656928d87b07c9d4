// The objects behind the NNAPI C API's opaque handles. The C header declares them as incomplete structs in the
// global namespace; they are defined here with the state each API function needs.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "executor/graph.h"
#include "executor/plan.h"
#include "nnapi/NeuralNetworks.h"

struct ANeuralNetworksDevice {
  const char* name;
  const char* version;
  int64_t featureLevel;
};

struct ANeuralNetworksMemory {
  uint8_t* data = nullptr;  // first byte of the region the client named
  size_t size = 0;
  int protect = 0;          // PROT_READ | PROT_WRITE bits
  void* mapBase = nullptr;  // mmap'ed range (page-aligned), when created from a file descriptor
  size_t mapLength = 0;
  int fd = -1;                 // our dup of the client's descriptor
  std::vector<uint8_t> owned;  // memory created from a MemoryDesc
  ~ANeuralNetworksMemory();
};

// A handle that other handles made from it keep using after the client may have freed it: a compilation uses its
// model, an execution or a burst its compilation (freeing a model or compilation while they live is allowed by
// the client's code and must not leave them dangling). Such an object lives in a shared_ptr; `clientRef` is the
// client's reference, dropped by its _free (nnapi_host::releaseClientRef), and the object goes with the last one.
template <typename T>
struct SharedHandle {
  std::shared_ptr<T> clientRef;
};

struct ANeuralNetworksModel : SharedHandle<ANeuralNetworksModel> {
  nnapi_host::Graph graph;  // operands as declared by the client
  // The same operands with dimensions refined by shape inference at each addOperation, so later operations are
  // validated against what earlier ones produce. Declared shapes stay untouched (they decide setOutput rules).
  std::vector<nnapi_rules::OperandDesc> refined;
  std::deque<std::vector<uint8_t>> copiedValues;  // small constants (deque: elements never move)
  std::vector<bool> valueSet;
  bool finished = false;
  bool invalid = false;  // finish failed: the model cannot be compiled
};

struct ANeuralNetworksCompilation : SharedHandle<ANeuralNetworksCompilation> {
  std::shared_ptr<const ANeuralNetworksModel> model;
  int32_t preference = ANEURALNETWORKS_PREFER_FAST_SINGLE_ANSWER;
  int32_t priority = ANEURALNETWORKS_PRIORITY_DEFAULT;
  bool forSingleDevice = false;  // createForDevices with one device: timeouts and timing allowed
  // setCaching: where finish reads and writes the cached plan (api/compilation_cache.h); empty = no caching.
  std::string cacheDir;
  std::array<uint8_t, 32> cacheToken{};
  bool finished = false;
  // Built at finish when every model input shape is known; otherwise per execution.
  std::shared_ptr<const nnapi_host::Plan> plan;
};

struct ANeuralNetworksExecution {
  struct Slot {
    bool set = false;
    void* data = nullptr;
    size_t length = 0;
    std::vector<uint32_t> dims;  // resolved shape (declared, completed by the type given to setInput/setOutput)
    bool dimsOverridden = false;
  };
  enum class State { Preparing, Completed };

  std::shared_ptr<const ANeuralNetworksCompilation> compilation;
  std::vector<Slot> inputs, outputs;
  State state = State::Preparing;
  int result = ANEURALNETWORKS_NO_ERROR;
  std::vector<std::vector<uint32_t>> outputDims;
  std::vector<bool> outputSufficient;
  bool measureTiming = false;
  uint64_t durationNs = UINT64_MAX;
};

struct ANeuralNetworksEvent {
  int result = ANEURALNETWORKS_NO_ERROR;  // executions run synchronously: an event is born signalled
};

struct ANeuralNetworksBurst {
  std::shared_ptr<const ANeuralNetworksCompilation> compilation;
};

struct ANeuralNetworksMemoryDesc {
  struct Role {
    const ANeuralNetworksCompilation* compilation;
    bool input;
    uint32_t index;
  };
  std::vector<Role> roles;
  nnapi_rules::OperandDesc operand;  // from the first role, dims refined by later roles and setDimensions
  bool hasOperand = false;
  bool finished = false;
};

namespace nnapi_host {

const ANeuralNetworksDevice& cpuDevice();

// A new SharedHandle object, with the client's reference.
template <typename T>
T* createShared() {
  auto object = std::make_shared<T>();
  object->clientRef = object;
  return object.get();
}

// The client's _free of a SharedHandle: deletes it unless another handle still uses it (NULL is ignored).
template <typename T>
void releaseClientRef(T* handle) {
  if (handle == nullptr) return;
  const std::shared_ptr<T> last = std::move(handle->clientRef);  // may destroy *handle when `last` goes
}

// The executor's run of a prepared execution (shared by compute, startCompute and burstCompute).
int runExecution(ANeuralNetworksExecution* execution, const char* function);

}  // namespace nnapi_host
