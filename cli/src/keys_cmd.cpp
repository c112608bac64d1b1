// cli/src/keys_cmd.cpp - the 'keys' command group.
#include "commands.hpp"

namespace rootgov::cli {

void register_keys_commands(CLI::App& app) { (void)app; }

}  // namespace rootgov::cli
