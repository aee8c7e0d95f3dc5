#include "scorebench/benchmark_name.hpp"

#include <cstdlib>
#include <sstream>
#include <utility>

namespace scorebench {

namespace {

std::optional<long> positive_param(const BenchmarkName& n, const std::string& key) {
  const auto it = n.params.find(key);
  if (it == n.params.end()) return std::nullopt;
  char* end = nullptr;
  const long v = std::strtol(it->second.c_str(), &end, 10);
  if (end == it->second.c_str() || *end != '\0' || v <= 0) return std::nullopt;
  return v;
}

}  // namespace

BenchmarkName split_benchmark_name(const std::string& name) {
  BenchmarkName out;
  std::istringstream in(name);
  std::string segment;
  while (std::getline(in, segment, '/')) {
    const std::size_t colon = segment.find(':');
    if (colon == std::string::npos)
      out.path.push_back(segment);
    else
      out.params[segment.substr(0, colon)] = segment.substr(colon + 1);
  }
  return out;
}

ScoreCase score_case(std::string method, Parameterization p, bool shared, Output output, bool f32, long d,
                     long batch, long threads) {
  ScoreCase c;
  c.method = std::move(method);
  c.parameterization = std::string(name(p));
  c.sharing = shared ? "shared" : "per_sample";
  c.output = name(output);
  c.dtype = f32 ? "f32" : "f64";
  c.d = d;
  c.batch = batch;
  c.threads = threads;
  return c;
}

std::string score_benchmark_name(const ScoreCase& c) {
  std::string n = "score/" + c.method + "/" + c.parameterization + "/" + c.sharing + "/" + c.output + "/" +
                  c.dtype + "/d:" + std::to_string(c.d) + "/batch:" + std::to_string(c.batch);
  if (c.threads > 1) n += "/threads:" + std::to_string(c.threads);
  return n;
}

std::optional<ScoreCase> parse_score_name(const std::string& name) {
  const BenchmarkName n = split_benchmark_name(name);
  if (n.path.size() < 6 || n.path[0] != "score") return std::nullopt;
  const auto d = positive_param(n, "d"), batch = positive_param(n, "batch");
  if (!d || !batch) return std::nullopt;
  const std::string& sharing = n.path[3];
  const std::string& output = n.path[4];
  const std::string& dtype = n.path[5];
  if ((sharing != "per_sample" && sharing != "shared") || (output != "grads" && output != "sum") ||
      (dtype != "f64" && dtype != "f32"))
    return std::nullopt;
  return ScoreCase{n.path[1], n.path[2], sharing, output,
                   dtype,     *d,        *batch,  positive_param(n, "threads").value_or(1)};
}

std::optional<McCase> parse_mc_name(const std::string& name) {
  // The cost keeps its own parameter ("square:1"), so take segment 2 verbatim.
  std::vector<std::string> segments;
  std::istringstream in(name);
  for (std::string s; std::getline(in, s, '/');) segments.push_back(s);
  if (segments.size() < 5 || segments[0] != "mc") return std::nullopt;
  const BenchmarkName n = split_benchmark_name(name);
  const auto d = positive_param(n, "d"), batch = positive_param(n, "batch");
  if (!d || !batch) return std::nullopt;
  return McCase{segments[1], segments[2], *d, *batch};
}

std::optional<RoofCase> parse_roof_name(const std::string& name) {
  const BenchmarkName n = split_benchmark_name(name);
  if (n.path.size() < 2 || n.path[0] != "roof") return std::nullopt;
  if (n.path[1] == "gemm") {
    const auto size = positive_param(n, "n");
    if (size) return RoofCase{"gemm", *size, positive_param(n, "threads").value_or(1)};
  } else if (n.path[1] == "triad") {
    const auto size = positive_param(n, "bytes");
    if (size) return RoofCase{"triad", *size, positive_param(n, "threads").value_or(1)};
  }
  return std::nullopt;
}

}  // namespace scorebench
