#include "scorebench/verification/external_protocol.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <nlohmann/json.hpp>

#include "scorebench/reports/json_input.hpp"
#include "scorebench/verification/external_fault.hpp"

namespace scorebench::verification {
namespace {

using nlohmann::json;

[[noreturn]] void fault(Fault f, const std::string& message) { throw ExternalFault(f, message); }

json parse_line(std::string_view line, const char* what) {
  try {
    json j = json_input::parse(line, what);
    if (!j.is_object())
      fault(Fault::malformed_line, std::string(what) + " is not a JSON object: " + truncated(line));
    return j;
  } catch (const json_input::Unusable& e) {
    fault(Fault::malformed_line, std::string(e.what()) + ": " + truncated(line));
  }
}

// A protocol number: a JSON number, or "NaN", "Infinity", "-Infinity".
double number(const json& v, const std::string& where) {
  if (v.is_number()) return v.get<double>();
  if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    if (s == "NaN") return std::numeric_limits<double>::quiet_NaN();
    if (s == "Infinity") return std::numeric_limits<double>::infinity();
    if (s == "-Infinity") return -std::numeric_limits<double>::infinity();
  }
  fault(Fault::wrong_shape, where + " is not a number: " + json_input::describe(v));
}

const json& list(const json& v, size_t n, const std::string& where) {
  if (!v.is_array())
    fault(Fault::wrong_shape,
          where + " must be a list of " + std::to_string(n) + ", not " + json_input::describe(v));
  if (v.size() != n)
    fault(Fault::wrong_shape,
          where + " has " + std::to_string(v.size()) + " entries; the request needs " + std::to_string(n));
  return v;
}

std::string at(const std::string& key, size_t i) { return key + "[" + std::to_string(i) + "]"; }

// `v` as a d-vector into column j of `m`.
template <typename T>
void read_vector(const json& v, const std::string& where, Mat<T>& m, Index j) {
  const json& l = list(v, static_cast<size_t>(m.rows()), where);
  for (Index i = 0; i < m.rows(); ++i)
    m(i, j) = static_cast<T>(number(l[static_cast<size_t>(i)], at(where, static_cast<size_t>(i))));
}

// `v` as a d×d matrix (a list of rows) into the columns from `first` of `m`.
template <typename T>
void read_matrix(const json& v, const std::string& where, Mat<T>& m, Index first) {
  const Index d = m.rows();
  const json& rows = list(v, static_cast<size_t>(d), where);
  for (Index i = 0; i < d; ++i) {
    const std::string row_where = at(where, static_cast<size_t>(i));
    const json& row = list(rows[static_cast<size_t>(i)], static_cast<size_t>(d), row_where);
    for (Index j = 0; j < d; ++j)
      m(i, first + j) =
          static_cast<T>(number(row[static_cast<size_t>(j)], at(row_where, static_cast<size_t>(j))));
  }
}

void append_string(std::string& out, const std::string& s) {
  out += json(s).dump(-1, ' ', false, json::error_handler_t::replace);
}

template <typename T>
void append_column(std::string& out, const Mat<T>& m, Index j) {
  out += '[';
  for (Index i = 0; i < m.rows(); ++i) {
    if (i) out += ',';
    append_number(out, static_cast<double>(m(i, j)));
  }
  out += ']';
}

template <typename T>
void append_block(std::string& out, const Mat<T>& m, Index first, Index cols) {
  out += '[';
  for (Index i = 0; i < m.rows(); ++i) {
    out += i ? ",[" : "[";
    for (Index j = 0; j < cols; ++j) {
      if (j) out += ',';
      append_number(out, static_cast<double>(m(i, first + j)));
    }
    out += ']';
  }
  out += ']';
}

template <typename T>
void append_request(std::string& out, std::uint64_t id, const char* op, const Batch<T>& batch,
                    const Request<T>& request) {
  const Index n = batch.size();
  const Parameterization p = batch.parameterization;
  out += "{\"id\":" + std::to_string(id) + ",\"op\":\"" + op + "\",\"dtype\":\"" +
         (std::is_same_v<T, float> ? "float" : "double") + "\",\"output\":\"" + name(request.output) +
         "\",\"shared\":" + (batch.shared_param() ? "true" : "false") + ",\"batch\":" + std::to_string(n);
  out += ",\"loc\":[";
  for (Index b = 0; b < n; ++b) {
    if (b) out += ',';
    append_column(out, batch.loc, batch.loc.cols() == 1 ? 0 : b);
  }
  const bool noise = batch.action.size() == 0;
  out += std::string("],\"") + (noise ? "noise" : "action") + "\":[";
  for (Index b = 0; b < n; ++b) {
    if (b) out += ',';
    append_column(out, noise ? batch.noise : batch.action, b);
  }
  out += "],\"" + std::string(name(p)) + "\":";
  const Index blocks = batch.param_count(), cols = batch.block_cols();
  if (!batch.shared_param()) out += '[';
  for (Index b = 0; b < blocks; ++b) {
    if (b) out += ',';
    if (is_matrix(p))
      append_block(out, batch.param, b * cols, cols);
    else
      append_column(out, batch.param, b);
  }
  if (!batch.shared_param()) out += ']';
  if (request.output == Output::sum) {
    out += ",\"weights\":[";
    for (Index b = 0; b < n; ++b) {
      if (b) out += ',';
      append_number(out, request.weights.size() ? static_cast<double>(request.weights(b)) : 1.0);
    }
    out += ']';
  }
}

// Checks the id and returns the child's refusal, if it refused.
std::optional<std::string> check_id(const json& a, std::uint64_t id, std::string_view line) {
  if (!a.contains("id")) fault(Fault::missing_key, "the answer has no \"id\": " + truncated(line));
  const json& got = a["id"];
  if (!got.is_number_unsigned() || got.get<std::uint64_t>() != id)
    fault(Fault::wrong_id, "the answer's id is " + json_input::describe(got) + ", the request's " +
                               std::to_string(id) + ": " + truncated(line));
  if (a.contains("error")) {
    if (!a["error"].is_string()) fault(Fault::wrong_shape, "\"error\" must be a string: " + truncated(line));
    return a["error"].get<std::string>();
  }
  return std::nullopt;
}

const json& required(const json& a, const std::string& key) {
  if (!a.contains(key)) fault(Fault::missing_key, "the answer has no \"" + key + "\"");
  return a[key];
}

AccuracyContract read_contract(const json& c, const std::string& where) {
  if (!c.is_object()) throw std::invalid_argument(where + " must be an object {route, c, kappa_max}");
  AccuracyContract out;
  const std::string route = json_input::string_or(c, "route", "unknown", where);
  if (route == "own_factor")
    out.route = Route::own_factor;
  else if (route == "through_sigma")
    out.route = Route::through_sigma;
  else if (route != "unknown")
    throw std::invalid_argument(where + ".route \"" + route + "\" (own_factor, through_sigma, unknown)");
  if (c.contains("c")) out.c = json_input::required_number(c, "c", where);
  if (c.contains("kappa_max")) out.kappa_max = json_input::required_number(c, "kappa_max", where);
  if (!(out.c >= 1) || !(out.c <= 1e6))
    throw std::invalid_argument(where + ".c must be a number from 1 to 1e6");
  if (!(out.kappa_max >= 1)) throw std::invalid_argument(where + ".kappa_max must be at least 1");
  out.rationale = json_input::string_or(c, "rationale", "declared by the implementation in its hello", where);
  return out;
}

}  // namespace

