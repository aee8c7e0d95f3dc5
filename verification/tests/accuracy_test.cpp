#include "scorebench/verification/accuracy.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "scorebench/registry.hpp"
#include "scorebench/verification/contract.hpp"
#include "scorebench/verification/double_checks.hpp"

namespace scorebench::verification {
namespace {

BlockReference reference_of(const Mat<double>& v, const Mat<double>& m) { return {to_mp(v), to_mp(m)}; }

TEST(Accuracy, NormwiseErrorWorstEntryAndRatio) {
  Mat<double> g(2, 4);  // two samples of a 2×2 scale_tril gradient
  g << 1, 0, 3, 0,      //
      2, 4, 1, 5;
  Mat<double> computed = g;
  computed(1, 2) += 1e-12;  // sample 1, entry (1, 0)
  computed(0, 0) += 1e-13;
  const BlockError e = measure_block<double>(Block::grad_param, Parameterization::scale_tril, false, computed,
                                             reference_of(g, g.cwiseAbs()), 1e-15);
  EXPECT_EQ(e.name, "grad_scale_tril");
  // The perturbations as stored (1 + 1e-12 is rounded; the differences are exact).
  const double expected = std::hypot(computed(1, 2) - g(1, 2), computed(0, 0) - g(0, 0)) / g.norm();
  EXPECT_NEAR(e.error, expected, 1e-12 * expected);
  EXPECT_EQ(e.sample, 1);
  EXPECT_EQ(e.row, 1);
  EXPECT_EQ(e.col, 0);
  EXPECT_DOUBLE_EQ(e.rho, 1.0);
  EXPECT_NEAR(e.ratio, e.error / 1e-15, 1e-9);
  EXPECT_TRUE(e.structure.empty());
}

TEST(Accuracy, CancellationWidensTheBoundByRho) {
  const Mat<double> g = Mat<double>::Constant(1, 1, 1e-3), m = Mat<double>::Constant(1, 1, 2.0);
  const BlockError e = measure_block<double>(Block::grad_param, Parameterization::scale_diag, false,
                                             Mat<double>::Constant(1, 1, 1e-3), reference_of(g, m), 1e-16);
  EXPECT_DOUBLE_EQ(e.rho, 2000.0);
  EXPECT_DOUBLE_EQ(e.bound, 2e-13);
}

// Weights that cancel to the last bit leave a sum that is exactly 0: the
// error is then measured against the magnitude of its terms, not as an
// absolute number (which a sum of large terms can never meet).
TEST(Accuracy, AnExactlyZeroReferenceIsMeasuredAgainstItsMagnitude) {
  const Mat<double> zero = Mat<double>::Zero(1, 1), m = Mat<double>::Constant(1, 1, 700.0);
  const BlockError e =
      measure_block<double>(Block::grad_param, Parameterization::scale_tril, true,
                            Mat<double>::Constant(1, 1, -3.8e-6), reference_of(zero, m), 1e-8);
  EXPECT_DOUBLE_EQ(e.rho, 1.0);
  EXPECT_NEAR(e.error, 3.8e-6 / 700.0, 1e-20);
  EXPECT_NEAR(e.ratio, 3.8e-6 / 700.0 / 1e-8, 1e-9);
  EXPECT_EQ(e.sample, -1);
  // Ten times the rounding of the terms' size is ten times the bound.
  const BlockError far =
      measure_block<double>(Block::grad_param, Parameterization::scale_tril, true,
                            Mat<double>::Constant(1, 1, 7e-5), reference_of(zero, m), 1e-8);
  EXPECT_NEAR(far.ratio, 10.0, 1e-9);
}

TEST(Accuracy, NonZeroAboveTheDiagonalOfTheScaleTrilGradientIsAStructuralViolation) {
  Mat<double> g = Mat<double>::Identity(2, 2), computed = g;
  computed(0, 1) = 1e-300;
  const BlockError e = measure_block<double>(Block::grad_param, Parameterization::scale_tril, false, computed,
                                             reference_of(g, g), 1e-16);
  EXPECT_NE(e.structure.find("entry (0,1)"), std::string::npos) << e.structure;
}

TEST(Accuracy, NonFiniteOutputIsInfinitelyWrongAndLocated) {
  const Mat<double> g = Mat<double>::Ones(3, 2);
  Mat<double> computed = g;
  computed(2, 1) = NAN;
  const BlockError e = measure_block<double>(Block::grad_loc, Parameterization::scale_tril, false, computed,
                                             reference_of(g, g), 1e-16);
  EXPECT_TRUE(std::isinf(e.error));
  EXPECT_FALSE(e.ratio <= 1);
  EXPECT_EQ(e.sample, 1);
  EXPECT_EQ(e.row, 2);
}

TEST(Accuracy, WrongShapeIsAStructuralViolation) {
  const Mat<double> g = Mat<double>::Ones(3, 2);
  const BlockError e = measure_block<double>(Block::grad_loc, Parameterization::scale_tril, false,
                                             Mat<double>::Ones(3, 1), reference_of(g, g), 1e-16);
  EXPECT_NE(e.structure.find("shape 3x1, expected 3x2"), std::string::npos);
}

// The bound counts the route's roundings: c·u·[(a·d + b + B)·κ^p + e·d + f]
// with a, b, e, f from rounding_model.cpp, worked out by hand here.
TEST(Contract, CountsEveryRoundingOfTheRoute) {
  const double u = 0x1p-53;
  AccuracyContract own;
  own.route = Route::own_factor;
  const Parameterization tril = Parameterization::scale_tril;
  // ∇L at d = 1, κ = 1: (3 + 5) amplified + 3 final = 11 roundings.
  EXPECT_DOUBLE_EQ(own.unit_bound(tril, Block::grad_param, {1, 1.0, u, 0}), 11 * u);
  // A weighted sum of 9 samples adds 9 amplified: 20.
  EXPECT_DOUBLE_EQ(own.unit_bound(tril, Block::grad_param, {1, 1.0, u, 9}), 20 * u);
  // d = 4, κ = 100: (3·4 + 5)·100 + 3.
  EXPECT_DOUBLE_EQ(own.unit_bound(tril, Block::grad_param, {4, 100.0, u, 0}), (17 * 100 + 3) * u);
  // log p: (2d + 4)κ + 2d + 5 at d = 2, κ = 10: 80 + 9.
  EXPECT_DOUBLE_EQ(own.unit_bound(tril, Block::log_prob, {2, 10.0, u, 0}), 89 * u);
  // A diagonal σ on a known route: nothing amplified by κ.
  EXPECT_DOUBLE_EQ(own.unit_bound(Parameterization::scale_diag, Block::grad_param, {3, 1e8, u, 0}), 10 * u);
  // ∇L through Σ: (11d + 8)·κ^1.5 + 2 at d = 2, κ = 100.
  AccuracyContract sigma;
  sigma.route = Route::through_sigma;
  EXPECT_DOUBLE_EQ(sigma.unit_bound(tril, Block::grad_param, {2, 100.0, u, 0}), (30 * 1000.0 + 2) * u);
  // ∇Λ through Σ: κ², (34d + 32).
  EXPECT_DOUBLE_EQ(sigma.unit_bound(Parameterization::precision_matrix, Block::grad_param, {1, 10.0, u, 0}),
                   (66 * 100.0 + 2) * u);
  // An unknown route is amplified by κ even for σ; c multiplies the count.
  AccuracyContract unknown;
  unknown.c = 2;
  EXPECT_DOUBLE_EQ(unknown.unit_bound(Parameterization::scale_diag, Block::grad_loc, {1, 10.0, u, 0}),
                   2 * 9 * 10 * u);
}

TEST(Contract, PromisesNothingWhereTheBoundExceedsOnePercent) {
  AccuracyContract c;
  c.route = Route::own_factor;
  c.kappa_max = 1e10;
  const Parameterization cov = Parameterization::covariance_matrix;
  EXPECT_TRUE(c.promises(cov, 1e4, {8, 1e4, 0x1p-53, 0}));
  EXPECT_FALSE(c.promises(cov, 1e12, {8, 1e12, 0x1p-53, 0})) << "beyond kappa_max";
  // log p of covariance: (6·64 + 11)·1e6·2⁻²⁴ = 23.5 > 1e-2.
  EXPECT_FALSE(c.promises(cov, 1e6, {64, 1e6, 0x1p-24, 0}));
  EXPECT_GT(c.largest_unit_bound(cov, {64, 1e6, 0x1p-24, 0}), 1e-2);
}

// Complex step is exact to rounding when well conditioned; Boost's order-8
// finite difference gets most digits; both through the same log-density.
TEST(DoubleChecks, ComplexStepAndFiniteDifferencesAgreeWithTheReferenceWhenWellConditioned) {
  for (Parameterization p : kAllParameterizations) {
    CaseSpec s;
    s.parameterization = p;
    s.dim = 4;
    s.kappa = 10;
    s.seed = 11;
    const Case c = make_case(s);
    const Index cols = is_matrix(p) ? 4 : 1;
    const Mat<double> param = c.batch.param.leftCols(cols);
    const SampleReference r =
        sample_reference(p, to_mp(c.batch.loc.col(0)), to_mp(c.batch.action.col(0)), to_mp(param));
    const auto rel = [](const Mat<double>& x, const Mat<mp50>& y) {
      return static_cast<double>((to_mp(x) - y).norm() / y.norm());
    };
    const DoubleGradient cs =
        double_check_gradient(DoubleCheck::complex_step, p, c.batch.loc.col(0), c.batch.action.col(0), param);
    EXPECT_LT(rel(cs.grad_loc, r.w), 1e-13) << name(p);
    EXPECT_LT(rel(cs.grad_param, r.grad_param), 1e-13) << name(p);
    const DoubleGradient fd = double_check_gradient(DoubleCheck::finite_difference, p, c.batch.loc.col(0),
                                                    c.batch.action.col(0), param);
    EXPECT_LT(rel(fd.grad_loc, r.w), 1e-9) << name(p);
    EXPECT_LT(rel(fd.grad_param, r.grad_param), 1e-9) << name(p);
    EXPECT_GT(fd.error_estimate, 0) << "Boost's error estimate is reported";
  }
}

// The route each built-in states (Capabilities) is the one its arithmetic
// takes, so the gate holds it to the right bound; a name the registry does
// not know gets the loosest.
TEST(Contract, TheBuiltInsStateTheRouteTheirArithmeticTakes) {
  using P = Parameterization;
  const auto route = [](const char* m, P p) { return contract_for(std::string_view(m), p).route; };
  for (P p : kAllParameterizations) {
    EXPECT_EQ(route("analytic", p), Route::own_factor) << name(p);
    EXPECT_EQ(route("reparameterization", p), Route::own_factor) << name(p);
    EXPECT_EQ(route("cholesky_solve", p), Route::through_sigma) << name(p);
    EXPECT_EQ(route("explicit_inverse", p), Route::through_sigma) << name(p);
    EXPECT_EQ(route("autodiff_reverse", p), Route::through_sigma) << name(p);
    // The generic log-density takes L or σ as given and factors Σ or Λ.
    EXPECT_EQ(route("autodiff_forward", p), is_symmetric(p) ? Route::through_sigma : Route::own_factor)
        << name(p);
    EXPECT_EQ(route("not_registered", p), Route::unknown) << name(p);
  }
}

}  // namespace
}  // namespace scorebench::verification
