#include "scorebench/reports/compare.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <sstream>
#include <stdexcept>

#include "scorebench/reports/format.hpp"
#include "scorebench/reports/statistics.hpp"
#include "scorebench/reports/xml.hpp"

namespace scorebench::reports {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string brief(const nlohmann::json& value) {
  if (value.is_null()) return "(absent)";
  if (value.is_string()) return "'" + value.get<std::string>() + "'";
  return value.dump();
}

BenchmarkComparison compare_one(const BenchmarkEntry& b, const BenchmarkEntry& n, const std::string& field,
                                const CompareOptions& options) {
  BenchmarkComparison c;
  c.name = b.name;
  if (!b.error.empty() || !n.error.empty()) {
    c.verdict = Verdict::error;
    c.note = !n.error.empty() ? "NEW: " + n.error : "BASE: " + b.error;
    c.p_value = c.p_holm = kNaN;
    return c;
  }
  const std::vector<double> x = samples(b, field), y = samples(n, field);
  c.n_base = x.size();
  c.n_new = y.size();
  c.p_value = c.p_holm = kNaN;
  c.ci_low = c.ci_high = kNaN;
  if (x.empty() || y.empty()) {
    c.verdict = Verdict::not_testable;
    c.note = "no '" + field + "' value in " + (x.empty() ? "BASE" : "NEW");
    return c;
  }
  c.base_median = median(x);
  c.new_median = median(y);
  c.ratio = c.new_median / c.base_median;
  c.hl_ratio = c.ratio;
  const bool positive = std::all_of(x.begin(), x.end(), [](double v) { return v > 0; }) &&
                        std::all_of(y.begin(), y.end(), [](double v) { return v > 0; });
  if (options.metric == "instructions") {
    c.verdict = Verdict::unchanged;  // decided by the threshold alone, below
    return c;
  }
  if (x.size() < 2 || y.size() < 2 || !positive) {
    c.verdict = Verdict::not_testable;
    c.note =
        positive ? "needs ≥ 2 repetitions on each side (--benchmark_repetitions)" : "non-positive values";
    return c;
  }
  const RatioEstimate hl = hodges_lehmann_ratio(x, y, options.alpha);
  c.hl_ratio = hl.ratio;
  c.ci_low = hl.low;
  c.ci_high = hl.high;
  c.p_value = mann_whitney(x, y).p_value;
  return c;
}

}  // namespace

const char* name(Verdict v) {
  switch (v) {
    case Verdict::regression: return "regression";
    case Verdict::improvement: return "improvement";
    case Verdict::unchanged: return "unchanged";
    case Verdict::not_testable: return "not tested";
    case Verdict::only_in_base: return "missing in NEW";
    case Verdict::only_in_new: return "new";
    case Verdict::error: return "error";
  }
  return "?";
}

std::size_t Comparison::count(Verdict v) const {
  return std::size_t(std::count_if(rows.begin(), rows.end(), [v](const auto& r) { return r.verdict == v; }));
}

std::vector<std::string> context_differences(const nlohmann::json& base, const nlohmann::json& fresh,
                                             const std::string& metric) {
  std::set<std::string> ignored = {"date", "host_name", "executable", "load_avg"};
  if (metric == "instructions")
    ignored.insert({"num_cpus", "mhz_per_cpu", "cpu_scaling_enabled", "caches", "library_build_type"});
  std::set<std::string> keys;
  for (const auto* ctx : {&base, &fresh})
    if (ctx->is_object())
      for (const auto& item : ctx->items()) keys.insert(item.key());
  std::vector<std::string> out;
  for (const std::string& key : keys) {
    if (ignored.count(key)) continue;
    const nlohmann::json a = base.is_object() ? base.value(key, nlohmann::json()) : nlohmann::json();
    const nlohmann::json b = fresh.is_object() ? fresh.value(key, nlohmann::json()) : nlohmann::json();
    if (key == "mhz_per_cpu" && a.is_number() && b.is_number()) {
      // The reported clock wanders a little between runs of one machine.
      const double x = a.get<double>(), y = b.get<double>();
      if (std::abs(x - y) <= 0.05 * std::max(std::abs(x), std::abs(y))) continue;
    }
    if (a != b) out.push_back(key + ": " + brief(a) + " vs " + brief(b));
  }
  return out;
}

