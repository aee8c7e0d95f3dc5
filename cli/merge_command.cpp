// `scorebench merge`: the JSON of a sharded run joined back into what one
// unsharded run writes: `verify --shard` (verification/README.md, "Shards")
// or `scorebench_benchmarks --shard=I/N` (benchmarks/README.md; Google
// Benchmark JSON, told apart by its "benchmarks" list).
//
//   scorebench merge SHARD.json ... [--json FILE] [--junit FILE]
//
// Exit status: 0 merged, no violation; 1 merged, with violations; 2 a file
// that cannot be read, is neither kind, or shards that do not fit together
// (missing, duplicated, another sweep, seed or method list, row count).

#include <fstream>
#include <iostream>
#include <memory>

#include "command.hpp"
#include "scorebench/reports/benchmark_shards.hpp"
#include "scorebench/reports/json_input.hpp"
#include "scorebench/verification/report_io.hpp"
#include "scorebench/verification/shard.hpp"

namespace scorebench::cli {

namespace {

struct MergeArgs {
  std::vector<std::string> inputs;
  std::string json, junit;
};

int fail(const std::string& message) {
  std::cerr << "scorebench merge: " << message << "\n";
  return 2;
}

// The shards of a benchmark sweep: one Google Benchmark JSON (no JUnit).
int merge_benchmarks(const MergeArgs& a, const std::vector<std::pair<std::string, nlohmann::json>>& docs) {
  if (!a.junit.empty()) return fail("--junit: benchmark runs have no JUnit (they are not a verdict)");
  nlohmann::json merged;
  try {
    merged = reports::merge_benchmark_shards(docs);
  } catch (const std::invalid_argument& e) {
    return fail(e.what());
  }
  if (!a.json.empty()) {
    std::ofstream out(a.json);
    if (!(out << merged.dump(2) << "\n")) return fail("cannot write '" + a.json + "'");
  }
  std::cout << "merged " << docs.size() << " benchmark shards: " << merged["benchmarks"].size() << " entries"
            << (a.json.empty() ? "" : " into " + a.json) << "\n";
  return 0;
}

int run_merge(const MergeArgs& a) {
  namespace v = verification;
  std::vector<std::pair<std::string, nlohmann::json>> docs;
  for (const std::string& file : a.inputs) {
    try {
      docs.emplace_back(file, json_input::read_file(file));
    } catch (const json_input::Unusable& e) {
      return fail(e.what());
    }
  }
  if (!docs.empty() && reports::is_benchmark_run(docs.front().second)) return merge_benchmarks(a, docs);
  std::vector<std::pair<std::string, v::VerifyReport>> shards;
  for (const auto& [file, doc] : docs) {
    try {
      shards.emplace_back(file, v::verify_report_from_json(doc));
    } catch (const std::invalid_argument& e) {
      return fail(file + ": not a scorebench.verify/1 document: " + e.what());
    }
  }
  v::VerifyReport merged;
  try {
    merged = v::merge_shards(shards);
  } catch (const std::invalid_argument& e) {
    return fail(e.what());
  }
  v::print_tables(std::cout, merged);
  if (!a.json.empty()) {
    std::ofstream out(a.json);
    if (!(out << v::to_json(merged, nullptr).dump(1) << "\n")) return fail("cannot write '" + a.json + "'");
  }
  if (!a.junit.empty()) {
    std::ofstream out(a.junit);
    v::write_junit(out, merged, nullptr);
    if (!out) return fail("cannot write '" + a.junit + "'");
  }
  for (const std::string& msg : merged.violations) std::cerr << "VIOLATION " << msg << "\n";
  return merged.ok() ? 0 : 1;
}

}  // namespace

Command add_merge_command(CLI::App& app) {
  auto args = std::make_shared<MergeArgs>();
  CLI::App* cmd = app.add_subcommand(
      "merge", "Join the JSON of a sharded verify run (or benchmark sweep) into one run's JSON (and JUnit)");
  cmd->add_option("inputs", args->inputs,
                  "The shards' JSON (verify --shard I/N --json FILE, or scorebench_benchmarks --shard=I/N), "
                  "every shard once")
      ->required();
  cmd->add_option("--json", args->json, "Write the merged JSON to FILE");
  cmd->add_option("--junit", args->junit, "Write the merged JUnit XML to FILE");
  return {cmd, [args] { return run_merge(*args); }};
}

}  // namespace scorebench::cli
