// rootgov/zone/check.hpp - offline technical checks of a root zone and of proposed changes.
//
// Every check collects all its findings (severity, line when from a file, rule id, message)
// and takes the time as a parameter, as Knot's semantic checks do. Rule ids are stable: tests,
// labs and `rootgov zone check --json` rely on them.
#pragma once

#include <cstdint>
#include <vector>

#include <rootgov/zone/finding.hpp>
#include <rootgov/zone/root_zone.hpp>
#include <rootgov/zone/zone.hpp>

namespace rootgov::zone {

struct CheckOptions {
  std::uint32_t now = 0;        ///< seconds since the epoch; 0 = skip time-dependent checks
  bool dnssec = true;           ///< verify RRSIGs / ZONEMD when present
};

/// The whole-zone checks: soa-missing, soa-duplicate, ns-count, ns-same-address,
/// name-invalid, hostname-invalid, glue-missing, glue-address, glue-prohibited,
/// data-at-delegation, ds-algorithm, ds-digest-type, ds-digest-length, ttl-range,
/// referral-size, zonemd (see docs/design/zone-checks.md for each rule and its source).
Findings check_zone(const Zone& zone, const CheckOptions& options = {});

/// The checks that concern one delegation (IANA's offline technical checks 1, 2, 9, 10 and
/// the DS rules), for a proposed delegation in the context of `zone` (for shared hosts).
Findings check_delegation(const RootZone& zone, const Delegation& proposed, const std::vector<Host>& hosts);

}  // namespace rootgov::zone
