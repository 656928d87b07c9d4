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

// One --input: comma-separated positive integers and nothing else; throws InputError naming what is wrong.
std::vector<int64_t> parseShape(const std::string& text);

// Parses the --input shapes and layout; throws InputError for malformed ones.
ConvertOptions toOptions(const ModelArgs& args);

// Prints a failure for people (stderr; with `json` also as {"error", "message"} on stdout), naming `model_path`,
// without libtorch's backtrace, and returns its exit code: kUnsupported for --strict's refusal, else kInputError.
int reportConversionError(const std::string& model_path, std::exception_ptr error, bool json);

// {"error": kind, "message": message} on stdout: what --json prints instead of a result.
void printErrorJson(const std::string& kind, const std::string& message);

// Option checks that run on the text as given, so nothing is clamped or wrapped on conversion: an int64 written in
// full (out of range is an error, not INT64_MAX), and a finite number >= 0 (no nan, inf or negative tolerance).
CLI::Validator wholeInt64();
CLI::Validator finiteNonNegative();

std::string shapeText(const std::vector<int64_t>& shape);

}  // namespace nnc::cli
