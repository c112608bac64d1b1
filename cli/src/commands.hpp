// cli/src/commands.hpp - each command group registers itself on the top-level app.
//
// One source file per group (zone_cmd.cpp, log_cmd.cpp, policy_cmd.cpp, ...). A group's
// callbacks throw ExitError to end with a given exit code and message (DESIGN.md section 4:
// 0 ok, 1 the thing checked is wrong, 2 usage or input error, 3 cannot reach the daemon / I/O).
#pragma once

#include <stdexcept>
#include <string>

#include <CLI/CLI.hpp>

namespace rootgov::cli {

enum ExitCode : int { kExitOk = 0, kExitCheckFailed = 1, kExitUsage = 2, kExitIo = 3 };

/// Thrown by command callbacks; main prints "rootgov: <message>" to stderr and exits with code.
struct ExitError : std::runtime_error {
  ExitError(int exit_code, const std::string& message) : std::runtime_error(message), code(exit_code) {}
  int code;
};

void register_zone_commands(CLI::App& app);
void register_zone_sign_commands(CLI::App& app);  // zone sign|keygen (after register_zone_commands)
void register_keys_commands(CLI::App& app);     // keygen, lab init
void register_log_commands(CLI::App& app);      // log verify|show|prove|compare
void register_policy_commands(CLI::App& app);   // policy list|show|graph|check
void register_client_commands(CLI::App& app);   // submit, approve, reject, withdraw, status, watch, zone fetch, clock
void register_scenario_commands(CLI::App& app); // scenario run

}  // namespace rootgov::cli
