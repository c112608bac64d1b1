// daemon/src/http_server.cpp - Beast HTTP/1.1 server: accept loop, connection coroutines,
// limits, dispatch to the router, Server-Sent Events, draining shutdown.
#include "http_server.hpp"

#include <array>
#include <atomic>
#include <charconv>
#include <map>
#include <mutex>
#include <set>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include "event_hub.hpp"
#include "metrics.hpp"
#include "router.hpp"
#include "runtime.hpp"

namespace rootgov::daemon {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using asio::awaitable;
using asio::use_awaitable;
constexpr auto kTuple = asio::as_tuple(use_awaitable);

namespace {

using Clock = std::chrono::steady_clock;

/// One connection, as the server's registry sees it. Fields other than `executor` are touched
/// only on the connection's strand.
struct Connection {
  explicit Connection(asio::any_io_executor ex) : executor(std::move(ex)) {}
  asio::any_io_executor executor;
  beast::tcp_stream* stream = nullptr;
  bool busy = false;  ///< a request is being read to its end, handled or answered
  std::shared_ptr<Subscription> subscription;
};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string bytes(std::size_t n) { return std::to_string(n) + " bytes"; }

}  // namespace

std::string response_head(const Response& response, bool keep_alive, unsigned version) {
  auto overridden = [&](std::string_view name) {
    for (const auto& [extra, value] : response.headers) {
      if (beast::iequals(extra, name)) return true;
    }
    return false;
  };
  std::string head;
  head.reserve(160 + 48 * response.headers.size());
  head += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  head += std::to_string(response.status);
  head += ' ';
  head += http::obsolete_reason(static_cast<http::status>(response.status));
  head += "\r\n";
  auto field = [&](std::string_view name, std::string_view value) {
    head.append(name).append(": ").append(value).append("\r\n");
  };
  if (!overridden("Server")) field("Server", "rootgovd");
  if (!overridden("Content-Type")) field("Content-Type", response.content_type);
  if (!overridden("Cache-Control")) field("Cache-Control", "no-store");
  for (const auto& [name, value] : response.headers) {
    // The framing is the server's: a handler's Connection or Content-Length would contradict it.
    if (beast::iequals(name, "Connection") || beast::iequals(name, "Content-Length")) continue;
    field(name, value);
  }
  if (version == 10 && keep_alive) field("Connection", "keep-alive");
  if (version != 10 && !keep_alive) field("Connection", "close");
  field("Content-Length", std::to_string(response.body.size()));
  head += "\r\n";
  return head;
}

struct HttpServer::Impl {
  Impl(Runtime& rt, const Router& r, EventHub& h, Metrics& m, ServerLimits l)
      : runtime(rt),
        router(r),
        hub(h),
        metrics(m),
        limits(l),
        control(asio::make_strand(rt.io())),
        acceptor(control),
        drain_timer(control),
        active_gauge(m.gauge("rootgov_http_connections", "open HTTP connections")),
        rejected_counter(m.counter("rootgov_http_connections_rejected_total",
                                   "connections refused with 503 over the connection limit")),
        sse_gauge(m.gauge("rootgov_events_streams", "open event streams (GET /v1/events)")),
        sse_dropped(m.counter("rootgov_events_streams_dropped_total",
                              "event streams closed because the client fell behind the queue limit")),
        stage_prepare(stage_histogram(m, "prepare")),
        stage_authority(stage_histogram(m, "authority")),
        stage_durable(stage_histogram(m, "durable")) {}

  // Where a request's time goes (queue + work at each executor), for profiling under load.
  static Histogram& stage_histogram(Metrics& m, const char* stage) {
    return m.histogram("rootgov_http_stage_seconds", "time a request spent at each stage, queueing included",
                       default_latency_buckets(), {{"stage", stage}});
  }

  Runtime& runtime;
  const Router& router;
  EventHub& hub;
  Metrics& metrics;
  ServerLimits limits;
  asio::strand<asio::io_context::executor_type> control;
  tcp::acceptor acceptor;
  asio::steady_timer drain_timer;
  Gauge& active_gauge;
  Counter& rejected_counter;
  Gauge& sse_gauge;
  Counter& sse_dropped;
  Histogram& stage_prepare;    // looked up once: observed on the I/O threads, the authority and
  Histogram& stage_authority;  // the durability thread for every authority route
  Histogram& stage_durable;

