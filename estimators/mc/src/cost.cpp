#include "scorebench/mc/cost.hpp"

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace scorebench::mc {

namespace {

double parse_k(std::string_view spec, std::string_view value) {
  const std::string text(value);
  std::size_t used = 0;
  double k = 0;
  try {
    k = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (text.empty() || used != text.size() || !std::isfinite(k))
    throw std::invalid_argument("cost '" + std::string(spec) + "': k = '" + text +
                                "' is not a finite number");
  return k;
}

std::string shape(const Mat<double>& m) { return std::to_string(m.rows()) + "×" + std::to_string(m.cols()); }

}  // namespace

std::string Cost::name() const {
  std::ostringstream s;
  s.precision(17);
  switch (kind) {
    case CostKind::square: s << "square:" << k; break;
    case CostKind::exp_neg_square: s << "exp_neg_square:" << k; break;
    case CostKind::cos: s << "cos:" << k; break;
    case CostKind::quadratic: s << "quadratic"; break;
    case CostKind::exp_linear: s << "exp_linear"; break;
  }
  return s.str();
}

Cost parse_cost(std::string_view spec, const Mat<double>& a, const Vec<double>& b, const Vec<double>& c) {
  Cost cost;
  const std::size_t colon = spec.find(':');
  const std::string_view head = spec.substr(0, colon);
  const bool has_k = colon != std::string_view::npos;
  if (head == "square" || head == "exp_neg_square" || head == "cos") {
    if (!has_k)
      throw std::invalid_argument("cost '" + std::string(spec) + "' needs a parameter: " + std::string(head) +
                                  ":k");
    cost.kind = head == "square" ? CostKind::square
                : head == "cos"  ? CostKind::cos
                                 : CostKind::exp_neg_square;
    cost.k = parse_k(spec, spec.substr(colon + 1));
    return cost;
  }
  if (has_k && (head == "quadratic" || head == "exp_linear"))
    throw std::invalid_argument("cost '" + std::string(spec) + "' takes no ':k' (its parameters are " +
                                (head == "quadratic" ? "A and b" : "c") + ")");
  if (head == "quadratic") {
    if (a.size() == 0) throw std::invalid_argument("cost quadratic needs the matrix A");
    cost.kind = CostKind::quadratic;
    cost.a = a;
    cost.b = b;
    return cost;
  }
  if (head == "exp_linear") {
    if (c.size() == 0) throw std::invalid_argument("cost exp_linear needs the vector c");
    cost.kind = CostKind::exp_linear;
    cost.c = c;
    return cost;
  }
  throw std::invalid_argument("unknown cost '" + std::string(spec) +
                              "' (known: square:k, exp_neg_square:k, cos:k, quadratic, exp_linear)");
}

void check_cost(const Cost& cost, Index d) {
  const auto fail = [&](const std::string& m) {
    throw std::invalid_argument("cost " + cost.name() + ": " + m);
  };
  const std::string dim = std::to_string(d);
  if (cost.kind == CostKind::quadratic) {
    if (cost.a.rows() != d || cost.a.cols() != d)
      fail("A is " + shape(cost.a) + ", expected " + dim + "×" + dim);
    if (cost.b.size() != 0 && cost.b.size() != d)
      fail("b has " + std::to_string(cost.b.size()) + " entries, expected " + dim);
    if (!cost.a.allFinite() || !cost.b.allFinite()) fail("A and b must be finite");
  }
  if (cost.kind == CostKind::exp_linear) {
    if (cost.c.size() != d) fail("c has " + std::to_string(cost.c.size()) + " entries, expected " + dim);
    if (!cost.c.allFinite()) fail("c must be finite");
  }
}

}  // namespace scorebench::mc
