#pragma once
// The child's side of scorebench.external/1 for a C++ method: serve(method)
// says hello and answers requests on stdin/stdout until stdin ends, so that
// a user's Method is checked and timed by `scorebench verify --external` and
// `scorebench time --external` in a few lines:
//
//   int main() { return scorebench::verification::serve(my_method, {"my_method"}); }

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "scorebench/method.hpp"
#include "scorebench/verification/contract.hpp"

namespace scorebench::verification {

struct ServeOptions {
  std::string name;  // the hello's name ([A-Za-z0-9_.-]+); default: method.name()
  std::vector<Parameterization> parameterizations{kAllParameterizations.begin(), kAllParameterizations.end()};
  bool f64 = true, f32 = true;
  bool per_sample = true, shared = true;
  std::optional<AccuracyContract> contract;  // none: the gate's default (route unknown)
};

// Returns 0 when the input ended, 1 when it could not write. A request it
// cannot read is answered with an error (and the loop goes on).
int serve(const Method& method, const ServeOptions& options, std::istream& in, std::ostream& out);
int serve(const Method& method, const ServeOptions& options = {});

}  // namespace scorebench::verification
