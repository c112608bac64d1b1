// crypto.cpp - the Botan 2 facade declared in crypto.hpp.
#include "crypto.hpp"

#include <array>
#include <cstdint>
#include <cstring>
#include <stdexcept>

#if defined(__x86_64__)
#include <nmmintrin.h>
#endif

#include <botan/base64.h>
#include <botan/ed25519.h>
#include <botan/hash.h>
#include <botan/hex.h>
#include <botan/pubkey.h>
#include <botan/system_rng.h>

namespace rootgov::authority::crypto {

namespace {

const std::uint8_t* bytes_of(std::string_view s) { return reinterpret_cast<const std::uint8_t*>(s.data()); }

std::string to_string(const std::uint8_t* data, std::size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

}  // namespace

struct Sha256::Impl {
  std::unique_ptr<Botan::HashFunction> hash = Botan::HashFunction::create_or_throw("SHA-256");
};

Sha256::Sha256() : m_impl(std::make_unique<Impl>()) {}
Sha256::~Sha256() = default;

void Sha256::update(std::string_view data) { m_impl->hash->update(bytes_of(data), data.size()); }
void Sha256::update(std::span<const std::uint8_t> data) { m_impl->hash->update(data.data(), data.size()); }
void Sha256::update(std::uint8_t byte) { m_impl->hash->update(byte); }

Sha256Digest Sha256::finish() {
  Sha256Digest out{};
  m_impl->hash->final(out.data());
  return out;
}

Sha256Digest sha256(std::string_view data) {
  thread_local Sha256 hasher;
  hasher.update(data);
  return hasher.finish();
}

std::string base64_encode(std::string_view bytes) { return Botan::base64_encode(bytes_of(bytes), bytes.size()); }

namespace {

// Value of each base64 character (RFC 4648 table 1), -1 for anything else ('=' included).
constexpr std::array<std::int8_t, 256> kBase64Values = [] {
  std::array<std::int8_t, 256> t{};
  t.fill(-1);
  constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (std::size_t i = 0; i < alphabet.size(); ++i) t[static_cast<unsigned char>(alphabet[i])] = static_cast<std::int8_t>(i);
  return t;
}();

}  // namespace

Result<std::string> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) {
    return fail(Errc::invalid_input, "invalid base64: length is not a multiple of 4");
  }
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    const bool last = i + 4 == text.size();
    // '=' may stand only at the end of the last quantum: "xx==" or "xxx=".
    int pad = 0;
    if (last && text[i + 3] == '=') pad = text[i + 2] == '=' ? 2 : 1;
    std::uint32_t quantum = 0;
    for (std::size_t k = 0; k < 4; ++k) {
      std::int8_t v = 0;
      if (k < 4 - static_cast<std::size_t>(pad)) {
        v = kBase64Values[static_cast<unsigned char>(text[i + k])];
        if (v < 0) {
          return fail(Errc::invalid_input, "invalid base64: unexpected character at offset " + std::to_string(i + k));
        }
      }
      quantum = (quantum << 6) | static_cast<std::uint32_t>(v);
    }
    // Canonical form: the bits the padding leaves over are zero, so one value has one text.
    if ((pad == 2 && (quantum & 0xFFFFU) != 0) || (pad == 1 && (quantum & 0xFFU) != 0)) {
      return fail(Errc::invalid_input, "invalid base64: not in canonical form");
    }
    out.push_back(static_cast<char>(quantum >> 16));
    if (pad < 2) out.push_back(static_cast<char>((quantum >> 8) & 0xFFU));
    if (pad < 1) out.push_back(static_cast<char>(quantum & 0xFFU));
  }
  return out;
}

Result<std::string> base64_decode_secret(std::string_view text) {
  if (text.size() % 4 != 0) {
    return fail(Errc::invalid_input, "invalid base64: length is not a multiple of 4");
  }
  std::string out;
  try {
    auto decoded = Botan::base64_decode(text.data(), text.size(), /*ignore_ws=*/false);
    out = to_string(decoded.data(), decoded.size());
  } catch (const std::exception& e) {
    return fail(Errc::invalid_input, std::string("invalid base64: ") + e.what());
  }
  // Only the canonical encoding is accepted, so that one value has one text form.
  if (base64_encode(out) != text) {
    return fail(Errc::invalid_input, "invalid base64: not in canonical form");
  }
  return out;
}

std::string hex_encode(std::string_view bytes) { return Botan::hex_encode(bytes_of(bytes), bytes.size(), false); }

