// zone/src/root_zone.cpp - the typed root-zone model and its validate-then-commit transaction.
#include <rootgov/zone/root_zone.hpp>

#include <algorithm>
#include <chrono>
#include <type_traits>

#include <rootgov/zone/check.hpp>

namespace rootgov::zone {
namespace {

constexpr std::uint32_t kDefaultNsTtl = 172800;
constexpr std::uint32_t kDefaultDsTtl = 86400;
constexpr std::uint32_t kDefaultDnskeyTtl = 172800;
constexpr std::uint32_t kMaxTimer = 0x7fffffffu;

bool is_tld(const Name& n) { return n.label_count() == 1; }
std::string q(const Name& n) { return "'" + n.to_string() + "'"; }

Finding error(const char* rule, std::string message, const Name& owner) {
  return {Severity::error, rule, std::move(message), 0, owner.to_string()};
}

std::vector<Name> names_of(const RRset* ns) {
  std::vector<Name> out;
  if (ns == nullptr) return out;
  for (const auto& rd : ns->rdatas) {
    if (auto n = parse_name_rdata(rd)) out.push_back(std::move(*n));
  }
  return out;
}

void canonical(std::vector<Rdata>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

}  // namespace

// The scratch state of one change: the new contents of the touched names and the host-index
// delta. Nothing here points into m_zone, so dropping it is the rollback.
struct RootZone::Staged {
  struct UserDelta {
    std::set<Name> added;
    std::set<Name> removed;
  };
  std::map<Name, std::optional<Node>> nodes;  // touched name -> new node (nullopt: removed)
  std::map<Name, UserDelta> users;            // touched host -> change of its users
  std::set<Name> glue_changed;
  std::set<Name> recheck;  // TLDs whose delegation must be checked
  bool recheck_root = false;
  std::vector<Name> revoked;
  Findings findings;
};

std::uint32_t next_serial(std::uint32_t old, std::int64_t today_days) {
  using namespace std::chrono;
  year_month_day ymd{sys_days{days{today_days}}};
  auto y = static_cast<int>(ymd.year());
  std::uint64_t dated = 0;
  if (y >= 1970 && y <= 4293) {
    dated = (static_cast<std::uint64_t>(y) * 10000 + static_cast<unsigned>(ymd.month()) * 100 +
             static_cast<unsigned>(ymd.day())) *
            100;
  }
  if (dated > old && dated <= 0xffffffffu) return static_cast<std::uint32_t>(dated);
  return old + 1;  // unsigned: 4294967295 wraps to 0 (RFC 1982)
}

Result<RootZone, Findings> RootZone::from_zone(Zone zone) {
  Findings f;
  if (!zone.origin().is_root()) {
    f.push_back(error("not-root", "the zone's origin is " + q(zone.origin()) + ", not the root", zone.origin()));
    return std::unexpected(std::move(f));
  }
  const RRset* soa = zone.find(Name(), rrtype::kSoa);
  if (soa == nullptr) {
    f.push_back(error("soa-missing", "the root zone has no SOA record (RFC 1035 section 5.2)", Name()));
  } else if (soa->rdatas.size() != 1) {
    f.push_back(error("soa-duplicate", "the root zone has " + std::to_string(soa->rdatas.size()) + " SOA records", Name()));
  } else if (!parse_soa(soa->rdatas.front())) {
    f.push_back(error("soa-missing", "the root SOA record is malformed", Name()));
  }
  if (!f.empty()) return std::unexpected(std::move(f));
  RootZone r;
  r.m_zone = std::move(zone);
  r.m_zone.index_owners();  // an authority looks up ~35 owners per change in a zone it keeps
  for (const auto& [name, node] : r.m_zone.nodes()) {
    if (!name.is_root() && !is_tld(name)) continue;
    if (!name.is_root() && node.find(rrtype::kNs) != nullptr) ++r.m_tld_count;
    for (const auto& host : names_of(node.find(rrtype::kNs))) r.m_host_users[host].insert(name);
  }
  return r;
}

SoaData RootZone::soa() const {
  const RRset* s = m_zone.find(Name(), rrtype::kSoa);
  if (s == nullptr || s->rdatas.empty()) return {};
  return parse_soa(s->rdatas.front()).value_or(SoaData{});
}

std::vector<Name> RootZone::root_ns() const { return names_of(m_zone.find(Name(), rrtype::kNs)); }

std::vector<Name> RootZone::tlds() const {
  std::vector<Name> out;
  for (const auto& [name, node] : m_zone.nodes()) {
    if (is_tld(name) && node.find(rrtype::kNs) != nullptr) out.push_back(name);
  }
  return out;
}

std::optional<Delegation> RootZone::delegation(const Name& tld) const {
  if (!is_tld(tld)) return std::nullopt;
  const Node* node = m_zone.node(tld);
  const RRset* ns = node != nullptr ? node->find(rrtype::kNs) : nullptr;
  if (ns == nullptr) return std::nullopt;
  Delegation d;
  d.tld = tld;
  d.ns = names_of(ns);
  d.ns_ttl = ns->ttl;
  if (const RRset* ds = node->find(rrtype::kDs)) {
    d.ds_ttl = ds->ttl;
    for (const auto& rd : ds->rdatas) {
      if (auto p = parse_ds(rd)) d.ds.push_back(std::move(*p));
    }
  }
  return d;
}

bool RootZone::has_tld(const Name& tld) const {
  if (!is_tld(tld)) return false;
  const Node* node = m_zone.node(tld);
  return node != nullptr && node->find(rrtype::kNs) != nullptr;
}

std::optional<Host> RootZone::host(const Name& name) const {
  const Node* node = m_zone.node(name);
  if (node == nullptr) return std::nullopt;
  const RRset* a = node->find(rrtype::kA);
  const RRset* aaaa = node->find(rrtype::kAaaa);
  if (a == nullptr && aaaa == nullptr) return std::nullopt;
  Host h;
  h.name = name;
  if (a != nullptr) h.v4 = a->rdatas;
  if (aaaa != nullptr) h.v6 = aaaa->rdatas;
  h.ttl = a != nullptr ? a->ttl : aaaa->ttl;
  return h;
}

std::vector<Name> RootZone::tlds_using_host(const Name& host) const {
  std::vector<Name> out;
  auto it = m_host_users.find(host);
  if (it == m_host_users.end()) return out;
  for (const auto& t : it->second) {
    if (!t.is_root()) out.push_back(t);
  }
  return out;
}

RootZone::Staged RootZone::stage(const ChangeSet& change) const {
  Staged s;
  Findings& out = s.findings;

  auto node = [&](const Name& n) -> const Node* {
    if (auto it = s.nodes.find(n); it != s.nodes.end()) return it->second ? &*it->second : nullptr;
    return m_zone.node(n);
  };
  auto find = [&](const Name& n, RrType t) -> const RRset* {
    const Node* nd = node(n);
    return nd != nullptr ? nd->find(t) : nullptr;
  };
  auto edit = [&](const Name& n) -> std::optional<Node>& {
    auto it = s.nodes.find(n);
    if (it == s.nodes.end()) {
      const Node* base = m_zone.node(n);
      it = s.nodes.emplace(n, base != nullptr ? std::optional<Node>(*base) : std::optional<Node>(Node{})).first;
    } else if (!it->second) {
      it->second.emplace();
    }
    return it->second;
  };
  // Sets one RRset (empty `rdatas` removes it); stale RRSIGs go with a changed RRset.
  auto put = [&](const Name& n, RrType type, std::uint32_t ttl, std::vector<Rdata> rdatas) {
    canonical(rdatas);
    const RRset* current = find(n, type);
    if (current == nullptr && rdatas.empty()) return;
    if (current != nullptr && current->rdatas == rdatas && current->ttl == ttl) return;
    std::optional<Node>& nd = edit(n);
    auto& sets = nd->rrsets;
    auto it = std::lower_bound(sets.begin(), sets.end(), type, [](const RRset& r, RrType t) { return r.type < t; });
    if (rdatas.empty()) {
      sets.erase(it);
      if (sets.empty()) nd.reset();
      return;
    }
    if (it == sets.end() || it->type != type) it = sets.insert(it, RRset{n, type, ttl, {}, {}, 0});
    it->ttl = ttl;
    it->rdatas = std::move(rdatas);
    it->rrsigs.clear();
  };
  auto ttl_of = [&](const Name& n, RrType t, std::uint32_t fallback) {
    const RRset* r = find(n, t);
    return r != nullptr ? r->ttl : fallback;
  };
  auto tld_exists = [&](const Name& tld) { return is_tld(tld) && find(tld, rrtype::kNs) != nullptr; };
  auto base_users = [&](const Name& host) -> const std::set<Name>* {
    auto it = m_host_users.find(host);
    return it != m_host_users.end() ? &it->second : nullptr;
  };
  auto add_user = [&](const Name& host, const Name& user) {
    auto& d = s.users[host];
    if (d.removed.erase(user) != 0) return;
    const auto* b = base_users(host);
    if (b == nullptr || !b->contains(user)) d.added.insert(user);
  };
  auto remove_user = [&](const Name& host, const Name& user) {
    auto& d = s.users[host];
    if (d.added.erase(user) != 0) return;
    const auto* b = base_users(host);
    if (b != nullptr && b->contains(user)) d.removed.insert(user);
  };
  auto users_of = [&](const Name& host) {
    std::set<Name> u;
    if (const auto* b = base_users(host)) u = *b;
    if (auto it = s.users.find(host); it != s.users.end()) {
      for (const auto& r : it->second.removed) u.erase(r);
      u.insert(it->second.added.begin(), it->second.added.end());
    }
    return u;
  };
  auto user_count = [&](const Name& host) {
    const auto* b = base_users(host);
    std::size_t n = b != nullptr ? b->size() : 0;
    if (auto it = s.users.find(host); it != s.users.end()) n = n - it->second.removed.size() + it->second.added.size();
    return n;
  };

  // The NS set of `owner` (a TLD or the root) with the glue the request gives.
  auto set_ns = [&](const Name& owner, const std::vector<NsHost>& hosts) {
    std::map<Name, std::vector<std::string>> wanted;
    for (const auto& h : hosts) {
      auto& a = wanted[h.name];
      a.insert(a.end(), h.addresses.begin(), h.addresses.end());
    }
    std::vector<Name> old_targets = names_of(find(owner, rrtype::kNs));
    std::vector<Rdata> rdatas;
    for (const auto& [host, addrs] : wanted) rdatas.push_back(make_name_rdata(host));
    put(owner, rrtype::kNs, ttl_of(owner, rrtype::kNs, kDefaultNsTtl), std::move(rdatas));
    for (const auto& host : old_targets) {
      if (!wanted.contains(host)) remove_user(host, owner);
    }
    for (const auto& [host, addrs] : wanted) {
      add_user(host, owner);
      if (addrs.empty()) continue;
      std::vector<Rdata> v4;
      std::vector<Rdata> v6;
      bool bad = false;
      for (const auto& text : addrs) {
        RrType type = 0;
        auto rd = address_from_text(text, &type);
        if (!rd) {
          out.push_back(error("glue-address", "glue '" + text + "' of " + q(host) + " is not an IPv4 or IPv6 address", host));
          bad = true;
          continue;
        }
        (type == rrtype::kA ? v4 : v6).push_back(std::move(*rd));
      }
      if (bad) continue;
      Name host_tld = host.suffix(1);
      if (host.is_root() || !tld_exists(host_tld)) {
        out.push_back(error("glue-out-of-bailiwick",
                            "glue for " + q(host) + ", which lies under no TLD of the root zone; the root holds glue only for "
                            "hosts below its TLDs",
                            host));
        continue;
      }
      std::uint32_t ttl = ttl_of(host, rrtype::kA, ttl_of(host, rrtype::kAaaa, kDefaultNsTtl));
      put(host, rrtype::kA, ttl, std::move(v4));
      put(host, rrtype::kAaaa, ttl, std::move(v6));
      s.glue_changed.insert(host);
    }
  };

  for (const auto& operation : change.operations) {
    std::visit(
        [&](const auto& o) {
          using T = std::decay_t<decltype(o)>;
          if constexpr (std::is_same_v<T, op::SetNs> || std::is_same_v<T, op::SetDs> ||
                        std::is_same_v<T, op::RemoveDelegation>) {
            if (!is_tld(o.tld)) {
              out.push_back(error("tld-invalid", q(o.tld) + " is not a top-level domain", o.tld));
              return;
            }
            bool exists = tld_exists(o.tld);
            if constexpr (std::is_same_v<T, op::SetNs>) {
              if (o.create && exists) {
                out.push_back(error("tld-exists", "TLD " + q(o.tld) + " already exists", o.tld));
                return;
              }
              if (!o.create && !exists) {
                out.push_back(error("tld-missing", "no TLD " + q(o.tld) + " in the root zone", o.tld));
                return;
              }
              if (o.ns.empty()) {
                out.push_back(error("ns-count", "the NS set of " + q(o.tld) + " is empty; at least 2 are required", o.tld));
                return;
              }
              set_ns(o.tld, o.ns);
              s.recheck.insert(o.tld);
            } else {
              if (!exists) {
                out.push_back(error("tld-missing", "no TLD " + q(o.tld) + " in the root zone", o.tld));
                return;
              }
              if constexpr (std::is_same_v<T, op::SetDs>) {
                std::vector<Rdata> rdatas;
                for (const auto& ds : o.ds) rdatas.push_back(make_ds(ds));
                put(o.tld, rrtype::kDs, ttl_of(o.tld, rrtype::kDs, kDefaultDsTtl), std::move(rdatas));
                s.recheck.insert(o.tld);
              } else {
                for (const auto& host : names_of(find(o.tld, rrtype::kNs))) remove_user(host, o.tld);
                // The subtree follows the TLD in canonical order (RFC 4034 section 6.1).
                for (auto it = m_zone.nodes().lower_bound(o.tld); it != m_zone.nodes().end() && it->first.is_subdomain_of(o.tld);
                     ++it) {
                  s.nodes[it->first].reset();
                }
                for (auto& [n, nd] : s.nodes) {
                  if (n.is_subdomain_of(o.tld)) nd.reset();
                }
                s.recheck.erase(o.tld);
                s.revoked.push_back(o.tld);
              }
            }
          } else if constexpr (std::is_same_v<T, op::SetRootNs>) {
            if (o.ns.empty()) {
              out.push_back(error("ns-count", "the root NS set is empty; at least 2 are required", Name()));
              return;
            }
            set_ns(Name(), o.ns);
            s.recheck_root = true;
          } else if constexpr (std::is_same_v<T, op::SetDnskeys>) {
            bool ok = true;
            for (const auto& k : o.dnskeys) {
              // RFC 4034 section 2.1: flags (zone key bit 7 set), protocol 3, algorithm, key.
              bool valid = k.size() > 4 && (static_cast<std::uint8_t>(k[0]) & 0x01) != 0 && static_cast<std::uint8_t>(k[2]) == 3;
              if (!valid) {
                out.push_back(error("dnskey-invalid",
                                    "a DNSKEY is not a zone key with protocol 3 (RFC 4034 section 2.1)", Name()));
                ok = false;
              }
            }
            if (ok) put(Name(), rrtype::kDnskey, ttl_of(Name(), rrtype::kDnskey, kDefaultDnskeyTtl), o.dnskeys);
          } else if constexpr (std::is_same_v<T, op::SetSoaTimers>) {
            const auto& t = o.timers;
            for (auto [v, what] : {std::pair{t.refresh, "refresh"}, {t.retry, "retry"}, {t.expire, "expire"}, {t.minimum, "minimum"}}) {
              if (v == 0 || v > kMaxTimer) {
                out.push_back(error("soa-timers",
                                    std::string("SOA ") + what + " " + std::to_string(v) +
                                        " is outside 1..2147483647 (RFC 1035 section 3.3.13, RFC 2181 section 8)",
                                    Name()));
                return;
              }
            }
            if (t.expire <= t.refresh + t.retry) {
              out.push_back(error("soa-timers", "SOA expire must exceed refresh plus retry (RFC 1912 section 2.2)", Name()));
              return;
            }
            const RRset* soa_set = find(Name(), rrtype::kSoa);
            auto soa = parse_soa(soa_set->rdatas.front()).value_or(SoaData{});
            soa.refresh = t.refresh;
            soa.retry = t.retry;
            soa.expire = t.expire;
            soa.minimum = t.minimum;
            put(Name(), rrtype::kSoa, soa_set->ttl, {make_soa(soa)});
          }
        },
        operation);
  }

  // A revoked TLD's subtree is gone: none of its hosts may still serve another delegation.
  for (const auto& tld : s.revoked) {
    std::set<Name> hosts;
    for (auto it = m_host_users.lower_bound(tld); it != m_host_users.end() && it->first.is_subdomain_of(tld); ++it) {
      hosts.insert(it->first);
    }
    for (const auto& [h, d] : s.users) {
      if (h.is_subdomain_of(tld)) hosts.insert(h);
    }
    for (const auto& h : hosts) {
      for (const auto& user : users_of(h)) {
        out.push_back(error("host-in-use",
                            "TLD " + q(tld) + " cannot be removed: its name server " + q(h) + " also serves " +
                                (user.is_root() ? std::string("the root") : q(user)),
                            tld));
      }
    }
  }

  // Orphaned glue disappears (the wide glue policy keeps glue only for hosts in use).
  for (const auto& [host, d] : s.users) {
    if (user_count(host) != 0) continue;
    put(host, rrtype::kA, 0, {});
    put(host, rrtype::kAaaa, 0, {});
    s.glue_changed.erase(host);
  }

  // A host's glue is shared: every delegation using a changed host is checked again.
  for (const auto& host : s.glue_changed) {
    for (const auto& user : users_of(host)) {
      if (user.is_root()) {
        s.recheck_root = true;
      } else {
        s.recheck.insert(user);
      }
    }
  }
  auto staged_delegation = [&](const Name& owner, Delegation& d, std::vector<Host>& hosts) {
    d.tld = owner;
    d.ns = names_of(find(owner, rrtype::kNs));
    d.ns_ttl = ttl_of(owner, rrtype::kNs, kDefaultNsTtl);
    d.ds_ttl = ttl_of(owner, rrtype::kDs, kDefaultDsTtl);
    if (const RRset* ds = find(owner, rrtype::kDs)) {
      for (const auto& rd : ds->rdatas) {
        if (auto p = parse_ds(rd)) d.ds.push_back(std::move(*p));
      }
    }
    for (const auto& h : d.ns) {
      Host host;
      host.name = h;
      if (const RRset* a = find(h, rrtype::kA)) host.v4 = a->rdatas;
      if (const RRset* aaaa = find(h, rrtype::kAaaa)) host.v6 = aaaa->rdatas;
      hosts.push_back(std::move(host));
    }
  };
  for (const auto& tld : s.recheck) {
    if (!tld_exists(tld)) continue;
    Delegation d;
    std::vector<Host> hosts;
    staged_delegation(tld, d, hosts);
    Findings f = check_delegation(*this, d, hosts);
    out.insert(out.end(), f.begin(), f.end());
  }
  if (s.recheck_root) {
    Delegation d;
    std::vector<Host> hosts;
    staged_delegation(Name(), d, hosts);
    d.ds.clear();
    Findings f = check_delegation(*this, d, hosts);
    out.insert(out.end(), f.begin(), f.end());
  }
  return s;
}

Findings RootZone::check(const ChangeSet& change) const { return stage(change).findings; }

Result<AppliedChange, Findings> RootZone::apply(const ChangeSet& change, std::int64_t today_days) {
  Staged s = stage(change);
  if (has_errors(s.findings)) return std::unexpected(std::move(s.findings));

  AppliedChange result;
  // The SOA serial (RFC 1035 section 3.3.13), on top of any timer change.
  {
    auto it = s.nodes.find(Name());
    if (it == s.nodes.end()) it = s.nodes.emplace(Name(), *m_zone.node(Name())).first;
    Node& apex = *it->second;
    RRset* soa_set = apex.find(rrtype::kSoa);
    auto soa = parse_soa(soa_set->rdatas.front()).value_or(SoaData{});
    result.old_serial = soa.serial;
    soa.serial = next_serial(soa.serial, today_days);
    result.new_serial = soa.serial;
    soa_set->rdatas = {make_soa(soa)};
    soa_set->rrsigs.clear();
  }

  // Commit: nothing below can fail.
  for (auto& [name, nd] : s.nodes) {
    const Node* base = m_zone.node(name);
    if (is_tld(name)) {
      const bool before = base != nullptr && base->find(rrtype::kNs) != nullptr;
      const bool after = nd && nd->find(rrtype::kNs) != nullptr;
      if (before && !after) --m_tld_count;
      if (after && !before) ++m_tld_count;
    }
    if (!nd) {
      if (base != nullptr) {
        m_zone.remove_node(name);
        result.changed_names.insert(name);
      }
      continue;
    }
    if (base != nullptr && *base == *nd) continue;
    result.changed_names.insert(name);
    if (base != nullptr) {
      std::vector<RrType> gone;
      for (const auto& set : base->rrsets) {
        if (nd->find(set.type) == nullptr) gone.push_back(set.type);
      }
      for (RrType t : gone) m_zone.remove(name, t);
    }
    for (auto& set : nd->rrsets) {
      const RRset* old = base != nullptr ? base->find(set.type) : nullptr;
      if (old != nullptr && *old == set) continue;
      m_zone.put(std::move(set));
    }
  }
  for (auto& [host, d] : s.users) {
    if (d.added.empty() && d.removed.empty()) continue;
    auto& users = m_host_users[host];
    for (const auto& r : d.removed) users.erase(r);
    users.insert(d.added.begin(), d.added.end());
    if (users.empty()) m_host_users.erase(host);
  }
  for (auto& f : s.findings) result.warnings.push_back(std::move(f));
  return result;
}

}  // namespace rootgov::zone
