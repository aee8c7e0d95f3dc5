#pragma once
// The certified case set (verification/CASES.md): the gate's cases written
// out, with their references and the bound each block is held to, so that a
// test suite that is not scorebench's (pytest, GoogleTest, Catch2) can load
// and grade against them; and the grading of answers given offline, which
// gives the verdict `verify --external` would give.
//
// write_cases() writes a header line and then one line per case × mode:
// the protocol's score request (external_protocol.hpp, so an adapter reads a
// case line with the code that reads a request), plus the case id, the
// mode, the reference per output key (decimal strings of
// kCaseReferenceDigits significant digits and the nearest doubles) and the
// bound's ingredients. It streams: one case in memory at a time.
//
// check_answers() reads such a file and the answers to its lines (the
// protocol's answer lines, the adapter's hello first when there is one),
// and grades every answer with the gate's grading step (gate.hpp: grade())
// against references recomputed in 50 digits from the case ids, so the
// grade does not depend on the digits written for the users.

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "scorebench/verification/gate.hpp"

namespace scorebench::verification {

inline constexpr const char* kCasesSchema = "scorebench.cases/1";
// Significant digits of the references' decimal strings.
inline constexpr int kCaseReferenceDigits = 25;

struct CasesOptions {
  Sweep sweep = Sweep::quick;
  std::uint64_t seed = VerifyOptions{}.seed;
  std::vector<CaseSpec> specs;  // when not empty: these cases instead of the sweep (--case)
  // The contract whose bound is written next to its ingredients (default:
  // the gate's default for a method it does not know: route unknown, c = 1).
  AccuracyContract contract;
  std::string version;  // scorebench's, for the header
  // Only the cases i of the sweep with i mod N = I (their lines keep the ids
  // of the unsharded file); the header says which shard. `check` grades a
  // shard into a shard of verify's JSON, and `scorebench merge` joins them.
  Shard shard;
  // Called after each case: (case id, cases done, cases in the sweep).
  std::function<void(const std::string&, size_t, size_t)> progress;
};

struct CasesSummary {
  size_t cases = 0, skipped = 0, lines = 0;  // of this shard; lines: case lines, the header not counted
  std::uintmax_t bytes = 0, largest_line = 0;
};

CasesSummary write_cases(std::ostream& out, const CasesOptions& options);

// The input of `check` cannot be used at all (not JSON Lines, not a cases
// file, a truncated cases file, a bad hello): `check` exits 2. what()
// names the file and the line.
struct CheckInputError : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

struct CheckOptions {
  std::string cases_source = "cases", answers_source = "answers";  // names in messages
  // The method's name when the answers have no hello (reported as
  // external.<name>); with a hello, the hello's name unless this is set.
  std::string name;
  // The contract to hold the answers to: this when set, else the hello's,
  // else the gate's default (route unknown, c = 1, every κ).
  std::optional<AccuracyContract> contract;
  std::function<void(const std::string&, size_t, size_t)> progress;
};

// Grades the answers (a seekable stream: it is indexed first, then each
// answer is read when its case comes) against the cases. Missing, duplicate,
// malformed and refused answers are violations of their evaluation; answers
// to no case line and lines without an id are VerifyReport::answer_findings
// (and violations). Throws CheckInputError.
VerifyReport check_answers(std::istream& cases, std::istream& answers, const CheckOptions& options);

// The scalar members of a JSON object on one line, read without building
// the line's tree (a case or answer line can hold hundreds of megabytes of
// numbers): `object` false when the line is JSON but not an object; throws
// std::invalid_argument when it is not JSON.
struct TopLevelScalars {
  bool object = false;
  std::vector<std::pair<std::string, nlohmann::json>> members;  // scalars only, in order
  const nlohmann::json* find(const std::string& key) const;
};
TopLevelScalars scan_top_level(std::string_view line);

}  // namespace scorebench::verification
