#include "scorebench/reports/statistics.hpp"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace scorebench::reports {

namespace {

// Null distribution of U for sample sizes (m, n): P[u], u = 0 … m·n.
// With the largest of the m + n values a y (probability n/(m+n)) it exceeds
// all m x's, so P_{m,n}(u) = n/(m+n) P_{m,n−1}(u − m) + m/(m+n) P_{m−1,n}(u).
std::vector<double> u_null_distribution(std::size_t m, std::size_t n) {
  // row[j] holds P_{i,j}(·) for the current i.
  std::vector<std::vector<double>> row(n + 1, std::vector<double>(1, 1.0));
  for (std::size_t i = 1; i <= m; ++i) {
    std::vector<std::vector<double>> next(n + 1);
    next[0] = {1.0};
    for (std::size_t j = 1; j <= n; ++j) {
      std::vector<double> p(i * j + 1, 0.0);
      const double a = double(j) / double(i + j), b = double(i) / double(i + j);
      for (std::size_t u = 0; u < next[j - 1].size(); ++u) p[u + i] += a * next[j - 1][u];
      for (std::size_t u = 0; u < row[j].size(); ++u) p[u] += b * row[j][u];
      next[j] = std::move(p);
    }
    row = std::move(next);
  }
  return row[n];
}

bool has_ties(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return std::adjacent_find(v.begin(), v.end()) != v.end();
}

double normal_quantile(double q) {
  return boost::math::quantile(boost::math::normal_distribution<double>(), q);
}

void require_nonempty(const std::vector<double>& x, const std::vector<double>& y, const char* what) {
  if (x.empty() || y.empty())
    throw std::invalid_argument(std::string(what) + ": both samples must be non-empty (sizes " +
                                std::to_string(x.size()) + " and " + std::to_string(y.size()) + ")");
}

}  // namespace

double median(std::vector<double> values) {
  if (values.empty()) throw std::invalid_argument("median: empty sample");
  const std::size_t h = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + std::ptrdiff_t(h), values.end());
  if (values.size() % 2 == 1) return values[h];
  const double upper = values[h];
  const double lower = *std::max_element(values.begin(), values.begin() + std::ptrdiff_t(h));
  return (lower + upper) / 2;
}

MannWhitneyResult mann_whitney(const std::vector<double>& x, const std::vector<double>& y,
                               std::size_t exact_limit) {
  require_nonempty(x, y, "mann_whitney");
  MannWhitneyResult r;
  for (double xi : x)
    for (double yj : y) r.u += yj > xi ? 1.0 : (yj == xi ? 0.5 : 0.0);
  const std::size_t m = x.size(), n = y.size();
  std::vector<double> pooled(x);
  pooled.insert(pooled.end(), y.begin(), y.end());
  const double mn = double(m) * double(n);

  if (!has_ties(pooled) && m * n <= exact_limit) {
    // Two-sided: twice the smaller tail, P(U ≤ u) or P(U ≥ u).
    const std::vector<double> p = u_null_distribution(m, n);
    const auto u = std::size_t(r.u);
    const double lower = std::accumulate(p.begin(), p.begin() + std::ptrdiff_t(u) + 1, 0.0);
    const double upper = std::accumulate(p.begin() + std::ptrdiff_t(u), p.end(), 0.0);
    r.p_value = std::min(1.0, 2 * std::min(lower, upper));
    r.exact = true;
    return r;
  }

  // Tie correction: Σ_t (t³ − t) over groups of equal pooled values.
  std::sort(pooled.begin(), pooled.end());
  double ties = 0;
  for (std::size_t i = 0; i < pooled.size();) {
    std::size_t k = i;
    while (k < pooled.size() && pooled[k] == pooled[i]) ++k;
    const double t = double(k - i);
    ties += t * t * t - t;
    i = k;
  }
  const double N = double(m + n);
  const double variance = mn / 12 * ((N + 1) - ties / (N * (N - 1)));
  if (!(variance > 0)) return r;  // every value tied: no evidence of a difference
  const double z = std::max(0.0, std::abs(r.u - mn / 2) - 0.5) / std::sqrt(variance);
  r.p_value = std::min(
      1.0, 2 * boost::math::cdf(boost::math::complement(boost::math::normal_distribution<double>(), z)));
  return r;
}

