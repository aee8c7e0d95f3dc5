#include "scorebench/verification/external_method.hpp"

#include <algorithm>
#include <stdexcept>
#include <system_error>

#include "scorebench/verification/external_fault.hpp"

namespace scorebench::verification {
namespace {

using Clock = ChildProcess::Clock;

Clock::duration seconds(double s) {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
}

std::string format_seconds(double s) {
  char text[32];
  std::snprintf(text, sizeof text, "%g s", s);
  return text;
}

// Faults after which the child's output stream is out of step with the
// requests: the child is killed and the next request starts a new one. A
// missing key, a wrong shape or a NaN is an answer to the right request,
// so the child is kept.
bool stream_broken(Fault f) {
  return f != Fault::missing_key && f != Fault::wrong_shape && f != Fault::non_finite;
}

}  // namespace

ExternalMethod::ExternalMethod(ExternalOptions options) : options_(std::move(options)) {
  std::lock_guard<std::mutex> lock(mutex_);
  try {
    child();
  } catch (const ExternalFault& e) {
    hello_fault_ = e.what();
  }
}

ExternalMethod::~ExternalMethod() = default;

std::string ExternalMethod::name() const {
  if (!options_.name.empty()) return kExternalPrefix + options_.name;
  return kExternalPrefix + (hello_ ? hello_->name : std::string("unnamed"));
}

std::string ExternalMethod::summary() const {
  const std::string own = hello_ && !hello_->summary.empty() ? hello_->summary + " " : "";
  return own + "(external: " + options_.command + ")";
}

bool ExternalMethod::covers(Parameterization p, Dtype dtype, const Mode& mode) const {
  if (!hello_) return true;  // every evaluation then reports the missing hello
  const Hello& h = *hello_;
  const auto has = [](const auto& v, auto x) { return std::find(v.begin(), v.end(), x) != v.end(); };
  return has(h.parameterizations, p) && has(h.dtypes, dtype) && has(h.outputs, mode.output) &&
         (mode.shared ? h.shared : h.per_sample);
}

AccuracyContract ExternalMethod::contract(Parameterization p) const {
  if (hello_) return hello_->contract_for(p);
  AccuracyContract c;
  c.rationale = "no hello: route unknown, c = 1, every κ";
  return c;
}

void ExternalMethod::fail(Fault f, const std::string& evidence, std::uint64_t id) const {
  std::string message = name() + ": " + verification::name(f) + ": " +
                        (id ? "request " + std::to_string(id) : std::string("hello")) + ": " + evidence;
  if (child_ && stream_broken(f)) {
    const std::string how = child_->stop(std::chrono::milliseconds(200));
    const std::string err = child_->stderr_tail();
    message += "; the child (" + how + ") was stopped";
    if (!err.empty())
      message += "; its stderr ends: " + truncated(err.substr(err.size() > 400 ? err.size() - 400 : 0), 400);
    child_.reset();
  }
  ++consecutive_faults_;
  last_fault_ = message;
  throw ExternalFault(f, message);
}

ChildProcess& ExternalMethod::child() const {
  if (consecutive_faults_ >= kMaxConsecutiveFaults)
    throw ExternalFault(Fault::gave_up, name() + ": gave_up: not asked after " +
                                            std::to_string(consecutive_faults_) +
                                            " faulty requests in a row; the last: " + last_fault_);
  if (child_) {
    std::string how;
    if (!child_->exited(how)) return *child_;
    child_->stop();
    child_.reset();
  }
  try {
    child_ = std::make_unique<ChildProcess>(options_.command);
  } catch (const std::system_error& e) {
    fail(Fault::exited_before_hello, std::string("cannot start: ") + e.what(), 0);
  }
  ++starts_;
  std::string line;
  bool too_long = false;
  const double hello_timeout = std::max(options_.timeout_seconds, options_.hello_timeout_seconds);
  const auto status = child_->read_line(line, Clock::now() + seconds(hello_timeout), 1 << 20, too_long);
  if (status == ChildProcess::Status::timeout)
    fail(Fault::timeout,
         "no hello line within " + format_seconds(hello_timeout) +
             (child_->pending().empty() ? "" : "; it wrote " + truncated(child_->pending())),
         0);
  if (status == ChildProcess::Status::closed)
    fail(Fault::exited_before_hello,
         "the child's output ended before its hello" + (line.empty() ? "" : "; it wrote " + truncated(line)),
         0);
  try {
    Hello h = parse_hello(line);
    if (starts_ == 1) hello_ = std::move(h);  // later children are held to the first one's hello
  } catch (const ExternalFault& e) {
    fail(e.fault, e.what(), 0);
  }
  return *child_;
}

std::string ExternalMethod::exchange(const std::string& line, std::uint64_t id, std::size_t max_bytes) const {
  ChildProcess& c = child();
  const auto deadline = Clock::now() + seconds(options_.timeout_seconds);
  const auto written = c.write_line(line, deadline);
  if (written == ChildProcess::Status::closed)
    fail(Fault::crashed,
         "the child stopped reading its input" +
             (c.pending().empty() ? "" : "; it wrote " + truncated(c.pending())),
         id);
  if (written == ChildProcess::Status::timeout)
    fail(Fault::timeout, "the request was not read within " + format_seconds(options_.timeout_seconds), id);
  std::string answer;
  bool too_long = false;
  const auto status = c.read_line(answer, deadline, max_bytes, too_long);
  if (status == ChildProcess::Status::timeout) {
    if (!c.pending().empty())
      fail(Fault::partial_line,
           "no end of line within " + format_seconds(options_.timeout_seconds) + " after " +
               truncated(c.pending()),
           id);
    fail(Fault::timeout, "no answer within " + format_seconds(options_.timeout_seconds), id);
  }
  if (status == ChildProcess::Status::closed) {
    if (!answer.empty())
      fail(Fault::partial_line, "the output ended inside a line: " + truncated(answer), id);
    fail(Fault::crashed, "the child's output ended without an answer", id);
  }
  if (too_long)
    fail(Fault::line_too_long,
         "a line longer than " + std::to_string(max_bytes) + " bytes: " + truncated(answer), id);
  return answer;
}

template <typename T>
Result<T> ExternalMethod::evaluate_impl(const Batch<T>& batch, const Request<T>& request) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const std::uint64_t id = ++next_id_;
  const std::string answer = exchange(score_request(id, batch, request), id,
                                      max_answer_bytes(batch.dim(), batch.size(), batch.parameterization));
  std::optional<std::string> refusal;
  Result<T> r;
  try {
    r = parse_score_answer(answer, id, batch, request, refusal);
  } catch (const ExternalFault& e) {
    fail(e.fault, e.what(), id);
  }
  consecutive_faults_ = 0;
  if (refusal) throw std::domain_error(name() + " refused request " + std::to_string(id) + ": " + *refusal);
  return r;
}

