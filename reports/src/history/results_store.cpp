#include "scorebench/reports/history/results_store.hpp"

#include <sqlite3.h>

#include <map>
#include <regex>
#include <utility>

#include "scorebench/reports/statistics.hpp"

namespace scorebench::reports::history {
namespace {

// Schema version 1. `measurements` of a run counts its rows of the
// measurements table, so that a reader can tell a whole run.
constexpr const char* kSchema = R"sql(
CREATE TABLE runs(
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('benchmark', 'instructions', 'verify')),
  commit_sha TEXT NOT NULL,
  commit_date TEXT NOT NULL,
  machine TEXT NOT NULL,
  cpu_model TEXT NOT NULL,
  cores INTEGER NOT NULL,
  load_average REAL,
  build_flags TEXT NOT NULL,
  scorebench_version TEXT NOT NULL,
  source TEXT NOT NULL,
  context TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  measurements INTEGER NOT NULL,
  recorded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  UNIQUE (content_hash, commit_sha, machine));
CREATE TABLE measurements(
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  row TEXT NOT NULL,
  metric TEXT NOT NULL,
  repetition INTEGER NOT NULL,
  value REAL NOT NULL,
  PRIMARY KEY (run_id, row, metric, repetition)) WITHOUT ROWID;
CREATE INDEX measurements_by_row ON measurements(metric, row);
)sql";

