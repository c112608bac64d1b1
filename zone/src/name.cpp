// zone/src/name.cpp - canonical domain names.
#include <rootgov/zone/name.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <cstring>

namespace rootgov::zone {
namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

Result<Name> Name::parse(std::string_view text, const Name& origin) {
  if (text.empty()) return fail(Errc::invalid_input, "empty domain name");
  if (text == ".") return Name();
  if (text == "@") return origin;
  std::string wire;
  wire.reserve(text.size() + 2);
  std::string label;
  bool absolute = false;
  auto flush = [&](bool final_dot) -> Result<void> {
    if (label.empty()) {
      return fail(Errc::invalid_input, "empty label in domain name '" + std::string(text) + "'");
    }
    if (label.size() > kMaxLabelLength) {
      return fail(Errc::invalid_input, "label of " + std::to_string(label.size()) + " octets (over 63) in '" +
                                           std::string(text).substr(0, 80) + "'");
    }
    wire.push_back(static_cast<char>(label.size()));
    wire += label;
    label.clear();
    absolute = final_dot;
    return {};
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\\') {
      if (i + 1 >= text.size()) return fail(Errc::invalid_input, "dangling escape in '" + std::string(text) + "'");
      char d = text[i + 1];
      if (d >= '0' && d <= '9') {
        if (i + 3 >= text.size() || !std::isdigit(static_cast<unsigned char>(text[i + 2])) ||
            !std::isdigit(static_cast<unsigned char>(text[i + 3]))) {
          return fail(Errc::invalid_input, "bad \\DDD escape in '" + std::string(text) + "'");
        }
        int v = (d - '0') * 100 + (text[i + 2] - '0') * 10 + (text[i + 3] - '0');
        if (v > 255) return fail(Errc::invalid_input, "\\DDD escape over 255 in '" + std::string(text) + "'");
        label.push_back(lower(static_cast<char>(v)));
        i += 3;
      } else {
        label.push_back(lower(d));
        i += 1;
      }
    } else if (c == '.') {
      if (auto r = flush(i + 1 == text.size()); !r) return std::unexpected(r.error());
    } else {
      label.push_back(lower(c));
    }
  }
  if (!label.empty()) {
    if (auto r = flush(false); !r) return std::unexpected(r.error());
  }
  if (!absolute) {
    wire += origin.wire();
  } else {
    wire.push_back('\0');
  }
  if (wire.size() > kMaxWireLength) {
    return fail(Errc::invalid_input, "domain name of " + std::to_string(wire.size()) + " octets (over 255): '" +
                                         std::string(text).substr(0, 80) + "...'");
  }
  return Name(std::move(wire));
}

Result<Name> Name::from_wire(std::span<const std::uint8_t> data) {
  std::string wire;
  std::size_t pos = 0;
  while (true) {
    if (pos >= data.size()) return fail(Errc::invalid_input, "truncated wire-format name");
    std::uint8_t len = data[pos];
    if (len > kMaxLabelLength) return fail(Errc::invalid_input, "label length over 63 in wire-format name");
    if (pos + 1 + len > data.size()) return fail(Errc::invalid_input, "truncated wire-format label");
    wire.push_back(static_cast<char>(len));
    for (std::size_t i = 0; i < len; ++i) wire.push_back(lower(static_cast<char>(data[pos + 1 + i])));
    pos += 1 + len;
    if (len == 0) break;
    if (wire.size() > kMaxWireLength) return fail(Errc::invalid_input, "wire-format name over 255 octets");
  }
  if (wire.size() > kMaxWireLength) return fail(Errc::invalid_input, "wire-format name over 255 octets");
  return Name(std::move(wire));
}

std::string Name::to_string() const {
  if (is_root()) return ".";
  std::string out;
  out.reserve(m_wire.size() + 4);
  std::size_t pos = 0;
  while (m_wire[pos] != '\0') {
    std::size_t len = static_cast<std::uint8_t>(m_wire[pos]);
    for (std::size_t i = 0; i < len; ++i) {
      auto c = static_cast<unsigned char>(m_wire[pos + 1 + i]);
      if (c == '.' || c == '\\' || c == '"' || c == '(' || c == ')' || c == ';' || c == '@' || c == '$') {
        out.push_back('\\');
        out.push_back(static_cast<char>(c));
      } else if (c <= 0x20 || c >= 0x7f) {
        char buf[5];
        std::snprintf(buf, sizeof buf, "\\%03u", static_cast<unsigned>(c));
        out += buf;
      } else {
        out.push_back(static_cast<char>(c));
      }
    }
    out.push_back('.');
    pos += 1 + len;
  }
  return out;
}