Comparison compare_runs(const BenchmarkRun& base, const BenchmarkRun& fresh, const CompareOptions& options) {
  if (!(options.threshold >= 0) || !std::isfinite(options.threshold))
    throw std::invalid_argument("--threshold must be a non-negative percentage");
  if (!(options.alpha > 0 && options.alpha < 1)) throw std::invalid_argument("--alpha must be in (0, 1)");
  if (options.metric != "time" && options.metric != "instructions")
    throw std::invalid_argument("--metric must be time or instructions, got '" + options.metric + "'");
  if (options.time_field != "cpu_time" && options.time_field != "real_time")
    throw std::invalid_argument("--time must be cpu_time or real_time");

  Comparison out;
  out.options = options;
  out.metric_is_time = options.metric == "time";
  out.metric_field = out.metric_is_time ? options.time_field : "instructions";

  for (const BenchmarkEntry& b : base.benchmarks) {
    const BenchmarkEntry* n = fresh.find(b.name);
    if (!n) {
      BenchmarkComparison c;
      c.name = b.name;
      c.verdict = Verdict::only_in_base;
      c.p_value = c.p_holm = c.ci_low = c.ci_high = c.ratio = c.hl_ratio = c.new_median = kNaN;
      c.base_median = median_of(b, out.metric_field);
      c.n_base = samples(b, out.metric_field).size();
      out.rows.push_back(c);
      continue;
    }
    out.rows.push_back(compare_one(b, *n, out.metric_field, options));
  }
  for (const BenchmarkEntry& n : fresh.benchmarks) {
    if (base.find(n.name)) continue;
    BenchmarkComparison c;
    c.name = n.name;
    c.verdict = Verdict::only_in_new;
    c.p_value = c.p_holm = c.ci_low = c.ci_high = c.ratio = c.hl_ratio = c.base_median = kNaN;
    c.new_median = median_of(n, out.metric_field);
    c.n_new = samples(n, out.metric_field).size();
    out.rows.push_back(c);
  }

  const double up = 1 + options.threshold, down = 1 / (1 + options.threshold);
  if (!out.metric_is_time) {
    for (BenchmarkComparison& c : out.rows)
      if (c.verdict == Verdict::unchanged)
        c.verdict = c.ratio > up     ? Verdict::regression
                    : c.ratio < down ? Verdict::improvement
                                     : Verdict::unchanged;
    return out;
  }

  // Holm across every benchmark that was tested.
  std::vector<std::size_t> tested;
  std::vector<double> p;
  for (std::size_t i = 0; i < out.rows.size(); ++i)
    if (!std::isnan(out.rows[i].p_value)) {
      tested.push_back(i);
      p.push_back(out.rows[i].p_value);
    }
  out.tests = tested.size();
  const std::vector<double> adjusted = holm_adjust(p);
  std::size_t min_n = std::numeric_limits<std::size_t>::max();
  for (std::size_t k = 0; k < tested.size(); ++k) {
    BenchmarkComparison& c = out.rows[tested[k]];
    c.p_holm = adjusted[k];
    min_n = std::min({min_n, c.n_base, c.n_new});
    const bool significant = c.p_holm < options.alpha;
    c.verdict = significant && c.ratio > up     ? Verdict::regression
                : significant && c.ratio < down ? Verdict::improvement
                                                : Verdict::unchanged;
  }
  if (out.tests > 0 && smallest_p_value(min_n, min_n) * double(out.tests) >= options.alpha) {
    std::size_t need = min_n;
    while (smallest_p_value(need, need) * double(out.tests) >= options.alpha) ++need;
    out.warnings.push_back("with " + std::to_string(min_n) + " repetitions and " + std::to_string(out.tests) +
                           " tests no change can reach significance at α = " + format_general(options.alpha) +
                           " after Holm's correction; run at least " + std::to_string(need) +
                           " repetitions per benchmark (--benchmark_repetitions=" + std::to_string(need) +
                           ")");
  }
  return out;
}

