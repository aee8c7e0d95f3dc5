#pragma once
// A method: one competing implementation of the score, for every
// parameterization, float and double, shared or per-sample parameters, and
// per-sample gradients or the weighted batch sum. Methods are looked up by
// name in the registry (registry.hpp); a user method derives from Method, or
// wraps a kernel with KernelMethod, and is then verified and benchmarked like
// the built-in ones.

#include <string>
#include <vector>

#include "scorebench/batch.hpp"
#include "scorebench/capabilities.hpp"
#include "scorebench/kernel_driver.hpp"
#include "scorebench/parameterization.hpp"
#include "scorebench/result.hpp"

namespace scorebench {

class Method {
 public:
  virtual ~Method() = default;
  virtual std::string name() const = 0;
  virtual std::string summary() const = 0;
  virtual Capabilities capabilities() const { return {}; }

  // Shape errors throw std::invalid_argument; a shared parameter that cannot
  // be used throws std::domain_error; per-sample value errors are reported in
  // Result::errors while the other samples are computed.
  virtual Result<double> evaluate(const Batch<double>& batch, const Request<double>& request) const = 0;
  virtual Result<float> evaluate(const Batch<float>& batch, const Request<float>& request) const = 0;

  // The same result written into `out`, whose storage a method may reuse
  // when its size fits (a d×d×B gradient need not be allocated and paged in
  // again for every batch). Same errors as evaluate().
  virtual void evaluate_into(const Batch<double>& batch, const Request<double>& request,
                             Result<double>& out) const {
    out = evaluate(batch, request);
  }
  virtual void evaluate_into(const Batch<float>& batch, const Request<float>& request,
                             Result<float>& out) const {
    out = evaluate(batch, request);
  }
};

// A method made of a kernel template (see kernel.hpp), instantiated for float
// and double and run by the batch driver.
template <template <typename> class Kernel>
class KernelMethod : public Method {
 public:
  // `facts`: the route and memory facts of Capabilities; requires_noise is
  // the kernel's.
  KernelMethod(std::string name, std::string summary, Capabilities facts = {})
      : name_(std::move(name)), summary_(std::move(summary)), facts_(std::move(facts)) {
    facts_.requires_noise = Kernel<double>::requires_noise;
  }

  std::string name() const override { return name_; }
  std::string summary() const override { return summary_; }
  Capabilities capabilities() const override { return facts_; }
  Result<double> evaluate(const Batch<double>& batch, const Request<double>& request) const override {
    return run_kernel<Kernel<double>>(name_, batch, request);
  }
  Result<float> evaluate(const Batch<float>& batch, const Request<float>& request) const override {
    return run_kernel<Kernel<float>>(name_, batch, request);
  }
  void evaluate_into(const Batch<double>& batch, const Request<double>& request,
                     Result<double>& out) const override {
    run_kernel_into<Kernel<double>>(name_, batch, request, out);
  }
  void evaluate_into(const Batch<float>& batch, const Request<float>& request,
                     Result<float>& out) const override {
    run_kernel_into<Kernel<float>>(name_, batch, request, out);
  }

 private:
  std::string name_, summary_;
  Capabilities facts_;
};

}  // namespace scorebench
