#include "scorebench/verification/shard.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>
#include <stdexcept>

namespace scorebench::verification {

namespace {

[[noreturn]] void bad(const std::string& key, const nlohmann::json& value, const std::string& expected) {
  throw std::invalid_argument("key '" + key + "': " + value.dump().substr(0, 80) + " is not " + expected);
}

const nlohmann::json& at(const nlohmann::json& j, const std::string& key) {
  if (!j.is_object() || !j.contains(key)) throw std::invalid_argument("missing key '" + key + "'");
  return j.at(key);
}

std::string text(const nlohmann::json& j, const std::string& key) {
  const nlohmann::json& v = at(j, key);
  if (!v.is_string()) bad(key, v, "a string");
  return v.get<std::string>();
}

// A number as report_io writes it: a JSON number, or "inf", "-inf", "nan".
double real(const nlohmann::json& j, const std::string& key) {
  const nlohmann::json& v = at(j, key);
  if (v.is_number()) return v.get<double>();
  if (v == "inf") return std::numeric_limits<double>::infinity();
  if (v == "-inf") return -std::numeric_limits<double>::infinity();
  if (v == "nan") return std::numeric_limits<double>::quiet_NaN();
  bad(key, v, "a number");
}

std::uint64_t whole(const nlohmann::json& j, const std::string& key) {
  const nlohmann::json& v = at(j, key);
  if (!v.is_number_unsigned()) bad(key, v, "a whole number");
  return v.get<std::uint64_t>();
}

long long integer(const nlohmann::json& j, const std::string& key) {
  const nlohmann::json& v = at(j, key);
  if (!v.is_number_integer()) bad(key, v, "an integer");
  return v.get<long long>();
}

bool boolean(const nlohmann::json& j, const std::string& key) {
  const nlohmann::json& v = at(j, key);
  if (!v.is_boolean()) bad(key, v, "true or false");
  return v.get<bool>();
}

const nlohmann::json& array(const nlohmann::json& j, const std::string& key) {
  const nlohmann::json& v = at(j, key);
  if (!v.is_array()) bad(key, v, "a list");
  return v;
}

// The enum value whose name() is `s`, among `all`.
template <typename E, size_t N>
E named(const std::array<E, N>& all, const std::string& key, const std::string& s) {
  for (E e : all)
    if (s == name(e)) return e;
  bad(key, nlohmann::json(s), "one of the known names");
}

Block block_named(Parameterization p, const std::string& s) {
  for (Block b : kAllBlocks)
    if (block_name(b, p) == s) return b;
  bad("block", nlohmann::json(s), "a block of " + std::string(name(p)));
}

CaseInfo case_from_json(const nlohmann::json& j) {
  CaseInfo c;
  c.id = text(j, "id");
  const auto p = parse_parameterization(text(j, "parameterization"));
  if (!p) bad("parameterization", at(j, "parameterization"), "a parameterization");
  c.spec.parameterization = *p;
  c.spec.dtype = named(std::array<Dtype, 2>{Dtype::f64, Dtype::f32}, "dtype", text(j, "dtype"));
  c.spec.dim = static_cast<Index>(whole(j, "d"));
  c.spec.kappa = real(j, "kappa");
  c.kappa = real(j, "kappa_actual");
  c.spec.action =
      named(std::array<ActionKind, 2>{ActionKind::bulk, ActionKind::tail}, "action", text(j, "action"));
  c.spec.batch = static_cast<Index>(whole(j, "batch"));
  c.spec.weights =
      named(std::array<WeightKind, 3>{WeightKind::positive, WeightKind::mixed, WeightKind::centred},
            "weights", text(j, "weights"));
  c.spec.seed = whole(j, "seed");
  c.sweep_index = static_cast<size_t>(whole(j, "sweep_index"));
  if (j.contains("skipped")) c.skipped = text(j, "skipped");
  if (j.contains("invalid")) c.spec.invalid = named(kInvalidKinds, "invalid", text(j, "invalid"));
  return c;
}

Mode mode_named(const std::string& s) {
  for (const Mode& m : all_modes())
    if (m.name() == s) return m;
  bad("mode", nlohmann::json(s), "a mode such as per_sample/grads");
}

Evaluation evaluation_from_json(const nlohmann::json& j, const std::vector<CaseInfo>& cases) {
  Evaluation e;
  e.case_index = static_cast<size_t>(whole(j, "case"));
  if (e.case_index >= cases.size()) bad("case", at(j, "case"), "the index of a case");
  const Parameterization p = cases[e.case_index].spec.parameterization;
  e.method = text(j, "method");
  e.mode = mode_named(text(j, "mode"));
  e.contract = contract_for(e.method, p);
  e.status =
      named(std::array<Status, 4>{Status::ok, Status::violation, Status::beyond_contract, Status::refused},
            "status", text(j, "status"));
  e.promised = boolean(j, "promised");
  e.unit_bound = real(j, "unit_bound");
  e.threads = static_cast<int>(whole(j, "threads"));
  if (j.contains("message")) e.message = text(j, "message");
  for (const nlohmann::json& jb : array(j, "blocks")) {
    BlockError b;
    b.name = text(jb, "block");
    b.block = block_named(p, b.name);
    b.error = real(jb, "error");
    b.rho = real(jb, "rho");
    b.bound = real(jb, "bound");
    b.ratio = real(jb, "ratio");
    const nlohmann::json& w = at(jb, "worst");
    b.sample = static_cast<Index>(integer(w, "sample"));
    b.row = static_cast<Index>(integer(w, "row"));
    b.col = static_cast<Index>(integer(w, "col"));
    b.value = real(w, "value");
    b.reference = real(w, "reference");
    if (jb.contains("structure")) b.structure = text(jb, "structure");
    e.blocks.push_back(std::move(b));
  }
  return e;
}

// The four per-block numbers of a reference or double check, by block name.
std::array<double, 4> per_block(const nlohmann::json& j, const std::string& key, Parameterization p) {
  const nlohmann::json& m = at(j, key);
  std::array<double, 4> out{};
  for (Block b : kAllBlocks) out[static_cast<size_t>(b)] = real(m, block_name(b, p));
  return out;
}

}  // namespace

VerifyReport verify_report_from_json(const nlohmann::json& doc) {
  if (text(doc, "schema") != "scorebench.verify/1")
    bad("schema", at(doc, "schema"), "\"scorebench.verify/1\"");
  VerifyReport r;
  r.sweep = named(std::array<Sweep, 3>{Sweep::quick, Sweep::full, Sweep::small}, "sweep", text(doc, "sweep"));
  r.seed = whole(doc, "seed");
  r.seconds = real(doc, "seconds");
  if (doc.contains("shard")) {
    r.shard.index = static_cast<size_t>(whole(at(doc, "shard"), "index"));
    r.shard.count = static_cast<size_t>(whole(at(doc, "shard"), "count"));
    if (r.shard.count == 0 || r.shard.index >= r.shard.count)
      bad("shard", at(doc, "shard"), "a shard with 0 <= index < count");
  }
  for (const nlohmann::json& m : array(doc, "methods")) {
    if (!m.is_string()) bad("methods", m, "a method name");
    r.methods.push_back(m.get<std::string>());
  }
  // The implementations scorebench did not write: their command, and the
  // contract each declared (the built-ins' are contract_for()).
  if (doc.contains("origins")) {
    const nlohmann::json& o = at(doc, "origins");
    if (!o.is_object()) bad("origins", o, "an object of method: command");
    for (const auto& [method, origin] : o.items()) r.origins[method] = text(o, method);
  }
  if (!r.origins.empty())
    for (const nlohmann::json& c : array(doc, "contracts")) {
      const std::string method = text(c, "method");
      if (!r.origins.count(method)) continue;
      const auto p = parse_parameterization(text(c, "parameterization"));
      if (!p) bad("parameterization", at(c, "parameterization"), "a parameterization");
      AccuracyContract contract;
      contract.route = named(std::array<Route, 3>{Route::own_factor, Route::through_sigma, Route::unknown},
                             "route", text(c, "route"));
      contract.c = real(c, "c");
      contract.kappa_max = real(c, "kappa_max");
      contract.rationale = text(c, "rationale");
      r.declared_contracts[{method, *p}] = contract;
    }
  for (const nlohmann::json& c : array(doc, "cases")) r.cases.push_back(case_from_json(c));
  for (const nlohmann::json& e : array(doc, "results")) {
    r.evaluations.push_back(evaluation_from_json(e, r.cases));
    Evaluation& last = r.evaluations.back();
    const auto declared =
        r.declared_contracts.find({last.method, r.cases[last.case_index].spec.parameterization});
    if (declared != r.declared_contracts.end()) last.contract = declared->second;
  }
  for (const nlohmann::json& j : array(doc, "reference_checks")) {
    ReferenceCheck c;
    c.case_index = static_cast<size_t>(whole(j, "case"));
    if (c.case_index >= r.cases.size()) bad("case", at(j, "case"), "the index of a case");
    c.digits = per_block(j, "digits", r.cases[c.case_index].spec.parameterization);
    r.reference_checks.push_back(c);
  }
  for (const nlohmann::json& j : array(doc, "double_checks")) {
    DoubleCheckResult c;
    c.case_index = static_cast<size_t>(whole(j, "case"));
    if (c.case_index >= r.cases.size()) bad("case", at(j, "case"), "the index of a case");
    c.check = named(std::array<DoubleCheck, 2>{DoubleCheck::finite_difference, DoubleCheck::complex_step},
                    "check", text(j, "check"));
    c.errors = per_block(j, "errors", r.cases[c.case_index].spec.parameterization);
    if (j.contains("error_estimate")) c.error_estimate = real(j, "error_estimate");
    r.double_checks.push_back(c);
  }
  if (doc.contains("coverage")) {
    const nlohmann::json& c = at(doc, "coverage");
    if (!c.is_object()) bad("coverage", c, "an object of path counts");
    for (const auto& [path, hits] : c.items()) r.coverage[path] = whole(c, path);
  }
  if (doc.contains("answer_findings"))
    for (const nlohmann::json& f : array(doc, "answer_findings")) {
      if (!f.is_string()) bad("answer_findings", f, "a message");
      r.answer_findings.push_back(f.get<std::string>());
    }
  for (const nlohmann::json& v : array(doc, "violations")) {
    if (!v.is_string()) bad("violations", v, "a message");
    r.violations.push_back(v.get<std::string>());
  }
  return r;
}

VerifyReport merge_shards(const std::vector<std::pair<std::string, VerifyReport>>& shards) {
  if (shards.empty()) throw std::invalid_argument("no shards to merge");
  const std::string& first_file = shards.front().first;
  const VerifyReport& first = shards.front().second;
  const size_t count = first.shard.count;
  std::vector<const std::string*> file_of(count, nullptr);
  for (const auto& shard : shards) {
    const std::string& file = shard.first;
    const VerifyReport& s = shard.second;
    const auto differs = [&](const std::string& what, const std::string& a, const std::string& b) {
      throw std::invalid_argument(file + " and " + first_file + " are shards of different runs: " + what +
                                  " " + a + " and " + b);
    };
    if (s.sweep != first.sweep) differs("sweep", name(s.sweep), name(first.sweep));
    if (s.seed != first.seed) differs("seed", std::to_string(s.seed), std::to_string(first.seed));
    if (s.methods != first.methods)
      differs("methods", nlohmann::json(s.methods).dump(), nlohmann::json(first.methods).dump());
    if (s.shard.count != count) differs("shard count", std::to_string(s.shard.count), std::to_string(count));
    if (s.origins != first.origins)
      differs("implementations", nlohmann::json(s.origins).dump(), nlohmann::json(first.origins).dump());
    const std::string*& slot = file_of[s.shard.index];
    if (slot)
      throw std::invalid_argument(file + " and " + *slot + " are both shard " +
                                  std::to_string(s.shard.index) + "/" + std::to_string(count));
    slot = &file;
  }
  for (size_t i = 0; i < count; ++i)
    if (!file_of[i])
      throw std::invalid_argument("shard " + std::to_string(i) + "/" + std::to_string(count) +
                                  " is missing (given: " + std::to_string(shards.size()) + " of " +
                                  std::to_string(count) + ")");

  // Every case with its shard, in sweep order.
  struct Source {
    const VerifyReport* report;
    size_t case_index;
  };
  std::vector<Source> order;
  for (const auto& [file, s] : shards)
    for (size_t i = 0; i < s.cases.size(); ++i) order.push_back({&s, i});
  std::sort(order.begin(), order.end(), [](const Source& a, const Source& b) {
    return a.report->cases[a.case_index].sweep_index < b.report->cases[b.case_index].sweep_index;
  });

  VerifyReport out;
  out.sweep = first.sweep;
  out.seed = first.seed;
  out.methods = first.methods;
  out.origins = first.origins;
  out.declared_contracts = first.declared_contracts;
  for (const auto& [file, s] : shards) {
    out.seconds += s.seconds;
    for (const auto& [path, hits] : s.coverage) out.coverage[path] += hits;
  }
  for (const Source& src : order) {
    const VerifyReport& s = *src.report;
    const size_t ci = out.cases.size();
    if (ci > 0 && out.cases.back().sweep_index == s.cases[src.case_index].sweep_index)
      throw std::invalid_argument("case " + s.cases[src.case_index].id + " appears in two shards");
    out.cases.push_back(s.cases[src.case_index]);
    // In the order run_verification makes them: the reference check, the
    // double checks, then the evaluations.
    for (ReferenceCheck r : s.reference_checks)
      if (r.case_index == src.case_index) {
        r.case_index = ci;
        for (const std::string& v : reference_violations(out.cases.back(), r)) out.violations.push_back(v);
        out.reference_checks.push_back(r);
      }
    for (DoubleCheckResult r : s.double_checks)
      if (r.case_index == src.case_index) {
        r.case_index = ci;
        out.double_checks.push_back(r);
      }
    for (Evaluation e : s.evaluations)
      if (e.case_index == src.case_index) {
        e.case_index = ci;
        if (e.status == Status::violation) out.violations.push_back(e.message);
        out.evaluations.push_back(std::move(e));
      }
  }
  // Answers of `check` that answer no case line, after the evaluations, shard by shard.
  std::vector<const VerifyReport*> by_index(count);
  for (const auto& [file, s] : shards) by_index[s.shard.index] = &s;
  for (const VerifyReport* s : by_index)
    for (const std::string& f : s->answer_findings) {
      out.answer_findings.push_back(f);
      out.violations.push_back(f);
    }
  return out;
}

}  // namespace scorebench::verification
