// json.cpp - Json parsing (Boost.JSON's SAX parser, so duplicates and floats are caught while
// reading) and the canonical RFC 8785 writer.
#include <rootgov/authority/json.hpp>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <limits>

#include <boost/json/basic_parser_impl.hpp>
#include <fmt/format.h>

#include "json_util.hpp"

namespace rootgov::authority {

void Json::set_unsigned(std::uint64_t u) {
  if (u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    m_value = static_cast<std::int64_t>(u);
  } else {
    m_value = u;
  }
}

Json::Kind Json::kind() const {
  switch (m_value.index()) {
    case 0: return Kind::null;
    case 1: return Kind::boolean;
    case 2:
    case 3: return Kind::integer;
    case 4: return Kind::string;
    case 5: return Kind::array;
    default: return Kind::object;
  }
}

std::optional<bool> Json::as_bool() const {
  if (auto p = std::get_if<bool>(&m_value)) return *p;
  return std::nullopt;
}

std::optional<std::int64_t> Json::as_int64() const {
  if (auto p = std::get_if<std::int64_t>(&m_value)) return *p;
  return std::nullopt;
}

std::optional<std::uint64_t> Json::as_uint64() const {
  if (auto p = std::get_if<std::int64_t>(&m_value); p && *p >= 0) return static_cast<std::uint64_t>(*p);
  if (auto p = std::get_if<std::uint64_t>(&m_value)) return *p;
  return std::nullopt;
}

const std::string* Json::as_string() const { return std::get_if<std::string>(&m_value); }
const Json::Array* Json::as_array() const { return std::get_if<Array>(&m_value); }
const Json::Object* Json::as_object() const { return std::get_if<Object>(&m_value); }
Json::Array* Json::as_array() { return std::get_if<Array>(&m_value); }
Json::Object* Json::as_object() { return std::get_if<Object>(&m_value); }

const Json* Json::find(std::string_view key) const {
  const Object* obj = as_object();
  if (obj == nullptr) return nullptr;
  auto it = obj->find(key);
  return it == obj->end() ? nullptr : &it->second;
}

Json& Json::operator[](std::string_view key) {
  if (is_null()) m_value = Object{};
  Object& obj = std::get<Object>(m_value);
  auto it = obj.find(key);
  if (it == obj.end()) it = obj.emplace(std::string(key), Json{}).first;
  return it->second;
}

// ---------------------------------------------------------------------------------------------
// Canonical writer

namespace {

/// UTF-16 code units of a valid UTF-8 string (RFC 8785 section 3.2.3 sorts by these).
std::u16string utf16_units(std::string_view s) {
  std::u16string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    auto b0 = static_cast<unsigned char>(s[i]);
    std::uint32_t cp = 0;
    std::size_t len = 1;
    if (b0 < 0x80) {
      cp = b0;
    } else if ((b0 & 0xE0) == 0xC0) {
      cp = b0 & 0x1FU;
      len = 2;
    } else if ((b0 & 0xF0) == 0xE0) {
      cp = b0 & 0x0FU;
      len = 3;
    } else {
      cp = b0 & 0x07U;
      len = 4;
    }
    for (std::size_t k = 1; k < len && i + k < s.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3FU);
    }
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out.push_back(static_cast<char16_t>(0xD800 + (cp >> 10)));
      out.push_back(static_cast<char16_t>(0xDC00 + (cp & 0x3FF)));
    } else {
      out.push_back(static_cast<char16_t>(cp));
    }
    i += len;
  }
  return out;
}

bool is_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

}  // namespace

namespace detail {

namespace {

// Whether any of the 8 bytes of `w` is below 0x20, '"' or '\\' (the bytes a JSON string escapes):
// the usual "has a zero byte" test applied to w itself (bytes < 0x20) and to w XOR each of the
// two characters repeated. Exact, no false positives: each term is non-zero only for a byte
// that is below 0x20, resp. equal to the character.
constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
inline std::uint64_t below(std::uint64_t w, std::uint8_t n) { return (w - kOnes * n) & ~w & kHighs; }
inline bool needs_escape(std::uint64_t w) {
  return (below(w, 0x20) | below(w ^ (kOnes * '"'), 1) | below(w ^ (kOnes * '\\'), 1)) != 0;
}

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  std::size_t run = 0;  // the bytes before i not yet copied: copied in one append
  std::size_t i = 0;
  for (;;) {
    // Skips 8 bytes at a time while none of them needs escaping (most strings: all of them).
    while (i + 8 <= s.size()) {
      std::uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      if (needs_escape(w)) break;
      i += 8;
    }
    if (i >= s.size()) break;
    const auto u = static_cast<unsigned char>(s[i]);
    if (u >= 0x20 && u != '"' && u != '\\') {
      ++i;
      continue;
    }
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (u) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\f': out += "\\f"; break;
      case '\r': out += "\\r"; break;
      default:
        out += "\\u00";
        out.push_back(kHex[u >> 4]);
        out.push_back(kHex[u & 0xF]);
    }
    ++i;
  }
  out.append(s.data() + run, s.size() - run);
  out.push_back('"');
}

