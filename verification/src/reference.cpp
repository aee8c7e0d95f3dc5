#include "scorebench/verification/reference.hpp"

#include <Eigen/Cholesky>
#include <boost/math/constants/constants.hpp>
#include <stdexcept>

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

// The reference shares no computing code with the methods it judges: the
// factorizations are Eigen's, the formulas of DESIGN §1 are written out here
// (a slip in the estimators' score_formulas.hpp or factorizations.hpp cannot
// hide itself by appearing on both sides).
namespace {

Mat<mp50> cholesky_or_throw(const Mat<mp50>& a) {
  const Eigen::LLT<Mat<mp50>, Eigen::Lower> llt(a);
  if (llt.info() != Eigen::Success)
    throw std::domain_error("reference: the 50-digit matrix is not positive definite");
  return llt.matrixL();
}

// A⁻¹ = C⁻ᵀ C⁻¹ from A = C Cᵀ.
Mat<mp50> inverse_from_factor(const Mat<mp50>& c) {
  const Mat<mp50> ci = c.triangularView<Eigen::Lower>().solve(Mat<mp50>::Identity(c.rows(), c.cols()));
  return ci.transpose() * ci;
}

}  // namespace

Mat<mp50> covariance_factor_mp(Parameterization p, const Mat<mp50>& param) {
  switch (p) {
    case Parameterization::scale_tril: return param.triangularView<Eigen::Lower>();
    case Parameterization::covariance_matrix: return cholesky_or_throw(param.selfadjointView<Eigen::Lower>());
    case Parameterization::precision_matrix:
      return cholesky_or_throw(inverse_from_factor(cholesky_or_throw(param.selfadjointView<Eigen::Lower>())));
    case Parameterization::scale_diag: return param.col(0).asDiagonal();
  }
  throw std::invalid_argument("unknown parameterization");
}

FactorReference factor_reference(Parameterization p, const Mat<mp50>& param) {
  FactorReference f;
  f.l = covariance_factor_mp(p, param);
  if (p == Parameterization::covariance_matrix) f.sigma_inv = inverse_from_factor(f.l);
  if (p == Parameterization::precision_matrix) f.sigma = f.l * f.l.transpose();
  return f;
}

SampleReference sample_reference(Parameterization p, const Vec<mp50>& loc, const Vec<mp50>& action,
                                 const Mat<mp50>& param) {
  return sample_reference(p, loc, action, param, factor_reference(p, param));
}

