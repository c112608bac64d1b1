// rootgov/zone/dnssec_key.hpp - DNSSEC key pairs in BIND format (K<zone>+<alg>+<tag>).
//
// Keys are read from and written to the files ldns-keygen and dnssec-keygen make: a `.key`
// file holding the DNSKEY record and a `.private` file ("Private-key-format: v1.2/v1.3").
// The crypto backend (OpenSSL libcrypto) stays behind this header.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <rootgov/common/result.hpp>
#include <rootgov/zone/name.hpp>
#include <rootgov/zone/rr.hpp>

namespace rootgov::zone {

/// The DNSSEC algorithms rootgov signs with (IANA DNS Security Algorithm Numbers).
enum class DnssecAlgorithm : std::uint8_t {
  rsasha256 = 8,         ///< RFC 5702, PKCS#1 v1.5 with SHA-256
  ecdsap256sha256 = 13,  ///< RFC 6605, signatures as raw r||s
  ed25519 = 15,          ///< RFC 8080
};

/// "RSASHA256", "ECDSAP256SHA256", "ED25519".
std::string_view algorithm_mnemonic(DnssecAlgorithm algorithm);
/// Accepts the mnemonic (any case) or the number ("8", "13", "15").
std::optional<DnssecAlgorithm> algorithm_from_string(std::string_view text);
/// Whether `number` is one of the supported algorithms.
bool is_supported_algorithm(std::uint8_t number);

/// DNSKEY flags (RFC 4034 section 2.1.1).
inline constexpr std::uint16_t kDnskeyFlagZone = 0x0100;
inline constexpr std::uint16_t kDnskeyFlagSep = 0x0001;

/// The key tag of DNSKEY RDATA (RFC 4034 appendix B).
std::uint16_t compute_key_tag(std::string_view dnskey_rdata);
/// DS RDATA with digest type 2, SHA-256 (RFC 4509 section 2.1) for a DNSKEY owned by `owner`.
Rdata compute_ds(const Name& owner, std::string_view dnskey_rdata);

/// One DNSSEC key pair. Cheap to copy (shared, immutable); safe to use from many threads.
class DnssecKey {
 public:
  /// Reads `K<zone>+<alg>+<tag>.key` and `.private`; `path` may be either file or the prefix.
  /// Errors: io (unreadable), invalid_input (malformed file, unsupported algorithm, private and
  /// public halves that do not match).
  static Result<DnssecKey> load(const std::filesystem::path& path);
  /// The owner of the DNSKEY in `K<zone>+<alg>+<tag>.key` (`path` as for load), read without
  /// the private half: the zone a key is for, known before the key is loaded.
  static Result<Name> read_owner(const std::filesystem::path& path);
  /// Makes a new key pair. `bits` applies to RSA only (1024..4096).
  static Result<DnssecKey> generate(const Name& owner, DnssecAlgorithm algorithm, bool ksk, unsigned bits = 2048);

  /// Writes `<dir>/K<owner>+<alg>+<tag>.key/.private` (private file mode 0600, format v1.3,
  /// readable by ldns-signzone and dnssec-signzone). Returns the path prefix (without suffix).
  Result<std::filesystem::path> write(const std::filesystem::path& dir) const;

  const Name& owner() const;
  DnssecAlgorithm algorithm() const;
  std::uint16_t flags() const;
  /// SEP flag set (flags 257): signs the DNSKEY RRset.
  bool is_ksk() const { return (flags() & kDnskeyFlagSep) != 0; }
  std::uint16_t key_tag() const;
  /// DNSKEY RDATA (flags, protocol 3, algorithm, public key).
  const Rdata& dnskey() const;
  /// DS RDATA, SHA-256.
  Rdata ds() const { return compute_ds(owner(), dnskey()); }
  /// "K.+008+12345" style file-name prefix.
  std::string file_prefix() const;

  /// Signs `data` (RFC 4034 section 3.1.8.1 signed data) and returns the DNSSEC wire-form
  /// signature. Thread-safe; the signer uses its own per-thread contexts for speed.
  Result<std::string> sign(std::string_view data) const;

  struct Impl;  ///< backend state; defined in zone/src only
  const Impl& impl() const { return *m_impl; }

 private:
  explicit DnssecKey(std::shared_ptr<const Impl> impl) : m_impl(std::move(impl)) {}
  std::shared_ptr<const Impl> m_impl;
};

/// Generates a key and writes it to `dir`; returns the path prefix of the files.
Result<std::filesystem::path> generate_key(const std::filesystem::path& dir, const Name& origin,
                                           DnssecAlgorithm algorithm, bool ksk, unsigned bits = 2048);

/// Verifies `signature` (DNSSEC wire form) over `data` with the public key in DNSKEY RDATA.
/// False for bad signatures, unsupported algorithms and malformed keys.
bool verify_signature(std::string_view dnskey_rdata, std::string_view data, std::string_view signature);

}  // namespace rootgov::zone
