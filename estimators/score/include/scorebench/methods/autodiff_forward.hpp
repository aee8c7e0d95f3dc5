#pragma once
// `autodiff_forward`: forward-mode AD (Eigen's AutoDiffScalar) through the
// one generic log-density (log_density.hpp). Every input is a seeded
// variable: μ, a, and the free entries of the parameter (the lower triangle
// of a matrix, or σ). For a symmetric parameter the lower-triangle derivative
// is the "vech" one, D_ij = 2G_ij for i ≠ j and D_ii = G_ii, so G_ij = G_ji =
// D_ij / 2 off the diagonal (DESIGN §1 symmetric convention).

#include <Eigen/Core>
#include <unsupported/Eigen/AutoDiff>

#include "scorebench/factorizations.hpp"
#include "scorebench/kernel.hpp"
#include "scorebench/log_density.hpp"

namespace scorebench {

template <typename T>
struct AutodiffForwardKernel {
  using Scalar = T;
  using AD = Eigen::AutoDiffScalar<Vec<T>>;
  static constexpr bool requires_noise = false;
  static constexpr KernelPaths paths{};  // factor() and sample() only

  struct Factor {
    Mat<T> param;
  };

  struct Workspace {
    explicit Workspace(Index) {}
  };

  static std::optional<std::string> factor(Parameterization p, const ConstMatRef<T>& a, Factor& f) {
    if (is_symmetric(p)) {
      Mat<T> unused;
      if (auto e = lower_cholesky<T>(name(p), a, unused)) return e;
    }
    f.param = a;
    return std::nullopt;
  }

  static void sample(Parameterization p, const Factor& f, const SampleInput<T>& in, SampleOutput<T>& out,
                     Workspace&) {
    const Index d = in.loc.size();
    const Index cols = f.param.cols();
    const Index free = is_matrix(p) ? d * (d + 1) / 2 : d;
    const Index n = 2 * d + free;
    const auto seeded = [n](const T& v, Index k) { return AD(v, static_cast<int>(n), static_cast<int>(k)); };
    const auto constant = [n](const T& v) { return AD(v, Vec<T>::Zero(n)); };
    Vec<AD> loc(d), action(d);
    for (Index i = 0; i < d; ++i) {
      loc(i) = seeded(in.loc(i), i);
      action(i) = seeded(in.action(i), d + i);
    }
    Mat<AD> param(d, cols);
    Index k = 2 * d;
    for (Index j = 0; j < cols; ++j)
      for (Index i = 0; i < d; ++i)
        param(i, j) = (i >= j || !is_matrix(p)) ? seeded(f.param(i, j), k++) : constant(f.param(i, j));

    const AD lp = log_prob(p, loc, action, param);
    const Vec<T>& der = lp.derivatives();
    out.log_prob = lp.value();
    out.grad_loc = der.head(d);
    out.grad_action = der.segment(d, d);
    k = 2 * d;
    for (Index j = 0; j < cols; ++j)
      for (Index i = 0; i < d; ++i) {
        if (is_matrix(p) && i < j) {
          if (p == Parameterization::scale_tril) out.grad_param(i, j) = T(0);
          continue;
        }
        const T dij = der(k++);
        if (is_symmetric(p) && i != j)
          out.grad_param(i, j) = out.grad_param(j, i) = dij / T(2);
        else
          out.grad_param(i, j) = dij;
      }
  }
};

}  // namespace scorebench
