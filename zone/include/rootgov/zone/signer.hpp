// rootgov/zone/signer.hpp - DNSSEC signing of a Zone: full and incremental (NSEC, RFC 4033-4035).
//
// What is signed (RFC 4035 section 2): every authoritative RRset at the apex and at names that
// are neither delegation points nor below one; at delegation points only DS and NSEC. Names
// below a delegation point (glue) are neither signed nor in the NSEC chain; NS at a delegation
// point is not signed. Per algorithm among the keys, the KSKs (SEP flag) sign the DNSKEY RRset
// and the ZSKs everything else; when one role is missing for an algorithm, the keys of the
// other role take it (as ldns-signzone does).
//
// TTLs: RRSIG TTL = the covered RRset's TTL (= original TTL field); NSEC TTL = min(SOA TTL,
// SOA minimum) (RFC 4035 section 2.3 as updated by RFC 9077); the DNSKEY RRset keeps the TTL
// of the DNSKEY RRset already in the zone, or takes the SOA minimum when there is none.
//
// Determinism: with the same zone, keys and SignOptions, RSASHA256 and ED25519 output is
// identical byte for byte (PKCS#1 v1.5 and Ed25519 are deterministic); ECDSAP256SHA256
// signatures from libcrypto 3.0 are randomized, everything else is identical.
#pragma once

#include <cstdint>
#include <filesystem>
#include <set>
#include <span>

#include <rootgov/common/result.hpp>
#include <rootgov/zone/dnssec_key.hpp>
#include <rootgov/zone/name.hpp>
#include <rootgov/zone/zone.hpp>

namespace rootgov::zone {

struct SignOptions {
  /// Signature validity (RFC 4034 section 3.1.5), seconds since 1970 UTC. When 0, derived
  /// from `now`: inception = now - 1 hour, expiration = now + 30 days.
  std::uint32_t inception = 0;
  std::uint32_t expiration = 0;
  /// The signing time; must be set (nonzero) unless both inception and expiration are.
  std::uint32_t now = 0;
  /// Worker threads for signing; 0 = hardware concurrency.
  unsigned threads = 0;
  /// Add a ZONEMD record (RFC 8976, scheme 1 SIMPLE, hash 2 SHA-384) and sign it.
  bool zonemd = false;
  /// Replace the DNSKEY RRset with the signing keys' DNSKEYs (true), or keep the existing
  /// DNSKEY records and add the signing keys' (false: pre-published keys in a rollover).
  bool replace_dnskey = true;
};

/// What a signing run did, with its phase times (seconds, wall clock).
struct SignStats {
  std::size_t signatures = 0;    ///< RRSIG records made
  std::size_t nsec_records = 0;  ///< NSEC records (re)written
  double prepare_seconds = 0;    ///< stripping, DNSKEY, the NSEC chain's order
  double sign_seconds = 0;       ///< NSEC records and signatures (parallel)
  double zonemd_seconds = 0;     ///< ZONEMD digest and its signature
};

/// Signs the whole zone in place: drops existing RRSIG, NSEC, NSEC3, NSEC3PARAM and ZONEMD,
/// sets the DNSKEY RRset (see SignOptions::replace_dnskey), builds the NSEC chain and signs.
/// Errors: invalid_input (no keys, key owner is not the zone origin, no SOA at the apex, no
/// signing time, inception after expiration), internal (a crypto failure).
Result<SignStats> sign_zone(Zone& zone, std::span<const DnssecKey> keys, const SignOptions& options);

/// Incremental re-sign of a zone that was signed by sign_zone (or resign) with the same keys
/// and options, after the RRsets at `changed_names` changed (added, modified or removed, as in
/// RootZone::apply's AppliedChange::changed_names). Re-signs the RRsets at the changed names
/// (and at names below a changed name, whose status may flip between glue and authoritative),
/// rewrites the NSEC records of those names and of their chain predecessors (insertions into
/// and removals from the chain), and always re-signs the apex (SOA). A set at a revisited name
/// whose RRSIGs are current (one per signing key, its TTL, these times) is kept as it is: the
/// apex NS and DNSKEY after a DS change, an NSEC whose data did not change. Precondition for
/// that: whatever changed an RRset's data or TTL dropped its RRSIGs (RootZone::apply and
/// Zone::put of an unsigned set do). Cost is proportional to
/// the change, except with options.zonemd: the ZONEMD digest covers the whole zone (one
/// SHA-384 pass, about 1 ms per 10,000 records).
/// Postcondition: the zone equals sign_zone of the same content with the same keys and options
/// (byte for byte for RSASHA256 and ED25519).
Result<SignStats> resign(Zone& zone, const std::set<Name>& changed_names, std::span<const DnssecKey> keys,
                         const SignOptions& options);

/// Writes exactly to_text(zone) to `path`, formatting chunks of about 128 KiB on `threads`
/// threads (0 = cores) while earlier chunks are written, so memory stays bounded and the
/// signed zone is never held twice. No fsync: for durable publication use write_file.
/// Errors: io.
Result<void> write_zone_text(const Zone& zone, const std::filesystem::path& path, unsigned threads = 0);

}  // namespace rootgov::zone
