// nnapi-convert: TorchScript -> NNAPI converter. See README.md for the commands and exit codes.
#include <iostream>

#include "cli_common.h"
#include "commands.h"

int main(int argc, char** argv) {
  CLI::App app{"nnapi-convert: converts TorchScript models to run on Android's Neural Networks API"};
  app.set_version_flag("--version", "nnapi-convert " NNAPI_CONVERT_VERSION);
  app.require_subcommand(1);
  const nnc::cli::Command commands[] = {nnc::cli::addConvertCommand(app), nnc::cli::addVerifyCommand(app),
                                        nnc::cli::addInspectCommand(app)};
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? nnc::cli::kOk : nnc::cli::kInputError;
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
