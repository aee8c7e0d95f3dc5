#pragma once
// A child process spoken to line by line over a pipe pair, with a deadline
// on every exchange: the transport of the external protocol
// (external_protocol.hpp). The child runs `/bin/sh -c COMMAND` in a process
// group of its own, so that stop() reaches whatever the command started
// (a shell, an interpreter, its workers) and none is left as an orphan; the
// child is always reaped (no zombie). Its stderr is kept (the last
// kStderrTail bytes) as evidence for a fault.
//
// Writing to a child that has exited raises SIGPIPE; the first ChildProcess
// sets SIGPIPE to be ignored for the whole process, so that the write fails
// with EPIPE instead of killing scorebench.

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <string>

namespace scorebench::verification {

class ChildProcess {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::size_t kStderrTail = 4096;

  // Starts `/bin/sh -c command`. Throws std::system_error when the pipes or
  // the process cannot be created.
  explicit ChildProcess(const std::string& command);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  enum class Status { ok, timeout, closed };
  // Writes `line` and a newline before `deadline`; closed when the child no
  // longer reads (EPIPE).
  Status write_line(const std::string& line, Clock::time_point deadline);
  // Reads one line (without its newline) before `deadline`: closed at end
  // of output (`line` then holds a partial last line, if any); a line longer
  // than max_bytes is returned cut, with Status::ok and `too_long` set.
  Status read_line(std::string& line, Clock::time_point deadline, std::size_t max_bytes, bool& too_long);

  // Kills the process group (SIGKILL) and reaps the child; idempotent.
  // Waits up to `grace` first for a child that is ending by itself (its
  // output closed), so that its own exit status is reported. Returns how
  // the child ended ("exit status 3", "signal 11 (Segmentation fault)",
  // "still running, killed").
  std::string stop(std::chrono::milliseconds grace = std::chrono::milliseconds(0));
  // Whether the child has exited (reaps it if so); `how` as for stop().
  bool exited(std::string& how);
  pid_t pid() const { return pid_; }
  // What was read of a line not yet complete.
  const std::string& pending() const { return buffer_; }
  // The end of what the child wrote to stderr so far.
  std::string stderr_tail();

 private:
  void drain_stderr();
  pid_t pid_ = -1;
  int in_ = -1, out_ = -1, err_ = -1;  // our ends: child's stdin, stdout, stderr
  std::string buffer_;                 // read from stdout, not yet returned
  std::string stderr_;
  std::string ended_;  // how the child ended, once reaped
};

}  // namespace scorebench::verification
