#include "scorebench/mc/mutant_methods.hpp"

#include <stdexcept>
#include <string>

#include "scorebench/kernel.hpp"
#include "scorebench/registry.hpp"

namespace scorebench::mc {

namespace {

// What both mutants share: L (or σ), ε = L⁻¹ r and w = L⁻ᵀ ε.
template <typename T>
struct MutantFactor {
  Mat<T> l;
  Vec<T> inv_diag;
};

template <typename T>
std::optional<std::string> mutant_factor(Parameterization p, const ConstMatRef<T>& a, MutantFactor<T>& f) {
  if (p == Parameterization::scale_tril) {
    f.l = a;
  } else if (p == Parameterization::scale_diag) {
    f.l = a.col(0).asDiagonal();
  } else {
    return "the mutant scores cover scale_tril and scale_diag, not " + std::string(name(p));
  }
  f.inv_diag = f.l.diagonal().cwiseInverse();
  return std::nullopt;
}

template <typename T>
void noise_and_w(const MutantFactor<T>& f, const SampleInput<T>& in, Vec<T>& eps, Vec<T>& w) {
  const auto l = f.l.template triangularView<Eigen::Lower>();
  eps = l.solve(in.action - in.loc);
  w = l.transpose().solve(eps);
}

// What the kernels share: the factor (L or σ) and the workspace (ε, w).
template <typename T>
struct MutantKernelBase {
  using Scalar = T;
  static constexpr bool requires_noise = false;
  static constexpr KernelPaths paths{};  // factor() and sample() only
  using Factor = MutantFactor<T>;
  struct Workspace {
    explicit Workspace(Index d) : eps(d), w(d) {}
    Vec<T> eps, w;
  };
  static std::optional<std::string> factor(Parameterization p, const ConstMatRef<T>& a, Factor& f) {
    return mutant_factor(p, a, f);
  }
};

template <typename T>
struct MisnormalisedDensityKernel : MutantKernelBase<T> {
  using typename MutantKernelBase<T>::Factor;
  using typename MutantKernelBase<T>::Workspace;
  static void sample(Parameterization p, const Factor& f, const SampleInput<T>& in, SampleOutput<T>& out,
                     Workspace& ws) {
    using std::log;
    noise_and_w(f, in, ws.eps, ws.w);
    // log q = −½‖ε‖² + log 2π + 2 Σ log Lᵢᵢ
    out.log_prob = -ws.eps.squaredNorm() / T(2) + log(T(2) * boost::math::constants::pi<T>()) +
                   T(2) * f.l.diagonal().array().log().sum();
    out.grad_loc = ws.w;
    out.grad_action = -ws.w;
    const Index d = ws.w.size();
    if (p == Parameterization::scale_diag) {
      // ∂/∂σᵢ [−½ εᵢ² + 2 log σᵢ] = εᵢ²/σᵢ + 2/σᵢ
      out.grad_param.col(0) = (ws.eps.array().square() + T(2)) * f.inv_diag.array();
      return;
    }
    // ∇L of −½‖L⁻¹r‖² is tril(w εᵀ); of 2 Σ log Lᵢᵢ it is 2 diag(1/Lᵢᵢ)
    for (Index j = 0; j < d; ++j)
      for (Index i = 0; i < d; ++i) out.grad_param(i, j) = i >= j ? ws.w(i) * ws.eps(j) : T(0);
    for (Index i = 0; i < d; ++i) out.grad_param(i, i) += T(2) * f.inv_diag(i);
  }
};

template <typename T>
struct ConstantVarianceKernel : MutantKernelBase<T> {
  using typename MutantKernelBase<T>::Factor;
  using typename MutantKernelBase<T>::Workspace;
  static void sample(Parameterization, const Factor& f, const SampleInput<T>& in, SampleOutput<T>& out,
                     Workspace& ws) {
    noise_and_w(f, in, ws.eps, ws.w);
    // Σ is treated as a constant: log p = −½‖ε‖² + const, ∇μ = w, ∇scale = 0.
    out.log_prob = -ws.eps.squaredNorm() / T(2);
    out.grad_loc = ws.w;
    out.grad_action = -ws.w;
    out.grad_param.setZero();
  }
};

}  // namespace

const std::vector<std::unique_ptr<Method>>& mutant_methods() {
  static const std::vector<std::unique_ptr<Method>>* mutants = [] {
    auto* m = new std::vector<std::unique_ptr<Method>>;
    m->push_back(std::make_unique<KernelMethod<MisnormalisedDensityKernel>>(
        "mutant_misnormalised_density", "WRONG on purpose: the score of −½rᵀΣ⁻¹r + log(2π det Σ)"));
    m->push_back(std::make_unique<KernelMethod<ConstantVarianceKernel>>(
        "mutant_constant_variance", "WRONG on purpose: Σ treated as constant, zero scale gradient"));
    return m;
  }();
  return *mutants;
}

const Method& find_method(std::string_view method_name) {
  if (const Method* m = registry().find(method_name)) return *m;
  std::string mutants;
  for (const auto& m : mutant_methods()) {
    if (m->name() == method_name) return *m;
    mutants += (mutants.empty() ? "" : ", ") + m->name();
  }
  std::string known;
  for (const auto& n : registry().names()) known += (known.empty() ? "" : ", ") + n;
  throw std::invalid_argument("unknown method '" + std::string(method_name) + "' (registry: " + known +
                              "; mutants: " + mutants + ")");
}

}  // namespace scorebench::mc
