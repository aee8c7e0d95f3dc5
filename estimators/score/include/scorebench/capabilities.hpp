#pragma once
// What the suite knows about a method, asked of the method itself
// (Method::capabilities()) instead of recognised by its name.

#include <string>

#include "scorebench/cost_model.hpp"
#include "scorebench/parameterization.hpp"

namespace scorebench {

// How a method's arithmetic runs, which sets the error bound the gate holds
// it to (verification/README.md, "Bounds"): closed forms in the parameter's
// own factor, or through the formed Σ and a chain rule back. A method that
// does not say is held to the loosest bound (unknown).
enum class ArithmeticRoute { unknown, own_factor, through_sigma };

// What the suite needs to know about a method, asked of the method (never by
// comparing its name).
struct Capabilities {
  bool available = true;
  std::string unavailable_reason;                              // why, when not available in this build
  bool requires_noise = false;                                 // reads `noise` instead of `action`
  ArithmeticRoute route = ArithmeticRoute::unknown;            // scale_tril, scale_diag
  ArithmeticRoute symmetric_route = ArithmeticRoute::unknown;  // covariance_matrix, precision_matrix
  // Forward-mode AD: every intermediate carries the derivatives with respect
  // to every input, so one sample needs O(d⁴) memory and O(d⁵) time for a
  // matrix parameter (resources.hpp); the gate caps its dimension.
  bool carries_every_derivative = false;
  CostModel cost;  // its flop model (cost_model.hpp)

  ArithmeticRoute route_for(Parameterization p) const { return is_symmetric(p) ? symmetric_route : route; }
};

}  // namespace scorebench
