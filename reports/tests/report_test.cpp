#include "scorebench/reports/report.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "scorebench/benchmark_name.hpp"
#include "scorebench/reports/document.hpp"
#include "synthetic_runs.hpp"

namespace scorebench::reports {
namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// A fresh folder under the test's temporary directory.
fs::path fresh_dir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("scorebench_reports_" + std::to_string(getpid())) / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

fs::path write_json(const fs::path& dir, const std::string& name, const nlohmann::json& j) {
  const fs::path p = dir / name;
  std::ofstream(p) << j.dump();
  return p;
}

// The row of the verdict CSV for (parameterization, sharing, d_min, batch_min).
std::vector<std::string> verdict_row(const fs::path& csv, const std::string& p, const std::string& sharing,
                                     long d, long b) {
  std::istringstream in(read(csv));
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::istringstream l(line);
    for (std::string c; std::getline(l, c, ',');) cells.push_back(c);
    if (cells.size() >= 9 && cells[0] == p && cells[1] == sharing && cells[2] == std::to_string(d) &&
        cells[4] == std::to_string(b))
      return cells;
  }
  return {};
}

TEST(BenchmarkName, ParsesScoreMcAndRoofNames) {
  const auto s = parse_score_name("score/analytic/scale_tril/shared/sum/f32/d:16/batch:256/threads:2");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->method, "analytic");
  EXPECT_EQ(s->parameterization, "scale_tril");
  EXPECT_EQ(s->sharing, "shared");
  EXPECT_EQ(s->output, "sum");
  EXPECT_EQ(s->dtype, "f32");
  EXPECT_EQ(s->d, 16);
  EXPECT_EQ(s->batch, 256);
  EXPECT_EQ(s->threads, 2);
  EXPECT_FALSE(parse_score_name("score/analytic/scale_tril/both/sum/f32/d:16/batch:256"));
  EXPECT_FALSE(parse_score_name("score/analytic/scale_tril/shared/sum/f32/d:0/batch:256"));
  const auto m = parse_mc_name("mc/pathwise/square:1/d:1/batch:1024");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->estimator, "pathwise");
  EXPECT_EQ(m->cost, "square:1");
  EXPECT_EQ(m->batch, 1024);
  const auto r = parse_roof_name("roof/triad/bytes:1048576");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->kind, "triad");
  EXPECT_EQ(r->size, 1048576);
  EXPECT_FALSE(parse_roof_name("roof/fft/n:8"));
}

TEST(Document, RendersMarksAndEscapesInBothFormats) {
  Document doc("T <1>");
  doc.heading(2, "Speed & size");
  doc.paragraph("use `a<b` and **bold**");
  doc.table(Table{{"x|y"}, {{"1"}}, {true}, {}});
  const std::string md = render_markdown(doc), html = render_html(doc);
  EXPECT_NE(md.find("## Speed & size"), std::string::npos);
  EXPECT_NE(md.find("| x\\|y |"), std::string::npos);
  EXPECT_NE(md.find("--:|"), std::string::npos);
  EXPECT_NE(html.find("<h2 id=\"speed-size\">Speed &amp; size</h2>"), std::string::npos);
  EXPECT_NE(html.find("use <code>a&lt;b</code> and <strong>bold</strong>"), std::string::npos);
  EXPECT_NE(html.find("<title>T &lt;1&gt;</title>"), std::string::npos);
}

TEST(Document, InlineSvgPrefixesIdsAndReferences) {
  const std::string svg =
      "<?xml version=\"1.0\"?>\n<svg><title>Gnuplot</title><defs><path id='gpPt1'/>"
      "<use xlink:href='#gpPt1' id='gpPt2'/></defs><g id=\"gnuplot_plot_1\"><use xlink:href='#gpPt2'/>"
      "<rect fill='url(#gpPt1)'/><a href='#elsewhere'/></g></svg>";
  const std::string out = inline_svg(svg, "f3-", "my <chart>");
  EXPECT_EQ(out.find("<?xml"), std::string::npos);
  EXPECT_NE(out.find("id='f3-gpPt1'"), std::string::npos);
  EXPECT_NE(out.find("href='#f3-gpPt2'"), std::string::npos);
  EXPECT_NE(out.find("url(#f3-gpPt1)"), std::string::npos);
  EXPECT_NE(out.find("id=\"f3-gnuplot_plot_1\""), std::string::npos);
  EXPECT_NE(out.find("href='#elsewhere'"), std::string::npos);  // not an id of this SVG
  EXPECT_NE(out.find("<title>my &lt;chart&gt;</title>"), std::string::npos);
}

