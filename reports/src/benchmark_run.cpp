#include "scorebench/reports/benchmark_run.hpp"

#include <cmath>
#include <limits>
#include <set>
#include <stdexcept>

#include "scorebench/reports/json_input.hpp"
#include "scorebench/reports/statistics.hpp"

namespace scorebench::reports {

namespace {

double nanoseconds_per(const std::string& unit, const std::string& where) {
  if (unit == "ns") return 1;
  if (unit == "us") return 1e3;
  if (unit == "ms") return 1e6;
  if (unit == "s") return 1e9;
  throw std::invalid_argument(where + ": unknown time_unit '" + unit + "'");
}

// Fields of a Google Benchmark entry that are not user counters.
const std::set<std::string>& standard_fields() {
  static const std::set<std::string> fields = {"name",
                                               "family_index",
                                               "per_family_instance_index",
                                               "run_name",
                                               "run_type",
                                               "repetitions",
                                               "repetition_index",
                                               "threads",
                                               "iterations",
                                               "real_time",
                                               "cpu_time",
                                               "time_unit",
                                               "aggregate_name",
                                               "aggregate_unit",
                                               "error_occurred",
                                               "error_message",
                                               "label"};
  return fields;
}

// One repetition of entry e: its times (finite, non-negative, in ns) and its
// numeric user counters.
void add_sample(BenchmarkEntry& b, const nlohmann::json& e, const std::string& where) {
  using namespace json_input;
  if (b.real_ns.size() >= kMaxRepetitions)
    throw std::invalid_argument(where + ": more than " + std::to_string(kMaxRepetitions) +
                                " repetitions of one benchmark (compare's Hodges–Lehmann interval takes "
                                "n_BASE × n_NEW pairwise differences)");
  const double scale = nanoseconds_per(string_or(e, "time_unit", "ns", where), where);
  for (const char* key : {"real_time", "cpu_time"}) {
    const double ns = required_number(e, key, where) * scale;
    // A negative time or one whose conversion to ns overflows would turn
    // every ratio and test of the comparison into NaN.
    if (!(ns >= 0) || !std::isfinite(ns))
      throw std::invalid_argument(where + ": \"" + key + "\" = " + describe(e[key]) + " " +
                                  string_or(e, "time_unit", "ns", where) +
                                  " is not a time (negative, or beyond the range of a double in ns)");
    (key[0] == 'r' ? b.real_ns : b.cpu_ns).push_back(ns);
  }
  for (const auto& [key, value] : e.items())
    if (value.is_number() && !standard_fields().count(key)) b.counters[key].push_back(value.get<double>());
  b.label = string_or(e, "label", b.label, where);
}

}  // namespace

const BenchmarkEntry* BenchmarkRun::find(const std::string& name) const {
  for (const BenchmarkEntry& b : benchmarks)
    if (b.name == name) return &b;
  return nullptr;
}

BenchmarkRun parse_benchmark_run(const nlohmann::json& json, const std::string& source) {
  using namespace json_input;
  if (!json.is_object() || !json.contains("benchmarks") || !json["benchmarks"].is_array())
    throw std::invalid_argument(source + ": not a Google Benchmark JSON run (no \"benchmarks\" array)");
  BenchmarkRun run;
  run.source = source;
  run.context = json.value("context", nlohmann::json::object());

  std::map<std::string, std::size_t> index;  // run_name → position in run.benchmarks
  std::map<std::string, std::pair<const nlohmann::json*, std::string>> median_aggregate;  // entry, where
  std::size_t position = 0;
  for (const nlohmann::json& e : json["benchmarks"]) {
    const std::string where = source + ": benchmarks[" + std::to_string(position++) + "]";
    if (!e.is_object()) throw std::invalid_argument(where + " is " + describe(e) + ", not an object");
    const std::string name = string_or(e, "run_name", required_string(e, "name", where), where);
    const std::string type = string_or(e, "run_type", "iteration", where);
    if (type == "aggregate") {
      if (string_or(e, "aggregate_name", "", where) == "median") median_aggregate[name] = {&e, where};
      continue;
    }
    auto [it, inserted] = index.emplace(name, run.benchmarks.size());
    if (inserted) run.benchmarks.push_back(BenchmarkEntry{name, {}, {}, {}, false, {}, {}});
    BenchmarkEntry& b = run.benchmarks[it->second];
    if (boolean_or(e, "error_occurred", false, where)) {
      b.error = string_or(e, "error_message", "error_occurred", where);
      continue;
    }
    add_sample(b, e, where + " (" + name + ")");
  }
  // A run reported with --benchmark_report_aggregates_only: its median is the one sample.
  for (const auto& [name, entry] : median_aggregate) {
    if (index.count(name)) continue;
    BenchmarkEntry b{name, {}, {}, {}, true, {}, {}};
    add_sample(b, *entry.first, entry.second + " (" + name + "_median)");
    run.benchmarks.push_back(std::move(b));
  }
  return run;
}

BenchmarkRun read_benchmark_run(const std::string& path) {
  return parse_benchmark_run(json_input::read_file(path), path);
}

std::vector<double> samples(const BenchmarkEntry& entry, const std::string& metric) {
  if (metric == "real_time") return entry.real_ns;
  if (metric == "cpu_time") return entry.cpu_ns;
  const auto it = entry.counters.find(metric);
  return it == entry.counters.end() ? std::vector<double>{} : it->second;
}

double median_of(const BenchmarkEntry& entry, const std::string& metric) {
  const std::vector<double> s = samples(entry, metric);
  return s.empty() ? std::numeric_limits<double>::quiet_NaN() : median(s);
}

}  // namespace scorebench::reports
