// rootgov - client and offline tools for the root-zone oversight authority simulator.
#include <exception>
#include <iostream>

#include "commands.hpp"

int main(int argc, char** argv) {
  using namespace rootgov::cli;
  CLI::App app{"rootgov - submit, approve and inspect root-zone change requests; offline zone, log and policy tools"};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "show help for every command");
  register_zone_commands(app);
  register_zone_sign_commands(app);
  register_keys_commands(app);
  register_log_commands(app);
  register_policy_commands(app);
  register_client_commands(app);
  register_scenario_commands(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return e.get_exit_code() == 0 ? kExitOk : kExitUsage;
  } catch (const ExitError& e) {
    if (e.what()[0] != '\0') std::cerr << "rootgov: " << e.what() << '\n';
    return e.code;
  } catch (const std::exception& e) {
    std::cerr << "rootgov: internal error: " << e.what() << '\n';
    return kExitIo;
  }
  return kExitOk;
}
