#include "models.hpp"

#include <cmath>
#include <sstream>

#include "scorebench/benchmark_name.hpp"

namespace scorebench::bench {
namespace {

using P = Parameterization;

struct Cost {
  double per_param = 0;   // per distinct parameter block
  double per_sample = 0;  // per sample, before the sum's accumulation
};

// The unit costs and per-method counts of models.hpp.
Cost cost(const std::string& m, P p, double x) {
  const double x2 = x * x, x3 = x2 * x;
  if (m == "analytic") switch (p) {
      case P::scale_tril: return {2 * x, 2 * x2 + x2 / 2 + 5 * x};
      case P::covariance_matrix: return {x3, 5 * x2 + 5 * x};
      case P::precision_matrix: return {x3, 6 * x2 + 5 * x};
      case P::scale_diag: return {2 * x, 8 * x};
    }
  if (m == "explicit_inverse") switch (p) {
      case P::scale_tril: return {4 * x3, 5 * x2 + 2 * x3};
      case P::covariance_matrix: return {x3 / 3 + 2 * x3, 5 * x2};
      case P::precision_matrix: return {x3 / 3 + 4 * x3, 5 * x2 + 4 * x3};
      case P::scale_diag: return {2 * x3, 2 * x2 + 4 * x};
    }
  if (m == "cholesky_solve") switch (p) {
      case P::scale_tril: return {3 * x3, 5 * x2 + 2 * x3};
      case P::covariance_matrix: return {x3, 5 * x2};
      case P::precision_matrix: return {7 * x3 / 3, 5 * x2 + 4 * x3};
      case P::scale_diag: return {2 * x3 / 3, 2 * x2 + 4 * x};
    }
  if (m == "autodiff_forward") {
    const double free = is_matrix(p) ? x * (x + 1) / 2 : x;
    const double directions = 2 * x + free + 1;
    const double scalar = p == P::scale_tril ? x2 : p == P::scale_diag ? 3 * x : x3 / 3 + x2;
    return {is_symmetric(p) ? x3 / 3 : 0.0, directions * scalar};
  }
  if (m == "autodiff_reverse") switch (p) {
      case P::scale_tril: return {0, 3 * x2 + 10 * x};
      case P::covariance_matrix: return {4 * x3 / 3 + x3 / 3, 3 * x2 + 10 * x};
      case P::precision_matrix: return {4 * x3 + x3 / 3, 3 * x2 + 10 * x};
      case P::scale_diag: return {0, 12 * x};
    }
  if (m == "reparameterization") switch (p) {
      case P::scale_tril: return {2 * x, x2 + x2 / 2 + 3 * x};
      case P::covariance_matrix: return {x3, 4 * x2 + 3 * x};
      case P::precision_matrix: return {4 * x3 / 3, 5 * x2 + 3 * x};
      case P::scale_diag: return {2 * x, 6 * x};
    }
  return {x3, 5 * x2};  // a user method: counted like cholesky_solve's covariance
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
  const Cost k = cost(c.method, c.parameterization, x);
  const bool shared = c.sharing == Sharing::shared;
  // libtorch clones a shared parameter per sample for per-sample gradients.
  const double params = shared && !(c.method == "autodiff_reverse" && !c.sum) ? 1 : b;
  double per_sample = k.per_sample, per_param = k.per_param;
  if (c.sum) {
    const bool matrix_shape = c.method == "analytic" && shared && is_matrix(c.parameterization);
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
  // Rough sustained rates (flop/s) of each method, to keep one iteration under ~1 s.
  double rate = 2e9;
  if (c.method == "autodiff_forward") rate = 3e7;  // one heap-allocated derivative vector per operation
  if (c.method == "autodiff_reverse") rate = 3e8;
  double seconds = model_flops(c) / rate;
  // libtorch's batched triangular solve and its backward grow like d³ per
  // sample (measured: 0.68 s at d = 64, 11.9 s at d = 128 for B = 4096).
  if (c.method == "autodiff_reverse" && is_matrix(c.parameterization)) seconds += x * x * x * b / 2e9;
  if (seconds > 1.0) {
    std::ostringstream s;
    s.precision(2);
    s << "time: about " << seconds << " s per call by the flop model";
    return s.str();
  }
  return {};
}

}  // namespace scorebench::bench
