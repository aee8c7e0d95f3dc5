#include "scorebench/verification/double_checks.hpp"

#include <boost/math/differentiation/finite_difference.hpp>
#include <complex>

#include "scorebench/log_density.hpp"

namespace scorebench::verification {

namespace {

using Complex = std::complex<double>;

// d/dt f(x + t·s e_k) at t = 0, divided by s, for the input selected by `which`
// (0 loc, 1 action, 2 param) and entry (i, j).
struct Directional {
  DoubleCheck check;
  Parameterization p;
  const Vec<double>& loc;
  const Vec<double>& action;
  const Mat<double>& param;
  double max_error = 0;

  double operator()(int which, Index i, Index j, double s) {
    if (check == DoubleCheck::complex_step) {
      const double h = 1e-30 * s;
      Vec<Complex> l = loc.cast<Complex>(), a = action.cast<Complex>();
      Mat<Complex> m = param.cast<Complex>();
      const Complex step(0, h);
      if (which == 0) l(i) += step;
      if (which == 1) a(i) += step;
      if (which == 2) m(i, j) += step;
      return log_prob(p, l, a, m).imag() / h;
    }
    const auto f = [&](double t) {
      Vec<double> l = loc, a = action;
      Mat<double> m = param;
      if (which == 0) l(i) += t * s;
      if (which == 1) a(i) += t * s;
      if (which == 2) m(i, j) += t * s;
      return log_prob(p, l, a, m);
    };
    double error = 0;
    const double derivative =
        boost::math::differentiation::finite_difference_derivative<decltype(f), double, 8>(f, 0.0, &error);
    max_error = std::max(max_error, error / s);
    return derivative / s;
  }
};

}  // namespace

DoubleGradient double_check_gradient(DoubleCheck check, Parameterization p, const Vec<double>& loc,
                                     const Vec<double>& action, const Mat<double>& param) {
  const Index d = loc.size();
  const StepScales scales = step_scales(p, param);
  const double s_vec = scales.vector / 10, s_par = scales.param / 10;
  Directional dir{check, p, loc, action, param};
  DoubleGradient g;
  g.log_prob = log_prob(p, loc, action, param);
  g.grad_loc.resize(d);
  g.grad_action.resize(d);
  for (Index i = 0; i < d; ++i) {
    g.grad_loc(i) = dir(0, i, 0, s_vec);
    g.grad_action(i) = dir(1, i, 0, s_vec);
  }
  g.grad_param = Mat<double>::Zero(param.rows(), param.cols());
  for (Index j = 0; j < param.cols(); ++j)
    for (Index i = is_matrix(p) ? j : 0; i < d; ++i) {
      const double dij = dir(2, i, j, s_par);
      // Symmetric parameters: the lower-triangle derivative is 2 G_ij off the diagonal.
      if (is_symmetric(p) && i != j)
        g.grad_param(i, j) = g.grad_param(j, i) = dij / 2;
      else
        g.grad_param(i, j) = dij;
    }
  double largest = std::max({g.grad_loc.cwiseAbs().maxCoeff(), g.grad_param.cwiseAbs().maxCoeff(), 1e-300});
  g.error_estimate = dir.max_error / largest;
  return g;
}

}  // namespace scorebench::verification
