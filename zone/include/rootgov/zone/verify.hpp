// rootgov/zone/verify.hpp - DNSSEC verification of a signed zone (RFC 4035 section 5).
#pragma once

#include <cstdint>

#include <rootgov/zone/finding.hpp>
#include <rootgov/zone/zone.hpp>

namespace rootgov::zone {

struct VerifyOptions {
  /// The time at which signatures must be valid, seconds since 1970 UTC (compared in serial
  /// number arithmetic, RFC 4034 section 3.1.5).
  std::uint32_t now = 0;
  /// Worker threads for signature checks; 0 = hardware concurrency.
  unsigned threads = 0;
};

/// Checks a signed zone with its own apex DNSKEY RRset and collects every problem:
///  - each RRSIG: a zone key with its tag and algorithm exists, signer is the origin, labels
///    fit the owner, `now` lies within inception..expiration, the signature verifies
///    (rules "rrsig-no-key", "rrsig-signer", "rrsig-labels", "rrsig-expired",
///    "rrsig-not-yet-valid", "rrsig-invalid");
///  - every RRset that must be signed has a valid RRSIG ("rrsig-missing"), and the DNSKEY
///    RRset is signed by each algorithm it holds;
///  - the NSEC chain covers exactly the apex and the authoritative names and delegation
///    points in canonical order, wrapping to the apex, and each type bitmap matches the node
///    ("nsec-missing", "nsec-next", "nsec-bitmap", "nsec-extra");
///  - ZONEMD when present (verify_zonemd).
/// No findings means the zone verifies. "dnskey-missing" when the apex has no DNSKEY.
Findings verify_zone(const Zone& zone, const VerifyOptions& options);

}  // namespace rootgov::zone
