// The subcommands of nnapi-convert; each adds itself to the CLI and returns its exit code when run.
#pragma once

#include <functional>

#include <CLI/CLI.hpp>

namespace nnc::cli {

using Command = std::function<int()>;

Command addConvertCommand(CLI::App& app);
Command addVerifyCommand(CLI::App& app);
Command addInspectCommand(CLI::App& app);

}  // namespace nnc::cli