TEST(Report, BenchmarkRunGivesVerdictChartsTablesAndAnOfflinePage) {
  const fs::path dir = fresh_dir("bench");
  ReportOptions o;
  o.bench_files = {write_json(dir, "bench.json", testing::score_grid_run()).string()};
  o.out_dir = (dir / "out").string();
  const ReportSummary s = write_report(o);
  EXPECT_TRUE(s.errors.empty());
  // 4 parameterizations × 2 sharing modes × (time, speed-up) + 4 roof fractions.
  EXPECT_EQ(s.charts, 20);
  for (const char* f :
       {"report.md", "index.html", "verdict.csv", "score_times.csv", "roofs.csv",
        "time_scale_tril_per_sample.svg", "speedup_covariance_matrix_shared.svg", "roof_scale_diag.svg"})
    EXPECT_TRUE(fs::exists(fs::path(o.out_dir) / f)) << f;

  const std::string html = read(fs::path(o.out_dir) / "index.html");
  EXPECT_EQ(count(html, "<svg"), 20u);
  EXPECT_EQ(count(html, "<script"), 0u);
  EXPECT_EQ(count(html, "<link"), 0u);
  EXPECT_EQ(count(html, "<img"), 0u);
  EXPECT_EQ(count(html, "src="), 0u);
  EXPECT_EQ(count(html, "@import"), 0u);
  const std::string md = read(fs::path(o.out_dir) / "report.md");
  EXPECT_EQ(count(md, ".svg)"), 20u);
  EXPECT_LT(md.find("## Verdict"), md.find("## Performance"));  // the verdict is at the top

  // The cost model's winners (synthetic_runs.hpp) with their margins.
  const fs::path verdict = fs::path(o.out_dir) / "verdict.csv";
  auto row = verdict_row(verdict, "scale_tril", "per_sample", 128, 1024);
  ASSERT_FALSE(row.empty());
  EXPECT_EQ(row[6], "analytic");
  EXPECT_EQ(row[7], "reparameterization");
  EXPECT_NEAR(std::stod(row[8]), 1.5, 0.03);
  row = verdict_row(verdict, "covariance_matrix", "shared", 128, 1024);
  ASSERT_FALSE(row.empty());
  EXPECT_EQ(row[6], "cholesky_solve");
  EXPECT_NEAR(std::stod(row[8]), (2.5 * 262144 + 5) / (2.0 * 262144 + 2 * 16384 + 5), 0.03);
  row = verdict_row(verdict, "covariance_matrix", "per_sample", 2, 16);
  ASSERT_FALSE(row.empty());
  EXPECT_EQ(row[6], "reparameterization");

  // Roofs: 20 GFLOP/s and 10 GB/s (16 GB/s on two threads) recovered from
  // time and the model counters; rows keyed by roof and threads.
  std::istringstream roofs(read(fs::path(o.out_dir) / "roofs.csv"));
  std::map<std::string, double> rate;
  for (std::string line; std::getline(roofs, line);) {
    std::vector<std::string> f;
    std::istringstream fields(line);
    for (std::string x; std::getline(fields, x, ',');) f.push_back(x);
    if (f.size() == 5) rate[f[0] + "/" + f[2]] = std::atof(f[4].c_str());
  }
  EXPECT_NEAR(rate["gemm/1"], 2e10, 0.05 * 2e10);
  EXPECT_NEAR(rate["triad/1"], 1e10, 0.05 * 1e10);
  EXPECT_NEAR(rate["triad/2"], 1.6e10, 0.05 * 1.6e10);
  // The two-thread roof is listed with its thread count.
  EXPECT_NE(read(fs::path(o.out_dir) / "report.md").find("triad, 2 threads"), std::string::npos);
}

TEST(Report, MissingInputsLeaveSectionsOutWithNotes) {
  const fs::path dir = fresh_dir("empty");
  ReportOptions o;
  o.out_dir = (dir / "out").string();
  const ReportSummary s = write_report(o);
  EXPECT_TRUE(s.errors.empty());
  EXPECT_EQ(s.charts, 0);
  const std::string md = read(fs::path(o.out_dir) / "report.md");
  EXPECT_NE(md.find("no benchmark run given (`--bench`)"), std::string::npos);
  EXPECT_NE(md.find("no verification run given (`--verify`)"), std::string::npos);
  EXPECT_NE(md.find("no Monte Carlo run given (`--mc`)"), std::string::npos);
  EXPECT_TRUE(fs::exists(fs::path(o.out_dir) / "index.html"));
}

