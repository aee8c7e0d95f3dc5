#include "scorebench/verification/serve.hpp"

#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "scorebench/verification/external_protocol.hpp"

namespace scorebench::verification {
namespace {

std::string hello_line(const Method& method, const ServeOptions& o) {
  nlohmann::ordered_json h = {{"protocol", kProtocolVersion},
                              {"name", o.name.empty() ? method.name() : o.name},
                              {"summary", method.summary()}};
  for (Parameterization p : o.parameterizations) h["parameterizations"].push_back(name(p));
  if (o.f64) h["dtypes"].push_back("double");
  if (o.f32) h["dtypes"].push_back("float");
  h["per_sample"] = o.per_sample;
  h["shared"] = o.shared;
  h["outputs"] = {"grads", "sum"};
  h["timing"] = true;
  if (o.contract)
    h["contract"] = {{"route", name(o.contract->route)},
                     {"c", o.contract->c},
                     {"kappa_max", o.contract->kappa_max},
                     {"rationale", o.contract->rationale}};
  return h.dump();
}

template <typename T>
std::string answer(const Method& method, std::string_view line) {
  const ParsedRequest<T> r = parse_request<T>(line);
  try {
    if (!r.time) return score_answer(r.id, method.evaluate(r.batch, r.request));
    Result<T> result;
    const auto start = std::chrono::steady_clock::now();
    for (std::uint64_t k = 0; k < r.repeat; ++k) method.evaluate_into(r.batch, r.request, result);
    const auto ns =
        std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count();
    std::string out = "{\"id\":" + std::to_string(r.id) + ",\"nanoseconds\":";
    append_number(out, std::max(ns, 1.0));
    return out + "}";
  } catch (const std::exception& e) {
    return error_answer(r.id, e.what());
  }
}

}  // namespace

int serve(const Method& method, const ServeOptions& options, std::istream& in, std::ostream& out) {
  out << hello_line(method, options) << "\n" << std::flush;
  std::string line;
  while (std::getline(in, line)) {
    std::uint64_t id = 0;
    std::string reply;
    try {
      const auto [request_id, dtype] = request_id_and_dtype(line);
      id = request_id;
      reply = dtype == "float" ? answer<float>(method, line) : answer<double>(method, line);
    } catch (const std::exception& e) {
      reply = error_answer(id, std::string("cannot read the request: ") + e.what());
    }
    if (!(out << reply << "\n" << std::flush)) return 1;
  }
  return 0;
}

int serve(const Method& method, const ServeOptions& options) {
  std::ios::sync_with_stdio(false);
  return serve(method, options, std::cin, std::cout);
}

}  // namespace scorebench::verification