double smallest_p_value(std::size_t n_x, std::size_t n_y) {
  // 1 / C(n_x + n_y, n_x) computed as a product to stay in range.
  double inv = 1;
  for (std::size_t i = 1; i <= n_x; ++i) inv *= double(i) / double(n_y + i);
  return std::min(1.0, 2 * inv);
}

RatioEstimate hodges_lehmann_ratio(const std::vector<double>& x, const std::vector<double>& y, double alpha) {
  require_nonempty(x, y, "hodges_lehmann_ratio");
  std::vector<double> d;
  d.reserve(x.size() * y.size());
  for (double xi : x)
    for (double yj : y) {
      if (!(xi > 0) || !(yj > 0))
        throw std::domain_error("hodges_lehmann_ratio: values must be positive, got " +
                                std::to_string(xi > 0 ? yj : xi));
      d.push_back(std::log(yj) - std::log(xi));
    }
  std::sort(d.begin(), d.end());
  RatioEstimate r;
  r.ratio = std::exp(median(d));

  // k: the largest integer with P(U ≤ k − 1) ≤ α/2 (exact for small samples,
  // else the normal approximation with continuity correction).
  const std::size_t m = x.size(), n = y.size(), mn = m * n;
  std::size_t k = 0;
  if (mn <= 2500) {
    const std::vector<double> p = u_null_distribution(m, n);
    double cdf = 0;
    while (k < mn && cdf + p[k] <= alpha / 2) cdf += p[k++];
  } else {
    const double mean = double(mn) / 2;
    const double sd = std::sqrt(double(mn) * double(m + n + 1) / 12);
    k = std::size_t(std::max(0.0, std::floor(mean - normal_quantile(1 - alpha / 2) * sd + 0.5)));
  }
  if (k == 0) {
    r.low = 0;
    r.high = std::numeric_limits<double>::infinity();
  } else {
    r.low = std::exp(d[k - 1]);
    r.high = std::exp(d[mn - k]);
  }
  return r;
}

std::vector<double> holm_adjust(const std::vector<double>& p_values) {
  const std::size_t m = p_values.size();
  std::vector<std::size_t> order(m);
  std::iota(order.begin(), order.end(), std::size_t(0));
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return p_values[a] < p_values[b]; });
  std::vector<double> adjusted(m);
  double running = 0;
  for (std::size_t i = 0; i < m; ++i) {
    running = std::max(running, std::min(1.0, double(m - i) * p_values[order[i]]));
    adjusted[order[i]] = running;
  }
  return adjusted;
}

Margin time_ratio_margin(
    const std::vector<std::pair<const std::vector<double>*, const std::vector<double>*>>& pairs) {
  Margin m;
  if (pairs.empty()) return m;
  double sum_log = 0, sum_var = 0;
  bool every_spread = true;
  // log median and the variance of that log median, from the repetitions.
  auto log_median = [&](const std::vector<double>& t) {
    if (t.empty()) throw std::domain_error("time_ratio_margin: a configuration without repetitions");
    std::vector<double> logs;
    for (double x : t) {
      if (!(x > 0) || !std::isfinite(x))
        throw std::domain_error("time_ratio_margin: a time that is not positive");
      logs.push_back(std::log(x));
    }
    if (logs.size() < 2) {
      every_spread = false;
      return logs.front();
    }
    const double mean = std::accumulate(logs.begin(), logs.end(), 0.0) / double(logs.size());
    double ss = 0;
    for (double l : logs) ss += (l - mean) * (l - mean);
    const double n = double(logs.size());
    sum_var += (std::acos(-1.0) / 2) * ss / (n - 1) / n;
    return std::log(median(t));
  };
  for (const auto& [slow, fast] : pairs) sum_log += log_median(*slow) - log_median(*fast);
  const double k = double(pairs.size()), mean = sum_log / k;
  m.ratio = std::exp(mean);
  if (every_spread) {
    const double half = 1.959963984540054 * std::sqrt(sum_var) / k;
    m.low = std::exp(mean - half);
    m.high = std::exp(mean + half);
  }
  return m;
}

}  // namespace scorebench::reports