  std::atomic<bool> stopping{false};
  mutable std::mutex mutex;
  std::set<std::shared_ptr<Connection>> connections;
  std::vector<std::function<void()>> on_drained;  // guarded by mutex
  bool drained_called = false;                    // guarded by mutex

  // ---- bookkeeping -------------------------------------------------------------------------

  std::shared_ptr<Connection> try_register(asio::any_io_executor ex) {
    std::lock_guard lock(mutex);
    if (connections.size() >= limits.max_connections) return nullptr;
    auto c = std::make_shared<Connection>(std::move(ex));
    connections.insert(c);
    active_gauge.set(static_cast<double>(connections.size()));
    return c;
  }

  void unregister(const std::shared_ptr<Connection>& c) {
    std::lock_guard lock(mutex);
    connections.erase(c);
    active_gauge.set(static_cast<double>(connections.size()));
    if (stopping && connections.empty() && !drained_called) {
      drained_called = true;
      fire_drained_locked();
    }
  }

  void record(std::string_view method, std::string_view route, unsigned status, Clock::time_point start) {
    double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    RequestInstruments& m = request_instruments(method, route, status);
    m.requests->inc();
    m.duration->observe(seconds);
  }

  // The two metrics of every answered request, resolved once per (method, route, status): a
  // registry lookup renders and sorts the labels under the registry's lock.
  struct RequestInstruments {
    Counter* requests = nullptr;
    Histogram* duration = nullptr;
  };
  RequestInstruments& request_instruments(std::string_view method, std::string_view route, unsigned status) {
    std::string key;
    key.reserve(method.size() + route.size() + 5);
    key.append(method).append(1, ' ').append(std::to_string(status)).append(1, ' ').append(route);
    std::lock_guard lock(instruments_mutex);
    auto it = instruments.find(key);
    if (it != instruments.end()) return it->second;
    RequestInstruments m;
    m.requests = &metrics.counter("rootgov_http_requests_total", "HTTP requests answered",
                                  {{"method", std::string(method)}, {"route", std::string(route)},
                                   {"status", std::to_string(status)}});
    m.duration = &metrics.histogram("rootgov_http_request_duration_seconds",
                                    "time from a complete request to its response", default_latency_buckets(),
                                    {{"route", std::string(route)}});
    return instruments.emplace(std::move(key), m).first->second;
  }
  std::mutex instruments_mutex;
  std::map<std::string, RequestInstruments, std::less<>> instruments;  // by "METHOD status route"

  // ---- I/O helpers -------------------------------------------------------------------------

  // The head is written by response_head() and goes out with the body in one gathered write:
  // a Beast message would copy the body and allocate each header field on every answer.
  awaitable<beast::error_code> write_response(beast::tcp_stream& stream, const Response& r, bool keep_alive,
                                              unsigned version) {
    const std::string head = response_head(r, keep_alive, version);
    const std::array<asio::const_buffer, 2> buffers{asio::buffer(head), asio::buffer(r.body)};
    stream.expires_after(limits.write_timeout);
    auto [ec, n] = co_await asio::async_write(stream, buffers, kTuple);
    (void)n;
    co_return ec;
  }

  /// Closes after an error response without resetting the peer: stop sending, then read and
  /// discard what the client still sends for a short while, so it sees our answer.
  awaitable<void> linger_close(beast::tcp_stream& stream) {
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream.expires_after(std::chrono::seconds(1));
    std::array<char, 16384> sink{};
    std::size_t total = 0;
    while (total < 4 * limits.body_limit + (1 << 20)) {
      auto [ec, n] = co_await stream.async_read_some(asio::buffer(sink), kTuple);
      if (ec) break;
      total += n;
    }
    stream.socket().close(ignored);
  }

  awaitable<void> reject_busy(tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    rejected_counter.inc();
    auto p = Problem::make(503, "busy", "too many connections",
                           "the daemon is serving its maximum of " + std::to_string(limits.max_connections) +
                               " connections; retry shortly (the limit is http.max_connections in the config file)");
    Response r = p.to_response();
    r.headers.emplace_back("Retry-After", "1");
    co_await write_response(stream, r, false, 11);
    co_await linger_close(stream);
  }

  // ---- dispatch ----------------------------------------------------------------------------

