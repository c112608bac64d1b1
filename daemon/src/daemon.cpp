// daemon/src/daemon.cpp - the process shell.
#include "daemon.hpp"

#include <csignal>
#include <fstream>

#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <spdlog/spdlog.h>

#include "http_server.hpp"

namespace rootgov::daemon {

namespace asio = boost::asio;

struct Daemon::Signals {
  explicit Signals(asio::io_context& io) : set(io, SIGINT, SIGTERM, SIGHUP) {}
  asio::signal_set set;
};

Daemon::Daemon(DaemonConfig config)
    : m_config(std::move(config)),
      m_runtime(m_config.io_threads, m_config.authority_thread ? AuthorityOwner::thread : AuthorityOwner::strand),
      m_events(m_config.event_history, m_config.event_queue_limit),
      m_api(std::make_unique<UnwiredApi>()) {}

Daemon::~Daemon() {
  m_runtime.stop();
  m_runtime.join();
  m_server.reset();
  m_signals.reset();
}

void Daemon::set_api(std::unique_ptr<Api> api) { m_api = std::move(api); }

void Daemon::set_reload_hook(std::function<Result<std::string>()> hook) {
  m_reload = std::move(hook);
}

Result<Endpoint> Daemon::start() {
  if (m_state.load() != DaemonState::created) return fail(Errc::internal, "the daemon was already started");
  register_core_routes(m_router, m_metrics);
  register_api_routes(m_router, *m_api);
  m_metrics.gauge("rootgov_up", "1 while rootgovd is serving").set(1);

  m_server = std::make_unique<HttpServer>(m_runtime, m_router, m_events, m_metrics, m_config.limits);
  auto port = m_server->listen(m_config.http.address, m_config.http.port);
  if (!port) {
    m_server.reset();
    return std::unexpected(port.error());
  }
  Endpoint bound{m_config.http.address, *port};
  if (!m_config.http_port_file.empty()) {
    std::ofstream out(m_config.http_port_file, std::ios::trunc);
    out << *port << '\n';
    if (!out) return fail(Errc::io, "cannot write the port file '" + m_config.http_port_file.string() + "'");
  }
  m_signals = std::make_unique<Signals>(m_runtime.io());
  arm_signals();
  m_server->start();
  m_state = DaemonState::serving;
  spdlog::info("msg=\"serving\" http={} state={} model={} clock={}", bound.to_string(), m_config.state_dir.string(),
               m_config.model, m_config.clock);
  return bound;
}

void Daemon::arm_signals() {
  m_signals->set.async_wait([this](const boost::system::error_code& ec, int signo) {
    if (ec) return;  // cancelled at stop
    if (signo == SIGHUP) {
      spdlog::info("msg=\"reload requested\" signal=SIGHUP");
      asio::post(m_runtime.authority(), [this] {
        if (!m_reload) {
          spdlog::info("msg=\"nothing to reload\"");
          return;
        }
        if (auto ok = m_reload(); !ok) {
          spdlog::error("msg=\"reload failed; keeping the current state\" error=\"{}\"", ok.error().message);
        } else {
          spdlog::info("msg=\"reloaded\"{}{}", ok->empty() ? "" : " ", *ok);
        }
      });
      arm_signals();
      return;
    }
    if (m_state.load() == DaemonState::draining) {
      spdlog::warn("msg=\"second stop signal: stopping now\"");
      m_runtime.io().stop();
      return;
    }
    spdlog::info("msg=\"stop requested; draining\" signal={}", signo == SIGTERM ? "SIGTERM" : "SIGINT");
    stop();
    arm_signals();
  });
}

void Daemon::stop() {
  DaemonState expected = DaemonState::serving;
  if (!m_state.compare_exchange_strong(expected, DaemonState::draining)) return;
  m_metrics.gauge("rootgov_up", "1 while rootgovd is serving").set(0);
  m_server->shutdown([this] {
    spdlog::info("msg=\"drained; stopping\"");
    m_state = DaemonState::stopped;
    if (m_signals) {
      boost::system::error_code ignored;
      m_signals->set.cancel(ignored);
    }
    m_runtime.io().stop();
  });
}

int Daemon::run() {
  if (m_state.load() != DaemonState::serving) return 3;
  m_runtime.run();
  bool clean = m_state.load() == DaemonState::stopped;
  m_state = DaemonState::stopped;
  return clean ? 0 : 1;
}

}  // namespace rootgov::daemon
