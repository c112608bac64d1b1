// cli/src/log_cmd.cpp - the 'log' command group.
#include "commands.hpp"

namespace rootgov::cli {

void register_log_commands(CLI::App& app) { (void)app; }

}  // namespace rootgov::cli
