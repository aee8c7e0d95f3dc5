#include "scorebench/reports/history/run_file.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <stdexcept>

#include "scorebench/reports/benchmark_run.hpp"
#include "scorebench/reports/history/fnv1a.hpp"
#include "scorebench/reports/json_input.hpp"

namespace scorebench::reports::history {
namespace {

using nlohmann::json;

std::string context_string(const json& context, const char* key) {
  const auto it = context.find(key);
  return it != context.end() && it->is_string() ? it->get<std::string>() : "";
}

void add_benchmarks(const json& doc, const std::string& path, RunRecord& run) {
  const BenchmarkRun parsed = parse_benchmark_run(doc, path);
  const bool instructions = std::any_of(parsed.benchmarks.begin(), parsed.benchmarks.end(),
                                        [](const auto& e) { return e.counters.count("instructions") > 0; });
  run.kind = instructions ? "instructions" : "benchmark";
  for (const BenchmarkEntry& e : parsed.benchmarks) {
    if (!e.error.empty()) continue;  // skipped with an error: nothing measured
    std::map<std::string, std::vector<double>> metrics = e.counters;
    if (instructions) {
      metrics = {{"instructions", e.counters.at("instructions")}};
    } else {
      metrics["real_time"] = e.real_ns;
      metrics["cpu_time"] = e.cpu_ns;
    }
    for (const auto& [metric, values] : metrics)
      for (std::size_t r = 0; r < values.size(); ++r)
        run.measurements.push_back({e.name, metric, static_cast<int>(r), values[r]});
  }
  const json& c = parsed.context;
  if (const auto load = c.find("load_avg");
      load != c.end() && load->is_array() && !load->empty() && load->front().is_number())
    run.load_average = load->front().get<double>();
  if (const auto cpus = c.find("num_cpus"); cpus != c.end() && cpus->is_number_integer())
    run.cores = cpus->get<int>();
  run.machine = context_string(c, "host_name");
  run.cpu_model = context_string(c, "cpu_model");
  run.build_flags = context_string(c, "cxx_flags");
  if (run.build_flags.empty()) run.build_flags = context_string(c, "scorebench_build_type");
  run.context = c.dump();
}

void add_verification(const json& doc, const std::string& path, RunRecord& run) {
  namespace ji = json_input;
  run.kind = "verify";
  const json& cases = doc.at("cases");
  const json& results = doc.at("results");
  if (!cases.is_array() || !results.is_array())
    throw std::invalid_argument(path + ": \"cases\" and \"results\" must be arrays");
  std::map<std::string, std::pair<double, double>> rows;  // row → (worst ratio, violations)
  for (std::size_t i = 0; i < results.size(); ++i) {
    const json& r = results[i];
    const std::string where = path + ": results[" + std::to_string(i) + "]";
    const std::size_t index = ji::required_index(r, "case", where);
    if (index >= cases.size())
      throw std::invalid_argument(where + ": \"case\" " + std::to_string(index) + " is not a case");
    const std::string where_case = path + ": cases[" + std::to_string(index) + "]";
    const std::string row = "verify/" + ji::required_string(r, "method", where) + "/" +
                            ji::required_string(cases[index], "parameterization", where_case) + "/" +
                            ji::required_string(cases[index], "dtype", where_case);
    auto& [worst, violations] = rows[row];
    if (ji::required_string(r, "status", where) == "violation") violations += 1;
    if (const auto blocks = r.find("blocks"); blocks != r.end() && blocks->is_array())
      for (std::size_t b = 0; b < blocks->size(); ++b) {
        const json& ratio = (*blocks)[b].value("ratio", json());
        if (ratio.is_number()) worst = std::max(worst, ratio.get<double>());
      }
  }
  for (const auto& [row, figures] : rows) {
    run.measurements.push_back({row, "worst_ratio", 0, figures.first});
    run.measurements.push_back({row, "violations", 0, figures.second});
  }
  json context = json::object();
  for (const char* key : {"schema", "sweep", "seed", "seconds", "ok"})
    if (doc.contains(key)) context[key] = doc[key];
  run.context = context.dump();
}

}  // namespace

std::string content_hash(const std::string& text) {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(fnv1a64(text)));
  return hex;
}

RunRecord read_run_file(const std::string& path) {
  const std::string text = json_input::read_text(path);
  const json doc = json_input::parse(text, path);
  RunRecord run;
  run.source = path;
  run.content_hash = content_hash(doc.dump());
  if (!doc.is_object())
    throw std::invalid_argument(path + ": not a run: expected a JSON object, got " +
                                json_input::describe(doc));
  try {
    if (doc.contains("benchmarks")) {
      add_benchmarks(doc, path, run);
    } else if (doc.value("schema", json()) == "scorebench.verify/1") {
      add_verification(doc, path, run);
    } else {
      throw std::invalid_argument(path +
                                  ": not a run scorebench can record: expected Google Benchmark JSON (a "
                                  "\"benchmarks\" array) or \"schema\": \"scorebench.verify/1\"");
    }
  } catch (const json::exception& e) {
    throw std::invalid_argument(path + ": " + e.what());
  }
  if (run.measurements.empty())
    throw std::invalid_argument(path + ": the run holds no measurement to record");
  return run;
}

}  // namespace scorebench::reports::history
