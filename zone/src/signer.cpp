// zone/src/signer.cpp - full and incremental NSEC signing over per-thread libcrypto contexts.
#include <rootgov/zone/signer.hpp>

#include <algorithm>
#include <chrono>
#include <memory>

#include <rootgov/zone/zonemd.hpp>

#include "dnssec_crypto.hpp"
#include "dnssec_internal.hpp"

namespace rootgov::zone {
namespace {

using detail::NodeKind;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// The nodes of a Zone are reachable only through a const map; the zone itself is not const
// here, so mutating a node in place is well defined and avoids a lookup per node.
Node& mutable_node(const Node& node) { return const_cast<Node&>(node); }

struct Times {
  std::uint32_t inception = 0;
  std::uint32_t expiration = 0;
};

Result<Times> signing_times(const SignOptions& o) {
  Times t;
  if (o.now == 0 && (o.inception == 0 || o.expiration == 0)) {
    return fail(Errc::invalid_input, "no signing time: set now, or both inception and expiration");
  }
  t.inception = o.inception != 0 ? o.inception : o.now - 3600;
  t.expiration = o.expiration != 0 ? o.expiration : o.now + 30u * 86400u;
  if (static_cast<std::int32_t>(t.expiration - t.inception) <= 0) {
    return fail(Errc::invalid_input, "signature inception is not before expiration");
  }
  return t;
}

// Which keys sign what: per algorithm, KSKs sign DNSKEY and ZSKs the rest; a missing role is
// taken by the other keys of that algorithm.
struct KeyPlan {
  std::vector<std::size_t> dnskey_signers;
  std::vector<std::size_t> data_signers;
};

Result<KeyPlan> plan_keys(const Zone& zone, std::span<const DnssecKey> keys) {
  if (keys.empty()) return fail(Errc::invalid_input, "no signing keys");
  KeyPlan plan;
  for (auto alg : {DnssecAlgorithm::rsasha256, DnssecAlgorithm::ecdsap256sha256, DnssecAlgorithm::ed25519}) {
    std::vector<std::size_t> ksk;
    std::vector<std::size_t> zsk;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (keys[i].algorithm() != alg) continue;
      (keys[i].is_ksk() ? ksk : zsk).push_back(i);
    }
    const auto& k = ksk.empty() ? zsk : ksk;
    const auto& z = zsk.empty() ? ksk : zsk;
    plan.dnskey_signers.insert(plan.dnskey_signers.end(), k.begin(), k.end());
    plan.data_signers.insert(plan.data_signers.end(), z.begin(), z.end());
  }
  for (const auto& key : keys) {
    if (key.owner() != zone.origin()) {
      return fail(Errc::invalid_input, "key " + key.file_prefix() + " belongs to '" + key.owner().to_string() +
                                           "', not to the zone '" + zone.origin().to_string() + "'");
    }
  }
  return plan;
}

// Signs the RRsets `collect(i, out)` appends for every item i in [0, n) (their rrsigs are
// replaced) on worker threads, each with its own libcrypto contexts. collect runs on the worker
// that signs the item, so per-item preparation (a node's NSEC record) is spread over the
// workers too. The RRsets of different items are distinct: workers never share an output.
template <class Collect>
Result<std::size_t> sign_items(std::size_t n, Collect&& collect, std::span<const DnssecKey> keys, const KeyPlan& plan,
                               const Times& times, const Name& origin, unsigned threads) {
  threads = detail::thread_count(threads);
  if (n < 64) threads = 1;
  struct WorkerContexts {
    std::vector<std::unique_ptr<detail::SignContext>> own;           // several threads
    std::vector<std::unique_ptr<detail::SharedSignContext>> shared;  // one thread
    std::vector<detail::SignContext*> use;                           // per key
  };
  std::vector<WorkerContexts> contexts(threads);
  std::atomic<bool> failed{false};
  std::atomic<std::size_t> made{0};
  detail::parallel_chunks(n, threads, 32, [&](unsigned worker, std::size_t begin, std::size_t end) {
    auto& wc = contexts[worker];
    if (wc.use.empty()) {
      for (const auto& key : keys) {
        if (threads > 1) {
          wc.own.push_back(std::make_unique<detail::SignContext>(key, /*private_copy=*/true));
          wc.use.push_back(wc.own.back().get());
        } else {
          // One thread (few RRsets, e.g. an incremental re-sign): the key's kept context over
          // its own object, whose setup and RSA blinding then survive from one call to the next.
          wc.shared.push_back(std::make_unique<detail::SharedSignContext>(key));
          wc.use.push_back(&wc.shared.back()->get());
        }
      }
    }
    auto& ctx = wc.use;
    std::string data;
    std::vector<RRset*> sets;
    std::size_t local = 0;
    for (std::size_t i = begin; i < end; ++i) {
      sets.clear();
      collect(i, sets);
      for (RRset* set : sets) {
        set->rrsigs.clear();
        const auto& signers = set->type == rrtype::kDnskey ? plan.dnskey_signers : plan.data_signers;
        std::uint8_t labels = detail::rrsig_labels(set->owner);
        for (std::size_t k : signers) {
          const DnssecKey& key = keys[k];
          data.clear();
          detail::append_rrsig_header(data, set->type, static_cast<std::uint8_t>(key.algorithm()), labels, set->ttl,
                                      times.expiration, times.inception, key.key_tag());
          data += origin.wire();
          std::size_t header = data.size();
          detail::append_signed_rrs(data, set->owner.wire(), set->type, set->ttl, set->rdatas);
          Rdata rrsig(data, 0, header);
          if (!ctx[k]->sign(data, rrsig)) {
            failed.store(true);
            return;
          }
          set->rrsigs.push_back(std::move(rrsig));
          ++local;
        }
        std::sort(set->rrsigs.begin(), set->rrsigs.end());
      }
    }
    made.fetch_add(local, std::memory_order_relaxed);
  });
  if (failed.load()) return fail(Errc::internal, "libcrypto failed to sign");
  return made.load();
}

// Signs every RRset in `sets`.
Result<std::size_t> sign_sets(const std::vector<RRset*>& sets, std::span<const DnssecKey> keys, const KeyPlan& plan,
                              const Times& times, const Name& origin, unsigned threads) {
  return sign_items(
      sets.size(), [&sets](std::size_t i, std::vector<RRset*>& out) { out.push_back(sets[i]); }, keys, plan, times,
      origin, threads);
}

// True when `set` carries exactly one RRSIG per key that signs its type, each made for its
// current TTL with these times (the header fields and signer name; the signature itself is not
// checked). Within one signing epoch such a set needs no new signature: every edit that
// changes an RRset's data or TTL drops its RRSIGs (RootZone::apply, Zone::put of a new set).
bool signatures_current(const RRset& set, std::span<const DnssecKey> keys, const KeyPlan& plan, const Times& times,
                        const Name& origin) {
  const auto& signers = set.type == rrtype::kDnskey ? plan.dnskey_signers : plan.data_signers;
  if (set.rrsigs.size() != signers.size()) return false;
  std::uint8_t labels = detail::rrsig_labels(set.owner);
  std::string prefix;
  for (std::size_t k : signers) {
    prefix.clear();
    detail::append_rrsig_header(prefix, set.type, static_cast<std::uint8_t>(keys[k].algorithm()), labels, set.ttl,
                                times.expiration, times.inception, keys[k].key_tag());
    prefix += origin.wire();
    bool found = std::any_of(set.rrsigs.begin(), set.rrsigs.end(), [&](const Rdata& sig) {
      return sig.size() > prefix.size() && sig.starts_with(prefix);
    });
    if (!found) return false;
  }
  return true;
}

// Inserts or replaces the RRset of `set.type` in `node`.
void put_in_node(Node& node, RRset set) {
  auto it = std::lower_bound(node.rrsets.begin(), node.rrsets.end(), set.type,
                             [](const RRset& s, RrType t) { return s.type < t; });
  if (it != node.rrsets.end() && it->type == set.type) {
    *it = std::move(set);
  } else {
    node.rrsets.insert(it, std::move(set));
  }
}

struct ApexInfo {
  SoaData soa;
  std::uint32_t soa_ttl = 0;
  std::uint32_t nsec_ttl = 0;
};

// Sets the DNSKEY RRset and the ZONEMD placeholder at the apex.
Result<ApexInfo> prepare_apex(Zone& zone, std::span<const DnssecKey> keys, const SignOptions& options) {
  const RRset* soa_set = zone.find(zone.origin(), rrtype::kSoa);
  if (soa_set == nullptr || soa_set->rdatas.size() != 1) {
    return fail(Errc::invalid_input, "the zone has no single SOA record at its apex '" + zone.origin().to_string() + "'");
  }
  auto soa = parse_soa(soa_set->rdatas[0]);
  if (!soa) return fail(Errc::invalid_input, "malformed SOA record");
  ApexInfo info{*soa, soa_set->ttl, std::min(soa_set->ttl, soa->minimum)};

  RRset dnskey;
  dnskey.owner = zone.origin();
  dnskey.type = rrtype::kDnskey;
  dnskey.ttl = soa->minimum;
  const RRset* existing = zone.find(zone.origin(), rrtype::kDnskey);
  if (existing != nullptr) {
    dnskey.ttl = existing->ttl;
    if (!options.replace_dnskey) dnskey.rdatas = existing->rdatas;
  }
  for (const auto& key : keys) dnskey.rdatas.push_back(key.dnskey());
  std::sort(dnskey.rdatas.begin(), dnskey.rdatas.end());
  dnskey.rdatas.erase(std::unique(dnskey.rdatas.begin(), dnskey.rdatas.end()), dnskey.rdatas.end());
  // An unchanged DNSKEY set keeps its signatures (an incremental re-sign decides whether they
  // are still current); anything else is replaced and signed afresh.
  if (existing == nullptr || existing->rdatas != dnskey.rdatas) zone.put(std::move(dnskey));

  if (options.zonemd) {
    RRset z;
    z.owner = zone.origin();
    z.type = rrtype::kZonemd;
    z.ttl = info.soa_ttl;  // soa_set may dangle: put() above can reallocate the apex node
    z.rdatas.push_back(make_zonemd(soa->serial, kZonemdSchemeSimple, kZonemdHashSha384, std::string(48, '\0')));
    zone.put(std::move(z));
  } else {
    zone.remove(zone.origin(), rrtype::kZonemd);
  }
  return info;
}

Result<void> finish_zonemd(Zone& zone, std::span<const DnssecKey> keys, const KeyPlan& plan, const Times& times,
                           const ApexInfo& apex, std::size_t& signatures) {
  RRset* z = zone.find(zone.origin(), rrtype::kZonemd);
  if (z == nullptr) return {};
  z->rdatas = {make_zonemd(apex.soa.serial, kZonemdSchemeSimple, kZonemdHashSha384, zonemd_digest(zone))};
  auto made = sign_sets({z}, keys, plan, times, zone.origin(), 1);
  if (!made) return std::unexpected(made.error());
  signatures += *made;
  return {};
}

bool is_replaced_type(RrType t) {
  return t == rrtype::kRrsig || t == rrtype::kNsec || t == rrtype::kNsec3 || t == rrtype::kNsec3param ||
         t == rrtype::kZonemd;
}

}  // namespace

