#include "fixture.hpp"

#include <Eigen/Cholesky>
#include <algorithm>
#include <cmath>
#include <functional>
#include <random>
#include <sstream>

#include "scorebench/kernel_driver.hpp"
#include "scorebench/methods/analytic.hpp"
#include "scorebench/methods/analytic_reference.hpp"

namespace scorebench::bench {
namespace {

std::string fixture_key(const Config& c) {
  std::ostringstream s;
  s << name(c.parameterization) << '/' << static_cast<int>(c.sharing) << '/' << c.sum << '/' << c.f32 << '/'
    << c.d << '/' << c.batch;
  return s.str();
}

// One distinct lower factor L and the parameter block it gives.
struct Block {
  Mat<double> l, param;
};

Block make_block(Parameterization p, Index d, std::mt19937_64& rng) {
  std::normal_distribution<double> normal;
  std::uniform_real_distribution<double> uniform;
  Block b;
  b.l = Mat<double>::Zero(d, d);
  const double off = 0.5 / std::sqrt(static_cast<double>(d));
  for (Index j = 0; j < d; ++j) {
    b.l(j, j) = 1 + uniform(rng);
    for (Index i = j + 1; i < d; ++i) b.l(i, j) = off * normal(rng);
  }
  switch (p) {
    case Parameterization::scale_tril: b.param = b.l; break;
    case Parameterization::covariance_matrix: {
      const Mat<double> s = b.l * b.l.transpose();
      b.param = (s + s.transpose()) / 2;
      break;
    }
    case Parameterization::precision_matrix: {
      const Mat<double> s = b.l * b.l.transpose();
      const Mat<double> lambda = s.llt().solve(Mat<double>::Identity(d, d));
      b.param = (lambda + lambda.transpose()) / 2;
      break;
    }
    case Parameterization::scale_diag:
      b.param = b.l.diagonal();
      b.l = Mat<double>(b.param.col(0).asDiagonal());
      break;
  }
  return b;
}

// Samples [first, first + count) of `b` as a batch of their own.
template <typename T>
Batch<T> samples_of(const Batch<T>& b, Index first, Index count) {
  Batch<T> part;
  part.parameterization = b.parameterization;
  part.loc = b.loc.middleCols(first, count);
  part.action = b.action.middleCols(first, count);
  part.noise = b.noise.middleCols(first, count);
  part.param =
      b.shared_param() ? b.param : Mat<T>(b.param.middleCols(first * b.block_cols(), count * b.block_cols()));
  return part;
}

// Calls f(first, count, reference) for consecutive parts of the batch, each
// with the per-sample reference result of its own samples (at most 2²⁰
// entries of parameter and outputs a part).
template <typename T, typename F>
void for_each_reference_part(const Batch<T>& batch, F&& f) {
  const Index n = batch.size(), d = batch.dim();
  const Index part = std::clamp<Index>((Index{1} << 20) / (d * (2 * batch.block_cols() + 3) + 1), 1, n);
  for (Index first = 0; first < n; first += part) {
    const Index count = std::min(part, n - first);
    const Result<T> each =
        run_kernel<AnalyticReferenceKernel<T>>("analytic", samples_of(batch, first, count), Request<T>{});
    each.throw_if_failed();
    f(first, count, each);
  }
}

template <typename T>
std::unique_ptr<Fixture<T>> build(const Config& c) {
  auto fx = std::make_unique<Fixture<T>>();
  fx->key = fixture_key(c);
  std::mt19937_64 rng(std::hash<std::string>{}(fx->key));
  std::normal_distribution<double> normal;
  const Index d = c.d, n = c.batch;
  const Parameterization p = c.parameterization;
  const Index distinct = c.sharing == Sharing::shared ? 1 : std::min<Index>(n, 16);
  std::vector<Block> blocks;
  for (Index k = 0; k < distinct; ++k) blocks.push_back(make_block(p, d, rng));

  Batch<T>& batch = fx->batch;
  batch.parameterization = p;
  const Index cols = is_matrix(p) ? d : 1;
  batch.param.resize(d, cols * (c.sharing == Sharing::shared ? 1 : n));
  for (Index b = 0; b * cols < batch.param.cols(); ++b)
    batch.param.middleCols(b * cols, cols) =
        blocks[static_cast<size_t>(b % distinct)].param.template cast<T>();
  Mat<double> loc(d, n), noise(d, n), action(d, n);
  for (Index b = 0; b < n; ++b)
    for (Index i = 0; i < d; ++i) {
      loc(i, b) = normal(rng);
      noise(i, b) = normal(rng);
    }
  for (Index b = 0; b < n; ++b)
    action.col(b) = loc.col(b) + blocks[static_cast<size_t>(b % distinct)].l * noise.col(b);
  batch.loc = loc.cast<T>();
  batch.noise = noise.cast<T>();
  batch.action = action.cast<T>();

  fx->request.output = c.sum ? Output::sum : Output::grads;
  if (c.sum) {
    std::uniform_real_distribution<double> weight(0.5, 1.5);
    fx->request.weights.resize(n);
    for (Index b = 0; b < n; ++b) fx->request.weights(b) = static_cast<T>(weight(rng));
  }

  if (c.sum) {
    fx->sum_reference = run_kernel<AnalyticReferenceKernel<T>>("analytic", batch, fx->request);
    fx->sum_reference.throw_if_failed();
  }
  // ‖X_ref‖_F (grads) or ‖Σ_b |c_b| |X_b|‖_F (sum), part by part.
  double squares[4] = {0, 0, 0, 0};
  Mat<double> loc_abs = Mat<double>::Zero(d, 1), act_abs = loc_abs, par_abs = Mat<double>::Zero(d, cols);
  double lp_abs = 0;
  for_each_reference_part(batch, [&](Index first, Index count, const Result<T>& each) {
    if (!c.sum) {
      squares[0] += static_cast<double>(each.log_prob.squaredNorm());
      squares[1] += static_cast<double>(each.grad_loc.squaredNorm());
      squares[2] += static_cast<double>(each.grad_action.squaredNorm());
      squares[3] += static_cast<double>(each.grad_param.squaredNorm());
      return;
    }
    for (Index k = 0; k < count; ++k) {
      const double cb = std::abs(static_cast<double>(fx->request.weights(first + k)));
      lp_abs += cb * std::abs(static_cast<double>(each.log_prob(k)));
      loc_abs += cb * each.grad_loc.col(k).template cast<double>().cwiseAbs();
      act_abs += cb * each.grad_action.col(k).template cast<double>().cwiseAbs();
      par_abs += cb * each.grad_param_of(k).template cast<double>().cwiseAbs();
    }
  });
  if (!c.sum) {
    for (int k = 0; k < 4; ++k) fx->scale[k] = std::sqrt(squares[k]);
  } else {
    fx->scale[0] = lp_abs;
    fx->scale[1] = loc_abs.norm();
    fx->scale[2] = act_abs.norm();
    fx->scale[3] = par_abs.norm();
  }
  return fx;
}

// ‖a − b‖²_F in double; infinite when the shapes differ.
template <typename A, typename B>
double squared_distance(const Eigen::MatrixBase<A>& a, const Eigen::MatrixBase<B>& b) {
  if (a.rows() != b.rows() || a.cols() != b.cols()) return std::numeric_limits<double>::infinity();
  return (a.template cast<double>() - b.template cast<double>()).squaredNorm();
}

}  // namespace

double check_tolerance(long d, bool f32) {
  const double u = f32 ? std::ldexp(1.0, -24) : std::ldexp(1.0, -53);
  return 1024.0 * static_cast<double>(d) * u;
}

// The last fixture built, per precision.
template <typename T>
std::unique_ptr<Fixture<T>>& last_fixture() {
  static std::unique_ptr<Fixture<T>> last;
  return last;
}

template <typename T>
const Fixture<T>& fixture(const Config& c) {
  std::unique_ptr<Fixture<T>>& last = last_fixture<T>();
  if (!last || last->key != fixture_key(c)) {
    // Free every fixture held first, of either precision: fixtures can be large.
    last_fixture<double>().reset();
    last_fixture<float>().reset();
    last = build<T>(c);
  }
  return *last;
}

template <typename T>
std::optional<std::string> check_against_reference(const Fixture<T>& fx, const Result<T>& r) {
  if (!r.errors.empty()) return "the method reported failed samples: " + r.errors.front().message;
  const double tol = check_tolerance(static_cast<long>(fx.batch.dim()), std::is_same_v<T, float>);
  double squares[4] = {0, 0, 0, 0};  // ‖X − X_ref‖²_F per block
  if (fx.request.output == Output::sum) {
    const Result<T>& ref = fx.sum_reference;
    squares[0] = squared_distance(r.log_prob, ref.log_prob);
    squares[1] = squared_distance(r.grad_loc, ref.grad_loc);
    squares[2] = squared_distance(r.grad_action, ref.grad_action);
    squares[3] = squared_distance(r.grad_param, ref.grad_param);
  } else {
    const Index n = fx.batch.size(), d = fx.batch.dim(), cols = fx.batch.block_cols();
    if (r.log_prob.size() != n || r.grad_loc.rows() != d || r.grad_loc.cols() != n ||
        r.grad_action.rows() != d || r.grad_action.cols() != n || r.grad_param.rows() != d ||
        r.grad_param.cols() != n * cols)
      return "result has the wrong shape for " + std::to_string(n) + " samples of d = " + std::to_string(d);
    for_each_reference_part(fx.batch, [&](Index first, Index count, const Result<T>& ref) {
      squares[0] += squared_distance(r.log_prob.segment(first, count), ref.log_prob);
      squares[1] += squared_distance(r.grad_loc.middleCols(first, count), ref.grad_loc);
      squares[2] += squared_distance(r.grad_action.middleCols(first, count), ref.grad_action);
      squares[3] += squared_distance(r.grad_param.middleCols(first * cols, count * cols), ref.grad_param);
    });
  }
  const char* names[4] = {"log_prob", "grad_loc", "grad_action", "grad_param"};
  for (int k = 0; k < 4; ++k) {
    const double rel = std::sqrt(squares[k]) / std::max(fx.scale[k], std::numeric_limits<double>::min());
    if (!(rel <= tol)) {
      std::ostringstream s;
      s << "result differs from analytic: " << names[k] << " relative error " << rel << " > tolerance " << tol
        << " (1024·d·u)";
      return s.str();
    }
  }
  return std::nullopt;
}

template const Fixture<double>& fixture<double>(const Config&);
template const Fixture<float>& fixture<float>(const Config&);
template std::optional<std::string> check_against_reference(const Fixture<double>&, const Result<double>&);
template std::optional<std::string> check_against_reference(const Fixture<float>&, const Result<float>&);

}  // namespace scorebench::bench