Result<double> ExternalMethod::evaluate(const Batch<double>& batch, const Request<double>& request) const {
  return evaluate_impl(batch, request);
}
Result<float> ExternalMethod::evaluate(const Batch<float>& batch, const Request<float>& request) const {
  return evaluate_impl(batch, request);
}

template <typename T>
ExternalMethod::Timing ExternalMethod::time(const Batch<T>& batch, const Request<T>& request,
                                            std::uint64_t repeat) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const std::uint64_t id = ++next_id_;
  const std::string line = time_request(id, batch, request, repeat);
  ChildProcess& c = child();  // started before the clock runs
  (void)c;
  const auto start = Clock::now();
  const std::string answer = exchange(line, id, 65536);
  const auto stop = Clock::now();
  std::optional<std::string> refusal;
  Timing t;
  try {
    t.child_ns = parse_time_answer(answer, id, refusal);
  } catch (const ExternalFault& e) {
    fail(e.fault, e.what(), id);
  }
  consecutive_faults_ = 0;
  if (refusal) throw std::domain_error(name() + " refused request " + std::to_string(id) + ": " + *refusal);
  t.wall_ns = std::chrono::duration<double, std::nano>(stop - start).count();
  return t;
}

template ExternalMethod::Timing ExternalMethod::time(const Batch<double>&, const Request<double>&,
                                                     std::uint64_t) const;
template ExternalMethod::Timing ExternalMethod::time(const Batch<float>&, const Request<float>&,
                                                     std::uint64_t) const;

const char* name(Fault f) {
  switch (f) {
    case Fault::exited_before_hello: return "exited_before_hello";
    case Fault::bad_hello: return "bad_hello";
    case Fault::crashed: return "crashed";
    case Fault::timeout: return "timeout";
    case Fault::partial_line: return "partial_line";
    case Fault::malformed_line: return "malformed_line";
    case Fault::line_too_long: return "line_too_long";
    case Fault::wrong_id: return "wrong_id";
    case Fault::missing_key: return "missing_key";
    case Fault::wrong_shape: return "wrong_shape";
    case Fault::non_finite: return "non_finite";
    case Fault::gave_up: return "gave_up";
  }
  return "fault";
}

}  // namespace scorebench::verification
