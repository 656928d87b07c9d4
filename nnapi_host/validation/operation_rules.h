// NNAPI's rules for operands and operations (shared/nnapi-reference.md §6, §9, §10, §12), in one place for both
// sides that need them: the desktop NNAPI checks every ANeuralNetworksModel_addOperation with them, and the
// converter's IR checks every operation it emits with the same code, so a converter bug is caught where it is
// made. No kernels, no libtorch, no NNAPI objects: plain descriptions in, a verdict and inferred shapes out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "validation/feature_levels.h"

namespace nnapi_rules {

enum class Lifetime { Temporary, ModelInput, Constant, NoValue };

struct OperandDesc {
  int32_t type = 0;               // OperandCode
  std::vector<uint32_t> dims;     // a 0 extent = unknown; empty for scalars
  float scale = 0.0f;
  int32_t zeroPoint = 0;
  // TENSOR_QUANT8_SYMM_PER_CHANNEL only.
  uint32_t channelDim = 0;
  std::vector<float> channelScales;
  Lifetime lifetime = Lifetime::Temporary;
  const void* value = nullptr;    // constant bytes when lifetime == Constant (scalars, shapes, axes, weights)
  size_t length = 0;
};

struct Verdict {
  bool ok = true;
  std::string message;            // names the operation and the offending operand index when !ok
  // Non-zero when the only objection is the target's feature level: the level needed. `message` then says what
  // needs it ("SUB on TENSOR_FLOAT32 needs Android 9 (API 28, NNAPI feature level 2)"); the caller names the
  // target in its own terms (a device, a converter option).
  int neededLevel = 0;
  static Verdict pass() { return {}; }
  static Verdict fail(std::string m) { return {false, std::move(m)}; }
  static Verdict tooNew(const std::string& what, int level);
};

// Name of an OperationCode ("CONV_2D") or OperandCode ("TENSOR_FLOAT32"); "UNKNOWN(n)" otherwise.
std::string operationName(int32_t op);
std::string operandTypeName(int32_t type);

// Bytes of one element of `type` (0 for MODEL); and of a fully specified operand.
size_t elementSize(int32_t type);
size_t byteSize(const OperandDesc& operand);

// §12.1: a new operand's type, dimensions, scale and zero point, and that `featureLevel` (27..30) has its type.
Verdict validateOperandType(const OperandDesc& operand, int featureLevel = kNewestFeatureLevel);

// §10, §12.3: checks operation `op` with the given operand indices, at `featureLevel` (27..30): counts, types per
// position, ranks, parameter values (read from constant operands), quantization rules, and that the level has
// the operation with these types and options (feature_levels.h). On success fills
// `inferredOutputs` (one per output) with the output type, dims (0 where not yet known), scale and zero point the
// operation produces; a declared output that is fully specified must match them.
Verdict validateOperation(int32_t op, const std::vector<uint32_t>& inputs, const std::vector<uint32_t>& outputs,
                          const std::vector<OperandDesc>& operands, int featureLevel,
                          std::vector<OperandDesc>* inferredOutputs);

// Lowest feature level (27..30) at which `op` with these operands is valid, for the converter to record.
int minimumFeatureLevel(int32_t op, const std::vector<uint32_t>& inputs, const std::vector<uint32_t>& outputs,
                        const std::vector<OperandDesc>& operands);

}  // namespace nnapi_rules
