#include "scorebench/verification/reference.hpp"

#include <gtest/gtest.h>

#include "scorebench/verification/oracle.hpp"

namespace scorebench::verification {
namespace {

// The closed forms in 50 digits against central differences of the generic
// log-density: at least 25 significant digits in every block, every
// parameterization, conditioning up to 1e12.
TEST(Reference, AgreesWithTheOracleToTwentyFiveDigits) {
  for (Parameterization p : kAllParameterizations)
    for (Index d : {1, 3, 5})
      for (double kappa : {1e0, 1e6, 1e12})
        for (ActionKind a : {ActionKind::bulk, ActionKind::tail}) {
          if (d == 1 && kappa > 1) continue;
          CaseSpec s;
          s.parameterization = p;
          s.dim = d;
          s.kappa = kappa;
          s.action = a;
          s.seed = 7;
          const Case c = make_case(s);
          const Index cols = is_matrix(p) ? d : 1;
          const Vec<mp50> loc = to_mp(c.batch.loc.col(1)), action = to_mp(c.batch.action.col(1));
          const Mat<mp50> param = to_mp(c.batch.param.middleCols(cols, cols));
          const SampleReference r = sample_reference(p, loc, action, param);
          const OracleGradient o = central_difference_oracle(p, loc, action, param);
          EXPECT_GE(
              agreeing_digits(Mat<mp50>::Constant(1, 1, o.log_prob), Mat<mp50>::Constant(1, 1, r.log_prob)),
              25)
              << c.id();
          EXPECT_GE(agreeing_digits(o.grad_loc, r.w), 25) << c.id();
          EXPECT_GE(agreeing_digits(o.grad_action, Vec<mp50>(-r.w)), 25) << c.id();
          EXPECT_GE(agreeing_digits(o.grad_param, r.grad_param), 25) << c.id();
        }
}

// d = 1 by hand: log p = −(a−μ)²/(2v) − ½ log v − ½ log 2π with v = σ² (or
// 1/λ); ∂/∂μ = (a−μ)/v; ∂/∂v = ((a−μ)²/v − 1)/(2v); ∂/∂λ = (v − (a−μ)²)/2.
TEST(Reference, MatchesTheOneDimensionalFormulasByHand) {
  const mp50 mu = mp50(3) / 4, a = mp50(-5) / 2, sigma = mp50(13) / 8;
  const mp50 v = sigma * sigma, r = a - mu;
  const mp50 pi = boost::math::constants::pi<mp50>();
  const mp50 lp = -r * r / (2 * v) - log(v) / 2 - log(2 * pi) / 2;
  const Vec<mp50> loc = Vec<mp50>::Constant(1, mu), action = Vec<mp50>::Constant(1, a);
  const auto near = [](const mp50& x, const mp50& y) { return static_cast<double>(abs(x - y) / abs(y)); };
  const struct {
    Parameterization p;
    mp50 param, grad;
  } cases[] = {{Parameterization::scale_tril, sigma, (r * r / v - 1) / sigma},
               {Parameterization::scale_diag, sigma, (r * r / v - 1) / sigma},
               {Parameterization::covariance_matrix, v, (r * r / v - 1) / (2 * v)},
               {Parameterization::precision_matrix, 1 / v, (v - r * r) / 2}};
  for (const auto& c : cases) {
    const SampleReference s = sample_reference(c.p, loc, action, Mat<mp50>::Constant(1, 1, c.param));
    EXPECT_LT(near(s.log_prob, lp), 1e-45) << name(c.p);
    EXPECT_LT(near(s.w(0), r / v), 1e-45) << name(c.p);
    EXPECT_LT(near(s.grad_param(0, 0), c.grad), 1e-45) << name(c.p);
  }
}

// The symmetric convention: ⟨G, E⟩_F is the derivative along a symmetric
// direction E moving both triangles (not the vech derivative 2G − diag G).
TEST(Reference, CovarianceGradientIsTheSymmetricConvention) {
  CaseSpec s;
  s.parameterization = Parameterization::covariance_matrix;
  s.dim = 4;
  s.kappa = 1e2;
  s.seed = 3;
  const Case c = make_case(s);
  const Vec<mp50> loc = to_mp(c.batch.loc.col(0)), action = to_mp(c.batch.action.col(0));
  const Mat<mp50> sigma = to_mp(c.batch.param.leftCols(4));
  Mat<mp50> e = Mat<mp50>::Zero(4, 4);
  e(2, 1) = e(1, 2) = 1;
  e(3, 3) = mp50(1) / 2;
  const SampleReference r = sample_reference(Parameterization::covariance_matrix, loc, action, sigma);
  const mp50 h = mp50(1) / mp50(1e20);
  const auto f = [&](const mp50& t) {
    return sample_reference(Parameterization::covariance_matrix, loc, action, Mat<mp50>(sigma + t * e))
        .log_prob;
  };
  const mp50 directional = (f(h) - f(-h)) / (2 * h);
  const mp50 inner = (r.grad_param.cwiseProduct(e)).sum();
  EXPECT_LT(static_cast<double>(abs(directional - inner) / abs(inner)), 1e-25);
}

TEST(Reference, WeightedSumIsTheWeightedSumOfSamples) {
  CaseSpec s;
  s.parameterization = Parameterization::scale_tril;
  s.dim = 3;
  s.kappa = 1e4;
  s.seed = 9;
  const Case c = make_case(s);
  CaseReference ref(c);
  const Reference grads = ref.reference(Mode{false, Output::grads}, false, true);
  const Reference sum = ref.reference(Mode{false, Output::sum}, false, true);
  const Vec<mp50> w = to_mp(c.weights);
  const Mat<mp50> expected = grads[Block::grad_loc].value * w;
  EXPECT_LT(static_cast<double>((sum[Block::grad_loc].value - expected).norm()), 1e-40);
  EXPECT_GE(static_cast<double>(sum[Block::grad_param].magnitude.norm()),
            static_cast<double>(sum[Block::grad_param].value.norm()));
}

// A NaN in a sample's noise spoils it for a method given the noise, and
// for one given the action only leaves it a valid sample of the sum.
TEST(Reference, ASpoiledNoiseSpoilsItsSampleOnlyForAMethodGivenTheNoise) {
  CaseSpec s;
  s.parameterization = Parameterization::scale_tril;
  s.dim = 3;
  s.kappa = 1e2;
  s.seed = 9;
  s.invalid = InvalidKind::nan_noise;
  s.weights = WeightKind::positive;  // c_k ≠ 0
  const Case c = make_case(s);
  ASSERT_GE(c.invalid_sample, 1);
  CaseReference ref(c);
  for (const bool shared : {false, true}) {
    const Mode sum{shared, Output::sum};
    const Reference given_noise = ref.reference(sum, false, true);
    const Reference given_action = ref.reference(sum, false, false);
    EXPECT_EQ(given_noise.invalid_sample, c.invalid_sample);
    EXPECT_NE(given_noise.invalid_evidence.find("noise("), std::string::npos) << given_noise.invalid_evidence;
    EXPECT_EQ(given_action.invalid_sample, -1);
    // The action-only sum has sample k's term, the other lacks it.
    const mp50 k_weight = c.weights(c.invalid_sample);
    const Reference one = ref.reference(Mode{shared, Output::grads}, false, false);
    const Vec<mp50> k_term = k_weight * one[Block::grad_loc].value.col(c.invalid_sample);
    EXPECT_LT(static_cast<double>(
                  (given_action[Block::grad_loc].value - given_noise[Block::grad_loc].value - k_term).norm()),
              1e-40);
    EXPECT_GT(static_cast<double>(k_term.norm()), 0);
  }
}

}  // namespace
}  // namespace scorebench::verification
