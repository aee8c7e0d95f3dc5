#pragma once
// Runs a kernel (kernel.hpp) over a batch: checks the arguments, derives
// actions from noise where needed, factors each distinct parameter once,
// records failing samples and computes the others, and forms the weighted
// batch sum Σ_b c_b ∇ log p_b with one scratch gradient (never B of them).

#include <algorithm>
#include <string>
#include <vector>

#include "scorebench/factorizations.hpp"
#include "scorebench/kernel.hpp"
#include "scorebench/validation.hpp"

namespace scorebench {

namespace detail {
inline std::string sample_prefix(Index b) { return "sample " + std::to_string(b) + ": "; }

inline std::string shared_prefix(Parameterization p, Index n) {
  if (n == 1) return sample_prefix(0);
  return std::string(name(p)) + " (shared by all " + std::to_string(n) + " samples): ";
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
  if (check_param) return check_param_values(batch.parameterization, batch.param_of(b));
  return std::nullopt;
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

template <typename Kernel>
Result<typename Kernel::Scalar> run_kernel(std::string_view method,
                                           const Batch<typename Kernel::Scalar>& given,
                                           const Request<typename Kernel::Scalar>& request) {
  using T = typename Kernel::Scalar;
  check_shapes(given, request, Kernel::requires_noise, method);
  std::vector<SampleError> errors;
  const bool derive_actions = !Kernel::requires_noise && given.action.size() == 0;
  const Batch<T> derived = derive_actions ? with_actions(given, errors) : Batch<T>{};
  const Batch<T>& batch = derive_actions ? derived : given;

  const Parameterization p = batch.parameterization;
  const Index n = batch.size(), d = batch.dim();
  const bool sum = request.output == Output::sum;
  const bool shared = batch.shared_param();
  Result<T> result = make_result<T>(p, request.output, d, n);

  typename Kernel::Factor factor;
  if (shared) {
    auto e = check_param_values(p, batch.param_of(0));
    if (!e) e = Kernel::factor(p, batch.param_of(0), factor);
    if (e) throw std::domain_error(detail::shared_prefix(p, n) + *e);
  }

  const auto failed = [&](Index b) {
    return std::any_of(errors.begin(), errors.end(), [b](const SampleError& s) { return s.sample == b; });
  };
  if constexpr (has_shared_batch<Kernel>::value) {
    bool all_valid = shared && errors.empty();
    for (Index b = 0; all_valid && b < n; ++b) all_valid = !check_sample(batch, b, false);
    if (all_valid) {
      Kernel::shared_batch(p, factor, batch, request, result);
      return result;
    }
  }

  typename Kernel::Workspace ws(d);
  // Scratch gradient for the weighted sum.
  T lp_scratch(0);
  Vec<T> gl_scratch(d), ga_scratch(d);
  Mat<T> gp_scratch(d, batch.block_cols());
  const Eigen::Map<const Vec<T>> no_vector(nullptr, 0);
  for (Index b = 0; b < n; ++b) {
    if (failed(b)) continue;
    auto e = check_sample(batch, b, !shared);
    if (!e && !shared) e = Kernel::factor(p, batch.param_of(b), factor);
    if (e) {
      errors.push_back({b, detail::sample_prefix(b) + *e});
      continue;
    }
    const SampleInput<T> in{
        Eigen::Map<const Vec<T>>(batch.loc_of(b).data(), d),
        batch.action.size() ? Eigen::Map<const Vec<T>>(batch.action_of(b).data(), d) : no_vector,
        batch.noise.size() ? Eigen::Map<const Vec<T>>(batch.noise_of(b).data(), d) : no_vector};
    if (!sum) {
      SampleOutput<T> out{result.log_prob(b), Eigen::Map<Vec<T>>(result.grad_loc.col(b).data(), d),
                          Eigen::Map<Vec<T>>(result.grad_action.col(b).data(), d),
                          Eigen::Map<Mat<T>>(result.grad_param_of(b).data(), d, batch.block_cols())};
      Kernel::sample(p, factor, in, out, ws);
    } else {
      SampleOutput<T> out{lp_scratch, Eigen::Map<Vec<T>>(gl_scratch.data(), d),
                          Eigen::Map<Vec<T>>(ga_scratch.data(), d),
                          Eigen::Map<Mat<T>>(gp_scratch.data(), d, batch.block_cols())};
      Kernel::sample(p, factor, in, out, ws);
      const T c = request.weights.size() ? request.weights(b) : T(1);
      result.log_prob(0) += c * lp_scratch;
      result.grad_loc.col(0) += c * gl_scratch;
      result.grad_action.col(0) += c * ga_scratch;
      result.grad_param += c * gp_scratch;
    }
  }
  std::sort(errors.begin(), errors.end(),
            [](const SampleError& a, const SampleError& b) { return a.sample < b.sample; });
  result.errors = std::move(errors);
  return result;
}

}  // namespace scorebench
