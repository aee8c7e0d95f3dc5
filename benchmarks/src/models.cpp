#include "models.hpp"

#include <cmath>
#include <sstream>

#include "scorebench/benchmark_name.hpp"
#include "scorebench/registry.hpp"

namespace scorebench::bench {
namespace {

using P = Parameterization;

// The method's cost model (its Capabilities), or the default of a method
// the registry does not know.
CostModel cost_model(const std::string& method) {
  const Method* m = registry().find(method);
  return m ? m->capabilities().cost : CostModel{};
}

FlopCount flops(const CostModel& model, P p, double x) {
  if (model.flops) return model.flops(p, x);
  return {x * x * x, 5 * x * x};  // a user method: counted like cholesky_solve's covariance
}

double block(P p, double x) { return is_matrix(p) ? x * x : x; }

}  // namespace

std::string benchmark_name(const Config& c) {
  return score_benchmark_name(score_case(c.method, c.parameterization, c.sharing == Sharing::shared,
                                         c.sum ? Output::sum : Output::grads, c.f32, c.d, c.batch,
                                         c.threads));
}

double model_flops(const Config& c) {
  const double x = static_cast<double>(c.d), b = static_cast<double>(c.batch);
  const CostModel model = cost_model(c.method);
  const FlopCount k = flops(model, c.parameterization, x);
  const bool shared = c.sharing == Sharing::shared;
  const double params = shared && !(model.shared_param_per_sample_for_grads && !c.sum) ? 1 : b;
  double per_sample = k.per_sample, per_param = k.per_param;
  if (c.sum) {
    const bool matrix_shape = model.shared_sum_in_matrix_shapes && shared && is_matrix(c.parameterization);
    if (matrix_shape && c.parameterization == P::scale_tril) {
      // E = L⁻¹R (d² per column) and the lower triangle of E diag(c) Eᵀ
      // (d(d+1) per column); W = L⁻ᵀE is never formed, L⁻ᵀ is applied to the
      // d×d total once (d³)
      per_sample = x * x + x * (x + 1) + 5 * x;
      per_param += x * x * x;
    } else if (matrix_shape) {
      // the block gradient becomes the lower triangle of one product: d(d+1) per column
      const double block_grad = c.parameterization == P::scale_tril ? x * x / 2 : 3 * x * x;
      per_sample += x * (x + 1) - block_grad;
    } else {
      per_sample += 2 * block(c.parameterization, x);
    }
  }
  return params * per_param + b * per_sample;
}

double model_bytes(const Config& c) {
  const double x = static_cast<double>(c.d), b = static_cast<double>(c.batch);
  const double params = c.sharing == Sharing::shared ? 1 : b;
  const double blk = block(c.parameterization, x);
  double words = b * 2 * x + params * blk;
  words += c.sum ? (2 * x + 1 + blk + b) : b * (2 * x + 1 + blk);
  return words * (c.f32 ? 4 : 8);
}

double model_exponent(const Config& c) {
  Config lo = c, hi = c;
  lo.d = 1024;
  hi.d = 2048;
  return std::log2(model_flops(hi) / model_flops(lo));
}

std::string cap_reason(const Config& c) {
  const double x = static_cast<double>(c.d), b = static_cast<double>(c.batch);
  if (is_matrix(c.parameterization) && c.sharing == Sharing::per_sample && x * x * b > double(1 << 26))
    return "memory: per-sample d×d blocks over 2^26 entries (512 MiB in f64)";
  // The method's rough sustained rate, to keep one iteration under ~1 s.
  const CostModel model = cost_model(c.method);
  double seconds = model_flops(c) / model.sustained_flops_per_second;
  if (model.extra_cubic_per_sample_at > 0 && is_matrix(c.parameterization))
    seconds += x * x * x * b / model.extra_cubic_per_sample_at;
  if (seconds > 1.0) {
    std::ostringstream s;
    s.precision(2);
    s << "time: about " << seconds << " s per call by the flop model";
    return s.str();
  }
  return {};
}

}  // namespace scorebench::bench
