// nnapi-convert: TorchScript -> NNAPI converter. See README.md for the commands and exit codes.
#include <algorithm>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include <malloc.h>

#include <ATen/Context.h>

#include "cli_common.h"
#include "commands.h"

namespace {

// `convert` is the default command: `nnapi-convert model.pt --input 1,3,224,224` is `nnapi-convert convert ...`.
std::vector<std::string> withDefaultCommand(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  static const char* const kNotAModel[] = {"convert", "verify", "inspect", "--help", "-h", "--version"};
  if (!args.empty() && std::none_of(std::begin(kNotAModel), std::end(kNotAModel),
                                    [&](const char* word) { return args[0] == word; })) {
    args.insert(args.begin(), "convert");
  }
  std::reverse(args.begin(), args.end());  // CLI11 takes the arguments last first
  return args;
}

}  // namespace

int main(int argc, char** argv) {
  // Weights (hundreds of MB) are allocated and freed one after another while converting (folded, then moved into
  // NNAPI's layout: frontend/moved_weights.h). glibc raises its mmap threshold after each large free, after which
  // such blocks come from the heap and, freed, stay in the process: a fixed threshold gives each large block back
  // when it is freed (ResNet50's conversion peak: 305 MB -> 284 MB, with no measurable cost in time).
  mallopt(M_MMAP_THRESHOLD, 256 * 1024);
  // PyTorch Mobile on Android runs quantized models with QNNPACK: unpack their weights and compute verify's
  // reference with it too (x86's default engine even refuses some models QNNPACK runs).
  for (const at::QEngine engine : at::globalContext().supportedQEngines()) {
    if (engine == at::QEngine::QNNPACK) at::globalContext().setQEngine(engine);
  }
  CLI::App app{"nnapi-convert: converts TorchScript models to run on Android's Neural Networks API"};
  app.footer("Example: nnapi-convert model.pt --input 1,3,224,224\n"
             "  converts model.pt (traced or scripted) for Android 10 and later and writes model.nnapi.pt;\n"
             "  `nnapi-convert verify model.pt --input 1,3,224,224` checks it against PyTorch on this machine.");
  app.set_version_flag("--version", "nnapi-convert " NNAPI_CONVERT_VERSION);
  app.require_subcommand(1);
  const nnc::cli::Command commands[] = {nnc::cli::addConvertCommand(app), nnc::cli::addVerifyCommand(app),
                                        nnc::cli::addInspectCommand(app)};
  try {
    std::vector<std::string> args = withDefaultCommand(argc, argv);
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    if (code == 0) return nnc::cli::kOk;  // --help, --version
    if (std::find(argv + 1, argv + argc, std::string("--json")) != argv + argc) {
      nnc::cli::printErrorJson("usage", e.what());
    }
    return nnc::cli::kInputError;
  }
  const auto chosen = app.get_subcommands();
  const auto all = app.get_subcommands({});
  for (size_t i = 0; i < all.size(); ++i) {
    if (all[i] == chosen.at(0)) {
      try {
        return commands[i]();
      } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << "\n";
        return nnc::cli::kInputError;
      }
    }
  }
  return nnc::cli::kInputError;
}
