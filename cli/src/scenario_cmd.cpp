// cli/src/scenario_cmd.cpp - the 'scenario' command group.
#include "commands.hpp"

namespace rootgov::cli {

void register_scenario_commands(CLI::App& app) { (void)app; }

}  // namespace rootgov::cli
