#pragma once
// A fault of an external implementation (external_method.hpp): the named
// ways a child process can break the protocol. Each is the implementation's
// failure, reported with the evidence (the request id, what came back, the
// end of its stderr), never scorebench's.

#include <stdexcept>
#include <string>

namespace scorebench::verification {

enum class Fault {
  exited_before_hello,  // the child ended (or could not start) before its hello line
  bad_hello,            // the first line is not a valid hello (protocol.md: hello)
  crashed,              // the child ended while a request was open
  timeout,              // no complete answer within the per-request timeout
  partial_line,         // output stopped in the middle of a line (then timeout or end)
  malformed_line,       // a line that is not a JSON object: garbage on stdout
  line_too_long,        // a line beyond the largest answer the request allows
  wrong_id,             // an answer to another request
  missing_key,          // an answer without log_prob or a gradient the request needs
  wrong_shape,          // a value of the wrong type or size for the request
  non_finite,           // NaN or ±Infinity in an answer without a per-sample error
  gave_up,              // not asked: the child failed kMaxConsecutiveFaults requests in a row
};

const char* name(Fault f);

struct ExternalFault : std::runtime_error {
  ExternalFault(Fault f, const std::string& message) : std::runtime_error(message), fault(f) {}
  Fault fault;
  // A broken protocol fails the implementation wherever it happens; a
  // non-finite answer counts like any wrong number: a violation where the
  // contract promises accuracy, measured (not gated) beyond it.
  bool always_fails() const { return fault != Fault::non_finite; }
};

}  // namespace scorebench::verification
