// `scorebench verify`: the CI correctness gate (verification/README.md).
//
//   scorebench verify [--quick|--full] [--method M ...] [--json FILE]
//                     [--junit FILE] [--seed S] [--mutants]
//
// Exit status: 0 every method within its contract (and, with --mutants,
// every mutant rejected), 1 a violation (or a surviving mutant), 2 a usage
// error.

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <memory>

#include "command.hpp"
#include "scorebench/registry.hpp"
#include "scorebench/verification/gate.hpp"
#include "scorebench/verification/mutants.hpp"
#include "scorebench/verification/report_io.hpp"

namespace scorebench::cli {

namespace {

struct VerifyArgs {
  bool quick = false, full = false, mutants = false;
  std::vector<std::string> methods;
  std::string json, junit;
  std::uint64_t seed = verification::VerifyOptions{}.seed;
};

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
  options.sweep = a.full ? v::Sweep::full : v::Sweep::quick;
  options.seed = a.seed;
  if (isatty(STDERR_FILENO))
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
    catalogue = v::mutant_catalogue();
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
  if (a.methods.empty()) selected = pool;

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
  for (const std::string& msg : report.violations) std::cerr << "VIOLATION " << msg << "\n";
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
  quick->excludes(full);
  cmd->add_option("--method", args->methods, "Only these methods (repeatable; mutants with --mutants)");
  cmd->add_option("--json", args->json, "Write every case's figures as JSON to FILE");
  cmd->add_option("--junit", args->junit, "Write JUnit XML to FILE");
  cmd->add_option("--seed", args->seed, "Base seed of the case generator");
  cmd->add_flag("--mutants", args->mutants, "Run the mutant catalogue instead: each must be rejected");
  return {cmd, [args] { return run_verify(*args); }};
}

}  // namespace scorebench::cli
