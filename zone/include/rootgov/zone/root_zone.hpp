// rootgov/zone/root_zone.hpp - the typed model of a root zone over a Zone.
//
// The apex (SOA, root NS set, DNSKEY set), delegations (TLD -> NS set, DS set, TTLs) and
// name-server hosts with their glue. Glue belongs to hosts, not to delegations (the root's
// wide glue policy, DESIGN.md section 4): a host's addresses are shared by every TLD that
// uses it. The model is a view kept in step with the zone it wraps: a change touches only the
// names it changes, so its cost does not grow with the zone.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <rootgov/common/result.hpp>
#include <rootgov/zone/change_set.hpp>
#include <rootgov/zone/finding.hpp>
#include <rootgov/zone/zone.hpp>

namespace rootgov::zone {

/// A name-server host and its glue addresses (A and AAAA RDATA).
struct Host {
  Name name;
  std::vector<Rdata> v4;
  std::vector<Rdata> v6;
  std::uint32_t ttl = 172800;
};

/// One TLD's delegation.
struct Delegation {
  Name tld;
  std::vector<Name> ns;        ///< canonical order
  std::vector<DsData> ds;      ///< empty when the TLD is unsigned
  std::uint32_t ns_ttl = 172800;
  std::uint32_t ds_ttl = 86400;
};

/// The result of a committed change: what the signer and the log need.
struct AppliedChange {
  std::uint32_t old_serial = 0;
  std::uint32_t new_serial = 0;
  std::set<Name> changed_names;   ///< every owner whose RRsets were added, changed or removed
  std::vector<Finding> warnings;  ///< non-blocking findings
};

class RootZone {
 public:
  /// Wraps a parsed zone; errors when it is not a root zone (origin ".", exactly one SOA).
  static Result<RootZone, Findings> from_zone(Zone zone);

  const Zone& zone() const { return m_zone; }
  /// Mutable access for the signer; callers keep the host index valid (only DNSSEC records).
  Zone& zone_for_signing() { return m_zone; }

  SoaData soa() const;
  std::vector<Name> root_ns() const;
  std::vector<Name> tlds() const;
  /// tlds().size() without walking the zone: kept in step by from_zone() and apply().
  std::size_t tld_count() const { return m_tld_count; }
  std::optional<Delegation> delegation(const Name& tld) const;
  /// delegation(tld).has_value() without building the delegation.
  bool has_tld(const Name& tld) const;
  std::optional<Host> host(const Name& name) const;
  /// The TLDs whose NS set names `host` (the root's own NS set is not listed).
  std::vector<Name> tlds_using_host(const Name& host) const;

  /// Validate-then-commit: applies every operation, in order, to a scratch copy of the touched
  /// names, runs the checks on every delegation the change touches (including the TLDs that
  /// share a host whose glue changes), and commits only when no error is found (STYLE.md rule
  /// 7). Glue belongs to hosts: setting a host's addresses changes them for every TLD using it;
  /// a host listed without addresses keeps its glue. Orphaned glue (a host no delegation uses
  /// any more) disappears. The SOA serial advances in YYYYMMDDNN style for `today_days` (days
  /// since 1970-01-01, from the caller's clock) and never goes backwards; an empty change only
  /// advances the serial. Stale RRSIGs of changed RRsets are dropped (the signer re-signs
  /// AppliedChange::changed_names). On error the zone is unchanged and every finding is
  /// returned. Refusals (rule ids): tld-invalid, tld-missing, tld-exists, host-in-use,
  /// glue-address, glue-out-of-bailiwick, dnskey-invalid, soa-timers, and every rule of
  /// check_delegation. Cost follows the touched names and the users of changed hosts, never
  /// the zone size.
  Result<AppliedChange, Findings> apply(const ChangeSet& change, std::int64_t today_days);

  /// Checks a change without applying it (the same findings apply() would give).
  Findings check(const ChangeSet& change) const;

 private:
  struct Staged;
  Staged stage(const ChangeSet& change) const;

  Zone m_zone;
  // INVARIANT: host -> the TLDs (and "." for the root NS set) whose NS set names it; no empty sets.
  std::map<Name, std::set<Name>> m_host_users;
  // INVARIANT: the number of TLD names that own an NS set (tlds().size()).
  std::size_t m_tld_count = 0;
};

/// Next SOA serial in YYYYMMDDNN style: today's date with NN=00, or old+1 when that is not
/// greater than `old` (so the serial never goes backwards; old = 4294967295 wraps to 0, which
/// RFC 1982 section 3.1 still counts as an increment).
std::uint32_t next_serial(std::uint32_t old, std::int64_t today_days);

}  // namespace rootgov::zone
