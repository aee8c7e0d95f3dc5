// The Monte Carlo section, from the JSON of `scorebench mc
// --reproduce-figures` (mc_figures.json: {"setting", "points"}, see
// estimators/mc/figures.hpp): the reproduction of Mohamed, Rosca, Figurnov &
// Mnih (2020), Figures 2–3 (single-sample variance of each estimator of
// ∂E[f]/∂μ and ∂E[f]/∂σ against the cost's k, μ = σ = 1), and the
// work-normalised variance (variance × seconds per sample). The JSON of a
// single `scorebench mc --json` run is shown as a table.

#include <map>
#include <optional>
#include <set>
#include <stdexcept>

#include "scorebench/reports/format.hpp"
#include "scorebench/reports/json_input.hpp"
#include "scorebench/reports/report_sections.hpp"

namespace scorebench::reports {

namespace {

const char* family_formula(const std::string& family) {
  if (family == "square") return "f(x) = (x − k)²";
  if (family == "exp_neg_square") return "f(x) = exp(−k x²)";
  if (family == "cos") return "f(x) = cos(k x)";
  return "";
}

double num(const nlohmann::json& p, const char* key) {
  const nlohmann::json v = p.value(key, nlohmann::json());
  return v.is_number() ? v.get<double>() : std::numeric_limits<double>::quiet_NaN();
}

// mc[key][block][i] or mc[key][block][i][j] when it is a number.
std::string entry(const nlohmann::json& mc, const char* key, const std::string& block, std::size_t i,
                  std::optional<std::size_t> j) {
  const nlohmann::json* v = &mc;
  for (const char* k : {key, block.c_str()}) {
    if (!v->is_object() || !v->contains(k)) return "—";
    v = &(*v)[k];
  }
  for (std::optional<std::size_t> index : {std::optional<std::size_t>(i), j}) {
    if (!index) continue;
    if (!v->is_array() || *index >= v->size()) return "—";
    v = &(*v)[*index];
  }
  return v->is_number() ? format_general(v->get<double>(), 4) : "—";
}

// The JSON of one `scorebench mc --json` run: for each gradient block of
// "exact" (a list of numbers, or a list of rows), one row per coordinate.
void single_run(ReportContext& ctx, const nlohmann::json& mc) {
  using json_input::describe;
  using json_input::string_or;
  const std::string where = "Monte Carlo JSON";
  Document& doc = ctx.doc();
  doc.paragraph("One estimator run: `" + string_or(mc, "estimator", "", where) + "` on cost `" +
                string_or(mc, "cost", "", where) +
                "`, N = " + describe(mc.value("samples", nlohmann::json())) + ", seed " +
                describe(mc.value("seed", nlohmann::json())) + ".");
  Table t;
  t.header = {"coordinate", "exact", "mean", "stderr", "z", "variance"};
  t.numeric = {false, true, true, true, true, true};
  const nlohmann::json& exact = mc["exact"];
  if (!exact.is_object())
    throw std::invalid_argument(where + ": \"exact\" must be an object, got " + describe(exact));
  auto row = [&](const std::string& block, const nlohmann::json& v, std::size_t i,
                 std::optional<std::size_t> j) {
    if (!v.is_number())
      throw std::invalid_argument(where + ": exact." + block + " holds " + describe(v) + ", not a number");
    const std::string label = block + "/" + std::to_string(i) + (j ? "/" + std::to_string(*j) : "");
    t.rows.push_back({label, format_general(v.get<double>(), 6), entry(mc, "mean", block, i, j),
                      entry(mc, "stderr", block, i, j), entry(mc, "z", block, i, j),
                      entry(mc, "variance", block, i, j)});
  };
  for (const auto& [block, values] : exact.items()) {
    if (block == "value") continue;
    if (!values.is_array())
      throw std::invalid_argument(where + ": exact." + block + " must be a list, got " + describe(values));
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (!values[i].is_array()) {
        row(block, values[i], i, std::nullopt);
        continue;
      }
      for (std::size_t j = 0; j < values[i].size(); ++j) row(block, values[i][j], i, j);
    }
  }
  doc.table(std::move(t));
}

}  // namespace

