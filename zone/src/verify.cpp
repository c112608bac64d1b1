// zone/src/verify.cpp - DNSSEC verification of a whole zone against its own DNSKEY RRset.
#include <rootgov/zone/verify.hpp>

#include <algorithm>
#include <memory>
#include <mutex>

#include <rootgov/zone/dnssec_key.hpp>
#include <rootgov/zone/zonemd.hpp>

#include "dnssec_crypto.hpp"
#include "dnssec_internal.hpp"

namespace rootgov::zone {
namespace {

using detail::NodeKind;

struct ZoneKey {
  std::uint16_t tag;
  std::uint8_t algorithm;
  std::unique_ptr<detail::VerifyKey> key;
};

struct Job {
  const RRset* set;
  NodeKind kind;
};

// Length of the wire name at rdata[pos], or 0 if malformed.
std::size_t wire_name_length(std::string_view rdata, std::size_t pos) {
  std::size_t start = pos;
  while (pos < rdata.size()) {
    std::size_t len = static_cast<std::uint8_t>(rdata[pos]);
    if (len > 63) return 0;
    pos += 1 + len;
    if (len == 0) return pos <= rdata.size() ? pos - start : 0;
  }
  return 0;
}

// Checks the RRSIGs of one RRset; appends findings.
void check_set(const Zone& zone, const std::vector<ZoneKey>& keys, const Job& job, std::uint32_t now, Findings& out) {
  const RRset& set = *job.set;
  const std::string owner_text = set.owner.to_string();
  auto finding = [&](const char* rule, std::string message) {
    out.push_back({Severity::error, rule, std::move(message), set.line, owner_text});
  };
  const std::string what = type_to_string(set.type) + " at '" + owner_text + "'";
  std::vector<std::uint8_t> valid_algorithms;
  std::string data;
  const std::size_t owner_labels = set.owner.label_count();
  for (const auto& rd : set.rrsigs) {
    if (rd.size() < 19) {
      finding("rrsig-invalid", "malformed rrsig over " + what);
      continue;
    }
    auto alg = static_cast<std::uint8_t>(rd[2]);
    auto labels = static_cast<std::uint8_t>(rd[3]);
    std::uint32_t original_ttl = detail::read_u32(rd.data() + 4);
    std::uint32_t expiration = detail::read_u32(rd.data() + 8);
    std::uint32_t inception = detail::read_u32(rd.data() + 12);
    std::uint16_t tag = detail::read_u16(rd.data() + 16);
    std::size_t signer_len = wire_name_length(rd, 18);
    std::string tag_text = " (key " + std::to_string(tag) + ", algorithm " + std::to_string(alg) + ")";
    if (signer_len == 0) {
      finding("rrsig-invalid", "malformed signer name in rrsig over " + what);
      continue;
    }
    if (std::string_view(rd).substr(18, signer_len) != zone.origin().wire()) {
      finding("rrsig-signer", "rrsig over " + what + " names a signer other than the zone apex");
      continue;
    }
    if (labels > owner_labels) {
      finding("rrsig-labels", "rrsig over " + what + " has labels " + std::to_string(labels) + " above the owner's");
      continue;
    }
    if (static_cast<std::int32_t>(now - inception) < 0) {
      finding("rrsig-not-yet-valid", "rrsig over " + what + tag_text + " is not valid before its inception");
      continue;
    }
    if (static_cast<std::int32_t>(expiration - now) < 0) {
      finding("rrsig-expired", "rrsig over " + what + tag_text + " has expired");
      continue;
    }
    bool have_key = false;
    bool ok = false;
    data.assign(rd, 0, 18 + signer_len);
    std::string owner_wire;
    if (labels < owner_labels) {
      owner_wire = "\x01*" + set.owner.suffix(labels).wire();  // RFC 4035 section 5.3.2
    } else {
      owner_wire = set.owner.wire();
    }
    detail::append_signed_rrs(data, owner_wire, set.type, original_ttl, set.rdatas);
    std::string_view signature = std::string_view(rd).substr(18 + signer_len);
    for (const auto& k : keys) {
      if (k.tag != tag || k.algorithm != alg) continue;
      have_key = true;
      if (k.key->verify(data, signature)) {
        ok = true;
        break;
      }
    }
    if (!have_key) {
      finding("rrsig-no-key", "rrsig over " + what + tag_text + " matches no zone key in the apex DNSKEY set");
    } else if (!ok) {
      finding("rrsig-invalid", "rrsig over " + what + tag_text + " does not verify");
    } else {
      valid_algorithms.push_back(alg);
    }
  }
  if (!detail::is_signed_type(job.kind, set.type)) return;
  if (valid_algorithms.empty()) {
    finding("rrsig-missing", what + " has no valid rrsig");
    return;
  }
  if (set.type == rrtype::kDnskey && set.owner == zone.origin()) {
    for (const auto& k : keys) {
      if (std::find(valid_algorithms.begin(), valid_algorithms.end(), k.algorithm) == valid_algorithms.end()) {
        finding("rrsig-missing", "the DNSKEY set is not signed with algorithm " + std::to_string(k.algorithm) +
                                     ", which it holds (RFC 6840 section 5.11)");
        break;
      }
    }
  }
}

}  // namespace

Findings verify_zone(const Zone& zone, const VerifyOptions& options) {
  Findings findings;
  const std::string apex_text = zone.origin().to_string();
  std::vector<ZoneKey> keys;
  if (const RRset* dnskeys = zone.find(zone.origin(), rrtype::kDnskey)) {
    for (const auto& rd : dnskeys->rdatas) {
      if (rd.size() < 5 || (detail::read_u16(rd.data()) & kDnskeyFlagZone) == 0) continue;
      auto key = detail::VerifyKey::from_dnskey(rd);
      if (!key) continue;  // unsupported algorithm: its signatures are reported as keyless
      keys.push_back({compute_key_tag(rd), static_cast<std::uint8_t>(rd[3]), std::move(key)});
    }
  }
  if (keys.empty()) {
    findings.push_back({Severity::error, "dnskey-missing", "the apex has no usable DNSKEY record", 0, apex_text});
  }

  // Walk once: collect RRsets to check and the NSEC chain members.
  std::vector<Job> jobs;
  struct Member {
    const Name* name;
    const Node* node;
    NodeKind kind;
  };
  std::vector<Member> chain;
  detail::CutTracker cuts(zone.origin());
  for (const auto& [name, node] : zone.nodes()) {
    NodeKind kind = cuts.classify(name, node);
    if (kind == NodeKind::occluded) {
      if (node.find(rrtype::kNsec) != nullptr) {
        findings.push_back({Severity::error, "nsec-extra", "nsec record below a delegation point", node.rrsets[0].line,
                            name.to_string()});
      }
      continue;
    }
    chain.push_back({&name, &node, kind});
    for (const auto& set : node.rrsets) {
      if (!set.rrsigs.empty() || detail::is_signed_type(kind, set.type)) jobs.push_back({&set, kind});
    }
  }

  for (std::size_t i = 0; i < chain.size(); ++i) {
    const Member& m = chain[i];
    const Name& next = *chain[(i + 1) % chain.size()].name;
    const RRset* nsec = m.node->find(rrtype::kNsec);
    std::string owner = m.name->to_string();
    if (nsec == nullptr || nsec->rdatas.size() != 1) {
      findings.push_back({Severity::error, "nsec-missing", "no single nsec record at '" + owner + "'", 0, owner});
      continue;
    }
    Rdata expected = detail::make_nsec(next, *m.node, m.kind);
    const Rdata& got = nsec->rdatas[0];
    if (got == expected) continue;
    std::size_t next_len = wire_name_length(got, 0);
    if (next_len == 0 || std::string_view(got).substr(0, next_len) != next.wire()) {
      findings.push_back({Severity::error, "nsec-next",
                          "nsec at '" + owner + "' does not point to the next name '" + next.to_string() + "'", nsec->line,
                          owner});
    } else {
      findings.push_back({Severity::error, "nsec-bitmap", "nsec type bitmap at '" + owner + "' does not match its types",
                          nsec->line, owner});
    }
  }

  if (!keys.empty()) {
    unsigned threads = detail::thread_count(options.threads);
    if (jobs.size() < 64) threads = 1;
    std::vector<std::vector<std::pair<std::size_t, Finding>>> per_worker(threads);
    detail::parallel_chunks(jobs.size(), threads, 32, [&](unsigned worker, std::size_t begin, std::size_t end) {
      Findings local;
      for (std::size_t i = begin; i < end; ++i) {
        local.clear();
        check_set(zone, keys, jobs[i], options.now, local);
        for (auto& f : local) per_worker[worker].emplace_back(i, std::move(f));
      }
    });
    std::vector<std::pair<std::size_t, Finding>> all;
    for (auto& w : per_worker) std::move(w.begin(), w.end(), std::back_inserter(all));
    std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [i, f] : all) findings.push_back(std::move(f));
  }

  Findings z = verify_zonemd(zone);
  findings.insert(findings.end(), z.begin(), z.end());
  return findings;
}

}  // namespace rootgov::zone
