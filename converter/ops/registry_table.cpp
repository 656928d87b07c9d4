#include "ops/registry.h"

namespace nnc {

void Registry::add(std::initializer_list<const char*> kinds, LowerFn lower) {
  for (const char* kind : kinds) lowerings_[kind] = lower;
}

LowerFn Registry::find(const std::string& kind) const {
  auto it = lowerings_.find(kind);
  return it == lowerings_.end() ? nullptr : it->second;
}

Support supports(const LoweringContext& ctx) {
  const LowerFn lowering = registry().find(ctx.node().kind);
  if (!lowering) return {false, "no lowering to NNAPI for this op"};
  try {
    return {true, "", lowering(ctx)};
  } catch (const Unsupported& e) {
    return {false, e.what(), {}};
  } catch (const std::exception& e) {
    // Any other failure of the question is still one op's reason to stay on the CPU, reported with the others,
    // not the end of the conversion.
    return {false, std::string("the lowering cannot take this op: ") + e.what(), {}};
  }
}

std::vector<std::string> Registry::kinds() const {
  std::vector<std::string> all;
  for (const auto& [kind, lower] : lowerings_) all.push_back(kind);
  return all;
}

}  // namespace nnc
