#include "scorebench/verification/report_io.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <ostream>
#include <string>

#include "scorebench/reports/xml.hpp"

namespace scorebench::verification {

namespace {

std::string fmt(const char* f, double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, x);
  return buf;
}

std::string pad(std::string s, size_t w) {
  // Column widths count code points, not bytes (κ, ρ are two bytes).
  size_t n = 0;
  for (unsigned char ch : s) n += (ch & 0xC0) != 0x80;
  if (n < w) s.append(w - n, ' ');
  return s;
}

// Worst ratio of the promised evaluations, worst ratio beyond contract, and
// whether any violated, for one table cell.
struct Cell {
  double promised = -1, beyond = -1;
  bool violation = false, refused = false;
  void add(const Evaluation& e) {
    const double r = e.worst_ratio();
    if (e.status == Status::violation) violation = true;
    if (e.status == Status::refused) refused = true;
    if (e.promised)
      promised = std::max(promised, r);
    else if (!e.blocks.empty())
      beyond = std::max(beyond, std::isnan(r) ? INFINITY : r);
  }
  std::string text() const {
    std::string s = violation ? "!" : "";
    if (promised >= 0) return s + fmt("%.2g", promised);
    if (beyond >= 0) return s + "(" + fmt("%.2g", beyond) + ")";
    if (refused) return s + "refused";
    return s + "-";
  }
};

std::string kappa_label(double k) { return fmt("%.0e", k); }

void print_cells(std::ostream& out, const std::string& title,
                 const std::map<std::string, std::map<double, Cell>>& rows,
                 const std::vector<std::string>& order, size_t label_width) {
  out << pad(title, label_width);
  for (double k : kappa_levels()) out << pad("κ=" + kappa_label(k), 10);
  out << "\n";
  for (const std::string& row : order) {
    auto it = rows.find(row);
    if (it == rows.end()) continue;
    out << pad(row, label_width);
    for (double k : kappa_levels()) {
      auto c = it->second.find(k);
      out << pad(c == it->second.end() ? "-" : c->second.text(), 10);
    }
    out << "\n";
  }
}

}  // namespace

void print_method_kappa_table(std::ostream& out, const VerifyReport& report, Dtype dtype) {
  std::map<std::string, std::map<double, Cell>> rows;
  for (const Evaluation& e : report.evaluations) {
    const CaseInfo& c = report.cases[e.case_index];
    if (c.spec.dtype == dtype) rows[e.method][c.spec.kappa].add(e);
  }
  print_cells(out, std::string("method (") + name(dtype) + ")", rows, report.methods, 28);
}

void print_tables(std::ostream& out, const VerifyReport& report) {
  for (const auto& [method, origin] : report.origins) out << method << ": " << origin << "\n";
  out << "worst error/bound (bound = c·u·[(a·d + b + B)·κ^p + e·d + f]·ρ, the route's roundings counted; ≤ 1 "
         "within contract; (x) beyond the contract's promise, "
         "not gated; ! violation)\n";
  for (Dtype t : {Dtype::f64, Dtype::f32}) {
    std::map<std::string, std::map<double, Cell>> rows;
    std::vector<std::string> order;
    for (const std::string& m : report.methods)
      for (Parameterization p : kAllParameterizations) order.push_back(m + " " + std::string(name(p)));
    for (const Evaluation& e : report.evaluations) {
      const CaseInfo& c = report.cases[e.case_index];
      if (c.spec.dtype == t)
        rows[e.method + " " + std::string(name(c.spec.parameterization))][c.spec.kappa].add(e);
    }
    if (rows.empty()) continue;
    out << "\n";
    // Wide enough for the longest label (external.<name> covariance_matrix).
    size_t width = 40;
    for (const std::string& label : order) width = std::max(width, label.size() + 2);
    print_cells(out, std::string("method parameterization (") + name(t) + ")", rows, order,
                static_cast<int>(width));
  }
  if (!report.double_checks.empty()) {
    out << "\ndouble-precision checks, worst normwise relative error vs the 50-digit reference (not gated)\n";
    std::map<std::string, std::map<double, double>> worst;
    for (const DoubleCheckResult& r : report.double_checks) {
      double& w = worst[name(r.check)][report.cases[r.case_index].spec.kappa];
      for (double e : r.errors) w = std::max(w, std::isnan(e) ? INFINITY : e);
    }
    out << pad("check", 28);
    for (double k : kappa_levels()) out << pad("κ=" + kappa_label(k), 10);
    out << "\n";
    for (const auto& [check, by_kappa] : worst) {
      out << pad(check, 28);
      for (double k : kappa_levels()) {
        auto it = by_kappa.find(k);
        out << pad(it == by_kappa.end() ? "-" : fmt("%.1e", it->second), 10);
      }
      out << "\n";
    }
  }
  if (!report.reference_checks.empty()) {
    double fewest = 1e9;
    for (const ReferenceCheck& r : report.reference_checks)
      for (double d : r.digits) fewest = std::min(fewest, d);
    out << "\nreferences confirmed by the 50-digit oracle on " << report.reference_checks.size()
        << " cases: fewest agreeing digits " << fmt("%.1f", fewest) << " (required " << kReferenceDigits
        << ")\n";
  }
  // The built-in kernels' paths: nothing to say when only methods from
  // outside ran (their paths are not scorebench's).
  const bool builtin_ran = report.methods.size() > report.origins.size();
  if (!report.coverage.empty() && builtin_ran) {
    std::string missed;
    size_t taken = 0;
    for (const auto& [path, hits] : report.coverage) {
      if (hits > 0)
        ++taken;
      else
        missed += "\n  not exercised: " + path;
    }
    out << "\nkernel paths exercised: " << taken << " of " << report.coverage.size() << missed << "\n";
  }
  size_t skipped = 0;
  for (const CaseInfo& c : report.cases) skipped += c.skipped.has_value();
  out << "\n"
      << report.cases.size() << " cases (" << skipped << " not representable in their dtype), "
      << report.evaluations.size() << " evaluations, " << report.violations.size() << " violations, "
      << fmt("%.1f", report.seconds) << " s\n";
}

