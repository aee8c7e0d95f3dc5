#include "scorebench/reports/benchmark_run.hpp"

#include <fstream>
#include <limits>
#include <set>
#include <stdexcept>

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

}  // namespace

const BenchmarkEntry* BenchmarkRun::find(const std::string& name) const {
  for (const BenchmarkEntry& b : benchmarks)
    if (b.name == name) return &b;
  return nullptr;
}

BenchmarkRun parse_benchmark_run(const nlohmann::json& json, const std::string& source) {
  if (!json.is_object() || !json.contains("benchmarks") || !json["benchmarks"].is_array())
    throw std::invalid_argument(source + ": not a Google Benchmark JSON run (no \"benchmarks\" array)");
  BenchmarkRun run;
  run.source = source;
  run.context = json.value("context", nlohmann::json::object());

  std::map<std::string, std::size_t> index;  // run_name → position in run.benchmarks
  std::map<std::string, const nlohmann::json*> median_aggregate;
  std::size_t position = 0;
  for (const nlohmann::json& e : json["benchmarks"]) {
    const std::string where = source + ": benchmarks[" + std::to_string(position++) + "]";
    if (!e.is_object() || !e.contains("name") || !e["name"].is_string())
      throw std::invalid_argument(where + ": entry without a \"name\"");
    const std::string name = e.value("run_name", e["name"].get<std::string>());
    const std::string type = e.value("run_type", std::string("iteration"));
    if (type == "aggregate") {
      if (e.value("aggregate_name", std::string()) == "median") median_aggregate[name] = &e;
      continue;
    }
    auto [it, inserted] = index.emplace(name, run.benchmarks.size());
    if (inserted) run.benchmarks.push_back(BenchmarkEntry{name, {}, {}, {}, false, {}});
    BenchmarkEntry& b = run.benchmarks[it->second];
    if (e.value("error_occurred", false)) {
      b.error = e.value("error_message", std::string("error_occurred"));
      continue;
    }
    if (!e.contains("real_time") || !e["real_time"].is_number() || !e.contains("cpu_time") ||
        !e["cpu_time"].is_number())
      throw std::invalid_argument(where + " (" + name + "): missing numeric real_time/cpu_time");
    const double scale = nanoseconds_per(e.value("time_unit", std::string("ns")), where);
    b.real_ns.push_back(e["real_time"].get<double>() * scale);
    b.cpu_ns.push_back(e["cpu_time"].get<double>() * scale);
    for (const auto& [key, value] : e.items())
      if (value.is_number() && !standard_fields().count(key)) b.counters[key].push_back(value.get<double>());
  }
  // A run reported with --benchmark_report_aggregates_only: its median is the one sample.
  for (const auto& [name, e] : median_aggregate) {
    if (index.count(name)) continue;
    const std::string where = source + ": aggregate " + name + "_median";
    BenchmarkEntry b{name, {}, {}, {}, true, {}};
    const double scale = nanoseconds_per(e->value("time_unit", std::string("ns")), where);
    b.real_ns.push_back(e->at("real_time").get<double>() * scale);
    b.cpu_ns.push_back(e->at("cpu_time").get<double>() * scale);
    for (const auto& [key, value] : e->items())
      if (value.is_number() && !standard_fields().count(key)) b.counters[key].push_back(value.get<double>());
    run.benchmarks.push_back(std::move(b));
  }
  return run;
}

BenchmarkRun read_benchmark_run(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::invalid_argument("cannot read " + path);
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(in);
  } catch (const nlohmann::json::parse_error& e) {
    throw std::invalid_argument(path + " is not JSON: " + e.what());
  }
  return parse_benchmark_run(json, path);
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
