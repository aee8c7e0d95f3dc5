// The closed forms of cost.hpp / exact_expectation.hpp against references
// that do not use them: 50-digit quadrature of E[f] and of the score
// identities ∂μE = E[f z/σ], ∂σE = E[f (z²−1)/σ] (1-D, and E[f] in 2-D), and
// 50-digit central differences of E for the 2-D gradients.

#include <gtest/gtest.h>

#include <boost/math/quadrature/sinh_sinh.hpp>
#include <boost/multiprecision/cpp_bin_float.hpp>
#include <boost/multiprecision/eigen.hpp>

#include "scorebench/mc/exact_expectation.hpp"

namespace scorebench::mc {
namespace {

using Real = boost::multiprecision::cpp_bin_float_50;

// ∫ g(z) φ(z) dz over ℝ by sinh-sinh quadrature, in R = 50-digit or double
// arithmetic. Beyond |z| = 60, φ < e⁻¹⁸⁰⁰ and the integrand is dropped
// (where the abscissae reach 10¹⁰⁰, cos(k z) has no meaningful value).
template <typename R, typename G>
R gaussian_integral(G g, const R& tolerance) {
  static boost::math::quadrature::sinh_sinh<R> integrator(9);
  const auto integrand = [&](R z) -> R {
    using std::abs;
    using std::exp;
    using std::sqrt;
    return abs(z) > 60 ? R(0) : R(g(z) * exp(-z * z / 2) / sqrt(2 * boost::math::constants::pi<R>()));
  };
  return integrator.integrate(integrand, tolerance);
}

Real cost_1d(const Cost& cost, const Real& x) {
  Vec<Real> v(1);
  v(0) = x;
  return cost_value<Real>(cost, v);
}

std::vector<Cost> one_dimensional_costs() {
  const Mat<double> a = Mat<double>::Constant(1, 1, 1.5);
  return {parse_cost("square:-3"),
          parse_cost("square:0.5"),
          parse_cost("square:3"),
          parse_cost("exp_neg_square:0.5"),
          parse_cost("exp_neg_square:2"),
          parse_cost("exp_neg_square:-0.2"),
          parse_cost("cos:0.5"),
          parse_cost("cos:3"),
          parse_cost("quadratic", a, Vec<double>::Constant(1, -0.7)),
          parse_cost("exp_linear", {}, {}, Vec<double>::Constant(1, 0.8))};
}

TEST(ClosedForm, OneDimensionalMatchesFiftyDigitQuadrature) {
  const Real mu = Real(7) / 10, sigma = Real(13) / 10;
  for (const Cost& cost : one_dimensional_costs()) {
    SCOPED_TRACE(cost.name());
    const auto f = [&](const Real& z) { return cost_1d(cost, mu + sigma * z); };
    const Real tol("1e-34");
    const Real value = gaussian_integral<Real>(f, tol);
    const Real d_mu = gaussian_integral<Real>([&](const Real& z) { return f(z) * z / sigma; }, tol);
    const Real d_sigma =
        gaussian_integral<Real>([&](const Real& z) { return f(z) * (z * z - 1) / sigma; }, tol);

    Vec<Real> loc(1);
    loc(0) = mu;
    const Mat<Real> scale = Mat<Real>::Constant(1, 1, sigma);
    for (Parameterization p : {Parameterization::scale_tril, Parameterization::scale_diag}) {
      const Expectation<Real> e = exact_expectation<Real>(cost, loc, covariance_from_scale(p, scale));
      const Mat<Real> g_scale = scale_gradient(p, e.grad_covariance, scale);
      const Real size = 1 + abs(value) + abs(d_mu) + abs(d_sigma);
      EXPECT_LT(static_cast<double>(abs(e.value - value) / size), 1e-30);
      EXPECT_LT(static_cast<double>(abs(e.grad_loc(0) - d_mu) / size), 1e-30);
      EXPECT_LT(static_cast<double>(abs(g_scale(0, 0) - d_sigma) / size), 1e-30);
    }
  }
}

Mat<double> matrix2(double a, double b, double c, double d) {
  return (Mat<double>(2, 2) << a, b, c, d).finished();
}

std::vector<Cost> two_dimensional_costs() {
  const Vec<double> b = (Vec<double>(2) << 0.3, -1.0).finished();
  const Vec<double> c = (Vec<double>(2) << 0.4, -0.3).finished();
  return {parse_cost("square:1"), parse_cost("exp_neg_square:0.5"), parse_cost("cos:1"),
          parse_cost("quadratic", matrix2(1.0, 0.5, -0.2, 2.0), b), parse_cost("exp_linear", {}, {}, c)};
}

TEST(ClosedForm, TwoDimensionalValueMatchesNestedQuadrature) {
  // In double precision: nested 50-digit quadrature costs minutes. The 2-D
  // gradients are checked in 50 digits below against differences of this E.
  const Vec<double> mu = (Vec<double>(2) << 0.5, -0.3).finished();
  const Mat<double> l = matrix2(0.8, 0.0, 0.3, 1.2);
  for (const Cost& cost : two_dimensional_costs()) {
    SCOPED_TRACE(cost.name());
    // E[f(μ + L z)] = ∫∫ f φ(z₁) φ(z₂) dz₁ dz₂
    const double value = gaussian_integral<double>(
        [&](double z1) {
          return gaussian_integral<double>(
              [&](double z2) {
                const Vec<double> x = mu + l * (Vec<double>(2) << z1, z2).finished();
                return cost_value<double>(cost, x);
              },
              1e-13);
        },
        1e-13);
    const double exact =
        exact_expectation<double>(cost, mu, covariance_from_scale(Parameterization::scale_tril, l)).value;
    EXPECT_NEAR(exact, value, 1e-11 * (1 + std::abs(value)));
  }
}

// E as a function of every free input, in 50 digits, for central differences.
Real expectation_at(const Cost& cost, Parameterization p, const Vec<Real>& mu, const Mat<Real>& scale) {
  return exact_expectation<Real>(cost, mu, covariance_from_scale(p, scale)).value;
}

TEST(ClosedForm, TwoDimensionalGradientsMatchFiftyDigitCentralDifferences) {
  Vec<Real> mu(2);
  mu << Real(1) / 2, Real(-3) / 10;
  Mat<Real> tril(2, 2), diag(2, 1);
  tril << Real(4) / 5, 0, Real(3) / 10, Real(6) / 5;
  diag << Real(7) / 10, Real(13) / 10;
  const Real h("1e-20");
  for (const Cost& cost : two_dimensional_costs()) {
    for (Parameterization p : {Parameterization::scale_tril, Parameterization::scale_diag}) {
      SCOPED_TRACE(cost.name() + " " + std::string(name(p)));
      const Mat<Real>& scale = p == Parameterization::scale_tril ? tril : diag;
      const Expectation<Real> e = exact_expectation<Real>(cost, mu, covariance_from_scale(p, scale));
      const Mat<Real> g_scale = scale_gradient(p, e.grad_covariance, scale);
      for (Index i = 0; i < 2; ++i) {
        Vec<Real> up = mu, down = mu;
        up(i) += h;
        down(i) -= h;
        const Real fd = (expectation_at(cost, p, up, scale) - expectation_at(cost, p, down, scale)) / (2 * h);
        EXPECT_LT(static_cast<double>(abs(fd - e.grad_loc(i)) / (1 + abs(fd))), 1e-30) << "loc " << i;
      }
      for (Index j = 0; j < scale.cols(); ++j)
        for (Index i = j; i < 2; ++i) {
          Mat<Real> up = scale, down = scale;
          up(i, j) += h;
          down(i, j) -= h;
          const Real fd = (expectation_at(cost, p, mu, up) - expectation_at(cost, p, mu, down)) / (2 * h);
          EXPECT_LT(static_cast<double>(abs(fd - g_scale(i, j)) / (1 + abs(fd))), 1e-30)
              << "scale (" << i << "," << j << ")";
        }
      if (p == Parameterization::scale_tril) {
        EXPECT_EQ(g_scale(0, 1), 0);
      }
    }
  }
}

TEST(ClosedForm, CostGradientMatchesCentralDifferences) {
  Vec<Real> x(2);
  x << Real(-2) / 5, Real(9) / 10;
  const Real h("1e-20");
  for (const Cost& cost : two_dimensional_costs()) {
    SCOPED_TRACE(cost.name());
    const Vec<Real> g = cost_gradient<Real>(cost, x);
    for (Index i = 0; i < 2; ++i) {
      Vec<Real> up = x, down = x;
      up(i) += h;
      down(i) -= h;
      const Real fd = (cost_value<Real>(cost, up) - cost_value<Real>(cost, down)) / (2 * h);
      EXPECT_LT(static_cast<double>(abs(fd - g(i)) / (1 + abs(fd))), 1e-30);
    }
  }
}

TEST(ClosedForm, InfiniteExpectationIsADomainError) {
  // E[exp(0.5 x²)] with σ = 1.3 diverges: 1 + 2kσ² = −0.69 ≤ 0.
  const Cost cost = parse_cost("exp_neg_square:-0.5");
  const Vec<double> loc = Vec<double>::Zero(1);
  const Mat<double> sigma = Mat<double>::Constant(1, 1, 1.69);
  try {
    exact_expectation<double>(cost, loc, sigma);
    FAIL() << "expected std::domain_error";
  } catch (const std::domain_error& e) {
    EXPECT_NE(std::string(e.what()).find("exp_neg_square"), std::string::npos) << e.what();
  }
}

TEST(CostParsing, RejectsBadSpecificationsWithTheirReason) {
  const auto message = [](auto f) {
    try {
      f();
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no exception");
  };
  EXPECT_NE(message([] { parse_cost("square"); }).find("needs a parameter"), std::string::npos);
  EXPECT_NE(message([] { parse_cost("cos:abc"); }).find("not a finite number"), std::string::npos);
  EXPECT_NE(message([] { parse_cost("cos:1x"); }).find("not a finite number"), std::string::npos);
  EXPECT_NE(message([] { parse_cost("cube:1"); }).find("unknown cost"), std::string::npos);
  EXPECT_NE(message([] { parse_cost("quadratic"); }).find("needs the matrix A"), std::string::npos);
  EXPECT_NE(message([] { parse_cost("exp_linear"); }).find("needs the vector c"), std::string::npos);
  EXPECT_NE(message([] { parse_cost("exp_linear:2", {}, {}, Vec<double>::Ones(2)); }).find("takes no"),
            std::string::npos);
  EXPECT_NE(message([] { check_cost(parse_cost("quadratic", Mat<double>::Ones(2, 3)), 2); }).find("A is 2×3"),
            std::string::npos);
  EXPECT_NE(message([] {
              check_cost(parse_cost("exp_linear", {}, {}, Vec<double>::Ones(3)), 2);
            }).find("c has 3 entries"),
            std::string::npos);
  EXPECT_EQ(parse_cost("square:-2.5").k, -2.5);
  EXPECT_EQ(parse_cost("cos:0.25").name(), "cos:0.25");
}

}  // namespace
}  // namespace scorebench::mc
