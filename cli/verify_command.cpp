// `scorebench verify`: the CI correctness gate (verification/README.md).
//
//   scorebench verify [--quick|--full|--small] [--method M ...] [--json FILE]
//                     [--junit FILE] [--seed S | --seeds A..B | --case ID] [--mutants]
//                     [--external [NAME=]COMMAND ...] [--external-timeout SECONDS]
//
// Exit status: 0 every method within its contract (and, with --mutants,
// every mutant rejected), 1 a violation (or a surviving mutant, or a fault
// of an external implementation), 2 a usage error.

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>

#include "command.hpp"
#include "external_args.hpp"
#include "scorebench/mutants.hpp"
#include "scorebench/registry.hpp"
#include "scorebench/verification/gate.hpp"
#include "scorebench/verification/report_io.hpp"
#include "scorebench/verification/seed_sweep.hpp"
#include "scorebench/verification/shard.hpp"

namespace scorebench::cli {

namespace {

struct VerifyArgs {
  bool quick = false, full = false, small = false, mutants = false, require_coverage = false;
  std::vector<std::string> methods;
  std::vector<std::string> externals;  // [NAME=]COMMAND
  double external_timeout = verification::ExternalOptions{}.timeout_seconds;
  std::string json, junit, case_id;
  std::string seed = std::to_string(verification::VerifyOptions{}.seed);
  std::string seeds;  // "A..B"
  std::string shard;  // "I/N"
};

// Seeds are whole numbers 0 … 2⁶⁴ − 1 written in decimal: "-1", "", "1e3",
// "0x10" and "18446744073709551616" are refused (CLI11 would wrap a negative
// number into a uint64).
std::optional<std::uint64_t> parse_seed(const std::string& text) {
  return verification::parse_whole_number(text);
}

// The largest seed range one command takes (the small sweep runs about 300
// seeds a minute on one core here: a million seeds is a week).
constexpr std::uint64_t kMaxSeeds = 1000000;

int usage(const std::string& message) {
  std::cerr << "scorebench verify: " << message << "\n";
  return 2;
}

void print_seed_summary(const verification::SeedSummary& s) {
  std::printf("seed %llu: %zu cases, %zu evaluations, %zu gated blocks, %zu violations, worst ratio %.3g\n",
              static_cast<unsigned long long>(s.seed), s.cases, s.evaluations, s.gated_blocks,
              s.violations.size(), s.worst_ratio);
  for (const std::string& v : s.violations) std::printf("  VIOLATION %s\n", v.c_str());
  std::fflush(stdout);
}

void print_mutant_margins(std::ostream& o, const std::vector<verification::MutantMargin>& margins) {
  char line[512];
  std::snprintf(line, sizeof line, "%-34s %13s %15s %22s  %s\n", "mutant", "killed/seeds", "smallest margin",
                "at seed", "blocks");
  o << line;
  for (const verification::MutantMargin& m : margins) {
    std::snprintf(line, sizeof line, "%-34s %6zu/%-6zu %15.3g %22llu  %s\n", m.name.c_str(), m.killed,
                  m.seeds, m.smallest_margin, static_cast<unsigned long long>(m.seed_of_smallest),
                  m.blocks_of_smallest.c_str());
    o << line;
    for (std::uint64_t seed : m.survived_seeds) o << "  SURVIVED seed " << seed << "\n";
  }
}

void print_seed_statistics(std::ostream& o, const verification::SeedSweepReport& r) {
  char line[256];
  o << "\nseeds " << r.first << ".." << r.last << " (" << r.seeds.size() << ", sweep "
    << verification::name(r.sweep) << "): " << r.gated_blocks() << " gated blocks, " << r.violations()
    << " violations\n";
  std::snprintf(line, sizeof line, "%-22s %-5s %12s %10s %14s %10s %10s\n", "method", "dtype", "gated blocks",
                "violations", "per 1e6 blocks", "worst", "p99.9");
  o << line;
  for (const auto& [key, s] : r.by_method_dtype) {
    const double rate =
        s.blocks ? 1e6 * static_cast<double>(s.violations) / static_cast<double>(s.blocks) : 0;
    std::snprintf(line, sizeof line, "%-22s %-5s %12zu %10zu %14.3g %10.3g %10.3g\n", key.first.c_str(),
                  key.second.c_str(), s.blocks, s.violations, rate, s.worst, s.p999);
    o << line;
  }
  o << "(" << r.seconds << " s)\n";
}

bool write_file(const std::string& path, const std::function<void(std::ostream&)>& write) {
  std::ofstream f(path);
  if (!f) {
    std::cerr << "scorebench verify: cannot write '" << path << "'\n";
    return false;
  }
  write(f);
  return static_cast<bool>(f);
}

int run_verify(const VerifyArgs& a) {
  namespace v = verification;
  v::VerifyOptions options;
  options.sweep = a.full ? v::Sweep::full : a.small ? v::Sweep::small : v::Sweep::quick;
  const auto seed = parse_seed(a.seed);
  if (!seed) return usage("--seed: '" + a.seed + "' is not a whole number from 0 to 18446744073709551615");
  options.seed = *seed;
  std::optional<std::pair<std::uint64_t, std::uint64_t>> seed_range;
  if (!a.seeds.empty()) {
    const size_t dots = a.seeds.find("..");
    const auto first = parse_seed(a.seeds.substr(0, dots));
    const auto last = dots == std::string::npos ? std::nullopt : parse_seed(a.seeds.substr(dots + 2));
    if (!first || !last || *last < *first)
      return usage("--seeds: '" + a.seeds + "' is not a range A..B of whole numbers with A <= B");
    if (*last - *first >= kMaxSeeds)
      return usage("--seeds: '" + a.seeds + "' holds " + std::to_string(*last - *first) +
                   " + 1 seeds; at most " + std::to_string(kMaxSeeds) +
                   " in one run (split the range across runs)");
    if (!a.junit.empty() || !a.case_id.empty())
      return usage("--seeds cannot be combined with --junit or --case");
    seed_range = {*first, *last};
  }
  // The shard: --shard I/N, else GTEST_TOTAL_SHARDS / GTEST_SHARD_INDEX for a
  // plain sweep (the convention of CTest, Bazel and CI matrices).
  const bool plain_sweep = !seed_range && !a.mutants && a.case_id.empty();
  if (!a.shard.empty() && !plain_sweep)
    return usage("--shard cannot be combined with --seeds, --mutants or --case");
  try {
    if (!a.shard.empty())
      options.shard = v::parse_shard(a.shard);
    else if (plain_sweep)
      options.shard = v::shard_from_environment().value_or(Shard{});
  } catch (const std::invalid_argument& e) {
    return usage(std::string(a.shard.empty() ? "" : "--shard: ") + e.what());
  }
  if (const char* status = std::getenv("GTEST_SHARD_STATUS_FILE"); status && plain_sweep)
    std::ofstream{status};  // Bazel: this run understands sharding
  if (!a.case_id.empty()) {
    if (a.mutants) return usage("--case cannot be combined with --mutants");
    try {
      options.specs = {v::parse_case_id(a.case_id)};
    } catch (const std::invalid_argument& e) {
      return usage(std::string("--case: ") + e.what());
    }
  }
  if (isatty(STDERR_FILENO) && !seed_range)
    options.progress = [](const std::string& id, size_t done, size_t total) {
      std::cerr << "\r\033[K[" << done << "/" << total << "] " << id << std::flush;
    };

  // The methods: registered ones (or mutants with --mutants), by name.
  std::vector<std::unique_ptr<Method>> catalogue;
  std::vector<const Method*> pool;
  // A mutant named with --method (without --mutants) is verified as if it
  // were a method: a demonstration of what a violation looks like.
  const bool mutant_named = std::any_of(a.methods.begin(), a.methods.end(),
                                        [](const std::string& n) { return n.rfind("mutant:", 0) == 0; });
  if (a.mutants || mutant_named) {
    catalogue = mutant_catalogue();
    for (const auto& m : catalogue) pool.push_back(m.get());
  }
  if (!a.mutants)
    for (const Method* m : registry().methods())
      if (m->capabilities().available || !a.methods.empty()) pool.push_back(m);
  std::vector<const Method*> selected;
  for (const std::string& name : a.methods) {
    const auto it =
        std::find_if(pool.begin(), pool.end(), [&](const Method* m) { return m->name() == name; });
    if (it == pool.end()) {
      std::string known;
      for (const Method* m : pool) known += (known.empty() ? "" : ", ") + m->name();
      std::cerr << "scorebench verify: --method: unknown " << (a.mutants ? "mutant" : "method") << " '"
                << name << "' (known: " << known << ")\n";
      return 2;
    }
    if (!(*it)->capabilities().available) {
      std::cerr << "scorebench verify: --method: '" << name
                << "' is unavailable in this build: " << (*it)->capabilities().unavailable_reason << "\n";
      return 2;
    }
    selected.push_back(*it);
  }
  if (a.methods.empty() && a.externals.empty()) selected = pool;
  // The external implementations: started now, gated like the others.
  std::vector<std::unique_ptr<v::ExternalMethod>> externals;
  if (!a.externals.empty() && a.mutants) return usage("--external cannot be combined with --mutants");
  try {
    externals = start_externals(a.externals, a.external_timeout, selected);
  } catch (const std::invalid_argument& e) {
    return usage(e.what());
  }

  if (seed_range && a.mutants) {
    const std::vector<v::MutantMargin> margins =
        v::run_mutant_seed_sweep(options, selected, seed_range->first, seed_range->second);
    print_mutant_margins(std::cout, margins);
    nlohmann::ordered_json doc = {{"schema", "scorebench.verify_mutant_seeds/1"},
                                  {"first_seed", seed_range->first},
                                  {"last_seed", seed_range->second}};
    bool all_killed = true;
    for (const v::MutantMargin& m : margins) {
      all_killed = all_killed && m.survived_seeds.empty();
      doc["mutants"].push_back(
          {{"name", m.name},
           {"seeds", m.seeds},
           {"killed", m.killed},
           {"smallest_margin", std::isfinite(m.smallest_margin) ? nlohmann::ordered_json(m.smallest_margin)
                                                                : nlohmann::ordered_json("inf")},
           {"seed_of_smallest", m.seed_of_smallest},
           {"case_of_smallest", m.case_of_smallest},
           {"blocks_of_smallest", m.blocks_of_smallest},
           {"survived_seeds", m.survived_seeds}});
    }
    if (!a.json.empty() && !write_file(a.json, [&](std::ostream& o) { o << doc.dump(1) << "\n"; })) return 2;
    return all_killed ? 0 : 1;
  }
  if (seed_range) {
    const v::SeedSweepReport sweep =
        v::run_seed_sweep(options, selected, seed_range->first, seed_range->second, print_seed_summary);
    print_seed_statistics(std::cout, sweep);
    if (!a.json.empty() &&
        !write_file(a.json, [&](std::ostream& o) { o << v::to_json(sweep).dump(1) << "\n"; }))
      return 2;
    return sweep.violations() == 0 ? 0 : 1;
  }

  v::VerifyReport report;
  std::vector<v::MutantResult> mutants;
  if (a.mutants) {
    mutants = v::run_mutants(options, selected);
    report.sweep = options.sweep;
    report.seed = options.seed;
  } else {
    report = v::run_verification(options, selected);
  }
  if (options.progress) std::cerr << "\r\033[K" << std::flush;

  if (a.mutants) {
    v::print_mutant_table(std::cout, mutants);
  } else {
    v::print_tables(std::cout, report);
  }
  const auto* mutants_ptr = a.mutants ? &mutants : nullptr;
  if (!a.json.empty() &&
      !write_file(a.json, [&](std::ostream& o) { o << v::to_json(report, mutants_ptr).dump(1) << "\n"; }))
    return 2;
  if (!a.junit.empty() &&
      !write_file(a.junit, [&](std::ostream& o) { v::write_junit(o, report, mutants_ptr); }))
    return 2;

  bool failed = !report.ok();
  if (a.require_coverage)
    for (const auto& [path, hits] : report.coverage) {
      const auto gap = std::find_if(v::kCoverageGaps.begin(), v::kCoverageGaps.end(),
                                    [&](const v::CoverageGap& g) { return path == g.path; });
      const bool known_gap = gap != v::kCoverageGaps.end();
      if (hits == 0 && known_gap) {
        std::cerr << "known gap " << path << ": " << gap->reason << "\n";
      } else if (hits == 0) {
        std::cerr << "NOT EXERCISED " << path << ": no case of this sweep took this kernel path\n";
        failed = true;
      } else if (known_gap) {
        std::cerr << "GAP CLOSED " << path << " is exercised now: remove it from kCoverageGaps (gate.hpp)\n";
        failed = true;
      }
    }
  for (const std::string& msg : report.violations) std::cerr << "VIOLATION " << msg << "\n";
  for (const v::Evaluation& e : report.evaluations)
    if (e.status == v::Status::violation)
      std::cerr << "reproduce: " << reproduce_line(report, e.method, report.cases[e.case_index].id) << "\n";
  for (const v::MutantResult& m : mutants)
    if (!m.killed) {
      std::cerr << "SURVIVED " << m.name << ": " << m.description << "\n";
      failed = true;
    }
  return failed ? 1 : 0;
}

}  // namespace

Command add_verify_command(CLI::App& app) {
  auto args = std::make_shared<VerifyArgs>();
  CLI::App* cmd = app.add_subcommand(
      "verify", "Hold every method to its accuracy contract against 50-digit references (the CI gate)");
  auto* quick = cmd->add_flag("--quick", args->quick, "The CI sweep (default): d up to 64, under 2 minutes");
  auto* full = cmd->add_flag("--full", args->full, "Every dimension up to 128");
  auto* small = cmd->add_flag("--small", args->small,
                              "One case per parameterization and dtype, d <= 4 (for --seeds sweeps)");
  quick->excludes(full);
  quick->excludes(small);
  full->excludes(small);
  cmd->add_option("--method", args->methods, "Only these methods (repeatable; mutants with --mutants)");
  cmd->add_option("--external", args->externals,
                  "Also gate an implementation scorebench did not write: [NAME=]COMMAND, a child process "
                  "speaking scorebench.external/1 (repeatable; verification/adapters/PROTOCOL.md)");
  cmd->add_option("--external-timeout", args->external_timeout,
                  "Seconds an external implementation may take per request (and for its hello)")
      ->check(CLI::Range(0.01, 86400.0))
      ->capture_default_str();
  cmd->add_option("--json", args->json, "Write every case's figures as JSON to FILE");
  cmd->add_option("--junit", args->junit, "Write JUnit XML to FILE");
  auto* seed = cmd->add_option("--seed", args->seed, "Base seed of the case generator (0 … 2^64-1)");
  auto* seeds =
      cmd->add_option("--seeds", args->seeds, "Run the sweep once per seed A..B and report per seed");
  seed->excludes(seeds);
  cmd->add_option("--case", args->case_id, "Run only this case (its id, as printed with a violation)");
  cmd->add_option("--shard", args->shard,
                  "Run only shard I of N (0 <= I < N; default: GTEST_SHARD_INDEX / GTEST_TOTAL_SHARDS); "
                  "scorebench merge joins the shards' JSON");
  cmd->add_flag("--mutants", args->mutants, "Run the mutant catalogue instead: each must be rejected");
  cmd->add_flag("--require-coverage", args->require_coverage,
                "Fail (exit 1) when a kernel path of the shipped methods was not exercised by the sweep");
  return {cmd, [args] { return run_verify(*args); }};
}

}  // namespace scorebench::cli
