#include "scorebench/reports/report_context.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace scorebench::reports {

namespace {

std::string csv_cell(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

}  // namespace

std::string csv_number(double v) {
  if (std::isnan(v)) return "";
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%.10g", v);
  return buffer;
}

ReportContext::ReportContext(const ReportOptions& options, Document& doc, ReportSummary& summary)
    : options_(options), doc_(doc), summary_(summary), gnuplot_(options.gnuplot) {}

std::vector<Figure> ReportContext::charts(const std::vector<Chart>& charts) {
  std::vector<Figure> figures;
  if (!gnuplot_.available()) return figures;
  for (const Chart& chart : charts) {
    const ChartResult r = gnuplot_.render(chart, options_.out_dir);
    if (!r.ok) {
      note("chart `" + chart.stem + "` not drawn: " + r.error);
      continue;
    }
    figures.push_back(Figure{chart.stem + ".svg", chart.title, r.svg});
    summary_.files.push_back(chart.stem + ".svg");
    ++summary_.charts;
  }
  return figures;
}

void ReportContext::csv(const std::string& name, const std::vector<std::string>& header,
                        const std::vector<std::vector<std::string>>& rows, const std::string& what) {
  const std::filesystem::path path = std::filesystem::path(options_.out_dir) / name;
  std::ofstream out(path);
  for (std::size_t c = 0; c < header.size(); ++c) out << (c ? "," : "") << csv_cell(header[c]);
  out << "\n";
  for (const auto& row : rows) {
    for (std::size_t c = 0; c < row.size(); ++c) out << (c ? "," : "") << csv_cell(row[c]);
    out << "\n";
  }
  if (!out) throw std::invalid_argument("cannot write " + path.string());
  summary_.files.push_back(name);
  doc_.paragraph("CSV: `" + name + "` — " + what + ".");
}

void ReportContext::note(const std::string& text) {
  doc_.note(text);
  summary_.notes.push_back(text);
}

}  // namespace scorebench::reports
