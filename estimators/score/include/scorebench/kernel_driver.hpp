#pragma once
// Runs a kernel (kernel.hpp) over a batch: checks the arguments, derives
// actions from noise where needed, factors each distinct parameter once,
// records failing samples and computes the others, and forms the weighted
// batch sum Σ_b c_b ∇ log p_b without materialising B gradients.
//
// Threads over the batch (Request::threads). The batch is cut into chunks
// whose size depends on the batch size only; each chunk is computed by one
// thread, per-sample outputs go to their own columns, and the weighted sum
// keeps one partial sum per chunk, added in chunk order at the end. So every
// output, the sum included, is bit-identical for any thread count, and the
// failing samples are reported in increasing order.

#include <algorithm>
#include <string>
#include <vector>

#include "scorebench/factorizations.hpp"
#include "scorebench/kernel.hpp"
#include "scorebench/kernels/path_coverage.hpp"
#include "scorebench/kernels/thread_pool.hpp"
#include "scorebench/validation.hpp"

namespace scorebench {

namespace detail {
inline std::string sample_prefix(Index b) { return "sample " + std::to_string(b) + ": "; }

inline std::string shared_prefix(Parameterization p, Index n) {
  if (n == 1) return sample_prefix(0);
  return std::string(name(p)) + " (shared by all " + std::to_string(n) + " samples): ";
}

// True when the parameter block certainly passes check_param_values(): a
// single allocation-free pass for the common case; anything it doubts goes to
// the full check, which words the message.
template <typename Derived>
bool plainly_valid(Parameterization p, const Eigen::MatrixBase<Derived>& a) {
  using T = typename Derived::Scalar;
  const Index d = a.rows();
  if (!all_finite(a)) return false;
  for (Index i = 0; i < d; ++i)
    if (!(a(i, is_matrix(p) ? i : 0) > T(0))) return false;
  if (p == Parameterization::scale_tril) {
    T upper(0);  // Σ |Lᵢⱼ| over i < j: zero only when every such entry is zero
    for (Index j = 1; j < d; ++j) upper += a.col(j).head(j).cwiseAbs().sum();
    return upper == T(0);
  }
  if (!is_symmetric(p)) return true;
  // The tolerance of check_param_values(), halved to stay clear of its edge.
  const double max_abs = static_cast<double>(a.cwiseAbs().maxCoeff());
  const double tol = 32.0 * static_cast<double>(d) * static_cast<double>(unit_roundoff<T>()) * max_abs;
  for (Index j = 1; j < d; ++j)
    for (Index i = 0; i < j; ++i)
      if (!(std::abs(static_cast<double>(a(i, j)) - static_cast<double>(a(j, i))) <= tol)) return false;
  return true;
}

template <typename Derived>
std::optional<std::string> param_error(Parameterization p, const Eigen::MatrixBase<Derived>& a) {
  if (plainly_valid(p, a)) return std::nullopt;
  return check_param_values(p, a);
}

// Samples per chunk: a function of the batch size only (at most 32 chunks).
inline Index chunk_size(Index n) { return std::max<Index>(8, (n + 31) / 32); }

inline int thread_count(int requested) {
  if (requested > 0) return requested;
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

template <typename T>
void fill_nan(Result<T>& r, Index b) {
  const T nan = std::numeric_limits<T>::quiet_NaN();
  r.log_prob(b) = nan;
  r.grad_loc.col(b).setConstant(nan);
  r.grad_action.col(b).setConstant(nan);
  r.grad_param_of(b).setConstant(nan);
}

template <typename T>
void add_into(Result<T>& total, const Result<T>& part) {
  total.log_prob(0) += part.log_prob(0);
  total.grad_loc += part.grad_loc;
  total.grad_action += part.grad_action;
  total.grad_param += part.grad_param;
}
}  // namespace detail

// Checks one sample's vectors and, when per-sample, its parameter block.
template <typename T>
std::optional<std::string> check_sample(const Batch<T>& batch, Index b, bool check_param) {
  if (auto e = check_finite("loc", batch.loc_of(b))) return e;
  if (batch.action.size() != 0)
    if (auto e = check_finite("action", batch.action_of(b))) return e;
  if (batch.noise.size() != 0)
    if (auto e = check_finite("noise", batch.noise_of(b))) return e;
  if (check_param) return detail::param_error(batch.parameterization, batch.param_of(b));
  return std::nullopt;
}

// True when samples [b0, b0 + m) pass check_sample() without their
// parameter: every entry of their loc, action and noise columns finite, as
// one reduction over each matrix's columns instead of one per sample.
template <typename T>
bool samples_finite(const Batch<T>& batch, Index b0, Index m) {
  const auto finite = [&](const Mat<T>& x) {
    return x.size() == 0 || all_finite(x.cols() == 1 ? x.middleCols(0, 1) : x.middleCols(b0, m));
  };
  return finite(batch.loc) && finite(batch.action) && finite(batch.noise);
}

// The batch with action = loc + L ε filled in from its noise, L the lower
// Cholesky factor of Σ. Samples whose action cannot be formed are appended
// to `errors`; a shared parameter that cannot be factored throws.
template <typename T>
Batch<T> with_actions(const Batch<T>& batch, std::vector<SampleError>& errors) {
  Batch<T> out = batch;
  const Index n = batch.size(), d = batch.dim();
  const Parameterization p = batch.parameterization;
  out.action = Mat<T>::Constant(d, n, std::numeric_limits<T>::quiet_NaN());
  Mat<T> l;
  if (batch.shared_param()) {
    auto e = check_param_values(p, batch.param_of(0));
    if (!e) e = covariance_factor<T>(p, batch.param_of(0), l);
    if (e) throw std::domain_error(detail::shared_prefix(p, n) + *e);
  }
  for (Index b = 0; b < n; ++b) {
    auto e = check_sample(batch, b, !batch.shared_param());
    if (!e && !batch.shared_param()) e = covariance_factor<T>(p, batch.param_of(b), l);
    if (e) {
      errors.push_back({b, detail::sample_prefix(b) + *e});
      continue;
    }
    out.action.col(b) = batch.loc_of(b) + l.template triangularView<Eigen::Lower>() * batch.noise_of(b);
  }
  return out;
}

// The batch paths of KernelPaths (kernel.hpp), when a kernel sets them:
//   static bool checked_chunk(p, shared_factor_or_null, batch, request, b0, b1, const char* failed,
//                             out, errors)
// that also checks samples [b0, b1) itself, with check_sample()'s conditions
// and messages: a sample whose failed[b − b0] is set is already reported; a
// per-sample output of a sample not computed is NaN. It returns false to
// leave the chunk to the steps below. A kernel may also provide
//   static bool chunk(p, shared_factor_or_null, batch, request, b0, b1, char* valid, out, errors)
// computing samples [b0, b1) whose valid[b − b0] is set, into `out` (the
// result for grads, the chunk's partial sum for sum); a sample it cannot
// compute gets an error and valid = 0. It returns false to leave the chunk to
// the per-sample factor()/sample() loop.
//   static void shared_batch(p, factor, batch, request, result)
// computes a whole batch whose parameter is shared and whose samples are all
// valid. A kernel that sets paths.writes_every_output fills every output
// entry of each sample it computes, so the result is not NaN-filled in advance.
//
// The result goes into `result`, whose storage is reused when its size fits.
template <typename Kernel>
void run_kernel_into(std::string_view method, const Batch<typename Kernel::Scalar>& given,
                     const Request<typename Kernel::Scalar>& request,
                     Result<typename Kernel::Scalar>& result) {
  static_assert(check_kernel<Kernel>());
  using T = typename Kernel::Scalar;
  constexpr KernelPaths paths = Kernel::paths;
  check_shapes(given, request, Kernel::requires_noise, method);
  std::vector<SampleError> errors;
  const bool derive_actions = !Kernel::requires_noise && given.action.size() == 0;
  const Batch<T> derived = derive_actions ? with_actions(given, errors) : Batch<T>{};
  const Batch<T>& batch = derive_actions ? derived : given;

  const Parameterization p = batch.parameterization;
  const Index n = batch.size(), d = batch.dim();
  const bool sum = request.output == Output::sum;
  const bool shared = batch.shared_param();
  // The per-sample path's chunks: a function of B alone.
  const Index chunk = detail::chunk_size(n), chunks = (n + chunk - 1) / chunk;
  // A kernel that writes every output of the samples it computes needs no
  // NaN fill in advance (a pass over memory as large as the result).
  constexpr bool unset = paths.writes_every_output;
  reset_result(result, p, request.output, d, n, !unset || sum);

  // One sample: its parameter is at once shared and its own, so a kernel's
  // checked per-sample path computes it with no shared factor (a copy) and
  // none of the matrix shapes that pay off for many samples. A sample that
  // path rejects is redone below, where an unusable parameter throws as a
  // shared one does.
  if constexpr (paths.checked_chunk) {
    const char none_failed = 0;
    if (n == 1 && errors.empty() &&
        Kernel::checked_chunk(p, nullptr, batch, request, 0, 1, &none_failed, result, errors)) {
      coverage::hit(coverage::Path::driver_one_sample);
      if (errors.empty()) return;
      errors.clear();
      reset_result(result, p, request.output, d, n, !unset || sum);
    }
  }

  typename Kernel::Factor factor;
  if (shared) {
    auto e = detail::param_error(p, batch.param_of(0));
    if (!e) e = Kernel::factor(p, batch.param_of(0), factor);
    if (e) throw std::domain_error(detail::shared_prefix(p, n) + *e);
  }

  if constexpr (paths.shared_batch) {
    bool all_valid = shared && errors.empty();
    if (all_valid) {  // every sample's vectors finite: checked over the driver's chunks, threaded
      std::vector<char> chunk_valid(static_cast<size_t>(chunks), 1);
      parallel_for(chunks, detail::thread_count(request.threads), [&](Index c) {
        const Index b0 = c * chunk;
        chunk_valid[static_cast<size_t>(c)] = samples_finite(batch, b0, std::min(n, b0 + chunk) - b0);
      });
      all_valid = std::all_of(chunk_valid.begin(), chunk_valid.end(), [](char v) { return v != 0; });
    }
    if (all_valid) {
      Kernel::shared_batch(p, factor, batch, request, result);
      return;
    }
  }

  std::vector<char> failed(static_cast<size_t>(n), 0);
  for (const SampleError& e : errors) failed[static_cast<size_t>(e.sample)] = 1;
  std::vector<std::vector<SampleError>> chunk_errors(static_cast<size_t>(chunks));
  std::vector<Result<T>> partial(sum ? static_cast<size_t>(chunks) : 0);

  const auto run_chunk = [&](Index c) {
    const Index b0 = c * chunk, b1 = std::min(n, b0 + chunk);
    std::vector<SampleError>& errs = chunk_errors[static_cast<size_t>(c)];
    Result<T>& out = sum ? partial[static_cast<size_t>(c)] : result;
    if (sum) out = make_result<T>(p, Output::sum, d, 1);
    if constexpr (paths.checked_chunk)
      if (Kernel::checked_chunk(p, shared ? &factor : nullptr, batch, request, b0, b1, failed.data() + b0,
                                out, errs))
        return;
    std::vector<char> valid(static_cast<size_t>(b1 - b0), 0);
    for (Index b = b0; b < b1; ++b) {
      if (failed[static_cast<size_t>(b)]) continue;
      if (auto e = check_sample(batch, b, !shared))
        errs.push_back({b, detail::sample_prefix(b) + *e});
      else
        valid[static_cast<size_t>(b - b0)] = 1;
    }
    bool done = false;
    if constexpr (paths.chunk)
      done = Kernel::chunk(p, shared ? &factor : nullptr, batch, request, b0, b1, valid.data(), out, errs);
    if (!done) {
      typename Kernel::Factor own;
      typename Kernel::Workspace ws(d);
      T lp_scratch(0);
      Vec<T> gl_scratch(d), ga_scratch(d);
      Mat<T> gp_scratch(d, batch.block_cols());
      const Eigen::Map<const Vec<T>> no_vector(nullptr, 0);
      for (Index b = b0; b < b1; ++b) {
        if (!valid[static_cast<size_t>(b - b0)]) continue;
        if (!shared)
          if (auto e = Kernel::factor(p, batch.param_of(b), own)) {
            errs.push_back({b, detail::sample_prefix(b) + *e});
            valid[static_cast<size_t>(b - b0)] = 0;
            continue;
          }
        const SampleInput<T> in{
            Eigen::Map<const Vec<T>>(batch.loc_of(b).data(), d),
            batch.action.size() ? Eigen::Map<const Vec<T>>(batch.action_of(b).data(), d) : no_vector,
            batch.noise.size() ? Eigen::Map<const Vec<T>>(batch.noise_of(b).data(), d) : no_vector};
        const typename Kernel::Factor& f = shared ? factor : own;
        if (!sum) {
          SampleOutput<T> o{result.log_prob(b), Eigen::Map<Vec<T>>(result.grad_loc.col(b).data(), d),
                            Eigen::Map<Vec<T>>(result.grad_action.col(b).data(), d),
                            Eigen::Map<Mat<T>>(result.grad_param_of(b).data(), d, batch.block_cols())};
          Kernel::sample(p, f, in, o, ws);
        } else {
          SampleOutput<T> o{lp_scratch, Eigen::Map<Vec<T>>(gl_scratch.data(), d),
                            Eigen::Map<Vec<T>>(ga_scratch.data(), d),
                            Eigen::Map<Mat<T>>(gp_scratch.data(), d, batch.block_cols())};
          Kernel::sample(p, f, in, o, ws);
          const T c = request.weights.size() ? request.weights(b) : T(1);
          out.log_prob(0) += c * lp_scratch;
          out.grad_loc.col(0) += c * gl_scratch;
          out.grad_action.col(0) += c * ga_scratch;
          out.grad_param += c * gp_scratch;
        }
      }
    }
    if (!sum && unset)
      for (Index b = b0; b < b1; ++b)
        if (!valid[static_cast<size_t>(b - b0)]) detail::fill_nan(result, b);
  };
  coverage::hit_if(chunks > 1 && detail::thread_count(request.threads) > 1, coverage::Path::driver_threads);
  parallel_for(chunks, detail::thread_count(request.threads), run_chunk);

  if (sum)
    for (const Result<T>& part : partial) detail::add_into(result, part);  // in chunk order
  for (auto& errs : chunk_errors) errors.insert(errors.end(), errs.begin(), errs.end());
  std::stable_sort(errors.begin(), errors.end(),
                   [](const SampleError& a, const SampleError& b) { return a.sample < b.sample; });
  result.errors = std::move(errors);
}

template <typename Kernel>
Result<typename Kernel::Scalar> run_kernel(std::string_view method,
                                           const Batch<typename Kernel::Scalar>& batch,
                                           const Request<typename Kernel::Scalar>& request) {
  Result<typename Kernel::Scalar> result;
  run_kernel_into<Kernel>(method, batch, request, result);
  return result;
}

}  // namespace scorebench
