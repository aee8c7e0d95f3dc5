#include "scorebench/mutants.hpp"

#include "scorebench/factorizations.hpp"
#include "scorebench/registry.hpp"
#include "scorebench/score_formulas.hpp"

namespace scorebench {

namespace {

enum class Bug {
  textbook_log_prob,      // log p = −½ rᵀΣ⁻¹r + log(2π det Σ)
  log_det_without_half,   // log p = −½ rᵀΣ⁻¹r − log det Σ − (d/2) log 2π
  log_two_pi_once,        // normaliser ½ log 2π instead of (d/2) log 2π
  missing_inverse_term,   // ∇Σ = ½ w wᵀ (constant-variance thinking)
  symmetric_factor_two,   // ∇Σ = w wᵀ − Σ⁻¹ (vech/symmetric slip)
  lower_triangle_only,    // ∇Σ with its strict upper triangle left at 0
  upper_triangular_l,     // Σ = Lᵀ L: L read as upper triangular
  missing_tril,           // ∇L = w εᵀ − diag(1/L), upper triangle not zeroed
  scale_tril_no_log_det,  // ∇L = tril(w εᵀ): the −diag(1/L) term dropped
  sigma_as_variance,      // scale_diag σ read as the variance: Σ = diag(σ)
  grad_action_sign,       // ∇a = +w
  float_accumulation,     // the solves accumulate in float inside the double path
  precision_chain_rule,   // ∇Λ = −Λ G Λ instead of −Σ G Σ
  constant_variance,      // Σ treated as a constant: zero gradient for the parameter
  misnormalised_density,  // log p and its gradient both from the textbook density
};

// A straightforward Cholesky-and-closed-forms kernel with one bug switched on.
template <Bug B>
struct Mutant {
  template <typename T>
  struct Kernel {
    using Scalar = T;
    static constexpr bool requires_noise = false;
    static constexpr KernelPaths paths{};  // factor() and sample() only
    struct Factor {
      Mat<T> param, l, sigma, sigma_inv;
      T half_log_det{};
    };
    struct Workspace {
      explicit Workspace(Index) {}
    };

    static std::optional<std::string> factor(Parameterization p, const ConstMatRef<T>& a, Factor& f) {
      using std::log;
      using std::sqrt;
      f.param = a;
      std::optional<std::string> e;
      switch (p) {
        case Parameterization::scale_tril:
          if (B == Bug::upper_triangular_l) {
            e = lower_cholesky<T>("scale_tril", Mat<T>(f.param.transpose() * f.param), f.l);
          } else {
            f.l = a;
          }
          break;
        case Parameterization::covariance_matrix: e = lower_cholesky<T>("covariance_matrix", a, f.l); break;
        case Parameterization::precision_matrix: {
          Mat<T> k;
          e = lower_cholesky<T>("precision_matrix", a, k);
          if (!e) e = lower_cholesky<T>("Σ", inverse_from_cholesky(k), f.l);
          break;
        }
        case Parameterization::scale_diag:
          f.l = B == Bug::sigma_as_variance ? Mat<T>(a.col(0).cwiseSqrt().asDiagonal())
                                            : Mat<T>(a.col(0).asDiagonal());
          break;
      }
      if (e) return e;
      f.sigma = f.l * f.l.transpose();
      f.sigma_inv = inverse_from_cholesky(f.l);
      f.half_log_det = f.l.diagonal().array().log().sum();
      return std::nullopt;
    }

