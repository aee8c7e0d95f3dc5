#include "scorebench/verification/case_generator.hpp"

#include <Eigen/Cholesky>
#include <Eigen/Eigenvalues>
#include <Eigen/QR>
#include <Eigen/SVD>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>

namespace scorebench::verification {

std::uint64_t mix_seed(std::uint64_t base, std::uint64_t counter) {
  std::uint64_t z = base + 0x9e3779b97f4a7c15ULL * (counter + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::string Case::id() const {
  char kappa_text[32];
  std::snprintf(kappa_text, sizeof kappa_text, "%.0e", spec.kappa);
  return std::string(name(spec.parameterization)) + "/" + name(spec.dtype) +
         "/d:" + std::to_string(spec.dim) + "/kappa:" + kappa_text + "/" + name(spec.action) +
         "/seed:" + std::to_string(spec.seed);
}

namespace {

using Rng = std::mt19937_64;

Mat<double> gaussian(Rng& rng, Index rows, Index cols) {
  std::normal_distribution<double> n01;
  Mat<double> g(rows, cols);
  for (Index j = 0; j < cols; ++j)
    for (Index i = 0; i < rows; ++i) g(i, j) = n01(rng);
  return g;
}

// Haar-distributed orthogonal Q: the Q of G = QR, G Gaussian, with the signs
// of R's diagonal moved into Q (Mezzadri 2007) so that Q is uniform.
Mat<double> haar_orthogonal(Rng& rng, Index d) {
  const Eigen::HouseholderQR<Mat<double>> qr(gaussian(rng, d, d));
  Mat<double> q = qr.householderQ();
  for (Index j = 0; j < d; ++j)
    if (qr.matrixQR()(j, j) < 0) q.col(j) = -q.col(j);
  return q;
}

// Round to the dtype (a no-op for f64).
Mat<double> round_to(Dtype t, const Mat<double>& m) {
  return t == Dtype::f64 ? m : Mat<double>(m.cast<float>().cast<double>());
}

Mat<double> symmetric_from_lower(Mat<double> m) {
  m.triangularView<Eigen::StrictlyUpper>() = m.transpose();
  return m;
}

// One parameter block with the prescribed spectrum, and L with Σ = L Lᵀ
// (before rounding) to form the action from ε.
struct Block {
  Mat<double> param, l;
  double kappa = 1;
  std::optional<std::string> skipped;
};

Block make_block(const CaseSpec& s, Rng& rng) {
  const Index d = s.dim;
  std::uniform_real_distribution<double> decades(-2.0, 2.0);
  const double scale = std::pow(10.0, decades(rng));
  // λ_k = scale · κ^(−k/(d−1)), k = 0 … d−1: κ(Σ) = κ exactly.
  Vec<double> lambda(d);
  for (Index k = 0; k < d; ++k)
    lambda(k) =
        d == 1 ? scale : scale * std::pow(s.kappa, -static_cast<double>(k) / static_cast<double>(d - 1));
  Block b;
  if (s.parameterization == Parameterization::scale_diag) {
    std::shuffle(lambda.data(), lambda.data() + d, rng);
    b.param = round_to(s.dtype, lambda.cwiseSqrt());
    b.l = lambda.cwiseSqrt().asDiagonal();
    b.kappa = std::pow(b.param.maxCoeff() / b.param.minCoeff(), 2);
    return b;
  }
  const Mat<double> q = haar_orthogonal(rng, d);
  // Σ = Q Λ Qᵀ = Rᵀ R with R from the QR of Λ^½ Qᵀ, so L = Rᵀ (positive
  // diagonal) without factoring a possibly ill-conditioned Σ.
  const Eigen::HouseholderQR<Mat<double>> qr(lambda.cwiseSqrt().asDiagonal() * q.transpose());
  Mat<double> r = qr.matrixQR().triangularView<Eigen::Upper>();
  for (Index i = 0; i < d; ++i)
    if (r(i, i) < 0) r.row(i) = -r.row(i);
  b.l = r.transpose();
  switch (s.parameterization) {
    case Parameterization::scale_tril: {
      b.param = round_to(s.dtype, b.l);
      const Eigen::JacobiSVD<Mat<double>> svd(b.param);
      b.kappa = std::pow(svd.singularValues()(0) / svd.singularValues()(d - 1), 2);
      return b;
    }
    case Parameterization::covariance_matrix:
      b.param = round_to(s.dtype, symmetric_from_lower(q * lambda.asDiagonal() * q.transpose()));
      break;
    case Parameterization::precision_matrix:
      b.param =
          round_to(s.dtype, symmetric_from_lower(q * lambda.cwiseInverse().asDiagonal() * q.transpose()));
      break;
    case Parameterization::scale_diag: break;
  }
  const Eigen::SelfAdjointEigenSolver<Mat<double>> eig(b.param, Eigen::EigenvaluesOnly);
  const double lo = eig.eigenvalues()(0), hi = eig.eigenvalues()(d - 1);
  if (!(lo > 0) || Eigen::LLT<Mat<double>>(b.param).info() != Eigen::Success) {
    b.skipped = std::string("the prescribed ") + std::string(name(s.parameterization)) +
                " is not positive definite after rounding to " + name(s.dtype) + " (smallest eigenvalue " +
                std::to_string(lo) + ")";
    return b;
  }
  b.kappa = hi / lo;
  return b;
}

}  // namespace

Case make_case(const CaseSpec& spec) {
  Case c;
  c.spec = spec;
  const Index d = spec.dim, n = spec.batch;
  Rng rng(spec.seed);
  const Index cols = is_matrix(spec.parameterization) ? d : 1;
  Batch<double>& b = c.batch;
  b.parameterization = spec.parameterization;
  b.param.resize(d, cols * n);
  b.loc.resize(d, n);
  b.noise.resize(d, n);
  b.action.resize(d, n);
  c.kappa = 0;
  for (Index k = 0; k < n; ++k) {
    const Block blk = make_block(spec, rng);
    if (blk.skipped && !c.skipped) c.skipped = blk.skipped;
    c.kappa = std::max(c.kappa, blk.kappa);
    b.param.middleCols(k * cols, cols) = blk.param;
    // μ at the scale of the spread, ε in the bulk or on the sphere ‖ε‖ = 10.
    const double spread = std::sqrt(blk.l.diagonal().cwiseAbs2().maxCoeff());
    const Vec<double> mu = spread * gaussian(rng, d, 1);
    Vec<double> eps = gaussian(rng, d, 1);
    if (spec.action == ActionKind::tail) eps *= 10.0 / eps.norm();
    b.loc.col(k) = round_to(spec.dtype, mu);
    b.noise.col(k) = round_to(spec.dtype, eps);
    b.action.col(k) = round_to(spec.dtype, b.loc.col(k) + blk.l * b.noise.col(k));
  }
  std::uniform_real_distribution<double> half_to_three_halves(0.5, 1.5);
  c.weights.resize(n);
  for (Index k = 0; k < n; ++k) c.weights(k) = half_to_three_halves(rng);
  c.weights = round_to(spec.dtype, c.weights);
  return c;
}

Batch<double> shared_batch(const Case& c) {
  Batch<double> s = c.batch;
  s.param = c.batch.param.leftCols(c.batch.block_cols());
  return s;
}

}  // namespace scorebench::verification
