// The reader of `scorebench verify --json` files: the accuracy section of
// `scorebench report --verify` (reports/src/verify_section.cpp), written into
// a private folder with no gnuplot, so that only the reading and the tables
// are exercised.

#include <unistd.h>

#include <filesystem>
#include <string>

#include "fuzz_harness.hpp"
#include "scorebench/reports/json_input.hpp"
#include "scorebench/reports/report_sections.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace scorebench;
  static const std::string out =
      (std::filesystem::temp_directory_path() / ("scorebench_fuzz_verify_" + std::to_string(getpid())))
          .string();
  static const bool made = std::filesystem::create_directories(out) || true;
  (void)made;
  reports::ReportOptions options;
  options.out_dir = out;
  options.gnuplot = "/nonexistent/gnuplot";
  reports::ReportSummary summary;
  reports::Document doc("fuzz");
  reports::ReportContext ctx(options, doc, summary);
  fuzz::expect_documented_errors_only([&] {
    reports::add_verify_section(ctx, json_input::parse(fuzz::as_text(data, size), "verify.json"));
    reports::render_markdown(doc);
  });
  return 0;
}
