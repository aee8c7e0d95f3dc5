#include "scorebench/verification/child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <mutex>
#include <system_error>

extern char** environ;

namespace scorebench::verification {
namespace {

void ignore_sigpipe() {
  static std::once_flag once;
  std::call_once(once, [] { std::signal(SIGPIPE, SIG_IGN); });
}

[[noreturn]] void fail(const char* what) { throw std::system_error(errno, std::generic_category(), what); }

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

int remaining_ms(ChildProcess::Clock::time_point deadline) {
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - ChildProcess::Clock::now());
  return left.count() <= 0 ? 0 : static_cast<int>(std::min<long long>(left.count(), 1 << 30));
}

std::string describe_status(int status) {
  if (WIFEXITED(status)) return "exit status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status))
    return "signal " + std::to_string(WTERMSIG(status)) + " (" + strsignal(WTERMSIG(status)) + ")";
  return "status " + std::to_string(status);
}

}  // namespace

ChildProcess::ChildProcess(const std::string& command) {
  ignore_sigpipe();
  int in[2], out[2], err[2];
  if (pipe2(in, O_CLOEXEC) != 0) fail("pipe");
  if (pipe2(out, O_CLOEXEC) != 0) {
    ::close(in[0]), ::close(in[1]);
    fail("pipe");
  }
  if (pipe2(err, O_CLOEXEC) != 0) {
    ::close(in[0]), ::close(in[1]), ::close(out[0]), ::close(out[1]);
    fail("pipe");
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err[1], 2);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  // A process group of its own (pgid = its pid), and default SIGPIPE: the
  // child must not inherit our ignored SIGPIPE.
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF);
  const char* argv[] = {"/bin/sh", "-c", command.c_str(), nullptr};
  const int spawned = posix_spawn(&pid_, "/bin/sh", &actions, &attr, const_cast<char* const*>(argv), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  ::close(in[0]), ::close(out[1]), ::close(err[1]);
  in_ = in[1], out_ = out[0], err_ = err[0];
  for (int fd : {in_, out_, err_}) fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  if (spawned != 0) {
    pid_ = -1;
    close_fd(in_), close_fd(out_), close_fd(err_);
    errno = spawned;
    fail("posix_spawn /bin/sh");
  }
}

ChildProcess::~ChildProcess() { stop(); }

void ChildProcess::drain_stderr() {
  char chunk[4096];
  while (err_ >= 0) {
    const ssize_t n = ::read(err_, chunk, sizeof chunk);
    if (n > 0) {
      stderr_.append(chunk, static_cast<size_t>(n));
      if (stderr_.size() > 2 * kStderrTail) stderr_.erase(0, stderr_.size() - kStderrTail);
    } else if (n == 0) {
      close_fd(err_);
    } else if (errno != EINTR) {
      return;  // EAGAIN: nothing more for now
    }
  }
}

std::string ChildProcess::stderr_tail() {
  drain_stderr();
  return stderr_.size() > kStderrTail ? stderr_.substr(stderr_.size() - kStderrTail) : stderr_;
}

ChildProcess::Status ChildProcess::write_line(const std::string& line, Clock::time_point deadline) {
  const std::string data = line + "\n";
  size_t written = 0;
  while (written < data.size()) {
    if (in_ < 0) return Status::closed;
    // Read while writing: a child that answers (or chatters) before it has
    // read the whole request must not block us both on full pipes.
    pollfd fds[3] = {{in_, POLLOUT, 0}, {out_, POLLIN, 0}, {err_, POLLIN, 0}};
    const int ready = ::poll(fds, 3, remaining_ms(deadline));
    if (ready < 0 && errno != EINTR) fail("poll");
    if (ready == 0) return Status::timeout;
    if (fds[2].revents) drain_stderr();
    if (fds[1].revents && out_ >= 0) {
      char chunk[65536];
      const ssize_t n = ::read(out_, chunk, sizeof chunk);
      if (n > 0) buffer_.append(chunk, static_cast<size_t>(n));
      if (n == 0) close_fd(out_);
    }
    if (fds[0].revents & (POLLERR | POLLHUP)) return Status::closed;
    if (fds[0].revents & POLLOUT) {
      const ssize_t n = ::write(in_, data.data() + written, data.size() - written);
      if (n > 0) written += static_cast<size_t>(n);
      if (n < 0 && errno == EPIPE) return Status::closed;
      if (n < 0 && errno != EAGAIN && errno != EINTR) return Status::closed;
    }
  }
  return Status::ok;
}

ChildProcess::Status ChildProcess::read_line(std::string& line, Clock::time_point deadline,
                                             std::size_t max_bytes, bool& too_long) {
  too_long = false;
  size_t searched = 0;
  while (true) {
    const size_t newline = buffer_.find('\n', searched);
    if (newline != std::string::npos && newline <= max_bytes) {
      line = buffer_.substr(0, newline);
      buffer_.erase(0, newline + 1);
      return Status::ok;
    }
    if (buffer_.size() > max_bytes) {
      line = buffer_.substr(0, max_bytes);
      buffer_.clear();
      too_long = true;
      return Status::ok;
    }
    searched = buffer_.size();
    if (out_ < 0) {
      line = std::move(buffer_);
      buffer_.clear();
      return Status::closed;
    }
    pollfd fds[2] = {{out_, POLLIN, 0}, {err_, POLLIN, 0}};
    const int ready = ::poll(fds, 2, remaining_ms(deadline));
    if (ready < 0 && errno != EINTR) fail("poll");
    if (ready == 0) return Status::timeout;
    if (fds[1].revents) drain_stderr();
    if (fds[0].revents) {
      char chunk[65536];
      const ssize_t n = ::read(out_, chunk, sizeof chunk);
      if (n > 0) buffer_.append(chunk, static_cast<size_t>(n));
      if (n == 0) close_fd(out_);
      if (n < 0 && errno != EAGAIN && errno != EINTR) close_fd(out_);
    }
  }
}

bool ChildProcess::exited(std::string& how) {
  if (pid_ < 0) {
    how = ended_;
    return true;
  }
  int status = 0;
  const pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r != pid_) return false;
  ::kill(-pid_, SIGKILL);  // what the command left behind in its group
  ended_ = describe_status(status);
  pid_ = -1;
  how = ended_;
  return true;
}

std::string ChildProcess::stop(std::chrono::milliseconds grace) {
  if (pid_ >= 0) {
    std::string how;
    const auto until = Clock::now() + grace;
    while (!exited(how) && Clock::now() < until) ::usleep(5000);
    if (pid_ >= 0) {
      ::kill(-pid_, SIGKILL);
      int status = 0;
      while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
      }
      ended_ = "still running, killed";
      pid_ = -1;
    }
  }
  drain_stderr();
  close_fd(in_), close_fd(out_), close_fd(err_);
  return ended_;
}

}  // namespace scorebench::verification
