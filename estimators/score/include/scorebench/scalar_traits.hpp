#pragma once
// What generic code needs to know about a scalar type: its underlying real
// type and its real value (for sign tests such as a Cholesky pivot > 0). The
// same log-density runs in float, double, cpp_bin_float_50, std::complex (the
// complex step) and Eigen::AutoDiffScalar (forward-mode AD).

#include <Eigen/Core>
#include <boost/math/constants/constants.hpp>
#include <cmath>
#include <complex>
#include <limits>
#include <type_traits>
#include <unsupported/Eigen/AutoDiff>

namespace scorebench {

template <typename T>
struct ScalarTraits {
  using Real = T;
  static const Real& real_value(const T& x) { return x; }
};

template <typename R>
struct ScalarTraits<std::complex<R>> {
  using Real = R;
  static Real real_value(const std::complex<R>& x) { return x.real(); }
};

template <typename D>
struct ScalarTraits<Eigen::AutoDiffScalar<D>> {
  using Real = typename std::remove_cv_t<std::remove_reference_t<D>>::Scalar;
  static Real real_value(const Eigen::AutoDiffScalar<D>& x) { return x.value(); }
};

template <typename T>
using RealOf = typename ScalarTraits<T>::Real;

template <typename T>
RealOf<T> real_value(const T& x) {
  return ScalarTraits<T>::real_value(x);
}

// ½ log 2π in the real type (exact to its precision), lifted into T.
template <typename T>
T half_log_two_pi() {
  return T(boost::math::constants::log_root_two_pi<RealOf<T>>());
}

// Unit roundoff u = ε/2 of a floating type.
template <typename R>
R unit_roundoff() {
  return std::numeric_limits<R>::epsilon() / R(2);
}

}  // namespace scorebench