bool valid_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-';
  });
}

void append_number(std::string& out, double x) {
  if (std::isnan(x)) {
    out += "\"NaN\"";
  } else if (std::isinf(x)) {
    out += x > 0 ? "\"Infinity\"" : "\"-Infinity\"";
  } else {
    char text[32];
    std::snprintf(text, sizeof text, "%.17g", x);
    out += text;
  }
}

std::string truncated(std::string_view text, std::size_t max) {
  if (text.size() <= max) return json(std::string(text)).dump(-1, ' ', false, json::error_handler_t::replace);
  return json(std::string(text.substr(0, max))).dump(-1, ' ', false, json::error_handler_t::replace) +
         "... (" + std::to_string(text.size()) + " bytes)";
}

Hello parse_hello(std::string_view line) {
  json h;
  try {
    h = parse_line(line, "the hello line");
  } catch (const ExternalFault& e) {
    throw ExternalFault(Fault::bad_hello, e.what());
  }
  const std::string where = "hello";
  Hello out;
  try {
    const std::string protocol = json_input::required_string(h, "protocol", where);
    if (protocol != kProtocolVersion)
      throw std::invalid_argument("protocol is \"" + protocol + "\"; scorebench speaks " + kProtocolVersion);
    out.name = json_input::required_string(h, "name", where);
    if (!valid_name(out.name))
      throw std::invalid_argument("name \"" + out.name + "\" must be 1-64 characters of [A-Za-z0-9_.-]");
    out.summary = json_input::string_or(h, "summary", "", where);
    const auto strings = [&](const char* key) {
      std::vector<std::string> v;
      if (!h.contains(key) || !h[key].is_array() || h[key].empty())
        throw std::invalid_argument(std::string(key) + " must be a non-empty list of names");
      for (const json& s : h[key]) {
        if (!s.is_string())
          throw std::invalid_argument(std::string(key) + " holds " + json_input::describe(s));
        v.push_back(s.get<std::string>());
      }
      return v;
    };
    for (const std::string& s : strings("parameterizations")) {
      const auto it = std::find_if(kAllParameterizations.begin(), kAllParameterizations.end(),
                                   [&](Parameterization p) { return s == name(p); });
      if (it == kAllParameterizations.end())
        throw std::invalid_argument("unknown parameterization \"" + s + "\"");
      out.parameterizations.push_back(*it);
    }
    for (const std::string& s : strings("dtypes")) {
      if (s != "double" && s != "float")
        throw std::invalid_argument("unknown dtype \"" + s + "\" (double, float)");
      out.dtypes.push_back(s == "double" ? Dtype::f64 : Dtype::f32);
    }
    out.per_sample = json_input::boolean_or(h, "per_sample", true, where);
    out.shared = json_input::boolean_or(h, "shared", true, where);
    if (!out.per_sample && !out.shared) throw std::invalid_argument("per_sample and shared are both false");
    if (h.contains("outputs")) {
      out.outputs.clear();
      for (const std::string& s : strings("outputs")) {
        if (s != "grads" && s != "sum")
          throw std::invalid_argument("unknown output \"" + s + "\" (grads, sum)");
        out.outputs.push_back(s == "grads" ? Output::grads : Output::sum);
      }
    }
    out.timing = json_input::boolean_or(h, "timing", false, where);
    out.contract.rationale = "no contract declared: route unknown, c = 1, every κ";
    if (h.contains("contract")) out.contract = read_contract(h["contract"], "hello.contract");
    if (h.contains("contracts")) {
      const json& per = h["contracts"];
      if (!per.is_object())
        throw std::invalid_argument("contracts must be an object {parameterization: contract}");
      for (auto it = per.begin(); it != per.end(); ++it) {
        const auto p = std::find_if(kAllParameterizations.begin(), kAllParameterizations.end(),
                                    [&](Parameterization q) { return it.key() == name(q); });
        if (p == kAllParameterizations.end())
          throw std::invalid_argument("contracts: unknown parameterization \"" + it.key() + "\"");
        out.contracts[*p] = read_contract(it.value(), "hello.contracts." + it.key());
      }
    }
    out.declared_contract = h.contains("contract") || h.contains("contracts");
  } catch (const std::invalid_argument& e) {
    fault(Fault::bad_hello, std::string(e.what()) + ": " + truncated(line));
  }
  return out;
}

