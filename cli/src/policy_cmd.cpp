// cli/src/policy_cmd.cpp - the 'policy' command group.
#include "commands.hpp"

namespace rootgov::cli {

void register_policy_commands(CLI::App& app) { (void)app; }

}  // namespace rootgov::cli
