// daemon/src/daemon.hpp - the rootgovd process shell: executors, HTTP server, event hub,
// metrics, signals.
//
// Lifecycle (docs/design/daemon.md): created -> (start) serving -> (SIGTERM/SIGINT or stop())
// draining -> stopped. start() failing leaves it created. SIGHUP calls the reload hook on the
// authority executor and keeps serving whatever the hook returns.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include <rootgov/common/result.hpp>

#include "api.hpp"
#include "config.hpp"
#include "event_hub.hpp"
#include "metrics.hpp"
#include "router.hpp"
#include "runtime.hpp"

namespace rootgov::daemon {

enum class DaemonState { created, serving, draining, stopped };

class Daemon {
 public:
  explicit Daemon(DaemonConfig config);
  ~Daemon();
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  /// Sets the API implementation (default: UnwiredApi). Call before start().
  void set_api(std::unique_ptr<Api> api);
  /// Called on SIGHUP, on the authority executor; an error is logged and the old state kept.
  /// On success the hook returns what it did as `key=value` pairs, appended to the "reloaded"
  /// log line ("" for nothing to add).
  void set_reload_hook(std::function<Result<std::string>()> hook);

  /// Registers routes, binds the HTTP listener and installs signal handlers. Returns the
  /// bound HTTP endpoint (the port is the real one when the config asked for port 0).
  Result<Endpoint> start();
  /// Runs the executors on the calling thread (plus the configured pool) until drained.
  /// Returns the process exit code (0 after a clean drain).
  int run();
  /// Begins a graceful stop, as SIGTERM does. Thread-safe.
  void stop();

  DaemonState state() const { return m_state.load(); }
  const DaemonConfig& config() const { return m_config; }
  Runtime& runtime() { return m_runtime; }
  /// Publish events here (thread-safe): every /v1/events client receives them.
  EventHub& events() { return m_events; }
  Metrics& metrics() { return m_metrics; }
  /// Add routes here before start().
  Router& router() { return m_router; }

 private:
  void arm_signals();

  DaemonConfig m_config;
  Runtime m_runtime;
  Metrics m_metrics;
  EventHub m_events;
  Router m_router;
  std::unique_ptr<Api> m_api;
  std::function<Result<std::string>()> m_reload;
  std::unique_ptr<HttpServer> m_server;
  struct Signals;
  std::unique_ptr<Signals> m_signals;
  std::atomic<DaemonState> m_state{DaemonState::created};
};

}  // namespace rootgov::daemon