// Writes a value and everything in it into one string (nested values are not rendered apart
// and copied in: log entries nest documents four or five deep).
struct CanonicalWriter {
  std::string& out;

  void operator()(std::nullptr_t) const { out += "null"; }
  void operator()(bool b) const { out += b ? "true" : "false"; }
  void operator()(std::int64_t i) const { number(i); }
  void operator()(std::uint64_t u) const { number(u); }
  void operator()(const std::string& s) const { append_json_string(out, s); }
  void operator()(const Json::Array& a) const {
    out.push_back('[');
    bool first = true;
    for (const Json& v : a) {
      if (!first) out.push_back(',');
      first = false;
      std::visit(*this, v.m_value);
    }
    out.push_back(']');
  }
  void operator()(const Json::Object& o) const {
    out.push_back('{');
    // std::map already orders by bytes, which equals UTF-16 order for ASCII names.
    if (std::all_of(o.begin(), o.end(), [](const auto& m) { return is_ascii(m.first); })) {
      bool first = true;
      for (const auto& m : o) member(m, first);
    } else {
      std::vector<const Json::Object::value_type*> members;
      members.reserve(o.size());
      for (const auto& m : o) members.push_back(&m);
      std::stable_sort(members.begin(), members.end(),
                       [](const auto* a, const auto* b) { return utf16_units(a->first) < utf16_units(b->first); });
      bool first = true;
      for (const auto* m : members) member(*m, first);
    }
    out.push_back('}');
  }

  // canonical_with_member(): the members of `object` and (key, canonical value) in order.
  void object_with(const Json& object, std::string_view key, std::string_view canonical_value) const {
    const Json::Object* o = object.as_object();
    const bool ascii = o != nullptr && is_ascii(key) &&
                       std::all_of(o->begin(), o->end(), [](const auto& m) { return is_ascii(m.first); });
    if (!ascii) {
      // Rare (entries have ASCII names): build the member as a value and order it generally.
      Json whole = object;
      whole[key] = Json::parse(canonical_value).value();  // INVARIANT: the caller's bytes are canonical JSON
      std::visit(*this, whole.m_value);
      return;
    }
    out.push_back('{');
    bool first = true;
    bool added = false;
    auto add = [&] {
      if (!first) out.push_back(',');
      first = false;
      append_json_string(out, key);
      out.push_back(':');
      out.append(canonical_value);
      added = true;
    };
    for (const auto& m : *o) {
      if (!added && key < std::string_view(m.first)) add();
      member(m, first);
    }
    if (!added) add();
    out.push_back('}');
  }

 private:
  void member(const Json::Object::value_type& m, bool& first) const {
    if (!first) out.push_back(',');
    first = false;
    append_json_string(out, m.first);
    out.push_back(':');
    std::visit(*this, m.second.m_value);
  }
  template <class T>
  void number(T v) const {
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
  }
};

}  // namespace detail

std::string Json::canonical() const {
  std::string out;
  std::visit(detail::CanonicalWriter{out}, m_value);
  return out;
}

