#pragma once
// The mutant catalogue: wrong implementations of the score, each a plausible
// real bug, that the gate must reject. They are ordinary Methods kept in
// their own list (never in the global registry), so the gate runs them
// exactly as it runs the real methods.

#include <memory>
#include <vector>

#include "scorebench/method.hpp"

namespace scorebench::verification {

// Every mutant, in catalogue order; summary() says what bug it carries.
std::vector<std::unique_ptr<Method>> mutant_catalogue();

}  // namespace scorebench::verification
