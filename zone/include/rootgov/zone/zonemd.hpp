// rootgov/zone/zonemd.hpp - ZONEMD message digests (RFC 8976).
#pragma once

#include <cstdint>
#include <string>

#include <rootgov/zone/finding.hpp>
#include <rootgov/zone/rr.hpp>
#include <rootgov/zone/zone.hpp>

namespace rootgov::zone {

inline constexpr std::uint8_t kZonemdSchemeSimple = 1;  // RFC 8976 section 2.2.2
inline constexpr std::uint8_t kZonemdHashSha384 = 1;    // RFC 8976 section 2.2.3
inline constexpr std::uint8_t kZonemdHashSha512 = 2;

/// The SIMPLE-scheme digest of `zone` (RFC 8976 section 3.3): every RR in canonical order and
/// canonical wire form (RFC 4034 section 6), glue and occluded data included, except the apex
/// ZONEMD RRs and the apex RRSIGs that cover ZONEMD. `hash` is kZonemdHashSha384 or
/// kZonemdHashSha512; returns the raw digest (48 or 64 octets), empty for another hash.
std::string zonemd_digest(const Zone& zone, std::uint8_t hash = kZonemdHashSha384);

/// ZONEMD RDATA: serial, scheme, hash algorithm, digest (RFC 8976 section 2.2).
Rdata make_zonemd(std::uint32_t serial, std::uint8_t scheme, std::uint8_t hash, std::string_view digest);

/// Verifies the apex ZONEMD RRset when present (RFC 8976 section 4): at least one record with
/// scheme SIMPLE, a supported hash and the SOA serial must match the computed digest. Returns
/// no findings when the zone has no ZONEMD or it verifies; otherwise findings with rule
/// "zonemd-mismatch", "zonemd-serial" or "zonemd-unsupported" (warning).
Findings verify_zonemd(const Zone& zone);

}  // namespace rootgov::zone
