#pragma once
// What every fuzz target shares: the input as text, and the rule that keeps
// the harness honest. A reader may reject an input only with a documented
// exception: std::invalid_argument (json_input::Unusable and the readers'
// messages derive from it) or std::domain_error. The targets catch those and
// nothing else, so that anything else escaping a reader (nlohmann's
// type_error or out_of_range, std::out_of_range, bad_alloc, length_error,
// ios_base::failure) reaches libFuzzer as an uncaught exception and is
// reported as a crash, like a sanitizer report.

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string_view>

namespace scorebench::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Runs read(text); returns normally for an accepted input and for a
// documented rejection.
template <typename Read>
void expect_documented_errors_only(Read&& read) {
  try {
    read();
  } catch (const std::invalid_argument&) {
  } catch (const std::domain_error&) {
  }
}

}  // namespace scorebench::fuzz
