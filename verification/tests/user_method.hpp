#pragma once
// An example user method, as a user would write one: Σ factored by Eigen's
// LDLᵀ, w = Σ⁻¹ r by its solve, log det Σ = Σ log Dᵢᵢ, G = ½(w wᵀ − Σ⁻¹),
// and the parameterization's gradient by the chain rules of DESIGN §1 (for
// Λ the closed form ½(Σ − r rᵀ) instead of −Σ G Σ). It knows nothing of
// the verification library; registering it is all the gate needs.

#include <Eigen/Cholesky>
#include <Eigen/LU>

#include "scorebench/factorizations.hpp"
#include "scorebench/kernel.hpp"
#include "scorebench/score_formulas.hpp"

namespace user {

using namespace scorebench;

template <typename T>
struct LdltKernel {
  using Scalar = T;
  static constexpr bool requires_noise = false;
  static constexpr KernelPaths paths{};  // factor() and sample() only
  struct Factor {
    Mat<T> param, sigma, sigma_inv;
    Eigen::LDLT<Mat<T>> ldlt;
    T half_log_det{};
  };
  struct Workspace {
    explicit Workspace(Index) {}
  };

  static std::optional<std::string> factor(Parameterization p, const ConstMatRef<T>& a, Factor& f) {
    using std::log;
    f.param = a;
    const Index d = a.rows();
    switch (p) {
      case Parameterization::scale_tril: f.sigma = f.param * f.param.transpose(); break;
      case Parameterization::covariance_matrix:
        f.sigma = f.param.template selfadjointView<Eigen::Lower>();
        break;
      case Parameterization::precision_matrix: {
        const Eigen::LDLT<Mat<T>> lambda(Mat<T>(f.param.template selfadjointView<Eigen::Lower>()));
        if (lambda.info() != Eigen::Success || !lambda.isPositive())
          return "precision_matrix is not positive definite";
        f.sigma = lambda.solve(Mat<T>::Identity(d, d));
        break;
      }
      case Parameterization::scale_diag:
        f.sigma = f.param.col(0).array().square().matrix().asDiagonal();
        break;
    }
    f.ldlt.compute(f.sigma);
    if (f.ldlt.info() != Eigen::Success || !f.ldlt.isPositive()) return "Σ is not positive definite";
    f.sigma_inv = f.ldlt.solve(Mat<T>::Identity(d, d));
    f.half_log_det = f.ldlt.vectorD().array().log().sum() / T(2);
    return std::nullopt;
  }

  static void sample(Parameterization p, const Factor& f, const SampleInput<T>& in, SampleOutput<T>& out,
                     Workspace&) {
    const Vec<T> r = in.action - in.loc;
    const Vec<T> w = f.ldlt.solve(r);
    out.log_prob = log_prob_from_noise(r.dot(w), f.half_log_det, r.size());
    out.grad_loc = w;
    out.grad_action = -w;
    if (p == Parameterization::precision_matrix) {
      precision_gradient(r, f.sigma, out.grad_param);
      return;
    }
    Mat<T> g(r.size(), r.size());
    covariance_gradient(w, f.sigma_inv, g);
    chain_rule_from_covariance(p, g, f.param, f.sigma, out.grad_param);
  }
};

}  // namespace user
