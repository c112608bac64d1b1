// daemon/src/router.cpp - request values, problems and route matching.
#include "router.hpp"

#include <algorithm>
#include <charconv>
#include <optional>
#include <stdexcept>

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/error.hpp>
#include <boost/json/serialize.hpp>

namespace rootgov::daemon {
namespace json = boost::json;

namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
           return lower(x) == lower(y);
         });
}

/// Without the optional whitespace (spaces, tabs) around a header field's element.
std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> out;
  if (path.empty() || path.front() != '/') return out;
  path.remove_prefix(1);
  while (true) {
    auto slash = path.find('/');
    out.emplace_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

bool is_param(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<std::string_view> Request::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) return std::string_view(value);
  }
  return std::nullopt;
}

bool Request::prefers(std::string_view name, std::string_view value) const {
  for (const auto& [key, field] : headers) {
    if (!iequals(key, "prefer")) continue;
    std::string_view rest = field;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      std::string_view preference = rest.substr(0, comma);
      rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
      preference = preference.substr(0, preference.find(';'));  // parameters do not matter here
      const auto eq = preference.find('=');
      const std::string_view token = trim(preference.substr(0, eq));
      std::string_view word = eq == std::string_view::npos ? std::string_view{} : trim(preference.substr(eq + 1));
      if (word.size() >= 2 && word.front() == '"' && word.back() == '"') word = word.substr(1, word.size() - 2);
      if (iequals(token, name) && iequals(word, value)) return true;
    }
  }
  return false;
}

std::optional<std::string_view> Request::query_param(std::string_view name) const {
  auto it = query.find(name);
  if (it == query.end()) return std::nullopt;
  return std::string_view(it->second);
}

std::string_view Request::param(std::string_view name) const {
  auto it = path_params.find(name);
  return it == path_params.end() ? std::string_view{} : std::string_view(it->second);
}

Response Response::json(const json::value& value, unsigned status) {
  Response r;
  r.status = status;
  r.body = json::serialize(value);
  return r;
}

Response Response::text(std::string body, std::string content_type, unsigned status) {
  Response r;
  r.status = status;
  r.content_type = std::move(content_type);
  r.body = std::move(body);
  return r;
}

Problem Problem::make(unsigned status, std::string_view slug, std::string title, std::string detail) {
  Problem p;
  p.status = status;
  p.type = "urn:rootgov:problem:" + std::string(slug);
  p.title = std::move(title);
  p.detail = std::move(detail);
  return p;
}

json::object Problem::to_json() const {
  json::object o{{"type", type}, {"title", title}, {"status", status}, {"detail", detail}};
  for (const auto& kv : extensions) {
    if (!o.contains(kv.key())) o.emplace(kv.key(), kv.value());
  }
  return o;
}

Response Problem::to_response() const {
  Response r = Response::json(to_json(), status);
  r.content_type = "application/problem+json";
  return r;
}

Problem problem_from(const Error& error) {
  switch (error.code) {
    case Errc::invalid_input:
      return Problem::make(400, "invalid-input", "invalid input", error.message);
    case Errc::not_found:
      return Problem::make(404, "not-found", "not found", error.message);
    case Errc::conflict:
      return Problem::make(409, "conflict", "refused in the current state", error.message);
    case Errc::unauthorized:
      return Problem::make(403, "unauthorized", "signature or actor not accepted", error.message);
    case Errc::check_failed:
      return Problem::make(422, "check-failed", "checks failed", error.message);
    case Errc::io:
      return Problem::make(503, "io", "storage or service unavailable", error.message);
    case Errc::internal:
      break;
  }
  return Problem::make(500, "internal", "internal error", error.message);
}

Route& Router::add(std::string method, std::string pattern, Handler handler, Exec exec, BodyKind body) {
  auto segments = split_path(pattern);
  if (segments.empty()) throw std::invalid_argument("route pattern must start with '/': '" + pattern + "'");
  for (const auto& s : segments) {
    if (!is_param(s) && (s.find('{') != std::string::npos || s.find('}') != std::string::npos)) {
      throw std::invalid_argument("malformed route segment '" + s + "' in '" + pattern + "'");
    }
  }
  for (const auto& r : m_routes) {
    if (r.method == method && r.pattern == pattern) {
      throw std::invalid_argument("duplicate route " + method + " " + pattern);
    }
  }
  Route route;
  route.method = std::move(method);
  route.pattern = std::move(pattern);
  route.handler = std::move(handler);
  route.exec = exec;
  route.body = body;
  route.segments = std::move(segments);
  m_routes.push_back(std::move(route));
  return m_routes.back();
}

Route& Router::add_event_stream(std::string pattern) {
  Route& r = add("GET", std::move(pattern), Handler{}, Exec::io, BodyKind::none);
  r.event_stream = true;
  return r;
}

Match Router::match(std::string_view method, std::string_view path) const {
  Match best;
  auto segments = split_path(path);
  if (segments.empty()) return best;
  // Score: number of literal segments (higher wins), so "/v1/log/sth" beats "/v1/log/{x}".
  int best_score = -1;
  for (const auto& route : m_routes) {
    if (route.segments.size() != segments.size()) continue;
    int score = 0;
    bool ok = true;
    std::map<std::string, std::string, std::less<>> params;
    for (std::size_t i = 0; i < segments.size() && ok; ++i) {
      const auto& want = route.segments[i];
      if (is_param(want)) {
        auto decoded = percent_decode(segments[i], false);
        if (segments[i].empty() || !decoded) {
          ok = false;
        } else {
          params.emplace(want.substr(1, want.size() - 2), std::move(*decoded));
        }
      } else if (want == segments[i]) {
        ++score;
      } else {
        ok = false;
      }
    }
    if (!ok) continue;
    if (route.method != method) {
      if (std::find(best.allowed.begin(), best.allowed.end(), route.method) == best.allowed.end()) {
        best.allowed.push_back(route.method);
      }
      continue;
    }
    if (score > best_score) {
      best_score = score;
      best.route = &route;
      best.params = std::move(params);
    }
  }
  if (best.route != nullptr) best.allowed.clear();
  std::sort(best.allowed.begin(), best.allowed.end());
  return best;
}

