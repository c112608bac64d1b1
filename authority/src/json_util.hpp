// authority/src/json_util.hpp - small Boost.JSON helpers with clear errors (internal).
#pragma once

#include <boost/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <rootgov/authority/json.hpp>
#include <rootgov/common/result.hpp>

namespace rootgov::authority::detail {

/// Appends `s` as a JSON string with the canonical escapes (json.hpp): \" \\ \b \t \n \f \r,
/// \u00xx for the other control characters, everything else as it is.
void append_json_string(std::string& out, std::string_view s);

/// The canonical bytes of `object` with one member more, `key`, whose value is given by its
/// canonical bytes: ({"a":1,"c":2}, "b", "[3]") gives {"a":1,"b":[3],"c":2}. For a value held in
/// canonical form already (a signed document's wire form), so it is not built as a Json tree to
/// be written out again. Precondition: `object` is an object without `key`, and
/// `canonical_value` is the canonical encoding of a value.
std::string canonical_with_member(const Json& object, std::string_view key, std::string_view canonical_value);

/// Parses text that must be one JSON object; the error names `what` and the parse problem.
inline Result<boost::json::object> parse_json_object(std::string_view text, std::string_view what) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  if (ec) return fail(Errc::invalid_input, std::string(what) + " is not valid JSON: " + ec.message());
  if (!v.is_object()) return fail(Errc::invalid_input, std::string(what) + " must be a JSON object");
  return std::move(v.as_object());
}

inline std::optional<std::string_view> get_string(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr || !v->is_string()) return std::nullopt;
  return std::string_view(v->as_string());
}

inline std::optional<std::uint64_t> as_uint(const boost::json::value& v) {
  if (v.is_uint64()) return v.as_uint64();
  if (v.is_int64() && v.as_int64() >= 0) return static_cast<std::uint64_t>(v.as_int64());
  return std::nullopt;
}

inline std::optional<std::uint64_t> get_uint(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr) return std::nullopt;
  return as_uint(*v);
}

}  // namespace rootgov::authority::detail
