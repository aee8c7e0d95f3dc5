#pragma once
// log p from the noise: the fast kernels' own statement of
//
//   log p = −½ ‖ε‖² − ½ log det Σ − d · ½ log 2π,   ½ log det Σ = Σᵢ log Lᵢᵢ,
//
// with the sum of logarithms taken as the logarithm of a product.

#include <boost/math/constants/constants.hpp>
#include <cmath>
#include <limits>

#include "scorebench/eigen_types.hpp"
#include "scorebench/scalar_traits.hpp"

namespace scorebench::kernels {

// Σᵢ log xᵢ over x₀, x_step, x_2step, … as log Πᵢ xᵢ: one logarithm instead
// of n. The running product is kept within (2^-e/4, 2^e/4), e the largest
// binary exponent, by moving powers of two into an integer exponent (frexp is
// exact), so it neither overflows nor underflows; the result differs from the
// sum of logs by at most about n·u relative to the product.
template <typename T>
T sum_log(const T* x, Index n, Index step) {
  using std::frexp;
  using std::ldexp;
  using std::log;
  constexpr int quarter = std::numeric_limits<T>::max_exponent / 4;
  const T lo = ldexp(T(1), -quarter), hi = ldexp(T(1), quarter);
  T m(1);
  long exponent = 0;
  int e = 0;
  for (Index i = 0; i < n; ++i) {
    T v = x[i * step];
    if (!(v > lo && v < hi)) {
      v = frexp(v, &e);
      exponent += e;
    }
    m *= v;
    if (!(m > lo && m < hi)) {
      m = frexp(m, &e);
      exponent += e;
    }
  }
  return log(m) + static_cast<T>(exponent) * boost::math::constants::ln_two<T>();
}

// log p = −½ q − s − d · ½ log 2π, q = ‖ε‖², s = ½ log det Σ.
template <typename T>
T gaussian_log_prob(T q, T s, Index d) {
  return -q / T(2) - s - T(d) * half_log_two_pi<T>();
}

}  // namespace scorebench::kernels
