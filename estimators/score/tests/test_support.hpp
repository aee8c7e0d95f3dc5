#pragma once
// Shared helpers of the estimators tests: random SPD cases with a chosen
// condition number, batches built from them, the error bound that scales
// with the conditioning, and block-by-block comparison of two results.
//
// Error bound (DESIGN §4). Every output block x of a sample is compared with
// the same block y of another method (or a loop, or a weighted sum) in the
// normwise sense
//
//     ‖x − y‖_F ≤ c · d · κ(Σ) · u · S,
//
// u the unit roundoff of the arithmetic, κ(Σ) = λmax/λmin, and S the size of
// the terms of the block's formula along the most amplifying route any method
// takes (the chain rule from G = ∇Σ), with ρ = ‖a‖ + ‖μ‖ (≥ ‖r‖, and the
// size that sets the rounding of r = a − μ) and a = ‖Σ⁻¹‖ρ ≥ ‖w‖:
//
//     log_prob        S = ½‖Σ⁻¹‖ρ² + ½ d (|log λmax| + |log λmin|) + d
//     grad_loc/action S = a
//     G = ∇Σ          S_G = a² + ‖Σ⁻¹‖           (½(w wᵀ − Σ⁻¹))
//     ∇L, ∇σ          S = 2 S_G ‖Σ‖^½            (2 tril(G L), 2 Gᵢᵢ σᵢ)
//     ∇Λ              S = S_G ‖Σ‖²               (−Σ G Σ)
//
// For a weighted sum S is Σ_b |c_b| S_b. c = 8 throughout (the largest ratio
// error / bound seen over all these tests is about 0.2).

#include <gtest/gtest.h>

#include <Eigen/Cholesky>
#include <Eigen/LU>
#include <Eigen/QR>
#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "scorebench/registry.hpp"

