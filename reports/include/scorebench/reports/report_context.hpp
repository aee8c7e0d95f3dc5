#pragma once
// What every report section writes into: the document, the output folder, the
// chart renderer and the running summary.

#include <string>
#include <vector>

#include "scorebench/reports/document.hpp"
#include "scorebench/reports/gnuplot.hpp"
#include "scorebench/reports/report.hpp"

namespace scorebench::reports {

class ReportContext {
 public:
  ReportContext(const ReportOptions& options, Document& doc, ReportSummary& summary);

  const ReportOptions& options() const { return options_; }
  Document& doc() { return doc_; }
  bool can_plot() const { return gnuplot_.available(); }

  // Draws the chart; on failure returns nullopt and records the error as a note.
  std::vector<Figure> charts(const std::vector<Chart>& charts);
  // Writes <out>/<name> and adds a paragraph pointing at it.
  void csv(const std::string& name, const std::vector<std::string>& header,
           const std::vector<std::vector<std::string>>& rows, const std::string& what);
  // A note in the document and in the summary.
  void note(const std::string& text);

 private:
  const ReportOptions& options_;
  Document& doc_;
  ReportSummary& summary_;
  Gnuplot gnuplot_;
};

// A number for a CSV cell: %.10g, empty for NaN.
std::string csv_number(double v);

}  // namespace scorebench::reports
