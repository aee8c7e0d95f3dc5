#pragma once
// The score method a Monte Carlo estimator draws on, by name: a method of the
// registry, or a mutant of the shared catalogue (scorebench/mutants.hpp:
// e.g. mutant:misnormalised_density, mutant:constant_variance), whose
// rejection shows the statistical gate's power.

#include <string_view>

#include "scorebench/method.hpp"

namespace scorebench::mc {

// Throws std::invalid_argument naming the registry's methods and the
// catalogue's mutants when the name is neither.
const Method& find_method(std::string_view name);

}  // namespace scorebench::mc
