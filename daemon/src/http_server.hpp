// daemon/src/http_server.hpp - the HTTP/1.1 server (Boost.Beast, C++20 coroutines).
//
// One coroutine per connection, on its own strand, with keep-alive and an idle timeout. Limits
// (ServerLimits) protect the daemon: a body over the limit gets 413, a header over the limit
// 431, a connection over the maximum 503; each closes only that connection, everyone else is
// still served. Handlers registered with Exec::authority run on Runtime::authority().
//
// Lifecycle: constructed -> listen() -> start() (serving) -> shutdown() (draining: no new
// connections, idle keep-alive connections and event streams closed, in-flight requests
// finish and answer with "Connection: close") -> drained (callback). The server MUST outlive
// the runtime's threads: stop and join the Runtime before destroying the server.
//
// The Beast/Asio template weight lives in http_server.cpp only.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <rootgov/common/result.hpp>

namespace rootgov::daemon {

class Runtime;
class Router;
class EventHub;
class Metrics;

struct ServerLimits {
  std::size_t body_limit = 1 << 20;     ///< bytes of request body (413 beyond)
  std::size_t header_limit = 8 * 1024;  ///< bytes of request line + headers (431 beyond)
  std::size_t max_connections = 256;    ///< open connections (503 beyond)
  std::chrono::milliseconds idle_timeout{30'000};   ///< waiting for (the rest of) a request
  std::chrono::milliseconds write_timeout{10'000};  ///< writing one response or event batch
  std::chrono::milliseconds sse_keepalive{15'000};  ///< comment line on a quiet event stream
  std::chrono::milliseconds drain_timeout{10'000};  ///< shutdown: force-close after this
};

struct Response;

/// The status line and header block the server sends before `response.body`, up to and
/// including the blank line: Server, Content-Type and Cache-Control (each replaced by an extra
/// header of the same name, compared without case), the extra headers in order (but for
/// Connection and Content-Length, which only the server sets), Connection as `keep_alive` and
/// `version` (11 or 10) require, and Content-Length.
std::string response_head(const Response& response, bool keep_alive, unsigned version);

class HttpServer {
 public:
  HttpServer(Runtime& runtime, const Router& router, EventHub& events, Metrics& metrics, ServerLimits limits);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  /// Binds and listens on address:port (port 0: the kernel picks one). Returns the bound port.
  /// Errc::io with the reason (address in use, permission denied, bad address).
  Result<std::uint16_t> listen(std::string_view address, std::uint16_t port);
  /// Starts accepting connections (after listen()).
  void start();
  /// Stops accepting and drains (see the file comment); `on_drained` runs once when the last
  /// connection has closed (or the drain timeout forced them). Thread-safe; idempotent.
  void shutdown(std::function<void()> on_drained = {});

  std::size_t connections() const;
  const ServerLimits& limits() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> m_impl;
};

}  // namespace rootgov::daemon
