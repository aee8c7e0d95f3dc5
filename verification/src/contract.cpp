#include "scorebench/verification/contract.hpp"

#include <algorithm>
#include <cmath>

#include "scorebench/registry.hpp"

namespace scorebench::verification {

double AccuracyContract::unit_bound(Parameterization p, Block b, const BoundShape& s) const {
  const RoundingCount n = rounding_count(route, p, b);
  const double d = static_cast<double>(s.dim);
  const double amplified = n.kappa_per_d * d + n.kappa_const + static_cast<double>(s.summed);
  return c * s.unit_roundoff *
         (amplified * std::pow(s.kappa, kappa_power(p)) + n.final_per_d * d + n.final_const);
}

double AccuracyContract::largest_unit_bound(Parameterization p, const BoundShape& s) const {
  double worst = 0;
  for (Block b : kAllBlocks) worst = std::max(worst, unit_bound(p, b, s));
  return worst;
}

AccuracyContract contract_for(const Capabilities& facts, Parameterization p) {
  AccuracyContract c;
  const ArithmeticRoute route = facts.route_for(p);
  if (route == ArithmeticRoute::own_factor) {
    c.route = Route::own_factor;
    c.rationale =
        "closed forms in the parameter's own factor: the residual, one factorization, triangular "
        "solves and products, every rounding counted (Higham Thms 8.5, 10.3; §3.1)";
  } else if (route == ArithmeticRoute::through_sigma) {
    c.route = Route::through_sigma;
    c.rationale =
        "routes through the formed Σ: forming, factoring or inverting Σ and the chain rule back to "
        "the parameter, every rounding counted (Higham Thms 8.5, 10.3; §14.1-14.3)";
  } else {
    c.route = Route::unknown;
    c.rationale = "a method of unknown route: the counts of the routes through Σ, κ amplifying every block";
  }
  return c;
}

AccuracyContract contract_for(std::string_view method, Parameterization p) {
  const Method* m = registry().find(method);
  return contract_for(m ? m->capabilities() : Capabilities{}, p);
}

}  // namespace scorebench::verification
