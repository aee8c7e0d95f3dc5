#include "scorebench/mc/estimator.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>
#include <stdexcept>

#include "scorebench/kernels/thread_pool.hpp"
#include "scorebench/mc/exact_expectation.hpp"
#include "scorebench/mc/find_method.hpp"
#include "scorebench/mc/moments.hpp"
#include "scorebench/mc/random.hpp"
#include "scorebench/validation.hpp"

namespace scorebench::mc {

namespace {

constexpr std::string_view kEstimatorNames[] = {"score_function", "score_function_baseline",
                                                "score_function_optimal_baseline", "pathwise",
                                                "mutant_pathwise_swapped"};

Index scale_coordinates(Parameterization p, Index d) {
  return p == Parameterization::scale_tril ? d * (d + 1) / 2 : d;
}

// The full lower factor L (diag(σ) for scale_diag).
Mat<double> lower_factor(const Problem& problem) {
  if (problem.parameterization == Parameterization::scale_diag) return problem.scale.col(0).asDiagonal();
  return problem.scale.triangularView<Eigen::Lower>();
}

// One batch of samples [first, first + n): per-coordinate moments of the
// single-sample estimates, or their sum (statistics off).
struct BatchOutcome {
  std::vector<Moments> moments;
  Vec<double> sum;
};

class Sampler {
 public:
  Sampler(const Problem& problem, const EstimateOptions& options)
      : problem_(problem),
        options_(options),
        d_(problem.dim()),
        k_(d_ + scale_coordinates(problem.parameterization, d_)),
        l_(lower_factor(problem)),
        method_(is_score_function(options.estimator) ? &find_method(options.method) : nullptr) {
    if (method_ && !method_->capabilities().available)
      throw std::invalid_argument("--method " + options.method +
                                  " is unavailable: " + method_->capabilities().unavailable_reason);
  }

  Index coordinates() const { return k_; }

  BatchOutcome run(std::uint64_t first, Index n) const {
    const Parameterization p = problem_.parameterization;
    Mat<double> eps(d_, n);
    fill_noise(options_.seed, first, eps);
    // a = μ + L ε
    const Mat<double> action = (l_.triangularView<Eigen::Lower>() * eps).colwise() + problem_.loc;
    Vec<double> f(n);
    for (Index b = 0; b < n; ++b) f(b) = cost_value<double>(problem_.cost, action.col(b));

    BatchOutcome out;
    Mat<double> h(k_, n);  // single-sample estimates, one column per sample
    if (method_) {
      Batch<double> batch;
      batch.parameterization = p;
      batch.loc = problem_.loc;
      batch.action = action;
      batch.noise = eps;
      batch.param = problem_.scale;
      const bool scalar_weights = options_.estimator != Estimator::score_function_optimal_baseline;
      if (!options_.statistics && scalar_weights) {
        Request<double> request{Output::sum, baseline_weights(f)};
        const Result<double> r = method_->evaluate(batch, request);
        r.throw_if_failed();
        out.sum = flatten(p, r.grad_loc.col(0), r.grad_param);
        return out;
      }
      const Result<double> r = method_->evaluate(batch, Request<double>{Output::grads, {}});
      r.throw_if_failed();
      Mat<double> s(k_, n);  // the scores, one column per sample
      for (Index b = 0; b < n; ++b) s.col(b) = flatten(p, r.grad_loc.col(b), r.grad_param_of(b));
      if (scalar_weights) {
        h = s * baseline_weights(f).asDiagonal();
      } else {
        // bⱼ(−b) = (Σᵢ fᵢ sᵢⱼ² − f_b s_bj²) / (Σᵢ sᵢⱼ² − s_bj²)
        const Mat<double> s2 = s.array().square();
        const Vec<double> fs2 = s2 * f, ss2 = s2.rowwise().sum();
        for (Index b = 0; b < n; ++b)
          for (Index j = 0; j < k_; ++j) {
            const double den = ss2(j) - s2(j, b);
            const double baseline = den > 0 ? (fs2(j) - f(b) * s2(j, b)) / den : 0.0;
            h(j, b) = (f(b) - baseline) * s(j, b);
          }
      }
    } else {
      const bool swapped = options_.estimator == Estimator::mutant_pathwise_swapped;
      for (Index b = 0; b < n; ++b) {
        const Vec<double> g = cost_gradient<double>(problem_.cost, action.col(b));
        // ∇L = tril(∇f εᵀ), ∇σ = ∇f ⊙ ε (the mutant: a in place of ε)
        const Vec<double> e = swapped ? Vec<double>(action.col(b)) : Vec<double>(eps.col(b));
        const Mat<double> scale_part = p == Parameterization::scale_diag ? Mat<double>(g.cwiseProduct(e))
                                                                         : Mat<double>(g * e.transpose());
        h.col(b) = flatten(p, g, scale_part);
      }
    }
    if (!options_.statistics) {
      out.sum = h.rowwise().sum();
      return out;
    }
    out.moments.resize(static_cast<std::size_t>(k_));
    for (Index j = 0; j < k_; ++j)
      for (Index b = 0; b < n; ++b) out.moments[static_cast<std::size_t>(j)].add(h(j, b));
    return out;
  }