  static Response invoke(const Route& route, const Request& request) {
    try {
      return route.handler(request);
    } catch (const std::exception& e) {
      spdlog::error("msg=\"handler failed\" method={} route={} error=\"{}\"", route.method, route.pattern, e.what());
      return Problem::make(500, "internal", "internal error",
                           "internal error while handling " + route.method + " " + route.pattern +
                               "; the daemon log has the details")
          .to_response();
    }
  }

  // An authority route's stages, handed from executor to executor: the signature check ahead
  // (`prepare`, on the connection's I/O thread, which read the request), the handler (authority
  // executor) and, for a mutation, the durable wait (durability thread). The handler is
  // dispatched, not posted: with the authority on a strand of the I/O threads (the default),
  // the I/O thread that checked the signature runs it at once when the strand is free. Only the
  // finished response goes back to the connection's strand, so a mutation wakes the I/O side
  // once instead of after every stage. Group commit: the authority executor is free for the next
  // mutation while this one's journal record is synced; the waits run one at a time on the
  // durability thread, and each fdatasync covers every record queued before it, so a covered
  // waiter returns at once. A wait never runs on an I/O thread: it would stall every
  // connection that thread serves.
  template <typename Token>
  auto run_stages(const Route& route, Request& request, Token&& token) {
    return asio::async_initiate<Token, void(Response)>(
        [this, &route, &request](auto handler) {
          using Completion = decltype(handler);
          struct Chain {
            Impl& server;
            const Route& route;
            Request& request;
            Completion handler;
            Clock::time_point t = Clock::now();
            Response response;
            void stage_done(Histogram& stage) {
              const auto now = Clock::now();
              stage.observe(std::chrono::duration<double>(now - t).count());
              t = now;
            }
            static void finish(std::shared_ptr<Chain> c) {
              auto ex = asio::get_associated_executor(c->handler);
              asio::post(ex, [c]() mutable { std::move(c->handler)(std::move(c->response)); });
            }
            static void durable(std::shared_ptr<Chain> c) {
              auto wait = std::move(c->response.before_send);
              c->response.before_send = nullptr;
              Result<void> ok = wait();
              c->stage_done(c->server.stage_durable);
              if (!ok) {
                spdlog::error("msg=\"mutation not durable; answering with an error\" route={} error=\"{}\"",
                              c->route.pattern, ok.error().message);
                c->response = problem_from(ok.error()).to_response();
              }
              finish(std::move(c));
            }
            static void handle(std::shared_ptr<Chain> c) {
              c->response = invoke(c->route, c->request);
              c->stage_done(c->server.stage_authority);
              if (!c->response.before_send) return finish(std::move(c));
              auto durability = c->server.runtime.durability();
              asio::post(durability, [c = std::move(c)]() mutable { durable(std::move(c)); });
            }
            static void prepare(std::shared_ptr<Chain> c) {
              try {
                c->route.prepare(c->request);
              } catch (const std::exception& e) {
                spdlog::warn("msg=\"prepare failed\" route={} error=\"{}\"", c->route.pattern, e.what());
              }
              c->stage_done(c->server.stage_prepare);
              auto authority = c->server.runtime.authority();
              asio::dispatch(authority, [c = std::move(c)]() mutable { handle(std::move(c)); });
            }
          };
          auto c = std::make_shared<Chain>(Chain{*this, route, request, std::move(handler), Clock::now(), Response{}});
          if (route.prepare) {
            Chain::prepare(std::move(c));  // here, on the connection's I/O thread
          } else {
            asio::dispatch(runtime.authority(), [c = std::move(c)]() mutable { Chain::handle(std::move(c)); });
          }
        },
        token);
  }

  awaitable<Response> dispatch(Request& request, const Match& match) {
    const Route& route = *match.route;
    request.path_params = match.params;
    if (route.body == BodyKind::json) {
      if (auto ok = check_json_body(request); !ok) co_return ok.error().to_response();
    }
    if (route.exec == Exec::authority) {
      Response response = co_await run_stages(route, request, use_awaitable);
      render(response);
      co_return response;
    }
    Response response = invoke(route, request);
    render(response);
    co_return response;
  }

  static void render(Response& response) {
    if (!response.render_body) return;
    response.body = response.render_body();
    response.render_body = nullptr;
  }

