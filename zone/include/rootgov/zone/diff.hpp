// rootgov/zone/diff.hpp - the RRset-level difference between two zones.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <rootgov/zone/rr.hpp>
#include <rootgov/zone/zone.hpp>

namespace rootgov::zone {

/// One RRset that differs between two zones (RRSIGs are not compared: a signature is not
/// content). `before` is empty for an added RRset, `after` for a removed one.
struct RRsetChange {
  enum class Kind { added, removed, changed };
  Kind kind = Kind::changed;
  Name owner;
  RrType type = 0;
  std::optional<RRset> before;
  std::optional<RRset> after;
};

struct DiffOptions {
  /// Also compare DNSSEC records (DNSKEY, NSEC, NSEC3, NSEC3PARAM, ZONEMD); RRSIGs never.
  bool include_dnssec = false;
};

/// Every added, removed and changed RRset (RDATA or TTL), in canonical order of owner, then
/// type. Cost: one merged walk over both zones.
std::vector<RRsetChange> diff_zones(const Zone& before, const Zone& after, const DiffOptions& options = {});

/// Text rendering, IXFR style: for each change "-" lines for records that went and "+" lines
/// for records that came, each in the canonical one-record-per-line form of to_text.
std::string diff_to_text(const std::vector<RRsetChange>& changes);

/// What the changes mean for a root zone, one line each in the change kinds of DESIGN.md
/// section 3: "delegate 'foo.'", "revoke 'bar.'", "ns-update 'com.'", "ds-update 'org.'",
/// "glue 'a.nic.uk.'", "root-update SOA".
std::vector<std::string> summarize_diff(const std::vector<RRsetChange>& changes);

}  // namespace rootgov::zone
