#include "scorebench/reports/history/change_points.hpp"

#include <algorithm>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

namespace scorebench::reports::history {
namespace {

// Counts and sums of the values inserted so far, by rank (a Fenwick tree), so
// that Σ_j |v − x_j| over the inserted x_j costs O(log n):
//   Σ_j |v − x_j| = c_≤ v − s_≤ + (s − s_≤) − (c − c_≤) v.
class RankSums {
 public:
  explicit RankSums(std::size_t n) : count_(n + 1, 0), sum_(n + 1, 0.0) {}
  double distance_then_insert(double v, std::size_t rank) {
    std::size_t c_le = 0;
    double s_le = 0;
    for (std::size_t i = rank + 1; i > 0; i -= i & (~i + 1)) {
      c_le += count_[i];
      s_le += sum_[i];
    }
    const double c_le_d = static_cast<double>(c_le);
    const double c_gt = static_cast<double>(total_count_ - c_le);
    const double d = c_le_d * v - s_le + (total_sum_ - s_le) - c_gt * v;
    for (std::size_t i = rank + 1; i < count_.size(); i += i & (~i + 1)) {
      count_[i] += 1;
      sum_[i] += v;
    }
    total_count_ += 1;
    total_sum_ += v;
    return d;
  }

 private:
  std::vector<std::size_t> count_;
  std::vector<double> sum_;
  std::size_t total_count_ = 0;
  double total_sum_ = 0;
};

struct Split {
  std::size_t tau = 0;  // in the segment
  double q = 0;         // Q(τ)
  bool valid = false;   // false: no segment is long enough to split
};

// max_τ Q(τ) of one segment, its values y with their ranks in the segment.
Split best_split(const std::vector<double>& y, const std::vector<std::size_t>& rank,
                 std::size_t min_segment) {
  const std::size_t n = y.size();
  Split best;
  if (n < 2 * min_segment) return best;
  std::vector<double> left(n + 1, 0.0), right(n + 1, 0.0);  // within-sums W_L(τ), W_R(τ)
  RankSums l(n), r(n);
  for (std::size_t t = 0; t < n; ++t) left[t + 1] = left[t] + l.distance_then_insert(y[t], rank[t]);
  for (std::size_t t = n; t-- > 0;) right[t] = right[t + 1] + r.distance_then_insert(y[t], rank[t]);
  const double total = left[n];
  for (std::size_t tau = min_segment; tau + min_segment <= n; ++tau) {
    const double m = static_cast<double>(tau), k = static_cast<double>(n - tau);
    const double between = total - left[tau] - right[tau];
    double e = 2 * between / (m * k);
    if (tau >= 2) e -= left[tau] / (m * (m - 1) / 2);
    if (n - tau >= 2) e -= right[tau] / (k * (k - 1) / 2);
    const double q = m * k / static_cast<double>(n) * e;
    if (!best.valid || q > best.q) best = {tau, q, true};
  }
  return best;
}

// One segment of the series: its first index, its values and their ranks.
struct Segment {
  std::size_t begin = 0;
  std::vector<double> y;
  std::vector<std::size_t> rank;
};

Segment make_segment(const std::vector<double>& x, std::size_t begin, std::size_t end) {
  Segment s{begin,
            std::vector<double>(x.begin() + static_cast<std::ptrdiff_t>(begin),
                                x.begin() + static_cast<std::ptrdiff_t>(end)),
            {}};
  std::vector<std::size_t> order(s.y.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return s.y[a] < s.y[b]; });
  s.rank.resize(s.y.size());
  for (std::size_t i = 0; i < order.size(); ++i) s.rank[order[i]] = i;
  return s;
}

// The best split over all segments: (segment, split).
std::pair<std::size_t, Split> best_over(const std::vector<Segment>& segments, std::size_t min_segment) {
  std::pair<std::size_t, Split> best{0, {}};
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const Split s = best_split(segments[i].y, segments[i].rank, min_segment);
    if (s.valid && (!best.second.valid || s.q > best.second.q)) best = {i, s};
  }
  return best;
}

}  // namespace

std::size_t permutation_count(double level) { return static_cast<std::size_t>(std::ceil(4 / level)); }

std::vector<ChangePoint> detect_change_points(const std::vector<double>& x,
                                              const ChangePointOptions& options) {
  if (!(options.alpha > 0 && options.alpha < 1))
    throw std::invalid_argument("change points: alpha must lie in (0, 1), got " +
                                std::to_string(options.alpha));
  if (options.family_size == 0) throw std::invalid_argument("change points: family_size must be at least 1");
  if (options.min_segment == 0) throw std::invalid_argument("change points: min_segment must be at least 1");
  for (std::size_t i = 0; i < x.size(); ++i)
    if (!std::isfinite(x[i]))
      throw std::invalid_argument("change points: value " + std::to_string(i) + " is not finite");

  const double level = options.alpha / static_cast<double>(options.family_size);
  const std::size_t permutations = permutation_count(level);
  // Exceedances e that still allow (1 + e) / (1 + P) ≤ level.
  const double allowed = level * static_cast<double>(1 + permutations) - 1;
  boost::random::mt19937_64 rng(options.seed);

  // Q of a split that only rounding makes non-zero (a constant or piecewise
  // constant series, such as instruction counts): at most this.
  const auto [lo, hi] = std::minmax_element(x.begin(), x.end());
  const double tolerance = x.empty() ? 0 : 1e-10 * static_cast<double>(x.size()) * (*hi - *lo);

  std::vector<ChangePoint> found;
  std::vector<Segment> segments;
  segments.push_back(make_segment(x, 0, x.size()));
  for (;;) {
    const auto [which, split] = best_over(segments, options.min_segment);
    if (!split.valid || split.q <= tolerance) break;
    std::size_t exceed = 0, done = 0;
    std::vector<Segment> shuffled = segments;
    for (; done < permutations && static_cast<double>(exceed) <= allowed; ++done) {
      for (Segment& s : shuffled)  // Fisher–Yates, values and ranks together
        for (std::size_t i = s.y.size(); i > 1; --i) {
          const std::size_t j = boost::random::uniform_int_distribution<std::size_t>(0, i - 1)(rng);
          std::swap(s.y[i - 1], s.y[j]);
          std::swap(s.rank[i - 1], s.rank[j]);
        }
      if (best_over(shuffled, options.min_segment).second.q >= split.q - tolerance) ++exceed;
    }
    const double p = static_cast<double>(1 + exceed) / static_cast<double>(1 + done);
    if (done < permutations || p > level) break;
    const Segment& s = segments[which];
    const std::size_t cut = s.begin + split.tau, end = s.begin + s.y.size();
    found.push_back({cut, split.q, p});
    Segment left = make_segment(x, s.begin, cut), right = make_segment(x, cut, end);
    segments[which] = std::move(left);
    segments.insert(segments.begin() + static_cast<std::ptrdiff_t>(which) + 1, std::move(right));
  }
  std::sort(found.begin(), found.end(),
            [](const ChangePoint& a, const ChangePoint& b) { return a.index < b.index; });
  return found;
}

}  // namespace scorebench::reports::history
