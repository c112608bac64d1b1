// cli/src/http_client.hpp - the CLI's synchronous HTTP client for rootgovd (Boost.Beast inside
// http_client.cpp only).
//
// Contract: every failure to talk to the daemon throws ExitError with exit code 3 and the
// message "cannot reach rootgovd at HOST:PORT (REASON): is it running? start it with
// `rootgovd`"; an application/problem+json answer becomes ExitError with the problem's detail
// (exit 1 for 409/422: the thing asked for was refused; 2 for other 4xx: fix the input; 3 for
// 5xx). Timeouts bound connecting and each whole exchange.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

namespace rootgov::cli {

/// "$ROOTGOV_SERVER" if set and non-empty, else "http://127.0.0.1:8053".
std::string default_server_url();

struct ServerAddress {
  std::string host;
  std::string port;
  std::string display() const { return host + ":" + port; }
};

/// Parses "http://HOST[:PORT][/]" (port 80 when absent) or "HOST:PORT". Throws ExitError(2)
/// with what to fix for anything else (https, paths, missing host).
ServerAddress parse_server_url(std::string_view url);

struct HttpReply {
  unsigned status = 0;
  std::string content_type;
  std::string body;
  bool ok() const { return status >= 200 && status < 300; }
};

struct ClientTimeouts {
  std::chrono::milliseconds connect{5'000};
  std::chrono::milliseconds exchange{60'000};  ///< a whole request and its response
  std::chrono::milliseconds stream_idle{60'000};  ///< silence on an event stream (server pings every 15 s)
};

/// One Server-Sent Event as received.
struct SseEvent {
  std::optional<std::uint64_t> id;
  std::string type;  ///< "message" when the server named none
  std::string data;
};

/// The exit code and one-line message for a non-2xx reply (problem+json or not).
struct ReplyError {
  int exit_code;
  std::string message;
};
ReplyError describe_error_reply(const HttpReply& reply);

/// The parsed JSON body of a reply; throws ExitError(3) when it is not JSON.
boost::json::value json_body(const HttpReply& reply);

/// True for the daemon's refusal of a signed document whose sequence number is not above the
/// last one the actor used (403, detail "replayed or stale document ..."). A refused document
/// changed nothing, so a client that chose the number itself may sign again with a fresh one.
bool is_stale_sequence(const HttpReply& reply);

class HttpClient {
 public:
  explicit HttpClient(std::string_view server_url, ClientTimeouts timeouts = {});

  /// Raw exchange; throws ExitError(3) when the daemon cannot be reached. `prefer`, when not
  /// empty, is sent as the Prefer header (RFC 7240), e.g. "return=minimal".
  HttpReply request(std::string_view method, std::string_view target, std::string_view body = {},
                    std::string_view content_type = "application/json", std::string_view prefer = {});

  /// GET / POST expecting JSON: 2xx gives the parsed body; anything else throws ExitError
  /// (see the file comment).
  boost::json::value get_json(std::string_view target);
  boost::json::value post_json(std::string_view target, std::string_view body);
  /// GET expecting text (e.g. the zone); throws like get_json.
  std::string get_text(std::string_view target);

  /// Follows an event stream: calls `on_event` for each event until it returns false, the
  /// server ends the stream (returns normally) or the connection fails (ExitError 3).
  void follow_events(std::string_view target, std::optional<std::uint64_t> last_event_id,
                     const std::function<bool(const SseEvent&)>& on_event);

  const ServerAddress& server() const { return m_server; }

 private:
  ServerAddress m_server;
  ClientTimeouts m_timeouts;
};

/// Splits an SSE byte stream: feed() appends bytes and calls `on_event` per complete event
/// (blank-line terminated); returns false when the callback asked to stop.
class SseParser {
 public:
  bool feed(std::string_view bytes, const std::function<bool(const SseEvent&)>& on_event);

 private:
  bool line(std::string_view text, const std::function<bool(const SseEvent&)>& on_event);
  std::string m_pending;
  SseEvent m_event;
  bool m_has_data = false;
};

}  // namespace rootgov::cli
