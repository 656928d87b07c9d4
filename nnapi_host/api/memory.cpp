// Memory objects: mmap'ed file descriptors (FL1), and FL4 memory descriptors with driver-allocated memory (here a
// plain byte buffer) and copies between memories.
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "api/api_util.h"
#include "api/objects.h"

using nnapi_host::fail;

ANeuralNetworksMemory::~ANeuralNetworksMemory() {
  if (mapBase) munmap(mapBase, mapLength);
  if (fd >= 0) close(fd);
}

namespace {

// "" when `size` bytes at `offset` lie inside the file behind `fd`, else why not. Pages mapped past the end of a
// file fault (SIGBUS) when touched, so such a memory is refused here rather than crashing a later read. Only regular
// files (and memfd/shm objects, which are regular) have a size to check; mmap judges anything else.
std::string checkRangeInFile(int fd, size_t size, size_t offset) {
  struct stat st {};
  if (fstat(fd, &st) != 0) return "cannot stat file descriptor " + std::to_string(fd) + ": " + std::strerror(errno);
  if (!S_ISREG(st.st_mode)) return {};
  const size_t fileSize = size_t(st.st_size);
  if (offset > fileSize || size > fileSize - offset)
    return "size " + std::to_string(size) + " at offset " + std::to_string(offset) + " reaches past the end of the " +
           std::to_string(fileSize) + "-byte file";
  return {};
}

}  // namespace

extern "C" {

int ANeuralNetworksMemory_createFromFd(size_t size, int protect, int fd, size_t offset,
                                       ANeuralNetworksMemory** memory) {
  NNAPI_REQUIRE_NONNULL(memory);
  *memory = nullptr;
  if (size == 0) return fail(ANEURALNETWORKS_BAD_DATA, __func__, "size is 0");
  if (fd < 0) return fail(ANEURALNETWORKS_BAD_DATA, __func__, "invalid file descriptor " + std::to_string(fd));
  if ((protect & ~(PROT_READ | PROT_WRITE)) != 0)
    return fail(ANEURALNETWORKS_BAD_DATA, __func__,
                "protect " + std::to_string(protect) + " is not a combination of PROT_READ and PROT_WRITE");
  return nnapi_host::guarded(__func__, [&](const char* fn) {
    const std::string outside = checkRangeInFile(fd, size, offset);
    if (!outside.empty()) return fail(ANEURALNETWORKS_BAD_DATA, fn, outside);
    auto m = std::make_unique<ANeuralNetworksMemory>();
    m->fd = dup(fd);
    if (m->fd < 0) return fail(ANEURALNETWORKS_BAD_DATA, fn, "cannot dup file descriptor " + std::to_string(fd));
    // mmap needs a page-aligned offset: map from the page holding `offset` and point past the head.
    const size_t page = size_t(sysconf(_SC_PAGESIZE));
    const size_t head = offset % page;
    m->mapLength = size + head;
    void* base = mmap(nullptr, m->mapLength, protect, MAP_SHARED, m->fd, off_t(offset - head));
    if (base == MAP_FAILED)
      return fail(ANEURALNETWORKS_UNMAPPABLE, fn,
                  "mmap of " + std::to_string(size) + " bytes at offset " + std::to_string(offset) +
                      " failed: " + std::strerror(errno));
    m->mapBase = base;
    m->data = static_cast<uint8_t*>(base) + head;
    m->size = size;
    m->protect = protect;
    *memory = m.release();
    return int(ANEURALNETWORKS_NO_ERROR);
  });
}

int ANeuralNetworksMemory_createFromAHardwareBuffer(const AHardwareBuffer* ahwb, ANeuralNetworksMemory** memory) {
  NNAPI_REQUIRE_NONNULL(ahwb);
  NNAPI_REQUIRE_NONNULL(memory);
  *memory = nullptr;
  return fail(ANEURALNETWORKS_BAD_DATA, __func__, "AHardwareBuffer exists only on Android");
}

void ANeuralNetworksMemory_free(ANeuralNetworksMemory* memory) { delete memory; }

int ANeuralNetworksMemoryDesc_create(ANeuralNetworksMemoryDesc** desc) {
  NNAPI_REQUIRE_NONNULL(desc);
  return nnapi_host::guarded(__func__, [&](const char* fn) {
    *desc = new ANeuralNetworksMemoryDesc();
    return int(ANEURALNETWORKS_NO_ERROR);
  });
}

void ANeuralNetworksMemoryDesc_free(ANeuralNetworksMemoryDesc* desc) { delete desc; }

}  // extern "C"

