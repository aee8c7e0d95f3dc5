#pragma once
// Dynamic-size Eigen aliases used throughout, templated on the scalar so one
// body runs in float, double, 50-digit, complex-step and AD types.

#include <Eigen/Core>

namespace scorebench {

using Index = Eigen::Index;

template <typename T>
using Vec = Eigen::Matrix<T, Eigen::Dynamic, 1>;
template <typename T>
using Mat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;

template <typename T>
using VecRef = Eigen::Ref<Vec<T>>;
template <typename T>
using ConstVecRef = Eigen::Ref<const Vec<T>>;
template <typename T>
using MatRef = Eigen::Ref<Mat<T>>;
template <typename T>
using ConstMatRef = Eigen::Ref<const Mat<T>>;

}  // namespace scorebench
