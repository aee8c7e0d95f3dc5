// `scorebench bisect`: pins a step found in the history to one commit with
// `git bisect run` (reports/README.md, "Bisecting a regression").
//
//   scorebench bisect --good SHA --bad SHA --filter ROW [--metric M] [--db FILE]
//                     [--good-value V --bad-value V] [--build CMD] [--measure CMD] [--run]
//
// Prints the commands (or, with --run, runs them in the current git working
// tree and prints the first bad commit). Each candidate is built with
// --build, measured with --measure (a shell command that writes Google
// Benchmark JSON to the file named by $SCOREBENCH_BISECT_OUT) and judged by a
// copy of this scorebench taken before the first checkout:
//
//   scorebench bisect --judge --filter ROW --metric M --good-value G --bad-value B --build CMD --measure CMD
//
// which exits 0 (good: the row's median is on the good side of the geometric
// midpoint √(G·B)), 1 (bad) or 125 (cannot judge: the build or the
// measurement failed, or no row matches; git bisect skips the commit).
// G and B default to the store's medians of the row at the two commits.

#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <regex>
#include <sstream>

#include "command.hpp"
#include "scorebench/reports/benchmark_run.hpp"
#include "scorebench/reports/history/results_store.hpp"
#include "scorebench/reports/statistics.hpp"
#include "scorebench/reports/subprocess.hpp"

