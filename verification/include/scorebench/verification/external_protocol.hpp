#pragma once
// The messages of the external protocol scorebench.external/1
// (verification/adapters/PROTOCOL.md): the child's hello, scorebench's
// requests and the child's answers, one JSON object per line, in the keys
// that `scorebench eval` reads and writes. Numbers are written with 17
// significant digits (every double, and every float widened to double,
// reads back to the same value); NaN and ±∞ as the strings "NaN",
// "Infinity", "-Infinity".
//
// The readers take one line of untrusted text and throw ExternalFault
// (external_fault.hpp) naming what is wrong and where; they never crash on
// any input (fuzz/fuzz_external_protocol_reader.cpp).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scorebench/batch.hpp"
#include "scorebench/result.hpp"
#include "scorebench/verification/case_generator.hpp"
#include "scorebench/verification/contract.hpp"

namespace scorebench::verification {

inline constexpr const char* kProtocolVersion = "scorebench.external/1";

// "double" / "float": the dtype names of `scorebench eval --dtype`.
inline const char* protocol_dtype(Dtype t) { return t == Dtype::f64 ? "double" : "float"; }

struct Hello {
  std::string name;  // [A-Za-z0-9_.-]+, at most 64 characters
  std::string summary;
  std::vector<Parameterization> parameterizations;
  std::vector<Dtype> dtypes;
  bool per_sample = true;  // one parameter block per sample
  bool shared = true;      // one parameter block for the batch
  std::vector<Output> outputs{Output::grads, Output::sum};
  bool timing = false;  // answers {"op": "time"} requests
  // The contract the child declares ("contract": route, c, κ range), and
  // per parameterization where it differs ("contracts"); Route::unknown,
  // c = 1, every κ when it declares none.
  AccuracyContract contract;
  std::map<Parameterization, AccuracyContract> contracts;
  bool declared_contract = false;
  AccuracyContract contract_for(Parameterization p) const {
    const auto it = contracts.find(p);
    return it == contracts.end() ? contract : it->second;
  }
};

Hello parse_hello(std::string_view line);
bool valid_name(std::string_view name);

// A number as the protocol writes it.
void append_number(std::string& out, double x);

// The request line for one evaluation (op "score"), or for `repeat` timed
// evaluations (op "time").
template <typename T>
std::string score_request(std::uint64_t id, const Batch<T>& batch, const Request<T>& request);
template <typename T>
std::string time_request(std::uint64_t id, const Batch<T>& batch, const Request<T>& request,
                         std::uint64_t repeat);

// The answer to request `id` about `batch`: the result, with the samples
// the child declared failed in Result::errors. An {"error": ...} answer is
// the child's refusal of the request: returned in `refusal`, no result.
template <typename T>
Result<T> parse_score_answer(std::string_view line, std::uint64_t id, const Batch<T>& batch,
                             const Request<T>& request, std::optional<std::string>& refusal);

// The child's own nanoseconds for the `repeat` evaluations of a time request.
double parse_time_answer(std::string_view line, std::uint64_t id, std::optional<std::string>& refusal);

// The child's side (serve.hpp): a request line read back into a batch.
template <typename T>
struct ParsedRequest {
  std::uint64_t id = 0;
  bool time = false;  // op "time"
  std::uint64_t repeat = 1;
  Batch<T> batch;
  Request<T> request;
};
// The id and dtype ("double", "float") of a request line, read first to
// pick T; throws std::invalid_argument.
std::pair<std::uint64_t, std::string> request_id_and_dtype(std::string_view line);
// Throws std::invalid_argument naming the key and the problem.
template <typename T>
ParsedRequest<T> parse_request(std::string_view line);
// The answer line for a result (per-sample errors included), and for a
// refused request.
template <typename T>
std::string score_answer(std::uint64_t id, const Result<T>& result);
std::string error_answer(std::uint64_t id, const std::string& message);

// The largest answer line a request may draw: every number of a full
// result at 32 characters, plus room for keys and per-sample errors.
std::size_t max_answer_bytes(Index dim, Index batch_size, Parameterization p);

// At most `max` characters of `text`, with a note of how much was cut.
std::string truncated(std::string_view text, std::size_t max = 200);

}  // namespace scorebench::verification
