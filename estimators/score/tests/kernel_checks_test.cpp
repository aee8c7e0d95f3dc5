// The one-pass argument check of the one-sample scale_tril path
// (kernels/scale_tril_check.hpp) against the full check it stands in for
// (check_sample): it must never pass a sample the full check rejects, and it
// must pass the plain valid ones (or the fast path would never be taken).
// Likewise the shared path's check of a range of samples (samples_finite).

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "scorebench/kernel_driver.hpp"
#include "scorebench/kernels/scale_tril_check.hpp"

namespace scorebench {
namespace {

template <typename T, int D>
Batch<T> one_valid_sample(std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(-1, 1);
  Batch<T> b;
  b.parameterization = Parameterization::scale_tril;
  b.loc = Mat<T>::NullaryExpr(D, 1, [&] { return T(u(rng)); });
  b.action = Mat<T>::NullaryExpr(D, 1, [&] { return T(u(rng)); });
  b.noise = Mat<T>::NullaryExpr(D, 1, [&] { return T(u(rng)); });
  b.param = Mat<T>::Zero(D, D);
  for (Index j = 0; j < D; ++j) {
    b.param(j, j) = T(1.5 + u(rng));
    for (Index i = j + 1; i < D; ++i) b.param(i, j) = T(u(rng));
  }
  return b;
}

template <typename T, int D>
bool plainly_valid(const Batch<T>& b) {
  return kernels::scale_tril_sample_plainly_valid<T, D>(b.param.data(), b.loc.data(), b.action.data(),
                                                        b.noise.size() ? b.noise.data() : nullptr);
}

// Every entry of L, μ and a in turn set to each doubtful value: the one-pass
// check rejects exactly the samples the full check rejects (−0 above the
// diagonal and a subnormal diagonal entry are valid; inf, NaN, 0 or a
// negative number on the diagonal, anything non-zero above it are not).
template <typename T, int D>
void check_every_entry() {
  std::mt19937_64 rng(20261206);
  const T inf = std::numeric_limits<T>::infinity(), nan = std::numeric_limits<T>::quiet_NaN();
  const T bad_values[] = {inf,
                          -inf,
                          nan,
                          T(0),
                          T(-0.0),
                          T(-1),
                          std::numeric_limits<T>::denorm_min(),
                          std::numeric_limits<T>::max()};
  const Batch<T> valid = one_valid_sample<T, D>(rng);
  ASSERT_TRUE((plainly_valid<T, D>(valid)));
  ASSERT_FALSE(check_sample(valid, 0, true).has_value());
  int rejected = 0;
  for (const T bad : bad_values) {
    for (Index k = 0; k < D * D; ++k) {
      Batch<T> b = valid;
      b.param.data()[k] = bad;
      const bool full_ok = !check_sample(b, 0, true).has_value();
      const bool fast_ok = plainly_valid<T, D>(b);
      EXPECT_EQ(fast_ok, full_ok) << "L entry " << k << " = " << bad;
      rejected += !fast_ok;
    }
    for (const char* which : {"loc", "action", "noise"})
      for (Index k = 0; k < D; ++k) {
        Batch<T> b = valid;
        (which[0] == 'l' ? b.loc : which[0] == 'a' ? b.action : b.noise)(k, 0) = bad;
        const bool full_ok = !check_sample(b, 0, true).has_value();
        const bool fast_ok = plainly_valid<T, D>(b);
        EXPECT_EQ(fast_ok, full_ok) << which << " entry " << k << " = " << bad;
        EXPECT_EQ(fast_ok, std::isfinite(static_cast<double>(bad)));
      }
  }
  EXPECT_GT(rejected, 0);
  // A non-zero entry above the diagonal, however small, is rejected; a
  // positive diagonal entry, however small, is not.
  for (Index j = 1; j < D; ++j) {
    Batch<T> b = valid;
    b.param(0, j) = std::numeric_limits<T>::denorm_min();
    EXPECT_FALSE((plainly_valid<T, D>(b))) << "L(0, " << j << ")";
  }
  Batch<T> tiny = valid;
  tiny.param(D - 1, D - 1) = std::numeric_limits<T>::denorm_min();
  EXPECT_TRUE((plainly_valid<T, D>(tiny)));
}

TEST(ScaleTrilSampleCheck, RejectsWhatTheFullCheckRejectsF64) {
  check_every_entry<double, 1>();
  check_every_entry<double, 3>();
  check_every_entry<double, 8>();
  check_every_entry<double, 16>();
}

TEST(ScaleTrilSampleCheck, RejectsWhatTheFullCheckRejectsF32) {
  check_every_entry<float, 2>();
  check_every_entry<float, 5>();
  check_every_entry<float, 8>();
  check_every_entry<float, 16>();
}

// Random valid samples pass it, with and without noise: the fast path is
// the common one.
TEST(ScaleTrilSampleCheck, PassesValidSamples) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 200; ++i) {
    Batch<double> b = one_valid_sample<double, 8>(rng);
    EXPECT_TRUE((plainly_valid<double, 8>(b)));
    b.noise(3, 0) = std::numeric_limits<double>::quiet_NaN();
    EXPECT_FALSE((plainly_valid<double, 8>(b)));
    b.noise.resize(0, 0);  // no noise: nothing of it to check
    EXPECT_TRUE((plainly_valid<double, 8>(b)));
    EXPECT_TRUE((plainly_valid<float, 4>(one_valid_sample<float, 4>(rng))));
  }
}

// The shared path's pre-check of a range of samples (samples_finite) agrees
// with check_sample on every sample of it: each entry of loc (per sample and
// broadcast), action and noise in turn made non-finite, every range of a
// batch of 9 samples.
TEST(SamplesFinite, AgreesWithCheckSampleOnEveryRange) {
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> u(-1, 1);
  const Index d = 3, n = 9;
  for (const bool broadcast : {false, true})
    for (const double bad :
         {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
          -std::numeric_limits<double>::infinity()})
      for (int which = 0; which < 3; ++which)
        for (Index entry = 0; entry < d * (which == 0 && broadcast ? 1 : n); ++entry) {
          Batch<double> b;
          b.parameterization = Parameterization::scale_tril;
          b.loc = Mat<double>::NullaryExpr(d, broadcast ? 1 : n, [&] { return u(rng); });
          b.action = Mat<double>::NullaryExpr(d, n, [&] { return u(rng); });
          b.noise = Mat<double>::NullaryExpr(d, n, [&] { return u(rng); });
          b.param = Mat<double>::Identity(d, d);
          Mat<double>& m = which == 0 ? b.loc : which == 1 ? b.action : b.noise;
          m.data()[entry] = bad;
          for (Index b0 = 0; b0 < n; ++b0)
            for (Index len = 1; b0 + len <= n; ++len) {
              bool expected = true;
              for (Index s = b0; s < b0 + len; ++s) expected = expected && !check_sample(b, s, false);
              ASSERT_EQ(samples_finite(b, b0, len), expected)
                  << "matrix " << which << ", entry " << entry << ", samples [" << b0 << ", " << b0 + len
                  << ")";
            }
        }
}

}  // namespace
}  // namespace scorebench
