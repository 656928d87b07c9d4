// validateOperation / prepareOperation / minimumFeatureLevel: look up the operation's rule, run it, then apply the
// checks common to every operation (declared outputs vs inferred ones, feature level).
#include <memory>

#include "validation/op_check.h"

namespace nnapi_rules {
namespace {

const detail::RuleTable& table() {
  static const std::unique_ptr<detail::RuleTable> t = [] {
    auto made = std::make_unique<detail::RuleTable>();
    detail::registerElementwiseRules(*made);
    detail::registerActivationRules(*made);
    detail::registerConvRules(*made);
    detail::registerPoolRules(*made);
    detail::registerFullyConnectedRules(*made);
    detail::registerShapeRules(*made);
    detail::registerReduceRules(*made);
    detail::registerSlicePadRules(*made);
    detail::registerResizeRules(*made);
    detail::registerQuantizeRules(*made);
    detail::registerSplitShuffleRules(*made);
    detail::registerGatherTileRules(*made);
    detail::registerDepthSpaceRules(*made);
    detail::registerInstanceNormRules(*made);
    detail::registerBatchMatmulRules(*made);
    detail::registerSequenceLstmRules(*made);
    return made;
  }();
  return *t;
}

// A declared output extent that is known must agree with the inferred one; unknown inferred extents take the
// declared value (they are then re-checked at execution, when inputs are known).
void mergeDeclaredShape(detail::OpCheck& c, size_t o) {
  const OperandDesc& declared = c.declaredOut(o);
  OperandDesc& inferred = c.out(o);
  if (declared.dims.empty()) return;
  if (inferred.dims.empty()) {
    inferred.dims = declared.dims;
    return;
  }
  if (inferred.dims.size() != declared.dims.size())
    c.failOutput(o, "declared shape " + detail::dimsToString(declared.dims) + " has rank " +
                        std::to_string(declared.dims.size()) + ", the operation produces " +
                        detail::dimsToString(inferred.dims));
  for (size_t k = 0; k < inferred.dims.size(); ++k) {
    if (declared.dims[k] == 0) continue;
    if (inferred.dims[k] == 0)
      inferred.dims[k] = declared.dims[k];
    else if (inferred.dims[k] != declared.dims[k])
      c.failOutput(o, "declared shape " + detail::dimsToString(declared.dims) + " but the operation produces " +
                          detail::dimsToString(inferred.dims));
  }
}

// Runs the rule and the checks every operation shares; `neededLevel` gets the level the operation needs even when
// that is above `featureLevel`.
Verdict runRule(int32_t op, const std::vector<uint32_t>& inputs, const std::vector<uint32_t>& outputs,
                const std::vector<OperandDesc>& operands, int featureLevel, std::vector<OperandDesc>* inferredOutputs,
                OpParams* params, int* neededLevel) {
  const std::string name = operationName(op);
  if (!hasRule(op)) return Verdict::fail(name + ": operation is not supported by nnapi_host");
  for (uint32_t i : inputs)
    if (i >= operands.size())
      return Verdict::fail(name + ": input operand index " + std::to_string(i) + " is out of range");
  for (uint32_t i : outputs)
    if (i >= operands.size())
      return Verdict::fail(name + ": output operand index " + std::to_string(i) + " is out of range");
  detail::OpCheck check(op, inputs, outputs, operands);
  OpParams localParams;
  try {
    table().rules[op](check, params ? *params : localParams);
    check.checkOmittedInputs();
    for (size_t o = 0; o < outputs.size(); ++o) mergeDeclaredShape(check, o);
  } catch (const detail::RuleFailure& failure) {
    return Verdict::fail(failure.message);
  }
  check.needOperandTypeLevels();
  if (neededLevel) *neededLevel = check.level();
  if (check.level() > featureLevel) return Verdict::tooNew(check.levelReason(), check.level());
  if (inferredOutputs) *inferredOutputs = std::move(check.inferredOutputs());
  return Verdict::pass();
}

}  // namespace

bool hasRule(int32_t op) { return op >= 0 && op < 128 && table().rules[op] != nullptr; }

Verdict prepareOperation(int32_t op, const std::vector<uint32_t>& inputs, const std::vector<uint32_t>& outputs,
                         const std::vector<OperandDesc>& operands, int featureLevel,
                         std::vector<OperandDesc>* inferredOutputs, OpParams* params) {
  return runRule(op, inputs, outputs, operands, featureLevel, inferredOutputs, params, nullptr);
}

Verdict validateOperation(int32_t op, const std::vector<uint32_t>& inputs, const std::vector<uint32_t>& outputs,
                          const std::vector<OperandDesc>& operands, int featureLevel,
                          std::vector<OperandDesc>* inferredOutputs) {
  return prepareOperation(op, inputs, outputs, operands, featureLevel, inferredOutputs, nullptr);
}

int minimumFeatureLevel(int32_t op, const std::vector<uint32_t>& inputs, const std::vector<uint32_t>& outputs,
                        const std::vector<OperandDesc>& operands) {
  int level = 0;
  const Verdict verdict =
      runRule(op, inputs, outputs, operands, kNewestFeatureLevel, nullptr, nullptr, &level);
  return verdict.ok ? level : 0;
}

}  // namespace nnapi_rules
