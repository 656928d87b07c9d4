#include "api/injected_failure.h"

#include <cstdio>
#include <cstdlib>

namespace nnapi_host {
namespace {

constexpr const char* kVariable = "NNAPI_HOST_FAIL";

struct Setting {
  bool model = false;
  bool compilation = false;
};

Setting readSetting() {
  Setting setting;
  const char* value = std::getenv(kVariable);
  if (value == nullptr || *value == '\0') return setting;
  const std::string text = value;
  if (text == "model") {
    setting.model = true;
  } else if (text == "compilation") {
    setting.compilation = true;
  } else {
    std::fprintf(stderr, "nnapi_host: %s=%s is not a stage this library can fail (model or compilation); ignored\n",
                 kVariable, value);
  }
  return setting;
}

}  // namespace

std::string injectedFailure(InjectedFailure stage) {
  static const Setting setting = readSetting();
  const bool model = stage == InjectedFailure::Model;
  if (!(model ? setting.model : setting.compilation)) return "";
  return std::string("refused as asked by ") + kVariable + "=" + (model ? "model" : "compilation") +
         " (a test hook of the desktop NNAPI)";
}

}  // namespace nnapi_host
