// The gradient conventions of DESIGN §1 (PyTorch's), checked against central
// differences of an independent log-density written here in long double:
//
//   log p = −½ rᵀ Σ⁻¹ r − ½ log det Σ − (d/2) log 2π   (Σ by LU, no Cholesky)
//
// For every method, along random directions v of each input,
// ⟨∇, v⟩_F = d/dt log p(x + t v): μ, a, a lower-triangular dL (and 0 along a
// strictly upper dL: torch reads only the lower triangle), a symmetric dΣ or
// dΛ (the symmetric convention), and dσ. The vech convention follows: along
// the unique entry (i, j) of a symmetric matrix (E_ij + E_ji, i ≠ j, or E_ii)
// the derivative is (2G − diag G)_ij.
//
// Derivative: Richardson-extrapolated central difference
// (4 D(h/2) − D(h))/3, error O(h⁴) + O(u_ld/h); h = 1e-4/max(1, ‖v‖), small
// against the smallest eigenvalue (≥ 0.1) of the d = 3, κ = 10 parameters. Tolerance: 1e-9 · (‖∇‖‖v‖ + 1),
// far below the O(‖∇‖‖v‖) discrepancy of any wrong convention (a factor 2, a missing ½, vech for symmetric, a
// transposed L).

#include <gtest/gtest.h>

#include <boost/math/constants/constants.hpp>

#include "test_support.hpp"

