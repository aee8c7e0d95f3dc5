// scorebench compare BASE.json NEW.json: regression comparison of two Google
// Benchmark runs (reports/compare.hpp). Exit 0 no regression, 1 regression,
// 2 usage or input error (including runs whose contexts differ, unless --force).

#include <fstream>
#include <iostream>
#include <memory>
#include <stdexcept>

#include "command.hpp"
#include "scorebench/reports/compare.hpp"

namespace scorebench::cli {

namespace {

struct CompareCommandOptions {
  std::string base, fresh;
  double threshold_percent = -1;  // default depends on the metric: 5 % time, 1 % instructions
  double alpha = 0.05;
  std::string metric = "time";
  std::string time_field = "cpu_time";
  std::string markdown, junit;
  bool force = false;
};

bool write_file(const std::string& path, const std::string& text, const char* option) {
  std::ofstream out(path);
  if (out << text) return true;
  std::cerr << "scorebench compare: cannot write " << option << " " << path << "\n";
  return false;
}

int run_compare(const CompareCommandOptions& o) {
  using namespace scorebench::reports;
  try {
    const BenchmarkRun base = read_benchmark_run(o.base);
    const BenchmarkRun fresh = read_benchmark_run(o.fresh);
    const std::vector<std::string> differences = context_differences(base.context, fresh.context, o.metric);
    if (!differences.empty()) {
      std::cerr << "scorebench compare: the runs were made in different contexts:\n";
      for (const std::string& d : differences) std::cerr << "  " << d << "\n";
      if (!o.force) {
        std::cerr << "refusing to compare them (use --force to compare anyway)\n";
        return 2;
      }
      std::cerr << "comparing anyway (--force)\n";
    }
    CompareOptions options;
    options.metric = o.metric;
    options.alpha = o.alpha;
    options.time_field = o.time_field;
    options.threshold = (o.threshold_percent >= 0 ? o.threshold_percent
                         : o.metric == "time"     ? 5.0
                                                  : 1.0) /
                        100;
    const Comparison comparison = compare_runs(base, fresh, options);
    const std::string markdown = render_markdown(comparison, o.base, o.fresh);
    std::cout << markdown;
    if (!o.markdown.empty() && !write_file(o.markdown, markdown, "--markdown")) return 2;
    if (!o.junit.empty() && !write_file(o.junit, render_junit(comparison), "--junit")) return 2;
    const std::size_t regressions = comparison.count(Verdict::regression);
    std::cerr << "scorebench compare: " << regressions << " regression(s) in " << comparison.rows.size()
              << " benchmark(s)\n";
    return regressions > 0 ? 1 : 0;
  } catch (const std::invalid_argument& e) {
    std::cerr << "scorebench compare: " << e.what() << "\n";
    return 2;
  } catch (const std::domain_error& e) {
    std::cerr << "scorebench compare: " << e.what() << "\n";
    return 2;
  }
}

}  // namespace

Command add_compare_command(CLI::App& app) {
  auto o = std::make_shared<CompareCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "compare", "Compare two Google Benchmark JSON runs: median ratios, Mann–Whitney U, Holm, regressions");
  cmd->add_option("BASE", o->base, "Baseline run (Google Benchmark JSON)")->required();
  cmd->add_option("NEW", o->fresh, "New run (Google Benchmark JSON)")->required();
  cmd->add_option("--threshold", o->threshold_percent,
                  "Smallest change that counts, in percent (default 5 for time, 1 for instructions)")
      ->check(CLI::Range(0.0, 1000.0));
  cmd->add_option("--alpha", o->alpha, "Family-wise significance level across all benchmarks (Holm)")
      ->check(CLI::Range(1e-12, 0.5))
      ->capture_default_str();
  cmd->add_option("--metric", o->metric, "time, or instructions (callgrind counts: the 'instructions' field)")
      ->check(CLI::IsMember({"time", "instructions"}))
      ->capture_default_str();
  cmd->add_option("--time", o->time_field, "Time field for --metric time")
      ->check(CLI::IsMember({"cpu_time", "real_time"}))
      ->capture_default_str();
  cmd->add_option("--markdown", o->markdown, "Also write the Markdown table to this file");
  cmd->add_option("--junit", o->junit, "Write JUnit XML (one testcase per benchmark) to this file");
  cmd->add_flag("--force", o->force, "Compare even when the run contexts differ");
  return {cmd, [o] { return run_compare(*o); }};
}

}  // namespace scorebench::cli
