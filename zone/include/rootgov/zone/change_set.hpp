// rootgov/zone/change_set.hpp - zone changes as values.
//
// A ChangeSet is an ordered list of operations on a root zone. The six change kinds of
// DESIGN.md section 3 are built by the named constructors below; the authority maps its
// requests onto them. ChangeSets are plain data: applying one is RootZone::apply.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <rootgov/zone/name.hpp>
#include <rootgov/zone/rr.hpp>

namespace rootgov::zone {

/// A name server as a request names it: host name plus the glue addresses it wants for it
/// (empty: the host is out of the root's TLDs, or keeps the glue it has).
struct NsHost {
  Name name;
  std::vector<std::string> addresses;  ///< presentation form, IPv4 or IPv6
};

/// Timers of the root SOA that a root-update may change (RFC 1035 section 3.3.13).
struct SoaTimers {
  std::uint32_t refresh = 1800;
  std::uint32_t retry = 900;
  std::uint32_t expire = 604800;
  std::uint32_t minimum = 86400;
};

namespace op {
/// Sets a TLD's whole NS set (creating the delegation when `create` is true).
struct SetNs {
  Name tld;
  std::vector<NsHost> ns;
  bool create = false;
};
/// Sets a TLD's whole DS set; empty removes every DS.
struct SetDs {
  Name tld;
  std::vector<DsData> ds;
};
/// Removes a delegation with its DS set; its glue goes when no other TLD uses the hosts.
struct RemoveDelegation {
  Name tld;
};
/// Sets the root's own NS set (with glue for the root servers).
struct SetRootNs {
  std::vector<NsHost> ns;
};
/// Sets the apex DNSKEY set (KSK roll, ZSK roll): DNSKEY RDATA in wire form.
struct SetDnskeys {
  std::vector<Rdata> dnskeys;
};
struct SetSoaTimers {
  SoaTimers timers;
};
}  // namespace op

using Operation = std::variant<op::SetNs, op::SetDs, op::RemoveDelegation, op::SetRootNs, op::SetDnskeys, op::SetSoaTimers>;

struct ChangeSet {
  std::vector<Operation> operations;

  /// ns-update: the full new NS set with glue.
  static ChangeSet ns_update(Name tld, std::vector<NsHost> ns);
  /// ds-update: the whole desired DS set (empty = remove all).
  static ChangeSet ds_update(Name tld, std::vector<DsData> ds);
  /// delegate: a new TLD with NS (and optional DS).
  static ChangeSet delegate(Name tld, std::vector<NsHost> ns, std::vector<DsData> ds);
  /// revoke: remove a TLD.
  static ChangeSet revoke(Name tld);
  bool empty() const { return operations.empty(); }
};

/// Parses "TAG ALG DIGESTTYPE HEX" (the CLI's --ds form) into DS data.
std::optional<DsData> parse_ds_text(std::string_view text);
/// Parses "HOST[=IP[,IP...]]" (the CLI's --ns form).
std::optional<NsHost> parse_ns_text(std::string_view text);

/// Human-readable lines describing a change set ("set NS of 'br.' to a.dns.br., b.dns.br.").
std::vector<std::string> describe(const ChangeSet& change);

}  // namespace rootgov::zone