Result<std::string> percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) {
        return fail(Errc::invalid_input, "truncated percent-escape in '" + std::string(text) + "'");
      }
      int hi = hex_value(text[i + 1]);
      int lo = hex_value(text[i + 2]);
      if (hi < 0 || lo < 0) return fail(Errc::invalid_input, "bad percent-escape in '" + std::string(text) + "'");
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

Result<void> parse_target(std::string_view target, Request& request) {
  auto q = target.find('?');
  request.path = std::string(target.substr(0, q));
  request.query.clear();
  if (q == std::string_view::npos) return {};
  std::string_view rest = target.substr(q + 1);
  if (auto hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);
  while (!rest.empty()) {
    auto amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    auto key = percent_decode(pair.substr(0, eq), true);
    if (!key) return std::unexpected(key.error());
    std::string value;
    if (eq != std::string_view::npos) {
      auto v = percent_decode(pair.substr(eq + 1), true);
      if (!v) return std::unexpected(v.error());
      value = std::move(*v);
    }
    request.query.emplace(std::move(*key), std::move(value));
  }
  return {};
}

namespace {

// A boost::json handler that builds nothing: the parse checks the syntax (and the depth) of a
// body its handler parses again itself, and notes the kind of the top-level value.
struct SyntaxOnly {
  static constexpr std::size_t max_array_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_object_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_string_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_key_size = static_cast<std::size_t>(-1);

  std::optional<json::kind> top;  // the kind of the first value begun: the top-level one
  void saw(json::kind k) {
    if (!top) top = k;
  }

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }
  bool on_array_begin(json::error_code&) {
    saw(json::kind::array);
    return true;
  }
  bool on_array_end(std::size_t, json::error_code&) { return true; }
  bool on_object_begin(json::error_code&) {
    saw(json::kind::object);
    return true;
  }
  bool on_object_end(std::size_t, json::error_code&) { return true; }
  bool on_string_part(json::string_view, std::size_t, json::error_code&) { return true; }
  bool on_string(json::string_view, std::size_t, json::error_code&) {
    saw(json::kind::string);
    return true;
  }
  bool on_key_part(json::string_view, std::size_t, json::error_code&) { return true; }
  bool on_key(json::string_view, std::size_t, json::error_code&) { return true; }
  bool on_number_part(json::string_view, json::error_code&) { return true; }
  bool on_int64(std::int64_t, json::string_view, json::error_code&) {
    saw(json::kind::int64);
    return true;
  }
  bool on_uint64(std::uint64_t, json::string_view, json::error_code&) {
    saw(json::kind::uint64);
    return true;
  }
  bool on_double(double, json::string_view, json::error_code&) {
    saw(json::kind::double_);
    return true;
  }
  bool on_bool(bool, json::error_code&) {
    saw(json::kind::bool_);
    return true;
  }
  bool on_null(json::error_code&) {
    saw(json::kind::null);
    return true;
  }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }
};

}  // namespace

ApiResult<void> check_json_body(const Request& request) {
  if (auto ct = request.header("content-type")) {
    const std::string_view media = trim(ct->substr(0, ct->find(';')));
    if (!iequals(media, "application/json")) {
      return std::unexpected(Problem::make(415, "unsupported-media-type", "unsupported media type",
                                           "the body must be JSON: send it with 'Content-Type: application/json' (got '" +
                                               std::string(*ct) + "')"));
    }
  }
  if (request.body.empty()) {
    return std::unexpected(Problem::make(400, "bad-json", "malformed JSON body",
                                         "the request body is empty: send a JSON object"));
  }
  json::parse_options options;
  options.max_depth = 64;
  json::basic_parser<SyntaxOnly> parser(options);
  json::error_code ec;
  const std::size_t used = parser.write_some(false, request.body.data(), request.body.size(), ec);
  if (!ec && used != request.body.size()) ec = json::error::extra_data;  // as json::parse says
  if (ec) {
    return std::unexpected(Problem::make(400, "bad-json", "malformed JSON body",
                                         "the request body is not valid JSON (" + ec.message() +
                                             "): send one JSON object, e.g. {\"document\": {...}, \"signature\": \"...\"}"));
  }
  const json::kind top = parser.handler().top.value_or(json::kind::null);
  if (top != json::kind::object) {
    return std::unexpected(Problem::make(400, "bad-json", "malformed JSON body",
                                         "the request body must be a JSON object, not " +
                                             std::string(json::to_string(top))));
  }
  return {};
}

ApiResult<std::uint64_t> query_uint(const Request& request, std::string_view name,
                                    std::optional<std::uint64_t> fallback) {
  auto text = request.query_param(name);
  if (!text) {
    if (fallback) return *fallback;
    return std::unexpected(Problem::make(400, "invalid-input", "invalid input",
                                         "missing query parameter '" + std::string(name) + "': add ?" +
                                             std::string(name) + "=N (a non-negative integer)"));
  }
  std::uint64_t value = 0;
  auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (text->empty() || ec != std::errc{} || ptr != text->data() + text->size()) {
    return std::unexpected(Problem::make(400, "invalid-input", "invalid input",
                                         "query parameter '" + std::string(name) + "' must be a non-negative integer, got '" +
                                             std::string(*text) + "'"));
  }
  return value;
}

}  // namespace rootgov::daemon
