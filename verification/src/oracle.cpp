#include "scorebench/verification/oracle.hpp"

#include <Eigen/Eigenvalues>
#include <Eigen/SVD>
#include <cmath>
#include <functional>

#include "scorebench/log_density.hpp"

namespace scorebench::verification {

StepScales step_scales(Parameterization p, const Mat<double>& param) {
  StepScales s;
  switch (p) {
    case Parameterization::scale_tril: {
      const Eigen::JacobiSVD<Mat<double>> svd(param);
      s.vector = s.param = svd.singularValues().minCoeff();
      break;
    }
    case Parameterization::covariance_matrix: {
      const Eigen::SelfAdjointEigenSolver<Mat<double>> e(param, Eigen::EigenvaluesOnly);
      s.param = e.eigenvalues().minCoeff();
      s.vector = std::sqrt(s.param);
      break;
    }
    case Parameterization::precision_matrix: {
      const Eigen::SelfAdjointEigenSolver<Mat<double>> e(param, Eigen::EigenvaluesOnly);
      s.param = e.eigenvalues().minCoeff();
      s.vector = 1 / std::sqrt(e.eigenvalues().maxCoeff());
      break;
    }
    case Parameterization::scale_diag: s.vector = s.param = param.col(0).minCoeff(); break;
  }
  return s;
}

namespace {
// f'(0) of t ↦ f(t) by the sixth-order central stencil with step h.
mp50 central_difference(const std::function<mp50(const mp50&)>& f, const mp50& h) {
  return (45 * (f(h) - f(-h)) - 9 * (f(2 * h) - f(-2 * h)) + (f(3 * h) - f(-3 * h))) / (60 * h);
}
}  // namespace

OracleGradient central_difference_oracle(Parameterization p, const Vec<mp50>& loc, const Vec<mp50>& action,
                                         const Mat<mp50>& param) {
  const Index d = loc.size();
  const StepScales scales = step_scales(p, param.cast<double>());
  const mp50 relative_step = mp50(1) / mp50(1000000);  // δ = 10⁻⁶
  const mp50 h_vec = relative_step * mp50(scales.vector), h_par = relative_step * mp50(scales.param);
  OracleGradient g;
  g.log_prob = log_prob(p, loc, action, param);
  g.grad_loc.resize(d);
  g.grad_action.resize(d);
  for (Index i = 0; i < d; ++i) {
    g.grad_loc(i) = central_difference(
        [&](const mp50& t) {
          Vec<mp50> x = loc;
          x(i) += t;
          return log_prob(p, x, action, param);
        },
        h_vec);
    g.grad_action(i) = central_difference(
        [&](const mp50& t) {
          Vec<mp50> x = action;
          x(i) += t;
          return log_prob(p, loc, x, param);
        },
        h_vec);
  }
  g.grad_param = Mat<mp50>::Zero(param.rows(), param.cols());
  for (Index j = 0; j < param.cols(); ++j)
    for (Index i = is_matrix(p) ? j : 0; i < d; ++i) {
      const mp50 dij = central_difference(
          [&](const mp50& t) {
            Mat<mp50> x = param;
            x(i, j) += t;
            return log_prob(p, loc, action, x);
          },
          h_par);
      if (is_symmetric(p) && i != j)
        g.grad_param(i, j) = g.grad_param(j, i) = dij / 2;
      else
        g.grad_param(i, j) = dij;
    }
  return g;
}

double agreeing_digits(const Mat<mp50>& x, const Mat<mp50>& y) {
  const mp50 diff = (x - y).norm(), scale = y.norm();
  if (diff == 0) return 60;
  if (scale == 0) return 0;
  return -static_cast<double>(log10(diff / scale));
}

}  // namespace scorebench::verification
