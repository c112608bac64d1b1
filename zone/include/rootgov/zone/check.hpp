// rootgov/zone/check.hpp - offline technical checks of a root zone and of proposed changes.
//
// Every check collects all its findings (severity, line when from a file, rule id, message)
// and takes the time as a parameter, as Knot's semantic checks do. Rule ids are stable: tests,
// labs and `rootgov zone check --json` rely on them. docs/design/zone-checks.md lists each rule
// with its source.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <rootgov/zone/finding.hpp>
#include <rootgov/zone/root_zone.hpp>
#include <rootgov/zone/zone.hpp>

namespace rootgov::zone {

struct CheckOptions {
  std::uint32_t now = 0;  ///< seconds since the epoch; 0 = skip time-dependent checks (RRSIG validity)
  bool dnssec = true;     ///< verify RRSIGs (only when `now` is set) and ZONEMD when present
};

/// The whole-zone checks. Rules (errors unless marked):
///   soa-missing, soa-duplicate            exactly one SOA at the apex (RFC 1035 section 5.2)
///   ns-count                              2..13 NS per delegation and at the apex (IANA check 1)
///   ns-same-address                       NS hosts must not all share one address (IANA check 1);
///                                         a warning when only some share
///   hostname-invalid                      NS targets are RFC 1123 section 2.1 host names (IANA check 2)
///   glue-missing                          an NS host below the delegation (or any apex NS host)
///                                         without A/AAAA (RFC 9471 section 3)
///   glue-prohibited                       glue in a prohibited range (IANA check 10)
///   glue-orphan (warning)                 address records below a cut that no NS names
///   data-at-delegation                    CNAME or other data beside NS/DS at a cut (RFC 2181
///                                         section 10.1, RFC 4035 section 2.2)
///   data-outside-delegation               root zone data that is neither apex nor below a cut
///   cname-and-other-data                  CNAME beside other data (RFC 1034 section 3.6.2)
///   ds-algorithm                          DS algorithm unassigned, reserved or MUST NOT (RFC 8624
///                                         section 3.1); a warning for NOT RECOMMENDED ones
///   ds-digest-type, ds-digest-length      RFC 4034 section 5.1, RFC 4509, RFC 5933, RFC 6605
///   ttl-range                             TTL above 2^31-1 (RFC 2181 section 8)
///   referral-size                         a referral for a 255-octet query name with all NS
///                                         exceeds 512 octets (IANA check 9); a warning when only
///                                         one A plus one AAAA glue record makes it exceed 512
///                                         (Zonemaster DELEGATION03's severity; .com and .net do)
///   verify_zone's and verify_zonemd's rules (rrsig-*, nsec-*, zonemd-*) when options.dnssec
/// "name-invalid" comes from parsing: see refine_parse_findings.
Findings check_zone(const Zone& zone, const CheckOptions& options = {});

/// The checks that concern one delegation (IANA's offline technical checks 1, 2, 9, 10 and the
/// DS rules) for a proposed delegation. `hosts` gives the glue of the NS hosts as proposed
/// (a Host without addresses means "no glue"); hosts not listed are looked up in `zone`.
Findings check_delegation(const RootZone& zone, const Delegation& proposed, const std::vector<Host>& hosts);

/// Renames the parser's "parse" findings that are about names to rule "name-invalid" (a label
/// over 63 octets or a name over 255 octets, RFC 1035 section 2.3.4), with a message naming
/// the name. `text` is the master file the findings came from (their lines index into it).
void refine_parse_findings(Findings& findings, std::string_view text);

/// When `address` (A or AAAA RDATA: 4 or 16 octets) lies in a range that must not serve as
/// name-server glue, the range and its source ("10.0.0.0/8 (private use, RFC 1918)"); nullopt
/// otherwise (IANA check 10).
std::optional<std::string> prohibited_range(const Rdata& address);

/// The size in octets of a non-EDNS referral for a 255-octet query name below `cut`, with the
/// whole NS RRset of `ns` in the authority section and, when the flags say so, one A and one
/// AAAA glue record (owned by a name of `ns`) in the additional section; names compressed as a
/// server does (RFC 1035 section 4.1.4).
std::size_t referral_size(const Name& cut, std::span<const Name> ns, bool with_a, bool with_aaaa);

/// The length a DS digest of `digest_type` must have, or nullopt for an unknown type.
std::optional<std::size_t> ds_digest_length(std::uint8_t digest_type);

}  // namespace rootgov::zone
