// cli/src/client_cmd.cpp - the 'client' command group.
#include "commands.hpp"

namespace rootgov::cli {

void register_client_commands(CLI::App& app) { (void)app; }

}  // namespace rootgov::cli
