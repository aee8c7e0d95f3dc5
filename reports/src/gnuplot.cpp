#include "scorebench/reports/gnuplot.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "scorebench/reports/format.hpp"
#include "scorebench/reports/subprocess.hpp"

namespace scorebench::reports {

namespace fs = std::filesystem;

namespace {

// A gnuplot double-quoted string.
std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '\\' || ch == '"') out += '\\';
    out += ch;
  }
  return out + "\"";
}

bool drawable(double v, bool log_axis) { return std::isfinite(v) && (!log_axis || v > 0); }

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

Gnuplot::Gnuplot(std::string executable)
    : path_(find_executable(executable.empty() ? std::string("gnuplot") : executable)) {}

std::string method_color(const std::string& method) {
  static const std::map<std::string, std::string> colors = {
      {"analytic", "#1f77b4"},         {"explicit_inverse", "#d62728"},
      {"cholesky_solve", "#2ca02c"},   {"autodiff_forward", "#9467bd"},
      {"autodiff_reverse", "#ff7f0e"}, {"reparameterization", "#17becf"},
      {"score_function", "#d62728"},   {"score_function_baseline", "#2ca02c"},
      {"pathwise", "#1f77b4"},         {"score_function_optimal_baseline", "#9467bd"}};
  const auto it = colors.find(method);
  if (it != colors.end()) return it->second;
  static const char* spare[] = {"#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#393b79", "#637939"};
  return spare[std::hash<std::string>{}(method) % 6];
}

int method_point_type(const std::string& method) {
  static const std::map<std::string, int> types = {
      {"analytic", 7},          {"explicit_inverse", 5},
      {"cholesky_solve", 9},    {"autodiff_forward", 11},
      {"autodiff_reverse", 13}, {"reparameterization", 3},
      {"score_function", 5},    {"score_function_baseline", 9},
      {"pathwise", 7},          {"score_function_optimal_baseline", 11}};
  const auto it = types.find(method);
  return it == types.end() ? 1 : it->second;
}

int method_dash_type(const std::string& method) { return is_external(method) ? 2 : 1; }

ChartResult Gnuplot::render(const Chart& chart, const std::string& dir) const {
  ChartResult result;
  if (!available()) {
    result.error = "gnuplot is not installed";
    return result;
  }
  const fs::path out_dir = fs::absolute(dir), work = out_dir / "gnuplot";
  std::error_code ec;
  fs::create_directories(work, ec);
  if (ec) {
    result.error = "cannot create " + work.string() + ": " + ec.message();
    return result;
  }
  const fs::path data = work / (chart.stem + ".dat"), script = work / (chart.stem + ".gp"),
                 log = work / (chart.stem + ".log"), svg = out_dir / (chart.stem + ".svg");

  // One data block per series (gnuplot `index`), blocks separated by two blank lines.
  std::ofstream dat(data);
  std::vector<std::size_t> drawn;
  std::size_t points = 0;
  for (std::size_t s = 0; s < chart.series.size(); ++s) {
    const Series& series = chart.series[s];
    std::ostringstream block;
    block.precision(10);
    std::size_t n = 0;
    for (std::size_t i = 0; i < series.x.size() && i < series.y.size(); ++i)
      if (drawable(series.x[i], chart.log_x) && drawable(series.y[i], chart.log_y)) {
        block << series.x[i] << ' ' << series.y[i] << '\n';
        ++n;
      }
    if (n == 0) continue;
    dat << "# " << series.title << '\n' << block.str() << "\n\n";
    drawn.push_back(s);
    points += n;
  }
  dat.close();
  if (points == 0) {
    result.error = "no data point to draw in " + chart.stem;
    return result;
  }

  std::ofstream gp(script);
  gp << "set terminal svg size 640,400 noenhanced font \"DejaVu Sans,11\" background \"#ffffff\"\n"
     << "set output " << quoted(svg.string()) << "\n"
     << "set title " << quoted(chart.title) << "\n"
     << "set xlabel " << quoted(chart.x_label) << "\n"
     << "set ylabel " << quoted(chart.y_label) << "\n"
     << "set border lc rgb \"#555555\"\n"
     << "set grid xtics ytics lc rgb \"#dddddd\" lw 1 dt 1\n"
     << "set key outside right top samplen 2 spacing 1.1 font \",10\"\n"
     << "set format x \"%g\"\nset format y \"%g\"\n";
  if (chart.log_x) gp << "set logscale x " << chart.log_x_base << "\n";
  if (chart.log_y) gp << "set logscale y " << chart.log_y_base << "\n";
  gp << "plot ";
  for (std::size_t k = 0; k < drawn.size(); ++k) {
    const Series& s = chart.series[drawn[k]];
    gp << (k ? ", \\\n     " : "") << quoted(data.string()) << " index " << k << " using 1:2 with "
       << (chart.lines ? "linespoints" : "points") << " lw 1.6 ps 0.8 pt " << s.point_type << " dt "
       << s.dash_type;
    if (!s.color.empty()) gp << " lc rgb " << quoted(s.color);
    gp << " title " << quoted(s.title);
  }
  if (chart.reference_y)
    gp << ", \\\n     " << *chart.reference_y << " with lines lc rgb \"#777777\" dt 2 lw 1 title "
       << quoted(chart.reference_label);
  gp << "\n";
  gp.close();

  fs::remove(log, ec);
  const int status = run_program({path_, script.string()}, log.string());
  if (status != 0) {
    std::string message = read_text(log);
    if (message.size() > 600) message = message.substr(0, 600) + " …";
    result.error =
        "gnuplot exited with status " + std::to_string(status) + " on " + script.string() + ": " + message;
    return result;
  }
  result.svg = read_text(svg);
  if (result.svg.find("<svg") == std::string::npos) {
    result.error = "gnuplot wrote no SVG to " + svg.string();
    return result;
  }
  result.ok = true;
  result.svg_file = svg.string();
  return result;
}

}  // namespace scorebench::reports
