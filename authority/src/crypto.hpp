// crypto.hpp (internal) - the one place authority code reaches Botan: SHA-256, Ed25519,
// base64/hex and the system RNG. Byte strings are std::string holding raw bytes; no Botan type
// leaves this facade (STYLE.md convention 4).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include <rootgov/common/result.hpp>

namespace rootgov::authority::crypto {

inline constexpr std::size_t kSha256Size = 32;
inline constexpr std::size_t kEd25519SeedSize = 32;
inline constexpr std::size_t kEd25519PublicKeySize = 32;
inline constexpr std::size_t kEd25519SignatureSize = 64;

using Sha256Digest = std::array<std::uint8_t, kSha256Size>;

/// SHA-256 of `data` (FIPS 180-4).
Sha256Digest sha256(std::string_view data);

/// Incremental SHA-256; one instance per thread (not thread-safe).
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(std::string_view data);
  void update(std::span<const std::uint8_t> data);
  void update(std::uint8_t byte);
  /// Returns the digest and resets the state for the next message.
  Sha256Digest finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

/// Standard base64 (RFC 4648 section 4) with padding.
std::string base64_encode(std::string_view bytes);
/// Decodes canonical padded base64 only; anything else (whitespace, missing padding, non-zero
/// trailing bits) is an error. For public data (signatures, public keys, hashes): one table
/// lookup per character, so its timing depends on the text. Secret text goes through
/// base64_decode_secret.
Result<std::string> base64_decode(std::string_view text);
/// The same result as base64_decode, through Botan's constant-time decoder: for secret material
/// (a key file's seed).
Result<std::string> base64_decode_secret(std::string_view text);
/// Lowercase hex.
std::string hex_encode(std::string_view bytes);
Result<std::string> hex_decode(std::string_view text);

/// `count` bytes from the operating system's RNG (getrandom). Throws if the OS RNG fails.
std::string random_bytes(std::size_t count);

/// Ed25519 (RFC 8032, "pure" variant). Keys are raw bytes: 32-byte seed, 32-byte public key.
std::string ed25519_public_key(std::string_view seed);
/// 64-byte signature over `message` with the key derived from `seed`. Passing the matching
/// `public_key` (from ed25519_public_key) skips re-deriving it, which halves the cost.
std::string ed25519_sign(std::string_view seed, std::string_view message, std::string_view public_key = {});
/// False for a malformed key or signature as well as for a wrong one.
bool ed25519_verify(std::string_view public_key, std::string_view message, std::string_view signature);

/// CRC-32C (Castagnoli, as in iSCSI/ext4), used to frame journal records. `crc` continues an
/// earlier result: crc32c(b, crc32c(a)) == crc32c(a + b). On x86-64 with SSE4.2 the CPU's
/// CRC32 instruction computes it; crc32c_portable is the table form used otherwise (the same
/// values; tests compare the two).
std::uint32_t crc32c(std::string_view data, std::uint32_t crc = 0);
std::uint32_t crc32c_portable(std::string_view data, std::uint32_t crc = 0);

}  // namespace rootgov::authority::crypto
