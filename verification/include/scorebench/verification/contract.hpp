#pragma once
// A method's accuracy contract: the route class whose roundings its bound
// counts (rounding_model.hpp), a multiplier c of that count (1 for a route
// analysed as it is implemented), and the range of κ over which it promises
// anything. Within the promise the gate holds the method to the bound
// (accuracy.hpp); outside it the errors are still measured and reported
// (where a method's accuracy collapses is a finding), but not gated. Nothing
// is promised where the bound itself exceeds kMaxPromisedError: a gradient
// with no correct digit cannot be held to a digit count.
//
// Methods without a declared contract (a user method added to the registry)
// are held to Route::unknown, c = 1, every κ.

#include <string>
#include <string_view>

#include "scorebench/eigen_types.hpp"
#include "scorebench/method.hpp"
#include "scorebench/parameterization.hpp"
#include "scorebench/verification/rounding_model.hpp"

namespace scorebench::verification {

inline constexpr double kMaxPromisedError = 1e-2;

// The shape of an evaluation that the bound depends on.
struct BoundShape {
  Index dim = 1;
  double kappa = 1;  // κ(Σ) of the stored parameters
  double unit_roundoff = 0x1p-53;
  Index summed = 0;  // B for a weighted sum over B samples, 0 for per-sample gradients
};

struct AccuracyContract {
  Route route = Route::unknown;
  double c = 1;
  double kappa_max = 1e12;  // largest prescribed κ covered
  std::string rationale;

  double kappa_power(Parameterization p) const { return verification::kappa_power(route, p); }
  // c · u · [(a·d + b + B)·κ^p + e·d + f], the block's bound before ρ.
  double unit_bound(Parameterization p, Block b, const BoundShape& s) const;
  // The largest unit bound of the four blocks.
  double largest_unit_bound(Parameterization p, const BoundShape& s) const;
  bool promises(Parameterization p, double prescribed_kappa, const BoundShape& s) const {
    return prescribed_kappa <= kappa_max && largest_unit_bound(p, s) <= kMaxPromisedError;
  }
};

// The contract of a method whose capabilities are `facts`: the route it
// states (Capabilities::route_for), its counts, and the rationale.
AccuracyContract contract_for(const Capabilities& facts, Parameterization p);
// The same for a method named in a report: a registered method's facts, else
// the route unknown.
AccuracyContract contract_for(std::string_view method, Parameterization p);

}  // namespace scorebench::verification
