// `scorebench methods`: the registry, one method a line with its summary, or
// only the names of the available methods with --names (for scripts); with
// --external [NAME=]COMMAND also what each external implementation said in
// its hello (scope and accuracy contract), or why it said none.
//
// Exit status: 0, or 1 when an external implementation did not say hello,
// 2 a usage error.

#include <iostream>
#include <memory>

#include "command.hpp"
#include "external_args.hpp"
#include "scorebench/registry.hpp"

namespace scorebench::cli {

namespace {

struct MethodsArgs {
  bool names_only = false;
  std::vector<std::string> externals;
  double external_timeout = verification::ExternalOptions{}.timeout_seconds;
};

template <typename Range>
std::string joined(const Range& items) {
  std::string out;
  for (const auto& x : items) out += (out.empty() ? "" : ", ") + std::string(name(x));
  return out;
}

// The scope and contract of an external implementation's hello.
void print_hello(std::ostream& o, const verification::Hello& h) {
  o << "    takes " << joined(h.parameterizations) << "; " << joined(h.dtypes) << "; "
    << (h.per_sample && h.shared ? "per-sample and shared"
        : h.per_sample           ? "per-sample only"
                                 : "shared only")
    << " parameters; outputs " << joined(h.outputs) << (h.timing ? "; timing requests" : "") << "\n";
  const auto contract = [&](const verification::AccuracyContract& c) {
    o << "route " << verification::name(c.route) << ", c = " << c.c << ", κ ≤ " << c.kappa_max;
  };
  o << "    contract: ";
  if (!h.declared_contract) o << "none declared (";
  contract(h.contract);
  o << (h.declared_contract ? "" : ")") << "\n";
  for (const auto& [p, c] : h.contracts) {
    o << "      " << name(p) << ": ";
    contract(c);
    o << "\n";
  }
}

int run_methods(const MethodsArgs& a) {
  std::vector<const Method*> methods;
  for (const Method* m : registry().methods()) methods.push_back(m);
  std::vector<std::unique_ptr<verification::ExternalMethod>> externals;
  try {
    externals = start_externals(a.externals, a.external_timeout, methods);
  } catch (const std::invalid_argument& e) {
    std::cerr << "scorebench methods: " << e.what() << "\n";
    return 2;
  }
  int status = 0;
  for (const Method* m : methods) {
    const Capabilities caps = m->capabilities();
    const auto* external = dynamic_cast<const verification::ExternalMethod*>(m);
    const bool greeted = !external || !external->hello_fault();
    if (!greeted) status = 1;
    if (a.names_only) {
      if (caps.available && greeted) std::cout << m->name() << "\n";
      continue;
    }
    std::cout << m->name() << (caps.available ? "" : "  [unavailable: " + caps.unavailable_reason + "]")
              << (greeted ? "" : "  [no hello]") << "\n    " << m->summary() << "\n";
    if (external && external->hello()) print_hello(std::cout, *external->hello());
    if (external && external->hello_fault()) std::cout << "    " << *external->hello_fault() << "\n";
  }
  return status;
}

}  // namespace

Command add_methods_command(CLI::App& app) {
  auto args = std::make_shared<MethodsArgs>();
  CLI::App* cmd = app.add_subcommand("methods", "List the registered methods and whether each is available");
  cmd->add_flag("--names", args->names_only, "Only the names of the available methods, one a line");
  cmd->add_option("--external", args->externals,
                  "[NAME=]COMMAND: also an implementation that speaks scorebench.external/1 (repeatable)");
  cmd->add_option("--external-timeout", args->external_timeout,
                  "Seconds an external implementation may take for its hello")
      ->check(CLI::Range(0.01, 86400.0))
      ->capture_default_str();
  return {cmd, [args] { return run_methods(*args); }};
}

}  // namespace scorebench::cli
