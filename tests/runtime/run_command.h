// Runs a shell command for a test and returns its standard output; `status` gets its exit code (-1 when it did
// not exit normally).
#pragma once

#include <string>

namespace nnc_test {

std::string runCommand(const std::string& command, int& status);

}  // namespace nnc_test