TEST(Report, UnreadableOrWrongInputIsAnErrorButTheReportIsWritten) {
  const fs::path dir = fresh_dir("bad");
  std::ofstream(dir / "broken.json") << "{ not json";
  ReportOptions o;
  o.bench_files = {(dir / "absent.json").string()};
  o.verify_file = (dir / "broken.json").string();
  o.mc_file = write_json(dir, "wrong.json", nlohmann::json{{"benchmarks", 3}}).string();
  o.out_dir = (dir / "out").string();
  const ReportSummary s = write_report(o);
  ASSERT_EQ(s.errors.size(), 3u);
  EXPECT_NE(s.errors[0].find("absent.json"), std::string::npos);
  EXPECT_NE(s.errors[1].find("broken.json"), std::string::npos);
  EXPECT_NE(s.errors[2].find("Monte Carlo JSON"), std::string::npos);
  EXPECT_TRUE(fs::exists(fs::path(o.out_dir) / "report.md"));
}

TEST(Report, WithoutGnuplotTheTablesStayAndTheReportSaysSo) {
  const fs::path dir = fresh_dir("nognuplot");
  ReportOptions o;
  o.bench_files = {write_json(dir, "bench.json", testing::score_grid_run()).string()};
  o.out_dir = (dir / "out").string();
  o.gnuplot = (dir / "no-such-gnuplot").string();
  const ReportSummary s = write_report(o);
  EXPECT_EQ(s.charts, 0);
  const std::string md = read(fs::path(o.out_dir) / "report.md");
  EXPECT_NE(md.find("gnuplot was not found"), std::string::npos);
  EXPECT_NE(md.find("| `scale_tril` | per_sample |"), std::string::npos);  // the time table is kept
  EXPECT_FALSE(fs::exists(fs::path(o.out_dir) / "time_scale_tril_per_sample.svg"));
}

