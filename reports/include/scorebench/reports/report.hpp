#pragma once
// `scorebench report`: the JSON of benchmark, verification and Monte Carlo
// runs turned into report.md (SVG charts beside it), one self-contained
// index.html and CSV tables. A missing input leaves its sections out with a
// note; a missing gnuplot leaves the charts out with a note and keeps the tables.

#include <string>
#include <vector>

namespace scorebench::reports {

struct ReportOptions {
  // Google Benchmark JSON: scorebench_benchmarks and/or scorebench time --external, joined.
  std::vector<std::string> bench_files;
  std::string verify_file;   // scorebench verify --json
  std::string mc_file;       // scorebench mc --json
  std::string history_file;  // results store (scorebench record)
  std::string out_dir;
  std::string gnuplot;                  // executable; empty: "gnuplot" on PATH
  std::string time_field = "cpu_time";  // or real_time
  std::string title = "scorebench report";
};

struct ReportSummary {
  std::vector<std::string> files;   // written, relative to out_dir
  std::vector<std::string> notes;   // sections left out and why
  std::vector<std::string> errors;  // inputs given but unreadable (the command exits 2)
  int charts = 0;
};

// Throws std::invalid_argument when out_dir cannot be created or written.
ReportSummary write_report(const ReportOptions& options);

}  // namespace scorebench::reports