Result<SignStats> sign_zone(Zone& zone, std::span<const DnssecKey> keys, const SignOptions& options) {
  auto t0 = Clock::now();
  SignStats stats;
  auto times = signing_times(options);
  if (!times) return std::unexpected(times.error());
  auto plan = plan_keys(zone, keys);
  if (!plan) return std::unexpected(plan.error());

  // Drop what the signer owns; remove nodes that become empty.
  std::vector<Name> emptied;
  for (const auto& [name, cnode] : zone.nodes()) {
    Node& node = mutable_node(cnode);
    std::erase_if(node.rrsets, [](const RRset& s) { return is_replaced_type(s.type); });
    for (auto& s : node.rrsets) s.rrsigs.clear();
    if (node.rrsets.empty()) emptied.push_back(name);
  }
  for (const auto& name : emptied) zone.remove_node(name);
  auto apex = prepare_apex(zone, keys, options);
  if (!apex) return std::unexpected(apex.error());

  // The chain: the apex, authoritative names and delegation points, in canonical order.
  struct Entry {
    const Name* name;
    Node* node;
    NodeKind kind;
  };
  std::vector<Entry> chain;
  chain.reserve(zone.nodes().size());
  detail::CutTracker cuts(zone.origin());
  for (const auto& [name, cnode] : zone.nodes()) {
    NodeKind kind = cuts.classify(name, cnode);
    if (kind != NodeKind::occluded) chain.push_back({&name, &mutable_node(cnode), kind});
  }
  stats.prepare_seconds = seconds_since(t0);

  // Each worker makes the NSEC records of the chain members it takes, then signs their RRsets.
  auto t1 = Clock::now();
  const std::uint32_t nsec_ttl = apex->nsec_ttl;
  auto with_nsec = [&](std::size_t i, std::vector<RRset*>& out) {
    const Entry& e = chain[i];
    RRset nsec;
    nsec.owner = *e.name;
    nsec.type = rrtype::kNsec;
    nsec.ttl = nsec_ttl;
    nsec.rdatas.push_back(detail::make_nsec(*chain[(i + 1) % chain.size()].name, *e.node, e.kind));
    put_in_node(*e.node, std::move(nsec));
    for (auto& s : e.node->rrsets) {
      if (s.type != rrtype::kZonemd && detail::is_signed_type(e.kind, s.type)) out.push_back(&s);
    }
  };
  auto made = sign_items(chain.size(), with_nsec, keys, *plan, *times, zone.origin(), options.threads);
  if (!made) return std::unexpected(made.error());
  stats.nsec_records = chain.size();
  stats.signatures = *made;
  stats.sign_seconds = seconds_since(t1);

  auto t2 = Clock::now();
  if (auto r = finish_zonemd(zone, keys, *plan, *times, *apex, stats.signatures); !r) return std::unexpected(r.error());
  stats.zonemd_seconds = seconds_since(t2);
  return stats;
}