void print_mutant_table(std::ostream& out, const std::vector<MutantResult>& mutants) {
  size_t killed = 0;
  out << pad("mutant", 34) << pad("killed", 8) << pad("block", 50) << "first rejecting case\n";
  for (const MutantResult& m : mutants) {
    killed += m.killed;
    out << pad(m.name, 34) << pad(m.killed ? "yes" : "NO", 8) << pad(m.killed ? m.blocks : "-", 50)
        << (m.killed ? m.case_id + " " + m.mode
                     : "survived " + std::to_string(m.evaluations) + " evaluations")
        << "\n";
  }
  out << "kill rate " << killed << "/" << mutants.size() << "\n";
}

namespace {

nlohmann::ordered_json number(double x) {
  if (std::isfinite(x)) return x;
  return std::isnan(x) ? "nan" : (x > 0 ? "inf" : "-inf");
}

}  // namespace

namespace {
// The rounding counts a, b, e, f of each block (rounding_model.hpp).
nlohmann::ordered_json counts_json(Route route, Parameterization p) {
  nlohmann::ordered_json j;
  for (Block b : kAllBlocks) {
    const RoundingCount n = rounding_count(route, p, b);
    j[block_name(b, p)] = {
        {"a", n.kappa_per_d}, {"b", n.kappa_const}, {"e", n.final_per_d}, {"f", n.final_const}};
  }
  return j;
}
}  // namespace

