#pragma once
// Helpers of the CLI tests: a private temporary directory per test, and a run
// of the built `scorebench` binary (its path comes from CMake as
// SCOREBENCH_EXE) with its exit status, stdout and stderr.

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace scorebench::cli::testing {

namespace fs = std::filesystem;

struct ProcessRun {
  int status = -1;
  std::string out, err;
};

inline std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void write_file(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

// Single-quoted for /bin/sh.
inline std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("scorebench_cli_" + std::string(info->name()) + "_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path path(const std::string& name) const { return dir_ / name; }

  fs::path write(const std::string& name, const std::string& text) const {
    write_file(path(name), text);
    return path(name);
  }

  // `env` is put before the command ("NAME=value ...").
  ProcessRun scorebench(const std::vector<std::string>& args, const std::string& env = "") const {
    std::string cmd = (env.empty() ? "" : env + " ") + shell_quote(SCOREBENCH_EXE);
    for (const std::string& a : args) cmd += " " + shell_quote(a);
    const fs::path out = path("stdout.txt"), err = path("stderr.txt");
    cmd += " >" + shell_quote(out.string()) + " 2>" + shell_quote(err.string());
    const int raw = std::system(cmd.c_str());
    ProcessRun r;
    r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    r.out = read_file(out);
    r.err = read_file(err);
    return r;
  }

 private:
  fs::path dir_;
};

}  // namespace scorebench::cli::testing