 private:
  // c_b = f_b (score_function) or f_b − mean of the other f (baseline).
  Vec<double> baseline_weights(const Vec<double>& f) const {
    if (options_.estimator != Estimator::score_function_baseline) return f;
    const Index n = f.size();
    if (n < 2) return f;
    const double total = f.sum();
    return (f.array() - (total - f.array()) / static_cast<double>(n - 1)).matrix();
  }

  const Problem& problem_;
  const EstimateOptions& options_;
  Index d_, k_;
  Mat<double> l_;
  const Method* method_;
};

}  // namespace

std::string_view name(Estimator e) { return kEstimatorNames[static_cast<int>(e)]; }

std::optional<Estimator> parse_estimator(std::string_view s) {
  for (int i = 0; i < 5; ++i)
    if (kEstimatorNames[i] == s) return static_cast<Estimator>(i);
  return std::nullopt;
}

const std::vector<Estimator>& correct_estimators() {
  static const std::vector<Estimator> all = {Estimator::score_function, Estimator::score_function_baseline,
                                             Estimator::score_function_optimal_baseline, Estimator::pathwise};
  return all;
}

std::vector<std::string> coordinate_names(Parameterization p, Index d) {
  std::vector<std::string> names;
  for (Index i = 0; i < d; ++i) names.push_back("loc[" + std::to_string(i) + "]");
  if (p == Parameterization::scale_diag) {
    for (Index i = 0; i < d; ++i) names.push_back("scale_diag[" + std::to_string(i) + "]");
  } else {
    for (Index j = 0; j < d; ++j)
      for (Index i = j; i < d; ++i)
        names.push_back("scale_tril(" + std::to_string(i) + "," + std::to_string(j) + ")");
  }
  return names;
}

Vec<double> flatten(Parameterization p, const Vec<double>& grad_loc, const Mat<double>& grad_scale) {
  const Index d = grad_loc.size();
  Vec<double> out(d + scale_coordinates(p, d));
  out.head(d) = grad_loc;
  Index k = d;
  if (p == Parameterization::scale_diag) {
    out.tail(d) = grad_scale.col(0);
  } else {
    for (Index j = 0; j < d; ++j)
      for (Index i = j; i < d; ++i) out(k++) = grad_scale(i, j);
  }
  return out;
}

Mat<double> scale_block(Parameterization p, Index d, const Vec<double>& coordinates) {
  if (p == Parameterization::scale_diag) return coordinates.segment(d, d);
  Mat<double> m = Mat<double>::Zero(d, d);
  Index k = d;
  for (Index j = 0; j < d; ++j)
    for (Index i = j; i < d; ++i) m(i, j) = coordinates(k++);
  return m;
}

double two_sided_p(double z) { return std::erfc(std::abs(z) / std::sqrt(2.0)); }

void check_problem(const Problem& problem) {
  const Index d = problem.dim();
  const Parameterization p = problem.parameterization;
  if (d < 1) throw std::invalid_argument("loc is empty: the dimension must be at least 1");
  if (p != Parameterization::scale_tril && p != Parameterization::scale_diag)
    throw std::invalid_argument("the Monte Carlo estimators take scale_tril or scale_diag, not " +
                                std::string(name(p)));
  const Index cols = p == Parameterization::scale_tril ? d : 1;
  if (problem.scale.rows() != d || problem.scale.cols() != cols)
    throw std::invalid_argument(std::string(name(p)) + " is " + std::to_string(problem.scale.rows()) + "×" +
                                std::to_string(problem.scale.cols()) + " but loc has " + std::to_string(d) +
                                " entries: expected " + std::to_string(d) + "×" + std::to_string(cols));
  check_cost(problem.cost, d);
  if (auto e = check_finite("loc", problem.loc)) throw std::domain_error(*e);
  if (auto e = check_param_values(p, problem.scale)) throw std::domain_error(*e);
  // The expectation must be finite (exp_neg_square with k < 0 may not be).
  exact_expectation<double>(problem.cost, problem.loc, covariance_from_scale(p, problem.scale));
}

Estimate estimate(const Problem& problem, const EstimateOptions& options) {
  check_problem(problem);
  if (options.samples < 2) throw std::invalid_argument("samples must be at least 2");
  if (options.batch_size < 2) throw std::invalid_argument("batch_size must be at least 2");
  if (options.threads < 1) throw std::invalid_argument("threads must be at least 1");
  const Parameterization p = problem.parameterization;
  const Index d = problem.dim();

  Estimate est;
  est.names = coordinate_names(p, d);
  const Expectation<double> e =
      exact_expectation<double>(problem.cost, problem.loc, covariance_from_scale(p, problem.scale));
  est.exact_value = e.value;
  est.exact = flatten(p, e.grad_loc, scale_gradient(p, e.grad_covariance, problem.scale));
  est.samples = options.samples;
  est.threads = options.threads;

  const Sampler sampler(problem, options);
  const Index k = sampler.coordinates();
  const auto batch = static_cast<std::uint64_t>(options.batch_size);
  const std::uint64_t batches = (options.samples + batch - 1) / batch;
  const auto threads = static_cast<std::uint64_t>(options.threads);
  // Batches are computed in rounds of a few per thread, and each round is
  // merged in batch order as it ends: memory stays bounded by one round
  // whatever the number of samples, and the order of the merges, hence every
  // bit of the result, is that of a single thread. A round holds at most
  // 64 MiB of per-batch moments (and at most 64 batches per thread).
  const std::uint64_t per_thread = std::clamp<std::uint64_t>(
      (std::uint64_t{64} << 20) / (static_cast<std::uint64_t>(k) * sizeof(Moments) * threads), 1, 64);
  const std::uint64_t round = per_thread * threads;
  std::vector<Moments> merged(options.statistics ? static_cast<std::size_t>(k) : 0);
  Vec<double> sum = Vec<double>::Zero(k);
  std::vector<BatchOutcome> outcomes;
  std::vector<std::exception_ptr> failures(static_cast<std::size_t>(options.threads));
  const auto start = std::chrono::steady_clock::now();
  for (std::uint64_t first_batch = 0; first_batch < batches; first_batch += round) {
    const std::uint64_t count = std::min(round, batches - first_batch);
    outcomes.assign(count, BatchOutcome{});
    const auto work = [&](std::uint64_t t) {
      try {
        for (std::uint64_t c = t; c < count; c += threads) {
          const std::uint64_t first = (first_batch + c) * batch;
          outcomes[c] = sampler.run(first, static_cast<Index>(std::min(batch, options.samples - first)));
        }
      } catch (...) {
        failures[t] = std::current_exception();
      }
    };
    // Thread t computes batches t, t + threads, …, on the process's one pool
    // (the score kernels' pool, kernels/thread_pool.hpp).
    ThreadPool::instance().parallel_for(static_cast<Index>(std::min(threads, count)),
                                        static_cast<int>(threads),
                                        [&](Index t) { work(static_cast<std::uint64_t>(t)); });
    for (const std::exception_ptr& f : failures)
      if (f) std::rethrow_exception(f);
    for (const BatchOutcome& o : outcomes) {  // in batch order
      if (!options.statistics) {
        sum += o.sum;
        continue;
      }
      for (std::size_t j = 0; j < merged.size(); ++j) merged[j].merge(o.moments[j]);
    }
  }
  est.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  const double n = static_cast<double>(options.samples);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  est.mean = Vec<double>::Zero(k);
  est.variance = est.variance_stderr = est.standard_error = est.z = est.p_value =
      Vec<double>::Constant(k, nan);
  if (!options.statistics) {
    est.mean = sum / n;
    return est;
  }
  for (Index j = 0; j < k; ++j) {
    const Moments& m = merged[static_cast<std::size_t>(j)];
    est.mean(j) = m.mean;
    est.variance(j) = m.variance();
    est.variance_stderr(j) = m.variance_stderr();
    est.standard_error(j) = std::sqrt(m.variance() / n);
    const double diff = m.mean - est.exact(j);
    if (est.standard_error(j) > 0) {
      est.z(j) = diff / est.standard_error(j);
    } else {
      // A constant estimator: right only if it equals the exact value (up to
      // the rounding of the exact value itself).
      const double tol = 64 * std::numeric_limits<double>::epsilon() * std::max(1.0, std::abs(est.exact(j)));
      est.z(j) = std::abs(diff) <= tol ? 0.0 : std::copysign(std::numeric_limits<double>::infinity(), diff);
    }
    est.p_value(j) = two_sided_p(est.z(j));
  }
  return est;
}

}  // namespace scorebench::mc
