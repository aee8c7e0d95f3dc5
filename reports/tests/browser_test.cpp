// Opens the report's index.html in headless Chromium and checks, in the
// rendered page, that every chart was laid out with data marks and that the
// page loaded no resource at all (no scripts, styles, fonts or images from
// anywhere, not even the SVG files beside it). Skipped when Chromium or
// gnuplot is not installed.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "scorebench/reports/report.hpp"
#include "scorebench/reports/subprocess.hpp"
#include "synthetic_runs.hpp"

namespace scorebench::reports {
namespace {

namespace fs = std::filesystem;

// Runs in the page once it has loaded; writes its findings into #check.
const char* kCheckScript = R"js(
<pre id="check"></pre>
<script>
window.addEventListener('load', () => {
  const out = {charts: 0, rendered: 0, problems: [], resources: []};
  for (const fig of document.querySelectorAll('figure.chart')) {
    out.charts++;
    const file = fig.dataset.file;
    const svg = fig.querySelector('svg');
    if (!svg) { out.problems.push(file + ': no inline svg'); continue; }
    const box = svg.getBoundingClientRect();
    if (box.width < 200 || box.height < 100) { out.problems.push(file + ': not laid out'); continue; }
    const groups = svg.querySelectorAll('g[id*="gnuplot_plot_"]');
    let most = 0, empty = 0;
    for (const g of groups) {
      let marks = 0;
      for (const el of g.querySelectorAll('path, use, circle, rect, polyline')) {
        const b = el.getBBox();
        if (b.width > 0 || b.height > 0) marks++;
      }
      most = Math.max(most, marks);
      if (marks < 1) empty++;
    }
    // Every series drew something; some series drew its key sample, a line and a point.
    if (groups.length === 0 || most < 3 || empty > 0) out.problems.push(file + ': no data marks');
    else out.rendered++;
  }
  // Horizontal overflow: of the page, and of any table on the first screen.
  const root = document.documentElement;
  out.page_overflow = root.scrollWidth - root.clientWidth;
  out.first_screen_tables = 0;
  out.overflowing = [];
  for (const wrap of document.querySelectorAll('.table-wrap')) {
    if (wrap.getBoundingClientRect().top >= window.innerHeight) continue;
    out.first_screen_tables++;
    if (wrap.scrollWidth > wrap.clientWidth + 1)
      out.overflowing.push(wrap.querySelector('th').textContent + ': ' + wrap.scrollWidth + ' > ' + wrap.clientWidth);
  }
  for (const e of performance.getEntriesByType('resource')) out.resources.push(e.name);
  for (const el of document.querySelectorAll('[src], link[href], object, iframe, embed'))
    out.resources.push(el.tagName + ' ' + (el.getAttribute('src') || el.getAttribute('href') || ''));
  document.getElementById('check').textContent = JSON.stringify(out);
});
</script>
)js";

std::string find_browser() {
  for (const char* name : {"chromium", "chromium-browser", "google-chrome"}) {
    const std::string path = find_executable(name);
    if (!path.empty()) return path;
  }
  return "";
}

std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Renders the report of `o` in headless Chromium at width × height and returns
// what kCheckScript found; an empty object when the test must skip.
nlohmann::json check_in_browser(const fs::path& dir, const ReportOptions& o, const ReportSummary& summary,
                                int width, int height) {
  const std::string browser = find_browser();
  // The page alone in its own folder: a reference to a file beside it would fail to load.
  std::string page = read(fs::path(o.out_dir) / "index.html");
  const std::size_t body_end = page.rfind("</body>");
  EXPECT_NE(body_end, std::string::npos);
  if (body_end == std::string::npos) return {};
  page.insert(body_end, kCheckScript);
  fs::create_directories(dir / "page");
  std::ofstream(dir / "page" / "index.html") << page;

  const std::string command =
      "timeout 120 '" + browser +
      "' --headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
      "--disable-background-networking --disable-component-update --disable-sync "
      "--disable-extensions --hide-scrollbars --virtual-time-budget=10000 --window-size=" +
      std::to_string(width) + "," + std::to_string(height) + " --user-data-dir='" +
      (dir / "profile").string() + "' --dump-dom 'file://" + (dir / "page" / "index.html").string() +
      "' 2>'" + (dir / "chromium.log").string() + "'";
  std::string dom;
  FILE* pipe = popen(command.c_str(), "r");
  EXPECT_NE(pipe, nullptr);
  if (!pipe) return {};
  char buffer[65536];
  for (std::size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) dom.append(buffer, n);
  const int status = pclose(pipe);
  EXPECT_EQ(status, 0) << "chromium failed; its log: " << read(dir / "chromium.log");

  const std::size_t start = dom.find("<pre id=\"check\">");
  EXPECT_NE(start, std::string::npos) << "no check output in the dumped DOM";
  if (start == std::string::npos) return {};
  const std::size_t from = start + 16, to = dom.find("</pre>", from);
  std::string text = dom.substr(from, to - from);
  for (std::size_t at; (at = text.find("&quot;")) != std::string::npos;) text.replace(at, 6, "\"");
  for (std::size_t at; (at = text.find("&amp;")) != std::string::npos;) text.replace(at, 5, "&");
  EXPECT_FALSE(text.empty()) << "the check did not run (no load event?)";
  if (text.empty()) return {};
  (void)summary;
  return nlohmann::json::parse(text);
}

TEST(Browser, EveryChartRendersAndThePageLoadsNothingExternal) {
  if (find_browser().empty())
    GTEST_SKIP() << "no Chromium installed (Debian package `chromium`): browser check skipped";
  if (find_executable("gnuplot").empty()) GTEST_SKIP() << "no gnuplot installed: no charts to check";

  const fs::path dir = fs::temp_directory_path() / ("scorebench_browser_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "bench.json") << testing::score_grid_run().dump();
  ReportOptions o;
  o.bench_files = {(dir / "bench.json").string()};
  o.out_dir = (dir / "out").string();
  const ReportSummary summary = write_report(o);
  ASSERT_GT(summary.charts, 0);
  const nlohmann::json check = check_in_browser(dir, o, summary, 1400, 1000);
  ASSERT_TRUE(check.is_object());
  EXPECT_EQ(check["charts"].get<int>(), summary.charts);
  EXPECT_EQ(check["rendered"].get<int>(), summary.charts) << check["problems"].dump(1);
  EXPECT_TRUE(check["problems"].empty()) << check["problems"].dump(1);
  EXPECT_TRUE(check["resources"].empty()) << "the page loaded: " << check["resources"].dump(1);
  fs::remove_all(dir);
}

// The first screen (the inputs, the implementations scorebench did not write
// and the verdict) at 1280 px: nothing wider than the window, no table that
// scrolls sideways, with the long cells of a real verdict (margins with
// intervals, external implementations, broken contracts).
TEST(Browser, TheFirstScreenFitsAWindowOf1280Pixels) {
  if (find_browser().empty())
    GTEST_SKIP() << "no Chromium installed (Debian package `chromium`): browser check skipped";
  const fs::path dir = fs::temp_directory_path() / ("scorebench_browser1280_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  testing::GridModel model;
  model.methods.push_back("external.a_rather_long_adapter_name");
  std::ofstream(dir / "bench.json") << testing::score_grid_run(model).dump();
  nlohmann::json verify = testing::verify_run();
  verify["origins"] = {{"external.a_rather_long_adapter_name",
                        "external: /usr/bin/python3 verification/adapters/torch_distributions.py --with "
                        "--several --options that make the command long"}};
  std::ofstream(dir / "verify.json") << verify.dump();
  ReportOptions o;
  o.bench_files = {(dir / "bench.json").string()};
  o.verify_file = (dir / "verify.json").string();
  o.out_dir = (dir / "out").string();
  const ReportSummary summary = write_report(o);
  const nlohmann::json check = check_in_browser(dir, o, summary, 1280, 1000);
  ASSERT_TRUE(check.is_object());
  EXPECT_GE(check["first_screen_tables"].get<int>(), 1);
  EXPECT_LE(check["page_overflow"].get<int>(), 0);
  EXPECT_TRUE(check["overflowing"].empty()) << check["overflowing"].dump(1);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace scorebench::reports
