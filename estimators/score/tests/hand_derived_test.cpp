// Values derived by hand, in exact fractions, for d = 1 and d = 2 and every
// parameterization; every method must reproduce them in double and float,
// from the action and (where the method reads it) from the noise.
//
// d = 1: μ = 1, a = 4, Σ = 4 (L = σ = 2, Λ = 1/4). r = 3, ε = r/L = 3/2,
//   w = r/Σ = 3/4.
//   log p = −½ε² − log L − ½ log 2π = −9/8 − log 2 − ½ log 2π
//   ∇L = wε − 1/L = 9/8 − 1/2 = 5/8          ∇Σ = ½(w² − 1/Σ) = ½(9/16 − 1/4) = 5/32
//   ∇Λ = ½(Σ − r²) = ½(4 − 9) = −5/2         ∇σ = (ε² − 1)/σ = (9/4 − 1)/2 = 5/8
//
// d = 2: μ = [1/2, −1], a = [5/4, 1/2], r = [3/4, 3/2],
//   L = [[2, 0], [1/2, 3/2]], Σ = L Lᵀ = [[4, 1], [1, 5/2]], det Σ = 9,
//   Λ = Σ⁻¹ = (1/9)[[5/2, −1], [−1, 4]] = [[5/18, −1/9], [−1/9, 4/9]].
//   ε = L⁻¹r: ε₁ = (3/4)/2 = 3/8, ε₂ = (3/2 − (1/2)(3/8))/(3/2) = 7/8.
//   w = L⁻ᵀε: w₂ = (7/8)/(3/2) = 7/12, w₁ = (3/8 − (1/2)(7/12))/2 = 1/24
//     (check: Σw = [4/24 + 7/12, 1/24 + 35/24] = [3/4, 3/2] = r).
//   log p = −½(9/64 + 49/64) − log 3 − log 2π = −29/64 − log 3 − log 2π
//   ∇L = tril(w εᵀ) − diag(1/2, 2/3):
//     (0,0) 1/64 − 1/2 = −31/64, (1,0) (7/12)(3/8) = 7/32, (1,1) 49/96 − 2/3 = −5/32, (0,1) 0
//   ∇Σ = ½(w wᵀ − Σ⁻¹):
//     (0,0) ½(1/576 − 5/18) = −53/384, (0,1) ½(7/288 + 1/9) = 13/192, (1,1) ½(49/144 − 4/9) = −5/96
//     (check: 2 tril(∇Σ L) = ∇L above)
//   ∇Λ = ½(Σ − r rᵀ): (0,0) ½(4 − 9/16) = 55/32, (0,1) ½(1 − 9/8) = −1/16, (1,1) ½(5/2 − 9/4) = 1/8
//   scale_diag σ = [2, 3/2]: ε = r/σ = [3/8, 1], w = ε/σ = [3/16, 2/3],
//     log p = −½(9/64 + 1) − log 2 − log(3/2) − log 2π = −73/128 − log 3 − log 2π,
//     ∇σ = (ε² − 1)/σ = [(9/64 − 1)/2, 0] = [−55/128, 0]
//   The noise that gives a: ε = [3/8, 7/8] for the matrix parameterizations
//   (L = chol Σ in each), ε = [3/8, 1] for scale_diag.

#include <gtest/gtest.h>

#include <boost/math/constants/constants.hpp>

#include "test_support.hpp"