SampleReference sample_reference(Parameterization p, const Vec<mp50>& loc, const Vec<mp50>& action,
                                 const Mat<mp50>& param, const FactorReference& factor) {
  using std::abs;
  using std::log;
  const Index d = loc.size();
  const Mat<mp50>& l = factor.l;
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
  const mp50 normaliser = mp50(d) * log(boost::math::constants::two_pi<mp50>()) / 2;
  s.log_prob = -eps.squaredNorm() / 2 - log_diag - normaliser;
  s.log_prob_magnitude = eps.squaredNorm() / 2 + abs_log_diag + normaliser;
  s.w = w;
  s.w_magnitude = w.cwiseAbs();
  const Vec<mp50> abs_w = w.cwiseAbs(), abs_eps = eps.cwiseAbs();
  switch (p) {
    case Parameterization::scale_tril: {
      // ∇L = tril(w εᵀ) − diag(1/Lᵢᵢ), exactly 0 above the diagonal
      const Vec<mp50> inv_diag = l.diagonal().cwiseInverse();
      s.grad_param = (w * eps.transpose()).triangularView<Eigen::Lower>();
      s.grad_param.diagonal() -= inv_diag;
      s.grad_param_magnitude = (abs_w * abs_eps.transpose()).triangularView<Eigen::Lower>();
      s.grad_param_magnitude.diagonal() += inv_diag.cwiseAbs();
      break;
    }
    case Parameterization::covariance_matrix: {
      // ∇Σ = ½(w wᵀ − Σ⁻¹)
      const Mat<mp50>& sigma_inv = factor.sigma_inv;
      s.grad_param = (w * w.transpose() - sigma_inv) / 2;
      s.grad_param_magnitude = (abs_w * abs_w.transpose() + sigma_inv.cwiseAbs()) / 2;
      break;
    }
    case Parameterization::precision_matrix: {
      // ∇Λ = ½(Σ − r rᵀ)
      const Mat<mp50>& sigma = factor.sigma;
      s.grad_param = (sigma - r * r.transpose()) / 2;
      s.grad_param_magnitude = (sigma.cwiseAbs() + r.cwiseAbs() * r.cwiseAbs().transpose()) / 2;
      break;
    }
    case Parameterization::scale_diag: {
      // ∇σᵢ = (εᵢ² − 1)/σᵢ
      const Vec<mp50> inv_sigma = param.col(0).cwiseInverse();
      s.grad_param = ((eps.array().square() - 1) * inv_sigma.array()).matrix();
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

const FactorReference& CaseReference::factor(Index block) {
  const Index key = block % case_.block_period;
  auto it = factors_.find(key);
  if (it != factors_.end()) return it->second;
  const Parameterization p = case_.spec.parameterization;
  const Index cols = is_matrix(p) ? case_.spec.dim : 1;
  // The block's first valid copy where the invalid sample's own is spoiled.
  const Index source = key == case_.invalid_sample && case_.spoils_parameter() ? key + case_.block_period : key;
  return factors_.emplace(key, factor_reference(p, param_.middleCols(source * cols, cols))).first->second;
}

const SampleReference& CaseReference::sample(Index block, Index b, bool from_noise) {
  const std::array<Index, 3> key = {block, b, from_noise ? 1 : 0};
  auto it = cache_.find(key);
  if (it != cache_.end()) return it->second;
  const Parameterization p = case_.spec.parameterization;
  const Index cols = is_matrix(p) ? case_.spec.dim : 1;
  const Mat<mp50> param = param_.middleCols(block * cols, cols);
  const FactorReference& f = factor(block);
  Vec<mp50> action = action_.col(b);
  if (from_noise) action = loc_.col(b) + f.l * noise_.col(b);
  return cache_.emplace(key, sample_reference(p, loc_.col(b), action, param, f)).first->second;
}

Reference CaseReference::reference(const Mode& mode, bool from_noise, bool sees_noise) {
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
  const bool spoiled = case_.spec.invalid != InvalidKind::nan_noise || sees_noise;
  if (case_.invalid_sample >= 0 && spoiled && (!mode.shared || case_.invalid_when_shared())) {
    ref.invalid_sample = case_.invalid_sample;
    ref.invalid_evidence = case_.invalid_evidence;
  }
  for (Index b = 0; b < n; ++b) {
    if (b == ref.invalid_sample) continue;
    const SampleReference& s = sample(mode.shared ? 0 : b, b, from_noise);
    // Σ_b c_b g_b for the sum, with magnitude Σ_b |c_b| m_b: weights of both
    // signs cancel in the value, never in the magnitude.
    const mp50 c = sum ? weights_(b) : mp50(1);
    const mp50 abs_c = abs(c);
    const Index o = sum ? 0 : b;
    lp.value(0, o) += c * s.log_prob;
    lp.magnitude(0, o) += abs_c * s.log_prob_magnitude;
    gl.value.col(o) += c * s.w;
    gl.magnitude.col(o) += abs_c * s.w_magnitude;
    ga.value.col(o) -= c * s.w;
    ga.magnitude.col(o) += abs_c * s.w_magnitude;
    gp.value.middleCols(o * cols, cols) += c * s.grad_param;
    gp.magnitude.middleCols(o * cols, cols) += abs_c * s.grad_param_magnitude;
  }
  return ref;
}

}  // namespace scorebench::verification
