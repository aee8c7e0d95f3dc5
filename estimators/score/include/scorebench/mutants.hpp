#pragma once
// The mutant catalogue: wrong implementations of the score, each a plausible
// real bug, that a gate must reject. They are ordinary Methods kept in their
// own list (never in the registry), so that a gate runs them exactly as it
// runs the real methods: the verification gate (`verify --mutants`) and the
// Monte Carlo gate (its power, estimators/mc) draw on this one catalogue.
// Every name begins with "mutant:".

#include <memory>
#include <string_view>
#include <vector>

#include "scorebench/method.hpp"

namespace scorebench {

// Every mutant, in catalogue order, as new instances; summary() says what
// bug it carries.
std::vector<std::unique_ptr<Method>> mutant_catalogue();

// The mutant of that name in a process-wide instance of the catalogue, or
// nullptr.
const Method* find_mutant(std::string_view name);

}  // namespace scorebench