namespace scorebench::cli {

namespace {

namespace history = reports::history;
namespace fs = std::filesystem;

struct BisectArgs {
  std::string good, bad, filter, metric = "instructions", db = "scorebench.db", build, measure;
  double good_value = NAN, bad_value = NAN;
  bool run = false, judge = false;
};

int fail(const std::string& message) {
  std::cerr << "scorebench bisect: " << message << "\n";
  return 2;
}

// The text of `s` quoted for /bin/sh.
std::string shell_quoted(const std::string& s) {
  std::string out = "'";
  for (const char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string default_build() {
  return "cmake --preset release >/dev/null && cmake --build --preset release --target "
         "scorebench_instruction_driver scorebench_benchmarks";
}

std::string default_measure(const std::string& metric, const std::string& filter) {
  if (metric == "instructions")
    return "d=$(mktemp -d) && { reports/instruction_gate.sh --out \"$d\" >/dev/null 2>&1; "
           "cp \"$d/instructions.json\" \"$SCOREBENCH_BISECT_OUT\"; }";
  return "build/release/benchmarks/scorebench_benchmarks --benchmark_filter=" + shell_quoted(filter) +
         " --benchmark_repetitions=10 --benchmark_out=\"$SCOREBENCH_BISECT_OUT\" --benchmark_out_format=json "
         ">/dev/null";
}

int judge(const BisectArgs& a) {
  if (std::system(("/bin/sh -c " + shell_quoted(a.build) + " >&2").c_str()) != 0) {
    std::cerr << "judge: the build failed: skip this commit\n";
    return 125;
  }
  char dir_template[] = "/tmp/scorebench-judge-XXXXXX";
  if (!mkdtemp(dir_template)) return 125;
  const std::string out = std::string(dir_template) + "/run.json";
  setenv("SCOREBENCH_BISECT_OUT", out.c_str(), 1);
  const int measured = std::system(("/bin/sh -c " + shell_quoted(a.measure)).c_str());
  std::vector<double> values;
  std::string row;
  try {
    if (measured != 0)
      throw std::invalid_argument("the measurement exited with status " + std::to_string(measured));
    const reports::BenchmarkRun run = reports::read_benchmark_run(out);
    const std::regex filter(a.filter);
    for (const reports::BenchmarkEntry& e : run.benchmarks)
      if (std::regex_search(e.name, filter)) {
        if (!row.empty()) throw std::invalid_argument("--filter matches " + row + " and " + e.name);
        row = e.name;
        values = reports::samples(e, a.metric);
      }
    if (values.empty()) throw std::invalid_argument("no row matching --filter has " + a.metric);
  } catch (const std::exception& e) {
    fs::remove_all(dir_template);
    std::cerr << "judge: " << e.what() << ": skip this commit\n";
    return 125;
  }
  fs::remove_all(dir_template);
  const double value = reports::median(values), mid = std::sqrt(a.good_value * a.bad_value);
  const bool bad = (value > mid) == (a.bad_value > a.good_value);
  std::cerr << "judge: " << row << " " << a.metric << " = " << value << " (good " << a.good_value << ", bad "
            << a.bad_value << ", midpoint " << mid << "): " << (bad ? "bad" : "good") << "\n";
  return bad ? 1 : 0;
}

// The median of the row at `commit` in the store; NaN when absent.
double stored_value(const history::ResultsStore& store, const BisectArgs& a, const std::string& commit,
                    std::string& row) {
  history::SeriesQuery q;
  q.metric = a.metric;
  q.filter = a.filter;
  double found = NAN;
  for (const history::RowSeries& s : store.series(q)) {
    if (!row.empty() && row != s.row)
      throw std::invalid_argument("--filter matches " + row + " and " + s.row +
                                  " in the store: give one row");
    row = s.row;
    for (const history::CommitPoint& p : s.points)
      if (p.commit.rfind(commit, 0) == 0 || commit.rfind(p.commit, 0) == 0) found = reports::median(p.values);
  }
  return found;
}

int run_bisect(BisectArgs a) {
  try {
    std::regex check(a.filter);
  } catch (const std::regex_error& e) {
    return fail("--filter '" + a.filter + "' is not a regular expression: " + e.what());
  }
  if (a.build.empty()) a.build = default_build();
  if (a.measure.empty()) a.measure = default_measure(a.metric, a.filter);
  if (a.judge) {
    if (!(a.good_value > 0) || !(a.bad_value > 0) || a.good_value == a.bad_value)
      return fail("--judge needs --good-value and --bad-value, positive and different");
    return judge(a);
  }
  if (a.good.empty() || a.bad.empty()) return fail("--good and --bad are required");
  for (std::string* sha : {&a.good, &a.bad}) {
    const auto full =
        reports::program_output({"git", "rev-parse", "--verify", "--quiet", *sha + "^{commit}"});
    if (!full) return fail("'" + *sha + "' is not a commit of the current git working tree");
    *sha = *full;
  }
  if (std::isnan(a.good_value) || std::isnan(a.bad_value)) {
    try {
      const history::ResultsStore store(a.db);
      std::string row;
      if (std::isnan(a.good_value)) a.good_value = stored_value(store, a, a.good, row);
      if (std::isnan(a.bad_value)) a.bad_value = stored_value(store, a, a.bad, row);
      for (const auto& [value, name] : {std::pair{a.good_value, a.good}, std::pair{a.bad_value, a.bad}})
        if (std::isnan(value))
          return fail("the store " + a.db + " has no " + a.metric + " of a row matching '" + a.filter +
                      "' at commit " + name.substr(0, 12) +
                      ": record a run of it, or give --good-value/--bad-value");
    } catch (const std::exception& e) {
      return fail(e.what());
    }
  }
  if (!(a.good_value > 0) || !(a.bad_value > 0) || a.good_value == a.bad_value)
    return fail("the good and bad values must be positive and differ (good " + std::to_string(a.good_value) +
                ", bad " + std::to_string(a.bad_value) + ")");

  // The judge runs from a copy: the checkouts rebuild this very binary.
  const std::string judge_copy = (fs::temp_directory_path() / "scorebench-bisect-judge").string();
  std::ostringstream judge_cmd;
  judge_cmd << shell_quoted(judge_copy) << " bisect --judge --filter " << shell_quoted(a.filter)
            << " --metric " << shell_quoted(a.metric) << " --good-value " << a.good_value << " --bad-value "
            << a.bad_value << " --build " << shell_quoted(a.build) << " --measure "
            << shell_quoted(a.measure);
  const std::string self = fs::read_symlink("/proc/self/exe").string();
  const std::vector<std::string> steps = {
      "cp " + shell_quoted(self) + " " + shell_quoted(judge_copy),
      "git bisect start " + a.bad + " " + a.good,
      "git bisect run " + judge_cmd.str(),
      "git bisect reset",
  };
  if (!a.run) {
    for (const std::string& s : steps) std::cout << s << "\n";
    return 0;
  }
  std::error_code ec;
  fs::copy_file(self, judge_copy, fs::copy_options::overwrite_existing, ec);
  if (ec) return fail("cannot copy " + self + " to " + judge_copy + ": " + ec.message());
  if (std::system(("git bisect start " + a.bad + " " + a.good + " >/dev/null").c_str()) != 0)
    return fail("git bisect start failed");
  const std::string log = (fs::temp_directory_path() / "scorebench-bisect.log").string();
  const int status =
      std::system(("git bisect run " + judge_cmd.str() + " >" + shell_quoted(log) + " 2>&1").c_str());
  const auto first_bad =
      reports::program_output({"git", "rev-parse", "--verify", "--quiet", "refs/bisect/bad"});
  std::system("git bisect reset >/dev/null 2>&1");
  if (status != 0 || !first_bad) return fail("git bisect run did not finish; its log is " + log);
  const auto subject = reports::program_output({"git", "show", "-s", "--format=%h %s", *first_bad});
  std::cout << "first bad commit: " << *first_bad << (subject ? " (" + *subject + ")" : "") << "\n";
  return 0;
}

}  // namespace

Command add_bisect_command(CLI::App& app) {
  auto args = std::make_shared<BisectArgs>();
  CLI::App* cmd =
      app.add_subcommand("bisect", "Pin a regression between two commits to one commit (git bisect)");
  cmd->add_option("--good", args->good, "A commit without the regression");
  cmd->add_option("--bad", args->bad, "A commit with it");
  cmd->add_option("--filter", args->filter, "Regular expression matching the one benchmark row")->required();
  cmd->add_option("--metric", args->metric, "instructions, real_time, cpu_time or a counter")
      ->capture_default_str();
  cmd->add_option("--db", args->db, "Results store holding the row at both commits")->capture_default_str();
  cmd->add_option("--good-value", args->good_value,
                  "The row's value at the good commit (default: from the store)");
  cmd->add_option("--bad-value", args->bad_value,
                  "The row's value at the bad commit (default: from the store)");
  cmd->add_option("--build", args->build,
                  "Shell command that builds a candidate (default: the release preset)");
  cmd->add_option(
      "--measure", args->measure,
      "Shell command writing Google Benchmark JSON to $SCOREBENCH_BISECT_OUT (default by --metric)");
  cmd->add_flag("--run", args->run, "Run git bisect now instead of printing the commands");
  cmd->add_flag("--judge", args->judge, "Judge the checked-out commit (what git bisect run calls)");
  return {cmd, [args] { return run_bisect(*args); }};
}

}  // namespace scorebench::cli