namespace {

// Refines `dims` with `other` (0 = unknown); false when two known extents differ or ranks differ.
bool mergeDims(std::vector<uint32_t>& dims, const std::vector<uint32_t>& other) {
  if (other.empty()) return true;
  if (dims.empty()) {
    dims = other;
    return true;
  }
  if (dims.size() != other.size()) return false;
  for (size_t k = 0; k < dims.size(); ++k) {
    if (other[k] == 0) continue;
    if (dims[k] != 0 && dims[k] != other[k]) return false;
    dims[k] = other[k];
  }
  return true;
}

int addRole(ANeuralNetworksMemoryDesc* desc, const ANeuralNetworksCompilation* compilation, uint32_t index,
            float frequency, bool input, const char* function) {
  if (desc->finished) return fail(ANEURALNETWORKS_BAD_STATE, function, "the descriptor is finished");
  if (!compilation->finished) return fail(ANEURALNETWORKS_BAD_STATE, function, "the compilation is not finished");
  const nnapi_host::Graph& graph = compilation->model->graph;
  const std::vector<uint32_t>& list = input ? graph.inputs : graph.outputs;
  if (index >= list.size())
    return fail(ANEURALNETWORKS_BAD_DATA, function,
                (input ? "input " : "output ") + std::to_string(index) + " does not exist (the model has " +
                    std::to_string(list.size()) + ")");
  if (!(frequency > 0.0f && frequency <= 1.0f))
    return fail(ANEURALNETWORKS_BAD_DATA, function, "frequency must be in (0, 1], got " + std::to_string(frequency));
  for (const auto& role : desc->roles)
    if (role.compilation == compilation && role.input == input && role.index == index)
      return fail(ANEURALNETWORKS_BAD_DATA, function, "the same role was added twice");
  const nnapi_rules::OperandDesc& operand = graph.operands[list[index]];
  if (!desc->hasOperand) {
    desc->operand = operand;
    desc->hasOperand = true;
  } else if (desc->operand.type != operand.type || desc->operand.scale != operand.scale ||
             desc->operand.zeroPoint != operand.zeroPoint || !mergeDims(desc->operand.dims, operand.dims)) {
    return fail(ANEURALNETWORKS_BAD_DATA, function, "the role's operand is incompatible with earlier roles");
  }
  desc->roles.push_back({compilation, input, index});
  return ANEURALNETWORKS_NO_ERROR;
}

}  // namespace

extern "C" {

int ANeuralNetworksMemoryDesc_addInputRole(ANeuralNetworksMemoryDesc* desc,
                                           const ANeuralNetworksCompilation* compilation, uint32_t index,
                                           float frequency) {
  NNAPI_REQUIRE_NONNULL(desc);
  NNAPI_REQUIRE_NONNULL(compilation);
  return nnapi_host::guarded(__func__,
                             [&](const char* fn) { return addRole(desc, compilation, index, frequency, true, fn); });
}

int ANeuralNetworksMemoryDesc_addOutputRole(ANeuralNetworksMemoryDesc* desc,
                                            const ANeuralNetworksCompilation* compilation, uint32_t index,
                                            float frequency) {
  NNAPI_REQUIRE_NONNULL(desc);
  NNAPI_REQUIRE_NONNULL(compilation);
  return nnapi_host::guarded(__func__,
                             [&](const char* fn) { return addRole(desc, compilation, index, frequency, false, fn); });
}

int ANeuralNetworksMemoryDesc_setDimensions(ANeuralNetworksMemoryDesc* desc, uint32_t rank,
                                            const uint32_t* dimensions) {
  NNAPI_REQUIRE_NONNULL(desc);
  if (rank > 0) NNAPI_REQUIRE_NONNULL(dimensions);
  if (desc->finished) return fail(ANEURALNETWORKS_BAD_STATE, __func__, "the descriptor is finished");
  if (!desc->hasOperand) return fail(ANEURALNETWORKS_BAD_STATE, __func__, "no role has been added yet");
  return nnapi_host::guarded(__func__, [&](const char* fn) {
    if (!mergeDims(desc->operand.dims, std::vector<uint32_t>(dimensions, dimensions + rank)))
      return fail(ANEURALNETWORKS_BAD_DATA, fn, "dimensions conflict with the roles' operand shape");
    return int(ANEURALNETWORKS_NO_ERROR);
  });
}

int ANeuralNetworksMemoryDesc_finish(ANeuralNetworksMemoryDesc* desc) {
  NNAPI_REQUIRE_NONNULL(desc);
  if (desc->finished) return fail(ANEURALNETWORKS_BAD_STATE, __func__, "finish called twice");
  if (desc->roles.empty()) return fail(ANEURALNETWORKS_BAD_DATA, __func__, "no role was added");
  desc->finished = true;
  return ANEURALNETWORKS_NO_ERROR;
}

int ANeuralNetworksMemory_createFromDesc(const ANeuralNetworksMemoryDesc* desc, ANeuralNetworksMemory** memory) {
  NNAPI_REQUIRE_NONNULL(desc);
  NNAPI_REQUIRE_NONNULL(memory);
  *memory = nullptr;
  if (!desc->finished) return fail(ANEURALNETWORKS_BAD_STATE, __func__, "the descriptor is not finished");
  const size_t bytes = nnapi_rules::byteSize(desc->operand);
  if (desc->operand.dims.empty() || bytes == 0)
    return fail(ANEURALNETWORKS_BAD_DATA, __func__, "the shape is not fully known (use setDimensions)");
  return nnapi_host::guarded(__func__, [&](const char* fn) {
    auto m = std::make_unique<ANeuralNetworksMemory>();
    m->owned.assign(bytes, 0);
    m->data = m->owned.data();
    m->size = bytes;
    m->protect = PROT_READ | PROT_WRITE;
    *memory = m.release();
    return int(ANEURALNETWORKS_NO_ERROR);
  });
}

int ANeuralNetworksMemory_copy(const ANeuralNetworksMemory* src, const ANeuralNetworksMemory* dst) {
  NNAPI_REQUIRE_NONNULL(src);
  NNAPI_REQUIRE_NONNULL(dst);
  if (src->size != dst->size)
    return fail(ANEURALNETWORKS_BAD_DATA, __func__,
                "sizes differ: " + std::to_string(src->size) + " vs " + std::to_string(dst->size));
  if (!(src->protect & PROT_READ) || !(dst->protect & PROT_WRITE))
    return fail(ANEURALNETWORKS_BAD_DATA, __func__, "source must be readable and destination writable");
  std::memmove(dst->data, src->data, src->size);
  return ANEURALNETWORKS_NO_ERROR;
}

}  // extern "C"