template <typename T>
std::string score_request(std::uint64_t id, const Batch<T>& batch, const Request<T>& request) {
  std::string out;
  append_request(out, id, "score", batch, request);
  return out + "}";
}

template <typename T>
std::string time_request(std::uint64_t id, const Batch<T>& batch, const Request<T>& request,
                         std::uint64_t repeat) {
  std::string out;
  append_request(out, id, "time", batch, request);
  return out + ",\"repeat\":" + std::to_string(repeat) + "}";
}

template <typename T>
Result<T> parse_score_answer(std::string_view line, std::uint64_t id, const Batch<T>& batch,
                             const Request<T>& request, std::optional<std::string>& refusal) {
  const json a = parse_line(line, "the answer");
  refusal = check_id(a, id, line);
  if (refusal) return {};
  const Parameterization p = batch.parameterization;
  const Index d = batch.dim(), n = batch.size();
  const bool sum = request.output == Output::sum;
  Result<T> r = make_result<T>(p, request.output, d, n);

  if (a.contains("errors")) {
    const json& errors = a["errors"];
    if (!errors.is_array()) fault(Fault::wrong_shape, "\"errors\" must be a list of {sample, message}");
    for (size_t k = 0; k < errors.size(); ++k) {
      const std::string where = at("errors", k);
      try {
        const size_t sample = json_input::required_index(errors[k], "sample", where);
        if (sample >= static_cast<size_t>(n))
          throw std::invalid_argument(where + ".sample = " + std::to_string(sample) +
                                      " is not in the batch of " + std::to_string(n));
        r.errors.push_back(
            {static_cast<Index>(sample), json_input::required_string(errors[k], "message", where)});
      } catch (const std::invalid_argument& e) {
        fault(Fault::wrong_shape, e.what());
      }
    }
    std::sort(r.errors.begin(), r.errors.end(),
              [](const SampleError& x, const SampleError& y) { return x.sample < y.sample; });
  }
  const auto failed = [&](Index b) {
    return std::any_of(r.errors.begin(), r.errors.end(), [&](const SampleError& e) { return e.sample == b; });
  };

  const std::string grad_key = gradient_name(p);
  if (sum) {
    r.log_prob(0) = static_cast<T>(number(required(a, "log_prob"), "log_prob"));
    read_vector(required(a, "grad_loc"), "grad_loc", r.grad_loc, 0);
    read_vector(required(a, "grad_action"), "grad_action", r.grad_action, 0);
    if (is_matrix(p))
      read_matrix(required(a, grad_key), grad_key, r.grad_param, 0);
    else
      read_vector(required(a, grad_key), grad_key, r.grad_param, 0);
  } else {
    const json& lp = list(required(a, "log_prob"), static_cast<size_t>(n), "log_prob");
    const json& gl = list(required(a, "grad_loc"), static_cast<size_t>(n), "grad_loc");
    const json& ga = list(required(a, "grad_action"), static_cast<size_t>(n), "grad_action");
    const json& gp = list(required(a, grad_key), static_cast<size_t>(n), grad_key);
    for (Index b = 0; b < n; ++b) {
      if (failed(b)) continue;  // its entries stay NaN, whatever the child wrote
      const size_t k = static_cast<size_t>(b);
      r.log_prob(b) = static_cast<T>(number(lp[k], at("log_prob", k)));
      read_vector(gl[k], at("grad_loc", k), r.grad_loc, b);
      read_vector(ga[k], at("grad_action", k), r.grad_action, b);
      if (is_matrix(p))
        read_matrix(gp[k], at(grad_key, k), r.grad_param, b * d);
      else
        read_vector(gp[k], at(grad_key, k), r.grad_param, b);
    }
  }
  // A non-finite number is an answer only where the child says the sample failed.
  const Index outputs = sum ? 1 : n, block = is_matrix(p) ? d : 1;
  for (Index b = 0; b < outputs; ++b) {
    if (!sum && failed(b)) continue;
    const auto where = [&](const std::string& key) { return sum ? key : at(key, static_cast<size_t>(b)); };
    std::string bad;
    if (!std::isfinite(r.log_prob(b)))
      bad = where("log_prob");
    else if (!r.grad_loc.col(b).allFinite())
      bad = where("grad_loc");
    else if (!r.grad_action.col(b).allFinite())
      bad = where("grad_action");
    else if (!r.grad_param.middleCols(b * block, block).allFinite())
      bad = where(grad_key);
    if (!bad.empty())
      fault(Fault::non_finite, bad + " holds NaN or Infinity and no per-sample error names " +
                                   (sum ? std::string("a sample") : "sample " + std::to_string(b)) + ": " +
                                   truncated(line));
  }
  return r;
}

