// The accuracy section, from `scorebench verify --json` (schema
// scorebench.verify/1, verification/README.md): the contract table that the
// verdict uses, the accuracy envelope (worst error/bound against κ per method
// and dtype), the worst relative error against κ, and the mutants.

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <stdexcept>

#include "scorebench/reports/format.hpp"
#include "scorebench/reports/json_input.hpp"
#include "scorebench/reports/report_sections.hpp"

namespace scorebench::reports {

namespace {

// A number that may be written as "inf", "-inf" or "nan".
double number(const nlohmann::json& j) {
  if (j.is_number()) return j.get<double>();
  if (j.is_string()) {
    const std::string s = j.get<std::string>();
    if (s == "inf") return std::numeric_limits<double>::infinity();
    if (s == "-inf") return -std::numeric_limits<double>::infinity();
  }
  return std::numeric_limits<double>::quiet_NaN();
}

const nlohmann::json& field(const nlohmann::json& j, const char* key, const std::string& where) {
  if (!j.is_object() || !j.contains(key)) throw std::invalid_argument(where + " has no \"" + key + "\"");
  return j[key];
}

// j[key] when it is a list; an absent key is an empty list.
const nlohmann::json& list_or_empty(const nlohmann::json& j, const char* key, const std::string& where) {
  static const nlohmann::json empty = nlohmann::json::array();
  if (!j.is_object() || !j.contains(key)) return empty;
  const nlohmann::json& v = j[key];
  if (!v.is_array())
    throw std::invalid_argument(where + ": \"" + key + "\" must be a list, got " + json_input::describe(v));
  return v;
}

// The elements of a list, each an object.
const nlohmann::json& object_at(const nlohmann::json& list, std::size_t i, const std::string& where) {
  const nlohmann::json& v = list[i];
  if (!v.is_object())
    throw std::invalid_argument(where + "[" + std::to_string(i) + "] must be an object, got " +
                                json_input::describe(v));
  return v;
}

struct Worst {
  double ratio = 0, error = 0;
  int evaluations = 0, violations = 0;
  void add(double r, double e, bool violation) {
    // NaN/Inf ratios count as infinitely wrong.
    ratio = std::isnan(r) ? std::numeric_limits<double>::infinity() : std::max(ratio, r);
    error = std::isnan(e) ? std::numeric_limits<double>::infinity() : std::max(error, e);
    ++evaluations;
    violations += violation;
  }
};

}  // namespace

ContractTable add_verify_section(ReportContext& ctx, const nlohmann::json& verify) {
  using namespace json_input;
  const std::string schema = string_or(verify, "schema", "", "verification JSON");
  if (schema.rfind("scorebench.verify/", 0) != 0)
    throw std::invalid_argument("verification JSON: expected \"schema\": \"scorebench.verify/1\", got '" +
                                schema + "'");
  const nlohmann::json& cases = field(verify, "cases", "verification JSON");
  const nlohmann::json& results = field(verify, "results", "verification JSON");
  if (!cases.is_array() || !results.is_array())
    throw std::invalid_argument("verification JSON: \"cases\" and \"results\" must be lists, got " +
                                describe(cases) + " and " + describe(results));
  Document& doc = ctx.doc();

  // Worst over blocks of each promised evaluation, keyed several ways.
  std::map<std::pair<std::string, std::string>, Worst> by_contract;             // (method, p)
  std::map<std::tuple<std::string, std::string, std::string>, Worst> by_dtype;  // (method, p, dtype)
  std::map<std::tuple<std::string, std::string, double>, Worst> envelope;       // (method, dtype, κ)
  std::vector<std::vector<std::string>> csv_rows;
  std::size_t index = 0;
  for (; index < results.size(); ++index) {
    const nlohmann::json& r = object_at(results, index, "verification JSON: results");
    const std::string where = "verification JSON: results[" + std::to_string(index) + "]";
    const std::size_t case_index = required_index(r, "case", where);
    if (case_index >= cases.size())
      throw std::invalid_argument(where + " names case " + std::to_string(case_index) + " of " +
                                  std::to_string(cases.size()));
    const nlohmann::json& c = object_at(cases, case_index, "verification JSON: cases");
    const std::string case_where = "verification JSON: cases[" + std::to_string(case_index) + "]";
    const std::string method = required_string(r, "method", where);
    const std::string status = required_string(r, "status", where);
    const std::string p = required_string(c, "parameterization", case_where);
    const std::string dtype = required_string(c, "dtype", case_where);
    const double kappa = number(field(c, "kappa", case_where));
    // κ keys the envelope's map: NaN would break its ordering.
    if (std::isnan(kappa))
      throw std::invalid_argument(case_where + ": \"kappa\" must be a number, got " + describe(c["kappa"]));
    double ratio = 0, error = 0;
    const nlohmann::json& blocks = list_or_empty(r, "blocks", where);
    for (std::size_t i = 0; i < blocks.size(); ++i) {
      const nlohmann::json& b = object_at(blocks, i, where + ".blocks");
      const double br = number(b.value("ratio", nlohmann::json(0))),
                   be = number(b.value("error", nlohmann::json(0)));
      ratio = std::isnan(br) || std::isnan(ratio) ? std::numeric_limits<double>::quiet_NaN()
                                                  : std::max(ratio, br);
      error = std::isnan(be) || std::isnan(error) ? std::numeric_limits<double>::quiet_NaN()
                                                  : std::max(error, be);
    }
    csv_rows.push_back({method, p, dtype, csv_number(number(c.value("d", nlohmann::json()))),
                        csv_number(kappa), string_or(r, "mode", "", where), status, csv_number(ratio),
                        csv_number(error)});
    if (status != "ok" && status != "violation") continue;  // beyond_contract, refused: not gated
    const bool violation = status == "violation";
    by_contract[{method, p}].add(ratio, error, violation);
    by_dtype[{method, p, dtype}].add(ratio, error, violation);
    envelope[{method, dtype, kappa}].add(ratio, error, violation);
  }

  const bool ok = boolean_or(verify, "ok", false, "verification JSON");
  doc.paragraph("Verification: sweep `" + string_or(verify, "sweep", "?", "verification JSON") + "`, " +
                std::to_string(cases.size()) + " cases, " + std::to_string(results.size()) +
                " evaluations, seed " + describe(verify.value("seed", nlohmann::json())) + "; gate " +
                (ok ? "**passed**" : "**failed**") +
                ". Error = ‖ĝ − g‖_F / ‖g‖_F per output block against "
                "50-digit references; bound = " +
                string_or(verify, "bound", "?", "verification JSON") +
                "; a method keeps its contract when error/bound ≤ 1 wherever it promises accuracy.");

  // The envelope: one chart per dtype, a series per method.
  std::set<std::string> methods, dtypes;
  for (const auto& [key, w] : envelope) {
    methods.insert(std::get<0>(key));
    dtypes.insert(std::get<1>(key));
  }
  std::vector<Chart> charts;
  for (const std::string& dtype : dtypes)
    for (const bool relative : {false, true}) {
      Chart chart;
      chart.stem = std::string(relative ? "error_" : "envelope_") + dtype;
      chart.title = relative ? "worst relative error against κ(Σ), " + dtype
                             : "accuracy envelope: worst error / bound against κ(Σ), " + dtype;
      chart.x_label = "condition number κ(Σ)";
      chart.y_label = relative ? "worst ‖ĝ − g‖ / ‖g‖" : "worst error / contract bound";
      chart.log_x = chart.log_y = true;
      if (!relative) {
        chart.reference_y = 1;
        chart.reference_label = "contract bound";
      }
      for (const std::string& m : methods) {
        Series s{method_label(m), {}, {}, method_color(m), method_point_type(m), method_dash_type(m)};
        for (const auto& [key, w] : envelope)
          if (std::get<0>(key) == m && std::get<1>(key) == dtype) {
            s.x.push_back(std::get<2>(key));
            s.y.push_back(relative ? w.error : w.ratio);
          }
        chart.series.push_back(s);
      }
      charts.push_back(chart);
    }
  doc.heading(3, "Accuracy envelope");
  doc.paragraph(
      "Worst over parameterizations, d, actions and modes of the evaluations each method's contract "
      "covers; below the dashed line the contract holds.");
  if (!ctx.can_plot())
    ctx.note(
        "gnuplot was not found (Debian package `gnuplot-nox`): charts are left out, the tables are kept.");
  doc.figures(ctx.charts(charts));

  doc.heading(3, "Contracts");
  Table table;
  table.header = {"method",     "parameterization",    "contract",           "evaluations",
                  "violations", "worst err/bound f64", "worst err/bound f32"};
  table.numeric = {false, false, false, true, true, true, true};
  std::map<std::pair<std::string, std::string>, std::string> contract_text;
  const nlohmann::json& contract_list = list_or_empty(verify, "contracts", "verification JSON");
  for (std::size_t i = 0; i < contract_list.size(); ++i) {
    const nlohmann::json& c = object_at(contract_list, i, "verification JSON: contracts");
    const std::string where = "verification JSON: contracts[" + std::to_string(i) + "]";
    contract_text[{string_or(c, "method", "", where), string_or(c, "parameterization", "", where)}] =
        string_or(c, "route", "?", where) +
        ", c = " + format_general(number(c.value("c", nlohmann::json()))) + ", κ^" +
        format_general(number(c.value("kappa_power", nlohmann::json(1)))) + ", κ ≤ " +
        format_general(number(c.value("kappa_max", nlohmann::json())));
  }
  ContractTable contracts;
  // Not a structured binding: the lambda below captures the key, which C++17
  // allows only for a variable (clang rejects it; the fuzz build uses clang).
  for (const auto& entry : by_contract) {
    const std::pair<std::string, std::string>& key = entry.first;
    const Worst& w = entry.second;
    contracts[key] = ContractStatus{w.violations == 0, w.ratio, w.evaluations, w.violations};
    auto worst = [&](const char* dtype) {
      const auto it = by_dtype.find({key.first, key.second, dtype});
      return it == by_dtype.end() ? std::string("—") : format_general(it->second.ratio, 3);
    };
    const auto text = contract_text.find(key);
    table.rows.push_back({method_label(key.first), "`" + key.second + "`",
                          text == contract_text.end() ? "—" : text->second, std::to_string(w.evaluations),
                          w.violations ? "**" + std::to_string(w.violations) + "**" : "0", worst("f64"),
                          worst("f32")});
  }
  doc.table(std::move(table));
  ctx.csv(
      "accuracy.csv",
      {"method", "parameterization", "dtype", "d", "kappa", "mode", "status", "worst_ratio", "worst_error"},
      csv_rows, "every verification evaluation, worst over its output blocks");

  const nlohmann::json& mutants = list_or_empty(verify, "mutants", "verification JSON");
  if (!mutants.empty()) {
    doc.heading(3, "Mutants");
    doc.paragraph("Wrong implementations the gate must reject, and the block that exposed each:");
    Table m;
    m.header = {"mutant", "rejected", "exposed by", "description"};
    for (std::size_t i = 0; i < mutants.size(); ++i) {
      const nlohmann::json& x = object_at(mutants, i, "verification JSON: mutants");
      const std::string where = "verification JSON: mutants[" + std::to_string(i) + "]";
      // Written as one string by verify (or, in older files, a list of block names).
      std::string blocks;
      if (x.contains("blocks") && x["blocks"].is_string())
        blocks = x["blocks"].get<std::string>();
      else
        for (const nlohmann::json& b : list_or_empty(x, "blocks", where))
          blocks += (blocks.empty() ? "" : ", ") + (b.is_string() ? b.get<std::string>() : describe(b));
      m.rows.push_back({"`" + string_or(x, "name", "", where) + "`",
                        boolean_or(x, "killed", false, where) ? "yes" : "**no**", blocks,
                        string_or(x, "description", "", where)});
    }
    doc.table(std::move(m));
  }
  return contracts;
}

}  // namespace scorebench::reports