nlohmann::ordered_json to_json(const VerifyReport& report, const std::vector<MutantResult>* mutants) {
  using J = nlohmann::ordered_json;
  J doc;
  doc["schema"] = "scorebench.verify/1";
  doc["sweep"] = name(report.sweep);
  doc["seed"] = report.seed;
  if (report.shard.count > 1) doc["shard"] = {{"index", report.shard.index}, {"count", report.shard.count}};
  doc["seconds"] = report.seconds;
  doc["ok"] = report.ok() && (!mutants || std::all_of(mutants->begin(), mutants->end(),
                                                      [](const MutantResult& m) { return m.killed; }));
  doc["bound"] = "c * u * ((a*d + b + B) * kappa^p + e*d + f) * rho";
  doc["unit_roundoff"] = {{"f64", unit_roundoff(Dtype::f64)}, {"f32", unit_roundoff(Dtype::f32)}};
  doc["max_promised_error"] = kMaxPromisedError;
  doc["methods"] = report.methods;
  J contracts = J::array();
  for (const std::string& m : report.methods)
    for (Parameterization p : kAllParameterizations) {
      const AccuracyContract c = contract_in(report, m, p);
      contracts.push_back({{"method", m},
                           {"parameterization", name(p)},
                           {"route", name(c.route)},
                           {"c", c.c},
                           {"kappa_power", c.kappa_power(p)},
                           {"counts", counts_json(c.route, p)},
                           {"kappa_max", c.kappa_max},
                           {"rationale", c.rationale}});
    }
  doc["contracts"] = contracts;
  // The methods scorebench did not write, with the command that ran them.
  if (!report.origins.empty()) doc["origins"] = report.origins;
  J cases = J::array();
  for (const CaseInfo& c : report.cases) {
    J j = {{"id", c.id},
           {"parameterization", name(c.spec.parameterization)},
           {"dtype", name(c.spec.dtype)},
           {"d", c.spec.dim},
           {"kappa", c.spec.kappa},
           {"kappa_actual", number(c.kappa)},
           {"action", name(c.spec.action)},
           {"batch", c.spec.batch},
           {"weights", name(c.spec.weights)},
           {"seed", c.spec.seed},
           {"sweep_index", c.sweep_index}};
    if (c.skipped) j["skipped"] = *c.skipped;
    if (c.spec.invalid != InvalidKind::none) j["invalid"] = name(c.spec.invalid);
    cases.push_back(j);
  }
  doc["cases"] = cases;
  J results = J::array();
  for (const Evaluation& e : report.evaluations) {
    J blocks = J::array();
    for (const BlockError& b : e.blocks) {
      J jb = {{"block", b.name},
              {"error", number(b.error)},
              {"rho", number(b.rho)},
              {"bound", number(b.bound)},
              {"ratio", number(b.ratio)},
              {"worst",
               {{"sample", b.sample},
                {"row", b.row},
                {"col", b.col},
                {"value", number(b.value)},
                {"reference", number(b.reference)}}}};
      if (!b.structure.empty()) jb["structure"] = b.structure;
      blocks.push_back(jb);
    }
    J j = {{"case", e.case_index},     {"method", e.method},     {"mode", e.mode.name()},
           {"status", name(e.status)}, {"promised", e.promised}, {"unit_bound", e.unit_bound},
           {"threads", e.threads},     {"blocks", blocks}};
    if (!e.message.empty()) j["message"] = e.message;
    results.push_back(j);
  }
  doc["results"] = results;
  // `scorebench check`: what is wrong with the answers file beyond single evaluations.
  if (!report.answer_findings.empty()) doc["answer_findings"] = report.answer_findings;
  J refs = J::array();
  for (const ReferenceCheck& r : report.reference_checks) {
    const Parameterization p = report.cases[r.case_index].spec.parameterization;
    J digits;
    for (Block b : kAllBlocks) digits[block_name(b, p)] = r.digits[static_cast<size_t>(b)];
    refs.push_back({{"case", r.case_index}, {"digits", digits}});
  }
  doc["reference_checks"] = refs;
  J checks = J::array();
  for (const DoubleCheckResult& r : report.double_checks) {
    const Parameterization p = report.cases[r.case_index].spec.parameterization;
    J errors;
    for (Block b : kAllBlocks) errors[block_name(b, p)] = number(r.errors[static_cast<size_t>(b)]);
    J j = {{"case", r.case_index}, {"check", name(r.check)}, {"errors", errors}};
    if (r.check == DoubleCheck::finite_difference) j["error_estimate"] = number(r.error_estimate);
    checks.push_back(j);
  }
  doc["double_checks"] = checks;
  doc["coverage"] = report.coverage;
  doc["violations"] = report.violations;
  if (mutants) {
    J ms = J::array();
    for (const MutantResult& m : *mutants)
      ms.push_back({{"name", m.name},
                    {"description", m.description},
                    {"killed", m.killed},
                    {"blocks", m.blocks},
                    {"case", m.case_id},
                    {"mode", m.mode},
                    {"dtype", m.dtype},
                    {"evaluations", m.evaluations},
                    {"message", m.message}});
    doc["mutants"] = ms;
  }
  return doc;
}

namespace {

struct TestCase {
  std::string name;
  std::vector<std::string> failures;
  bool skipped = false;
};

// `origin`: where a method scorebench did not write came from, as a property.
void write_suite(std::ostream& out, const std::string& suite, const std::vector<TestCase>& cases,
                 const std::string& origin = "") {
  size_t failures = 0, skipped = 0;
  for (const TestCase& t : cases) {
    failures += !t.failures.empty();
    skipped += t.skipped;
  }
  out << "  <testsuite name=\"" << reports::xml_escape(suite) << "\" tests=\"" << cases.size()
      << "\" failures=\"" << failures << "\" errors=\"0\" skipped=\"" << skipped << "\">\n";
  if (!origin.empty())
    out << "    <properties><property name=\"origin\" value=\"" << reports::xml_escape(origin)
        << "\"/></properties>\n";
  for (const TestCase& t : cases) {
    out << "    <testcase classname=\"" << reports::xml_escape(suite) << "\" name=\""
        << reports::xml_escape(t.name) << "\"";
    if (t.failures.empty() && !t.skipped) {
      out << "/>\n";
      continue;
    }
    out << ">\n";
    if (t.skipped) out << "      <skipped message=\"beyond the method's contract: measured, not gated\"/>\n";
    if (!t.failures.empty()) {
      std::string all;
      for (const std::string& f : t.failures) all += f + "\n";
      out << "      <failure message=\""
          << reports::xml_escape(t.failures.front().substr(0, t.failures.front().find('\n'))) << "\">"
          << reports::xml_escape(all) << "</failure>\n";
    }
    out << "    </testcase>\n";
  }
  out << "  </testsuite>\n";
}

}  // namespace