double parse_time_answer(std::string_view line, std::uint64_t id, std::optional<std::string>& refusal) {
  const json a = parse_line(line, "the timing answer");
  refusal = check_id(a, id, line);
  if (refusal) return 0;
  const double ns = number(required(a, "nanoseconds"), "nanoseconds");
  if (!(ns > 0) || !std::isfinite(ns))
    fault(Fault::wrong_shape, "nanoseconds must be a positive number: " + truncated(line));
  return ns;
}

std::size_t max_answer_bytes(Index dim, Index batch_size, Parameterization p) {
  const auto d = static_cast<std::size_t>(dim), n = static_cast<std::size_t>(batch_size);
  const std::size_t block = is_matrix(p) ? d * d : d;
  return 32 * n * (1 + 2 * d + block) + 2048 * n + 65536;
}

namespace {

std::vector<double> numbers_of(const json& v, size_t n, const std::string& where) {
  if (!v.is_array() || v.size() != n)
    throw std::invalid_argument(where + " must be a list of " + std::to_string(n) + " numbers");
  std::vector<double> out;
  for (size_t i = 0; i < n; ++i) {
    try {
      out.push_back(number(v[i], at(where, i)));
    } catch (const ExternalFault& e) {
      throw std::invalid_argument(e.what());
    }
  }
  return out;
}

template <typename T>
void fill_columns(const json& v, size_t cols, size_t d, const std::string& where, Mat<T>& m) {
  if (!v.is_array() || v.size() != cols)
    throw std::invalid_argument(where + " must be a list of " + std::to_string(cols) + " lists");
  m.resize(static_cast<Index>(d), static_cast<Index>(cols));
  for (size_t j = 0; j < cols; ++j) {
    const auto x = numbers_of(v[j], d, at(where, j));
    for (size_t i = 0; i < d; ++i) m(static_cast<Index>(i), static_cast<Index>(j)) = static_cast<T>(x[i]);
  }
}

template <typename T>
void fill_matrix(const json& v, size_t d, const std::string& where, Mat<T>& m, Index first) {
  if (!v.is_array() || v.size() != d)
    throw std::invalid_argument(where + " must be a list of " + std::to_string(d) + " rows");
  for (size_t i = 0; i < d; ++i) {
    const auto row = numbers_of(v[i], d, at(where, i));
    for (size_t j = 0; j < d; ++j)
      m(static_cast<Index>(i), first + static_cast<Index>(j)) = static_cast<T>(row[j]);
  }
}

json parse_request_json(std::string_view line) {
  const json r = json_input::parse(line, "the request");
  if (!r.is_object()) throw std::invalid_argument("the request is not a JSON object");
  return r;
}

}  // namespace

