#include "scorebench/verification/case_generator.hpp"

#include <Eigen/Cholesky>
#include <Eigen/Eigenvalues>
#include <Eigen/QR>
#include <Eigen/SVD>
#include <algorithm>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>

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
         "/B:" + std::to_string(spec.batch) + "/weights:" + name(spec.weights) +
         "/seed:" + std::to_string(spec.seed) +
         (spec.invalid == InvalidKind::none ? "" : std::string("/invalid:") + name(spec.invalid));
}

namespace {

// Boost.Random's engine and distributions: their output is specified by the
// Boost sources, so a seed gives the same case with libstdc++ and libc++
// (std::normal_distribution and std::shuffle are implementation-defined).
using Rng = boost::random::mt19937_64;

Mat<double> gaussian(Rng& rng, Index rows, Index cols) {
  boost::random::normal_distribution<double> n01;
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
  boost::random::uniform_real_distribution<double> decades(-2.0, 2.0);
  const double scale = std::pow(10.0, decades(rng));
  // λ_k = scale · κ^(−k/(d−1)), k = 0 … d−1: κ(Σ) = κ exactly.
  Vec<double> lambda(d);
  for (Index k = 0; k < d; ++k)
    lambda(k) =
        d == 1 ? scale : scale * std::pow(s.kappa, -static_cast<double>(k) / static_cast<double>(d - 1));
  Block b;
  if (s.parameterization == Parameterization::scale_diag) {
    for (Index k = d - 1; k > 0; --k) {  // Fisher–Yates
      boost::random::uniform_int_distribution<Index> pick(0, k);
      std::swap(lambda(k), lambda(pick(rng)));
    }
    b.param = round_to(s.dtype, lambda.cwiseSqrt());
    b.l = lambda.cwiseSqrt().asDiagonal();
    b.kappa = std::pow(b.param.maxCoeff() / b.param.minCoeff(), 2);
    return b;
  }
  Mat<double> q = haar_orthogonal(rng, d);
  // Σ = Q Λ Qᵀ = Rᵀ R with R from the QR of Λ^½ Qᵀ, so L = Rᵀ (positive
  // diagonal) without factoring a possibly ill-conditioned Σ.
  const Eigen::HouseholderQR<Mat<double>> qr(lambda.cwiseSqrt().asDiagonal() * q.transpose());
  Mat<double> r = qr.matrixQR().triangularView<Eigen::Upper>();
  for (Index i = 0; i < d; ++i)
    if (r(i, i) < 0) r.row(i) = -r.row(i);
  b.l = r.transpose();
  if (s.invalid != InvalidKind::none) {
    // L → S L S and Σ → S Σ S with S = diag(sign Lⱼ₀): the same spectrum and
    // diagonal, and a first column > 0, so that a lane group's validity
    // test is decided by the invalid entry alone (a test that reads another
    // entry by mistake is not hidden by a negative entry elsewhere).
    for (Index j = 1; j < d; ++j)
      if (b.l(j, 0) < 0) {
        b.l.row(j) = -b.l.row(j);
        b.l.col(j) = -b.l.col(j);
        q.row(j) = -q.row(j);
      }
  }
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

// The weights c_b of the weighted sum (WeightKind).
Vec<double> make_weights(WeightKind kind, Index n, Rng& rng) {
  Vec<double> c(n);
  switch (kind) {
    case WeightKind::positive: {
      boost::random::uniform_real_distribution<double> half_to_three_halves(0.5, 1.5);
      for (Index k = 0; k < n; ++k) c(k) = half_to_three_halves(rng);
      break;
    }
    case WeightKind::mixed:
      c = gaussian(rng, n, 1);
      for (Index k = 3; k < n; k += 4) c(k) = 0;
      break;
    case WeightKind::centred:
      c = gaussian(rng, n, 1);
      c.array() -= c.mean();
      break;
  }
  return c;
}

// Spoils one sample of `c` as c.spec.invalid says, from its own stream of
// the seed (the valid samples are those of the same case without it).
void make_invalid(Case& c) {
  const CaseSpec& s = c.spec;
  const Index d = s.dim, n = s.batch, cols = is_matrix(s.parameterization) ? d : 1;
  if (n < 2) throw std::invalid_argument("a case with an invalid sample needs B >= 2");
  Rng rng(mix_seed(s.seed, 0x1a7a11d));
  const Index k = boost::random::uniform_int_distribution<Index>(1, n - 1)(rng);
  const Index j = boost::random::uniform_int_distribution<Index>(0, d - 1)(rng);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  auto param = c.batch.param.middleCols(k * cols, cols);
  const std::string p(name(s.parameterization));
  const auto entry = [&](Index row, Index col) {
    return p + "(" + std::to_string(row) + "," + std::to_string(col) + ") of sample " + std::to_string(k);
  };
  const Index jc = cols == 1 ? 0 : j;  // the column of the diagonal entry
  switch (s.invalid) {
    case InvalidKind::none: return;
    case InvalidKind::zero_diagonal:
      param(j, jc) = 0;
      c.invalid_evidence = entry(j, jc) + " = 0";
      break;
    case InvalidKind::negative_diagonal:
      param(j, jc) = -param(j, jc);
      c.invalid_evidence = entry(j, jc) + " < 0";
      break;
    case InvalidKind::nan_parameter: {
      // Below the diagonal where there is one (i < j), so that the diagonal
      // stays positive and only a finiteness test finds it.
      const Index row = cols == 1 || d == 1 ? j : std::max<Index>(j, 1);
      const Index col = cols == 1 ? 0
                        : d == 1  ? 0
                                  : boost::random::uniform_int_distribution<Index>(0, row - 1)(rng);
      param(row, col) = nan;
      if (s.parameterization == Parameterization::covariance_matrix ||
          s.parameterization == Parameterization::precision_matrix)
        param(col, row) = nan;  // Σ and Λ stay symmetric
      c.invalid_evidence = entry(row, col) + " is NaN";
      break;
    }
    case InvalidKind::off_triangle: {
      // Above the diagonal (row < col), by more than any symmetry tolerance.
      if (cols == 1 || d == 1)
        throw std::invalid_argument("an off_triangle sample needs a d×d parameter block with d >= 2");
      const Index col = std::max<Index>(j, 1);
      const Index row = boost::random::uniform_int_distribution<Index>(0, col - 1)(rng);
      param(row, col) += 1 + param.cwiseAbs().maxCoeff();
      c.invalid_evidence = s.parameterization == Parameterization::scale_tril
                               ? entry(row, col) + " is not 0 (above the diagonal)"
                               : entry(row, col) + " is not " + p + "(" + std::to_string(col) + "," +
                                     std::to_string(row) + ")";
      break;
    }
    case InvalidKind::nan_loc:
      c.batch.loc(j, k) = nan;
      c.batch.action(j, k) = nan;
      c.invalid_evidence = "loc(" + std::to_string(j) + ") of sample " + std::to_string(k) + " is NaN";
      break;
    case InvalidKind::nan_noise:
      c.batch.noise(j, k) = nan;
      c.invalid_evidence = "noise(" + std::to_string(j) + ") of sample " + std::to_string(k) + " is NaN";
      break;
  }
  c.invalid_sample = k;
}

}  // namespace

const char* name(InvalidKind k) {
  switch (k) {
    case InvalidKind::none: return "none";
    case InvalidKind::zero_diagonal: return "zero_diagonal";
    case InvalidKind::negative_diagonal: return "negative_diagonal";
    case InvalidKind::nan_parameter: return "nan_parameter";
    case InvalidKind::nan_loc: return "nan_loc";
    case InvalidKind::off_triangle: return "off_triangle";
    case InvalidKind::nan_noise: return "nan_noise";
  }
  return "unknown";
}

const char* name(WeightKind w) {
  switch (w) {
    case WeightKind::positive: return "positive";
    case WeightKind::mixed: return "mixed";
    case WeightKind::centred: return "centred";
  }
  return "unknown";
}

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
  c.block_period = std::min(n, kBlockPeriod);
  std::vector<Block> blocks;
  for (Index k = 0; k < n; ++k) {
    if (k < c.block_period) blocks.push_back(make_block(spec, rng));
    const Block& blk = blocks[static_cast<size_t>(k % c.block_period)];
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
  c.weights = round_to(spec.dtype, make_weights(spec.weights, n, rng));
  if (spec.invalid != InvalidKind::none) make_invalid(c);
  return c;
}

std::optional<std::uint64_t> parse_whole_number(const std::string& text) {
  const bool digits = !text.empty() && text.size() <= 20 &&
                      std::all_of(text.begin(), text.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
  if (!digits || (text.size() == 20 && text > "18446744073709551615")) return std::nullopt;
  std::uint64_t v = 0;
  for (char ch : text) v = v * 10 + static_cast<std::uint64_t>(ch - '0');
  return v;
}

namespace {

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> parts(1);
  for (char ch : s) {
    if (ch == sep)
      parts.emplace_back();
    else
      parts.back() += ch;
  }
  return parts;
}

// The text after "key:" in `part`, or a throw naming the id and the key.
std::string field(const std::string& id, const std::string& part, const std::string& key) {
  if (part.rfind(key + ":", 0) != 0)
    throw std::invalid_argument("case id '" + id + "': expected '" + key + ":…', found '" + part + "'");
  return part.substr(key.size() + 1);
}

// A whole unsigned decimal number, or a throw naming the id and the key.
std::uint64_t whole_number(const std::string& id, const std::string& key, const std::string& text) {
  const auto v = parse_whole_number(text);
  if (!v)
    throw std::invalid_argument("case id '" + id + "': " + key + " '" + text +
                                "' is not a whole number from 0 to 18446744073709551615");
  return *v;
}

}  // namespace

CaseSpec parse_case_id(const std::string& id) {
  const std::vector<std::string> part = split(id, '/');
  if (part.size() != 8 && part.size() != 9)
    throw std::invalid_argument(
        "case id '" + id +
        "': expected 8 parts "
        "<parameterization>/<dtype>/d:<d>/kappa:<κ>/<bulk|tail>/B:<B>/weights:<kind>/seed:<S>, and "
        "optionally /invalid:<kind>");
  CaseSpec s;
  const auto p = parse_parameterization(part[0]);
  if (!p) throw std::invalid_argument("case id '" + id + "': unknown parameterization '" + part[0] + "'");
  s.parameterization = *p;
  if (part[1] != "f64" && part[1] != "f32")
    throw std::invalid_argument("case id '" + id + "': dtype '" + part[1] + "' is not f64 or f32");
  s.dtype = part[1] == "f64" ? Dtype::f64 : Dtype::f32;
  s.dim = static_cast<Index>(whole_number(id, "d", field(id, part[2], "d")));
  const std::string kappa = field(id, part[3], "kappa");
  const auto level = std::find_if(kappa_levels().begin(), kappa_levels().end(), [&](double k) {
    char text[32];
    std::snprintf(text, sizeof text, "%.0e", k);
    return kappa == text;
  });
  if (level == kappa_levels().end())
    throw std::invalid_argument("case id '" + id + "': kappa '" + kappa + "' is not one of 1e+00 … 1e+12");
  s.kappa = *level;
  if (part[4] != "bulk" && part[4] != "tail")
    throw std::invalid_argument("case id '" + id + "': action '" + part[4] + "' is not bulk or tail");
  s.action = part[4] == "bulk" ? ActionKind::bulk : ActionKind::tail;
  s.batch = static_cast<Index>(whole_number(id, "B", field(id, part[5], "B")));
  const std::string w = field(id, part[6], "weights");
  if (w == name(WeightKind::positive))
    s.weights = WeightKind::positive;
  else if (w == name(WeightKind::mixed))
    s.weights = WeightKind::mixed;
  else if (w == name(WeightKind::centred))
    s.weights = WeightKind::centred;
  else
    throw std::invalid_argument("case id '" + id + "': weights '" + w +
                                "' is not positive, mixed or centred");
  s.seed = whole_number(id, "seed", field(id, part[7], "seed"));
  if (s.dim < 1 || s.dim > 1024 || s.batch < 1 || s.batch > 4096)
    throw std::invalid_argument("case id '" + id + "': d must be 1 … 1024 and B 1 … 4096");
  if (part.size() == 9) {
    const std::string k = field(id, part[8], "invalid");
    const auto kind =
        std::find_if(kInvalidKinds.begin(), kInvalidKinds.end(), [&](InvalidKind x) { return k == name(x); });
    if (kind == kInvalidKinds.end())
      throw std::invalid_argument(
          "case id '" + id + "': invalid '" + k +
          "' is not zero_diagonal, negative_diagonal, nan_parameter, nan_loc, off_triangle or nan_noise");
    s.invalid = *kind;
    if (s.batch < 2) throw std::invalid_argument("case id '" + id + "': an invalid sample needs B >= 2");
  }
  return s;
}

Batch<double> shared_batch(const Case& c) {
  Batch<double> s = c.batch;
  s.param = c.batch.param.leftCols(c.batch.block_cols());
  return s;
}

}  // namespace scorebench::verification
