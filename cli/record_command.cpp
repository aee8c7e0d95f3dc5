// `scorebench record`: one run appended to the results store
// (reports/README.md, "The results store").
//
//   scorebench record RUN.json [--commit SHA] [--commit-date YYYY-MM-DDTHH:MM:SSZ] [--machine NAME] [--db
//   FILE]
//
// The commit defaults to the working tree's HEAD and its date to the commit's
// own (git); the machine to the run's host_name, else this host's name. The
// CPU model, cores and load at the start come from the run's context where it
// has them, else from this machine now. Recording a run that is already in
// the store (same content, commit and machine) is idempotent: nothing
// changes and the exit status is 0.
//
// Exit status: 0 recorded (or already there); 2 usage, a file that is not a
// run, or a store that cannot be used.

#include <unistd.h>

#include <ctime>
#include <fstream>
#include <iostream>
#include <memory>
#include <regex>
#include <thread>

#include "command.hpp"
#include "scorebench/reports/history/results_store.hpp"
#include "scorebench/reports/history/run_file.hpp"
#include "scorebench/reports/subprocess.hpp"

#ifndef SCOREBENCH_VERSION
#define SCOREBENCH_VERSION "unknown"
#endif

namespace scorebench::cli {

namespace {

namespace history = reports::history;

struct RecordArgs {
  std::string file, commit, commit_date, machine, db = "scorebench.db";
};

int fail(const std::string& message) {
  std::cerr << "scorebench record: " << message << "\n";
  return 2;
}

std::string proc_field(const char* path, const std::string& key) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line))
    if (key.empty() || line.rfind(key, 0) == 0) {
      const std::size_t colon = line.find(':');
      std::string value = key.empty() || colon == std::string::npos ? line : line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(" \t"));
      return value;
    }
  return "";
}

std::string this_host() {
  char name[256] = {};
  return gethostname(name, sizeof name - 1) == 0 ? name : "unknown";
}

int run_record(const RecordArgs& a) {
  history::RunRecord run;
  try {
    run = history::read_run_file(a.file);
  } catch (const std::invalid_argument& e) {
    return fail(e.what());
  }
  // The commit: given, or HEAD of the working tree.
  static const std::regex sha("[0-9a-fA-F]{4,64}");
  if (!a.commit.empty() && !std::regex_match(a.commit, sha))
    return fail("--commit '" + a.commit + "' is not a commit hash (4 to 64 hexadecimal digits)");
  const std::string wanted = a.commit.empty() ? "HEAD" : a.commit;
  const auto full =
      reports::program_output({"git", "rev-parse", "--verify", "--quiet", wanted + "^{commit}"});
  if (full)
    run.commit = *full;
  else if (!a.commit.empty())
    run.commit = a.commit;
  else
    return fail("no --commit given and the current folder is not in a git working tree");
  // Dates in UTC, YYYY-MM-DDTHH:MM:SSZ, so that text order is time order.
  static const std::regex utc(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)");
  run.commit_date = a.commit_date;
  if (!run.commit_date.empty() && !std::regex_match(run.commit_date, utc))
    return fail("--commit-date '" + run.commit_date + "' is not a UTC time YYYY-MM-DDTHH:MM:SSZ");
  if (run.commit_date.empty()) {
    const auto seconds = reports::program_output({"git", "show", "-s", "--format=%ct", run.commit});
    if (!seconds) return fail("cannot date commit " + run.commit + " with git: give --commit-date");
    const std::time_t t = static_cast<std::time_t>(std::strtoll(seconds->c_str(), nullptr, 10));
    char text[32];
    std::tm tm{};
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
    run.commit_date = text;
  }
  if (!a.machine.empty()) run.machine = a.machine;
  if (run.machine.empty()) run.machine = this_host();
  if (run.cpu_model.empty()) run.cpu_model = proc_field("/proc/cpuinfo", "model name");
  if (run.cores <= 0) run.cores = static_cast<int>(std::thread::hardware_concurrency());
  if (run.load_average < 0) {
    const std::string load = proc_field("/proc/loadavg", "");
    run.load_average = load.empty() ? -1 : std::strtod(load.c_str(), nullptr);
  }
  run.scorebench_version = SCOREBENCH_VERSION;
  try {
    history::ResultsStore store(a.db);
    const history::RecordOutcome outcome = store.record(run);
    if (outcome.inserted)
      std::cout << "recorded run " << outcome.run_id << " (" << run.kind << ", " << run.measurements.size()
                << " measurements) into " << a.db << ": commit " << run.commit.substr(0, 12) << " of "
                << run.commit_date << ", machine " << run.machine << "\n";
    else
      std::cout << a.file << " is already recorded in " << a.db << " as run " << outcome.run_id
                << " (same content, commit and machine): nothing changed\n";
  } catch (const history::StoreError& e) {
    return fail(e.what());
  }
  return 0;
}

}  // namespace

Command add_record_command(CLI::App& app) {
  auto args = std::make_shared<RecordArgs>();
  CLI::App* cmd = app.add_subcommand(
      "record", "Append a run (benchmark, instruction-count or verify JSON) to the results store");
  cmd->add_option("run", args->file, "The run's JSON")->required();
  cmd->add_option("--commit", args->commit, "Commit the run measured (default: HEAD of the working tree)");
  cmd->add_option("--commit-date", args->commit_date,
                  "The commit's date in UTC, YYYY-MM-DDTHH:MM:SSZ (default: git's)");
  cmd->add_option("--machine", args->machine, "Machine name (default: the run's host_name)");
  cmd->add_option("--db", args->db, "The results store (SQLite)")->capture_default_str();
  return {cmd, [args] { return run_record(*args); }};
}

}  // namespace scorebench::cli
