#pragma once
// An implementation that scorebench did not write, run as a child process
// that speaks scorebench.external/1 (external_protocol.hpp): a Method like
// the built-in ones, so the gate, `eval` and the timings take it unchanged.
//
// Every fault of the child (external_fault.hpp) surfaces from evaluate() as
// an ExternalFault naming the implementation, the fault and the evidence;
// after a fault that leaves the stream in an unknown state the child is
// killed (its whole process group) and reaped, and the next request starts
// a new one. After kMaxConsecutiveFaults faulty requests in a row the
// implementation is given up on: later requests fail at once (Fault::gave_up)
// instead of waiting out a timeout each.

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "scorebench/verification/child_process.hpp"
#include "scorebench/verification/declaring_method.hpp"
#include "scorebench/verification/external_fault.hpp"
#include "scorebench/verification/external_protocol.hpp"

namespace scorebench::verification {

struct ExternalOptions {
  std::string command;          // run as /bin/sh -c COMMAND
  std::string name;             // overrides the hello's name when not empty
  double timeout_seconds = 30;  // per request
  // For the hello: at least this long, whatever the request timeout (an
  // interpreter that imports a large library starts slowly, above all on a
  // loaded machine, and a short request timeout must not fail its start).
  double hello_timeout_seconds = 60;
};

inline constexpr int kMaxConsecutiveFaults = 3;
// The method name of an external implementation: "external.<name>", in
// every table, JSON file and benchmark name (score/external.<name>/...).
inline constexpr const char* kExternalPrefix = "external.";

class ExternalMethod : public DeclaringMethod {
 public:
  // Starts the child and reads its hello. A child that does not say hello
  // is not an error here: every evaluation then fails with that fault (and
  // hello_fault() says why), so that a run over several methods goes on.
  explicit ExternalMethod(ExternalOptions options);
  ~ExternalMethod() override;

  std::string name() const override;
  std::string summary() const override;
  bool covers(Parameterization p, Dtype dtype, const Mode& mode) const override;
  AccuracyContract contract(Parameterization p) const override;
  std::string origin() const override { return "external: " + options_.command; }

  Result<double> evaluate(const Batch<double>& batch, const Request<double>& request) const override;
  Result<float> evaluate(const Batch<float>& batch, const Request<float>& request) const override;

  // One timing request: the child evaluates the batch `repeat` times and
  // reports its own nanoseconds; `wall_ns` is the time around the request
  // as scorebench saw it (protocol and serialisation included).
  struct Timing {
    double child_ns = 0, wall_ns = 0;
  };
  template <typename T>
  Timing time(const Batch<T>& batch, const Request<T>& request, std::uint64_t repeat) const;

  const std::optional<Hello>& hello() const { return hello_; }
  const std::optional<std::string>& hello_fault() const { return hello_fault_; }
  const std::string& command() const { return options_.command; }
  // Children started so far (1 + restarts after faults).
  int starts() const { return starts_; }

 private:
  template <typename T>
  Result<T> evaluate_impl(const Batch<T>& batch, const Request<T>& request) const;
  // The child, started (and greeted) if it is not running; throws ExternalFault.
  ChildProcess& child() const;
  // Sends `line` and returns the answer line; throws ExternalFault.
  std::string exchange(const std::string& line, std::uint64_t id, std::size_t max_bytes) const;
  [[noreturn]] void fail(Fault f, const std::string& evidence, std::uint64_t id) const;

  ExternalOptions options_;
  mutable std::optional<Hello> hello_;  // from the first child that said hello
  std::optional<std::string> hello_fault_;
  mutable std::mutex mutex_;
  mutable std::unique_ptr<ChildProcess> child_;
  mutable std::uint64_t next_id_ = 0;
  mutable int starts_ = 0, consecutive_faults_ = 0;
  mutable std::string last_fault_;
};

}  // namespace scorebench::verification