std::string render_markdown(const Comparison& c, const std::string& base_name, const std::string& new_name) {
  std::ostringstream md;
  const CompareOptions& o = c.options;
  md << "### scorebench compare: " << c.count(Verdict::regression) << " regression(s), "
     << c.count(Verdict::improvement) << " improvement(s)\n\n";
  md << "BASE `" << base_name << "`, NEW `" << new_name << "`; metric `" << c.metric_field << "`; ";
  if (c.metric_is_time)
    md << "a regression is significant (two-sided Mann–Whitney U, Holm-corrected over " << c.tests
       << " tests, α = " << format_general(o.alpha) << ") and slower than +"
       << format_general(100 * o.threshold) << " %. CI: Hodges–Lehmann "
       << format_general(100 * (1 - o.alpha)) << " % interval for the ratio.\n\n";
  else
    md << "counts are deterministic (callgrind): a regression is a ratio above +"
       << format_general(100 * o.threshold) << " %.\n\n";
  for (const std::string& w : c.warnings) md << "> **Warning:** " << w << "\n\n";

  auto rank = [](Verdict v) {
    switch (v) {
      case Verdict::regression: return 0;
      case Verdict::error: return 1;
      case Verdict::improvement: return 2;
      case Verdict::only_in_base: return 3;
      case Verdict::only_in_new: return 4;
      case Verdict::not_testable: return 5;
      case Verdict::unchanged: return 6;
    }
    return 7;
  };
  std::vector<const BenchmarkComparison*> rows;
  for (const auto& r : c.rows) rows.push_back(&r);
  std::stable_sort(rows.begin(), rows.end(),
                   [&](const auto* a, const auto* b) { return rank(a->verdict) < rank(b->verdict); });

  md << "| benchmark | BASE median | NEW median | ratio | CI | p (Holm) | n | verdict |\n";
  md << "|---|--:|--:|--:|:-:|--:|:-:|---|\n";
  for (const BenchmarkComparison* r : rows) {
    const std::string ci =
        std::isnan(r->ci_low) ? "—" : format_general(r->ci_low, 3) + "–" + format_general(r->ci_high, 3);
    std::string verdict = name(r->verdict);
    if (r->verdict == Verdict::regression) verdict = "**" + verdict + "**";
    if (!r->note.empty()) verdict += " (" + r->note + ")";
    md << "| `" << r->name << "` | " << format_metric(r->base_median, c.metric_is_time) << " | "
       << format_metric(r->new_median, c.metric_is_time) << " | " << format_ratio(r->ratio) << " | " << ci
       << " | " << format_p(r->p_holm) << " | " << r->n_base << "/" << r->n_new << " | " << verdict << " |\n";
  }
  return md.str();
}

std::string render_junit(const Comparison& c) {
  std::ostringstream x;
  std::size_t failures = c.count(Verdict::regression), errors = c.count(Verdict::error);
  std::size_t skipped =
      c.count(Verdict::not_testable) + c.count(Verdict::only_in_base) + c.count(Verdict::only_in_new);
  x << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  // The Jenkins JUnit schema (reports/tests/junit.xsd) allows `skipped` on
  // <testsuite> but not on <testsuites>.
  x << "<testsuites name=\"scorebench compare\" tests=\"" << c.rows.size() << "\" failures=\"" << failures
    << "\" errors=\"" << errors << "\">\n";
  x << "  <testsuite name=\"scorebench.compare." << xml_escape(c.metric_field) << "\" tests=\""
    << c.rows.size() << "\" failures=\"" << failures << "\" errors=\"" << errors << "\" skipped=\"" << skipped
    << "\">\n";
  for (const BenchmarkComparison& r : c.rows) {
    const double seconds = c.metric_is_time && std::isfinite(r.new_median) ? r.new_median * 1e-9 : 0;
    x << "    <testcase classname=\"scorebench.compare\" name=\"" << xml_escape(r.name) << "\" time=\""
      << format_general(seconds, 6) << "\">";
    std::ostringstream detail;
    detail << "ratio " << format_ratio(r.ratio) << " (BASE " << format_metric(r.base_median, c.metric_is_time)
           << ", NEW " << format_metric(r.new_median, c.metric_is_time) << "), p (Holm) "
           << format_p(r.p_holm);
    if (!std::isnan(r.ci_low))
      detail << ", CI " << format_general(r.ci_low) << "–" << format_general(r.ci_high);
    switch (r.verdict) {
      case Verdict::regression:
        x << "\n      <failure type=\"regression\" message=\"" << xml_escape(detail.str()) << "\"/>\n    ";
        break;
      case Verdict::error: x << "\n      <error message=\"" << xml_escape(r.note) << "\"/>\n    "; break;
      case Verdict::not_testable:
      case Verdict::only_in_base:
      case Verdict::only_in_new:
        x << "\n      <skipped message=\""
          << xml_escape(std::string(name(r.verdict)) + (r.note.empty() ? "" : ": " + r.note)) << "\"/>\n    ";
        break;
      default: x << "<system-out>" << xml_escape(detail.str()) << "</system-out>"; break;
    }
    x << "</testcase>\n";
  }
  x << "  </testsuite>\n</testsuites>\n";
  return x.str();
}

}  // namespace scorebench::reports
