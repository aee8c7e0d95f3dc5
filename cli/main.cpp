// scorebench: the one command-line entry point (see command.hpp).

#include <iostream>
#include <string>
#include <vector>

#include "command.hpp"
#include "scorebench/heap.hpp"
#include "scorebench/isa.hpp"

int main(int argc, char** argv) {
  namespace cli = scorebench::cli;
  if (const auto error = scorebench::isa::run_best_variant(argv, "cli/scorebench")) {
    std::cerr << "scorebench: " << *error << "\n";
    return 2;
  }
  scorebench::keep_freed_memory();
  CLI::App app{"scorebench: the Gaussian score function, its implementations and estimators"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "scorebench " SCOREBENCH_VERSION, "Print the version and exit");
  app.add_flag_callback(
         "--isa",
         [] {
           std::cout << scorebench::isa::level() << "\n";
           throw CLI::Success();
         },
         "Print the instruction set of the running build (x86-64, or a variant: SCOREBENCH_ISA) and exit")
      ->trigger_on_parse();
  const std::vector<cli::Command> commands = {
      cli::add_eval_command(app),    cli::add_methods_command(app), cli::add_verify_command(app),
      cli::add_report_command(app),  cli::add_compare_command(app), cli::add_mc_command(app),
      cli::add_merge_command(app),   cli::add_time_command(app),    cli::add_record_command(app),
      cli::add_history_command(app), cli::add_bisect_command(app),  cli::add_cases_command(app),
      cli::add_check_command(app),
  };
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }
  for (const cli::Command& c : commands)
    if (c.parser->parsed()) return c.run();
  return 2;
}
