// What the subcommands share: exit codes, parsing --input shapes, reporting errors for people.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "convert.h"

namespace nnc::cli {

enum ExitCode : int { kOk = 0, kMismatch = 1, kInputError = 2, kUnsupported = 3 };

struct ModelArgs {
  std::string model;
  std::vector<std::string> inputs;  // "1,3,224,224"
  std::string input_layout = "nchw";
  int min_api = kDefaultMinApi;
  bool strict = false;
  std::string preference = kPreferenceNames[2];  // sustained, as PyTorch
  bool relax_fp16 = false;
};

// --input, --input-layout, --min-api, --strict, --preference and --relax-fp16, as convert and verify take them.
void addModelOptions(CLI::App& command, ModelArgs& args);

// Parses the --input shapes and layout; throws InputError for malformed ones.
ConvertOptions toOptions(const ModelArgs& args);

// Prints a conversion failure for people (stderr) and returns its exit code; rethrows anything else.
int reportConversionError(const std::string& model_path, std::exception_ptr error, bool json);

std::string shapeText(const std::vector<int64_t>& shape);

}  // namespace nnc::cli
