#pragma once
// The gate's outputs: the console tables, the JSON document (schema in
// verification/README.md) and JUnit XML for CI systems.

#include <iosfwd>
#include <nlohmann/json.hpp>
#include <vector>

#include "scorebench/verification/gate.hpp"
#include "scorebench/verification/seed_sweep.hpp"

namespace scorebench::verification {

// Worst error/bound per method × parameterization × κ for each dtype; the
// double checks' worst relative error per κ; the oracle's fewest digits.
void print_tables(std::ostream& out, const VerifyReport& report);
// Worst error/bound per method × κ (over parameterizations) for one dtype.
void print_method_kappa_table(std::ostream& out, const VerifyReport& report, Dtype dtype);
void print_mutant_table(std::ostream& out, const std::vector<MutantResult>& mutants);

nlohmann::ordered_json to_json(const VerifyReport& report, const std::vector<MutantResult>* mutants);

// A seed sweep (verify --seeds), schema scorebench.verify_seeds/1.
nlohmann::ordered_json to_json(const SeedSweepReport& sweep);
void write_junit(std::ostream& out, const VerifyReport& report, const std::vector<MutantResult>* mutants);

}  // namespace scorebench::verification
