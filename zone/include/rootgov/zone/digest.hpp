// rootgov/zone/digest.hpp - an incrementally maintained digest of a zone's data.
//
// The audit log records a digest of the zone after every implemented change, and replay must
// reproduce it. A full hash of a 1,000,000-TLD zone per change would make each change cost as
// much as the zone, so the digest is a sum: every node's data (owner and RRsets except the
// DNSSEC records RRSIG, NSEC, NSEC3, NSEC3PARAM and ZONEMD, which depend on keys) is hashed
// with SHA-256 (DNSKEY excluded too: the signer owns it), read as a 256-bit integer, and the node hashes are added modulo 2^256. A
// change updates the sum for the names it touched. This is a consistency check for replay,
// not a commitment against an adversary who chooses zone contents; ZONEMD (RFC 8976) is the
// cryptographic digest of a published zone.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include <rootgov/zone/name.hpp>
#include <rootgov/zone/zone.hpp>

namespace rootgov::zone {

class ZoneDigest {
 public:
  /// The digest of a whole zone.
  static ZoneDigest of(const Zone& zone);

  using Hash = std::array<std::uint8_t, 32>;

  /// Replaces the contribution of `owner`: `before` is the node_hash() of the node as it was
  /// (nullptr if absent), so a caller keeps 32 octets of a node it is about to change, not a
  /// copy of it; `after` is the node as it is now (nullptr if removed).
  void replace(const Name& owner, const Hash* before, const Node* after);

  /// 64 hex digits.
  std::string hex() const;
  bool operator==(const ZoneDigest& other) const = default;

  /// The SHA-256 of one node's data, as summed.
  static Hash node_hash(const Name& owner, const Node& node);

 private:
  void add(const std::array<std::uint8_t, 32>& h);
  void subtract(const std::array<std::uint8_t, 32>& h);
  std::array<std::uint8_t, 32> m_sum{};  // big-endian 256-bit integer
};

}  // namespace rootgov::zone
