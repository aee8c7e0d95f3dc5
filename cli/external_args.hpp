#pragma once
// The --external [NAME=]COMMAND arguments shared by the commands that run
// implementations scorebench did not write (verify, time).

#include <memory>
#include <string>
#include <vector>

#include "scorebench/method.hpp"
#include "scorebench/verification/external_method.hpp"
#include "scorebench/verification/gate.hpp"

namespace scorebench::cli {

// "NAME=COMMAND" when the text before the first '=' is a valid name
// ([A-Za-z0-9_.-]+), else the whole text is the command (and the name
// comes from the child's hello). Throws std::invalid_argument for an empty
// command.
verification::ExternalOptions parse_external(const std::string& arg, double timeout_seconds);

// Starts every external implementation, says on stderr which did not say
// hello (each is still run: its evaluations fail with that fault), and
// appends them to `methods`. Throws std::invalid_argument when two methods
// end up with one name.
std::vector<std::unique_ptr<verification::ExternalMethod>> start_externals(
    const std::vector<std::string>& args, double timeout_seconds, std::vector<const Method*>& methods);

// The command line that reruns one case of `method` (with --external and its
// command when the method is external).
std::string reproduce_line(const verification::VerifyReport& report, const std::string& method,
                           const std::string& case_id);

// `text` quoted for /bin/sh.
std::string shell_quote(const std::string& text);

}  // namespace scorebench::cli
