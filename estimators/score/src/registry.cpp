#include "scorebench/registry.hpp"

#include <stdexcept>

#include "builtin_methods.hpp"
#include "scorebench/methods/autodiff_reverse.hpp"

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
    reg->add(builtin::make_analytic());
    reg->add(builtin::make_explicit_inverse());
    reg->add(builtin::make_cholesky_solve());
    reg->add(builtin::make_autodiff_forward());
    reg->add(make_autodiff_reverse());
    reg->add(builtin::make_reparameterization());
    return reg;
  }();
  return *r;
}

}  // namespace scorebench
