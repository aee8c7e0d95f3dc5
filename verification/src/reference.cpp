#include "scorebench/verification/reference.hpp"

#include <stdexcept>

#include "scorebench/factorizations.hpp"
#include "scorebench/score_formulas.hpp"

namespace scorebench::verification {

std::string block_name(Block b, Parameterization p) {
  switch (b) {
    case Block::log_prob: return "log_prob";
    case Block::grad_loc: return "grad_loc";
    case Block::grad_action: return "grad_action";
    case Block::grad_param: return gradient_name(p);
  }
  return "unknown";
}

std::string Mode::name() const {
  return std::string(shared ? "shared/" : "per_sample/") + scorebench::name(output);
}

namespace {
Mat<mp50> cholesky_or_throw(const Mat<mp50>& a) {
  Mat<mp50> c = a;
  const CholeskyStatus s = cholesky_in_place(c);
  if (!s.ok()) throw std::domain_error(not_positive_definite("reference: the 50-digit matrix", s));
  return c;
}
}  // namespace

Mat<mp50> covariance_factor_mp(Parameterization p, const Mat<mp50>& param) {
  switch (p) {
    case Parameterization::scale_tril: return param.triangularView<Eigen::Lower>();
    case Parameterization::covariance_matrix: return cholesky_or_throw(param);
    case Parameterization::precision_matrix:
      return cholesky_or_throw(inverse_from_cholesky(cholesky_or_throw(param)));
    case Parameterization::scale_diag: return param.col(0).asDiagonal();
  }
  throw std::invalid_argument("unknown parameterization");
}

SampleReference sample_reference(Parameterization p, const Vec<mp50>& loc, const Vec<mp50>& action,
                                 const Mat<mp50>& param) {
  using std::abs;
  using std::log;
  const Index d = loc.size();
  const Mat<mp50> l = covariance_factor_mp(p, param);
  const Vec<mp50> r = action - loc;
  // ε = L⁻¹ r, w = L⁻ᵀ ε = Σ⁻¹ r
  const Vec<mp50> eps = l.triangularView<Eigen::Lower>().solve(r);
  const Vec<mp50> w = l.triangularView<Eigen::Lower>().transpose().solve(eps);
  SampleReference s;
  // log p = −½‖ε‖² − Σ log Lᵢᵢ − d · ½ log 2π
  mp50 log_diag(0), abs_log_diag(0);
  for (Index i = 0; i < d; ++i) {
    log_diag += log(l(i, i));
    abs_log_diag += abs(log(l(i, i)));
  }
  const mp50 normaliser = mp50(d) * half_log_two_pi<mp50>();
  s.log_prob = log_prob_from_noise(eps.squaredNorm(), log_diag, d);
  s.log_prob_magnitude = eps.squaredNorm() / 2 + abs_log_diag + normaliser;
  s.w = w;
  s.w_magnitude = w.cwiseAbs();
  const Vec<mp50> abs_w = w.cwiseAbs(), abs_eps = eps.cwiseAbs();
  switch (p) {
    case Parameterization::scale_tril: {
      // ∇L = tril(w εᵀ) − diag(1/Lᵢᵢ)
      const Vec<mp50> inv_diag = l.diagonal().cwiseInverse();
      s.grad_param.resize(d, d);
      s.grad_param_magnitude.resize(d, d);
      scale_tril_gradient(w, eps, inv_diag, s.grad_param);
      scale_tril_gradient(abs_w, abs_eps, Vec<mp50>(-inv_diag.cwiseAbs()), s.grad_param_magnitude);
      break;
    }
    case Parameterization::covariance_matrix: {
      // ∇Σ = ½(w wᵀ − Σ⁻¹)
      const Mat<mp50> sigma_inv = inverse_from_cholesky(l);
      s.grad_param.resize(d, d);
      covariance_gradient(w, sigma_inv, s.grad_param);
      s.grad_param_magnitude = (abs_w * abs_w.transpose() + sigma_inv.cwiseAbs()) / 2;
      break;
    }
    case Parameterization::precision_matrix: {
      // ∇Λ = ½(Σ − r rᵀ)
      const Mat<mp50> sigma = l * l.transpose();
      s.grad_param.resize(d, d);
      precision_gradient(r, sigma, s.grad_param);
      s.grad_param_magnitude = (sigma.cwiseAbs() + r.cwiseAbs() * r.cwiseAbs().transpose()) / 2;
      break;
    }
    case Parameterization::scale_diag: {
      // ∇σᵢ = (εᵢ² − 1)/σᵢ
      const Vec<mp50> inv_sigma = param.col(0).cwiseInverse();
      s.grad_param.resize(d, 1);
      scale_diag_gradient(eps, inv_sigma, s.grad_param);
      s.grad_param_magnitude = ((eps.array().square() + 1) * inv_sigma.array().abs()).matrix();
      break;
    }
  }
  return s;
}

CaseReference::CaseReference(const Case& c)
    : case_(c),
      loc_(to_mp(c.batch.loc)),
      action_(to_mp(c.batch.action)),
      noise_(to_mp(c.batch.noise)),
      param_(to_mp(c.batch.param)),
      weights_(to_mp(c.weights)) {}

const SampleReference& CaseReference::sample(Index block, Index b, bool from_noise) {
  const std::array<Index, 3> key = {block, b, from_noise ? 1 : 0};
  auto it = cache_.find(key);
  if (it != cache_.end()) return it->second;
  const Parameterization p = case_.spec.parameterization;
  const Index cols = is_matrix(p) ? case_.spec.dim : 1;
  const Mat<mp50> param = param_.middleCols(block * cols, cols);
  Vec<mp50> action = action_.col(b);
  if (from_noise) action = loc_.col(b) + covariance_factor_mp(p, param) * noise_.col(b);
  return cache_.emplace(key, sample_reference(p, loc_.col(b), action, param)).first->second;
}

Reference CaseReference::reference(const Mode& mode, bool from_noise) {
  const Index n = case_.spec.batch, d = case_.spec.dim;
  const Parameterization p = case_.spec.parameterization;
  const Index cols = is_matrix(p) ? d : 1;
  const bool sum = mode.output == Output::sum;
  const Index outs = sum ? 1 : n;
  Reference ref;
  auto& lp = ref.blocks[0];
  auto& gl = ref.blocks[1];
  auto& ga = ref.blocks[2];
  auto& gp = ref.blocks[3];
  lp.value = lp.magnitude = Mat<mp50>::Zero(1, outs);
  gl.value = gl.magnitude = ga.value = ga.magnitude = Mat<mp50>::Zero(d, outs);
  gp.value = gp.magnitude = Mat<mp50>::Zero(d, cols * outs);
  for (Index b = 0; b < n; ++b) {
    const SampleReference& s = sample(mode.shared ? 0 : b, b, from_noise);
    // Σ_b c_b g_b for the sum, with magnitude Σ_b |c_b| m_b (c_b > 0 here).
    const mp50 c = sum ? weights_(b) : mp50(1);
    const Index o = sum ? 0 : b;
    lp.value(0, o) += c * s.log_prob;
    lp.magnitude(0, o) += c * s.log_prob_magnitude;
    gl.value.col(o) += c * s.w;
    gl.magnitude.col(o) += c * s.w_magnitude;
    ga.value.col(o) -= c * s.w;
    ga.magnitude.col(o) += c * s.w_magnitude;
    gp.value.middleCols(o * cols, cols) += c * s.grad_param;
    gp.magnitude.middleCols(o * cols, cols) += c * s.grad_param_magnitude;
  }
  return ref;
}

}  // namespace scorebench::verification