namespace {

// The last chain member before `name` (which need not exist). The apex precedes everything.
std::optional<Name> prev_in_chain(const Zone& zone, const Name& name) {
  const auto& nodes = zone.nodes();
  auto it = nodes.lower_bound(name);
  while (it != nodes.begin()) {
    --it;
    if (it->first == zone.origin()) return it->first;
    if (!detail::has_data(it->second)) continue;
    Name cut;
    NodeKind kind = detail::classify_by_lookup(zone, it->first, it->second, &cut);
    // INVARIANT: names between a cut and its occluded descendants are all occluded, so the
    // topmost cut above an occluded name is the chain member sought.
    return kind == NodeKind::occluded ? cut : it->first;
  }
  return std::nullopt;
}

// The chain member after `name`, wrapping to the apex.
Name next_in_chain(const Zone& zone, const Name& name, NodeKind kind) {
  const auto& nodes = zone.nodes();
  auto it = nodes.upper_bound(name);
  if (kind == NodeKind::delegation) {
    while (it != nodes.end() && it->first.is_subdomain_of(name)) ++it;
  }
  for (; it != nodes.end(); ++it) {
    if (!detail::has_data(it->second)) continue;
    if (detail::classify_by_lookup(zone, it->first, it->second) != NodeKind::occluded) return it->first;
  }
  return zone.origin();
}

}  // namespace

