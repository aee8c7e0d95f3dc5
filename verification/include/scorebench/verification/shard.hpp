#pragma once
// Runs larger than one machine: a sweep split into shards that CI runs as a
// matrix, and the shards' JSON merged back into exactly what one run writes
// (verification/README.md, "Shards").
//
//   scorebench verify --full --shard 2/8 --json shard2.json     (or GTEST_SHARD_INDEX=2 GTEST_TOTAL_SHARDS=8)
//   scorebench merge shard*.json --json verify.json --junit verify.xml

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "scorebench/verification/gate.hpp"

namespace scorebench::verification {

// --shard I/N and GTEST_SHARD_INDEX/GTEST_TOTAL_SHARDS (scorebench/shard.hpp).
using scorebench::parse_shard;
using scorebench::shard_from_environment;

// A scorebench.verify/1 document read back; throws std::invalid_argument
// naming the key and the value that do not fit.
VerifyReport verify_report_from_json(const nlohmann::json& doc);

// The shards of one sweep, each with the file it came from, into the report
// one unsharded run writes: the cases in sweep order, each with its results,
// reference and double checks, the violations in the order the run finds
// them, seconds summed. Throws std::invalid_argument on a missing or
// duplicated shard, or shards of different sweeps, seeds, methods or counts
// (naming the files).
VerifyReport merge_shards(const std::vector<std::pair<std::string, VerifyReport>>& shards);

}  // namespace scorebench::verification
