// The one map from TorchScript node kinds to lowerings. Each op family registers its kinds in its own file
// (ops/<family>.cpp: `void registerX(Registry&)`), and ops/registry.cpp calls each family once.
#pragma once

#include <initializer_list>
#include <map>
#include <string>
#include <vector>

#include "ops/lowering.h"

namespace nnc {

// A lowering's support question; returns the emitter (see ops/lowering.h).
using LowerFn = Emitter (*)(const LoweringContext&);

class Registry {
 public:
  void add(std::initializer_list<const char*> kinds, LowerFn lower);
  LowerFn find(const std::string& kind) const;
  std::vector<std::string> kinds() const;

 private:
  std::map<std::string, LowerFn> lowerings_;
};

// Every lowering the converter has.
const Registry& registry();

struct Support {
  bool ok = true;
  std::string reason;  // why not, for people
  Emitter emit;        // when ok: emits the node, with what the question parsed (the question is asked once)
};

// Can ctx's node be lowered at ctx's feature level? No side effect on the IR.
Support supports(const LoweringContext& ctx);

}  // namespace nnc
