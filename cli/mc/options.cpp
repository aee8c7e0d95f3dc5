#include "options.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <sstream>

namespace scorebench::cli::mc_cli {

std::vector<double> parse_numbers(const std::string& option, const std::string& text) {
  std::vector<double> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    // strtod rather than std::stod: stod throws out_of_range on an
    // underflow (1e-400) as well as on an overflow (1e400).
    errno = 0;
    char* end = nullptr;
    const double v = std::strtod(item.c_str(), &end);
    std::size_t used = static_cast<std::size_t>(end - item.c_str());
    while (used < item.size() && item[used] == ' ') ++used;
    if (item.empty() || used != item.size())
      throw UsageError(option + ": '" + item + "' (entry " + std::to_string(out.size()) +
                       ") is not a number");
    if (errno == ERANGE && std::isinf(v))
      throw UsageError(option + ": '" + item + "' (entry " + std::to_string(out.size()) +
                       ") is beyond the range of a double");
    out.push_back(v);
  }
  if (out.empty()) throw UsageError(option + " is empty");
  return out;
}

Vec<double> parse_vector(const std::string& option, const std::string& text) {
  const std::vector<double> v = parse_numbers(option, text);
  return Eigen::Map<const Vec<double>>(v.data(), static_cast<Index>(v.size()));
}

// "r0;r1;…", each row comma-separated; a lower-triangular row may give only
// its first i + 1 entries.
Mat<double> parse_matrix(const std::string& option, const std::string& text, bool lower) {
  std::vector<std::vector<double>> rows;
  std::stringstream in(text);
  std::string row;
  while (std::getline(in, row, ';'))
    rows.push_back(parse_numbers(option + " row " + std::to_string(rows.size()), row));
  const Index d = static_cast<Index>(rows.size());
  Mat<double> m = Mat<double>::Zero(d, d);
  for (Index i = 0; i < d; ++i) {
    const auto& r = rows[static_cast<std::size_t>(i)];
    const Index n = static_cast<Index>(r.size());
    if (n != d && !(lower && n == i + 1))
      throw UsageError(option + ": row " + std::to_string(i) + " has " + std::to_string(n) +
                       " entries, expected " + std::to_string(d) +
                       (lower ? " (or " + std::to_string(i + 1) + ")" : ""));
    for (Index j = 0; j < n; ++j) m(i, j) = r[static_cast<std::size_t>(j)];
  }
  return m;
}

}  // namespace scorebench::cli::mc_cli