std::size_t Name::label_count() const {
  std::size_t n = 0;
  std::size_t pos = 0;
  while (m_wire[pos] != '\0') {
    ++n;
    pos += 1 + static_cast<std::uint8_t>(m_wire[pos]);
  }
  return n;
}

std::string_view Name::label(std::size_t i) const {
  std::size_t pos = 0;
  for (std::size_t k = 0; k < i && m_wire[pos] != '\0'; ++k) pos += 1 + static_cast<std::uint8_t>(m_wire[pos]);
  return std::string_view(m_wire).substr(pos + 1, static_cast<std::uint8_t>(m_wire[pos]));
}

std::string Name::tld_label() const {
  std::size_t n = label_count();
  if (n == 0) return {};
  return std::string(label(n - 1));
}

Name Name::parent() const {
  if (is_root()) return *this;
  std::size_t len = static_cast<std::uint8_t>(m_wire[0]);
  return Name(m_wire.substr(1 + len));
}

Name Name::suffix(std::size_t n) const {
  std::size_t count = label_count();
  if (n >= count) return *this;
  std::size_t pos = 0;
  for (std::size_t k = 0; k < count - n; ++k) pos += 1 + static_cast<std::uint8_t>(m_wire[pos]);
  return Name(m_wire.substr(pos));
}

bool Name::is_subdomain_of(const Name& other) const {
  if (other.m_wire.size() > m_wire.size()) return false;
  if (other.is_root()) return true;
  std::size_t pos = 0;
  while (m_wire.size() - pos > other.m_wire.size()) pos += 1 + static_cast<std::uint8_t>(m_wire[pos]);
  return m_wire.size() - pos == other.m_wire.size() &&
         std::memcmp(m_wire.data() + pos, other.m_wire.data(), other.m_wire.size()) == 0;
}

std::strong_ordering Name::operator<=>(const Name& other) const {
  const std::string& x = m_wire;
  const std::string& y = other.m_wire;
  if (x.size() == y.size() && std::memcmp(x.data(), y.data(), x.size()) == 0) return std::strong_ordering::equal;
  // Label start offsets, left to right (no initialization needed: only [0, n) is read).
  std::uint8_t a[128];
  std::uint8_t b[128];
  std::size_t na = 0;
  std::size_t nb = 0;
  for (std::size_t pos = 0; pos < x.size() && x[pos] != '\0'; pos += 1 + static_cast<std::uint8_t>(x[pos])) {
    a[na++] = static_cast<std::uint8_t>(pos);
  }
  for (std::size_t pos = 0; pos < y.size() && y[pos] != '\0'; pos += 1 + static_cast<std::uint8_t>(y[pos])) {
    b[nb++] = static_cast<std::uint8_t>(pos);
  }
  std::size_t ia = na;
  std::size_t ib = nb;
  while (ia > 0 && ib > 0) {
    --ia;
    --ib;
    const char* pa = x.data() + a[ia];
    const char* pb = y.data() + b[ib];
    auto la = static_cast<std::uint8_t>(*pa);
    auto lb = static_cast<std::uint8_t>(*pb);
    int c = std::memcmp(pa + 1, pb + 1, std::min(la, lb));
    if (c != 0) return c < 0 ? std::strong_ordering::less : std::strong_ordering::greater;
    if (la != lb) return la < lb ? std::strong_ordering::less : std::strong_ordering::greater;
  }
  return na <=> nb;
}

bool is_ldh_label(std::string_view label) {
  if (label.empty() || label.size() > Name::kMaxLabelLength) return false;
  if (label.front() == '-' || label.back() == '-') return false;
  return std::all_of(label.begin(), label.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
  });
}

bool is_hostname(const Name& name) {
  for (std::size_t i = 0, n = name.label_count(); i < n; ++i) {
    if (!is_ldh_label(name.label(i))) return false;
  }
  return true;
}

}  // namespace rootgov::zone
