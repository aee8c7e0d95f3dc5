#pragma once
// Running a program and waiting for it (no shell).

#include <optional>
#include <string>
#include <vector>

namespace scorebench::reports {

// Runs argv[0] (searched on PATH when it has no '/') with its standard output
// and error appended to `log_file` (or discarded when empty) and standard
// input from /dev/null. Returns the exit status, 128 + signal when killed, or
// −1 when the program could not be started.
int run_program(const std::vector<std::string>& argv, const std::string& log_file);

// Runs argv like run_program and returns its standard output (standard error
// discarded) with trailing newlines removed; nullopt when it could not be
// started or exited with a status other than 0.
std::optional<std::string> program_output(const std::vector<std::string>& argv);

// The full path of an executable found on PATH (or `name` itself when it
// contains '/' and is executable); empty when there is none.
std::string find_executable(const std::string& name);

}  // namespace scorebench::reports
