#pragma once
// The results store: every recorded run (benchmark, instruction-count or
// verification JSON) with its commit, machine and context, in one SQLite
// file. The schema (version kSchemaVersion, PRAGMA user_version) is
// documented in reports/README.md, "The results store".
//
// Each run is written in one transaction (BEGIN IMMEDIATE … COMMIT), so a
// process killed while recording leaves the store as it was before; writers
// from several processes wait for each other (busy timeout) instead of
// failing. Recording a run that is already stored (same content, commit and
// machine) changes nothing and returns the stored run's id.

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "scorebench/reports/history/series.hpp"

struct sqlite3;

namespace scorebench::reports::history {

inline constexpr int kSchemaVersion = 1;
inline constexpr int kApplicationId = 0x53424831;  // "SBH1", PRAGMA application_id

// A store that cannot be opened or used: not a scorebench store, written by a
// newer schema, locked for longer than the busy timeout, or an SQLite error.
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Measurement {
  std::string row, metric;
  int repetition = 0;
  double value = 0;
};

struct RunRecord {
  std::string kind;  // "benchmark", "instructions" or "verify"
  std::string commit, commit_date, machine;
  std::string cpu_model;
  int cores = 0;
  double load_average = -1;  // at the start of the run; −1 unknown
  std::string build_flags, scorebench_version, source;
  std::string context;       // the run's own context, as JSON text
  std::string content_hash;  // of the run file's content
  std::vector<Measurement> measurements;
};

struct RecordOutcome {
  std::int64_t run_id = 0;
  bool inserted = false;  // false: the run was already stored
};

struct SeriesQuery {
  std::string metric = "real_time";
  std::string filter;   // ECMAScript regex searched in the row name; empty: every row
  std::string machine;  // empty: every machine
};

struct StoredRun {
  std::int64_t id = 0;
  std::string kind, commit, commit_date, machine, recorded_at;
};

class ResultsStore {
 public:
  // Opens or creates the store at `path`, migrating an older schema; throws
  // StoreError when it cannot. `busy_timeout_ms`: how long to wait for
  // another writer.
  explicit ResultsStore(const std::string& path, int busy_timeout_ms = 60000);
  ~ResultsStore();
  ResultsStore(const ResultsStore&) = delete;
  ResultsStore& operator=(const ResultsStore&) = delete;

  RecordOutcome record(const RunRecord& run);
  std::vector<RowSeries> series(const SeriesQuery& query) const;
  std::vector<StoredRun> runs() const;
  std::size_t measurement_count() const;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  sqlite3* db_ = nullptr;
};

}  // namespace scorebench::reports::history
