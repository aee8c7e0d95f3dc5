#include "scorebench/mc/hypothesis.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "scorebench/mc/estimator.hpp"

namespace scorebench::mc {

ZTest make_z_test(std::string label, double estimate, double expected, double standard_error,
                  double tolerance) {
  ZTest t;
  t.label = std::move(label);
  t.estimate = estimate;
  t.expected = expected;
  t.standard_error = standard_error;
  const double diff = estimate - expected;
  if (standard_error > 0)
    t.z = diff / standard_error;
  else
    t.z = std::abs(diff) <= tolerance ? 0.0 : std::copysign(std::numeric_limits<double>::infinity(), diff);
  if (std::isnan(t.z)) t.z = std::numeric_limits<double>::infinity();  // a NaN estimate is a failure
  t.p_value = two_sided_p(t.z);
  t.adjusted_p = t.p_value;
  return t;
}

int holm(std::vector<ZTest>& family, double alpha) {
  const std::size_t m = family.size();
  std::vector<std::size_t> order(m);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return family[a].p_value < family[b].p_value; });
  double running = 0;
  int rejected = 0;
  for (std::size_t i = 0; i < m; ++i) {
    ZTest& t = family[order[i]];
    running = std::max(running, std::min(1.0, static_cast<double>(m - i) * t.p_value));
    t.adjusted_p = running;
    t.rejected = running <= alpha;
    rejected += t.rejected ? 1 : 0;
  }
  return rejected;
}

double min_adjusted_p(const std::vector<ZTest>& family) {
  double m = 1;
  for (const ZTest& t : family) m = std::min(m, t.adjusted_p);
  return m;
}

}  // namespace scorebench::mc