  static Response no_route(const Request& request, const Match& match) {
    if (!match.allowed.empty()) {
      std::string allow;
      boost::json::array allowed;
      for (const auto& m : match.allowed) {
        allow += (allow.empty() ? "" : ", ") + m;
        allowed.emplace_back(m);
      }
      auto p = Problem::make(405, "method-not-allowed", "method not allowed",
                             request.method + " is not allowed on '" + request.path + "'; use " + allow);
      p.extensions["allowed"] = std::move(allowed);
      Response r = p.to_response();
      r.headers.emplace_back("Allow", allow);
      return r;
    }
    return Problem::make(404, "no-route", "no such endpoint",
                         "no endpoint for " + request.method + " '" + request.path +
                             "'; the API lives under /v1/ (GET /v1 lists the endpoints)")
        .to_response();
  }

  // ---- Server-Sent Events ------------------------------------------------------------------

  awaitable<void> serve_events(beast::tcp_stream& stream, const Request& request,
                               const std::shared_ptr<Connection>& conn) {
    std::optional<std::uint64_t> after;
    auto parse_u64 = [](std::string_view s) -> std::optional<std::uint64_t> {
      std::uint64_t v = 0;
      auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
      if (s.empty() || ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
      return v;
    };
    if (auto last = request.header("last-event-id")) {
      after = parse_u64(*last);
    } else if (auto from = request.query_param("from")) {
      auto v = parse_u64(*from);
      if (!v) {
        Response r = Problem::make(400, "invalid-input", "invalid input",
                                   "query parameter 'from' must be a non-negative event id, got '" +
                                       std::string(*from) + "'")
                         .to_response();
        co_await write_response(stream, r, false, 11);
        co_return;
      }
      after = *v == 0 ? 0 : *v - 1;
    }

    auto sub = hub.subscribe(after);
    conn->subscription = sub;
    sse_gauge.add(1);
    auto timer = std::make_shared<asio::steady_timer>(stream.get_executor());
    // The hub calls this from the publisher's thread; the cancel runs on our strand.
    sub->set_wake([timer] { asio::post(timer->get_executor(), [timer] { timer->cancel(); }); });

    std::string head =
        "HTTP/1.1 200 OK\r\nServer: rootgovd\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n"
        "Connection: close\r\nX-Accel-Buffering: no\r\n\r\n";
    if (auto gap = sub->gap()) {
      head += "event: gap\ndata: {\"first\":" + std::to_string(gap->first) + ",\"last\":" + std::to_string(gap->second) +
              ",\"detail\":\"these events are no longer kept; fetch the audit log for them\"}\n\n";
    } else {
      head += ": connected\n\n";
    }
    stream.expires_after(limits.write_timeout);
    auto [hec, hn] = co_await asio::async_write(stream, asio::buffer(head), kTuple);
    (void)hn;
    while (!hec) {
      auto events = sub->take();
      if (!events.empty()) {
        std::string out;
        for (const auto& e : events) out += format_sse(e);
        stream.expires_after(limits.write_timeout);
        auto [ec, n] = co_await asio::async_write(stream, asio::buffer(out), kTuple);
        (void)n;
        if (ec) break;
        continue;
      }
      if (sub->overflowed()) {
        sse_dropped.inc();
        std::string bye =
            "event: overflow\ndata: {\"detail\":\"this client fell too far behind; reconnect with Last-Event-ID\"}\n\n";
        stream.expires_after(std::chrono::seconds(1));
        co_await asio::async_write(stream, asio::buffer(bye), kTuple);
        break;
      }
      if (sub->finished() || stopping) break;
      timer->expires_after(limits.sse_keepalive);
      auto [ec] = co_await timer->async_wait(kTuple);
      if (!ec) {
        static constexpr std::string_view kKeepalive = ": keepalive\n\n";
        stream.expires_after(limits.write_timeout);
        auto [wec, n] = co_await asio::async_write(stream, asio::buffer(kKeepalive), kTuple);
        (void)n;
        if (wec) break;
      }
    }
    sub->set_wake({});
    hub.unsubscribe(sub);
    conn->subscription.reset();
    sse_gauge.add(-1);
  }

  // ---- connections -------------------------------------------------------------------------

  awaitable<void> session(tcp::socket socket, std::shared_ptr<Connection> conn) {
    beast::tcp_stream stream(std::move(socket));
    conn->stream = &stream;
    beast::flat_buffer buffer;
    try {
      while (!stopping) {
        conn->busy = false;
        http::request_parser<http::string_body> parser;
        parser.header_limit(static_cast<std::uint32_t>(limits.header_limit));
        parser.body_limit(limits.body_limit);
        stream.expires_after(limits.idle_timeout);
        auto [hec, hn] = co_await http::async_read_header(stream, buffer, parser, kTuple);
        (void)hn;
        conn->busy = true;
        auto start = Clock::now();
        if (hec == http::error::body_limit) {
          co_await write_response(stream, over_body_limit(), false, 11);
          record("-", "-", 413, start);
          co_await linger_close(stream);
          break;
        }
        if (hec == http::error::header_limit) {
          co_await write_response(
              stream,
              Problem::make(431, "header-too-large", "request header too large",
                            "the request line and headers are over the limit of " + bytes(limits.header_limit) +
                                "; send fewer or shorter headers (the limit is http.header_limit in the config file)")
                  .to_response(),
              false, 11);
          record("-", "-", 431, start);
          co_await linger_close(stream);
          break;
        }
        if (hec) {
          if (hec != http::error::end_of_stream && hec != beast::error::timeout && hec != asio::error::operation_aborted &&
              hec != asio::error::connection_reset && hec != asio::error::eof && buffer.size() > 0) {
            co_await write_response(stream,
                                    Problem::make(400, "bad-http", "malformed HTTP request",
                                                  "the request is not valid HTTP/1.1 (" + hec.message() + ")")
                                        .to_response(),
                                    false, 11);
            record("-", "-", 400, start);
          }
          break;
        }
        if (parser.get()[http::field::expect] == "100-continue" && !parser.is_done()) {
          static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
          stream.expires_after(limits.write_timeout);
          auto [cec, cn] = co_await asio::async_write(stream, asio::buffer(kContinue), kTuple);
          (void)cn;
          if (cec) break;
        }
        stream.expires_after(limits.idle_timeout);
        auto [bec, bn] = co_await http::async_read(stream, buffer, parser, kTuple);
        (void)bn;
        if (bec == http::error::body_limit) {
          co_await write_response(stream, over_body_limit(), false, 11);
          record("-", "-", 413, start);
          co_await linger_close(stream);
          break;
        }
        if (bec) break;  // timeout or the peer went away in the middle of the body

        auto& msg = parser.get();
        Request request;
        request.method = std::string(msg.method_string());
        request.target = std::string(msg.target());
        for (const auto& field : msg) request.headers.emplace_back(lower(field.name_string()), std::string(field.value()));
        request.body = std::move(msg.body());
        bool keep_alive = msg.keep_alive();
        unsigned version = msg.version();

        Response response;
        std::string route_label = "unmatched";
        if (auto ok = parse_target(request.target, request); !ok) {
          response = Problem::make(400, "bad-target", "malformed request target", ok.error().message).to_response();
        } else {
          Match match = router.match(request.method, request.path);
          if (match.route == nullptr) {
            response = no_route(request, match);
          } else {
            route_label = match.route->pattern;
            if (match.route->event_stream) {
              record(request.method, route_label, 200, start);
              co_await serve_events(stream, request, conn);
              break;
            }
            response = co_await dispatch(request, match);
          }
        }
        keep_alive = keep_alive && !stopping;
        auto wec = co_await write_response(stream, response, keep_alive, version);
        record(request.method, route_label, response.status, start);
        if (wec) break;
        if (!keep_alive) {
          beast::error_code ignored;
          stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
          break;
        }
      }
    } catch (const std::exception& e) {
      spdlog::warn("msg=\"connection ended by an error\" error=\"{}\"", e.what());
    }
    beast::error_code ignored;
    stream.socket().close(ignored);
    conn->stream = nullptr;
    unregister(conn);
  }

  Response over_body_limit() const {
    return Problem::make(413, "body-too-large", "request body too large",
                         "the request body is over the limit of " + bytes(limits.body_limit) +
                             "; send a smaller body (the limit is http.body_limit in the config file)")
        .to_response();
  }

  awaitable<void> accept_loop() {
    while (!stopping) {
      auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(runtime.io()), kTuple);
      if (ec) {
        if (stopping || ec == asio::error::operation_aborted || !acceptor.is_open()) break;
        spdlog::warn("msg=\"accept failed\" error=\"{}\"", ec.message());
        // Out of descriptors or similar: back off briefly instead of spinning.
        asio::steady_timer pause(control, std::chrono::milliseconds(50));
        co_await pause.async_wait(kTuple);
        continue;
      }
      auto ex = socket.get_executor();
      if (auto conn = try_register(ex)) {
        asio::co_spawn(ex, session(std::move(socket), conn), asio::detached);
      } else {
        asio::co_spawn(ex, reject_busy(std::move(socket)), asio::detached);
      }
    }
  }

