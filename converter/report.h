// What a conversion did, for people (`convert`'s summary) and machines (`convert --json`, and the report stored in
// the converted module that `inspect --json` prints): partitions with their NNAPI operations, the share of the
// model's multiply-adds on NNAPI, every op left on the CPU with where it is and why.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "convert.h"

namespace nnc {

nlohmann::json reportJson(const ConvertedModel& converted);

// The summary `convert` prints, from a report made by reportJson (so `inspect` can print it for a saved module).
std::string summaryText(const nlohmann::json& report);

}  // namespace nnc