    static void sample(Parameterization p, const Factor& f, const SampleInput<T>& in, SampleOutput<T>& out,
                       Workspace&) {
      const Index d = in.loc.size();
      const Vec<T> r = in.action - in.loc;
      Vec<T> eps, w;
      if (B == Bug::float_accumulation) {
        const Mat<float> lf = f.l.template cast<float>();
        const Vec<float> ef = lf.triangularView<Eigen::Lower>().solve(r.template cast<float>());
        eps = ef.template cast<T>();
        w = lf.triangularView<Eigen::Lower>().transpose().solve(ef).template cast<T>();
      } else {
        eps = f.l.template triangularView<Eigen::Lower>().solve(r);
        w = f.l.template triangularView<Eigen::Lower>().transpose().solve(eps);
      }
      const T sq = eps.squaredNorm();
      const T half_log_2pi = half_log_two_pi<T>();
      switch (B) {
        case Bug::textbook_log_prob:
        case Bug::misnormalised_density:
          out.log_prob = -sq / T(2) + T(2) * half_log_2pi + T(2) * f.half_log_det;
          break;
        case Bug::log_det_without_half:
          out.log_prob = log_prob_from_noise(sq, T(2) * f.half_log_det, d);
          break;
        case Bug::log_two_pi_once: out.log_prob = -sq / T(2) - f.half_log_det - half_log_2pi; break;
        default: out.log_prob = log_prob_from_noise(sq, f.half_log_det, d);
      }
      out.grad_loc = w;
      out.grad_action = B == Bug::grad_action_sign ? Vec<T>(w) : Vec<T>(-w);

      // G = ∇Σ in the symmetric convention, with the covariance bugs.
      Mat<T> g = (w * w.transpose() - f.sigma_inv) / T(2);
      if (B == Bug::missing_inverse_term) g = w * w.transpose() / T(2);
      if (B == Bug::symmetric_factor_two) g = w * w.transpose() - f.sigma_inv;
      // ∇Σ of −½ rᵀΣ⁻¹r + log det Σ
      if (B == Bug::misnormalised_density) g = w * w.transpose() / T(2) + f.sigma_inv;
      if (B == Bug::lower_triangle_only) g.template triangularView<Eigen::StrictlyUpper>().setZero();
      switch (p) {
        case Parameterization::scale_tril:
          if (B == Bug::upper_triangular_l) {
            // Σ = Lᵀ L: ⟨G, dLᵀ L + Lᵀ dL⟩ = ⟨2 L G, dL⟩
            out.grad_param = T(2) * f.param * g;
            out.grad_param.template triangularView<Eigen::StrictlyUpper>().setZero();
          } else {
            out.grad_param = w * eps.transpose();
            if (B != Bug::missing_tril)
              out.grad_param.template triangularView<Eigen::StrictlyUpper>().setZero();
            // ∇L of log det Σ = 2 Σ log Lᵢᵢ is 2 diag(1/Lᵢᵢ), of −log det L it is −diag(1/Lᵢᵢ)
            if (B == Bug::misnormalised_density)
              out.grad_param.diagonal() += T(2) * f.l.diagonal().cwiseInverse();
            else if (B != Bug::scale_tril_no_log_det)
              out.grad_param.diagonal() -= f.l.diagonal().cwiseInverse();
          }
          break;
        case Parameterization::covariance_matrix: out.grad_param = g; break;
        case Parameterization::precision_matrix:
          // ∇Λ = ½(Σ − r rᵀ), which the chain rule −Σ G Σ equals; the bug
          // chains through Λ instead of Σ.
          if (B == Bug::precision_chain_rule)
            out.grad_param = -(f.sigma_inv * g * f.sigma_inv);
          else if (B == Bug::misnormalised_density)
            out.grad_param = -(f.sigma * g * f.sigma);
          else
            precision_gradient(r, f.sigma, out.grad_param);
          break;
        case Parameterization::scale_diag:
          // Σ = diag(σ²): ∇σᵢ = 2 Gᵢᵢ σᵢ; σ read as variance: ∇σᵢ = Gᵢᵢ.
          for (Index i = 0; i < d; ++i)
            out.grad_param(i, 0) = B == Bug::sigma_as_variance ? g(i, i) : T(2) * g(i, i) * f.param(i, 0);
          break;
      }
      if (B == Bug::constant_variance) out.grad_param.setZero();
    }
  };
};

template <Bug B>
std::unique_ptr<Method> mutant(std::string name, std::string what) {
  return std::make_unique<KernelMethod<Mutant<B>::template Kernel>>("mutant:" + name, std::move(what));
}

// A correct method called wrongly: the batch or request is altered first.
class WrappedMutant : public Method {
 public:
  enum Kind {
    batch_off_by_one,
    sum_ignores_weights,
    failure_unreported,
    failed_sample_zeroed,
    batch_refused
  };
  WrappedMutant(Kind kind, std::string name, std::string what)
      : kind_(kind), name_("mutant:" + std::move(name)), what_(std::move(what)) {}
  std::string name() const override { return name_; }
  std::string summary() const override { return what_; }
  Result<double> evaluate(const Batch<double>& b, const Request<double>& r) const override {
    return run(b, r);
  }
  Result<float> evaluate(const Batch<float>& b, const Request<float>& r) const override { return run(b, r); }

