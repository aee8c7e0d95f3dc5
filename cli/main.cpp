// scorebench: the one command-line entry point (see command.hpp).

#include <vector>

#include "command.hpp"

int main(int argc, char** argv) {
  namespace cli = scorebench::cli;
  CLI::App app{"scorebench: the Gaussian score function, its implementations and estimators"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "scorebench " SCOREBENCH_VERSION, "Print the version and exit");
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
