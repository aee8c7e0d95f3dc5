#include "output.hpp"

#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "json_io.hpp"

namespace scorebench::cli::mc_cli {

std::string fmt_count(double v) {
  std::ostringstream s;
  s << std::setprecision(20) << v;
  return s.str();
}

std::string fmt(double v, int precision) {
  std::ostringstream s;
  s << std::setprecision(precision) << v;
  return s.str();
}

ordered_json matrix_json(const Mat<double>& m) {
  ordered_json rows = ordered_json::array();
  for (Index i = 0; i < m.rows(); ++i) {
    ordered_json row = ordered_json::array();
    for (Index j = 0; j < m.cols(); ++j) row.push_back(m(i, j));
    rows.push_back(row);
  }
  return rows;
}

ordered_json vector_json(const Vec<double>& v) { return std::vector<double>(v.data(), v.data() + v.size()); }

// {"grad_loc": [d], "grad_scale_diag": [d] | "grad_scale_tril": [[d]×d]} of a coordinate vector.
ordered_json gradient_json(const mc::Problem& p, const Vec<double>& coordinates) {
  const Index d = p.dim();
  ordered_json j;
  j["grad_loc"] = vector_json(coordinates.head(d));
  const Mat<double> scale = mc::scale_block(p.parameterization, d, coordinates);
  if (p.parameterization == Parameterization::scale_diag)
    j["grad_scale_diag"] = vector_json(scale.col(0));
  else
    j["grad_scale_tril"] = matrix_json(scale);
  return j;
}

int write_json(const std::string& path, const ordered_json& doc) {
  if (path.empty()) return 0;
  std::ofstream out(path);
  if (!(out << dump_readable(doc))) {
    std::cerr << "scorebench mc: cannot write --json " << path << "\n";
    return 2;
  }
  return 0;
}

}  // namespace scorebench::cli::mc_cli
