#include "scorebench/reports/report.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

#include "scorebench/reports/format.hpp"
#include "scorebench/reports/history/history_section.hpp"
#include "scorebench/reports/history/results_store.hpp"
#include "scorebench/reports/json_input.hpp"
#include "scorebench/reports/report_sections.hpp"

namespace scorebench::reports {

namespace fs = std::filesystem;

namespace {

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path);
  if (!(out << text)) throw std::invalid_argument("cannot write " + path.string());
}

// The input named by `option`, or nullopt with a note (absent) or an error (unreadable).
std::optional<nlohmann::json> read_input(ReportContext& ctx, ReportSummary& summary, const std::string& file,
                                         const std::string& option, const std::string& missing_note) {
  if (file.empty()) {
    ctx.note(missing_note);
    return std::nullopt;
  }
  try {
    return json_input::read_file(file);
  } catch (const json_input::Unusable& e) {
    summary.errors.push_back(option + ": " + e.what());
    ctx.note(option + ": " + e.what() + ": section left out.");
    return std::nullopt;
  }
}

std::string context_line(const nlohmann::json& c) {
  std::ostringstream s;
  auto field = [&](const char* key, const char* label) {
    if (c.contains(key) && !c[key].is_null())
      s << label << " " << (c[key].is_string() ? c[key].get<std::string>() : c[key].dump()) << "; ";
  };
  field("date", "date");
  field("host_name", "host");
  field("num_cpus", "CPUs");
  field("mhz_per_cpu", "MHz");
  field("scorebench_build_type", "scorebench build");
  field("library_build_type", "Google Benchmark library build");
  std::string out = s.str();
  if (out.size() >= 2) out.resize(out.size() - 2);
  return out;
}

// The implementations scorebench did not write, with the command that ran
// each: marked † in every table and chart legend of the report.
void add_externals_table(Document& doc, const std::map<std::string, std::string>& origins,
                         const std::set<std::string>& verified, const BenchData* bench) {
  if (origins.empty()) return;
  Table t;
  t.header = {"implementation", "command", "verified", "timed"};
  t.wrap = {false, true, false, false};
  // Not a structured binding: the lambda below captures the method, which
  // C++17 allows only for a variable (clang, the fuzz build, refuses it).
  for (const auto& entry : origins) {
    const std::string& method = entry.first;
    std::string command = entry.second;
    if (command.rfind("external: ", 0) == 0) command = command.substr(10);
    const bool timed = bench && std::any_of(bench->score.begin(), bench->score.end(),
                                            [&](const ScorePoint& s) { return s.c.method == method; });
    t.rows.push_back({method_label(method), "`" + command + "`", verified.count(method) ? "yes" : "no",
                      timed ? "yes" : "no"});
  }
  doc.paragraph(
      "Implementations scorebench did not write (marked † in every table and chart below), each run as a "
      "child process speaking `scorebench.external/1` (verification/adapters/PROTOCOL.md):");
  doc.table(std::move(t));
}

}  // namespace

ReportSummary write_report(const ReportOptions& options) {
  if (options.out_dir.empty()) throw std::invalid_argument("--out is required");
  std::error_code ec;
  fs::create_directories(options.out_dir, ec);
  if (ec || !fs::is_directory(options.out_dir, ec))
    throw std::invalid_argument("cannot create --out " + options.out_dir + (ec ? ": " + ec.message() : ""));

  ReportSummary summary;
  Document doc(options.title);
  ReportContext ctx(options, doc, summary);

  // Inputs are read first: the verdict at the top needs both the benchmarks and the contracts.
  std::vector<BenchmarkRun> runs;
  if (options.bench_files.empty())
    ctx.note("no benchmark run given (`--bench`): the verdict and performance sections are left out.");
  for (const std::string& file : options.bench_files) {
    std::optional<nlohmann::json> json = read_input(ctx, summary, file, "--bench", "");
    if (!json) continue;
    try {
      runs.push_back(parse_benchmark_run(*json, file));
    } catch (const std::invalid_argument& e) {
      summary.errors.push_back(e.what());
      ctx.note(std::string("benchmark run unusable: ") + e.what());
    }
  }
  std::optional<BenchData> bench;
  if (!runs.empty()) {
    bench = load_bench_data(runs, options.time_field);
    for (const BenchmarkRun& run : runs) {
      const std::size_t n = run.benchmarks.size();
      doc.paragraph("Benchmarks: `" + run.source + "` (" + std::to_string(n) + " rows; " +
                    context_line(run.context) + ").");
    }
    for (const std::string& d : bench->duplicates)
      ctx.note("benchmark row given twice, the first kept: " + d);
  }
  // Verification and Monte Carlo sections are built into their own documents
  // and appended after the verdict, which needs the contracts.
  Document verify_doc(""), mc_doc("");
  ReportContext verify_ctx(options, verify_doc, summary), mc_ctx(options, mc_doc, summary);
  std::optional<ContractTable> contracts;
  std::map<std::string, std::string> origins = bench ? bench->origins : std::map<std::string, std::string>{};
  std::set<std::string> verified;
  verify_doc.heading(2, "Accuracy");
  if (auto verify_json =
          read_input(verify_ctx, summary, options.verify_file, "--verify",
                     "no verification run given (`--verify`): the accuracy section is left out.")) {
    try {
      contracts = add_verify_section(verify_ctx, *verify_json);
      if (const auto o = verify_json->find("origins"); o != verify_json->end() && o->is_object())
        for (const auto& [method, origin] : o->items())
          if (origin.is_string()) {
            origins.emplace(method, origin.get<std::string>());
            verified.insert(method);
          }
    } catch (const std::invalid_argument& e) {
      summary.errors.push_back(e.what());
      verify_ctx.note(std::string("verification run unusable: ") + e.what());
    }
  }
  add_externals_table(doc, origins, verified, bench ? &*bench : nullptr);
  mc_doc.heading(2, "Monte Carlo gradient estimators");
  if (auto mc_json = read_input(mc_ctx, summary, options.mc_file, "--mc",
                                "no Monte Carlo run given (`--mc`): the estimator sections are left out.")) {
    try {
      add_mc_section(mc_ctx, *mc_json);
    } catch (const std::invalid_argument& e) {
      summary.errors.push_back(e.what());
      mc_ctx.note(std::string("Monte Carlo run unusable: ") + e.what());
    }
  }

  if (bench) {
    add_verdict_section(ctx, *bench, contracts ? &*contracts : nullptr);
    add_bench_sections(ctx, *bench);
  }
  doc.append(verify_doc);
  doc.append(mc_doc);
  if (options.history_file.empty()) {
    ctx.note("no results store given (`--history`): the history section is left out.");
  } else {
    Document history_doc("");
    ReportContext history_ctx(options, history_doc, summary);
    try {
      history::add_history_section(history_ctx, options.history_file);
    } catch (const history::StoreError& e) {
      summary.errors.push_back(std::string("--history: ") + e.what());
      history_ctx.note(std::string("--history: ") + e.what() + ": section left out.");
    }
    doc.append(history_doc);
  }

  write_text(fs::path(options.out_dir) / "report.md", render_markdown(doc));
  write_text(fs::path(options.out_dir) / "index.html", render_html(doc));
  summary.files.push_back("report.md");
  summary.files.push_back("index.html");
  return summary;
}

}  // namespace scorebench::reports