TEST(Report, AFailingGnuplotIsReportedWithItsExitStatus) {
  const fs::path dir = fresh_dir("badgnuplot");
  const fs::path fake = dir / "gnuplot";
  std::ofstream(fake) << "#!/bin/sh\necho 'line 3: undefined variable' >&2\nexit 3\n";
  fs::permissions(fake, fs::perms::owner_all);
  ReportOptions o;
  testing::GridModel small;
  small.parameterizations = {"scale_tril"};
  o.bench_files = {write_json(dir, "bench.json", testing::score_grid_run(small)).string()};
  o.out_dir = (dir / "out").string();
  o.gnuplot = fake.string();
  const ReportSummary s = write_report(o);
  EXPECT_EQ(s.charts, 0);
  ASSERT_FALSE(s.notes.empty());
  bool found = false;
  for (const auto& n : s.notes)
    found = found || (n.find("exited with status 3") != std::string::npos &&
                      n.find("undefined variable") != std::string::npos);
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace scorebench::reports

namespace scorebench::reports {
namespace {

TEST(Report, VerificationGivesEnvelopeContractsAndExcludesABrokenContractFromTheVerdict) {
  const fs::path dir = fresh_dir("verify");
  testing::GridModel model;
  model.parameterizations = {"scale_tril", "covariance_matrix"};
  ReportOptions o;
  o.bench_files = {write_json(dir, "bench.json", testing::score_grid_run(model)).string()};
  o.verify_file = write_json(dir, "verify.json", testing::verify_run()).string();
  o.out_dir = (dir / "out").string();
  const ReportSummary s = write_report(o);
  EXPECT_TRUE(s.errors.empty());
  for (const char* f : {"envelope_f64.svg", "envelope_f32.svg", "error_f64.svg", "accuracy.csv"})
    EXPECT_TRUE(fs::exists(fs::path(o.out_dir) / f)) << f;
  const std::string md = read(fs::path(o.out_dir) / "report.md");
  EXPECT_NE(md.find("gate **failed**"), std::string::npos);
  // explicit_inverse: 1 violation on covariance_matrix (f64 at κ = 1e12), worst ratio 5.
  EXPECT_NE(md.find("| explicit_inverse | `covariance_matrix` | — | 6 | **1** | 5 | 0.45 |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| `missing_half` | yes | log_prob |"), std::string::npos);
  // The verdict names the broken contract and never picks explicit_inverse there.
  const std::string verdict = read(fs::path(o.out_dir) / "verdict.csv");
  EXPECT_EQ(verdict.find("covariance_matrix,per_sample,2,2,16,16,explicit_inverse"), std::string::npos);
  EXPECT_NE(md.find("contract broken: explicit_inverse"), std::string::npos);
}

TEST(Report, VerificationWithTheWrongSchemaIsAnError) {
  const fs::path dir = fresh_dir("verify_bad");
  ReportOptions o;
  o.verify_file = write_json(dir, "v.json", nlohmann::json{{"schema", "other/1"}}).string();
  o.out_dir = (dir / "out").string();
  const ReportSummary s = write_report(o);
  ASSERT_EQ(s.errors.size(), 1u);
  EXPECT_NE(s.errors[0].find("scorebench.verify/1"), std::string::npos);
}

TEST(Report, MonteCarloFiguresGiveFiguresTwoAndThreeAndWorkNormalisedVariance) {
  const fs::path dir = fresh_dir("mc");
  ReportOptions o;
  o.mc_file = write_json(dir, "mc.json", testing::mc_figures_run()).string();
  o.out_dir = (dir / "out").string();
  const ReportSummary s = write_report(o);
  EXPECT_TRUE(s.errors.empty());
  EXPECT_EQ(s.charts, 12);  // 3 costs × 2 parameters × (variance, work-normalised)
  for (const char* f : {"mc_variance_square_mean.svg", "mc_variance_cos_std.svg",
                        "mc_work_exp_neg_square_mean.svg", "mc_figures.csv"})
    EXPECT_TRUE(fs::exists(fs::path(o.out_dir) / f)) << f;
  const std::string md = read(fs::path(o.out_dir) / "report.md");
  EXPECT_NE(md.find("Figure 2"), std::string::npos);
  EXPECT_NE(md.find("Figure 3"), std::string::npos);
  // At k = 1: score function 10, pathwise 1 (the synthetic model).
  EXPECT_NE(md.find("| f(x) = (x − k)² | ∂/∂μ | 1 | 10 | 10 | 1 |"), std::string::npos) << md;
}

TEST(Report, MonteCarloJsonOfAnotherShapeIsAnError) {
  const fs::path dir = fresh_dir("mc_bad");
  ReportOptions o;
  o.mc_file = write_json(dir, "m.json", nlohmann::json{{"points", {{{"family", "square"}}}}}).string();
  o.out_dir = (dir / "out").string();
  const ReportSummary s = write_report(o);
  ASSERT_EQ(s.errors.size(), 1u);
  EXPECT_NE(s.errors[0].find("points[0]"), std::string::npos);
}

}  // namespace
}  // namespace scorebench::reports

namespace scorebench::reports {
namespace {

// A run of `scorebench time --external`: external.torch at `factor` × analytic's modelled time.
nlohmann::json external_run(const testing::GridModel& model, double factor) {
  std::map<std::string, std::vector<double>> times;
  for (const auto& p : model.parameterizations)
    for (long d : model.dims)
      for (long b : model.batches) {
        const double t = factor * testing::model_time_ns("analytic", p, d, b);
        times["score/external.torch/" + p + "/per_sample/grads/f64/d:" + std::to_string(d) +
              "/batch:" + std::to_string(b)] = {t, t * 1.01, t * 0.99};
      }
  nlohmann::json context = testing::default_context();
  context["executable"] = "scorebench time";
  context["scorebench_external"] = {{"external.torch", "external: /usr/bin/python3 torch.py"}};
  return testing::make_run(times, context);
}

TEST(Report, ExternalImplementationsJoinEverySectionMarkedWithTheirCommand) {
  const fs::path dir = fresh_dir("external");
  testing::GridModel model;
  model.parameterizations = {"scale_tril", "covariance_matrix"};
  model.methods = {"analytic", "autodiff_reverse"};
  nlohmann::json verify = testing::verify_run();
  nlohmann::json extra = nlohmann::json::array();
  for (const auto& r : verify["results"])
    if (r["method"] == "analytic") {
      nlohmann::json copy = r;
      copy["method"] = "external.torch";
      extra.push_back(copy);
    }
  for (auto& r : extra) verify["results"].push_back(r);
  verify["origins"] = {{"external.torch", "external: /usr/bin/python3 torch.py"}};
  ReportOptions o;
  o.bench_files = {write_json(dir, "bench.json", testing::score_grid_run(model)).string(),
                   write_json(dir, "torch.json", external_run(model, 0.5)).string()};
  o.verify_file = write_json(dir, "verify.json", verify).string();
  o.out_dir = (dir / "out").string();
  const ReportSummary s = write_report(o);
  EXPECT_TRUE(s.errors.empty());
  const std::string md = read(fs::path(o.out_dir) / "report.md");
  // Both runs named, the command in the externals table, before the verdict.
  EXPECT_NE(md.find("Benchmarks: `" + o.bench_files[1] + "`"), std::string::npos);
  const std::size_t externals = md.find("| external.torch† | `/usr/bin/python3 torch.py` | yes | yes |");
  ASSERT_NE(externals, std::string::npos) << md;
  EXPECT_LT(externals, md.find("## Verdict"));
  // The verdict: half analytic's time, so external.torch wins the per-sample scale_tril rows.
  const auto row = verdict_row(fs::path(o.out_dir) / "verdict.csv", "scale_tril", "per_sample", 128, 1024);
  ASSERT_FALSE(row.empty());
  EXPECT_EQ(row[6], "external.torch");
  EXPECT_EQ(row[7], "analytic");
  EXPECT_NEAR(std::stod(row[8]), 2.0, 0.05);
  EXPECT_NE(md.find("**external.torch†** "), std::string::npos);
  EXPECT_NE(md.find("ahead of analytic"), std::string::npos) << md;
  // The time table, the contract table and the chart legends mark it, dashed.
  EXPECT_NE(md.find("| analytic | autodiff_reverse | external.torch† |"), std::string::npos);
  EXPECT_NE(md.find("| external.torch† | `scale_tril` |"), std::string::npos);
  const std::string gp = read(fs::path(o.out_dir) / "gnuplot" / "time_scale_tril_per_sample.gp");
  const std::size_t legend = gp.find("title \"external.torch†\"");
  ASSERT_NE(legend, std::string::npos) << gp;
  EXPECT_NE(gp.rfind("dt 2", legend), std::string::npos);
  EXPECT_NE(read(fs::path(o.out_dir) / "gnuplot" / "envelope_f64.dat").find("# external.torch†"),
            std::string::npos);
}

TEST(Report, ARowInTwoRunsIsTakenFromTheFirstWithANote) {
  const fs::path dir = fresh_dir("duplicate");
  testing::GridModel model;
  model.parameterizations = {"scale_tril"};
  ReportOptions o;
  o.bench_files = {write_json(dir, "a.json", testing::score_grid_run(model)).string(),
                   write_json(dir, "b.json", testing::score_grid_run(model)).string()};
  o.out_dir = (dir / "out").string();
  const ReportSummary s = write_report(o);
  EXPECT_TRUE(s.errors.empty());
  bool noted = false;
  for (const auto& n : s.notes)
    noted = noted || (n.find("given twice") != std::string::npos &&
                      n.find("score/analytic/scale_tril/per_sample/grads/f64/d:2/batch:16 (again in " +
                             o.bench_files[1] + ")") != std::string::npos);
  EXPECT_TRUE(noted);
}

// The verdict table's rows, as (parameterization, per-sample winner, smallest
// d) in page order; the winner of a tie is the one named first.
struct VerdictRow {
  std::string p, winner;
  long d = 0;
};
std::vector<VerdictRow> verdict_rows(const std::string& md) {
  std::vector<VerdictRow> rows;
  const std::size_t from = md.find("## Verdict"), to = md.find("## Performance");
  std::istringstream in(md.substr(from, to - from));
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("| `", 0) != 0) continue;
    std::vector<std::string> cells;
    std::istringstream l(line);
    for (std::string c; std::getline(l, c, '|');) cells.push_back(c);
    // cells: "", " `p` ", " d ", " B ", " per-sample ", " shared ", ...
    VerdictRow row;
    row.p = cells[1].substr(2, cells[1].find('`', 2) - 2);
    row.d = std::stol(cells[2]);
    const std::string cell = cells[4].substr(1);
    if (cell.rfind("**", 0) == 0)
      row.winner = cell.substr(2, cell.find("**", 2) - 2);
    else if (cell.rfind("tie: ", 0) == 0)
      row.winner = cell.substr(5, cell.find(' ', 5) - 5);
    rows.push_back(row);
  }
  return rows;
}

TEST(Report, VerdictRowsComeByParameterizationThenByVerdict) {
  const fs::path dir = fresh_dir("order");
  ReportOptions o;
  o.bench_files = {write_json(dir, "bench.json", testing::score_grid_run()).string()};
  o.out_dir = (dir / "out").string();
  write_report(o);
  const auto rows = verdict_rows(read(fs::path(o.out_dir) / "report.md"));
  ASSERT_EQ(rows.size(),
            4u * 4u * 2u);  // parameterizations × d buckets {2, 8, 32, 128} × B buckets {16, 1024}
  const std::vector<std::string> order = {"scale_tril", "covariance_matrix", "precision_matrix",
                                          "scale_diag"};
  const auto rank = [&](const std::string& p) {
    return std::find(order.begin(), order.end(), p) - order.begin();
  };
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const VerdictRow &a = rows[i - 1], &b = rows[i];
    ASSERT_LE(rank(a.p), rank(b.p)) << i;
    if (a.p != b.p) continue;
    EXPECT_LE(a.winner, b.winner) << i;
    if (a.winner == b.winner) {
      EXPECT_LE(a.d, b.d) << i;
    }
  }
  // covariance_matrix has two verdicts (synthetic_runs.hpp): cholesky_solve's rows first, at large d.
  std::vector<std::string> covariance;
  for (const VerdictRow& r : rows)
    if (r.p == "covariance_matrix") covariance.push_back(r.winner);
  ASSERT_FALSE(covariance.empty());
  EXPECT_EQ(covariance.front(), "cholesky_solve");
  EXPECT_EQ(covariance.back(), "reparameterization");
}