  /// Runs the drained callbacks (on the control strand). Precondition: `mutex` held and
  /// drained_called just set.
  void fire_drained_locked() {
    auto callbacks = std::move(on_drained);
    on_drained.clear();
    asio::post(control, [this, callbacks = std::move(callbacks)] {
      drain_timer.cancel();
      for (const auto& cb : callbacks) cb();
    });
  }

  void begin_shutdown(std::function<void()> done) {
    bool first = false;
    {
      std::lock_guard lock(mutex);
      if (done) on_drained.push_back(std::move(done));
      first = !stopping.exchange(true);
      if (drained_called) {
        fire_drained_locked();
      } else if (connections.empty()) {
        drained_called = true;
        fire_drained_locked();
      }
    }
    if (!first) return;
    asio::post(control, [this] {
      beast::error_code ignored;
      acceptor.close(ignored);
      std::vector<std::shared_ptr<Connection>> open;
      {
        std::lock_guard lock(mutex);
        if (drained_called) return;
        open.assign(connections.begin(), connections.end());
      }
      for (auto& c : open) {
        asio::post(c->executor, [c] {
          if (c->subscription) c->subscription->close();
          // The idle timeout may have closed the socket already (the session has not yet
          // cleared c->stream): cancel without throwing, or EBADF would end the process.
          beast::error_code ignored_cancel;
          if (!c->busy && c->stream != nullptr) c->stream->socket().cancel(ignored_cancel);
        });
      }
      drain_timer.expires_after(limits.drain_timeout);
      drain_timer.async_wait([this](beast::error_code ec) {
        if (ec) return;
        std::vector<std::shared_ptr<Connection>> left;
        {
          std::lock_guard lock(mutex);
          left.assign(connections.begin(), connections.end());
        }
        spdlog::warn("msg=\"drain timeout: closing connections\" count={}", left.size());
        for (auto& c : left) {
          asio::post(c->executor, [c] {
            beast::error_code ignored2;
            if (c->stream != nullptr) c->stream->socket().close(ignored2);
          });
        }
      });
    });
  }
};

HttpServer::HttpServer(Runtime& runtime, const Router& router, EventHub& events, Metrics& metrics,
                       ServerLimits limits)
    : m_impl(std::make_unique<Impl>(runtime, router, events, metrics, limits)) {}

HttpServer::~HttpServer() = default;

Result<std::uint16_t> HttpServer::listen(std::string_view address, std::uint16_t port) {
  beast::error_code ec;
  auto addr = asio::ip::make_address(std::string(address), ec);
  if (ec) return fail(Errc::invalid_input, "'" + std::string(address) + "' is not an IP address (" + ec.message() + ")");
  tcp::endpoint endpoint(addr, port);
  auto& acceptor = m_impl->acceptor;
  std::string where = std::string(address) + ":" + std::to_string(port);
  if (acceptor.open(endpoint.protocol(), ec); ec) return fail(Errc::io, "cannot open a socket for " + where + ": " + ec.message());
  if (acceptor.set_option(asio::socket_base::reuse_address(true), ec); ec) {
    return fail(Errc::io, "cannot set SO_REUSEADDR on " + where + ": " + ec.message());
  }
  if (acceptor.bind(endpoint, ec); ec) return fail(Errc::io, "cannot bind " + where + ": " + ec.message());
  if (acceptor.listen(asio::socket_base::max_listen_connections, ec); ec) {
    return fail(Errc::io, "cannot listen on " + where + ": " + ec.message());
  }
  return acceptor.local_endpoint().port();
}

void HttpServer::start() {
  asio::co_spawn(m_impl->control, m_impl->accept_loop(), asio::detached);
}

void HttpServer::shutdown(std::function<void()> on_drained) { m_impl->begin_shutdown(std::move(on_drained)); }

std::size_t HttpServer::connections() const {
  std::lock_guard lock(m_impl->mutex);
  return m_impl->connections.size();
}

const ServerLimits& HttpServer::limits() const { return m_impl->limits; }

}  // namespace rootgov::daemon
