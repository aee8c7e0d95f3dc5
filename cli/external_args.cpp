#include "external_args.hpp"

#include <algorithm>
#include <iostream>
#include <stdexcept>

#include "scorebench/verification/seed_sweep.hpp"

namespace scorebench::cli {

verification::ExternalOptions parse_external(const std::string& arg, double timeout_seconds) {
  verification::ExternalOptions o;
  o.timeout_seconds = timeout_seconds;
  const size_t eq = arg.find('=');
  if (eq != std::string::npos && verification::valid_name(arg.substr(0, eq))) {
    o.name = arg.substr(0, eq);
    o.command = arg.substr(eq + 1);
  } else {
    o.command = arg;
  }
  if (o.command.find_first_not_of(" \t") == std::string::npos)
    throw std::invalid_argument("--external '" + arg + "': the command is empty");
  return o;
}

std::vector<std::unique_ptr<verification::ExternalMethod>> start_externals(
    const std::vector<std::string>& args, double timeout_seconds, std::vector<const Method*>& methods) {
  std::vector<std::unique_ptr<verification::ExternalMethod>> out;
  for (const std::string& arg : args) {
    auto m = std::make_unique<verification::ExternalMethod>(parse_external(arg, timeout_seconds));
    if (m->hello_fault()) std::cerr << "FAULT " << *m->hello_fault() << "\n";
    const std::string name = m->name();
    if (std::any_of(methods.begin(), methods.end(), [&](const Method* x) { return x->name() == name; }))
      throw std::invalid_argument("--external '" + arg + "': a method named " + name +
                                  " is already in the run (give another name: --external NAME=COMMAND)");
    methods.push_back(m.get());
    out.push_back(std::move(m));
  }
  return out;
}

std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string reproduce_line(const verification::VerifyReport& report, const std::string& method,
                           const std::string& case_id) {
  const auto origin = report.origins.find(method);
  if (origin == report.origins.end()) return verification::reproduce_command(method, case_id);
  const std::string prefix = "external: ";
  std::string command = origin->second;
  if (command.rfind(prefix, 0) == 0) command.erase(0, prefix.size());
  const std::string name = method.substr(std::string(verification::kExternalPrefix).size());
  return "scorebench verify --external " + shell_quote(name + "=" + command) + " --case " + case_id;
}

}  // namespace scorebench::cli
