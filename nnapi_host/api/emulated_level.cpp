#include "api/emulated_level.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace nnapi_host {
namespace {

constexpr const char* kVariable = "NNAPI_HOST_FEATURE_LEVEL";

struct Emulation {
  int level = nnapi_rules::kNewestFeatureLevel;
  std::string setting;  // "NNAPI_HOST_FEATURE_LEVEL=1" when the variable chose the level
};

Emulation readEmulation() {
  Emulation emulation;
  const char* value = std::getenv(kVariable);
  if (value == nullptr || *value == '\0') return emulation;
  const int count = nnapi_rules::featureLevelNumber(nnapi_rules::kNewestFeatureLevel);
  if (std::strlen(value) == 1 && value[0] >= '1' && value[0] < '1' + count) {
    emulation.level = nnapi_rules::featureLevelNumbered(value[0] - '0');
    emulation.setting = std::string(kVariable) + "=" + value;
    return emulation;
  }
  std::fprintf(stderr, "nnapi_host: %s=%s is not a feature level this library emulates (1..%d); using %s\n",
               kVariable, value, count, nnapi_rules::describeLevel(emulation.level).c_str());
  return emulation;
}

const Emulation& emulation() {
  static const Emulation e = readEmulation();
  return e;
}

}  // namespace

int emulatedFeatureLevel() { return emulation().level; }

std::string explainVerdict(const nnapi_rules::Verdict& verdict) {
  if (verdict.neededLevel == 0) return verdict.message;
  const Emulation& e = emulation();
  std::string note =
      "; this device emulates feature level " + std::to_string(nnapi_rules::featureLevelNumber(e.level));
  if (!e.setting.empty()) note += " (" + e.setting + ")";
  return verdict.message + note;
}

}  // namespace nnapi_host