void write_junit(std::ostream& out, const VerifyReport& report, const std::vector<MutantResult>* mutants) {
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"scorebench verify\">\n";
  // One test case per method × parameterization × dtype × κ.
  for (const std::string& m : report.methods) {
    std::map<std::string, TestCase> tcs;
    std::map<std::string, bool> any_promised;
    std::vector<std::string> order;
    for (const Evaluation& e : report.evaluations) {
      if (e.method != m) continue;
      const CaseInfo& c = report.cases[e.case_index];
      const std::string key = std::string(name(c.spec.parameterization)) + "/" + name(c.spec.dtype) +
                              "/kappa:" + kappa_label(c.spec.kappa);
      if (!tcs.count(key)) order.push_back(key);
      TestCase& t = tcs[key];
      t.name = key;
      any_promised[key] = any_promised[key] || e.promised;
      if (e.status == Status::violation) t.failures.push_back(e.message);
    }
    std::vector<TestCase> list;
    for (const std::string& k : order) {
      TestCase t = tcs[k];
      t.skipped = t.failures.empty() && !any_promised[k];
      list.push_back(t);
    }
    const auto origin = report.origins.find(m);
    write_suite(out, "verify." + m, list, origin == report.origins.end() ? "" : origin->second);
  }
  if (!report.reference_checks.empty()) {
    std::vector<TestCase> list;
    for (const ReferenceCheck& r : report.reference_checks) {
      TestCase t;
      t.name = report.cases[r.case_index].id;
      for (Block b : kAllBlocks)
        if (r.digits[static_cast<size_t>(b)] < kReferenceDigits)
          t.failures.push_back(block_name(b, report.cases[r.case_index].spec.parameterization) +
                               " agrees with the oracle to " + fmt("%.1f", r.digits[static_cast<size_t>(b)]) +
                               " digits");
      list.push_back(t);
    }
    write_suite(out, "verify.reference", list);
  }
  if (!report.answer_findings.empty()) {
    std::vector<TestCase> list;
    for (const std::string& f : report.answer_findings) {
      TestCase t;
      t.name = f.substr(0, f.find(':'));
      t.failures.push_back(f);
      list.push_back(t);
    }
    write_suite(out, "check.answers", list);
  }
  if (mutants) {
    std::vector<TestCase> list;
    for (const MutantResult& m : *mutants) {
      TestCase t;
      t.name = m.name;
      if (!m.killed) t.failures.push_back(m.name + " (" + m.description + ") survived the gate");
      list.push_back(t);
    }
    write_suite(out, "verify.mutants", list);
  }
  out << "</testsuites>\n";
}

nlohmann::ordered_json to_json(const SeedSweepReport& sweep) {
  using J = nlohmann::ordered_json;
  J doc;
  doc["schema"] = "scorebench.verify_seeds/1";
  doc["sweep"] = name(sweep.sweep);
  doc["first_seed"] = sweep.first;
  doc["last_seed"] = sweep.last;
  doc["seconds"] = sweep.seconds;
  doc["ok"] = sweep.violations() == 0;
  doc["gated_blocks"] = sweep.gated_blocks();
  doc["violations"] = sweep.violations();
  J stats = J::array();
  for (const auto& [key, s] : sweep.by_method_dtype)
    stats.push_back(
        {{"method", key.first},
         {"dtype", key.second},
         {"gated_blocks", s.blocks},
         {"violations", s.violations},
         {"violations_per_million",
          s.blocks ? 1e6 * static_cast<double>(s.violations) / static_cast<double>(s.blocks) : 0.0},
         {"worst_ratio", number(s.worst)},
         {"p999_ratio", number(s.p999)}});
  doc["statistics"] = stats;
  J seeds = J::array();
  for (const SeedSummary& s : sweep.seeds)
    seeds.push_back({{"seed", s.seed},
                     {"cases", s.cases},
                     {"evaluations", s.evaluations},
                     {"gated_blocks", s.gated_blocks},
                     {"worst_ratio", number(s.worst_ratio)},
                     {"violations", s.violations}});
  doc["seeds"] = seeds;
  return doc;
}

}  // namespace scorebench::verification
