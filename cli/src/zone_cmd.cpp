// cli/src/zone_cmd.cpp - the 'zone' command group.
#include "commands.hpp"

namespace rootgov::cli {

void register_zone_commands(CLI::App& app) { (void)app; }

}  // namespace rootgov::cli
