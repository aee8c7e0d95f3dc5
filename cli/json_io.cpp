#include "json_io.hpp"

#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "scorebench/reports/json_input.hpp"

namespace scorebench::cli {
namespace {

using nlohmann::json;

std::vector<double> numbers(const json& v, const std::string& key) {
  if (!v.is_array()) throw std::invalid_argument(key + " must be a list of numbers");
  std::vector<double> out;
  for (size_t i = 0; i < v.size(); ++i) {
    const std::string at = key + "[" + std::to_string(i) + "]";
    // read_eval_input keeps a number beyond double range as its text, so that
    // only the case holding it fails.
    if (const auto text = json_input::overflowed_number(v[i]))
      throw std::invalid_argument(at + " = " + *text + " is beyond the range of a double");
    if (!v[i].is_number())
      throw std::invalid_argument(at + " is not a number: " + json_input::describe(v[i]));
    out.push_back(v[i].get<double>());
  }
  return out;
}

// x in T; a finite double beyond T's range (float) is an error, not an
// undefined conversion that would surface later as "is inf".
template <typename T>
T narrow(double x, const std::string& key) {
  if (std::isfinite(x) && std::abs(x) > static_cast<double>(std::numeric_limits<T>::max())) {
    std::ostringstream s;
    s << key << " = " << x << " is out of the range of "
      << (std::is_same_v<T, float> ? "float" : "the arithmetic");
    throw std::invalid_argument(s.str());
  }
  return static_cast<T>(x);
}

template <typename T>
Mat<T> column(const std::vector<double>& v, const std::string& key) {
  Mat<T> m(static_cast<Index>(v.size()), 1);
  for (size_t i = 0; i < v.size(); ++i)
    m(static_cast<Index>(i), 0) = narrow<T>(v[i], key + "[" + std::to_string(i) + "]");
  return m;
}

template <typename T>
Mat<T> matrix(const json& v, const std::string& key, size_t d) {
  if (!v.is_array() || v.size() != d)
    throw std::invalid_argument(key + " must be a list of " + std::to_string(d) +
                                " rows (d = " + std::to_string(d) + " from loc)");
  const Index n = static_cast<Index>(d);
  Mat<T> m(n, n);
  for (size_t i = 0; i < d; ++i) {
    const auto row = numbers(v[i], key + "[" + std::to_string(i) + "]");
    if (row.size() != d)
      throw std::invalid_argument(key + "[" + std::to_string(i) + "] has " + std::to_string(row.size()) +
                                  " numbers; expected d = " + std::to_string(d));
    for (size_t j = 0; j < d; ++j)
      m(static_cast<Index>(i), static_cast<Index>(j)) =
          narrow<T>(row[j], key + "[" + std::to_string(i) + "][" + std::to_string(j) + "]");
  }
  return m;
}

template <typename Derived>
nlohmann::ordered_json list(const Eigen::MatrixBase<Derived>& v) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (Index i = 0; i < v.size(); ++i) out.push_back(static_cast<double>(v(i)));
  return out;
}

}  // namespace

template <typename T>
Batch<T> batch_from_case(const json& c) {
  if (!c.is_object()) throw std::invalid_argument("a case must be a JSON object");
  if (!c.contains("loc")) throw std::invalid_argument("missing key 'loc'");
  const auto loc = numbers(c["loc"], "loc");
  const size_t d = loc.size();
  if (d == 0) throw std::invalid_argument("loc is empty: d must be at least 1");
  Batch<T> b;
  b.loc = column<T>(loc, "loc");
  const bool has_action = c.contains("action"), has_noise = c.contains("noise");
  if (has_action == has_noise)
    throw std::invalid_argument("a case needs exactly one of 'action' and 'noise'");
  const std::string vkey = has_action ? "action" : "noise";
  const auto v = numbers(c[vkey], vkey);
  if (v.size() != d)
    throw std::invalid_argument(vkey + " has " + std::to_string(v.size()) + " numbers but loc has " +
                                std::to_string(d));
  (has_action ? b.action : b.noise) = column<T>(v, vkey);

  int found = 0;
  for (Parameterization p : kAllParameterizations) {
    const std::string key(name(p));
    if (!c.contains(key)) continue;
    ++found;
    b.parameterization = p;
    if (is_matrix(p)) {
      b.param = matrix<T>(c[key], key, d);
    } else {
      const auto s = numbers(c[key], key);
      if (s.size() != d)
        throw std::invalid_argument(key + " has " + std::to_string(s.size()) + " numbers but loc has " +
                                    std::to_string(d));
      b.param = column<T>(s, key);
    }
  }
  if (found != 1)
    throw std::invalid_argument(
        "a case needs exactly one of 'scale_tril', 'covariance_matrix', 'precision_matrix', "
        "'scale_diag' (found " +
        std::to_string(found) + ")");
  return b;
}

template <typename T>
nlohmann::ordered_json json_from_result(const Result<T>& r) {
  nlohmann::ordered_json out;
  out["log_prob"] = static_cast<double>(r.log_prob(0));
  out["grad_loc"] = list(r.grad_loc.col(0));
  out["grad_action"] = list(r.grad_action.col(0));
  const auto g = r.grad_param_of(0);
  if (is_matrix(r.parameterization)) {
    nlohmann::ordered_json rows = nlohmann::ordered_json::array();
    for (Index i = 0; i < g.rows(); ++i) rows.push_back(list(g.row(i)));
    out[gradient_name(r.parameterization)] = rows;
  } else {
    out[gradient_name(r.parameterization)] = list(g.col(0));
  }
  return out;
}

json read_eval_input(const std::string& path) {
  return json_input::read_file(path, json_input::Overflow::keep_as_string);
}

template Batch<double> batch_from_case<double>(const json&);
template Batch<float> batch_from_case<float>(const json&);
template nlohmann::ordered_json json_from_result<double>(const Result<double>&);
template nlohmann::ordered_json json_from_result<float>(const Result<float>&);

namespace {
bool is_flat_array(const nlohmann::ordered_json& v) {
  if (!v.is_array()) return false;
  for (const auto& e : v)
    if (e.is_array() || e.is_object()) return false;
  return true;
}

void write(const nlohmann::ordered_json& v, int indent, std::string& out) {
  const std::string pad(static_cast<size_t>(indent) * 2, ' '),
      inner(static_cast<size_t>(indent + 1) * 2, ' ');
  if (v.is_object() && !v.empty()) {
    out += "{\n";
    size_t k = 0;
    for (auto it = v.begin(); it != v.end(); ++it, ++k) {
      out += inner + nlohmann::ordered_json(it.key()).dump() + ": ";
      write(it.value(), indent + 1, out);
      out += k + 1 < v.size() ? ",\n" : "\n";
    }
    out += pad + "}";
  } else if (v.is_array() && !v.empty() && !is_flat_array(v)) {
    out += "[\n";
    for (size_t k = 0; k < v.size(); ++k) {
      out += inner;
      write(v[k], indent + 1, out);
      out += k + 1 < v.size() ? ",\n" : "\n";
    }
    out += pad + "]";
  } else {
    if (!is_flat_array(v) || v.empty()) {
      out += v.dump();
      return;
    }
    out += "[";
    for (size_t k = 0; k < v.size(); ++k) out += (k ? ", " : "") + v[k].dump();
    out += "]";
  }
}
}  // namespace

std::string dump_readable(const nlohmann::ordered_json& document) {
  std::string out;
  write(document, 0, out);
  return out + "\n";
}

}  // namespace scorebench::cli
