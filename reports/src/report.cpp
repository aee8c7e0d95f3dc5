#include "scorebench/reports/report.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

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
  std::optional<nlohmann::json> bench_json =
      read_input(ctx, summary, options.bench_file, "--bench",
                 "no benchmark run given (`--bench`): the verdict and performance sections are left out.");
  std::optional<BenchData> bench;
  if (bench_json) {
    try {
      bench = load_bench_data(parse_benchmark_run(*bench_json, options.bench_file), options.time_field);
      doc.paragraph("Benchmarks: `" + options.bench_file + "` (" + std::to_string(bench->score.size()) +
                    " score, " + std::to_string(bench->roofs.size()) + " roof benchmarks; " +
                    context_line(bench->context) + ").");
    } catch (const std::invalid_argument& e) {
      summary.errors.push_back(e.what());
      ctx.note(std::string("benchmark run unusable: ") + e.what());
    }
  }

  // Verification and Monte Carlo sections are built into their own documents
  // and appended after the verdict, which needs the contracts.
  Document verify_doc(""), mc_doc("");
  ReportContext verify_ctx(options, verify_doc, summary), mc_ctx(options, mc_doc, summary);
  std::optional<ContractTable> contracts;
  verify_doc.heading(2, "Accuracy");
  if (auto verify_json =
          read_input(verify_ctx, summary, options.verify_file, "--verify",
                     "no verification run given (`--verify`): the accuracy section is left out.")) {
    try {
      contracts = add_verify_section(verify_ctx, *verify_json);
    } catch (const std::invalid_argument& e) {
      summary.errors.push_back(e.what());
      verify_ctx.note(std::string("verification run unusable: ") + e.what());
    }
  }
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
