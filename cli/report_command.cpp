// scorebench report [--bench FILE ...] [--verify FILE] [--mc FILE] [--history DB] --out DIR:
// report.md with SVG charts beside it, index.html (one offline page) and CSV
// tables (reports/report.hpp). Exit 0 written, 2 usage or input error (the
// report is still written, with the unreadable input's section left out).

#include <iostream>
#include <memory>
#include <stdexcept>

#include "command.hpp"
#include "scorebench/reports/report.hpp"

namespace scorebench::cli {

namespace {

int run_report(const reports::ReportOptions& options) {
  try {
    const reports::ReportSummary summary = reports::write_report(options);
    for (const std::string& note : summary.notes) std::cerr << "note: " << note << "\n";
    for (const std::string& error : summary.errors) std::cerr << "scorebench report: " << error << "\n";
    std::cout << "report: " << options.out_dir << "/index.html and " << options.out_dir << "/report.md ("
              << summary.charts << " charts, " << summary.files.size() << " files)\n";
    return summary.errors.empty() ? 0 : 2;
  } catch (const std::invalid_argument& e) {
    std::cerr << "scorebench report: " << e.what() << "\n";
    return 2;
  }
}

}  // namespace

Command add_report_command(CLI::App& app) {
  auto options = std::make_shared<reports::ReportOptions>();
  CLI::App* cmd = app.add_subcommand(
      "report",
      "Write the comparison report: report.md, index.html (offline), CSV tables, gnuplot SVG charts");
  cmd->add_option("--bench", options->bench_files,
                  "Google Benchmark JSON of scorebench_benchmarks or scorebench time --external (repeatable: "
                  "the runs are joined)");
  cmd->add_option("--verify", options->verify_file, "JSON of scorebench verify --json");
  cmd->add_option("--mc", options->mc_file, "JSON of scorebench mc --json");
  cmd->add_option("--history", options->history_file,
                  "Results store of scorebench record (SQLite): the history section");
  cmd->add_option("--out", options->out_dir, "Output folder (created)")->required();
  cmd->add_option("--time", options->time_field, "Time field of the benchmarks")
      ->check(CLI::IsMember({"cpu_time", "real_time"}))
      ->capture_default_str();
  cmd->add_option("--gnuplot", options->gnuplot, "gnuplot executable (default: gnuplot on PATH)");
  cmd->add_option("--title", options->title, "Report title")->capture_default_str();
  return {cmd, [options] { return run_report(*options); }};
}

}  // namespace scorebench::cli
