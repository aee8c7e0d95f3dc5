// The method `user_llt`, written as a kernel (scorebench/kernel.hpp): factor()
// does what depends on the parameter only, sample() one sample, and
// scorebench's batch driver (KernelMethod) does the rest: argument checks,
// float and double, shared or per-sample parameters, per-sample gradients or
// the weighted sum, threads, and the failing samples of a batch.
//
// With r = a − μ (DESIGN §1):
//   scale_tril         L given: ε = L⁻¹r, w = L⁻ᵀε,
//                      log p = −½‖ε‖² − Σ log Lᵢᵢ − (d/2) log 2π,
//                      ∇L = tril(w εᵀ) − diag(1/Lᵢᵢ)
//   covariance_matrix  Σ = C Cᵀ (Eigen::LLT): ε = C⁻¹r, w = C⁻ᵀε,
//                      ∇Σ = ½(w wᵀ − Σ⁻¹)
//   precision_matrix   Λ = K Kᵀ (Eigen::LLT): w = Λr = K(Kᵀr),
//                      log p = −½‖Kᵀr‖² + Σ log Kᵢᵢ − (d/2) log 2π,
//                      ∇Λ = ½(Σ − r rᵀ)
//   scale_diag         ε = r/σ, w = ε/σ, ∇σ = (ε² − 1)/σ
// and ∇μ = w, ∇a = −w in every parameterization.

#include "user_llt.hpp"

#include <Eigen/Cholesky>
#include <cmath>
#include <optional>
#include <string>

#include "scorebench/kernel.hpp"

namespace user {
namespace {

using scorebench::ConstMatRef;
using scorebench::Index;
using scorebench::Mat;
using scorebench::Parameterization;
using scorebench::SampleInput;
using scorebench::SampleOutput;
using scorebench::Vec;

template <typename T>
struct UserLltKernel {
  using Scalar = T;
  static constexpr bool requires_noise = false;      // reads the action
  static constexpr scorebench::KernelPaths paths{};  // factor() and sample() only

  struct Factor {
    Mat<T> factor;     // L, C = chol(Σ), K = chol(Λ), or σ (d×1)
    Mat<T> inverse;    // Σ⁻¹ (covariance_matrix) or Σ = Λ⁻¹ (precision_matrix)
    T sum_log_diag{};  // Σ log of the factor's diagonal (of σ)
  };

  struct Workspace {
    explicit Workspace(Index d) : r(d), eps(d), w(d) {}
    Vec<T> r, eps, w;
  };

  // The driver has checked the values already (finite, symmetric, L lower
  // with a positive diagonal, σ > 0); what is left is definiteness.
  static std::optional<std::string> factor(Parameterization p, const ConstMatRef<T>& a, Factor& f) {
    using std::log;
    switch (p) {
      case Parameterization::scale_tril: f.factor = a.template triangularView<Eigen::Lower>(); break;
      case Parameterization::scale_diag: f.factor = a; break;
      case Parameterization::covariance_matrix:
      case Parameterization::precision_matrix: {
        const Eigen::LLT<Mat<T>> llt(a);
        if (llt.info() != Eigen::Success) return std::string("not positive definite (Eigen::LLT failed)");
        f.factor = llt.matrixL();
        const Mat<T> inverse = llt.solve(Mat<T>::Identity(a.rows(), a.rows()));
        f.inverse = (inverse + inverse.transpose()) / T(2);  // exactly symmetric
        break;
      }
    }
    f.sum_log_diag = p == Parameterization::scale_diag ? f.factor.col(0).array().log().sum()
                                                       : f.factor.diagonal().array().log().sum();
    return std::nullopt;
  }

  static void sample(Parameterization p, const Factor& f, const SampleInput<T>& in, SampleOutput<T>& out,
                     Workspace& ws) {
    const Index d = in.loc.size();
    const T half_d_log_2pi =
        static_cast<T>(0.5 * static_cast<double>(d) * std::log(2 * 3.14159265358979323846));
    ws.r = in.action - in.loc;
    switch (p) {
      case Parameterization::scale_tril:
      case Parameterization::covariance_matrix: {
        const auto l = f.factor.template triangularView<Eigen::Lower>();
        ws.eps = l.solve(ws.r);
        ws.w = l.transpose().solve(ws.eps);
        out.log_prob = -ws.eps.squaredNorm() / T(2) - f.sum_log_diag - half_d_log_2pi;
        if (p == Parameterization::scale_tril) {
          out.grad_param = (ws.w * ws.eps.transpose()).template triangularView<Eigen::Lower>();
          out.grad_param.diagonal() -= f.factor.diagonal().cwiseInverse();
        } else {
          out.grad_param = (ws.w * ws.w.transpose() - f.inverse) / T(2);
        }
        break;
      }
      case Parameterization::precision_matrix: {
        ws.eps = f.factor.transpose().template triangularView<Eigen::Upper>() * ws.r;  // Kᵀr
        ws.w = f.factor.template triangularView<Eigen::Lower>() * ws.eps;              // Λr
        out.log_prob = -ws.eps.squaredNorm() / T(2) + f.sum_log_diag - half_d_log_2pi;
        out.grad_param = (f.inverse - ws.r * ws.r.transpose()) / T(2);
        break;
      }
      case Parameterization::scale_diag: {
        ws.eps = ws.r.cwiseQuotient(f.factor.col(0));
        ws.w = ws.eps.cwiseQuotient(f.factor.col(0));
        out.log_prob = -ws.eps.squaredNorm() / T(2) - f.sum_log_diag - half_d_log_2pi;
        out.grad_param.col(0) = (ws.eps.array().square() - T(1)) / f.factor.col(0).array();
        break;
      }
    }
#ifdef USER_LLT_BROKEN
    out.grad_loc = -ws.w;  // the deliberate mistake: ∇μ with the sign of ∇a
#else
    out.grad_loc = ws.w;
#endif
    out.grad_action = -ws.w;
  }
};

}  // namespace

std::unique_ptr<scorebench::Method> make_user_llt() {
  return std::make_unique<scorebench::KernelMethod<UserLltKernel>>(
      "user_llt",
      "closed forms in the parameter's own factor, Eigen::LLT for Σ and Λ (examples/user_method)");
}

}  // namespace user
