#include "scorebench/mc/find_method.hpp"

#include <stdexcept>
#include <string>

#include "scorebench/mutants.hpp"
#include "scorebench/registry.hpp"

namespace scorebench::mc {

const Method& find_method(std::string_view method_name) {
  if (const Method* m = registry().find(method_name)) return *m;
  if (const Method* m = find_mutant(method_name)) return *m;
  std::string mutants;
  for (const auto& m : mutant_catalogue()) mutants += (mutants.empty() ? "" : ", ") + m->name();
  std::string known;
  for (const auto& n : registry().names()) known += (known.empty() ? "" : ", ") + n;
  throw std::invalid_argument("unknown method '" + std::string(method_name) + "' (registry: " + known +
                              "; mutants: " + mutants + ")");
}

}  // namespace scorebench::mc
