// cli/src/http_client.cpp - Beast client: one io_context and one coroutine per exchange.
#include "http_client.hpp"

#include <charconv>
#include <cstdlib>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>

#include "commands.hpp"

namespace rootgov::cli {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using asio::awaitable;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

namespace {

constexpr std::uint64_t kMaxReplyBody = 1ULL << 30;  // the published zone can be large

std::string lowercase(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

std::string reason(const beast::error_code& ec) {
  if (ec == asio::error::connection_refused) return "connection refused";
  if (ec == beast::error::timeout) return "timed out";
  if (ec == asio::error::host_not_found || ec == asio::error::host_not_found_try_again) return "host not found";
  if (ec == asio::error::connection_reset) return "connection reset";
  if (ec == http::error::end_of_stream || ec == asio::error::eof) return "connection closed by the server";
  return lowercase(ec.message());
}

[[noreturn]] void unreachable(const ServerAddress& server, const beast::error_code& ec) {
  throw ExitError(kExitIo, "cannot reach rootgovd at " + server.display() + " (" + reason(ec) +
                               "): is it running? start it with `rootgovd`");
}

/// Runs one coroutine on a private io_context; rethrows its exception.
void run(asio::io_context& ioc, awaitable<void> work) {
  std::exception_ptr error;
  asio::co_spawn(ioc, std::move(work), [&error](std::exception_ptr e) { error = e; });
  ioc.run();
  if (error) std::rethrow_exception(error);
}

awaitable<beast::error_code> connect(beast::tcp_stream& stream, const ServerAddress& server,
                                     std::chrono::milliseconds timeout) {
  tcp::resolver resolver(stream.get_executor());
  auto [rec, results] = co_await resolver.async_resolve(server.host, server.port, kTuple);
  if (rec) co_return rec;
  stream.expires_after(timeout);
  auto [cec, endpoint] = co_await stream.async_connect(results, kTuple);
  (void)endpoint;
  co_return cec;
}

http::request<http::string_body> make_request(const ServerAddress& server, std::string_view method,
                                              std::string_view target, std::string_view body,
                                              std::string_view content_type, std::string_view prefer = {}) {
  http::request<http::string_body> req;
  req.method_string(method);
  req.target(target);
  req.version(11);
  req.set(http::field::host, server.display());
  req.set(http::field::user_agent, "rootgov");
  req.set(http::field::accept, "application/json, application/problem+json, text/*");
  if (!prefer.empty()) req.set("Prefer", prefer);
  if (!body.empty()) {
    req.set(http::field::content_type, content_type);
    req.body() = std::string(body);
  }
  req.keep_alive(false);
  req.prepare_payload();
  return req;
}

}  // namespace

std::string default_server_url() {
  const char* env = std::getenv("ROOTGOV_SERVER");
  if (env != nullptr && *env != '\0') return env;
  return "http://127.0.0.1:8053";
}

ServerAddress parse_server_url(std::string_view url) {
  auto bad = [&](const std::string& why) -> ExitError {
    return ExitError(kExitUsage, "invalid server URL '" + std::string(url) + "': " + why +
                                     " (expected http://HOST:PORT, e.g. http://127.0.0.1:8053)");
  };
  std::string_view rest = url;
  if (rest.starts_with("https://")) throw bad("https is not supported; rootgovd serves plain HTTP on loopback");
  if (rest.starts_with("http://")) rest.remove_prefix(7);
  if (auto slash = rest.find('/'); slash != std::string_view::npos) {
    if (rest.substr(slash) != "/") throw bad("a path is not allowed");
    rest = rest.substr(0, slash);
  }
  ServerAddress s;
  if (!rest.empty() && rest.front() == '[') {
    auto close = rest.find(']');
    if (close == std::string_view::npos) throw bad("unterminated '[' in an IPv6 address");
    s.host = std::string(rest.substr(1, close - 1));
    rest.remove_prefix(close + 1);
    if (!rest.empty() && rest.front() != ':') throw bad("expected ':PORT' after ']'");
    s.port = rest.empty() ? "80" : std::string(rest.substr(1));
  } else {
    auto colon = rest.rfind(':');
    s.host = std::string(rest.substr(0, colon));
    s.port = colon == std::string_view::npos ? "80" : std::string(rest.substr(colon + 1));
  }
  if (s.host.empty()) throw bad("missing host");
  unsigned port = 0;
  auto [p, ec] = std::from_chars(s.port.data(), s.port.data() + s.port.size(), port);
  if (s.port.empty() || ec != std::errc{} || p != s.port.data() + s.port.size() || port == 0 || port > 65535) {
    throw bad("the port must be a number from 1 to 65535");
  }
  return s;
}

ReplyError describe_error_reply(const HttpReply& reply) {
  int code = kExitUsage;
  if (reply.status == 409 || reply.status == 422) code = kExitCheckFailed;
  if (reply.status >= 500) code = kExitIo;
  std::string detail;
  std::string title;
  boost::system::error_code ec;
  auto parsed = boost::json::parse(reply.body, ec);
  if (!ec && parsed.is_object()) {
    const auto& o = parsed.as_object();
    if (const auto* d = o.if_contains("detail"); d != nullptr && d->is_string()) detail = std::string(d->as_string());
    if (const auto* t = o.if_contains("title"); t != nullptr && t->is_string()) title = std::string(t->as_string());
  }
  if (detail.empty()) {
    detail = reply.body.substr(0, 200);
    while (!detail.empty() && (detail.back() == '\n' || detail.back() == '\r')) detail.pop_back();
  }
  std::string message = "rootgovd answered " + std::to_string(reply.status);
  if (!title.empty()) message += " (" + title + ")";
  if (!detail.empty()) message += ": " + detail;
  return {code, message};
}

HttpClient::HttpClient(std::string_view server_url, ClientTimeouts timeouts)
    : m_server(parse_server_url(server_url)), m_timeouts(timeouts) {}

HttpReply HttpClient::request(std::string_view method, std::string_view target, std::string_view body,
                              std::string_view content_type, std::string_view prefer) {
  asio::io_context ioc;
  HttpReply reply;
  beast::error_code failure;
  auto req = make_request(m_server, method, target, body, content_type, prefer);
  run(ioc, [&]() -> awaitable<void> {
    beast::tcp_stream stream(ioc);
    if (auto ec = co_await connect(stream, m_server, m_timeouts.connect); ec) {
      failure = ec;
      co_return;
    }
    stream.expires_after(m_timeouts.exchange);
    auto [wec, wn] = co_await http::async_write(stream, req, kTuple);
    (void)wn;
    if (wec) {
      failure = wec;
      co_return;
    }
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(kMaxReplyBody);
    auto [rec, rn] = co_await http::async_read(stream, buffer, parser, kTuple);
    (void)rn;
    if (rec) {
      failure = rec;
      co_return;
    }
    auto& res = parser.get();
    reply.status = res.result_int();
    reply.content_type = std::string(res[http::field::content_type]);
    reply.body = std::move(res.body());
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  }());
  if (failure) unreachable(m_server, failure);
  return reply;
}

boost::json::value json_body(const HttpReply& reply) {
  boost::system::error_code ec;
  auto value = boost::json::parse(reply.body, ec);
  if (ec) throw ExitError(kExitIo, "rootgovd sent a reply that is not JSON (" + ec.message() + ")");
  return value;
}

bool is_stale_sequence(const HttpReply& reply) {
  if (reply.status != 403) return false;
  boost::system::error_code ec;
  auto parsed = boost::json::parse(reply.body, ec);
  if (ec || !parsed.is_object()) return false;
  const auto* d = parsed.as_object().if_contains("detail");
  return d != nullptr && d->is_string() && d->as_string().starts_with("replayed or stale document");
}

boost::json::value HttpClient::get_json(std::string_view target) {
  auto reply = request("GET", target);
  if (!reply.ok()) {
    auto e = describe_error_reply(reply);
    throw ExitError(e.exit_code, e.message);
  }
  return json_body(reply);
}

boost::json::value HttpClient::post_json(std::string_view target, std::string_view body) {
  auto reply = request("POST", target, body, "application/json");
  if (!reply.ok()) {
    auto e = describe_error_reply(reply);
    throw ExitError(e.exit_code, e.message);
  }
  return json_body(reply);
}

std::string HttpClient::get_text(std::string_view target) {
  auto reply = request("GET", target);
  if (!reply.ok()) {
    auto e = describe_error_reply(reply);
    throw ExitError(e.exit_code, e.message);
  }
  return std::move(reply.body);
}

void HttpClient::follow_events(std::string_view target, std::optional<std::uint64_t> last_event_id,
                               const std::function<bool(const SseEvent&)>& on_event) {
  asio::io_context ioc;
  beast::error_code failure;
  std::optional<HttpReply> refused;
  auto req = make_request(m_server, "GET", target, {}, {});
  req.set(http::field::accept, "text/event-stream");
  if (last_event_id) req.set("Last-Event-ID", std::to_string(*last_event_id));
  run(ioc, [&]() -> awaitable<void> {
    beast::tcp_stream stream(ioc);
    if (auto ec = co_await connect(stream, m_server, m_timeouts.connect); ec) {
      failure = ec;
      co_return;
    }
    stream.expires_after(m_timeouts.exchange);
    auto [wec, wn] = co_await http::async_write(stream, req, kTuple);
    (void)wn;
    if (wec) {
      failure = wec;
      co_return;
    }
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    auto [hec, hn] = co_await http::async_read_header(stream, buffer, parser, kTuple);
    (void)hn;
    if (hec) {
      failure = hec;
      co_return;
    }
    if (parser.get().result_int() != 200) {
      auto [bec, bn] = co_await http::async_read(stream, buffer, parser, kTuple);
      (void)bn;
      refused = HttpReply{parser.get().result_int(), std::string(parser.get()[http::field::content_type]),
                          bec ? std::string() : parser.get().body()};
      co_return;
    }
    // The body is the event stream until the server closes: parse raw bytes from here on,
    // starting with what the header read already buffered.
    SseParser sse;
    std::string first(static_cast<const char*>(buffer.data().data()), buffer.size());
    if (!sse.feed(first, on_event)) co_return;
    std::array<char, 8192> chunk{};
    while (true) {
      stream.expires_after(m_timeouts.stream_idle);
      auto [rec, n] = co_await stream.async_read_some(asio::buffer(chunk), kTuple);
      if (rec == asio::error::eof) co_return;  // the server ended the stream
      if (rec) {
        failure = rec;
        co_return;
      }
      if (!sse.feed(std::string_view(chunk.data(), n), on_event)) co_return;
    }
  }());
  if (failure) unreachable(m_server, failure);
  if (refused) {
    auto e = describe_error_reply(*refused);
    throw ExitError(e.exit_code, e.message);
  }
}

bool SseParser::feed(std::string_view bytes, const std::function<bool(const SseEvent&)>& on_event) {
  m_pending.append(bytes);
  std::size_t start = 0;
  while (true) {
    auto nl = m_pending.find('\n', start);
    if (nl == std::string::npos) break;
    std::string_view text(m_pending.data() + start, nl - start);
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    start = nl + 1;
    if (!line(text, on_event)) {
      m_pending.erase(0, start);
      return false;
    }
  }
  m_pending.erase(0, start);
  return true;
}

bool SseParser::line(std::string_view text, const std::function<bool(const SseEvent&)>& on_event) {
  if (text.empty()) {  // dispatch
    bool keep_going = true;
    if (m_has_data) {
      if (m_event.type.empty()) m_event.type = "message";
      keep_going = on_event(m_event);
    }
    m_event = SseEvent{};
    m_has_data = false;
    return keep_going;
  }
  if (text.front() == ':') return true;  // comment (keepalive)
  auto colon = text.find(':');
  std::string_view field = text.substr(0, colon);
  std::string_view value = colon == std::string_view::npos ? std::string_view{} : text.substr(colon + 1);
  if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  if (field == "data") {
    if (m_has_data) m_event.data += '\n';
    m_event.data += value;
    m_has_data = true;
  } else if (field == "event") {
    m_event.type = std::string(value);
  } else if (field == "id") {
    std::uint64_t id = 0;
    auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), id);
    if (ec == std::errc{} && p == value.data() + value.size()) m_event.id = id;
  }
  return true;
}

}  // namespace rootgov::cli
