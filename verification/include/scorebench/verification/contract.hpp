#pragma once
// A method's accuracy contract: the constant c and power p of its bound
// c · d · κ(Σ)^p · u (accuracy.hpp), and the range of κ over which it
// promises anything. Within the promise the gate holds the method to the
// bound; outside it the errors are still measured and reported (where a
// method's accuracy collapses is a finding), but not gated. Nothing is
// promised where the bound itself exceeds kMaxPromisedError: a gradient with
// no correct digit cannot be held to a digit count.
//
// Methods without a declared contract (e.g. a user method added to the
// registry) are held to the default: c = 8, p = 1, every κ (a backward-stable
// route through Σ, contract.cpp).

#include <string>
#include <string_view>

#include "scorebench/eigen_types.hpp"
#include "scorebench/parameterization.hpp"

namespace scorebench::verification {

inline constexpr double kMaxPromisedError = 1e-2;

struct AccuracyContract {
  double c = 8;
  int kappa_power = 1;
  double kappa_max = 1e12;  // largest prescribed κ covered
  std::string rationale;

  // c · d · κ^p · u
  double unit_bound(Index d, double kappa, double u) const;
  bool promises(Index d, double prescribed_kappa, double kappa, double u) const {
    return prescribed_kappa <= kappa_max && unit_bound(d, kappa, u) <= kMaxPromisedError;
  }
};

// The contract of a built-in method for a parameterization, or the default.
AccuracyContract contract_for(std::string_view method, Parameterization p);

}  // namespace scorebench::verification