std::pair<std::uint64_t, std::string> request_id_and_dtype(std::string_view line) {
  const json r = parse_request_json(line);
  return {json_input::required_index(r, "id", "request"), json_input::required_string(r, "dtype", "request")};
}

template <typename T>
ParsedRequest<T> parse_request(std::string_view line) {
  const json r = parse_request_json(line);
  ParsedRequest<T> out;
  out.id = json_input::required_index(r, "id", "request");
  const std::string op = json_input::string_or(r, "op", "score", "request");
  if (op != "score" && op != "time") throw std::invalid_argument("unknown op \"" + op + "\"");
  out.time = op == "time";
  if (out.time) out.repeat = std::max<std::size_t>(1, json_input::required_index(r, "repeat", "request"));
  const std::string output = json_input::required_string(r, "output", "request");
  if (output != "grads" && output != "sum") throw std::invalid_argument("unknown output \"" + output + "\"");
  out.request.output = output == "sum" ? Output::sum : Output::grads;
  const bool shared = json_input::boolean_or(r, "shared", false, "request");
  const size_t n = json_input::required_index(r, "batch", "request");
  if (n == 0) throw std::invalid_argument("batch must be at least 1");
  if (!r.contains("loc") || !r["loc"].is_array() || r["loc"].empty() || !r["loc"][0].is_array())
    throw std::invalid_argument("loc must be a list of batch lists of d numbers");
  const size_t d = r["loc"][0].size();
  if (d == 0) throw std::invalid_argument("d must be at least 1");
  Batch<T>& b = out.batch;
  fill_columns(r["loc"], n, d, "loc", b.loc);
  const bool noise = !r.contains("action");
  if (noise && !r.contains("noise")) throw std::invalid_argument("a request needs 'action' or 'noise'");
  fill_columns(r[noise ? "noise" : "action"], n, d, noise ? "noise" : "action", noise ? b.noise : b.action);
  int found = 0;
  for (Parameterization p : kAllParameterizations) {
    const std::string key(name(p));
    if (!r.contains(key)) continue;
    ++found;
    b.parameterization = p;
    const size_t blocks = shared ? 1 : n;
    if (is_matrix(p)) {
      b.param.resize(static_cast<Index>(d), static_cast<Index>(d * blocks));
      if (shared) {
        fill_matrix(r[key], d, key, b.param, 0);
      } else {
        if (!r[key].is_array() || r[key].size() != n)
          throw std::invalid_argument(key + " must be a list of " + std::to_string(n) + " matrices");
        for (size_t k = 0; k < n; ++k)
          fill_matrix(r[key][k], d, at(key, k), b.param, static_cast<Index>(k * d));
      }
    } else if (shared) {
      fill_columns(json::array({r[key]}), 1, d, key, b.param);
    } else {
      fill_columns(r[key], n, d, key, b.param);
    }
  }
  if (found != 1) throw std::invalid_argument("a request needs exactly one parameterization key");
  if (out.request.output == Output::sum) {
    if (!r.contains("weights")) throw std::invalid_argument("a sum request needs 'weights'");
    const auto w = numbers_of(r["weights"], n, "weights");
    out.request.weights.resize(static_cast<Index>(n));
    for (size_t k = 0; k < n; ++k) out.request.weights(static_cast<Index>(k)) = static_cast<T>(w[k]);
  }
  return out;
}

