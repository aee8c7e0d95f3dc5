// A C++ method served over scorebench.external/1 in a few lines (serve.hpp):
// a registered method, or a mutant of the catalogue, by name.
//   serve_example analytic | serve_example mutant:missing_inverse_term

#include <iostream>

#include "scorebench/mutants.hpp"
#include "scorebench/registry.hpp"
#include "scorebench/verification/serve.hpp"

int main(int argc, char** argv) {
  using namespace scorebench;
  const std::string name = argc > 1 ? argv[1] : "analytic";
  verification::ServeOptions options;
  options.name = name.rfind("mutant:", 0) == 0 ? "served_mutant" : "served_" + name;
  if (name.rfind("mutant:", 0) == 0) {
    for (const auto& m : mutant_catalogue())
      if (m->name() == name) return verification::serve(*m, options);
    std::cerr << "no mutant " << name << "\n";
    return 2;
  }
  return verification::serve(registry().get(name), options);
}
