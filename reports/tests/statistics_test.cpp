#include "scorebench/reports/statistics.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <stdexcept>

namespace scorebench::reports {
namespace {

TEST(Median, OddAndEvenSizes) {
  EXPECT_EQ(median({3, 1, 2}), 2);
  EXPECT_EQ(median({4, 1, 3, 2}), 2.5);
  EXPECT_THROW(median({}), std::invalid_argument);
}

TEST(MannWhitney, CompleteSeparationOfThreeAgainstThreeIsExactlyOneTenth) {
  // U = 9 is the most extreme of C(6,3) = 20 equally likely arrangements: p = 2/20.
  const MannWhitneyResult r = mann_whitney({1, 2, 3}, {4, 5, 6});
  EXPECT_TRUE(r.exact);
  EXPECT_EQ(r.u, 9);
  EXPECT_NEAR(r.p_value, 0.1, 1e-12);
  EXPECT_NEAR(mann_whitney({4, 5, 6}, {1, 2, 3}).p_value, 0.1, 1e-12);
}

TEST(MannWhitney, ExactPValueMatchesEnumerationOfAllArrangements) {
  // By enumeration of the 1716 splits of 13 ranks into 6 and 7: P(U ≤ 33) doubled.
  const MannWhitneyResult r =
      mann_whitney({1.1, 2.5, 3.3, 7.0, 8.2, 9.1}, {4.0, 5.5, 6.1, 10.2, 11.3, 12.4, 13.0});
  EXPECT_TRUE(r.exact);
  EXPECT_EQ(r.u, 33);
  EXPECT_NEAR(r.p_value, 0.10139860139860139, 1e-12);
}

TEST(MannWhitney, TiesUseTheNormalApproximationWithTieCorrection) {
  // U = 15, E U = 8, Var U = 16/12 (9 − 54/56), z = (7 − ½)/sd, p = erfc(z/√2).
  const MannWhitneyResult r = mann_whitney({1, 1, 2, 2}, {2, 3, 3, 3});
  EXPECT_FALSE(r.exact);
  EXPECT_EQ(r.u, 15);
  EXPECT_NEAR(r.p_value, 0.04705744628217288, 1e-10);
}

TEST(MannWhitney, AllValuesTiedGivesPOne) { EXPECT_EQ(mann_whitney({5, 5, 5}, {5, 5}).p_value, 1); }

TEST(MannWhitney, NormalApproximationAgreesWithExactForModerateSamples) {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> n(0, 1);
  std::vector<double> x(20), y(20);
  for (double& v : x) v = n(rng);
  for (double& v : y) v = n(rng) + 0.6;
  const double exact = mann_whitney(x, y).p_value;
  const double normal = mann_whitney(x, y, /*exact_limit=*/0).p_value;
  EXPECT_LT(exact, 0.2);
  EXPECT_NEAR(normal, exact, 0.1 * exact);
}

TEST(MannWhitney, EmptySampleIsRejected) { EXPECT_THROW(mann_whitney({}, {1.0}), std::invalid_argument); }

TEST(SmallestPValue, IsTwoOverBinomial) {
  EXPECT_NEAR(smallest_p_value(3, 3), 2.0 / 20, 1e-15);
  EXPECT_NEAR(smallest_p_value(5, 5), 2.0 / 252, 1e-15);
  EXPECT_NEAR(smallest_p_value(5, 5), mann_whitney({1, 2, 3, 4, 5}, {6, 7, 8, 9, 10}).p_value, 1e-15);
}

TEST(HodgesLehmann, RatioIsTheMedianPairwiseRatio) {
  // Pairwise ratios y_j / x_i = {2, 4, 8, 1, 2, 4, 0.5, 1, 2}: median 2.
  const RatioEstimate r = hodges_lehmann_ratio({1, 2, 4}, {2, 4, 8}, 0.1);
  EXPECT_NEAR(r.ratio, 2, 1e-12);
  // m = n = 3, α = 0.1: P(U ≤ 0) = 1/20 ≤ 0.05 < P(U ≤ 1), so k = 1: [D_(1), D_(9)].
  EXPECT_NEAR(r.low, 0.5, 1e-12);
  EXPECT_NEAR(r.high, 8, 1e-12);
}

TEST(HodgesLehmann, TooFewRepetitionsGiveAnUnboundedInterval) {
  // At α = 0.05 with 3 + 3 values even the extreme order statistics miss 95 % coverage.
  const RatioEstimate r = hodges_lehmann_ratio({1, 2, 4}, {2, 4, 8}, 0.05);
  EXPECT_EQ(r.low, 0);
  EXPECT_TRUE(std::isinf(r.high));
}

TEST(HodgesLehmann, IntervalCoversTheTrueRatioAtTheNominalRate) {
  std::mt19937_64 rng(11);
  std::lognormal_distribution<double> noise(0, 0.1);
  const double truth = 1.3;
  int covered = 0;
  const int trials = 400;
  for (int t = 0; t < trials; ++t) {
    std::vector<double> x(10), y(12);
    for (double& v : x) v = 100 * noise(rng);
    for (double& v : y) v = 100 * truth * noise(rng);
    const RatioEstimate r = hodges_lehmann_ratio(x, y, 0.05);
    covered += r.low <= truth && truth <= r.high;
  }
  // Nominal 95 %; three binomial standard errors below it is 0.917.
  EXPECT_GE(double(covered) / trials, 0.917);
  EXPECT_LT(double(covered) / trials, 1.0);
}

TEST(HodgesLehmann, NonPositiveValuesAreADomainError) {
  EXPECT_THROW(hodges_lehmann_ratio({1, 0}, {1, 2}, 0.05), std::domain_error);
}

TEST(Holm, StepDownAdjustmentInInputOrder) {
  // Sorted 0.005·4 = 0.02, 0.01·3 = 0.03, 0.03·2 = 0.06, max(0.06, 0.04·1) = 0.06.
  const std::vector<double> adjusted = holm_adjust({0.01, 0.04, 0.03, 0.005});
  ASSERT_EQ(adjusted.size(), 4u);
  EXPECT_NEAR(adjusted[0], 0.03, 1e-15);
  EXPECT_NEAR(adjusted[1], 0.06, 1e-15);
  EXPECT_NEAR(adjusted[2], 0.06, 1e-15);
  EXPECT_NEAR(adjusted[3], 0.02, 1e-15);
  EXPECT_EQ(holm_adjust({0.5, 0.9})[1], 1.0);
}

}  // namespace
}  // namespace scorebench::reports