namespace scorebench::testing {
namespace {

using LD = long double;

LD reference_log_prob(Parameterization p, const Vec<LD>& mu, const Vec<LD>& a, const Mat<LD>& param) {
  const Index d = mu.size();
  const Vec<LD> r = a - mu;
  const LD normaliser = static_cast<LD>(d) / 2 * std::log(boost::math::constants::two_pi<LD>());
  if (p == Parameterization::precision_matrix) {
    const Eigen::PartialPivLU<Mat<LD>> lu(param);
    return -r.dot(param * r) / 2 + std::log(lu.determinant()) / 2 - normaliser;
  }
  Mat<LD> sigma;
  switch (p) {
    case Parameterization::scale_tril: {
      const Mat<LD> l = param.triangularView<Eigen::Lower>();
      sigma = l * l.transpose();
      break;
    }
    case Parameterization::covariance_matrix: sigma = param; break;
    case Parameterization::scale_diag: sigma = param.col(0).array().square().matrix().asDiagonal(); break;
    case Parameterization::precision_matrix: break;
  }
  const Eigen::PartialPivLU<Mat<LD>> lu(sigma);
  return -r.dot(lu.solve(r)) / 2 - std::log(lu.determinant()) / 2 - normaliser;
}

struct Point {
  Parameterization p;
  Vec<LD> mu, a;
  Mat<LD> param;
};

// d/dt log p(point + t·(dμ, da, dparam)) at t = 0.
LD directional_derivative(const Point& x, const Vec<LD>& dmu, const Vec<LD>& da, const Mat<LD>& dparam) {
  const auto at = [&](LD t) {
    return reference_log_prob(x.p, x.mu + t * dmu, x.a + t * da, x.param + t * dparam);
  };
  const auto central = [&](LD h) { return (at(h) - at(-h)) / (2 * h); };
  const LD v_norm = std::sqrt(dmu.squaredNorm() + da.squaredNorm() + dparam.squaredNorm());
  const LD h = 1e-4L / std::max(LD(1), v_norm);
  return (4 * central(h / 2) - central(h)) / 3;
}

Mat<LD> random_matrix(Index rows, Index cols, std::mt19937_64& rng) {
  std::normal_distribution<double> normal;
  Mat<LD> m(rows, cols);
  for (Index j = 0; j < cols; ++j)
    for (Index i = 0; i < rows; ++i) m(i, j) = normal(rng);
  return m;
}

// ⟨∇, v⟩ against the finite-difference derivative, with the tolerance above.
void expect_directional(const char* what, LD fd, LD inner, LD grad_norm, LD v_norm) {
  const LD tol = 1e-9L * (grad_norm * v_norm + 1);
  EXPECT_LE(std::abs(fd - inner), tol) << what << ": finite difference " << static_cast<double>(fd)
                                       << " but ⟨∇, v⟩ = " << static_cast<double>(inner);
}

class PytorchConvention : public ::testing::TestWithParam<Parameterization> {};

TEST_P(PytorchConvention, GradientsAreDirectionalDerivatives) {
  const Parameterization p = GetParam();
  constexpr Index d = 3;
  std::mt19937_64 rng(4242 + static_cast<unsigned>(p));
  const RandomBatch rb = random_batch(p, d, 1, 10, true, rng);
  const Point x{p, rb.batch.loc.col(0).cast<LD>(), rb.batch.action.col(0).cast<LD>(),
                rb.batch.param.cast<LD>()};
  const Index cols = rb.batch.param.cols();
  const Vec<LD> zero_vec = Vec<LD>::Zero(d);
  const Mat<LD> zero_param = Mat<LD>::Zero(d, cols);

  for (const Method* m : available_methods()) {
    SCOPED_TRACE(m->name() + " " + std::string(name(p)));
    const Result<double> r = m->evaluate(rb.batch, Request<double>{});
    ASSERT_TRUE(r.ok());
    const Vec<LD> g_loc = r.grad_loc.col(0).cast<LD>(), g_act = r.grad_action.col(0).cast<LD>();
    const Mat<LD> g = r.grad_param.cast<LD>();

    for (int trial = 0; trial < 3; ++trial) {
      const Vec<LD> v = random_matrix(d, 1, rng);
      expect_directional("loc", directional_derivative(x, v, zero_vec, zero_param), g_loc.dot(v),
                         g_loc.norm(), v.norm());
      expect_directional("action", directional_derivative(x, zero_vec, v, zero_param), g_act.dot(v),
                         g_act.norm(), v.norm());

      Mat<LD> dp = random_matrix(d, cols, rng);
      if (p == Parameterization::scale_tril) dp = Mat<LD>(dp.triangularView<Eigen::Lower>());
      if (is_symmetric(p)) dp = (dp + dp.transpose()).eval();
      expect_directional(gradient_name(p).c_str(), directional_derivative(x, zero_vec, zero_vec, dp),
                         (g.array() * dp.array()).sum(), g.norm(), dp.norm());
      if (p == Parameterization::scale_tril) {
        // Along the strict upper triangle log p does not change, and ∇L is 0 there.
        const Mat<LD> up = random_matrix(d, d, rng).triangularView<Eigen::StrictlyUpper>();
        expect_directional("strict upper dL", directional_derivative(x, zero_vec, zero_vec, up),
                           (g.array() * up.array()).sum(), g.norm(), up.norm());
      }
    }
  }
}

class VechConvention : public ::testing::TestWithParam<Parameterization> {};

TEST_P(VechConvention, UniqueEntryDerivativeIsTwiceGMinusDiagonal) {
  const Parameterization p = GetParam();
  constexpr Index d = 3;
  std::mt19937_64 rng(99 + static_cast<unsigned>(p));
  const RandomBatch rb = random_batch(p, d, 1, 10, true, rng);
  const Point x{p, rb.batch.loc.col(0).cast<LD>(), rb.batch.action.col(0).cast<LD>(),
                rb.batch.param.cast<LD>()};
  const Vec<LD> zero_vec = Vec<LD>::Zero(d);
  for (const Method* m : available_methods()) {
    SCOPED_TRACE(m->name() + " " + std::string(name(p)));
    const Result<double> r = m->evaluate(rb.batch, Request<double>{});
    ASSERT_TRUE(r.ok());
    const Mat<LD> g = r.grad_param.cast<LD>();
    const Mat<LD> vech = 2 * g - Mat<LD>(g.diagonal().asDiagonal());
    for (Index j = 0; j < d; ++j)
      for (Index i = j; i < d; ++i) {
        Mat<LD> e = Mat<LD>::Zero(d, d);
        e(i, j) = e(j, i) = 1;
        const std::string what = "unique entry (" + std::to_string(i) + "," + std::to_string(j) + ")";
        expect_directional(what.c_str(), directional_derivative(x, zero_vec, zero_vec, e), vech(i, j),
                           g.norm(), 1);
      }
  }
}

const auto kParamName = [](const auto& info) { return std::string(name(info.param)); };
INSTANTIATE_TEST_SUITE_P(AllParameterizations, PytorchConvention, ::testing::ValuesIn(kAllParameterizations),
                         kParamName);
INSTANTIATE_TEST_SUITE_P(SymmetricParameterizations, VechConvention,
                         ::testing::Values(Parameterization::covariance_matrix,
                                           Parameterization::precision_matrix),
                         kParamName);

}  // namespace
}  // namespace scorebench::testing
