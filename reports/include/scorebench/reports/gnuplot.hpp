#pragma once
// Charts drawn by gnuplot (SVG terminal), run as a subprocess on a data file
// and a script written beside the report (so a reader can re-plot them).

#include <optional>
#include <string>
#include <vector>

namespace scorebench::reports {

struct Series {
  std::string title;
  std::vector<double> x, y;
  std::string color;   // "#rrggbb"; empty: gnuplot's default cycle
  int point_type = 7;  // gnuplot point type
  int dash_type = 1;   // 1 solid, 2 dashed, …
};

struct Chart {
  std::string stem;  // file name without extension
  std::string title, x_label, y_label;
  bool log_x = false, log_y = false;
  int log_x_base = 10, log_y_base = 10;
  std::vector<Series> series;
  std::optional<double> reference_y;  // a horizontal rule (e.g. ratio 1)
  std::string reference_label;
  bool lines = true;  // linespoints; false: points only
};

struct ChartResult {
  bool ok = false;
  std::string svg_file;  // absolute path of the SVG written
  std::string svg;       // its text
  std::string error;     // what failed, with gnuplot's own message
};

class Gnuplot {
 public:
  // `executable` empty: look for "gnuplot" on PATH.
  explicit Gnuplot(std::string executable = "");
  bool available() const { return !path_.empty(); }
  const std::string& path() const { return path_; }

  // Writes <dir>/<stem>.svg, with its data and script under <dir>/gnuplot/.
  // Points not drawable on a log axis (≤ 0, non-finite) are dropped; a chart
  // with no point left is not drawn (ok = false, error says so).
  ChartResult render(const Chart& chart, const std::string& dir) const;

 private:
  std::string path_;
};

// The colour of a method, the same in every chart.
std::string method_color(const std::string& method);
int method_point_type(const std::string& method);
// Dashed for an implementation scorebench did not write (external.<name>), solid otherwise.
int method_dash_type(const std::string& method);

}  // namespace scorebench::reports
