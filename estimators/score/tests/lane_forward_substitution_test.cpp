// The shared scale_tril sum's strip kernels (kernels/lane_forward_substitution.hpp)
// against plain formulas in long double:
//   centred_strip:             X(s, i) = a_{b0+s, i} − μ_i  (μ shared or per sample),
//   lane_forward_substitution: X ← (L⁻¹ Xᵀ)ᵀ.
// The strip sizes take every branch: whole strips of two packets, the samples
// after them (m mod 2G), the dimensions after the last G × G block of the
// transpose (d mod G), the one-column tiles after the tiles of four (d mod 4),
// and more than one 64-column diagonal block with the product update below it.

#include "scorebench/kernels/lane_forward_substitution.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

namespace scorebench::kernels {
namespace {

template <typename T>
class LaneForwardSubstitution : public ::testing::Test {};
using Types = ::testing::Types<float, double>;
TYPED_TEST_SUITE(LaneForwardSubstitution, Types);

template <typename T>
Mat<T> random_lower(Index d, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(-1, 1), diag(1, 2);
  Mat<T> l = Mat<T>::Zero(d, d);
  for (Index j = 0; j < d; ++j) {
    l(j, j) = T(diag(rng));
    for (Index i = j + 1; i < d; ++i) l(i, j) = T(u(rng) / std::sqrt(double(d)));
  }
  return l;
}

TYPED_TEST(LaneForwardSubstitution, CentredStripIsTheTransposeOfActionMinusLoc) {
  using T = TypeParam;
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> u(-3, 3);
  for (Index d : {1, 3, 4, 9, 17})
    for (Index m : {1, 7, 16, 33})
      for (bool shared : {true, false}) {
        const Index b0 = 2, n = b0 + m + 1;
        Mat<T> a(d, n), loc(d, shared ? 1 : n);
        for (T& v : a.reshaped()) v = T(u(rng));
        for (T& v : loc.reshaped()) v = T(u(rng));
        const Index ld = substitution_leading_dimension<T>(m);
        Mat<T> x = Mat<T>::Constant(ld, d, T(-99));
        centred_strip(a.data(), loc.data(), loc.cols(), d, b0, m, x.data(), ld);
        for (Index s = 0; s < m; ++s)
          for (Index i = 0; i < d; ++i)
            ASSERT_EQ(x(s, i), a(i, b0 + s) - loc(i, shared ? 0 : b0 + s))
                << "d = " << d << ", m = " << m << ", shared μ " << shared << ", sample " << s << ", i " << i;
        for (Index s = m; s < ld; ++s)  // the padding is not written
          for (Index i = 0; i < d; ++i) ASSERT_EQ(x(s, i), T(-99));
      }
}

TYPED_TEST(LaneForwardSubstitution, SolvesLTimesETransposedForEveryStripShape) {
  using T = TypeParam;
  const double eps = std::numeric_limits<T>::epsilon();
  std::mt19937_64 rng(5);
  std::normal_distribution<double> n01;
  for (Index d : {1, 2, 5, 8, 64, 66, 131})
    for (Index m : {1, 3, 8, 16, 17, 40, 64}) {
      const Mat<T> l = random_lower<T>(d, rng);
      const Vec<T> inv = l.diagonal().cwiseInverse();
      Mat<T> r(d, m);
      for (T& v : r.reshaped()) v = T(n01(rng));
      const Index ld = substitution_leading_dimension<T>(m);
      ASSERT_GE(ld, m);
      Mat<T> x(ld, d);
      x.topRows(m) = r.transpose();
      lane_forward_substitution(l, inv, x.data(), m, ld);
      // E = L⁻¹R in long double. L has a diagonal in [1, 2] and entries of
      // order 1/√d below it, so the substitution's rounding stays within a
      // few d·u·‖e‖∞ a sample; a wrong entry is off by O(‖e‖∞).
      using LD = long double;
      const Mat<LD> e =
          l.template cast<LD>().template triangularView<Eigen::Lower>().solve(r.template cast<LD>());
      for (Index s = 0; s < m; ++s) {
        const LD scale = e.col(s).cwiseAbs().maxCoeff() + 1;
        for (Index i = 0; i < d; ++i)
          ASSERT_LE(std::abs(LD(x(s, i)) - e(i, s)), LD(8 * double(d) * eps) * scale)
              << "d = " << d << ", m = " << m << ", sample " << s << ", i " << i;
      }
    }
}

}  // namespace
}  // namespace scorebench::kernels