TEST(Report, AMarginWithinTheNoiseIsATieNotAWin) {
  const fs::path dir = fresh_dir("margin");
  std::mt19937_64 rng(5);
  std::lognormal_distribution<double> noise(0, 0.05);
  std::map<std::string, std::vector<double>> times;
  auto add = [&](const std::string& method, const std::string& p, double centre, int reps) {
    auto& t = times["score/" + method + "/" + p + "/per_sample/grads/f64/d:8/batch:64"];
    for (int r = 0; r < reps; ++r) t.push_back(reps > 1 ? centre * noise(rng) : centre);
  };
  add("analytic", "scale_tril", 1000, 10);  // 1 % apart, 5 % noise: a tie
  add("cholesky_solve", "scale_tril", 1010, 10);
  add("analytic", "covariance_matrix", 1000, 10);  // twice as fast: a win
  add("cholesky_solve", "covariance_matrix", 2000, 10);
  add("analytic", "scale_diag", 1000, 1);  // 2 % apart, one repetition: a tie
  add("cholesky_solve", "scale_diag", 1020, 1);
  ReportOptions o;
  o.bench_files = {write_json(dir, "bench.json", testing::make_run(times)).string()};
  o.out_dir = (dir / "out").string();
  write_report(o);
  const fs::path csv = fs::path(o.out_dir) / "verdict.csv";
  auto row = verdict_row(csv, "scale_tril", "per_sample", 8, 64);
  ASSERT_EQ(row.size(), 12u);
  EXPECT_LE(std::stod(row[9]), 1.0);
  EXPECT_GE(std::stod(row[10]), 1.0);
  EXPECT_EQ(row[11], "1");
  row = verdict_row(csv, "covariance_matrix", "per_sample", 8, 64);
  EXPECT_NEAR(std::stod(row[8]), 2.0, 0.15);
  EXPECT_GT(std::stod(row[9]), 1.5);
  EXPECT_EQ(row[11], "0");
  row = verdict_row(csv, "scale_diag", "per_sample", 8, 64);
  EXPECT_EQ(row[9], "");  // no interval from one repetition
  EXPECT_EQ(row[11], "1");
  const std::string md = read(fs::path(o.out_dir) / "report.md");
  EXPECT_NE(md.find("| `scale_tril` | 8 | 64 | tie: "), std::string::npos) << md;
  EXPECT_NE(md.find("ahead of cholesky_solve"), std::string::npos);
  EXPECT_NE(md.find("(one repetition, no interval)"), std::string::npos);
}

}  // namespace
}  // namespace scorebench::reports
