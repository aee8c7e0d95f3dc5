#pragma once
// The 50-digit scalar of the references and the oracle:
// boost::multiprecision::cpp_bin_float_50 (166-bit significand, unit roundoff
// about 5e-51) made an Eigen scalar by boost/multiprecision/eigen.hpp.
// Values of float or double inputs convert into it exactly.

#include <boost/multiprecision/cpp_bin_float.hpp>
#include <boost/multiprecision/eigen.hpp>

#include "scorebench/eigen_types.hpp"

namespace scorebench::verification {

using mp50 = boost::multiprecision::cpp_bin_float_50;

// Exact conversion of a float or double matrix into 50 digits.
template <typename Derived>
Mat<mp50> to_mp(const Eigen::MatrixBase<Derived>& m) {
  return m.template cast<mp50>();
}

}  // namespace scorebench::verification
