// zone/src/dnssec_internal.hpp - pieces shared by the signer, the verifier and ZONEMD.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include <rootgov/zone/zone.hpp>

#include "encoding.hpp"

namespace rootgov::zone::detail {

/// Where a node sits with respect to zone cuts (RFC 4035 section 2.2).
enum class NodeKind { apex, authoritative, delegation, occluded };

/// Classifies nodes in canonical order in one pass: names below a delegation point follow it
/// directly in canonical order, so remembering the last cut is enough.
class CutTracker {
 public:
  explicit CutTracker(const Name& origin) : m_origin(origin) {}
  NodeKind classify(const Name& name, const Node& node) {
    if (m_cut != nullptr) {
      if (name.is_subdomain_of(*m_cut)) return NodeKind::occluded;
      m_cut = nullptr;
    }
    if (name == m_origin) return NodeKind::apex;
    if (node.find(rrtype::kNs) != nullptr) {
      m_cut = &name;
      return NodeKind::delegation;
    }
    return NodeKind::authoritative;
  }

 private:
  const Name& m_origin;
  const Name* m_cut = nullptr;
};

/// Classifies one node by looking its ancestors up (for incremental work). `topmost_cut`
/// receives the highest delegation point above an occluded name.
inline NodeKind classify_by_lookup(const Zone& zone, const Name& name, const Node& node, Name* topmost_cut = nullptr) {
  if (name == zone.origin()) return NodeKind::apex;
  bool occluded = false;
  for (Name a = name.parent(); a.wire().size() > zone.origin().wire().size(); a = a.parent()) {
    const Node* n = zone.node(a);
    if (n != nullptr && n->find(rrtype::kNs) != nullptr) {
      occluded = true;
      if (topmost_cut != nullptr) *topmost_cut = a;
    }
  }
  if (occluded) return NodeKind::occluded;
  return node.find(rrtype::kNs) != nullptr ? NodeKind::delegation : NodeKind::authoritative;
}

/// Whether an RRset of `type` at a node of `kind` carries RRSIGs (RFC 4035 section 2.2).
inline bool is_signed_type(NodeKind kind, RrType type) {
  switch (kind) {
    case NodeKind::apex:
    case NodeKind::authoritative:
      return type != rrtype::kRrsig;
    case NodeKind::delegation:
      return type == rrtype::kDs || type == rrtype::kNsec;
    case NodeKind::occluded:
      return false;
  }
  return false;
}

/// Whether the node has data besides NSEC (a node left with only NSEC is gone).
inline bool has_data(const Node& node) {
  return std::any_of(node.rrsets.begin(), node.rrsets.end(), [](const RRset& s) { return s.type != rrtype::kNsec; });
}

/// NSEC RDATA: next owner name and the type bitmap (RFC 4034 section 4.1.2) of the node's
/// types that belong to the zone at this name, plus RRSIG and NSEC.
inline Rdata make_nsec(const Name& next, const Node& node, NodeKind kind) {
  std::vector<RrType> types;
  types.reserve(node.rrsets.size() + 2);
  for (const auto& s : node.rrsets) {
    if (s.type == rrtype::kNsec || s.type == rrtype::kRrsig) continue;
    if (kind == NodeKind::delegation && s.type != rrtype::kNs && s.type != rrtype::kDs) continue;
    types.push_back(s.type);
  }
  types.push_back(rrtype::kRrsig);
  types.push_back(rrtype::kNsec);
  std::sort(types.begin(), types.end());
  Rdata out = next.wire();
  std::size_t i = 0;
  while (i < types.size()) {
    unsigned window = types[i] >> 8;
    std::uint8_t bits[32] = {};
    unsigned max_octet = 0;
    for (; i < types.size() && (types[i] >> 8) == window; ++i) {
      unsigned low = types[i] & 0xff;
      bits[low / 8] = static_cast<std::uint8_t>(bits[low / 8] | (0x80u >> (low % 8)));
      max_octet = std::max(max_octet, low / 8);
    }
    out.push_back(static_cast<char>(window));
    out.push_back(static_cast<char>(max_octet + 1));
    out.append(reinterpret_cast<const char*>(bits), max_octet + 1);
  }
  return out;
}

/// RRSIG labels field: labels of the owner, not counting a leftmost "*" (RFC 4034 3.1.3).
inline std::uint8_t rrsig_labels(const Name& owner) {
  std::size_t n = owner.label_count();
  if (n > 0 && owner.label(0) == "*") --n;
  return static_cast<std::uint8_t>(n);
}

/// The RRSIG RDATA fields before the signer name (18 octets).
inline void append_rrsig_header(std::string& out, RrType covered, std::uint8_t algorithm, std::uint8_t labels,
                                std::uint32_t original_ttl, std::uint32_t expiration, std::uint32_t inception,
                                std::uint16_t key_tag) {
  put_u16(out, covered);
  out.push_back(static_cast<char>(algorithm));
  out.push_back(static_cast<char>(labels));
  put_u32(out, original_ttl);
  put_u32(out, expiration);
  put_u32(out, inception);
  put_u16(out, key_tag);
}

/// Appends the canonical RRs of a set (RFC 4034 section 3.1.8.1): owner | type | class IN |
/// original TTL | RDLENGTH | RDATA, RDATA in canonical order. `owner_wire` is the owner as
/// signed (the wildcard form when the RRSIG labels field is smaller than the owner's).
inline void append_signed_rrs(std::string& out, std::string_view owner_wire, RrType type, std::uint32_t ttl,
                              const std::vector<Rdata>& rdatas) {
  char fixed[10];
  fixed[0] = static_cast<char>(type >> 8);
  fixed[1] = static_cast<char>(type & 0xff);
  fixed[2] = 0;
  fixed[3] = 1;
  fixed[4] = static_cast<char>(ttl >> 24);
  fixed[5] = static_cast<char>((ttl >> 16) & 0xff);
  fixed[6] = static_cast<char>((ttl >> 8) & 0xff);
  fixed[7] = static_cast<char>(ttl & 0xff);
  for (const auto& rd : rdatas) {
    out += owner_wire;
    fixed[8] = static_cast<char>(rd.size() >> 8);
    fixed[9] = static_cast<char>(rd.size() & 0xff);
    out.append(fixed, 10);
    out += rd;
  }
}

/// Runs fn(worker, begin, end) over [0, n) in chunks on `threads` threads (the caller's thread
/// included). Chunks are handed out dynamically.
inline void parallel_chunks(std::size_t n, unsigned threads, std::size_t chunk,
                            const std::function<void(unsigned, std::size_t, std::size_t)>& fn) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  std::size_t chunks = (n + chunk - 1) / chunk;
  threads = static_cast<unsigned>(std::min<std::size_t>(threads, std::max<std::size_t>(chunks, 1)));
  std::atomic<std::size_t> next{0};
  auto work = [&](unsigned worker) {
    for (;;) {
      std::size_t c = next.fetch_add(1, std::memory_order_relaxed);
      if (c >= chunks) break;
      fn(worker, c * chunk, std::min(n, (c + 1) * chunk));
    }
  };
  std::vector<std::jthread> pool;
  pool.reserve(threads > 0 ? threads - 1 : 0);
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work, t);
  work(0);
}

inline unsigned thread_count(unsigned requested) {
  if (requested != 0) return requested;
  // hardware_concurrency() reads sysfs on every call: once is enough.
  static const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  return cores;
}

}  // namespace rootgov::zone::detail
