#pragma once
// A Gaussian policy with state-dependent covariance (DESIGN §3),
//
//   π_θ(a|s) = N(μ_θ(s), L_θ(s) L_θ(s)ᵀ),
//   μ_θ(s) = W s + c,
//   L_θ(s)ᵢᵢ = exp(Uᵢ·s + uᵢ),   L_θ(s)ᵢⱼ = V₍ᵢⱼ₎·s + v₍ᵢⱼ₎ (i > j),
//
// over a fixed set of states s₁…s_S, with the quadratic reward
// r(s, a) = −(a − K s)ᵀ Q (a − K s) and the exact expected return
//
//   J(θ) = (1/S) Σₛ E[r] = −(1/S) Σₛ [(μ − Ks)ᵀ Q (μ − Ks) + tr(Q L Lᵀ)].
//
// θ = (vec W, c, vec U, u, vec V, v), column-major, V's rows the strictly
// lower entries (i, j) column by column.

#include <cstdint>
#include <string>
#include <vector>

#include "scorebench/eigen_types.hpp"

namespace scorebench::mc {

struct Policy {
  Mat<double> states;  // ds × S
  Mat<double> target;  // K, d × ds
  Mat<double> q;       // Q, d × d symmetric positive definite

  Index action_dim() const { return target.rows(); }
  Index state_dim() const { return states.rows(); }
  Index state_count() const { return states.cols(); }
  Index off_diagonal() const { return action_dim() * (action_dim() - 1) / 2; }
  Index parameter_count() const {
    return 2 * (action_dim() * state_dim() + action_dim()) + off_diagonal() * (state_dim() + 1);
  }
};

// μ_θ(s) and L_θ(s) of state `index`.
template <typename T>
void policy_heads(const Policy& policy, const Vec<T>& theta, Index index, Vec<T>& mu, Mat<T>& l) {
  using std::exp;
  const Index d = policy.action_dim(), ds = policy.state_dim(), m = policy.off_diagonal();
  const Vec<T> s = policy.states.col(index).cast<T>();
  Index at = 0;
  const auto take = [&](Index rows, Index cols) {
    Mat<T> block = Eigen::Map<const Mat<T>>(theta.data() + at, rows, cols);
    at += rows * cols;
    return block;
  };
  const Mat<T> w = take(d, ds), c = take(d, 1), u_mat = take(d, ds), u = take(d, 1), v_mat = take(m, ds),
               v = take(m, 1);
  mu = w * s + c;
  const Vec<T> log_diag = u_mat * s + u, off = v_mat * s + v;
  l = Mat<T>::Zero(d, d);
  Index k = 0;
  for (Index j = 0; j < d; ++j) {
    l(j, j) = exp(log_diag(j));
    for (Index i = j + 1; i < d; ++i) l(i, j) = off(k++);
  }
}

// J(θ), on any scalar (50-digit central differences use it).
template <typename T>
T expected_return(const Policy& policy, const Vec<T>& theta) {
  const Mat<T> q = policy.q.cast<T>();
  T total(0);
  for (Index s = 0; s < policy.state_count(); ++s) {
    Vec<T> mu;
    Mat<T> l;
    policy_heads(policy, theta, s, mu, l);
    const Vec<T> r = mu - policy.target.cast<T>() * policy.states.col(s).cast<T>();
    total -= r.dot(q * r) + (q * l * l.transpose()).trace();
  }
  return total / T(static_cast<double>(policy.state_count()));
}

// ∇θ of a per-state quantity from its gradients g_μ and g_L (lower):
// ∂/∂W = g_μ sᵀ, ∂/∂c = g_μ, ∂/∂Uᵢ = g_Lᵢᵢ Lᵢᵢ s, ∂/∂uᵢ = g_Lᵢᵢ Lᵢᵢ,
// ∂/∂V₍ᵢⱼ₎ = g_Lᵢⱼ s, ∂/∂v₍ᵢⱼ₎ = g_Lᵢⱼ.
Vec<double> chain_to_theta(const Policy& policy, Index state, const Mat<double>& l, const Vec<double>& g_mu,
                           const Mat<double>& g_l);

// The exact ∇θ J: g_μ = −2Q(μ − Ks), g_L = −2 tril(Q L) per state, averaged.
Vec<double> exact_policy_gradient(const Policy& policy, const Vec<double>& theta);

// Names of θ's coordinates: W(i,k), c[i], U(i,k), u[i], V(i,j;k), v(i,j).
std::vector<std::string> policy_parameter_names(const Policy& policy);

enum class PolicyEstimator {
  reinforce,                    // r ∇θ log π, the full score through μ_θ and L_θ
  reinforce_constant_variance,  // Σ treated as constant: g_L = 0
  reinforce_no_log_det,         // the −diag(1/Lᵢᵢ) (log det Σ) term dropped
  reinforce_no_inverse,         // Σ⁻¹ dropped: w = Σ⁻¹r replaced by r
  pathwise,                     // a = μ + Lε: g_μ = ∇ₐr, g_L = tril(∇ₐr εᵀ)
};
std::string policy_estimator_name(PolicyEstimator e);

struct PolicyEstimate {
  PolicyEstimator estimator;
  Vec<double> mean, variance, standard_error, z;  // z against the exact ∇J
  double seconds_per_episode = 0;
};

// One episode = one action in every state; the single-episode estimate is
// the average over the states. Scores come from `method` of the registry
// with one scale_tril per sample (the state-dependent covariance).
PolicyEstimate estimate_policy_gradient(const Policy& policy, const Vec<double>& theta, PolicyEstimator e,
                                        std::uint64_t episodes, std::uint64_t seed,
                                        const std::string& method = "analytic");

// The worked example of the README: d = 2, ds = 2, S = 3, θ of 15 entries.
struct PolicyExample {
  Policy policy;
  Vec<double> theta;
  std::vector<std::string> names;
  double expected_return = 0;
  Vec<double> exact;                      // ∇J in closed form
  Vec<double> finite_difference;          // 50-digit central differences of J, rounded
  double max_relative_difference = 0;     // max |exact − fd| / max(1, |fd|)
  std::vector<PolicyEstimate> estimates;  // every PolicyEstimator
};

PolicyExample policy_example(std::uint64_t episodes = 200000, std::uint64_t seed = 7,
                             const std::string& method = "analytic");

}  // namespace scorebench::mc
