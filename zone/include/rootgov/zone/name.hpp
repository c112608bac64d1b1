// rootgov/zone/name.hpp - domain names in canonical form.
//
// A Name holds the uncompressed wire form with every ASCII letter lowercased (RFC 4034
// section 6.2), so equality is byte equality and ordering is the canonical DNS order of
// RFC 4034 section 6.1 (labels compared right to left as octet strings).
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>

#include <rootgov/common/result.hpp>

namespace rootgov::zone {

class Name {
 public:
  static constexpr std::size_t kMaxWireLength = 255;  // RFC 1035 section 2.3.4
  static constexpr std::size_t kMaxLabelLength = 63;

  /// The root name ".".
  Name() : m_wire(1, '\0') {}

  /// Parses presentation format: "example.", "a.b" (relative to `origin`), "\." and "\065"
  /// escapes. A relative name without origin is taken as absolute. Errors name the problem
  /// (empty label, label over 63 octets, name over 255 octets, bad escape).
  static Result<Name> parse(std::string_view text, const Name& origin = Name());
  /// From uncompressed wire form; validates label lengths and total length.
  static Result<Name> from_wire(std::span<const std::uint8_t> wire);

  /// Absolute presentation form with trailing dot; "." for the root. Non-LDH octets escaped.
  std::string to_string() const;
  /// Uncompressed, lowercased wire form.
  const std::string& wire() const { return m_wire; }

  bool is_root() const { return m_wire.size() == 1; }
  std::size_t label_count() const;
  /// The i-th label counted from the left (0 = leftmost), without its length octet.
  std::string_view label(std::size_t i) const;
  /// The rightmost label as a string ("com" for "www.example.com."); "" for the root.
  std::string tld_label() const;
  /// The name with the leftmost label removed; the root's parent is the root.
  Name parent() const;
  /// The name made of the rightmost `n` labels.
  Name suffix(std::size_t n) const;
  /// True when this name equals `other` or lies below it.
  bool is_subdomain_of(const Name& other) const;

  bool operator==(const Name& other) const { return m_wire == other.m_wire; }
  /// RFC 4034 section 6.1 canonical order.
  std::strong_ordering operator<=>(const Name& other) const;

 private:
  explicit Name(std::string wire) : m_wire(std::move(wire)) {}
  std::string m_wire;
};

/// Whether `label` is a valid RFC 1123 section 2.1 host label (letters, digits, hyphen; no
/// leading or trailing hyphen; 1-63 octets).
bool is_ldh_label(std::string_view label);
/// Whether every label of `name` is LDH (a valid host name).
bool is_hostname(const Name& name);

}  // namespace rootgov::zone

template <>
struct std::hash<rootgov::zone::Name> {
  std::size_t operator()(const rootgov::zone::Name& n) const noexcept { return std::hash<std::string>{}(n.wire()); }
};
