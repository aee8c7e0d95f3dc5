// The registered `autodiff_reverse`: a stand-in that loads the libtorch
// module at the first evaluation and forwards to the method it makes, so
// that libtorch costs nothing to a process that does not use it.

#include <memory>
#include <mutex>
#include <stdexcept>

#include "scorebench/methods/autodiff_reverse.hpp"
#include "scorebench/torch_module.hpp"

namespace scorebench {
namespace {

using P = Parameterization;

// The forward graph plus a backward of about twice it.
FlopCount autodiff_reverse_flops(P p, double x) {
  const double x2 = x * x, x3 = x2 * x;
  switch (p) {
    case P::scale_tril: return {0, 3 * x2 + 10 * x};
    case P::covariance_matrix: return {4 * x3 / 3 + x3 / 3, 3 * x2 + 10 * x};
    case P::precision_matrix: return {4 * x3 + x3 / 3, 3 * x2 + 10 * x};
    case P::scale_diag: return {0, 12 * x};
  }
  return {};
}

class AutodiffReverseLazy : public Method {
 public:
  std::string name() const override { return "autodiff_reverse"; }
  std::string summary() const override {
    return torch_module_built() ? kAutodiffReverseSummary
                                : "reverse-mode AD with libtorch autograd (not built)";
  }
  // Available when the module's file is there; loading it is left to the
  // first evaluation (a load failure then throws, naming the file).
  Capabilities capabilities() const override {
    Capabilities c;
    // libtorch forms Σ = L Lᵀ (or Λ⁻¹, σ²) and differentiates back through it.
    c.route = c.symmetric_route = ArithmeticRoute::through_sigma;
    c.cost.flops = autodiff_reverse_flops;
    c.cost.shared_param_per_sample_for_grads = true;  // clones a shared parameter per sample
    c.cost.sustained_flops_per_second = 3e8;
    // its batched triangular solve and backward grow like d³ per sample
    // (measured: 0.68 s at d = 64, 11.9 s at d = 128 for B = 4096)
    c.cost.extra_cubic_per_sample_at = 2e9;
    if (!torch_module_built()) {
      c.available = false;
      c.unavailable_reason = "scorebench was built without libtorch (install libtorch-dev and reconfigure)";
    } else if (torch_module_path().empty()) {
      c.available = false;
      c.unavailable_reason =
          "its libtorch module libscorebench_torch.so is neither in the build tree nor installed "
          "(set SCOREBENCH_TORCH_MODULE to its path)";
    }
    return c;
  }
  Result<double> evaluate(const Batch<double>& b, const Request<double>& r) const override {
    return method().evaluate(b, r);
  }
  Result<float> evaluate(const Batch<float>& b, const Request<float>& r) const override {
    return method().evaluate(b, r);
  }
  void evaluate_into(const Batch<double>& b, const Request<double>& r, Result<double>& out) const override {
    method().evaluate_into(b, r, out);
  }
  void evaluate_into(const Batch<float>& b, const Request<float>& r, Result<float>& out) const override {
    method().evaluate_into(b, r, out);
  }

 private:
  const Method& method() const {
    std::call_once(once_, [this] {
      try {
        real_.reset(torch_module().make_method());
      } catch (const std::runtime_error& e) {
        error_ = e.what();
      }
    });
    if (!real_) throw std::runtime_error("method autodiff_reverse is unavailable: " + error_);
    return *real_;
  }
  mutable std::once_flag once_;
  mutable std::unique_ptr<Method> real_;
  mutable std::string error_;
};

}  // namespace

std::unique_ptr<Method> make_autodiff_reverse() { return std::make_unique<AutodiffReverseLazy>(); }

}  // namespace scorebench
