// scorebench: the one command-line entry point.

#include <iostream>

#include <CLI/CLI.hpp>

#include "eval_command.hpp"
#include "scorebench/registry.hpp"

namespace {

int list_methods() {
  for (const scorebench::Method* m : scorebench::registry().methods()) {
    const auto caps = m->capabilities();
    std::cout << m->name() << (caps.available ? "" : " (unavailable: " + caps.unavailable_reason + ")")
              << "\n    " << m->summary() << "\n";
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"scorebench: the Gaussian score function, its implementations and estimators"};
  app.require_subcommand(1);
  scorebench::cli::EvalOptions eval;
  scorebench::cli::add_eval_command(app, eval);
  CLI::App* methods = app.add_subcommand("methods", "List the registered methods and whether each is available");
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }
  if (app.got_subcommand("eval")) return scorebench::cli::run_eval(eval, std::cerr);
  if (methods->parsed()) return list_methods();
  return 2;
}
