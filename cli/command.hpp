#pragma once
// A scorebench subcommand: its CLI11 parser and what runs when it was given.
// Each command lives in its own file and returns one of these from
// add_<name>_command(app); main.cpp lists them.
//
// Exit status convention for every command: 0 success, 1 a finding (a failed
// case, a violated contract, a regression), 2 a usage or input error.

#include <CLI/CLI.hpp>
#include <functional>

namespace scorebench::cli {

struct Command {
  CLI::App* parser;
  std::function<int()> run;
};

Command add_eval_command(CLI::App& app);
Command add_methods_command(CLI::App& app);
Command add_verify_command(CLI::App& app);
Command add_report_command(CLI::App& app);
Command add_compare_command(CLI::App& app);
Command add_mc_command(CLI::App& app);
Command add_merge_command(CLI::App& app);
Command add_record_command(CLI::App& app);
Command add_history_command(CLI::App& app);
Command add_bisect_command(CLI::App& app);
Command add_time_command(CLI::App& app);
Command add_cases_command(CLI::App& app);
Command add_check_command(CLI::App& app);

}  // namespace scorebench::cli
