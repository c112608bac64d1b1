// daemon/src/router.hpp - HTTP requests and responses as plain values, RFC 9457 problems, and
// a router from (method, path pattern) to handlers.
//
// No Asio or Beast here: handlers are plain functions of a Request, so they can be unit-tested
// without sockets and the API can be wired without template weight. The server
// (http_server.cpp) turns Beast messages into these values and back.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/value.hpp>

#include <rootgov/common/result.hpp>

namespace rootgov::daemon {

/// An HTTP request after parsing; the body is complete and within the configured limit.
struct Request {
  std::string method;  ///< "GET", "POST", ...
  std::string target;  ///< as sent: path and query
  std::string path;    ///< percent-encoded path without the query
  std::multimap<std::string, std::string, std::less<>> query;      ///< decoded query parameters
  std::map<std::string, std::string, std::less<>> path_params;     ///< decoded "{name}" segments
  std::vector<std::pair<std::string, std::string>> headers;        ///< names in lowercase
  std::string body;  ///< for BodyKind::json routes, one JSON object (check_json_body)

  /// The first header named `name` (case-insensitive), if any.
  std::optional<std::string_view> header(std::string_view name) const;
  /// The first query parameter named `name`, if any.
  std::optional<std::string_view> query_param(std::string_view name) const;
  /// True if a Prefer header (RFC 7240; several headers or comma-separated preferences) asks
  /// for `name` with `value` ("" for a preference without one), e.g. ("return", "minimal").
  /// Names and values compare case-insensitively; a quoted value is unquoted; parameters after
  /// ';' are ignored.
  bool prefers(std::string_view name, std::string_view value = {}) const;
  /// The path parameter `name` ("" when the route has none of that name).
  std::string_view param(std::string_view name) const;
};

/// A response. The server adds Content-Length, Date-free framing and keep-alive headers.
struct Response {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  ///< extra headers
  /// Blocking work the server runs off the authority executor (on the durability thread) before it sends
  /// this response: waiting until the mutation it acknowledges is durable. A failure replaces
  /// the response with the error's problem (503 for Errc::io). Empty: send at once.
  std::function<Result<void>()> before_send;
  /// Makes `body` off the authority executor: run once by the server on the connection's I/O
  /// thread, after before_send succeeded, so the authority hands over a copy of what the answer
  /// shows instead of serializing it on its own thread. Empty: `body` is final.
  std::function<std::string()> render_body;

  /// A JSON response (serialized compactly).
  static Response json(const boost::json::value& value, unsigned status = 200);
  static Response text(std::string body, std::string content_type = "text/plain; charset=utf-8",
                       unsigned status = 200);
};

/// An RFC 9457 problem: `type` is a URI naming the class of problem, `title` a fixed short
/// summary of that class, `detail` what went wrong this time and what to do about it.
struct Problem {
  unsigned status = 500;
  std::string type = "about:blank";
  std::string title;
  std::string detail;
  boost::json::object extensions;  ///< extra members (e.g. "allowed", "findings")

  /// A problem of class `slug` ("invalid-input"), typed "urn:rootgov:problem:<slug>".
  static Problem make(unsigned status, std::string_view slug, std::string title, std::string detail);

  /// The application/problem+json response.
  Response to_response() const;
  boost::json::object to_json() const;
};

/// Maps a domain error to a problem: invalid_input 400, unauthorized 403, not_found 404,
/// conflict 409, check_failed 422, io 503, internal 500. The message becomes the detail.
Problem problem_from(const Error& error);

/// Result of an API call: a value, or the problem to answer with.
template <class T>
using ApiResult = std::expected<T, Problem>;

/// Where a handler runs.
enum class Exec {
  io,         ///< on the connection's own executor (cheap, touches no shared state)
  authority,  ///< serialized on the authority executor (the single owner of authority state)
};

/// What a route expects as body.
enum class BodyKind {
  none,  ///< any body is ignored
  json,  ///< a JSON object (the handler parses it); a malformed body gets 400 before the handler runs
};

using Handler = std::function<Response(const Request&)>;

struct Route {
  std::string method;
  std::string pattern;  ///< "/v1/requests/{id}/ballots"
  Handler handler;
  Exec exec = Exec::io;
  BodyKind body = BodyKind::none;
  bool event_stream = false;  ///< handled by the server's SSE loop; `handler` is unused
  /// Exec::authority routes: work the server runs on the connection's I/O thread before the
  /// handler, to take thread-safe work (a signature check) off the authority executor. Must be thread-safe and
  /// must not fail: the handler still decides and reports. Empty: none.
  std::function<void(const Request&)> prepare;
  std::vector<std::string> segments;  ///< pattern split on '/'
};

/// Result of matching a request against the routes.
struct Match {
  const Route* route = nullptr;                 ///< null: no route
  std::map<std::string, std::string, std::less<>> params;
  std::vector<std::string> allowed;             ///< when the path matched but not the method
};

/// Routes are matched segment by segment: a literal segment matches itself, "{name}" matches
/// one non-empty segment (percent-decoded into Request::path_params). Literal routes beat
/// parameter routes at the same position. Not thread-safe for add(); match() is const and may
/// run concurrently once the routes are in place.
class Router {
 public:
  /// Adds a route. Throws std::invalid_argument for a malformed pattern or a duplicate.
  Route& add(std::string method, std::string pattern, Handler handler, Exec exec = Exec::io,
             BodyKind body = BodyKind::none);
  /// Adds the route served by the server's event-stream loop (Server-Sent Events).
  Route& add_event_stream(std::string pattern);

  Match match(std::string_view method, std::string_view path) const;
  const std::vector<Route>& routes() const { return m_routes; }

 private:
  std::vector<Route> m_routes;
};

/// Splits a target into the path and decoded query parameters. Errc::invalid_input on bad
/// percent-encoding.
Result<void> parse_target(std::string_view target, Request& request);
/// Percent-decodes `text`; with `plus_is_space` a '+' becomes ' ' (query strings).
Result<std::string> percent_decode(std::string_view text, bool plus_is_space);

/// Checks the body of a BodyKind::json route: JSON media type (if given), one JSON object, at
/// most 64 levels deep. Builds nothing (the handler parses request.body itself); the problem
/// says what is wrong.
ApiResult<void> check_json_body(const Request& request);

/// Parses a non-negative integer query parameter; absent gives `fallback`.
ApiResult<std::uint64_t> query_uint(const Request& request, std::string_view name,
                                    std::optional<std::uint64_t> fallback);

}  // namespace rootgov::daemon
