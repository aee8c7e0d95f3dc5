#pragma once
// `analytic`: closed forms in the parameterization's own factor with the
// cheapest algebra (DESIGN §5), and whole-batch matrix shapes for a shared
// parameter. The formulas, stated plainly, are the reference kernel
// (analytic_reference.hpp), which shares no computing code with this one.
//
// Where each batch goes (every path is counted by kernels/path_coverage.hpp):
//
//   parameter   layout       op          path
//   scale_tril  per-sample   grads, sum  analytic/scale_tril_samples.hpp (lanes ≤ d 64, fixed-size d)
//   Σ, Λ        per-sample   grads, sum  analytic/spd_samples.hpp (lanes; potri one at a time)
//   any         shared       grads, sum  analytic/shared_batch.hpp (matrix shapes, threaded)
//   scale_tril  shared + a failing sample   the fixed-size kernels, sample by sample
//   scale_diag, shared Σ/Λ + a failing sample   factor.hpp's sample()
//
// in float and double; the lanes are those of the build's SIMD width.

#include <vector>

#include "scorebench/kernel.hpp"
#include "scorebench/kernel_driver.hpp"
#include "scorebench/methods/analytic/factor.hpp"
#include "scorebench/methods/analytic/scale_tril_samples.hpp"
#include "scorebench/methods/analytic/shared_batch.hpp"
#include "scorebench/methods/analytic/spd_samples.hpp"

namespace scorebench {

template <typename T>
struct AnalyticKernel {
  using Scalar = T;
  using Factor = analytic::Factor<T>;
  using Workspace = analytic::Workspace<T>;
  static constexpr bool requires_noise = false;
  // checked_chunk, chunk, shared_batch, writes_every_output
  static constexpr KernelPaths paths{true, true, true, true};

  static std::optional<std::string> factor(Parameterization p, const ConstMatRef<T>& a, Factor& f) {
    return analytic::factor<T>(p, a, f);
  }

  static void sample(Parameterization p, const Factor& f, const SampleInput<T>& in, SampleOutput<T>& out,
                     Workspace& ws) {
    analytic::sample<T>(p, f, in, out, ws);
  }

  // Per-sample scale_tril, checked here sample by sample.
  static bool checked_chunk(Parameterization p, const Factor* shared, const Batch<T>& batch,
                            const Request<T>& request, Index b0, Index b1, const char* failed, Result<T>& out,
                            std::vector<SampleError>& errors) {
    if (p != Parameterization::scale_tril || shared || batch.action.size() == 0) return false;
    analytic::scale_tril_samples<T>(batch, request, b0, b1, failed, out, errors);
    return true;
  }

  // scale_tril with a shared L in a batch with a failing sample (a
  // per-sample L is checked_chunk's), and per-sample Σ or Λ; the rest goes
  // to the per-sample loop.
  static bool chunk(Parameterization p, const Factor* shared, const Batch<T>& batch,
                    const Request<T>& request, Index b0, Index b1, char* valid, Result<T>& out,
                    std::vector<SampleError>& errors) {
    if (p == Parameterization::scale_tril && shared) {
      analytic::scale_tril_shared_chunk<T>(*shared, batch, request, b0, b1, valid, out);
      return true;
    }
    if (is_symmetric(p) && !shared) {
      analytic::spd_chunk<T>(p, batch, request, b0, b1, valid, out, errors);
      return true;
    }
    return false;
  }

  static void shared_batch(Parameterization p, const Factor& f, const Batch<T>& batch,
                           const Request<T>& request, Result<T>& res) {
    analytic::shared_batch<T>(p, f, batch, request, res);
  }
};

}  // namespace scorebench