std::string detail::canonical_with_member(const Json& object, std::string_view key, std::string_view canonical_value) {
  std::string out;
  out.reserve(canonical_value.size() + 256);
  detail::CanonicalWriter{out}.object_with(object, key, canonical_value);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Parser: a Boost.JSON SAX handler that builds Json values on a stack.

namespace {

class Builder {
 public:
  static constexpr std::size_t max_array_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_object_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_string_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_key_size = static_cast<std::size_t>(-1);

  std::string error;  // our own reason, when a callback refused
  Json result;

  bool on_document_begin(boost::json::error_code&) { return true; }
  bool on_document_end(boost::json::error_code&) { return true; }

  bool on_array_begin(boost::json::error_code&) {
    m_stack.emplace_back().value = Json(Json::Array{});
    return true;
  }
  bool on_array_end(std::size_t, boost::json::error_code& ec) { return close(ec); }
  bool on_object_begin(boost::json::error_code&) {
    m_stack.emplace_back().value = Json(Json::Object{});
    return true;
  }
  bool on_object_end(std::size_t, boost::json::error_code& ec) { return close(ec); }

  bool on_string_part(boost::json::string_view s, std::size_t, boost::json::error_code&) {
    m_text.append(s.data(), s.size());
    return true;
  }
  bool on_string(boost::json::string_view s, std::size_t, boost::json::error_code& ec) {
    m_text.append(s.data(), s.size());
    Json v(std::move(m_text));
    m_text.clear();
    return emit(std::move(v), ec);
  }
  bool on_key_part(boost::json::string_view s, std::size_t, boost::json::error_code&) {
    m_text.append(s.data(), s.size());
    return true;
  }
  bool on_key(boost::json::string_view s, std::size_t, boost::json::error_code& ec) {
    m_text.append(s.data(), s.size());
    Frame& top = m_stack.back();
    if (top.value.as_object()->contains(m_text)) {
      error = fmt::format("duplicate member name \"{}\"", m_text);
      ec = boost::json::error::syntax;
      return false;
    }
    top.key = std::move(m_text);
    m_text.clear();
    return true;
  }
  bool on_number_part(boost::json::string_view, boost::json::error_code&) { return true; }
  bool on_int64(std::int64_t i, boost::json::string_view, boost::json::error_code& ec) { return emit(Json(i), ec); }
  bool on_uint64(std::uint64_t u, boost::json::string_view, boost::json::error_code& ec) {
    return emit(Json(u), ec);
  }
  bool on_double(double, boost::json::string_view s, boost::json::error_code& ec) {
    error = fmt::format("number {} is not an integer (fractions and exponents are not allowed)",
                        std::string_view(s.data(), s.size()));
    ec = boost::json::error::syntax;
    return false;
  }
  bool on_bool(bool b, boost::json::error_code& ec) { return emit(Json(b), ec); }
  bool on_null(boost::json::error_code& ec) { return emit(Json(nullptr), ec); }
  bool on_comment_part(boost::json::string_view, boost::json::error_code&) { return true; }
  bool on_comment(boost::json::string_view, boost::json::error_code&) { return true; }

 private:
  struct Frame {
    Json value;
    std::string key;
  };

  bool emit(Json v, boost::json::error_code&) {
    if (m_stack.empty()) {
      result = std::move(v);
      return true;
    }
    Frame& top = m_stack.back();
    if (auto* arr = top.value.as_array()) {
      arr->push_back(std::move(v));
    } else {
      top.value.as_object()->emplace(std::move(top.key), std::move(v));
      top.key.clear();
    }
    return true;
  }

  bool close(boost::json::error_code& ec) {
    Json v = std::move(m_stack.back().value);
    m_stack.pop_back();
    return emit(std::move(v), ec);
  }

  std::vector<Frame> m_stack;
  std::string m_text;
};

}  // namespace

Result<Json> Json::parse(std::string_view text, const Limits& limits) {
  if (text.size() > limits.max_bytes) {
    return fail(Errc::invalid_input,
                fmt::format("JSON text of {} bytes exceeds the limit of {} bytes", text.size(), limits.max_bytes));
  }
  boost::json::parse_options options;
  options.max_depth = limits.max_depth;
  boost::json::basic_parser<Builder> parser(options);
  boost::json::error_code ec;
  std::size_t used = parser.write_some(false, text.data(), text.size(), ec);
  if (ec) {
    std::string why = parser.handler().error.empty() ? ec.message() : parser.handler().error;
    return fail(Errc::invalid_input, fmt::format("invalid JSON at byte {}: {}", used, why));
  }
  if (used != text.size()) {
    return fail(Errc::invalid_input, fmt::format("invalid JSON at byte {}: unexpected data after the value", used));
  }
  return std::move(parser.handler().result);
}

Result<std::string> canonicalize_json(std::string_view text) {
  auto value = Json::parse(text);
  if (!value) return std::unexpected(value.error());
  return value->canonical();
}

}  // namespace rootgov::authority
