#include "scorebench/mc/policy.hpp"

#include <boost/multiprecision/cpp_bin_float.hpp>
#include <boost/multiprecision/eigen.hpp>
#include <chrono>

#include "scorebench/mc/estimator.hpp"
#include "scorebench/mc/find_method.hpp"
#include "scorebench/mc/moments.hpp"
#include "scorebench/mc/random.hpp"

namespace scorebench::mc {

Vec<double> chain_to_theta(const Policy& policy, Index state, const Mat<double>& l, const Vec<double>& g_mu,
                           const Mat<double>& g_l) {
  const Index d = policy.action_dim(), ds = policy.state_dim(), m = policy.off_diagonal();
  const Vec<double> s = policy.states.col(state);
  Vec<double> out(policy.parameter_count());
  Index at = 0;
  const auto put = [&](const Mat<double>& block) {
    Eigen::Map<Mat<double>>(out.data() + at, block.rows(), block.cols()) = block;
    at += block.size();
  };
  const Vec<double> g_diag = g_l.diagonal().cwiseProduct(l.diagonal());  // ∂/∂(log Lᵢᵢ) = g_Lᵢᵢ Lᵢᵢ
  Vec<double> g_off(m);
  Index k = 0;
  for (Index j = 0; j < d; ++j)
    for (Index i = j + 1; i < d; ++i) g_off(k++) = g_l(i, j);
  put(g_mu * s.transpose());
  put(g_mu);
  put(g_diag * s.transpose());
  put(g_diag);
  put(g_off * s.transpose());
  put(g_off);
  (void)ds;
  return out;
}

Vec<double> exact_policy_gradient(const Policy& policy, const Vec<double>& theta) {
  Vec<double> g = Vec<double>::Zero(policy.parameter_count());
  for (Index s = 0; s < policy.state_count(); ++s) {
    Vec<double> mu;
    Mat<double> l;
    policy_heads(policy, theta, s, mu, l);
    const Vec<double> r = mu - policy.target * policy.states.col(s);
    // ∇μ E[r] = −2Q(μ − Ks);  ∇L E[r] = −∇L tr(Q L Lᵀ) = −2 tril(Q L)
    const Mat<double> g_l = Mat<double>((-2 * policy.q * l).triangularView<Eigen::Lower>());
    g += chain_to_theta(policy, s, l, -2 * policy.q * r, g_l);
  }
  return g / static_cast<double>(policy.state_count());
}

std::vector<std::string> policy_parameter_names(const Policy& policy) {
  const Index d = policy.action_dim(), ds = policy.state_dim();
  std::vector<std::string> names;
  const auto matrix = [&](const std::string& n, Index rows, const std::vector<std::string>& row_names,
                          const char* separator) {
    for (Index k = 0; k < ds; ++k)
      for (Index i = 0; i < rows; ++i)
        names.push_back(n + "(" + row_names[static_cast<std::size_t>(i)] + separator + std::to_string(k) +
                        ")");
  };
  std::vector<std::string> rows, off;
  for (Index i = 0; i < d; ++i) rows.push_back(std::to_string(i));
  for (Index j = 0; j < d; ++j)
    for (Index i = j + 1; i < d; ++i) off.push_back(std::to_string(i) + "," + std::to_string(j));
  matrix("W", d, rows, ",");
  for (const auto& r : rows) names.push_back("c[" + r + "]");
  matrix("U", d, rows, ",");
  for (const auto& r : rows) names.push_back("u[" + r + "]");
  matrix("V", policy.off_diagonal(), off, ";");
  for (const auto& r : off) names.push_back("v(" + r + ")");
  return names;
}

std::string policy_estimator_name(PolicyEstimator e) {
  switch (e) {
    case PolicyEstimator::reinforce: return "reinforce";
    case PolicyEstimator::reinforce_constant_variance: return "reinforce_constant_variance";
    case PolicyEstimator::reinforce_no_log_det: return "reinforce_no_log_det";
    case PolicyEstimator::reinforce_no_inverse: return "reinforce_no_inverse";
    case PolicyEstimator::pathwise: return "pathwise";
  }
  return "unknown";
}

PolicyEstimate estimate_policy_gradient(const Policy& policy, const Vec<double>& theta, PolicyEstimator e,
                                        std::uint64_t episodes, std::uint64_t seed,
                                        const std::string& method) {
  if (theta.size() != policy.parameter_count())
    throw std::invalid_argument("theta has " + std::to_string(theta.size()) + " entries, the policy " +
                                std::to_string(policy.parameter_count()));
  if (episodes < 2) throw std::invalid_argument("episodes must be at least 2");
  const Method& score = find_method(method);
  const Index d = policy.action_dim(), states = policy.state_count(), np = policy.parameter_count();
  std::vector<Vec<double>> mus(static_cast<std::size_t>(states));
  std::vector<Mat<double>> ls(static_cast<std::size_t>(states));
  for (Index s = 0; s < states; ++s)
    policy_heads(policy, theta, s, mus[static_cast<std::size_t>(s)], ls[static_cast<std::size_t>(s)]);

  std::vector<Moments> moments(static_cast<std::size_t>(np));
  const auto start = std::chrono::steady_clock::now();
  const std::uint64_t chunk = 256;  // episodes per batch
  for (std::uint64_t first = 0; first < episodes; first += chunk) {
    const Index n = static_cast<Index>(std::min(chunk, episodes - first)) * states;
    // Column e·S + s is episode first + e in state s, with per-sample loc and L.
    Batch<double> batch;
    batch.parameterization = Parameterization::scale_tril;
    batch.loc.resize(d, n);
    batch.param.resize(d, d * n);
    batch.noise.resize(d, n);
    fill_noise(seed, first * static_cast<std::uint64_t>(states), batch.noise);
    batch.action.resize(d, n);
    for (Index b = 0; b < n; ++b) {
      const auto s = static_cast<std::size_t>(b % states);
      batch.loc.col(b) = mus[s];
      batch.param.middleCols(b * d, d) = ls[s];
      batch.action.col(b) = mus[s] + ls[s] * batch.noise.col(b);
    }
    const bool needs_score = e != PolicyEstimator::pathwise;
    Result<double> r;
    if (needs_score) {
      r = score.evaluate(batch, Request<double>{Output::grads, {}});
      r.throw_if_failed();
    }
    for (Index ep = 0; ep < n / states; ++ep) {
      Vec<double> h = Vec<double>::Zero(np);
      for (Index s = 0; s < states; ++s) {
        const Index b = ep * states + s;
        const Mat<double>& l = ls[static_cast<std::size_t>(s)];
        const Vec<double> dev = batch.action.col(b) - policy.target * policy.states.col(s);
        const double reward = -dev.dot(policy.q * dev);
        const Vec<double> eps = batch.noise.col(b);
        Vec<double> g_mu;
        Mat<double> g_l;
        switch (e) {
          case PolicyEstimator::reinforce:
            g_mu = reward * r.grad_loc.col(b);
            g_l = reward * r.grad_param_of(b);
            break;
          case PolicyEstimator::reinforce_constant_variance:
            g_mu = reward * r.grad_loc.col(b);
            g_l = Mat<double>::Zero(d, d);
            break;
          case PolicyEstimator::reinforce_no_log_det:
            // tril(w εᵀ) without −diag(1/Lᵢᵢ)
            g_mu = reward * r.grad_loc.col(b);
            g_l = reward * (r.grad_param_of(b) + Mat<double>(l.diagonal().cwiseInverse().asDiagonal()));
            break;
          case PolicyEstimator::reinforce_no_inverse: {
            // w = Σ⁻¹r replaced by r = a − μ: ∇μ = r, ∇L = tril(r εᵀ) − diag(1/Lᵢᵢ)
            const Vec<double> res = batch.action.col(b) - batch.loc.col(b);
            g_mu = reward * res;
            g_l = reward * (Mat<double>((res * eps.transpose()).triangularView<Eigen::Lower>()) -
                            Mat<double>(l.diagonal().cwiseInverse().asDiagonal()));
            break;
          }
          case PolicyEstimator::pathwise: {
            const Vec<double> grad_a = -2 * policy.q * dev;  // ∇ₐ r
            g_mu = grad_a;
            g_l = (grad_a * eps.transpose()).triangularView<Eigen::Lower>();
            break;
          }
        }
        h += chain_to_theta(policy, s, l, g_mu, g_l);
      }
      h /= static_cast<double>(states);
      for (Index j = 0; j < np; ++j) moments[static_cast<std::size_t>(j)].add(h(j));
    }
  }
  PolicyEstimate out;
  out.estimator = e;
  out.seconds_per_episode = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() /
                            static_cast<double>(episodes);
  const Vec<double> exact = exact_policy_gradient(policy, theta);
  out.mean.resize(np);
  out.variance.resize(np);
  out.standard_error.resize(np);
  out.z.resize(np);
  for (Index j = 0; j < np; ++j) {
    const Moments& m = moments[static_cast<std::size_t>(j)];
    out.mean(j) = m.mean;
    out.variance(j) = m.variance();
    out.standard_error(j) = std::sqrt(m.variance() / static_cast<double>(episodes));
    const double diff = m.mean - exact(j);
    out.z(j) = out.standard_error(j) > 0 ? diff / out.standard_error(j)
               : diff == 0               ? 0.0
                                         : std::copysign(std::numeric_limits<double>::infinity(), diff);
  }
  return out;
}

PolicyExample policy_example(std::uint64_t episodes, std::uint64_t seed, const std::string& method) {
  PolicyExample ex;
  Policy& p = ex.policy;
  p.states = (Mat<double>(2, 3) << 1.0, 0.0, -0.5, 0.0, 1.0, 0.8).finished();
  p.target = (Mat<double>(2, 2) << 1.0, 0.0, 0.5, -1.0).finished();
  p.q = (Mat<double>(2, 2) << 1.0, 0.3, 0.3, 0.5).finished();
  // W (col-major), c, U, u, V, v
  ex.theta.resize(p.parameter_count());
  ex.theta << 0.5, 0.1, -0.2, 0.3,  // W = [[0.5, −0.2], [0.1, 0.3]]
      0.1, -0.1,                    // c
      0.2, 0.0, -0.1, 0.15,         // U = [[0.2, −0.1], [0.0, 0.15]]
      -0.3, 0.2,                    // u
      0.25, -0.1,                   // V = [[0.25, −0.1]]
      0.2;                          // v
  ex.names = policy_parameter_names(p);
  ex.expected_return = expected_return<double>(p, ex.theta);
  ex.exact = exact_policy_gradient(p, ex.theta);

  // 50-digit central differences, h = 10⁻²⁰: truncation O(h²) ≈ 10⁻⁴⁰.
  using Real = boost::multiprecision::cpp_bin_float_50;
  const Vec<Real> theta50 = ex.theta.cast<Real>();
  const Real h("1e-20");
  ex.finite_difference.resize(p.parameter_count());
  for (Index j = 0; j < p.parameter_count(); ++j) {
    Vec<Real> up = theta50, down = theta50;
    up(j) += h;
    down(j) -= h;
    ex.finite_difference(j) =
        static_cast<double>((expected_return<Real>(p, up) - expected_return<Real>(p, down)) / (2 * h));
    ex.max_relative_difference =
        std::max(ex.max_relative_difference, std::abs(ex.exact(j) - ex.finite_difference(j)) /
                                                 std::max(1.0, std::abs(ex.finite_difference(j))));
  }
  for (PolicyEstimator e : {PolicyEstimator::reinforce, PolicyEstimator::reinforce_constant_variance,
                            PolicyEstimator::reinforce_no_log_det, PolicyEstimator::reinforce_no_inverse,
                            PolicyEstimator::pathwise})
    ex.estimates.push_back(estimate_policy_gradient(p, ex.theta, e, episodes, seed, method));
  return ex;
}

}  // namespace scorebench::mc
