// zone/src/dnssec_crypto.hpp - the crypto libraries behind DnssecKey: the one place EVP types
// are owned (STYLE.md rule 4). OpenSSL libcrypto parses, generates and verifies keys and signs
// RSA and ECDSA; nettle (hogweed) makes Ed25519 signatures (cheaper per signature, measured in
// docs/design/signer.md). Not a public header.
#pragma once

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include <rootgov/zone/dnssec_key.hpp>

namespace rootgov::zone::detail {

struct PkeyDeleter {
  void operator()(EVP_PKEY* p) const noexcept { EVP_PKEY_free(p); }
};
struct PkeyCtxDeleter {
  void operator()(EVP_PKEY_CTX* p) const noexcept { EVP_PKEY_CTX_free(p); }
};
struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* p) const noexcept { EVP_MD_CTX_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxDeleter>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;

/// Ed25519 key bytes kept next to the EVP key for nettle: the 32-octet private seed and the
/// public key, derived once per key (RFC 8032 section 5.1.5). Wiped on destruction.
struct Ed25519Raw {
  std::array<std::uint8_t, 32> seed{};
  std::array<std::uint8_t, 32> pub{};
  Ed25519Raw() = default;
  Ed25519Raw(const Ed25519Raw&) = delete;
  Ed25519Raw& operator=(const Ed25519Raw&) = delete;
  ~Ed25519Raw() { OPENSSL_cleanse(seed.data(), seed.size()); }
};

/// Signing state for one key used by one thread. Not thread-safe; make one per thread.
/// RSA and ECDSA hash with SHA-256 and sign the digest through a reused EVP_PKEY_CTX; Ed25519
/// signs the message (RFC 8080) with nettle from the key's precomputed raw bytes. The key must
/// outlive the context.
class SignContext {
 public:
  /// `private_copy`: sign with a copy of the key object (for several threads at once: see
  /// m_pkey). false shares the key's own object, so state libcrypto caches on it (RSA blinding,
  /// whose setup costs about a quarter of an RSA-2048 signature) outlives this context: the
  /// choice for a single thread signing a few RRsets per call (incremental re-signing).
  explicit SignContext(const DnssecKey& key, bool private_copy = true);
  /// Appends the DNSSEC wire-form signature of `data` to `out`. False on a crypto failure.
  bool sign(std::string_view data, std::string& out);

 private:
  bool hash(std::string_view data, unsigned char* md);

  DnssecAlgorithm m_algorithm;
  const Ed25519Raw* m_ed25519 = nullptr;  // the key's raw bytes (Ed25519 only)
  // A private copy of the key (or the shared one, see the constructor): RSA blinding state and
  // EC precomputation are per key object, and sharing one key between threads serializes them
  // on a lock inside libcrypto.
  PkeyPtr m_pkey;
  PkeyCtxPtr m_pctx;
  MdCtxPtr m_hash;
  EVP_MD* m_sha256 = nullptr;  // fetched once: implicit fetches per call are slow in 3.0
  std::string m_der;

 public:
  ~SignContext();
  SignContext(const SignContext&) = delete;
  SignContext& operator=(const SignContext&) = delete;
};

/// Public key parsed from DNSKEY RDATA, for verification. Thread-safe (const use only).
class VerifyKey {
 public:
  static std::unique_ptr<VerifyKey> from_dnskey(std::string_view dnskey_rdata);
  bool verify(std::string_view data, std::string_view signature) const;
  DnssecAlgorithm algorithm() const { return m_algorithm; }

 private:
  DnssecAlgorithm m_algorithm = DnssecAlgorithm::ed25519;
  PkeyPtr m_pkey;
};

}  // namespace rootgov::zone::detail

namespace rootgov::zone {
struct DnssecKey::Impl {
  Name owner;
  DnssecAlgorithm algorithm = DnssecAlgorithm::ed25519;
  std::uint16_t flags = 0;
  std::uint16_t key_tag = 0;
  Rdata dnskey;
  detail::PkeyPtr pkey;
  std::unique_ptr<detail::Ed25519Raw> ed25519;  // Ed25519 keys only
  // A signing context over the shared key object, kept between calls: setting one up (digest
  // fetch, key context, sign init) cost as much as an ECDSA signature, and an incremental
  // re-sign makes a couple of signatures per call. One user at a time (see SharedSignContext).
  mutable std::mutex shared_context_mutex;
  mutable std::unique_ptr<detail::SignContext> shared_context;
};

namespace detail {
/// Borrows the key's kept context when no other thread holds it, or makes a private one for
/// the duration otherwise; either way `get()` signs with `key` and is this thread's alone.
class SharedSignContext {
 public:
  explicit SharedSignContext(const DnssecKey& key);
  SharedSignContext(const SharedSignContext&) = delete;
  SharedSignContext& operator=(const SharedSignContext&) = delete;
  SignContext& get() { return m_own ? *m_own : *m_borrowed; }

 private:
  std::unique_lock<std::mutex> m_lock;
  SignContext* m_borrowed = nullptr;
  std::unique_ptr<SignContext> m_own;
};
}  // namespace detail
}  // namespace rootgov::zone