Result<std::string> hex_decode(std::string_view text) {
  if (text.size() % 2 != 0) {
    return fail(Errc::invalid_input, "invalid hex: odd length");
  }
  for (char c : text) {
    bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!ok) {
      return fail(Errc::invalid_input, "invalid hex: unexpected character");
    }
  }
  auto decoded = Botan::hex_decode(text.data(), text.size(), false);
  return to_string(decoded.data(), decoded.size());
}

std::string random_bytes(std::size_t count) {
  std::string out(count, '\0');
  Botan::system_rng().randomize(reinterpret_cast<std::uint8_t*>(out.data()), out.size());
  return out;
}

namespace {

/// Botan takes either the 32-byte seed (and derives the public key, a scalar multiplication) or
/// the 64-byte seed || public key of RFC 8032 5.1.5.
Botan::Ed25519_PrivateKey private_key_from_seed(std::string_view seed, std::string_view public_key = {}) {
  if (seed.size() != kEd25519SeedSize) {
    throw std::invalid_argument("ed25519 seed must be 32 bytes");
  }
  Botan::secure_vector<std::uint8_t> secret(bytes_of(seed), bytes_of(seed) + seed.size());
  if (public_key.size() == kEd25519PublicKeySize) {
    secret.insert(secret.end(), bytes_of(public_key), bytes_of(public_key) + public_key.size());
  }
  return Botan::Ed25519_PrivateKey(secret);
}

}  // namespace

std::string ed25519_public_key(std::string_view seed) {
  auto key = private_key_from_seed(seed);
  const auto& pub = key.get_public_key();
  return to_string(pub.data(), pub.size());
}

std::string ed25519_sign(std::string_view seed, std::string_view message, std::string_view public_key) {
  auto key = private_key_from_seed(seed, public_key);
  // Ed25519 signing is deterministic (RFC 8032 section 5.1.6); the RNG is not consulted.
  Botan::PK_Signer signer(key, Botan::system_rng(), "Pure");
  auto sig = signer.sign_message(bytes_of(message), message.size(), Botan::system_rng());
  return to_string(sig.data(), sig.size());
}

bool ed25519_verify(std::string_view public_key, std::string_view message, std::string_view signature) {
  if (public_key.size() != kEd25519PublicKeySize || signature.size() != kEd25519SignatureSize) {
    return false;
  }
  try {
    Botan::Ed25519_PublicKey key(bytes_of(public_key), public_key.size());
    Botan::PK_Verifier verifier(key, "Pure");
    return verifier.verify_message(bytes_of(message), message.size(), bytes_of(signature), signature.size());
  } catch (const std::exception&) {
    return false;
  }
}

namespace {

constexpr std::array<std::uint32_t, 256> make_crc32c_table() {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k) {
      c = (c & 1U) ? (0x82F63B78U ^ (c >> 1)) : (c >> 1);
    }
    table[i] = c;
  }
  return table;
}

constexpr auto kCrc32cTable = make_crc32c_table();

// Both forms take and return the register as the algorithm keeps it (pre- and post-inverted
// by the caller).
std::uint32_t crc32c_bytes(std::string_view data, std::uint32_t c) {
  for (unsigned char byte : data) c = kCrc32cTable[(c ^ byte) & 0xFFU] ^ (c >> 8);
  return c;
}

#if defined(__x86_64__)
// SSE4.2's CRC32 instruction computes exactly this polynomial (reflected 0x1EDC6F41), eight
// octets at a time: the journal frames ~13 KB of entries per decided change, and the table
// walk was ~3% of the authority thread under load.
__attribute__((target("sse4.2"))) std::uint32_t crc32c_sse42(std::string_view data, std::uint32_t c) {
  const char* p = data.data();
  std::size_t n = data.size();
  std::uint64_t wide = c;
  for (; n >= 8; p += 8, n -= 8) {
    std::uint64_t word;
    std::memcpy(&word, p, 8);
    wide = _mm_crc32_u64(wide, word);
  }
  c = static_cast<std::uint32_t>(wide);
  for (; n > 0; ++p, --n) c = _mm_crc32_u8(c, static_cast<unsigned char>(*p));
  return c;
}

bool have_sse42() {
  static const bool have = __builtin_cpu_supports("sse4.2");
  return have;
}
#endif

}  // namespace

std::uint32_t crc32c(std::string_view data, std::uint32_t crc) {
#if defined(__x86_64__)
  if (have_sse42()) return ~crc32c_sse42(data, ~crc);
#endif
  return ~crc32c_bytes(data, ~crc);
}

std::uint32_t crc32c_portable(std::string_view data, std::uint32_t crc) { return ~crc32c_bytes(data, ~crc); }

}  // namespace rootgov::authority::crypto