namespace scorebench::testing {

inline constexpr double kBoundConstant = 8;

// The built-in methods that can run in this build (a user method a test
// registers is left out).
inline std::vector<const Method*> available_methods() {
  std::vector<const Method*> out;
  for (const std::string& n : builtin_method_names())
    if (registry().get(n).capabilities().available) out.push_back(&registry().get(n));
  return out;
}

// A covariance Σ with eigenvalues λ, given in parameterization p.
struct Covariance {
  Mat<double> param;  // the parameter block: L, Σ, Λ (d×d) or σ (d×1)
  Mat<double> l;      // lower Cholesky factor of Σ (what the noise multiplies)
  double lambda_max = 1, lambda_min = 1;
  double kappa() const { return lambda_max / lambda_min; }
};

// Q Haar-distributed: QR of a Gaussian matrix with R's diagonal made positive.
inline Mat<double> haar_orthogonal(Index d, std::mt19937_64& rng) {
  std::normal_distribution<double> normal;
  Mat<double> g(d, d);
  for (Index j = 0; j < d; ++j)
    for (Index i = 0; i < d; ++i) g(i, j) = normal(rng);
  Eigen::HouseholderQR<Mat<double>> qr(g);
  Mat<double> q = qr.householderQ();
  const Mat<double> r = qr.matrixQR().triangularView<Eigen::Upper>();
  for (Index j = 0; j < d; ++j)
    if (r(j, j) < 0) q.col(j) = -q.col(j);
  return q;
}

// Σ = Q diag(λ) Qᵀ (diagonal for scale_diag), λ log-spaced from 1 to κ in a
// random order; the parameter is formed from it in double.
inline Covariance random_covariance(Parameterization p, Index d, double kappa, std::mt19937_64& rng) {
  std::vector<double> lambda(static_cast<size_t>(d));
  for (Index i = 0; i < d; ++i)
    lambda[static_cast<size_t>(i)] =
        d == 1 ? 1.0 : std::pow(kappa, static_cast<double>(i) / static_cast<double>(d - 1));
  std::shuffle(lambda.begin(), lambda.end(), rng);
  const Eigen::Map<const Vec<double>> lam(lambda.data(), d);
  Covariance c;
  // std::minmax_element, not Eigen's packet reduction: GCC 12 at -O3 with
  // SSE2 reports that reduction over a d = 4 or 5 vector as out of bounds
  // (-Warray-bounds, a false positive of the inlined unaligned loads).
  const auto [lo, hi] = std::minmax_element(lambda.begin(), lambda.end());
  c.lambda_max = *hi;
  c.lambda_min = *lo;
  if (p == Parameterization::scale_diag) {
    c.param = lam.cwiseSqrt();
    c.l = c.param.col(0).asDiagonal();
    return c;
  }
  const Mat<double> q = haar_orthogonal(d, rng);
  const auto symmetric = [](const Mat<double>& a) -> Mat<double> { return (a + a.transpose()) / 2; };
  const Mat<double> sigma = symmetric(q * lam.asDiagonal() * q.transpose());
  const Mat<double> lambda_mat = symmetric(q * lam.cwiseInverse().asDiagonal() * q.transpose());
  switch (p) {
    case Parameterization::scale_tril:
      c.param = sigma.llt().matrixL();
      c.l = c.param;
      break;
    case Parameterization::covariance_matrix:
      c.param = sigma;
      c.l = sigma.llt().matrixL();
      break;
    case Parameterization::precision_matrix:
      c.param = lambda_mat;
      c.l = symmetric(lambda_mat.inverse()).llt().matrixL();
      break;
    case Parameterization::scale_diag: break;
  }
  return c;
}

// A batch of `n` samples a = μ + L z (z standard normal), one covariance per
// sample or one shared, with the covariances kept for the error bounds.
struct RandomBatch {
  Batch<double> batch;
  std::vector<Covariance> covariances;  // one per parameter block
  const Covariance& covariance_of(Index b) const {
    return covariances[covariances.size() == 1 ? 0 : static_cast<size_t>(b)];
  }
};

inline RandomBatch random_batch(Parameterization p, Index d, Index n, double kappa, bool shared,
                                std::mt19937_64& rng) {
  std::normal_distribution<double> normal;
  RandomBatch rb;
  Batch<double>& b = rb.batch;
  b.parameterization = p;
  const Index blocks = shared ? 1 : n;
  const Index block = is_matrix(p) ? d : 1;
  b.param.resize(d, block * blocks);
  for (Index k = 0; k < blocks; ++k) {
    rb.covariances.push_back(random_covariance(p, d, kappa, rng));
    b.param.middleCols(k * block, block) = rb.covariances.back().param;
  }
  b.loc.resize(d, n);
  b.noise.resize(d, n);
  for (Index j = 0; j < n; ++j)
    for (Index i = 0; i < d; ++i) {
      b.loc(i, j) = normal(rng);
      b.noise(i, j) = normal(rng);
    }
  b.action.resize(d, n);
  for (Index j = 0; j < n; ++j)
    b.action.col(j) = b.loc.col(j) + rb.covariance_of(j).l.triangularView<Eigen::Lower>() * b.noise.col(j);
  return rb;
}

// The batch in float (every entry rounded once).
inline Batch<float> to_float(const Batch<double>& b) {
  Batch<float> f;
  f.parameterization = b.parameterization;
  f.loc = b.loc.cast<float>();
  f.action = b.action.cast<float>();
  f.noise = b.noise.cast<float>();
  f.param = b.param.cast<float>();
  return f;
}

inline Request<float> to_float(const Request<double>& r) { return {r.output, r.weights.cast<float>()}; }

// S of the bound above, per block, for one sample with ρ = ‖a‖ + ‖μ‖.
struct Scales {
  double log_prob = 0, grad_loc = 0, grad_param = 0;
};

inline Scales formula_scales(Parameterization p, const Covariance& c, double rho) {
  const double d = static_cast<double>(c.param.rows());
  const double si = 1 / c.lambda_min, sn = c.lambda_max;
  const double a = si * rho;
  const double s_g = a * a + si;
  Scales s;
  s.log_prob = si * rho * rho / 2 + d * (std::abs(std::log(sn)) + std::abs(std::log(c.lambda_min))) / 2 + d;
  s.grad_loc = a;
  switch (p) {
    case Parameterization::covariance_matrix: s.grad_param = s_g; break;
    case Parameterization::scale_tril:
    case Parameterization::scale_diag: s.grad_param = 2 * s_g * std::sqrt(sn); break;
    case Parameterization::precision_matrix: s.grad_param = s_g * sn * sn; break;
  }
  return s;
}

// The allowed error of every output column: c · d · κ · u · S per sample
// (grads), or c · d · κ · u · Σ_b |c_b| S_b (sum).
struct Bounds {
  std::vector<Scales> columns;
};

inline Bounds error_bounds(const RandomBatch& rb, const Request<double>& request, double unit_roundoff) {
  const Batch<double>& b = rb.batch;
  const Index n = b.size(), d = b.dim();
  Bounds out;
  Scales total;
  for (Index j = 0; j < n; ++j) {
    const Covariance& c = rb.covariance_of(j);
    // ‖a‖ + ‖μ‖, with a = μ + L ε when the batch gives the noise instead.
    const Vec<double> a = b.action.size() != 0
                              ? Vec<double>(b.action_of(j))
                              : Vec<double>(b.loc_of(j) + c.l.triangularView<Eigen::Lower>() * b.noise_of(j));
    const double rho = a.norm() + b.loc_of(j).norm();
    Scales s = formula_scales(b.parameterization, c, rho);
    const double k = kBoundConstant * static_cast<double>(d) * c.kappa() * unit_roundoff;
    s.log_prob *= k;
    s.grad_loc *= k;
    s.grad_param *= k;
    if (request.output == Output::grads) {
      out.columns.push_back(s);
    } else {
      const double w = request.weights.size() ? std::abs(request.weights(j)) : 1.0;
      total.log_prob += w * s.log_prob;
      total.grad_loc += w * s.grad_loc;
      total.grad_param += w * s.grad_param;
    }
  }
  if (request.output == Output::sum) out.columns.push_back(total);
  return out;
}

// Every block of every column of x within the bound of y; the message names
// the block, the column, the error and the bound.
template <typename X, typename Y>
::testing::AssertionResult results_agree(const Result<X>& x, const Result<Y>& y, const Bounds& bounds) {
  if (!x.ok() || !y.ok())
    return ::testing::AssertionFailure()
           << "a result has errors: " << x.errors.size() << " and " << y.errors.size();
  const auto fail = [](const char* block, size_t col, double err, double bound) {
    return ::testing::AssertionFailure() << block << " of column " << col << ": error " << err << " > bound "
                                         << bound << " (ratio " << err / bound << ")";
  };
  const Index bc = x.block_cols();
  for (size_t j = 0; j < bounds.columns.size(); ++j) {
    const Index col = static_cast<Index>(j);
    const Scales& s = bounds.columns[j];
    const double e_lp = std::abs(static_cast<double>(x.log_prob(col)) - static_cast<double>(y.log_prob(col)));
    if (!(e_lp <= s.log_prob)) return fail("log_prob", j, e_lp, s.log_prob);
    const double e_loc =
        (x.grad_loc.col(col).template cast<double>() - y.grad_loc.col(col).template cast<double>()).norm();
    if (!(e_loc <= s.grad_loc)) return fail("grad_loc", j, e_loc, s.grad_loc);
    const double e_act =
        (x.grad_action.col(col).template cast<double>() - y.grad_action.col(col).template cast<double>())
            .norm();
    if (!(e_act <= s.grad_loc)) return fail("grad_action", j, e_act, s.grad_loc);
    const double e_par = (x.grad_param.middleCols(col * bc, bc).template cast<double>() -
                          y.grad_param.middleCols(col * bc, bc).template cast<double>())
                             .norm();
    if (!(e_par <= s.grad_param))
      return fail(gradient_name(x.parameterization).c_str(), j, e_par, s.grad_param);
  }
  return ::testing::AssertionSuccess();
}

// "scale_tril/d:3/per_sample/sum" for failure messages.
inline std::string describe(const Batch<double>& b, const Request<double>& r) {
  std::ostringstream s;
  s << name(b.parameterization) << "/d:" << b.dim() << "/" << (b.shared_param() ? "shared" : "per_sample")
    << "/" << name(r.output);
  return s.str();
}

}  // namespace scorebench::testing
