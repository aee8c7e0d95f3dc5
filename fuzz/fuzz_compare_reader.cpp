// `scorebench compare` after its two files are read: the input is BASE and
// NEW separated by the first NUL byte (or one run compared with itself), then
// the context check, the comparison and both renderings (Markdown, JUnit).

#include <cstring>

#include "fuzz_harness.hpp"
#include "scorebench/reports/compare.hpp"
#include "scorebench/reports/json_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace scorebench;
  const std::string_view text = fuzz::as_text(data, size);
  const std::size_t split = text.find('\0');
  const std::string_view base = text.substr(0, split),
                         fresh = split == std::string_view::npos ? text : text.substr(split + 1);
  fuzz::expect_documented_errors_only([&] {
    const reports::BenchmarkRun a =
        reports::parse_benchmark_run(json_input::parse(base, "BASE.json"), "BASE.json");
    const reports::BenchmarkRun b =
        reports::parse_benchmark_run(json_input::parse(fresh, "NEW.json"), "NEW.json");
    reports::context_differences(a.context, b.context, "time");
    for (const char* metric : {"time", "instructions"}) {
      reports::CompareOptions options;
      options.metric = metric;
      const reports::Comparison c = reports::compare_runs(a, b, options);
      reports::render_markdown(c, "BASE.json", "NEW.json");
      reports::render_junit(c);
    }
  });
  return 0;
}
