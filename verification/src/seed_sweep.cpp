#include "scorebench/verification/seed_sweep.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace scorebench::verification {

size_t SeedSweepReport::violations() const {
  size_t n = 0;
  for (const SeedSummary& s : seeds) n += s.violations.size();
  return n;
}

size_t SeedSweepReport::gated_blocks() const {
  size_t n = 0;
  for (const SeedSummary& s : seeds) n += s.gated_blocks;
  return n;
}

std::string reproduce_command(const std::string& method, const std::string& case_id) {
  return "scorebench verify --method " + method + " --case " + case_id;
}

SeedSweepReport run_seed_sweep(const VerifyOptions& options, const std::vector<const Method*>& methods,
                               std::uint64_t first, std::uint64_t last,
                               const std::function<void(const SeedSummary&)>& on_seed) {
  const auto start = std::chrono::steady_clock::now();
  SeedSweepReport out;
  out.sweep = options.sweep;
  out.first = first;
  out.last = last;
  std::map<std::pair<std::string, std::string>, std::vector<double>> ratios;
  for (std::uint64_t seed = first;; ++seed) {
    VerifyOptions o = options;
    o.seed = seed;
    const VerifyReport r = run_verification(o, methods);
    SeedSummary s;
    s.seed = seed;
    s.cases = r.cases.size();
    s.evaluations = r.evaluations.size();
    // A reference that disagrees with the oracle fails the seed as well.
    for (const ReferenceCheck& rc : r.reference_checks)
      for (const std::string& v : reference_violations(r.cases[rc.case_index], rc)) s.violations.push_back(v);
    for (const Evaluation& e : r.evaluations) {
      const CaseInfo& c = r.cases[e.case_index];
      if (e.status == Status::violation)
        s.violations.push_back(e.message + "\n    reproduce: " + reproduce_command(e.method, c.id));
      if (!e.promised) continue;
      auto& list = ratios[{e.method, name(c.spec.dtype)}];
      auto& stats = out.by_method_dtype[{e.method, name(c.spec.dtype)}];
      for (const BlockError& b : e.blocks) {
        ++s.gated_blocks;
        ++stats.blocks;
        const double ratio = std::isnan(b.ratio) ? INFINITY : b.ratio;
        if (!(ratio <= 1) || !b.structure.empty()) ++stats.violations;
        s.worst_ratio = std::max(s.worst_ratio, ratio);
        list.push_back(ratio);
      }
    }
    if (on_seed) on_seed(s);
    out.seeds.push_back(std::move(s));
    if (seed == last) break;
  }
  for (auto& [key, list] : ratios) {
    RatioStatistics& stats = out.by_method_dtype[key];
    if (list.empty()) continue;
    std::sort(list.begin(), list.end());
    stats.worst = list.back();
    // The smallest ratio with at least 99.9 % of the blocks at or below it.
    const size_t rank = static_cast<size_t>(std::ceil(0.999 * static_cast<double>(list.size())));
    stats.p999 = list[std::max<size_t>(rank, 1) - 1];
  }
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

std::vector<MutantMargin> run_mutant_seed_sweep(const VerifyOptions& options,
                                                const std::vector<const Method*>& mutants,
                                                std::uint64_t first, std::uint64_t last) {
  std::vector<MutantMargin> out(mutants.size());
  for (size_t i = 0; i < mutants.size(); ++i) out[i].name = mutants[i]->name();
  for (std::uint64_t seed = first;; ++seed) {
    VerifyOptions o = options;
    o.seed = seed;
    const std::vector<MutantResult> results = run_mutants(o, mutants);
    for (size_t i = 0; i < results.size(); ++i) {
      MutantMargin& m = out[i];
      ++m.seeds;
      if (!results[i].killed) {
        m.survived_seeds.push_back(seed);
        continue;
      }
      ++m.killed;
      if (results[i].margin < m.smallest_margin || m.killed == 1) {
        m.smallest_margin = results[i].margin;
        m.seed_of_smallest = seed;
        m.case_of_smallest = results[i].case_id;
        m.blocks_of_smallest = results[i].blocks;
      }
    }
    if (seed == last) break;
  }
  return out;
}

}  // namespace scorebench::verification
