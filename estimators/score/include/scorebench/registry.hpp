#pragma once
// The methods that exist, by name, in registration order. The built-in six
// are registered on first use of registry(); a user adds their own with
// registry().add(std::make_unique<MyMethod>()).

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "scorebench/method.hpp"

namespace scorebench {

class Registry {
 public:
  // Throws std::invalid_argument if a method of that name exists.
  void add(std::unique_ptr<Method> method);
  // nullptr when unknown.
  const Method* find(std::string_view name) const;
  // Throws std::invalid_argument naming the known methods when unknown.
  const Method& get(std::string_view name) const;
  std::vector<const Method*> methods() const;
  std::vector<std::string> names() const;

 private:
  std::vector<std::unique_ptr<Method>> methods_;
};

// The process-wide registry, with the built-in methods.
Registry& registry();

// The built-in method names, in DESIGN §2 order.
const std::vector<std::string>& builtin_method_names();

}  // namespace scorebench
