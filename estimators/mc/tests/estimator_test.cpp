// Deterministic properties of the estimators: reproducibility, thread-count
// independence, the Output::sum route, every registry method, the mutant's
// score, the moment and Holm arithmetic, and the documented errors.

#include "scorebench/mc/estimator.hpp"

#include <gtest/gtest.h>

#include <boost/math/constants/constants.hpp>
#include <cmath>

#include "scorebench/mc/find_method.hpp"
#include "scorebench/mc/gate.hpp"
#include "scorebench/mc/hypothesis.hpp"
#include "scorebench/mc/moments.hpp"
#include "scorebench/mc/random.hpp"
#include "scorebench/registry.hpp"

namespace scorebench::mc {
namespace {

// log q(a) = −½‖ε‖² + log 2π + 2 Σᵢ log Lᵢᵢ, the mis-written density of
// mutant:misnormalised_density (log det Σ = 2 Σᵢ log Lᵢᵢ, ε = L⁻¹(a − μ));
// scale is L or σ.
double misnormalised_log_density(Parameterization p, const Vec<double>& loc, const Vec<double>& action,
                                 const Mat<double>& scale) {
  const Mat<double> l = p == Parameterization::scale_diag ? Mat<double>(scale.col(0).asDiagonal())
                                                          : Mat<double>(scale.triangularView<Eigen::Lower>());
  const Vec<double> eps = l.triangularView<Eigen::Lower>().solve(action - loc);
  return -eps.squaredNorm() / 2 + std::log(2 * boost::math::constants::pi<double>()) +
         2 * l.diagonal().array().log().sum();
}

Problem tril_problem(const std::string& cost = "cos:1") {
  Problem p;
  p.cost = parse_cost(cost);
  p.loc = (Vec<double>(2) << 0.5, -0.3).finished();
  p.parameterization = Parameterization::scale_tril;
  p.scale = (Mat<double>(2, 2) << 0.8, 0.0, 0.3, 1.2).finished();
  return p;
}

Problem diag_problem(const std::string& cost = "square:1") {
  Problem p = tril_problem(cost);
  p.parameterization = Parameterization::scale_diag;
  p.scale = (Vec<double>(2) << 0.7, 1.3).finished();
  return p;
}

EstimateOptions options_for(Estimator e, std::uint64_t samples = 5000) {
  EstimateOptions o;
  o.estimator = e;
  o.samples = samples;
  o.seed = 42;
  o.batch_size = 256;
  return o;
}

TEST(Noise, DependsOnSeedAndSampleIndexOnly) {
  Mat<double> all(3, 10), tail(3, 4);
  fill_noise(7, 0, all);
  fill_noise(7, 6, tail);
  EXPECT_EQ(Mat<double>(all.rightCols(4)), tail);
  Mat<double> other(3, 10);
  fill_noise(8, 0, other);
  EXPECT_NE(all, other);
}

TEST(Estimator, BitIdenticalForASeedAtAnyThreadCount) {
  for (Estimator e : correct_estimators()) {
    SCOPED_TRACE(std::string(name(e)));
    EstimateOptions one = options_for(e), three = options_for(e);
    three.threads = 3;
    const Estimate a = estimate(tril_problem(), one), b = estimate(tril_problem(), three);
    EXPECT_EQ(a.mean, b.mean);
    EXPECT_EQ(a.variance, b.variance);
    EstimateOptions reseeded = one;
    reseeded.seed = 43;
    EXPECT_NE(estimate(tril_problem(), reseeded).mean, a.mean);
  }
}

// estimate() merges batches in rounds of 64 per thread (bounded memory for
// any number of samples): with 501 batches the round boundaries differ at 1,
// 3 and 8 threads (8, 3 and 1 rounds), and the result must not.
TEST(Estimator, MergingInRoundsDoesNotChangeABit) {
  for (const bool statistics : {true, false}) {
    SCOPED_TRACE(statistics ? "statistics" : "mean only");
    EstimateOptions o = options_for(Estimator::score_function_baseline, 1001);
    o.batch_size = 2;
    o.statistics = statistics;
    const Estimate one = estimate(tril_problem(), o);
    for (const int threads : {3, 8}) {
      o.threads = threads;
      const Estimate many = estimate(tril_problem(), o);
      EXPECT_EQ(one.mean, many.mean) << threads;
      if (statistics) {
        EXPECT_EQ(one.variance, many.variance) << threads;
      }
    }
  }
}

TEST(Estimator, OutputSumRouteGivesTheSameMean) {
  // Σ_b c_b ∇log p_b through the method's Output::sum equals the average of
  // the per-sample estimates.
  for (Estimator e : {Estimator::score_function, Estimator::score_function_baseline}) {
    for (const std::string method : {"analytic", "reparameterization", "explicit_inverse"}) {
      SCOPED_TRACE(std::string(name(e)) + " " + method);
      EstimateOptions stats = options_for(e), sum = options_for(e);
      stats.method = sum.method = method;
      sum.statistics = false;
      const Estimate a = estimate(tril_problem(), stats), b = estimate(tril_problem(), sum);
      EXPECT_LT((a.mean - b.mean).norm(), 1e-12 * (1 + a.mean.norm()));
      EXPECT_TRUE(std::isnan(b.variance(0)));
    }
  }
}

TEST(Estimator, EveryAvailableRegistryMethodGivesTheSameScoreFunctionEstimate) {
  const Estimate reference = estimate(tril_problem(), options_for(Estimator::score_function));
  for (const Method* m : registry().methods()) {
    if (!m->capabilities().available) continue;
    SCOPED_TRACE(m->name());
    EstimateOptions o = options_for(Estimator::score_function);
    o.method = m->name();
    const Estimate e = estimate(tril_problem(), o);
    EXPECT_LT((e.mean - reference.mean).norm(), 1e-9 * (1 + reference.mean.norm()));
  }
}

TEST(Estimator, ConstantEstimatorIsTestedWithoutAStandardError) {
  // The constant-variance score gives exactly 0 for the scale: variance 0,
  // and z = ±∞ because the exact scale gradient is not 0.
  EstimateOptions o = options_for(Estimator::score_function);
  o.method = "mutant:constant_variance";
  const Estimate e = estimate(diag_problem(), o);
  EXPECT_EQ(e.variance(2), 0);
  EXPECT_TRUE(std::isinf(e.z(2)));
  EXPECT_EQ(e.p_value(2), 0);
}

TEST(MutantMethods, MisnormalisedScoreIsTheGradientOfTheMisWrittenDensity) {
  const Method& m = find_method("mutant:misnormalised_density");
  for (Parameterization p : {Parameterization::scale_tril, Parameterization::scale_diag}) {
    SCOPED_TRACE(std::string(name(p)));
    const Problem problem = p == Parameterization::scale_tril ? tril_problem() : diag_problem();
    const Vec<double> action = (Vec<double>(2) << 1.1, 0.4).finished();
    Batch<double> batch;
    batch.parameterization = p;
    batch.loc = problem.loc;
    batch.action = action;
    batch.param = problem.scale;
    const Result<double> r = m.evaluate(batch, Request<double>{});
    ASSERT_TRUE(r.ok());
    const double h = 1e-6;
    for (Index i = 0; i < 2; ++i) {
      Vec<double> up = problem.loc, down = problem.loc;
      up(i) += h;
      down(i) -= h;
      const double fd = (misnormalised_log_density(p, up, action, problem.scale) -
                         misnormalised_log_density(p, down, action, problem.scale)) /
                        (2 * h);
      EXPECT_NEAR(r.grad_loc(i, 0), fd, 1e-7);
    }
    for (Index j = 0; j < problem.scale.cols(); ++j)
      for (Index i = j; i < 2; ++i) {
        Mat<double> up = problem.scale, down = problem.scale;
        up(i, j) += h;
        down(i, j) -= h;
        const double fd = (misnormalised_log_density(p, problem.loc, action, up) -
                           misnormalised_log_density(p, problem.loc, action, down)) /
                          (2 * h);
        EXPECT_NEAR(r.grad_param(i, j), fd, 1e-7);
      }
  }
}

TEST(Moments, MergeEqualsTwoPassMoments) {
  const std::vector<double> x = {1.5, -2.0, 0.25, 7.0, 3.0, -1.0, 0.5};
  double mean = 0;
  for (double v : x) mean += v;
  mean /= static_cast<double>(x.size());
  double m2 = 0, m3 = 0, m4 = 0;
  for (double v : x) {
    const double r = v - mean;
    m2 += r * r;
    m3 += r * r * r;
    m4 += r * r * r * r;
  }
  Moments left, right, sequential;
  for (std::size_t i = 0; i < x.size(); ++i) {
    (i < 3 ? left : right).add(x[i]);
    sequential.add(x[i]);
  }
  left.merge(right);
  for (const Moments& m : {left, sequential}) {
    EXPECT_NEAR(m.mean, mean, 1e-14);
    EXPECT_NEAR(m.m2, m2, 1e-12);
    EXPECT_NEAR(m.m3, m3, 1e-11);
    EXPECT_NEAR(m.m4, m4, 1e-10);
  }
  EXPECT_NEAR(sequential.variance(), m2 / 6, 1e-13);
}

TEST(Holm, StepDownByHand) {
  // p = 0.01, 0.04, 0.03, 0.005 at α = 0.05: 4·0.005 = 0.02 ✓, 3·0.01 = 0.03 ✓,
  // 2·0.03 = 0.06 ✗ (stop); adjusted = 0.03, 0.06, 0.06, 0.02.
  std::vector<ZTest> family(4);
  const double p[] = {0.01, 0.04, 0.03, 0.005};
  for (int i = 0; i < 4; ++i) family[static_cast<std::size_t>(i)].p_value = p[i];
  EXPECT_EQ(holm(family, 0.05), 2);
  EXPECT_TRUE(family[0].rejected);
  EXPECT_FALSE(family[1].rejected);
  EXPECT_FALSE(family[2].rejected);
  EXPECT_TRUE(family[3].rejected);
  EXPECT_DOUBLE_EQ(family[0].adjusted_p, 0.03);
  EXPECT_DOUBLE_EQ(family[1].adjusted_p, 0.06);
  EXPECT_DOUBLE_EQ(family[2].adjusted_p, 0.06);
  EXPECT_DOUBLE_EQ(family[3].adjusted_p, 0.02);
}

TEST(Fisher, DiagonalLMatchesScaleDiag) {
  // For L = diag(σ) the scale_tril Fisher information restricted to the
  // diagonal entries is the scale_diag one, 2/σ².
  const Vec<double> sigma = (Vec<double>(2) << 0.7, 1.3).finished();
  const Mat<double> tril = Mat<double>(sigma.asDiagonal());
  const Mat<double> ft = fisher_information(Parameterization::scale_tril, tril);
  const Mat<double> fd = fisher_information(Parameterization::scale_diag, sigma);
  // scale_tril coordinates after loc: (0,0), (1,0), (1,1)
  EXPECT_DOUBLE_EQ(ft(2, 2), fd(2, 2));
  EXPECT_DOUBLE_EQ(ft(4, 4), fd(3, 3));
  EXPECT_DOUBLE_EQ(fd(2, 2), 2 / (0.7 * 0.7));
}

template <typename Error>
std::string error_of(const Problem& problem, EstimateOptions o = options_for(Estimator::score_function)) {
  try {
    estimate(problem, o);
  } catch (const Error& e) {
    return e.what();
  }
  return "no exception";
}

TEST(Estimator, ErrorsNameTheArgument) {
  Problem p = diag_problem();
  p.scale(1, 0) = -1;
  EXPECT_NE(error_of<std::domain_error>(p).find("scale_diag[1]"), std::string::npos);
  p = tril_problem();
  p.scale(0, 1) = 0.5;
  EXPECT_NE(error_of<std::domain_error>(p).find("above the diagonal"), std::string::npos);
  p = tril_problem();
  p.scale = Mat<double>::Identity(3, 3);
  EXPECT_NE(error_of<std::invalid_argument>(p).find("scale_tril is 3×3"), std::string::npos);
  p = tril_problem();
  p.loc(1) = std::numeric_limits<double>::quiet_NaN();
  EXPECT_NE(error_of<std::domain_error>(p).find("loc[1]"), std::string::npos);
  p = tril_problem();
  p.parameterization = Parameterization::covariance_matrix;
  EXPECT_NE(error_of<std::invalid_argument>(p).find("scale_tril or scale_diag"), std::string::npos);
  p = tril_problem("exp_neg_square:-2");
  EXPECT_NE(error_of<std::domain_error>(p).find("not positive definite"), std::string::npos);
  EstimateOptions o = options_for(Estimator::score_function);
  o.method = "nonesuch";
  EXPECT_NE(error_of<std::invalid_argument>(tril_problem(), o).find("mutants:"), std::string::npos);
  o = options_for(Estimator::score_function, 1);
  EXPECT_NE(error_of<std::invalid_argument>(tril_problem(), o).find("samples"), std::string::npos);
}

}  // namespace
}  // namespace scorebench::mc
