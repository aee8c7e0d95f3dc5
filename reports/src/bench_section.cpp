// The benchmark sections of the report: time per sample against d, speed-up
// over autodiff_reverse, fraction of the in-run roofs, and the verdict table.

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "scorebench/reports/format.hpp"
#include "scorebench/reports/report_sections.hpp"
#include "scorebench/reports/statistics.hpp"

namespace scorebench::reports {

namespace {

constexpr const char* kReference = "autodiff_reverse";

// The slice of the grid a chart shows: one output, dtype and batch size.
struct Slice {
  std::string parameterization, sharing, output, dtype;
  long batch = 0;
};

std::string slice_label(const Slice& s) {
  return s.output + ", " + s.dtype + ", B = " + std::to_string(s.batch);
}

// grads over sum, f64 over f32, then the largest batch.
std::optional<Slice> choose_slice(const BenchData& bench, const std::string& p, const std::string& sharing) {
  std::optional<Slice> best;
  auto rank = [](const ScoreCase& c) {
    return std::make_tuple(c.output == "grads", c.dtype == "f64", c.batch);
  };
  for (const ScorePoint& s : bench.score) {
    if (s.c.parameterization != p || s.c.sharing != sharing) continue;
    if (!best || rank(s.c) > std::make_tuple(best->output == "grads", best->dtype == "f64", best->batch))
      best = Slice{p, sharing, s.c.output, s.c.dtype, s.c.batch};
  }
  return best;
}

bool in_slice(const ScorePoint& s, const Slice& slice) {
  return s.c.parameterization == slice.parameterization && s.c.sharing == slice.sharing &&
         s.c.output == slice.output && s.c.dtype == slice.dtype && s.c.batch == slice.batch;
}

template <typename Key>
std::vector<Key> distinct(const BenchData& bench, Key (*key)(const ScorePoint&)) {
  std::vector<Key> out;
  for (const ScorePoint& s : bench.score)
    if (std::find(out.begin(), out.end(), key(s)) == out.end()) out.push_back(key(s));
  return out;
}

// A log-log chart against d (base 2 on the d axis).
Chart chart_against_d(std::string stem, std::string title, std::string y_label) {
  Chart c;
  c.stem = std::move(stem);
  c.title = std::move(title);
  c.x_label = "dimension d";
  c.y_label = std::move(y_label);
  c.log_x = c.log_y = true;
  c.log_x_base = 2;
  return c;
}

std::string method_of(const ScorePoint& s) { return s.c.method; }
std::string parameterization_of(const ScorePoint& s) { return s.c.parameterization; }

// Time per sample for (method, d) in a slice; NaN when absent.
double lookup(const BenchData& bench, const Slice& slice, const std::string& method, long d) {
  for (const ScorePoint& s : bench.score)
    if (in_slice(s, slice) && s.c.method == method && s.c.d == d) return s.per_sample_ns();
  return std::numeric_limits<double>::quiet_NaN();
}

std::vector<long> dims_in(const BenchData& bench, const Slice& slice) {
  std::set<long> d;
  for (const ScorePoint& s : bench.score)
    if (in_slice(s, slice)) d.insert(s.c.d);
  return {d.begin(), d.end()};
}

// Ranges of d and B for the verdict: d in [1,3], [4,15], [16,63], …
// (powers of 4) and B in [1,15], [16,255], … (powers of 16).
int bucket(long v, long base) {
  int k = 0;
  for (long edge = base; v >= edge; edge *= base) ++k;
  return k;
}

// FLOP/s and bytes/s from the benchmark's own cost model (model_flops and
// model_bytes per iteration, benchmarks/README.md) over the time reported here.
std::optional<double> per_second(const std::map<std::string, double>& counters, const char* per_iteration,
                                 const char* rate, double time_ns) {
  const auto it = counters.find(per_iteration);
  if (it != counters.end() && it->second > 0) return it->second / (time_ns * 1e-9);
  const auto r = counters.find(rate);
  if (r != counters.end() && r->second > 0) return r->second;
  return std::nullopt;
}
std::optional<double> flop_rate(const ScorePoint& s) {
  return per_second(s.counters, "model_flops", "flops_per_second", s.time_ns);
}
std::optional<double> byte_rate(const ScorePoint& s) {
  return per_second(s.counters, "model_bytes", "bytes_per_second", s.time_ns);
}

// DESIGN's order of the parameterizations; others after them.
int parameterization_rank(const std::string& p) {
  static const char* order[] = {"scale_tril", "covariance_matrix", "precision_matrix", "scale_diag"};
  for (int i = 0; i < 4; ++i)
    if (p == order[i]) return i;
  return 4;
}

// "1.23× [1.18, 1.29]" (95 % interval), or "1.23× (one repetition)".
std::string margin_text(const Margin& m) {
  if (std::isnan(m.ratio)) return "";
  const std::string ratio = format_general(m.ratio, 3) + "×";
  if (!m.has_interval()) return ratio + " (one repetition, no interval)";
  return ratio + " [" + format_general(m.low, 3) + ", " + format_general(m.high, 3) + "]";
}

}  // namespace

BenchData load_bench_data(const std::vector<BenchmarkRun>& runs, const std::string& time_field) {
  BenchData data;
  if (!runs.empty()) data.context = runs.front().context;
  data.time_field = time_field;
  std::set<std::string> seen;
  for (const BenchmarkRun& run : runs) {
    const auto origins = run.context.find("scorebench_external");
    if (origins != run.context.end() && origins->is_object())
      for (const auto& [method, origin] : origins->items())
        if (origin.is_string()) data.origins.emplace(method, origin.get<std::string>());
    for (const BenchmarkEntry& e : run.benchmarks) {
      if (!seen.insert(e.name).second) {
        data.duplicates.push_back(e.name + " (again in " + run.source + ")");
        continue;
      }
      const double t = median_of(e, time_field);
      if (!e.error.empty() || !(t > 0)) {
        data.other.push_back(e.name);
        continue;
      }
      std::map<std::string, double> counters;
      for (const auto& [k, v] : e.counters) counters[k] = median(v);
      if (auto score = parse_score_name(e.name)) {
        (score->threads == 1 ? data.score : data.threaded)
            .push_back(ScorePoint{*score, t, counters, samples(e, time_field)});
      } else if (auto roof = parse_roof_name(e.name)) {
        RoofPoint r{*roof, t, 0};
        // Without the model counters: 2n³ flops per gemm, the bytes the triad's name states.
        const auto n = double(roof->size);
        const std::optional<double> rate = roof->kind == "gemm"
                                               ? per_second(counters, "model_flops", "flops_per_second", t)
                                               : per_second(counters, "model_bytes", "bytes_per_second", t);
        r.rate = rate ? *rate : (roof->kind == "gemm" ? 2 * n * n * n : n) / (t * 1e-9);
        data.roofs.push_back(r);
      } else {
        data.other.push_back(e.name);
      }
    }
  }
  return data;
}

void add_verdict_section(ReportContext& ctx, const BenchData& bench, const ContractTable* contracts) {
  Document& doc = ctx.doc();
  doc.heading(2, "Verdict");
  if (bench.score.empty()) {
    ctx.note(
        "no benchmark run (`--bench`): no verdict. Run `scorebench_benchmarks --benchmark_out=bench.json "
        "--benchmark_out_format=json` and pass `--bench bench.json`.");
    return;
  }
  doc.paragraph(
      "For each parameterization and range of dimension d and batch size B: the fastest method among those "
      "whose accuracy contract holds (ranked by the geometric mean, over the outputs, dtypes, d and B of the "
      "range, of its time relative to the fastest at each point), and its margin over the runner-up: the "
      "geometric mean of their time ratio where both ran, with a 95 % interval from the spread of the "
      "repetitions. A margin whose interval reaches 1× is a tie within the noise, not a win; with one "
      "repetition there is no interval, and a margin under 1.05× is called a tie. Per-sample: one "
      "covariance per sample (state-dependent); shared: one covariance for the batch. Rows come by "
      "parameterization (scale_tril, covariance_matrix, precision_matrix, scale_diag), then by verdict "
      "(the per-sample winner, alphabetically; rows without one last), then by d and B.");
  if (!contracts)
    ctx.note(
        "no verification run (`--verify`): accuracy contracts not checked, the verdict ranks speed alone.");

  struct Key {
    std::string p;
    int db, bb;
    bool operator<(const Key& o) const { return std::tie(p, db, bb) < std::tie(o.p, o.db, o.bb); }
  };
  struct Range {
    long d_lo = std::numeric_limits<long>::max(), d_hi = 0, b_lo = std::numeric_limits<long>::max(), b_hi = 0;
  };
  std::map<Key, Range> ranges;
  for (const ScorePoint& s : bench.score) {
    Range& r = ranges[Key{s.c.parameterization, bucket(s.c.d, 4), bucket(s.c.batch, 16)}];
    r.d_lo = std::min(r.d_lo, s.c.d);
    r.d_hi = std::max(r.d_hi, s.c.d);
    r.b_lo = std::min(r.b_lo, s.c.batch);
    r.b_hi = std::max(r.b_hi, s.c.batch);
  }

  auto contract_holds = [&](const std::string& method, const std::string& p) {
    if (!contracts) return true;
    const auto it = contracts->find({method, p});
    return it == contracts->end() || it->second.holds;
  };
  auto range_text = [](long lo, long hi) {
    return lo == hi ? std::to_string(lo) : std::to_string(lo) + "–" + std::to_string(hi);
  };

  // For one cell: winner text and the CSV fields.
  struct Cell {
    std::string text, winner, runner_up;
    Margin margin;
  };
  auto decide = [&](const Key& key, const std::string& sharing) {
    // Points of this cell, keyed by configuration (output, dtype, d, B).
    std::map<std::tuple<std::string, std::string, long, long>, std::map<std::string, const ScorePoint*>>
        configs;
    for (const ScorePoint& s : bench.score)
      if (s.c.parameterization == key.p && s.c.sharing == sharing && bucket(s.c.d, 4) == key.db &&
          bucket(s.c.batch, 16) == key.bb)
        configs[{s.c.output, s.c.dtype, s.c.d, s.c.batch}][s.c.method] = &s;
    Cell cell;
    if (configs.empty()) {
      cell.text = "—";
      return cell;
    }
    // Score: geometric mean of time / best time at each configuration the method covers.
    std::map<std::string, std::pair<double, int>> log_sum;
    std::vector<std::string> excluded;
    for (const auto& [config, points] : configs) {
      double best = std::numeric_limits<double>::infinity();
      for (const auto& [m, s] : points)
        if (contract_holds(m, key.p)) best = std::min(best, s->time_ns);
      for (const auto& [m, s] : points) {
        if (!contract_holds(m, key.p)) {
          if (std::find(excluded.begin(), excluded.end(), m) == excluded.end()) excluded.push_back(m);
          continue;
        }
        log_sum[m].first += std::log(s->time_ns / best);
        ++log_sum[m].second;
      }
    }
    std::vector<std::pair<double, std::string>> ranked;
    for (const auto& [m, s] : log_sum)
      if (2 * s.second >= int(configs.size())) ranked.push_back({std::exp(s.first / s.second), m});
    std::sort(ranked.begin(), ranked.end());
    if (ranked.empty()) {
      cell.text = "no method keeps its contract";
      return cell;
    }
    cell.winner = ranked[0].second;
    if (ranked.size() > 1) {
      cell.runner_up = ranked[1].second;
      std::vector<std::pair<const std::vector<double>*, const std::vector<double>*>> pairs;
      for (const auto& [config, points] : configs) {
        const auto w = points.find(cell.winner), r = points.find(cell.runner_up);
        if (w != points.end() && r != points.end())
          pairs.push_back({&r->second->repetitions_ns, &w->second->repetitions_ns});
      }
      cell.margin = time_ratio_margin(pairs);
    }
    const bool tie = cell.margin.tie();
    cell.text = tie ? "tie: " + method_label(cell.winner) + " and " + method_label(cell.runner_up)
                    : "**" + method_label(cell.winner) + "**";
    if (!cell.runner_up.empty())
      cell.text += " " + margin_text(cell.margin) + (tie ? "" : " ahead of " + method_label(cell.runner_up));
    if (contracts) {
      const auto it = contracts->find({cell.winner, key.p});
      if (it != contracts->end() && it->second.cases > 0)
        cell.text += "; worst err/bound " + format_general(it->second.worst_ratio, 2);
    }
    if (!excluded.empty()) {
      std::string list;
      for (const auto& m : excluded) list += (list.empty() ? "" : ", ") + method_label(m);
      cell.text += " (contract broken: " + list + ")";
    }
    return cell;
  };

  struct Row {
    std::string p;
    Range range;
    Cell per_sample, shared;
  };
  std::vector<Row> rows;
  for (const auto& [key, range] : ranges)
    rows.push_back({key.p, range, decide(key, "per_sample"), decide(key, "shared")});
  // The stated order: parameterization, then the per-sample verdict (no verdict last), then d and B.
  auto verdict_key = [](const Cell& c) { return std::make_pair(c.winner.empty(), c.winner); };
  std::stable_sort(rows.begin(), rows.end(), [&](const Row& a, const Row& b) {
    return std::make_tuple(parameterization_rank(a.p), verdict_key(a.per_sample), a.range.d_lo,
                           a.range.b_lo) <
           std::make_tuple(parameterization_rank(b.p), verdict_key(b.per_sample), b.range.d_lo, b.range.b_lo);
  });

  Table table;
  table.header = {"parameterization", "d", "B", "per-sample covariance", "shared covariance"};
  table.numeric = {false, true, true, false, false};
  table.wrap = {false, false, false, true, true};
  std::vector<std::vector<std::string>> csv_rows;
  for (const Row& row : rows) {
    table.rows.push_back({"`" + row.p + "`", range_text(row.range.d_lo, row.range.d_hi),
                          range_text(row.range.b_lo, row.range.b_hi), row.per_sample.text, row.shared.text});
    for (const auto* c : {&row.per_sample, &row.shared})
      if (!c->winner.empty())
        csv_rows.push_back({row.p, c == &row.per_sample ? "per_sample" : "shared",
                            std::to_string(row.range.d_lo), std::to_string(row.range.d_hi),
                            std::to_string(row.range.b_lo), std::to_string(row.range.b_hi), c->winner,
                            c->runner_up, csv_number(c->margin.ratio), csv_number(c->margin.low),
                            csv_number(c->margin.high), c->margin.tie() ? "1" : "0"});
  }
  doc.table(std::move(table));
  ctx.csv("verdict.csv",
          {"parameterization", "sharing", "d_min", "d_max", "batch_min", "batch_max", "fastest", "runner_up",
           "margin", "margin_low95", "margin_high95", "tie"},
          csv_rows, "the verdict, one row per parameterization, sharing mode and range");
}

void add_bench_sections(ReportContext& ctx, const BenchData& bench) {
  Document& doc = ctx.doc();
  doc.heading(2, "Performance");
  if (bench.score.empty()) {
    ctx.note("no score benchmarks in the benchmark run: the performance sections are left out.");
    return;
  }
  doc.paragraph(
      "Times are medians over repetitions of `" + bench.time_field +
      "`, divided by the batch size B (time per sample). Each chart shows one slice of the grid: its "
      "output (per-sample `grads` or weighted `sum`), dtype and batch size are in the title.");
  if (!ctx.can_plot())
    ctx.note(
        "gnuplot was not found (Debian package `gnuplot-nox`): charts are left out, the tables are kept.");

  const std::vector<std::string> methods = distinct<std::string>(bench, method_of);
  const std::vector<std::string> params = distinct<std::string>(bench, parameterization_of);
  const bool have_reference = std::find(methods.begin(), methods.end(), kReference) != methods.end();

  std::vector<Chart> time_charts, speedup_charts;
  Table pivot;
  pivot.header = {"parameterization", "sharing", "slice", "d"};
  for (const auto& m : methods) pivot.header.push_back(method_label(m));
  pivot.numeric = std::vector<bool>(pivot.header.size(), true);
  pivot.numeric[0] = pivot.numeric[1] = pivot.numeric[2] = false;

  for (const std::string& p : params)
    for (const std::string sharing : {"per_sample", "shared"}) {
      const std::optional<Slice> slice = choose_slice(bench, p, sharing);
      if (!slice) continue;
      const std::vector<long> dims = dims_in(bench, *slice);
      Chart time = chart_against_d("time_" + p + "_" + sharing,
                                   p + ", " + sharing + ": time per sample (" + slice_label(*slice) + ")",
                                   "ns per sample (" + bench.time_field + ")");
      Chart speed = chart_against_d(
          "speedup_" + p + "_" + sharing,
          p + ", " + sharing + ": speed-up over autodiff_reverse (" + slice_label(*slice) + ")",
          "time(autodiff_reverse) / time(method)");
      speed.log_y_base = 2;
      speed.reference_y = 1;
      speed.reference_label = "autodiff_reverse";
      for (const std::string& m : methods) {
        Series ts{method_label(m), {}, {}, method_color(m), method_point_type(m), method_dash_type(m)},
            ss = ts;
        for (long d : dims) {
          const double t = lookup(bench, *slice, m, d);
          ts.x.push_back(double(d));
          ts.y.push_back(t);
          if (have_reference && m != kReference) {
            ss.x.push_back(double(d));
            ss.y.push_back(lookup(bench, *slice, kReference, d) / t);
          }
        }
        time.series.push_back(ts);
        if (m != kReference) speed.series.push_back(ss);
      }
      time_charts.push_back(time);
      if (have_reference) speedup_charts.push_back(speed);
      for (long d : dims) {
        std::vector<std::string> row = {"`" + p + "`", sharing, slice_label(*slice), std::to_string(d)};
        double best = std::numeric_limits<double>::infinity();
        for (const auto& m : methods) best = std::min(best, lookup(bench, *slice, m, d));
        for (const auto& m : methods) {
          const double t = lookup(bench, *slice, m, d);
          row.push_back(std::isnan(t) ? "—"
                        : t == best   ? "**" + format_duration_ns(t) + "**"
                                      : format_duration_ns(t));
        }
        pivot.rows.push_back(std::move(row));
      }
    }

  doc.heading(3, "Time per sample against dimension");
  doc.figures(ctx.charts(time_charts));
  doc.paragraph("Time per sample in each chart's slice (fastest in bold):");
  doc.table(std::move(pivot));
  std::vector<std::vector<std::string>> rows;
  for (const ScorePoint& s : bench.score)
    rows.push_back({s.c.method, s.c.parameterization, s.c.sharing, s.c.output, s.c.dtype,
                    std::to_string(s.c.d), std::to_string(s.c.batch), csv_number(s.time_ns),
                    csv_number(s.per_sample_ns())});
  ctx.csv("score_times.csv",
          {"method", "parameterization", "sharing", "output", "dtype", "d", "batch", "threads", "time_ns",
           "ns_per_sample"},
          rows, "every score benchmark, median time per batch and per sample");

  doc.heading(3, "Speed-up over autodiff_reverse");
  if (!have_reference) {
    ctx.note("the benchmark run has no `autodiff_reverse` (libtorch) benchmarks: no speed-up charts.");
  } else {
    doc.paragraph(
        "Above 1: faster than libtorch autograd through the log-density (PyTorch's "
        "`MultivariateNormal.log_prob` route) on the same slice.");
    doc.figures(ctx.charts(speedup_charts));
  }

  doc.heading(3, "Fraction of the in-run roofs");
  if (bench.roofs.empty()) {
    ctx.note("the benchmark run has no `roof/gemm` or `roof/triad` benchmarks: no roof fractions.");
    return;
  }
  double gemm_peak = 0, triad_peak = 0;
  Table roofs;
  roofs.header = {"roof", "size", "time", "rate"};
  roofs.numeric = {false, true, true, true};
  std::vector<std::vector<std::string>> roof_rows;
  for (const RoofPoint& r : bench.roofs) {
    const bool gemm = r.c.kind == "gemm";
    // The fractions below are of one-thread rows, against one-thread roofs.
    if (r.c.threads == 1) (gemm ? gemm_peak : triad_peak) = std::max(gemm ? gemm_peak : triad_peak, r.rate);
    const std::string on = r.c.threads == 1 ? "" : ", " + std::to_string(r.c.threads) + " threads";
    roofs.rows.push_back(
        {r.c.kind + on, (gemm ? "n = " : "bytes = ") + std::to_string(r.c.size),
         format_duration_ns(r.time_ns),
         gemm ? format_general(r.rate * 1e-9, 4) + " GFLOP/s" : format_general(r.rate * 1e-9, 4) + " GB/s"});
    roof_rows.push_back({r.c.kind, std::to_string(r.c.size), std::to_string(r.c.threads),
                         csv_number(r.time_ns), csv_number(r.rate)});
  }
  doc.paragraph(
      "Machine roofs measured in the same run: a double-precision GEMM (peak arithmetic) and a STREAM "
      "triad (memory bandwidth); every rate below is a fraction of the best one-thread roof of each kind.");
  doc.table(std::move(roofs));
  ctx.csv("roofs.csv", {"roof", "size", "threads", "time_ns", "rate_per_second"}, roof_rows,
          "the in-run roofs (FLOP/s for gemm, bytes/s for triad)");

  // Roofline fraction: achieved FLOP/s over min(peak FLOP/s, intensity × bandwidth).
  std::vector<Chart> fraction_charts;
  bool any_counter = false;
  for (const std::string& p : params) {
    const std::optional<Slice> slice = choose_slice(bench, p, "per_sample");
    if (!slice) continue;
    Chart chart = chart_against_d("roof_" + p,
                                  p + ", per_sample: fraction of the roofline (" + slice_label(*slice) + ")",
                                  "achieved / attainable FLOP/s");
    for (const std::string& m : methods) {
      Series s{method_label(m), {}, {}, method_color(m), method_point_type(m), method_dash_type(m)};
      for (const ScorePoint& pt : bench.score) {
        if (!in_slice(pt, *slice) || pt.c.method != m) continue;
        const auto flops = flop_rate(pt);
        if (!flops || gemm_peak <= 0) continue;
        any_counter = true;
        const auto bytes = byte_rate(pt);
        double attainable = gemm_peak;
        if (bytes && triad_peak > 0) attainable = std::min(gemm_peak, *flops / *bytes * triad_peak);
        s.x.push_back(double(pt.c.d));
        s.y.push_back(*flops / attainable);
      }
      chart.series.push_back(s);
    }
    fraction_charts.push_back(chart);
  }
  if (!any_counter) {
    ctx.note("the score benchmarks carry no `model_flops` counter: roof fractions cannot be computed.");
    return;
  }
  doc.figures(ctx.charts(fraction_charts));
}

}  // namespace scorebench::reports
