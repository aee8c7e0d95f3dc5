#include "fixture.hpp"

#include <Eigen/Cholesky>
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

  fx->reference = run_kernel<AnalyticReferenceKernel<T>>("analytic", batch, fx->request);
  fx->reference.throw_if_failed();
  if (!c.sum) {
    fx->scale[0] = static_cast<double>(fx->reference.log_prob.norm());
    fx->scale[1] = static_cast<double>(fx->reference.grad_loc.norm());
    fx->scale[2] = static_cast<double>(fx->reference.grad_action.norm());
    fx->scale[3] = static_cast<double>(fx->reference.grad_param.norm());
  } else {
    // ‖Σ_b |c_b| |X_b|‖_F from the per-sample reference.
    const Result<T> each = run_kernel<AnalyticReferenceKernel<T>>("analytic", batch, Request<T>{});
    const Index blk = each.block_cols();
    Mat<double> loc_abs = Mat<double>::Zero(d, 1), act_abs = loc_abs, par_abs = Mat<double>::Zero(d, blk);
    double lp_abs = 0;
    for (Index b = 0; b < n; ++b) {
      const double cb = std::abs(static_cast<double>(fx->request.weights(b)));
      lp_abs += cb * std::abs(static_cast<double>(each.log_prob(b)));
      loc_abs += cb * each.grad_loc.col(b).template cast<double>().cwiseAbs();
      act_abs += cb * each.grad_action.col(b).template cast<double>().cwiseAbs();
      par_abs += cb * each.grad_param_of(b).template cast<double>().cwiseAbs();
    }
    fx->scale[0] = lp_abs;
    fx->scale[1] = loc_abs.norm();
    fx->scale[2] = act_abs.norm();
    fx->scale[3] = par_abs.norm();
  }
  return fx;
}

template <typename T>
double distance(const Mat<T>& a, const Mat<T>& b) {
  if (a.rows() != b.rows() || a.cols() != b.cols()) return std::numeric_limits<double>::infinity();
  return (a.template cast<double>() - b.template cast<double>()).norm();
}

}  // namespace

double check_tolerance(long d, bool f32) {
  const double u = f32 ? std::ldexp(1.0, -24) : std::ldexp(1.0, -53);
  return 1024.0 * static_cast<double>(d) * u;
}

template <typename T>
const Fixture<T>& fixture(const Config& c) {
  static std::unique_ptr<Fixture<T>> last;
  if (!last || last->key != fixture_key(c)) {
    last.reset();  // free the previous one first: fixtures can be large
    last = build<T>(c);
  }
  return *last;
}

template <typename T>
std::optional<std::string> check_against_reference(const Fixture<T>& fx, const Result<T>& r) {
  if (!r.errors.empty()) return "the method reported failed samples: " + r.errors.front().message;
  const Result<T>& ref = fx.reference;
  const double tol = check_tolerance(static_cast<long>(fx.batch.dim()), std::is_same_v<T, float>);
  const std::pair<const char*, double> blocks[4] = {
      {"log_prob", distance<T>(r.log_prob, ref.log_prob)},
      {"grad_loc", distance<T>(r.grad_loc, ref.grad_loc)},
      {"grad_action", distance<T>(r.grad_action, ref.grad_action)},
      {"grad_param", distance<T>(r.grad_param, ref.grad_param)}};
  for (int k = 0; k < 4; ++k) {
    const double rel = blocks[k].second / std::max(fx.scale[k], std::numeric_limits<double>::min());
    if (!(rel <= tol)) {
      std::ostringstream s;
      s << "result differs from analytic: " << blocks[k].first << " relative error " << rel << " > tolerance "
        << tol << " (1024·d·u)";
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