template <typename T>
std::string score_answer(std::uint64_t id, const Result<T>& r) {
  std::string out = "{\"id\":" + std::to_string(id) + ",\"log_prob\":";
  const bool sum = r.output == Output::sum;
  const Index n = sum ? 1 : r.log_prob.size(), block = r.block_cols();
  const auto list_of = [&](const auto& append_one) {
    if (!sum) out += '[';
    for (Index b = 0; b < n; ++b) {
      if (b) out += ',';
      append_one(b);
    }
    if (!sum) out += ']';
  };
  list_of([&](Index b) { append_number(out, static_cast<double>(r.log_prob(b))); });
  out += ",\"grad_loc\":";
  list_of([&](Index b) { append_column(out, r.grad_loc, b); });
  out += ",\"grad_action\":";
  list_of([&](Index b) { append_column(out, r.grad_action, b); });
  out += ",\"" + gradient_name(r.parameterization) + "\":";
  list_of([&](Index b) {
    if (!is_matrix(r.parameterization))
      append_column(out, r.grad_param, b);
    else
      append_block(out, r.grad_param, b * block, block);
  });
  if (!r.errors.empty()) {
    out += ",\"errors\":[";
    for (size_t k = 0; k < r.errors.size(); ++k) {
      if (k) out += ',';
      out += "{\"sample\":" + std::to_string(r.errors[k].sample) + ",\"message\":";
      append_string(out, r.errors[k].message);
      out += '}';
    }
    out += ']';
  }
  return out + "}";
}

std::string error_answer(std::uint64_t id, const std::string& message) {
  std::string out = "{\"id\":" + std::to_string(id) + ",\"error\":";
  append_string(out, message);
  return out + "}";
}

template ParsedRequest<double> parse_request<double>(std::string_view);
template ParsedRequest<float> parse_request<float>(std::string_view);
template std::string score_answer(std::uint64_t, const Result<double>&);
template std::string score_answer(std::uint64_t, const Result<float>&);

template std::string score_request(std::uint64_t, const Batch<double>&, const Request<double>&);
template std::string score_request(std::uint64_t, const Batch<float>&, const Request<float>&);
template std::string time_request(std::uint64_t, const Batch<double>&, const Request<double>&, std::uint64_t);
template std::string time_request(std::uint64_t, const Batch<float>&, const Request<float>&, std::uint64_t);
template Result<double> parse_score_answer(std::string_view, std::uint64_t, const Batch<double>&,
                                           const Request<double>&, std::optional<std::string>&);
template Result<float> parse_score_answer(std::string_view, std::uint64_t, const Batch<float>&,
                                          const Request<float>&, std::optional<std::string>&);

}  // namespace scorebench::verification
