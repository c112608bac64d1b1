// zone/src/encoding.hpp - base64, hex and time presentation helpers for RDATA text.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rootgov::zone::detail {

void append_base64(std::string& out, std::string_view bytes);
std::optional<std::string> decode_base64(std::string_view text);
void append_hex_upper(std::string& out, std::string_view bytes);
std::optional<std::string> decode_hex(std::string_view text);
/// RRSIG time field as YYYYMMDDHHmmSS (RFC 4034 section 3.2), UTC.
void append_rrsig_time(std::string& out, std::uint32_t t);
void append_uint(std::string& out, std::uint64_t v);
/// Mnemonic of the common types without allocation; empty for others (use type_to_string).
std::string_view type_mnemonic(std::uint16_t type);
/// Appends the presentation form of RDATA (as rdata_to_text, without a temporary).
void append_rdata_text(std::string& out, std::uint16_t type, const std::string& rdata);

inline std::uint16_t read_u16(const char* p) {
  return static_cast<std::uint16_t>((static_cast<std::uint8_t>(p[0]) << 8) | static_cast<std::uint8_t>(p[1]));
}
inline std::uint32_t read_u32(const char* p) {
  return (std::uint32_t{static_cast<std::uint8_t>(p[0])} << 24) | (std::uint32_t{static_cast<std::uint8_t>(p[1])} << 16) |
         (std::uint32_t{static_cast<std::uint8_t>(p[2])} << 8) | std::uint32_t{static_cast<std::uint8_t>(p[3])};
}
inline void put_u16(std::string& out, std::uint16_t v) {
  out.push_back(static_cast<char>(v >> 8));
  out.push_back(static_cast<char>(v & 0xff));
}
inline void put_u32(std::string& out, std::uint32_t v) {
  out.push_back(static_cast<char>(v >> 24));
  out.push_back(static_cast<char>((v >> 16) & 0xff));
  out.push_back(static_cast<char>((v >> 8) & 0xff));
  out.push_back(static_cast<char>(v & 0xff));
}

}  // namespace rootgov::zone::detail
