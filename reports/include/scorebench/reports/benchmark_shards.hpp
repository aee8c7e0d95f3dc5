#pragma once
// The Google Benchmark JSON of a sharded benchmark sweep
// (scorebench_benchmarks --shard=I/N, benchmarks/README.md) joined into what
// one unsharded run writes: shard 0's context without the shard's own keys,
// shard 0's roofs (every shard measures its machine; the first one stands
// for the run), then every other row at its number in the unsharded order
// (the context's scorebench_shard_rows), family_index renumbered in that order.

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace scorebench::reports {

// Whether a JSON document is a Google Benchmark run (it has "benchmarks").
bool is_benchmark_run(const nlohmann::json& doc);

// (file, document) of every shard, in any order. Throws std::invalid_argument
// naming the files: a run that is not a shard, a missing or duplicated shard,
// shards of different sets or row counts, a row that is in two shards or not
// numbered.
nlohmann::json merge_benchmark_shards(const std::vector<std::pair<std::string, nlohmann::json>>& shards);

}  // namespace scorebench::reports
