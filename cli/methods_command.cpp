// `scorebench methods`: the registry, one method a line with its summary, or
// only the names of the available methods with --names (for scripts).

#include <iostream>
#include <memory>

#include "command.hpp"
#include "scorebench/registry.hpp"

namespace scorebench::cli {

Command add_methods_command(CLI::App& app) {
  auto names_only = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand("methods", "List the registered methods and whether each is available");
  cmd->add_flag("--names", *names_only, "Only the names of the available methods, one a line");
  return {cmd, [names_only] {
            for (const Method* m : registry().methods()) {
              const Capabilities caps = m->capabilities();
              if (*names_only) {
                if (caps.available) std::cout << m->name() << "\n";
                continue;
              }
              std::cout << m->name()
                        << (caps.available ? "" : "  [unavailable: " + caps.unavailable_reason + "]")
                        << "\n    " << m->summary() << "\n";
            }
            return 0;
          }};
}

}  // namespace scorebench::cli
