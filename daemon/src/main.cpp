// rootgovd - the root-zone oversight authority daemon (DESIGN.md section 4).
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <rootgov/policies/registry.hpp>

#include "authority_api.hpp"
#include "config.hpp"
#include "daemon.hpp"

namespace {

/// Exit codes as DESIGN.md section 4: 2 usage or input error, 3 I/O failure.
int die(int code, const std::string& message) {
  std::cerr << "rootgovd: " << message << '\n';
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace rootgov::daemon;
  CLI::App app{"rootgovd - the root-zone oversight authority: HTTP control API, event stream, metrics"};
  std::optional<std::string> state, zone, actors, model, http, dns, clock, log_level, port_file;
  std::string config_file;
  bool print_config = false;
  app.add_option("--state", state, "state directory (default ./rootgov-state); an existing one is resumed");
  app.add_option("--zone", zone, "base root zone (master file) for a new state (default: the embedded zone)");
  app.add_option("--actors", actors, "actor registry actors.toml (default: the default actor set)");
  app.add_option("--model", model, "governance model id (default us-status-quo)");
  app.add_option("--http", http, "HTTP API listen address ADDR:PORT (default 127.0.0.1:8053; port 0: any)");
  app.add_option("--dns", dns, "DNS listen address ADDR:PORT (default 127.0.0.1:5353)");
  app.add_option("--config", config_file, "TOML configuration file; flags override it")->check(CLI::ExistingFile);
  app.add_option("--clock", clock, "real | simulated (default real)")->check(CLI::IsMember({"real", "simulated"}));
  app.add_option("--log-level", log_level, "trace|debug|info|warn|error|critical|off (default info)");
  app.add_option("--http-port-file", port_file, "write the bound HTTP port to this file once listening");
  app.add_flag("--print-config", print_config, "print an example configuration file and exit");
  CLI11_PARSE(app, argc, argv);
  if (print_config) {
    std::cout << example_config();
    return 0;
  }

  DaemonConfig config;
  if (!config_file.empty()) {
    if (auto ok = apply_config_file(config_file, config); !ok) return die(2, ok.error().message);
  }
  if (state) config.state_dir = *state;
  if (zone) config.zone_file = *zone;
  if (actors) config.actors_file = *actors;
  if (model) config.model = *model;
  if (clock) config.clock = *clock;
  if (log_level) config.log_level = *log_level;
  if (port_file) config.http_port_file = *port_file;
  if (http) {
    auto e = parse_endpoint(*http);
    if (!e) return die(2, "--http: " + e.error().message);
    config.http = *e;
  }
  if (dns) {
    auto e = parse_endpoint(*dns);
    if (!e) return die(2, "--dns: " + e.error().message);
    config.dns = *e;
  }
  if (auto ok = validate(config); !ok) return die(2, ok.error().message);
  for (const auto& [flag, file] : {std::pair{"--zone", config.zone_file}, std::pair{"--actors", config.actors_file}}) {
    if (!file.empty() && !std::filesystem::is_regular_file(file)) {
      return die(2, std::string(flag) + ": no such file '" + file.string() + "'");
    }
  }

  spdlog::set_pattern("time=%Y-%m-%dT%H:%M:%S.%e%z level=%l %v");
  spdlog::set_level(spdlog::level::from_str(config.log_level));
  std::error_code ec;
  std::filesystem::create_directories(config.state_dir, ec);
  if (ec) return die(3, "cannot create the state directory '" + config.state_dir.string() + "': " + ec.message());

  try {
    auto opened = open_authority(config, model.has_value(), clock.has_value());
    if (!opened) {
      const auto code = opened.error().code;
      return die(code == rootgov::Errc::io ? 3 : 2, opened.error().message);
    }
    for (const auto& line : opened->notices) spdlog::info("msg=\"{}\"", line);
    Daemon daemon(config);
    auto api = std::make_unique<AuthorityApi>(std::move(opened->authority), daemon.events(), daemon.metrics());
    AuthorityApi* wired = api.get();
    wired->start(daemon.runtime().authority(), daemon.runtime().files(), config.state_dir,
                 config.publish_fork_tlds, config.publish_interval);
    // SIGHUP: checkpoint (flush, snapshot, signed tree head), then re-read the registry and the
    // model (a model file is read again) and adopt whatever changed: the authority records it in
    // the log and re-evaluates the open requests (docs/design/daemon.md "Reload (SIGHUP)").
    const auto registry_file = !config.actors_file.empty() ? config.actors_file : config.state_dir / "actors.toml";
    const std::string model_id = config.model;
    daemon.set_reload_hook([wired, registry_file, model_id]() -> rootgov::Result<std::string> {
      if (auto c = wired->checkpoint(); !c) return std::unexpected(c.error());
      auto registry = rootgov::authority::ActorRegistry::from_file(registry_file);
      if (!registry) return std::unexpected(registry.error());
      auto policy = rootgov::policies::load_policy(model_id);
      if (!policy) {
        return rootgov::fail(policy.error().code, "model '" + model_id + "': " + policy.error().message);
      }
      return wired->reload(std::move(*registry),
                           std::shared_ptr<const rootgov::authority::Policy>(std::move(*policy)));
    });
    daemon.set_api(std::move(api));
    auto bound = daemon.start();
    if (!bound) return die(bound.error().code == rootgov::Errc::invalid_input ? 2 : 3, bound.error().message);
    spdlog::info("msg=\"dns service not wired in this build\" dns={}", config.dns.to_string());
    return daemon.run();
  } catch (const std::exception& e) {
    return die(3, std::string("internal error: ") + e.what());
  }
}
