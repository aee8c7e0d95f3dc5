// The eval case reader (cli/json_io): the cases file as `scorebench eval`
// reads it (numbers beyond double range kept for the case to fail), then
// every case into a batch in double and in float.

#include "fuzz_harness.hpp"
#include "json_io.hpp"
#include "scorebench/reports/json_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace scorebench;
  fuzz::expect_documented_errors_only([&] {
    const nlohmann::json input =
        json_input::parse(fuzz::as_text(data, size), "cases.json", json_input::Overflow::keep_as_string);
    if (!input.is_object() || !input.contains("cases") || !input["cases"].is_array()) return;
    for (const nlohmann::json& c : input["cases"]) {
      fuzz::expect_documented_errors_only([&] { cli::batch_from_case<double>(c); });
      fuzz::expect_documented_errors_only([&] { cli::batch_from_case<float>(c); });
    }
  });
  return 0;
}