Result<SignStats> resign(Zone& zone, const std::set<Name>& changed_names, std::span<const DnssecKey> keys,
                         const SignOptions& options) {
  auto t0 = Clock::now();
  SignStats stats;
  auto times = signing_times(options);
  if (!times) return std::unexpected(times.error());
  auto plan = plan_keys(zone, keys);
  if (!plan) return std::unexpected(plan.error());
  auto apex = prepare_apex(zone, keys, options);
  if (!apex) return std::unexpected(apex.error());

  // Names to revisit: the changed ones, everything below them (glue may have become
  // authoritative or the reverse), and the apex.
  std::set<Name> work;
  work.insert(zone.origin());
  for (const auto& name : changed_names) {
    if (!name.is_subdomain_of(zone.origin())) continue;
    work.insert(name);
    if (name == zone.origin()) continue;
    for (auto it = zone.nodes().upper_bound(name); it != zone.nodes().end() && it->first.is_subdomain_of(name); ++it) {
      work.insert(it->first);
    }
  }
  for (const auto& name : work) {
    const Node* node = zone.node(name);
    if (node != nullptr && !detail::has_data(*node)) zone.remove_node(name);
  }

  std::set<Name> nsec_names;
  std::vector<std::pair<Name, RrType>> to_sign;
  for (const auto& name : work) {
    if (const Node* cnode = zone.node(name)) {
      Node& node = mutable_node(*cnode);
      NodeKind kind = detail::classify_by_lookup(zone, name, node);
      if (kind == NodeKind::occluded) {
        std::erase_if(node.rrsets, [](const RRset& s) { return is_replaced_type(s.type); });
      } else {
        nsec_names.insert(name);
      }
      for (auto& s : node.rrsets) {
        if (s.type == rrtype::kNsec || s.type == rrtype::kZonemd) continue;  // decided below
        if (!detail::is_signed_type(kind, s.type)) {
          s.rrsigs.clear();  // glue, or a delegation's NS: never signed
          continue;
        }
        // Re-sign what changed; an untouched set at a revisited name (the apex NS and DNSKEY
        // when only the SOA moved) keeps signatures that are byte for byte what a new
        // signature with the same times would be (RSA and Ed25519 are deterministic).
        if (s.type == rrtype::kSoa || !signatures_current(s, keys, *plan, *times, zone.origin())) {
          s.rrsigs.clear();
          to_sign.emplace_back(name, s.type);
        }
      }
    }
    if (name != zone.origin()) {
      if (auto pred = prev_in_chain(zone, name)) nsec_names.insert(*pred);
    }
  }

  for (const auto& name : nsec_names) {
    const Node* cnode = zone.node(name);
    if (cnode == nullptr) continue;
    Node& node = mutable_node(*cnode);
    NodeKind kind = detail::classify_by_lookup(zone, name, node);
    Rdata rd = detail::make_nsec(next_in_chain(zone, name, kind), node, kind);
    const RRset* existing = node.find(rrtype::kNsec);
    if (existing != nullptr && existing->ttl == apex->nsec_ttl && existing->rdatas.size() == 1 &&
        existing->rdatas[0] == rd && signatures_current(*existing, keys, *plan, *times, zone.origin())) {
      continue;
    }
    RRset nsec;
    nsec.owner = name;
    nsec.type = rrtype::kNsec;
    nsec.ttl = apex->nsec_ttl;
    nsec.rdatas.push_back(std::move(rd));
    put_in_node(node, std::move(nsec));
    to_sign.emplace_back(name, rrtype::kNsec);
    ++stats.nsec_records;
  }

  std::sort(to_sign.begin(), to_sign.end());
  to_sign.erase(std::unique(to_sign.begin(), to_sign.end()), to_sign.end());
  std::vector<RRset*> tasks;
  tasks.reserve(to_sign.size());
  for (const auto& [name, type] : to_sign) {
    if (RRset* s = zone.find(name, type)) tasks.push_back(s);
  }
  stats.prepare_seconds = seconds_since(t0);

  auto t1 = Clock::now();
  auto made = sign_sets(tasks, keys, *plan, *times, zone.origin(), options.threads);
  if (!made) return std::unexpected(made.error());
  stats.signatures = *made;
  stats.sign_seconds = seconds_since(t1);

  auto t2 = Clock::now();
  if (auto r = finish_zonemd(zone, keys, *plan, *times, *apex, stats.signatures); !r) return std::unexpected(r.error());
  stats.zonemd_seconds = seconds_since(t2);
  return stats;
}

}  // namespace rootgov::zone