namespace scorebench::reports {
namespace {

TEST(TimeRatioMargin, IsTheGeometricMeanOfMedianRatiosWithTheRepetitionNoise) {
  const std::vector<double> slow1 = {4, 4.4, 3.6}, fast1 = {2, 2, 2}, slow2 = {9, 9}, fast2 = {1, 1};
  const Margin m = time_ratio_margin({{&slow1, &fast1}, {&slow2, &fast2}});
  EXPECT_NEAR(m.ratio, std::sqrt(2.0 * 9.0), 1e-12);
  // Only slow1 varies: v = (π/2) s²(log slow1) / 3, half-width 1.96 √v / 2.
  const double l[] = {std::log(4.0), std::log(4.4), std::log(3.6)};
  const double mean = (l[0] + l[1] + l[2]) / 3;
  double ss = 0;
  for (double x : l) ss += (x - mean) * (x - mean);
  const double half = 1.959963984540054 * std::sqrt(std::acos(-1.0) / 2 * ss / 2 / 3) / 2;
  EXPECT_NEAR(std::log(m.low), std::log(m.ratio) - half, 1e-12);
  EXPECT_NEAR(std::log(m.high), std::log(m.ratio) + half, 1e-12);
  EXPECT_FALSE(m.tie());
}

TEST(TimeRatioMargin, CoversTheTrueRatioAboutNinetyFivePercentOfTheTime) {
  std::mt19937_64 rng(11);
  std::lognormal_distribution<double> noise(0, 0.05);
  int covered = 0;
  const int trials = 2000;
  for (int t = 0; t < trials; ++t) {
    std::vector<std::vector<double>> slow(3), fast(3);
    std::vector<std::pair<const std::vector<double>*, const std::vector<double>*>> pairs;
    for (int k = 0; k < 3; ++k) {
      for (int r = 0; r < 7; ++r) {
        slow[std::size_t(k)].push_back(1.1 * (k + 1) * noise(rng));
        fast[std::size_t(k)].push_back(1.0 * (k + 1) * noise(rng));
      }
      pairs.push_back({&slow[std::size_t(k)], &fast[std::size_t(k)]});
    }
    const Margin m = time_ratio_margin(pairs);
    covered += m.low <= 1.1 && 1.1 <= m.high;
  }
  // Binomial 99.9 % band around 0.95 at n = 2000 is ±0.016; the π/2 factor is
  // the large-n efficiency of the median, so allow a little more on the high side.
  EXPECT_GT(double(covered) / trials, 0.93);
  EXPECT_LT(double(covered) / trials, 0.985);
}

TEST(TimeRatioMargin, WithoutRepetitionsThereIsNoIntervalAndSmallMarginsAreTies) {
  const std::vector<double> slow = {1.04}, fast = {1.0}, clear = {1.3};
  const Margin small = time_ratio_margin({{&slow, &fast}});
  EXPECT_FALSE(small.has_interval());
  EXPECT_TRUE(small.tie());
  EXPECT_FALSE(time_ratio_margin({{&clear, &fast}}).tie());
  EXPECT_TRUE(std::isnan(time_ratio_margin({}).ratio));
  const std::vector<double> zero = {0.0};
  EXPECT_THROW(time_ratio_margin({{&zero, &fast}}), std::domain_error);
}

}  // namespace
}  // namespace scorebench::reports