class Statement {
 public:
  Statement(sqlite3* db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK)
      throw StoreError(std::string("results store: ") + sqlite3_errmsg(db));
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int i, const std::string& v) {
    check(sqlite3_bind_text(stmt_, i, v.c_str(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
    return *this;
  }
  Statement& bind(int i, double v) {
    check(sqlite3_bind_double(stmt_, i, v));
    return *this;
  }
  Statement& bind(int i, std::int64_t v) {
    check(sqlite3_bind_int64(stmt_, i, v));
    return *this;
  }
  // true: a row is ready; false: done.
  bool step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw StoreError(std::string("results store: ") + sqlite3_errmsg(db_));
  }
  void reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  std::int64_t integer(int col) const { return sqlite3_column_int64(stmt_, col); }
  double real(int col) const { return sqlite3_column_double(stmt_, col); }
  std::string text(int col) const {
    const unsigned char* t = sqlite3_column_text(stmt_, col);
    return t ? reinterpret_cast<const char*>(t) : "";
  }

 private:
  void check(int rc) const {
    if (rc != SQLITE_OK) throw StoreError(std::string("results store: ") + sqlite3_errmsg(db_));
  }
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

void exec(sqlite3* db, const char* sql) {
  char* message = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    const std::string text = message ? message : sqlite3_errmsg(db);
    sqlite3_free(message);
    throw StoreError("results store: " + text);
  }
}

std::int64_t pragma(sqlite3* db, const char* sql) {
  Statement s(db, sql);
  return s.step() ? s.integer(0) : 0;
}

// Rolls back a transaction that did not reach its commit.
class Transaction {
 public:
  explicit Transaction(sqlite3* db) : db_(db) { exec(db_, "BEGIN IMMEDIATE"); }
  ~Transaction() {
    if (open_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  void commit() {
    exec(db_, "COMMIT");
    open_ = false;
  }

 private:
  sqlite3* db_;
  bool open_ = true;
};

}  // namespace

ResultsStore::ResultsStore(const std::string& path, int busy_timeout_ms) : path_(path) {
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
    const std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw StoreError("results store " + path + ": cannot open: " + message);
  }
  try {
    sqlite3_busy_timeout(db_, busy_timeout_ms);
    exec(db_, "PRAGMA foreign_keys = ON");
    Transaction t(db_);
    const std::int64_t tables = pragma(db_, "SELECT count(*) FROM sqlite_master");
    const std::int64_t application = pragma(db_, "PRAGMA application_id");
    const std::int64_t version = pragma(db_, "PRAGMA user_version");
    if (tables == 0 && application == 0 && version == 0) {
      exec(db_, kSchema);
      exec(db_, ("PRAGMA application_id = " + std::to_string(kApplicationId)).c_str());
      exec(db_, ("PRAGMA user_version = " + std::to_string(kSchemaVersion)).c_str());
    } else if (application != kApplicationId) {
      throw StoreError("results store " + path + ": not a scorebench results store (SQLite application_id " +
                       std::to_string(application) + ", expected " + std::to_string(kApplicationId) +
                       "); give another --db");
    } else if (version > kSchemaVersion) {
      throw StoreError("results store " + path + ": written by a newer scorebench (schema " +
                       std::to_string(version) + "); this scorebench reads schema " +
                       std::to_string(kSchemaVersion) + " and older: upgrade it, or give another --db");
    } else if (version < kSchemaVersion) {
      // Migrations from each older schema go here, one step per version;
      // schema 1 is the first, so an older one is not a store this code wrote.
      throw StoreError("results store " + path + ": schema " + std::to_string(version) +
                       " is not one scorebench ever wrote (the first is 1)");
    }
    t.commit();
  } catch (const StoreError& e) {
    sqlite3_close(db_);
    db_ = nullptr;
    const std::string what = e.what();
    if (what.rfind("results store " + path, 0) == 0) throw;
    throw StoreError("results store " + path + ": " + what.substr(std::string("results store: ").size()));
  }
}

ResultsStore::~ResultsStore() { sqlite3_close(db_); }

RecordOutcome ResultsStore::record(const RunRecord& run) {
  Transaction t(db_);
  {
    Statement find(db_, "SELECT id FROM runs WHERE content_hash = ?1 AND commit_sha = ?2 AND machine = ?3");
    find.bind(1, run.content_hash).bind(2, run.commit).bind(3, run.machine);
    if (find.step()) return {find.integer(0), false};  // the destructor rolls back
  }
  Statement insert(db_,
                   "INSERT INTO runs(kind, commit_sha, commit_date, machine, cpu_model, cores, load_average, "
                   "build_flags, scorebench_version, source, context, content_hash, measurements) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
  insert.bind(1, run.kind).bind(2, run.commit).bind(3, run.commit_date).bind(4, run.machine);
  insert.bind(5, run.cpu_model).bind(6, static_cast<std::int64_t>(run.cores)).bind(7, run.load_average);
  insert.bind(8, run.build_flags).bind(9, run.scorebench_version).bind(10, run.source);
  insert.bind(11, run.context).bind(12, run.content_hash);
  insert.bind(13, static_cast<std::int64_t>(run.measurements.size()));
  insert.step();
  const std::int64_t id = sqlite3_last_insert_rowid(db_);
  Statement add(
      db_, "INSERT INTO measurements(run_id, row, metric, repetition, value) VALUES (?1, ?2, ?3, ?4, ?5)");
  for (const Measurement& m : run.measurements) {
    add.bind(1, id)
        .bind(2, m.row)
        .bind(3, m.metric)
        .bind(4, static_cast<std::int64_t>(m.repetition))
        .bind(5, m.value);
    add.step();
    add.reset();
  }
  t.commit();
  return {id, true};
}

std::vector<RowSeries> ResultsStore::series(const SeriesQuery& query) const {
  const std::regex filter(query.filter.empty() ? std::string(".") : query.filter);
  Statement s(db_,
              "SELECT r.machine, m.row, r.commit_sha, r.commit_date, r.id, m.value FROM measurements m "
              "JOIN runs r ON r.id = m.run_id WHERE m.metric = ?1 AND (?2 = '' OR r.machine = ?2) "
              "ORDER BY r.machine, m.row, r.commit_date, r.id, m.repetition");
  s.bind(1, query.metric).bind(2, query.machine);
  std::vector<RowSeries> out;
  std::map<std::string, bool> matches;  // row → filter result
  std::int64_t run = -1;
  std::vector<double> repetitions;
  const auto close_run = [&] {
    if (repetitions.empty()) return;
    out.back().points.back().values.push_back(median(repetitions));
    repetitions.clear();
  };
  while (s.step()) {
    const std::string machine = s.text(0), row = s.text(1), commit = s.text(2);
    auto [it, fresh] = matches.try_emplace(row, false);
    if (fresh) it->second = std::regex_search(row, filter);
    if (!it->second) continue;
    const bool new_series = out.empty() || out.back().machine != machine || out.back().row != row;
    if (new_series || s.integer(4) != run) close_run();
    if (new_series) out.push_back({machine, row, query.metric, {}});
    RowSeries& series = out.back();
    if (series.points.empty() || series.points.back().commit != commit)
      series.points.push_back({commit, s.text(3), {}});
    run = s.integer(4);
    repetitions.push_back(s.real(5));
  }
  close_run();
  return out;
}

std::vector<StoredRun> ResultsStore::runs() const {
  Statement s(db_, "SELECT id, kind, commit_sha, commit_date, machine, recorded_at FROM runs ORDER BY id");
  std::vector<StoredRun> out;
  while (s.step()) out.push_back({s.integer(0), s.text(1), s.text(2), s.text(3), s.text(4), s.text(5)});
  return out;
}

std::size_t ResultsStore::measurement_count() const {
  return static_cast<std::size_t>(pragma(db_, "SELECT count(*) FROM measurements"));
}

}  // namespace scorebench::reports::history
