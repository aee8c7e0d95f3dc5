#pragma once
// A method that states its own scope and accuracy contract instead of being
// known to scorebench by name: an external implementation does so in its
// hello (external_method.hpp). The gate runs it only on the
// parameterizations, dtypes and modes it covers, holds it to the contract it
// declares, and reports where it came from.

#include <string>

#include "scorebench/method.hpp"
#include "scorebench/verification/case_generator.hpp"
#include "scorebench/verification/contract.hpp"
#include "scorebench/verification/reference.hpp"

namespace scorebench::verification {

class DeclaringMethod : public Method {
 public:
  virtual bool covers(Parameterization p, Dtype dtype, const Mode& mode) const = 0;
  virtual AccuracyContract contract(Parameterization p) const = 0;
  // How the method was run, for the reports: "external: COMMAND".
  virtual std::string origin() const = 0;
};

// The contract the gate holds `m` to: its declared one, else contract_for().
inline AccuracyContract contract_of(const Method& m, Parameterization p) {
  if (const auto* d = dynamic_cast<const DeclaringMethod*>(&m)) return d->contract(p);
  return contract_for(m.capabilities(), p);
}

inline bool covers(const Method& m, Parameterization p, Dtype dtype, const Mode& mode) {
  const auto* d = dynamic_cast<const DeclaringMethod*>(&m);
  return d == nullptr || d->covers(p, dtype, mode);
}

}  // namespace scorebench::verification
