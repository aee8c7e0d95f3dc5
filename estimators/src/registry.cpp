#include "scorebench/registry.hpp"

#include <stdexcept>

#include "scorebench/methods/analytic.hpp"
#include "scorebench/methods/autodiff_forward.hpp"
#include "scorebench/methods/autodiff_reverse.hpp"
#include "scorebench/methods/cholesky_solve.hpp"
#include "scorebench/methods/explicit_inverse.hpp"
#include "scorebench/methods/reparameterization.hpp"

namespace scorebench {

void Registry::add(std::unique_ptr<Method> method) {
  if (!method) throw std::invalid_argument("Registry::add: method is null");
  if (find(method->name()))
    throw std::invalid_argument("Registry::add: a method named '" + method->name() +
                                "' is already registered");
  methods_.push_back(std::move(method));
}

const Method* Registry::find(std::string_view name) const {
  for (const auto& m : methods_)
    if (m->name() == name) return m.get();
  return nullptr;
}

const Method& Registry::get(std::string_view name) const {
  if (const Method* m = find(name)) return *m;
  std::string known;
  for (const auto& n : names()) known += (known.empty() ? "" : ", ") + n;
  throw std::invalid_argument("unknown method '" + std::string(name) + "' (known: " + known + ")");
}

std::vector<const Method*> Registry::methods() const {
  std::vector<const Method*> out;
  for (const auto& m : methods_) out.push_back(m.get());
  return out;
}

std::vector<std::string> Registry::names() const {
  std::vector<std::string> out;
  for (const auto& m : methods_) out.push_back(m->name());
  return out;
}

const std::vector<std::string>& builtin_method_names() {
  static const std::vector<std::string> names = {"analytic",         "explicit_inverse",
                                                 "cholesky_solve",   "autodiff_forward",
                                                 "autodiff_reverse", "reparameterization"};
  return names;
}

Registry& registry() {
  static Registry* r = [] {
    auto* reg = new Registry;
    reg->add(std::make_unique<KernelMethod<AnalyticKernel>>(
        "analytic",
        "closed forms in the parameterization's own factor; matrix shapes for a shared parameter"));
    reg->add(std::make_unique<KernelMethod<ExplicitInverseKernel>>(
        "explicit_inverse", "form Σ, LU inverse, log det from the LU, chain rule"));
    reg->add(std::make_unique<KernelMethod<CholeskySolveKernel>>(
        "cholesky_solve", "form Σ, Cholesky, triangular solves, Σ⁻¹ from the factor, chain rule"));
    reg->add(std::make_unique<KernelMethod<AutodiffForwardKernel>>(
        "autodiff_forward", "forward-mode AD (Eigen AutoDiffScalar) through the generic log-density"));
    reg->add(make_autodiff_reverse());
    reg->add(std::make_unique<KernelMethod<ReparameterizationKernel>>(
        "reparameterization", "the score from the noise: w = L⁻ᵀε with no first solve"));
    return reg;
  }();
  return *r;
}

}  // namespace scorebench
