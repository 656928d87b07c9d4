// nnapi-convert convert MODEL.pt -o OUT.pt --input SHAPE...
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>

#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "cli_common.h"
#include "commands.h"
#include "report.h"
#include "validation/feature_levels.h"

namespace nnc::cli {
namespace {

// Saves through a temporary file in the destination's directory and renames it into place, so OUT is either the
// complete new model or untouched.
// Where `output` really writes, checked before any work: through a symlink to its target; never a directory, a
// special file (a device such as /dev/null, a FIFO) or the input model itself.
std::filesystem::path checkedOutputPath(const std::string& output, const std::string& model) {
  namespace fs = std::filesystem;
  std::error_code error;
  if (output.empty() || output.back() == '/' || fs::is_directory(output, error)) {
    throw InputError(output + ": is a directory; give the output file's name (-o DIR/model.nnapi.pt)");
  }
  fs::path target = output;
  for (int links = 0; fs::is_symlink(target, error); ++links) {
    if (links == 40) throw InputError(output + ": too many levels of symbolic links");
    const fs::path next = fs::read_symlink(target, error);
    if (error) throw InputError(output + ": cannot read the symbolic link (" + error.message() + ")");
    target = next.is_absolute() ? next : target.parent_path() / next;
  }
  if (fs::exists(target, error) && !fs::is_regular_file(target, error)) {
    throw InputError(output + ": is not a regular file (a device, FIFO or socket); nnapi-convert writes models to "
                              "regular files only");
  }
  if (fs::exists(target, error) && fs::exists(model, error) && fs::equivalent(target, model, error)) {
    throw InputError(output + ": is the input model; choose another output file");
  }
  const fs::path dir = target.has_parent_path() ? target.parent_path() : ".";
  if (!fs::is_directory(dir, error)) throw InputError(output + ": directory " + dir.string() + " does not exist");
  return target;
}

void saveAtomically(torch::jit::Module& module, const std::filesystem::path& target) {
  const std::filesystem::path dir = target.has_parent_path() ? target.parent_path() : ".";
  const std::string path = target.string();
  // A short temporary name: the output's own name may be near the 255-byte limit.
  std::string temp = (dir / ".nnapi-convert.XXXXXX").string();
  const int fd = mkstemp(temp.data());
  if (fd < 0) throw InputError(path + ": cannot create a file in " + dir.string() + " (" + std::strerror(errno) + ")");
  // mkstemp creates the file 0600; the output gets the mode any new file of the user's gets (0666 less umask), so
  // CI steps under other accounts can read it.
  const mode_t umask_bits = umask(0);
  umask(umask_bits);
  fchmod(fd, 0666 & ~umask_bits);
  close(fd);
  try {
    module.save(temp);
    std::filesystem::rename(temp, target);
  } catch (...) {
    std::remove(temp.c_str());
    throw;
  }
}

// model.pt -> model.nnapi.pt in the same directory.
std::string defaultOutputPath(const std::string& model) {
  std::filesystem::path path(model);
  return (path.parent_path() / (path.stem().string() + ".nnapi.pt")).string();
}

}  // namespace

Command addConvertCommand(CLI::App& app) {
  auto args = std::make_shared<ModelArgs>();
  auto output = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  auto no_cpu_fallback = std::make_shared<bool>(false);
  auto format = std::make_shared<std::string>(formatName(TargetFormat::Flatbuffer));
  CLI::App* cmd = app.add_subcommand("convert", "Convert a TorchScript model to a TorchScript module running on NNAPI");
  cmd->add_option("model", args->model, "TorchScript model file (traced or scripted)")->required();
  cmd->add_option("-o,--output", *output, "Where to write the converted module (default: next to MODEL, as "
                                          "MODEL's name with .nnapi.pt)");
  addModelOptions(*cmd, *args);
  cmd->add_flag("--no-cpu-fallback", *no_cpu_fallback,
                "Leave out each NNAPI partition's CPU copy: where NNAPI cannot run it (no NNAPI library, an older "
                "device, a model the device refuses) forward raises the reason instead of running it on the CPU");
  cmd->add_flag("--json", *json, "Print the result as JSON");
  cmd->add_option("--format", *format,
                  "flatbuffer (default: runs with libnnapi_runtime.so) or pytorch-nnapi (runs in stock PyTorch "
                  "through torch.classes._nnapi; per-channel quantized layers stay on the CPU)");

  return [args, output, json, no_cpu_fallback, format]() -> int {
    if (output->empty()) *output = defaultOutputPath(args->model);
    std::filesystem::path target;
    ConvertedModel converted;
    try {
      ConvertOptions options = toOptions(*args);
      options.cpu_fallback = !*no_cpu_fallback;
      const std::optional<TargetFormat> target_format = parseFormat(*format);
      if (!target_format) throw InputError("--format must be flatbuffer or pytorch-nnapi, got '" + *format + "'");
      options.format = *target_format;
      target = checkedOutputPath(*output, args->model);
      converted = convertModule(loadModule(args->model), args->model, options);
    } catch (const std::exception&) {
      return reportConversionError(args->model, std::current_exception(), *json);
    }
    // Before wrapping: that frees the partitions' constants, and a rule that reads a constant operand (BATCH_MATMUL's
    // adj flags, RESIZE_BILINEAR's align_corners) can then no longer tell the feature level the operation needs.
    nlohmann::json report = reportJson(converted);
    try {
      torch::jit::Module wrapped = wrapConverted(converted);
      saveAtomically(wrapped, target);
    } catch (const std::exception&) {
      return reportConversionError(*output, std::current_exception(), *json);
    }
    if (*json) {
      report["output"] = *output;
      std::cout << report.dump(2) << "\n";
    } else {
      std::cout << "wrote " << *output << " (for " << nnapi_rules::describeLevel(converted.feature_level)
                << " and later): " << summaryText(report);
    }
    return kOk;
  };
}

}  // namespace nnc::cli
