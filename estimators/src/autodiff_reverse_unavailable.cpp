// Built when libtorch is not found: the method exists, says why it cannot
// run, and refuses to evaluate.

#include <stdexcept>

#include "scorebench/methods/autodiff_reverse.hpp"

namespace scorebench {
namespace {

class AutodiffReverseUnavailable : public Method {
 public:
  std::string name() const override { return "autodiff_reverse"; }
  std::string summary() const override { return "reverse-mode AD with libtorch autograd (not built)"; }
  Capabilities capabilities() const override {
    Capabilities c;
    c.available = false;
    c.unavailable_reason = "scorebench was built without libtorch (install libtorch-dev and reconfigure)";
    return c;
  }
  Result<double> evaluate(const Batch<double>&, const Request<double>&) const override { fail(); }
  Result<float> evaluate(const Batch<float>&, const Request<float>&) const override { fail(); }

 private:
  [[noreturn]] void fail() const {
    throw std::runtime_error("method autodiff_reverse is unavailable: " + capabilities().unavailable_reason);
  }
};

}  // namespace

std::unique_ptr<Method> make_autodiff_reverse() { return std::make_unique<AutodiffReverseUnavailable>(); }

}  // namespace scorebench