void add_mc_section(ReportContext& ctx, const nlohmann::json& mc) {
  using json_input::describe;
  using json_input::string_or;
  if (mc.is_object() && mc.contains("estimator") && mc.contains("variance") && mc.contains("exact")) {
    single_run(ctx, mc);
    return;
  }
  if (!mc.is_object() || !mc.contains("points") || !mc["points"].is_array())
    throw std::invalid_argument(
        "Monte Carlo JSON: expected the output of `scorebench mc --reproduce-figures` ({\"setting\", "
        "\"points\"}) "
        "or of `scorebench mc --json` ({\"estimator\", \"variance\", …})");
  Document& doc = ctx.doc();
  const std::string where = "Monte Carlo JSON: setting";
  const nlohmann::json& setting = mc.contains("setting") ? mc["setting"] : nlohmann::json::object();
  doc.paragraph(
      "Reproduction of " +
      string_or(setting, "reference", "Mohamed, Rosca, Figurnov & Mnih (2020), Figures 2–3", where) +
      ": x ∼ N(μ, σ²) with μ = σ = 1, single-sample variance of each estimator over " +
      describe(setting.value("samples", nlohmann::json())) + " samples per point (seed " +
      describe(setting.value("seed", nlohmann::json())) + ", score method `" +
      string_or(setting, "method", "?", where) +
      "`). Figure 2: gradient with respect to the mean μ; "
      "Figure 3: with respect to the standard deviation σ.");

  // (family, parameter, estimator) → (k, value) series.
  struct Curve {
    std::vector<double> k, variance, work;
  };
  std::map<std::tuple<std::string, std::string, std::string>, Curve> curves;
  std::vector<std::string> families, estimators;
  std::vector<std::vector<std::string>> rows;
  std::size_t index = 0;
  for (const nlohmann::json& p : mc["points"]) {
    if (!p.is_object() || !p.contains("family") || !p.contains("estimator") || !p.contains("parameter") ||
        !p.contains("k") || !p.contains("variance"))
      throw std::invalid_argument("Monte Carlo JSON: points[" + std::to_string(index) +
                                  "] lacks family, k, estimator, parameter or variance");
    const std::string at = "Monte Carlo JSON: points[" + std::to_string(index++) + "]";
    const std::string family = json_input::required_string(p, "family", at),
                      estimator = json_input::required_string(p, "estimator", at),
                      parameter = json_input::required_string(p, "parameter", at);
    if (std::find(families.begin(), families.end(), family) == families.end()) families.push_back(family);
    if (std::find(estimators.begin(), estimators.end(), estimator) == estimators.end())
      estimators.push_back(estimator);
    Curve& c = curves[{family, parameter, estimator}];
    c.k.push_back(num(p, "k"));
    c.variance.push_back(num(p, "variance"));
    c.work.push_back(num(p, "work_normalised_variance"));
    rows.push_back({family, csv_number(num(p, "k")), estimator, parameter,
                    csv_number(num(p, "exact_gradient")), csv_number(num(p, "mean")),
                    csv_number(num(p, "variance")), csv_number(num(p, "ci_low")),
                    csv_number(num(p, "ci_high")), csv_number(num(p, "seconds_per_sample")),
                    csv_number(num(p, "work_normalised_variance"))});
  }

  auto chart_for = [&](const std::string& family, const std::string& parameter, bool work) {
    Chart chart;
    const bool mean = parameter == "mean";
    chart.stem = std::string(work ? "mc_work_" : "mc_variance_") + family + "_" + parameter;
    chart.title = std::string(work   ? "work-normalised variance"
                              : mean ? "Fig. 2"
                                     : "Fig. 3") +
                  ": " + family_formula(family) + ", gradient w.r.t. " + (mean ? "μ" : "σ");
    chart.x_label = "k";
    chart.y_label = work ? "variance × seconds per sample" : "single-sample variance";
    chart.log_y = true;
    for (const std::string& e : estimators) {
      const auto it = curves.find({family, parameter, e});
      if (it == curves.end()) continue;
      chart.series.push_back(Series{e, it->second.k, work ? it->second.work : it->second.variance,
                                    method_color(e), method_point_type(e), 1});
    }
    return chart;
  };

  if (!ctx.can_plot())
    ctx.note(
        "gnuplot was not found (Debian package `gnuplot-nox`): charts are left out, the tables are kept.");
  for (const std::string parameter : {"mean", "std"}) {
    doc.heading(3, parameter == "mean" ? "Figure 2: variance of the gradient with respect to μ"
                                       : "Figure 3: variance of the gradient with respect to σ");
    std::vector<Chart> charts;
    for (const std::string& f : families) charts.push_back(chart_for(f, parameter, false));
    doc.figures(ctx.charts(charts));
  }
  doc.heading(3, "Work-normalised variance");
  doc.paragraph(
      "Variance × seconds per sample: the variance each estimator reaches for a fixed time budget "
      "(lower is better; it weighs a cheaper estimator's extra variance against its speed).");
  std::vector<Chart> work;
  for (const std::string parameter : {"mean", "std"})
    for (const std::string& f : families) work.push_back(chart_for(f, parameter, true));
  doc.figures(ctx.charts(work));

  // A compact table at k = 1 (or the first k) per family and parameter.
  Table t;
  t.header = {"cost", "gradient", "k"};
  for (const auto& e : estimators) t.header.push_back(e);
  t.numeric = std::vector<bool>(t.header.size(), true);
  t.numeric[0] = t.numeric[1] = false;
  for (const std::string& f : families)
    for (const std::string parameter : {"mean", "std"}) {
      double k_show = std::numeric_limits<double>::quiet_NaN();
      for (const auto& e : estimators) {
        const auto it = curves.find({f, parameter, e});
        if (it == curves.end()) continue;
        for (double k : it->second.k)
          if (std::isnan(k_show) || std::abs(k - 1) < std::abs(k_show - 1)) k_show = k;
      }
      if (std::isnan(k_show)) continue;
      std::vector<std::string> row = {family_formula(f), parameter == "mean" ? "∂/∂μ" : "∂/∂σ",
                                      format_general(k_show)};
      for (const auto& e : estimators) {
        std::string cell = "—";
        const auto it = curves.find({f, parameter, e});
        if (it != curves.end())
          for (std::size_t i = 0; i < it->second.k.size(); ++i)
            if (it->second.k[i] == k_show) cell = format_general(it->second.variance[i], 4);
        row.push_back(cell);
      }
      t.rows.push_back(std::move(row));
    }
  doc.paragraph("Single-sample variance at k = 1 (or the nearest k):");
  doc.table(std::move(t));
  ctx.csv("mc_figures.csv",
          {"family", "k", "estimator", "parameter", "exact_gradient", "mean", "variance", "ci_low", "ci_high",
           "seconds_per_sample", "work_normalised_variance"},
          rows, "every estimator, cost, k and parameter of the figures");
}

}  // namespace scorebench::reports
