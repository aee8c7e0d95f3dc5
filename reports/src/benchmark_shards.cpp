#include "scorebench/reports/benchmark_shards.hpp"

#include <map>
#include <sstream>
#include <stdexcept>

namespace scorebench::reports {

namespace {

using nlohmann::json;

// One shard: its place in the sweep and its rows' numbers.
struct ShardRun {
  const std::string* file = nullptr;
  const json* doc = nullptr;
  std::size_t index = 0, count = 0, total = 0;
  std::string set;
  std::map<std::string, std::size_t> numbers;  // row → its number in the unsharded run
};

std::string context_text(const json& context, const char* key, const std::string& file) {
  const auto it = context.find(key);
  if (it == context.end() || !it->is_string())
    throw std::invalid_argument(
        file + " is not a shard of scorebench_benchmarks --shard=I/N: its context has no \"" + key + "\"");
  return it->get<std::string>();
}

ShardRun read_shard(const std::string& file, const json& doc) {
  if (!doc.is_object() || !doc.contains("context") || !doc["context"].is_object() ||
      !doc.contains("benchmarks") || !doc["benchmarks"].is_array())
    throw std::invalid_argument(file + " is not a Google Benchmark run (no \"context\" and \"benchmarks\")");
  const json& context = doc["context"];
  ShardRun s;
  s.file = &file;
  s.doc = &doc;
  const auto set = context.find("scorebench_set");
  s.set = set != context.end() && set->is_string() ? set->get<std::string>() : "";
  // "I/N of T".
  const std::string shard = context_text(context, "scorebench_shard", file);
  std::istringstream in(shard);
  char slash = 0;
  std::string of;
  if (!(in >> s.index >> slash >> s.count >> of >> s.total) || slash != '/' || of != "of" || s.count == 0 ||
      s.index >= s.count)
    throw std::invalid_argument(file + ": scorebench_shard \"" + shard + "\" is not \"I/N of T\"");
  std::istringstream rows(context_text(context, "scorebench_shard_rows", file));
  for (std::string item; rows >> item;) {
    std::size_t eq = item.find('=');
    std::size_t number = 0;
    try {
      number = std::stoul(item.substr(0, eq));
    } catch (const std::exception&) {
      eq = std::string::npos;
    }
    if (eq == std::string::npos || number >= s.total)
      throw std::invalid_argument(file + ": scorebench_shard_rows has \"" + item +
                                  "\", not NUMBER=ROW with NUMBER < " + std::to_string(s.total));
    s.numbers[item.substr(eq + 1)] = number;
  }
  return s;
}

// The entries of a run grouped by benchmark (run_name), in file order.
std::vector<std::pair<std::string, std::vector<json>>> groups(const json& benchmarks,
                                                              const std::string& file) {
  std::vector<std::pair<std::string, std::vector<json>>> out;
  for (const json& e : benchmarks) {
    if (!e.is_object()) throw std::invalid_argument(file + ": a benchmark entry is not an object");
    const json& name = e.contains("run_name") ? e["run_name"] : e.value("name", json());
    if (!name.is_string()) throw std::invalid_argument(file + ": a benchmark entry has no name");
    if (out.empty() || out.back().first != name.get<std::string>())
      out.push_back({name.get<std::string>(), {}});
    out.back().second.push_back(e);
  }
  return out;
}

}  // namespace

bool is_benchmark_run(const json& doc) { return doc.is_object() && doc.contains("benchmarks"); }

json merge_benchmark_shards(const std::vector<std::pair<std::string, json>>& inputs) {
  if (inputs.empty()) throw std::invalid_argument("no shards to merge");
  std::vector<ShardRun> shards;
  for (const auto& [file, doc] : inputs) shards.push_back(read_shard(file, doc));
  const ShardRun& first = shards.front();
  std::vector<const ShardRun*> by_index(first.count, nullptr);
  for (const ShardRun& s : shards) {
    if (s.count != first.count || s.total != first.total || s.set != first.set)
      throw std::invalid_argument(
          *s.file + " and " + *first.file + " are shards of different sweeps: " + std::to_string(s.index) +
          "/" + std::to_string(s.count) + " of " + std::to_string(s.total) + " rows of the " + s.set +
          " set, and " + std::to_string(first.index) + "/" + std::to_string(first.count) + " of " +
          std::to_string(first.total) + " of the " + first.set + " set");
    if (by_index[s.index])
      throw std::invalid_argument(*s.file + " and " + *by_index[s.index]->file + " are both shard " +
                                  std::to_string(s.index) + "/" + std::to_string(s.count));
    by_index[s.index] = &s;
  }
  for (std::size_t i = 0; i < by_index.size(); ++i)
    if (!by_index[i])
      throw std::invalid_argument("shard " + std::to_string(i) + "/" + std::to_string(first.count) +
                                  " is missing (given: " + std::to_string(shards.size()) + " of " +
                                  std::to_string(first.count) + ")");

  std::vector<std::pair<std::string, std::vector<json>>> roofs;
  std::map<std::size_t, std::pair<std::string, std::vector<json>>> rows;  // by number
  std::map<std::size_t, const std::string*> file_of;
  for (const ShardRun* s : by_index)
    for (auto& [name, entries] : groups((*s->doc)["benchmarks"], *s->file)) {
      if (name.rfind("roof/", 0) == 0) {
        if (s == by_index.front()) roofs.push_back({name, std::move(entries)});
        continue;
      }
      const auto number = s->numbers.find(name);
      if (number == s->numbers.end())
        throw std::invalid_argument(*s->file + ": row " + name + " is not in its scorebench_shard_rows");
      if (!rows.emplace(number->second, std::make_pair(name, std::move(entries))).second)
        throw std::invalid_argument("row " + std::to_string(number->second) + " (" + name + ") is in " +
                                    *s->file + " and in " + *file_of[number->second]);
      file_of[number->second] = s->file;
    }

  json merged = json::object();
  // Shard 0's context stands for the run; the shard's own keys go.
  json context = (*by_index.front()->doc)["context"];
  context.erase("scorebench_shard");
  context.erase("scorebench_shard_rows");
  merged["context"] = context;
  json benchmarks = json::array();
  int family = 0;
  auto append = [&](std::vector<json>& entries) {
    for (json& e : entries) {
      if (e.contains("family_index")) e["family_index"] = family;
      benchmarks.push_back(std::move(e));
    }
    ++family;
  };
  for (auto& group : roofs) append(group.second);
  for (auto& entry : rows) append(entry.second.second);
  merged["benchmarks"] = std::move(benchmarks);
  return merged;
}

}  // namespace scorebench::reports
