// rootgov/authority/json.hpp - a small JSON value with one canonical encoding.
//
// Signed documents, tree heads and log entries are JSON whose exact bytes are signed, so every
// value has exactly one encoding: the canonical form of RFC 8785 (JCS) restricted to integers:
// object members sorted by the UTF-16 code units of their names, no insignificant whitespace,
// strings escaped minimally (only '"', '\\' and control characters; \b \t \n \f \r by name,
// other controls as \u00xx), integers in plain decimal. Floating-point numbers are refused on
// input and cannot be built, so no number formatting question ever arises.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <rootgov/common/result.hpp>

namespace rootgov::authority {

namespace detail {
struct CanonicalWriter;
}

class Json {
 public:
  using Array = std::vector<Json>;
  using Object = std::map<std::string, Json, std::less<>>;
  enum class Kind { null, boolean, integer, string, array, object };

  /// Limits applied by parse(); input beyond them is refused with Errc::invalid_input.
  struct Limits {
    std::size_t max_depth = 64;
    std::size_t max_bytes = 1 << 20;
  };

  Json() = default;
  Json(std::nullptr_t) {}
  Json(bool b) : m_value(b) {}
  template <std::integral I>
    requires(!std::same_as<I, bool> && !std::same_as<I, char>)
  Json(I i) {
    if constexpr (std::is_signed_v<I>) {
      m_value = static_cast<std::int64_t>(i);
    } else {
      set_unsigned(static_cast<std::uint64_t>(i));
    }
  }
  Json(char) = delete;  // a character is not a JSON value; say Json(std::string(1, c))
  /// Strings MUST be valid UTF-8 (parse() guarantees it; code that builds values must too).
  Json(std::string s) : m_value(std::move(s)) {}
  Json(std::string_view s) : m_value(std::string(s)) {}
  Json(const char* s) : m_value(std::string(s)) {}
  Json(Array a) : m_value(std::move(a)) {}
  Json(Object o) : m_value(std::move(o)) {}

  /// Parses one JSON text (RFC 8259) with UTF-8 strings. Refuses floating-point numbers
  /// (any fraction or exponent), duplicate member names, trailing data, comments, and input
  /// over `limits`. Errors name the byte offset.
  static Result<Json> parse(std::string_view text, const Limits& limits);
  static Result<Json> parse(std::string_view text) { return parse(text, Limits{}); }

  /// The canonical bytes (see the file comment). Equal values give equal bytes.
  std::string canonical() const;

  Kind kind() const;
  bool is_null() const { return kind() == Kind::null; }
  bool is_object() const { return kind() == Kind::object; }

  std::optional<bool> as_bool() const;
  /// The integer if it is one and fits in the asked type.
  std::optional<std::int64_t> as_int64() const;
  std::optional<std::uint64_t> as_uint64() const;
  const std::string* as_string() const;
  const Array* as_array() const;
  const Object* as_object() const;
  Array* as_array();
  Object* as_object();

  /// The member `key` of an object, or nullptr (also when this is not an object).
  const Json* find(std::string_view key) const;
  /// The member `key`, created as null if absent; a null value first becomes an empty object.
  /// Precondition: this is null or an object.
  Json& operator[](std::string_view key);

  friend bool operator==(const Json&, const Json&) = default;

 private:
  friend struct detail::CanonicalWriter;  // writes nested values into one string
  void set_unsigned(std::uint64_t u);

  // INVARIANT: a non-negative integer that fits in int64 is stored as int64, so equal numbers
  // compare equal; uint64 holds only values above INT64_MAX.
  std::variant<std::nullptr_t, bool, std::int64_t, std::uint64_t, std::string, Array, Object> m_value;
};

/// Parses `text` and returns its canonical bytes (same rules and errors as Json::parse).
Result<std::string> canonicalize_json(std::string_view text);

}  // namespace rootgov::authority