 private:
  template <typename T>
  Result<T> run(Batch<T> batch, Request<T> request) const {
    const Method& correct = registry().get("analytic");
    if (kind_ == sum_ignores_weights) request.weights.resize(0);
    if (kind_ == batch_off_by_one && !batch.shared_param()) {
      // Sample b reads parameter block b + 1 (the last one reads its own).
      const Index cols = batch.block_cols(), n = batch.param_count();
      Mat<T> shifted = batch.param;
      for (Index b = 0; b + 1 < n; ++b)
        shifted.middleCols(b * cols, cols) = batch.param.middleCols((b + 1) * cols, cols);
      batch.param = shifted;
    }
    Result<T> out = correct.evaluate(batch, request);
    if (kind_ == batch_refused) out.throw_if_failed();
    if (kind_ == failure_unreported) out.errors.clear();
    if (kind_ == failed_sample_zeroed && out.output == Output::grads)
      for (const SampleError& e : out.errors) {
        out.log_prob(e.sample) = 0;
        out.grad_loc.col(e.sample).setZero();
        out.grad_action.col(e.sample).setZero();
        out.grad_param_of(e.sample).setZero();
      }
    return out;
  }
  Kind kind_;
  std::string name_, what_;
};

}  // namespace

std::vector<std::unique_ptr<Method>> mutant_catalogue() {
  std::vector<std::unique_ptr<Method>> m;
  m.push_back(mutant<Bug::textbook_log_prob>("textbook_log_prob", "log p = −½ rᵀΣ⁻¹r + log(2π det Σ)"));
  m.push_back(mutant<Bug::log_det_without_half>("log_det_without_half",
                                                "log p = −½ rᵀΣ⁻¹r − log det Σ − (d/2) log 2π"));
  m.push_back(mutant<Bug::log_two_pi_once>("log_two_pi_once", "normaliser ½ log 2π instead of (d/2) log 2π"));
  m.push_back(
      mutant<Bug::missing_inverse_term>("missing_inverse_term", "∇Σ = ½ w wᵀ: the −Σ⁻¹ term dropped"));
  m.push_back(mutant<Bug::symmetric_factor_two>("symmetric_factor_two",
                                                "∇Σ = w wᵀ − Σ⁻¹: the symmetric factor-2 slip"));
  m.push_back(
      mutant<Bug::lower_triangle_only>("lower_triangle_only", "∇Σ with only its lower triangle filled"));
  m.push_back(mutant<Bug::upper_triangular_l>("upper_triangular_l", "L read as upper triangular: Σ = Lᵀ L"));
  m.push_back(mutant<Bug::missing_tril>("missing_tril", "∇L = w εᵀ − diag(1/L) without tril()"));
  m.push_back(mutant<Bug::scale_tril_no_log_det>("scale_tril_no_log_det",
                                                 "∇L = tril(w εᵀ): the −diag(1/L) term dropped"));
  m.push_back(
      mutant<Bug::sigma_as_variance>("sigma_as_variance", "scale_diag σ read as the variance: Σ = diag(σ)"));
  m.push_back(mutant<Bug::grad_action_sign>("grad_action_sign", "∇a = +Σ⁻¹(a − μ): sign flipped"));
  m.push_back(mutant<Bug::float_accumulation>("float_accumulation",
                                              "the triangular solves run in float inside the double path"));
  m.push_back(mutant<Bug::precision_chain_rule>("precision_chain_rule", "∇Λ = −Λ G Λ instead of −Σ G Σ"));
  m.push_back(mutant<Bug::constant_variance>("constant_variance",
                                             "Σ treated as a constant: zero gradient for the parameter"));
  m.push_back(mutant<Bug::misnormalised_density>(
      "misnormalised_density", "log p and its gradient from the density −½ rᵀΣ⁻¹r + log(2π det Σ)"));
  m.push_back(std::make_unique<WrappedMutant>(WrappedMutant::batch_off_by_one, "batch_off_by_one",
                                              "per-sample parameters: sample b reads block b + 1"));
  m.push_back(std::make_unique<WrappedMutant>(WrappedMutant::sum_ignores_weights, "sum_ignores_weights",
                                              "weighted sum Σ c_b ∇ log p_b computed with every c_b = 1"));
  m.push_back(std::make_unique<WrappedMutant>(WrappedMutant::failure_unreported, "failure_unreported",
                                              "a sample that cannot be computed is not named in errors"));
  m.push_back(std::make_unique<WrappedMutant>(WrappedMutant::failed_sample_zeroed, "failed_sample_zeroed",
                                              "a failed sample's per-sample outputs are 0 instead of NaN"));
  m.push_back(std::make_unique<WrappedMutant>(WrappedMutant::batch_refused, "batch_refused",
                                              "one invalid sample makes the whole batch throw"));
  return m;
}

const Method* find_mutant(std::string_view name) {
  static const auto* catalogue = new std::vector<std::unique_ptr<Method>>(mutant_catalogue());
  for (const auto& m : *catalogue)
    if (m->name() == name) return m.get();
  return nullptr;
}

}  // namespace scorebench