namespace scorebench::testing {
namespace {

struct HandCase {
  Parameterization p;
  std::vector<double> loc, action, noise;
  Mat<double> param;
  long double log_prob;
  std::vector<double> grad_loc;
  Mat<double> grad_param;
};

Mat<double> mat(Index rows, Index cols, std::initializer_list<double> row_major) {
  Mat<double> m(rows, cols);
  auto it = row_major.begin();
  for (Index i = 0; i < rows; ++i)
    for (Index j = 0; j < cols; ++j) m(i, j) = *it++;
  return m;
}

std::vector<HandCase> hand_cases() {
  const long double log2pi = std::log(boost::math::constants::two_pi<long double>());
  const long double lp1 = -9.0L / 8 - std::log(2.0L) - log2pi / 2;
  const long double lp2 = -29.0L / 64 - std::log(3.0L) - log2pi;
  const long double lp2_diag = -73.0L / 128 - std::log(3.0L) - log2pi;
  const std::vector<double> loc1{1}, a1{4}, e1{1.5}, w1{0.75};
  const std::vector<double> loc2{0.5, -1}, a2{1.25, 0.5}, e2{3.0 / 8, 7.0 / 8}, w2{1.0 / 24, 7.0 / 12};
  using P = Parameterization;
  return {
      {P::scale_tril, loc1, a1, e1, mat(1, 1, {2}), lp1, w1, mat(1, 1, {5.0 / 8})},
      {P::covariance_matrix, loc1, a1, e1, mat(1, 1, {4}), lp1, w1, mat(1, 1, {5.0 / 32})},
      {P::precision_matrix, loc1, a1, e1, mat(1, 1, {0.25}), lp1, w1, mat(1, 1, {-2.5})},
      {P::scale_diag, loc1, a1, e1, mat(1, 1, {2}), lp1, w1, mat(1, 1, {5.0 / 8})},
      {P::scale_tril, loc2, a2, e2, mat(2, 2, {2, 0, 0.5, 1.5}), lp2, w2,
       mat(2, 2, {-31.0 / 64, 0, 7.0 / 32, -5.0 / 32})},
      {P::covariance_matrix, loc2, a2, e2, mat(2, 2, {4, 1, 1, 2.5}), lp2, w2,
       mat(2, 2, {-53.0 / 384, 13.0 / 192, 13.0 / 192, -5.0 / 96})},
      {P::precision_matrix, loc2, a2, e2, mat(2, 2, {5.0 / 18, -1.0 / 9, -1.0 / 9, 4.0 / 9}), lp2, w2,
       mat(2, 2, {55.0 / 32, -1.0 / 16, -1.0 / 16, 1.0 / 8})},
      {P::scale_diag,
       loc2,
       a2,
       {3.0 / 8, 1},
       mat(2, 1, {2, 1.5}),
       lp2_diag,
       {3.0 / 16, 2.0 / 3},
       mat(2, 1, {-55.0 / 128, 0})},
  };
}

Mat<double> column(const std::vector<double>& v) {
  return Eigen::Map<const Vec<double>>(v.data(), static_cast<Index>(v.size()));
}

template <typename T>
Batch<T> hand_batch(const HandCase& c, bool from_noise) {
  Batch<T> b;
  b.parameterization = c.p;
  b.loc = column(c.loc).cast<T>();
  (from_noise ? b.noise : b.action) = column(from_noise ? c.noise : c.action).cast<T>();
  b.param = c.param.cast<T>();
  return b;
}

// ‖x − e‖_∞ ≤ 64 u max(1, ‖e‖_∞) for every block, the exact zeros above the
// diagonal of ∇L, symmetry of ∇Σ and ∇Λ, and grad_action = −grad_loc.
template <typename T>
void expect_hand_values(const Method& m, const HandCase& c, bool from_noise) {
  SCOPED_TRACE(m.name() + " " + std::string(name(c.p)) + " d=" + std::to_string(c.loc.size()) +
               (from_noise ? " from noise" : " from action") +
               (std::is_same_v<T, float> ? " float" : " double"));
  const Result<T> r = m.evaluate(hand_batch<T>(c, from_noise), Request<T>{});
  ASSERT_TRUE(r.ok()) << r.errors.front().message;
  const double u = static_cast<double>(unit_roundoff<T>());
  const auto tol = [u](double scale) { return 64 * u * std::max(1.0, scale); };
  const double lp_err = std::abs(static_cast<double>(static_cast<long double>(r.log_prob(0)) - c.log_prob));
  EXPECT_LE(lp_err, tol(std::abs(static_cast<double>(c.log_prob)))) << "log_prob " << r.log_prob(0);
  const Vec<double> gl = column(c.grad_loc);
  EXPECT_LE((r.grad_loc.col(0).template cast<double>() - gl).template lpNorm<Eigen::Infinity>(),
            tol(gl.template lpNorm<Eigen::Infinity>()))
      << "grad_loc " << r.grad_loc.transpose();
  EXPECT_TRUE(r.grad_action == -r.grad_loc) << "grad_action " << r.grad_action.transpose();
  const Mat<T> g = r.grad_param_of(0);
  EXPECT_LE((g.template cast<double>() - c.grad_param).template lpNorm<Eigen::Infinity>(),
            tol(c.grad_param.template lpNorm<Eigen::Infinity>()))
      << gradient_name(c.p) << "\n"
      << g;
  if (c.p == Parameterization::scale_tril) {
    for (Index j = 1; j < g.cols(); ++j)
      for (Index i = 0; i < j; ++i)
        EXPECT_EQ(g(i, j), T(0)) << "above the diagonal at (" << i << "," << j << ")";
  }
  if (is_symmetric(c.p)) {
    EXPECT_LE((g - g.transpose()).template lpNorm<Eigen::Infinity>(),
              8 * u * g.template lpNorm<Eigen::Infinity>())
        << "not symmetric\n"
        << g;
  }
}

TEST(HandDerived, EveryMethodMatchesExactFractions) {
  for (const Method* m : available_methods())
    for (const HandCase& c : hand_cases())
      for (bool from_noise : {false, true}) {
        if (m->capabilities().requires_noise && !from_noise) continue;
        expect_hand_values<double>(*m, c, from_noise);
        expect_hand_values<float>(*m, c, from_noise);
      }
}

TEST(HandDerived, AutodiffReverseIsAvailableWhenBuiltWithTorch) {
#ifdef SCOREBENCH_HAVE_TORCH
  EXPECT_TRUE(registry().get("autodiff_reverse").capabilities().available);
#else
  GTEST_SKIP() << "scorebench was built without libtorch: autodiff_reverse is not compared";
#endif
}

}  // namespace
}  // namespace scorebench::testing
