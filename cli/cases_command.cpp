// `scorebench cases` and `scorebench check`: the certified case set
// (verification/CASES.md) and the offline grading of answers to it.
//
//   scorebench cases --out DIR [--quick|--full|--small] [--seed S] [--case ID]
//                    [--shard I/N] [--route R] [--c C] [--kappa-max K]
//   scorebench check --cases DIR --answers FILE [--json FILE] [--junit FILE]
//                    [--name NAME] [--route R] [--c C] [--kappa-max K]
//
// cases writes DIR/cases.jsonl; check grades the answers to it and exits as
// verify does: 0 every answer within its contract, 1 a violation (a wrong,
// missing, repeated or malformed answer, an answer to no case), 2 a usage or
// input error (a file that is not JSON Lines, with its line number).

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>

#include "command.hpp"
#include "scorebench/verification/case_set.hpp"
#include "scorebench/verification/external_protocol.hpp"
#include "scorebench/verification/report_io.hpp"
#include "scorebench/verification/shard.hpp"

#ifndef SCOREBENCH_VERSION
#define SCOREBENCH_VERSION "unknown"
#endif

namespace scorebench::cli {

namespace {

namespace v = verification;

struct ContractArgs {
  std::string route;
  std::optional<double> c, kappa_max;
  bool given() const { return !route.empty() || c || kappa_max; }
};

void add_contract_options(CLI::App* cmd, ContractArgs& a) {
  cmd->add_option("--route", a.route,
                  "Contract route: own_factor, through_sigma or unknown (default unknown)")
      ->check(CLI::IsMember({"own_factor", "through_sigma", "unknown"}));
  cmd->add_option("--c", a.c, "Contract multiplier c of the bound (1 ... 1e6; default 1)")
      ->check(CLI::Range(1.0, 1e6));
  cmd->add_option("--kappa-max", a.kappa_max, "Largest prescribed condition number promised (default 1e12)")
      ->check(CLI::Range(1.0, 1e300));
}

v::AccuracyContract contract_from(const ContractArgs& a) {
  v::AccuracyContract c;
  c.route = a.route == "own_factor"      ? v::Route::own_factor
            : a.route == "through_sigma" ? v::Route::through_sigma
                                         : v::Route::unknown;
  if (a.c) c.c = *a.c;
  if (a.kappa_max) c.kappa_max = *a.kappa_max;
  c.rationale = "given on the command line";
  return c;
}

struct CasesArgs {
  std::string out, case_id, shard;
  bool quick = false, full = false, small = false;
  std::string seed = std::to_string(v::VerifyOptions{}.seed);
  ContractArgs contract;
};

int run_cases(const CasesArgs& a) {
  v::CasesOptions o;
  o.sweep = a.full ? v::Sweep::full : a.small ? v::Sweep::small : v::Sweep::quick;
  const auto seed = v::parse_whole_number(a.seed);
  if (!seed) {
    std::cerr << "scorebench cases: --seed: '" << a.seed
              << "' is not a whole number from 0 to 18446744073709551615\n";
    return 2;
  }
  o.seed = *seed;
  if (!a.case_id.empty()) {
    try {
      o.specs = {v::parse_case_id(a.case_id)};
    } catch (const std::invalid_argument& e) {
      std::cerr << "scorebench cases: --case: " << e.what() << "\n";
      return 2;
    }
  }
  try {
    if (!a.shard.empty())
      o.shard = v::parse_shard(a.shard);
    else if (const auto from_environment = v::shard_from_environment())
      o.shard = *from_environment;
  } catch (const std::invalid_argument& e) {
    std::cerr << "scorebench cases: --shard: " << e.what() << "\n";
    return 2;
  }
  if (o.shard.count > 1 && !o.specs.empty()) {
    std::cerr << "scorebench cases: --shard with --case: one case is not split\n";
    return 2;
  }
  o.contract = contract_from(a.contract);
  if (!a.contract.given()) o.contract.rationale = "the default: route unknown, c = 1, every κ";
  o.version = SCOREBENCH_VERSION;
  if (isatty(STDERR_FILENO))
    o.progress = [](const std::string& id, size_t done, size_t total) {
      std::cerr << "\r\033[K[" << done << "/" << total << "] " << id << std::flush;
    };
  std::error_code ec;
  std::filesystem::create_directories(a.out, ec);
  const std::string path = (std::filesystem::path(a.out) / "cases.jsonl").string();
  std::ofstream f(path, std::ios::binary);
  if (ec || !f) {
    std::cerr << "scorebench cases: --out: cannot write '" << path << "'" << (ec ? ": " + ec.message() : "")
              << "\n";
    return 2;
  }
  const auto start = std::chrono::steady_clock::now();
  v::CasesSummary s;
  try {
    s = v::write_cases(f, o);
    f.close();
    if (!f) throw std::runtime_error("cannot write");
  } catch (const std::exception& e) {
    std::cerr << "scorebench cases: " << path << ": " << e.what() << "\n";
    return 2;
  }
  if (o.progress) std::cerr << "\r\033[K" << std::flush;
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf(
      "%s: %zu case lines (%zu cases x 4 modes, %zu cases skipped), %.1f MB, largest line %.1f MB, %.1f s\n",
      path.c_str(), s.lines, s.cases - s.skipped, s.skipped, static_cast<double>(s.bytes) / 1e6,
      static_cast<double>(s.largest_line) / 1e6, seconds);
  return 0;
}

struct CheckArgs {
  std::string cases, answers, json, junit, name;
  ContractArgs contract;
};

bool write_file(const std::string& path, const std::function<void(std::ostream&)>& write) {
  std::ofstream f(path);
  if (!f) {
    std::cerr << "scorebench check: cannot write '" << path << "'\n";
    return false;
  }
  write(f);
  return static_cast<bool>(f);
}

int run_check(const CheckArgs& a) {
  if (!a.name.empty() && !v::valid_name(a.name)) {
    std::cerr << "scorebench check: --name: '" << a.name << "' must be 1-64 characters of [A-Za-z0-9_.-]\n";
    return 2;
  }
  namespace fs = std::filesystem;
  std::error_code ec;
  const std::string cases_path =
      fs::is_directory(a.cases, ec) ? (fs::path(a.cases) / "cases.jsonl").string() : a.cases;
  const auto regular = [&](const std::string& path, const char* option) {
    std::error_code e;
    if (fs::is_regular_file(path, e)) return true;
    std::cerr << "scorebench check: " << option << ": '" << path << "' is not a readable file\n";
    return false;
  };
  if (!regular(cases_path, "--cases") || !regular(a.answers, "--answers")) return 2;
  std::ifstream cases(cases_path, std::ios::binary), answers(a.answers, std::ios::binary);
  if (!cases || !answers) {
    std::cerr << "scorebench check: cannot open '" << (cases ? a.answers : cases_path) << "'\n";
    return 2;
  }
  v::CheckOptions o;
  o.cases_source = cases_path;
  o.answers_source = a.answers;
  o.name = a.name;
  if (a.contract.given()) o.contract = contract_from(a.contract);
  if (isatty(STDERR_FILENO))
    o.progress = [](const std::string& id, size_t done, size_t total) {
      std::cerr << "\r\033[K[" << done << "/" << total << "] " << id << std::flush;
    };
  v::VerifyReport report;
  try {
    report = v::check_answers(cases, answers, o);
  } catch (const v::CheckInputError& e) {
    if (o.progress) std::cerr << "\r\033[K" << std::flush;
    std::cerr << "scorebench check: " << e.what() << "\n";
    return 2;
  }
  if (o.progress) std::cerr << "\r\033[K" << std::flush;
  v::print_tables(std::cout, report);
  if (!a.json.empty() &&
      !write_file(a.json, [&](std::ostream& f) { f << v::to_json(report, nullptr).dump(1) << "\n"; }))
    return 2;
  if (!a.junit.empty() && !write_file(a.junit, [&](std::ostream& f) { v::write_junit(f, report, nullptr); }))
    return 2;
  for (const std::string& msg : report.violations) std::cerr << "VIOLATION " << msg << "\n";
  return report.ok() ? 0 : 1;
}

}  // namespace

Command add_cases_command(CLI::App& app) {
  auto args = std::make_shared<CasesArgs>();
  CLI::App* cmd = app.add_subcommand(
      "cases",
      "Write the gate's cases with 50-digit references and bounds as JSON Lines (verification/CASES.md)");
  cmd->add_option("--out", args->out, "Directory to write cases.jsonl into")->required();
  auto* quick = cmd->add_flag("--quick", args->quick, "The cases of verify --quick (default)");
  auto* full = cmd->add_flag("--full", args->full, "The cases of verify --full");
  auto* small = cmd->add_flag("--small", args->small, "The cases of verify --small");
  quick->excludes(full);
  quick->excludes(small);
  full->excludes(small);
  cmd->add_option("--seed", args->seed, "Base seed of the case generator (0 … 2^64-1)");
  cmd->add_option("--case", args->case_id, "Only this case (its id)");
  cmd->add_option("--shard", args->shard,
                  "Only shard I/N of the cases (also GTEST_SHARD_INDEX/GTEST_TOTAL_SHARDS); check grades "
                  "it into a shard that scorebench merge joins");
  add_contract_options(cmd, args->contract);
  return {cmd, [args] { return run_cases(*args); }};
}

Command add_check_command(CLI::App& app) {
  auto args = std::make_shared<CheckArgs>();
  CLI::App* cmd = app.add_subcommand(
      "check",
      "Grade answers to a case set offline, with verify's verdict, tables, JSON, JUnit and exit codes");
  cmd->add_option("--cases", args->cases, "The directory written by scorebench cases (or its cases.jsonl)")
      ->required();
  cmd->add_option("--answers", args->answers,
                  "The answers: protocol answer lines (an adapter's stdout, its hello first)")
      ->required();
  cmd->add_option("--json", args->json, "Write every case's figures as JSON to FILE (verify's schema)");
  cmd->add_option("--junit", args->junit, "Write JUnit XML to FILE");
  cmd->add_option("--name", args->name, "The implementation's name (default: the hello's, else 'answers')");
  add_contract_options(cmd, args->contract);
  return {cmd, [args] { return run_check(*args); }};
}

}  // namespace scorebench::cli
