// zone/src/check.cpp - technical checks of zones and delegations (docs/design/zone-checks.md).
#include <rootgov/zone/check.hpp>

#include <algorithm>
#include <array>
#include <cstring>
#include <functional>
#include <map>
#include <set>
#include <string_view>

#include <arpa/inet.h>

#include <cctype>

#include <rootgov/zone/verify.hpp>
#include <rootgov/zone/zonemd.hpp>

namespace rootgov::zone {
namespace {

constexpr std::uint32_t kMaxTtl = 0x7fffffffu;  // RFC 2181 section 8
constexpr std::size_t kMaxUdpMessage = 512;     // RFC 1035 section 4.2.1
constexpr std::size_t kMaxNs = 13;

std::string q(const Name& n) { return "'" + n.to_string() + "'"; }

std::string address_text(const Rdata& rd) {
  char buf[INET6_ADDRSTRLEN] = {};
  if (rd.size() == 4) inet_ntop(AF_INET, rd.data(), buf, sizeof buf);
  if (rd.size() == 16) inet_ntop(AF_INET6, rd.data(), buf, sizeof buf);
  return buf;
}

struct Range {
  std::array<std::uint8_t, 16> prefix;
  unsigned bits;
  const char* what;
};

bool in_range(const Rdata& rd, const Range& r) {
  for (unsigned i = 0; i < r.bits; ++i) {
    auto byte = static_cast<std::uint8_t>(rd[i / 8]);
    unsigned mask = 0x80u >> (i % 8);
    if ((byte & mask) != (r.prefix[i / 8] & mask)) return false;
  }
  return true;
}

// IANA special-purpose address registries (RFC 6890 and its updates), the ranges that cannot
// host a public name server.
const Range kV4Prohibited[] = {
    {{0}, 8, "0.0.0.0/8 (this network, RFC 791)"},
    {{10}, 8, "10.0.0.0/8 (private use, RFC 1918)"},
    {{100, 64}, 10, "100.64.0.0/10 (shared address space, RFC 6598)"},
    {{127}, 8, "127.0.0.0/8 (loopback, RFC 1122)"},
    {{169, 254}, 16, "169.254.0.0/16 (link local, RFC 3927)"},
    {{172, 16}, 12, "172.16.0.0/12 (private use, RFC 1918)"},
    {{192, 0, 0}, 24, "192.0.0.0/24 (IETF protocol assignments, RFC 6890)"},
    {{192, 0, 2}, 24, "192.0.2.0/24 (documentation, RFC 5737)"},
    {{192, 88, 99}, 24, "192.88.99.0/24 (6to4 relay anycast, RFC 7526)"},
    {{192, 168}, 16, "192.168.0.0/16 (private use, RFC 1918)"},
    {{198, 18}, 15, "198.18.0.0/15 (benchmarking, RFC 2544)"},
    {{198, 51, 100}, 24, "198.51.100.0/24 (documentation, RFC 5737)"},
    {{203, 0, 113}, 24, "203.0.113.0/24 (documentation, RFC 5737)"},
    {{224}, 4, "224.0.0.0/4 (multicast, RFC 5771)"},
    {{240}, 4, "240.0.0.0/4 (reserved, RFC 1112)"},
};

const Range kV6Prohibited[] = {
    {{}, 128, "::/128 (unspecified address, RFC 4291)"},
    {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 128, "::1/128 (loopback, RFC 4291)"},
    {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff}, 96, "::ffff:0:0/96 (IPv4-mapped, RFC 4291)"},
    {{}, 96, "::/96 (IPv4-compatible, deprecated by RFC 4291)"},
    {{0, 0x64, 0xff, 0x9b}, 96, "64:ff9b::/96 (IPv4/IPv6 translation, RFC 6052)"},
    {{0, 0x64, 0xff, 0x9b, 0, 1}, 48, "64:ff9b:1::/48 (local IPv4/IPv6 translation, RFC 8215)"},
    {{0x01, 0x00}, 64, "100::/64 (discard only, RFC 6666)"},
    {{0x20, 0x01, 0x00, 0x00}, 32, "2001::/32 (Teredo, RFC 4380)"},
    {{0x20, 0x01, 0x00, 0x10}, 28, "2001:10::/28 (ORCHID, RFC 4843)"},
    {{0x20, 0x01, 0x00, 0x20}, 28, "2001:20::/28 (ORCHIDv2, RFC 7343)"},
    {{0x20, 0x01, 0x0d, 0xb8}, 32, "2001:db8::/32 (documentation, RFC 3849)"},
    {{0x20, 0x02}, 16, "2002::/16 (6to4, RFC 3056)"},
    {{0x3f, 0xff, 0x00}, 20, "3fff::/20 (documentation, RFC 9637)"},
    {{0xfc}, 7, "fc00::/7 (unique local, RFC 4193)"},
    {{0xfe, 0x80}, 10, "fe80::/10 (link local, RFC 4291)"},
    {{0xfe, 0xc0}, 10, "fec0::/10 (site local, deprecated by RFC 3879)"},
    {{0xff}, 8, "ff00::/8 (multicast, RFC 4291)"},
};

// DNSSEC algorithm numbers (IANA registry; RFC 8624 section 3.1 for the usage levels).
enum class AlgStatus { ok, discouraged, forbidden, unassigned };

AlgStatus algorithm_status(std::uint8_t alg) {
  switch (alg) {
    case 8:   // RSASHA256
    case 10:  // RSASHA512
    case 13:  // ECDSAP256SHA256
    case 14:  // ECDSAP384SHA384
    case 15:  // ED25519
    case 16:  // ED448
      return AlgStatus::ok;
    case 3:   // DSA: MUST NOT sign
    case 5:   // RSASHA1: NOT RECOMMENDED
    case 6:   // DSA-NSEC3-SHA1: MUST NOT sign
    case 7:   // RSASHA1-NSEC3-SHA1: NOT RECOMMENDED
    case 12:  // ECC-GOST: MUST NOT sign
    case 17:  // SM2SM3 (RFC 9563)
    case 23:  // ECC-GOST12 (RFC 9558)
      return AlgStatus::discouraged;
    case 1:    // RSAMD5: MUST NOT (RFC 6725)
    case 2:    // DH: not a signing algorithm
    case 252:  // INDIRECT
    case 253:  // PRIVATEDNS
    case 254:  // PRIVATEOID
      return AlgStatus::forbidden;
    default:
      return AlgStatus::unassigned;
  }
}

// The view the delegation rules need: glue of a host as known to the caller.
struct HostGlue {
  bool known = false;  // false: the host's addresses are not in this zone
  std::vector<Rdata> addresses;
  std::uint32_t line = 0;
};
using GlueLookup = std::function<HostGlue(const Name&)>;

struct DelegationInput {
  Name cut;
  std::vector<Name> ns;
  std::vector<DsData> ds;
  std::uint32_t ns_ttl = 0;
  std::uint32_t ds_ttl = 0;
  std::uint32_t ns_line = 0;
  std::uint32_t ds_line = 0;
  bool apex = false;
};

void add(Findings& out, Severity s, const char* rule, std::string message, std::uint32_t line, const Name& owner) {
  out.push_back({s, rule, std::move(message), line, owner.to_string()});
}

void check_ds(const DsData& ds, const Name& cut, std::uint32_t line, std::set<std::uint8_t>& warned, Findings& out) {
  std::string tag = "ds " + std::to_string(ds.key_tag) + " of " + q(cut);
  AlgStatus status = algorithm_status(ds.algorithm);
  if (!warned.insert(ds.algorithm).second) status = AlgStatus::ok;  // one finding per algorithm
  switch (status) {
    case AlgStatus::ok:
      break;
    case AlgStatus::discouraged:
      add(out, Severity::warning, "ds-algorithm",
          tag + " uses algorithm " + std::to_string(ds.algorithm) + ", not recommended for signing (RFC 8624 section 3.1)",
          line, cut);
      break;
    case AlgStatus::forbidden:
      add(out, Severity::error, "ds-algorithm",
          tag + " uses algorithm " + std::to_string(ds.algorithm) + ", which must not be used in DNSSEC (RFC 8624 section 3.1)",
          line, cut);
      break;
    case AlgStatus::unassigned:
      add(out, Severity::error, "ds-algorithm",
          tag + " uses algorithm " + std::to_string(ds.algorithm) + ", which is unassigned or reserved (IANA DNSSEC algorithm numbers)",
          line, cut);
      break;
  }
  auto want = ds_digest_length(ds.digest_type);
  if (!want) {
    add(out, Severity::error, "ds-digest-type",
        tag + " uses digest type " + std::to_string(ds.digest_type) + ", which is unknown (IANA DS digest types)", line, cut);
  } else if (ds.digest.size() != *want) {
    add(out, Severity::error, "ds-digest-length",
        tag + " has a " + std::to_string(ds.digest.size()) + "-octet digest; digest type " + std::to_string(ds.digest_type) +
            " needs " + std::to_string(*want),
        line, cut);
  }
}

// IANA checks 1, 2, 9, 10, the glue and DS rules for one cut (or the apex NS set).
void check_delegation_rules(const DelegationInput& d, const GlueLookup& glue, Findings& out) {
  const std::string where = d.apex ? std::string("the apex") : q(d.cut);
  if (d.ns.size() < 2) {
    add(out, Severity::error, "ns-count",
        where + " has " + std::to_string(d.ns.size()) + " NS record" + (d.ns.size() == 1 ? "" : "s") +
            "; at least 2 are required (IANA technical check 1)",
        d.ns_line, d.cut);
  } else if (d.ns.size() > kMaxNs) {
    add(out, Severity::error, "ns-count",
        where + " has " + std::to_string(d.ns.size()) + " NS records; at most 13 fit a referral (IANA requirement)",
        d.ns_line, d.cut);
  }
  if (d.ns_ttl > kMaxTtl) {
    add(out, Severity::error, "ttl-range",
        "NS of " + where + " has TTL " + std::to_string(d.ns_ttl) + ", above 2147483647 (RFC 2181 section 8)", d.ns_line, d.cut);
  }
  // Per host: syntax, glue presence and address ranges.
  std::map<Name, std::vector<Rdata>> known;  // hosts whose addresses this zone holds
  bool v4 = false;
  bool v6 = false;
  for (const auto& host : d.ns) {
    if (!is_hostname(host)) {
      add(out, Severity::error, "hostname-invalid",
          "name server " + q(host) + " of " + where + " is not a valid host name (RFC 1123 section 2.1: letters, digits, hyphens)",
          d.ns_line, d.cut);
    }
    HostGlue g = glue(host);
    bool in_domain = d.apex ? host.is_subdomain_of(d.cut) : (host.is_subdomain_of(d.cut) && host != d.cut);
    if (in_domain && g.addresses.empty()) {
      add(out, Severity::error, "glue-missing",
          "name server " + q(host) + " of " + where + " lies in " + (d.apex ? "the zone" : "the delegated zone") +
              " but has no glue address (RFC 9471 section 3)",
          d.ns_line, d.cut);
    }
    if (!g.addresses.empty()) {
      known[host] = g.addresses;
      for (const auto& a : g.addresses) {
        if (a.size() == 4) v4 = true;
        if (a.size() == 16) v6 = true;
      }
    }
  }
  // IANA check 1: the hosts must not all resolve to the same address.
  if (d.ns.size() >= 2 && known.size() == d.ns.size()) {
    std::map<Rdata, std::vector<Name>> by_address;
    for (const auto& [host, addrs] : known) {
      for (const auto& a : addrs) by_address[a].push_back(host);
    }
    std::vector<std::vector<Rdata>> sets;
    for (auto& [host, addrs] : known) {
      std::vector<Rdata> s = addrs;
      std::sort(s.begin(), s.end());
      sets.push_back(std::move(s));
    }
    bool all_same = std::all_of(sets.begin(), sets.end(), [&](const auto& s) { return s == sets.front(); });
    if (all_same) {
      add(out, Severity::error, "ns-same-address",
          "every name server of " + where + " has the same address " + address_text(sets.front().front()) +
              " (IANA technical check 1)",
          d.ns_line, d.cut);
    } else {
      for (const auto& [a, hosts] : by_address) {
        if (hosts.size() < 2) continue;
        add(out, Severity::warning, "ns-same-address",
            "name servers " + q(hosts[0]) + " and " + q(hosts[1]) + " of " + where + " share the address " + address_text(a),
            d.ns_line, d.cut);
      }
    }
  }
  // IANA check 9 (Zonemaster DELEGATION03). The NS RRset itself must fit (a referral without
  // it is broken); that it fits only without the minimal glue is Zonemaster's WARNING, which
  // today's .com and .net referrals get too.
  if (!d.apex && !d.ns.empty() && d.ns.size() <= kMaxNs) {
    std::size_t bare = referral_size(d.cut, d.ns, false, false);
    std::size_t size = referral_size(d.cut, d.ns, v4, v6);
    if (bare > kMaxUdpMessage) {
      add(out, Severity::error, "referral-size",
          "a referral to " + where + " for a 255-octet query name takes " + std::to_string(bare) +
              " octets with its NS records alone; it must fit 512 (IANA technical check 9)",
          d.ns_line, d.cut);
    } else if (size > kMaxUdpMessage) {
      add(out, Severity::warning, "referral-size",
          "a referral to " + where + " for a 255-octet query name takes " + std::to_string(size) +
              " octets with one A and one AAAA glue record; only without glue does it fit 512 (IANA technical check 9, "
              "Zonemaster DELEGATION03)",
          d.ns_line, d.cut);
    }
  }
  std::set<std::uint8_t> warned_algorithms;
  for (const auto& ds : d.ds) check_ds(ds, d.cut, d.ds_line, warned_algorithms, out);
  if (!d.ds.empty() && d.ds_ttl > kMaxTtl) {
    add(out, Severity::error, "ttl-range",
        "DS of " + where + " has TTL " + std::to_string(d.ds_ttl) + ", above 2147483647 (RFC 2181 section 8)", d.ds_line, d.cut);
  }
}

void check_host_addresses(const Name& host, const std::vector<Rdata>& addresses, std::uint32_t line, Findings& out) {
  for (const auto& a : addresses) {
    if (a.size() != 4 && a.size() != 16) {
      add(out, Severity::error, "glue-address", "glue of " + q(host) + " is not an IPv4 or IPv6 address", line, host);
      continue;
    }
    if (auto range = prohibited_range(a)) {
      add(out, Severity::error, "glue-prohibited",
          "glue address " + address_text(a) + " of " + q(host) + " is in " + *range + " (IANA technical check 10)", line, host);
    }
  }
}

// A simple DNS message writer that compresses names as servers do (RFC 1035 section 4.1.4).
// Sizes a DNS message with name compression (RFC 1035 section 4.1.4). The suffixes seen are
// views into the names' wire forms, which must outlive the sizer; a referral has a few dozen of
// them, so a flat list beats a map of copied strings (the technical checks size two referrals
// per change, twice: at submission and at implementation).
class MessageSizer {
 public:
  void raw(std::size_t n) { m_size += n; }
  void name(std::string_view w) {
    std::size_t pos = 0;
    while (pos < w.size() && w[pos] != '\0') {
      const std::string_view suffix = w.substr(pos);
      if (std::any_of(m_offsets.begin(), m_offsets.end(), [&](const auto& seen) { return seen.first == suffix; })) {
        m_size += 2;
        return;
      }
      if (m_size < 0x4000) m_offsets.emplace_back(suffix, m_size);
      auto len = static_cast<std::uint8_t>(w[pos]);
      m_size += 1 + len;
      pos += 1 + len;
    }
    m_size += 1;  // the root label
  }
  std::size_t size() const { return m_size; }

 private:
  std::size_t m_size = 0;
  std::vector<std::pair<std::string_view, std::size_t>> m_offsets;  // wire suffix -> offset
};

// The wire form of the longest query name at or below `cut`: filler labels of 'x' until the
// name has 255 octets (RFC 1035 section 2.3.4).
std::string max_query_wire(const Name& cut) {
  std::string wire;
  std::size_t room = Name::kMaxWireLength - cut.wire().size();
  while (room >= 2) {
    std::size_t len = std::min<std::size_t>(63, room - 1);
    wire.push_back(static_cast<char>(len));
    wire.append(len, 'x');
    room -= len + 1;
  }
  wire += cut.wire();
  return wire;
}

bool is_dnssec_meta(RrType t) { return t == rrtype::kNsec || t == rrtype::kRrsig || t == rrtype::kNsec3; }

}  // namespace

std::optional<std::string> prohibited_range(const Rdata& address) {
  if (address.size() == 4) {
    for (const auto& r : kV4Prohibited) {
      if (in_range(address, r)) return std::string(r.what);
    }
    return std::nullopt;
  }
  if (address.size() == 16) {
    for (const auto& r : kV6Prohibited) {
      if (in_range(address, r)) return std::string(r.what);
    }
    return std::nullopt;
  }
  return std::string("no IPv4 or IPv6 address");
}

std::optional<std::size_t> ds_digest_length(std::uint8_t digest_type) {
  switch (digest_type) {
    case 1:  // SHA-1, RFC 4034 section 5.1.4
      return 20;
    case 2:  // SHA-256, RFC 4509
    case 3:  // GOST R 34.11-94, RFC 5933
    case 5:  // GOST R 34.11-2012, RFC 9558
    case 6:  // SM3, RFC 9563
      return 32;
    case 4:  // SHA-384, RFC 6605
      return 48;
    default:
      return std::nullopt;
  }
}

std::size_t referral_size(const Name& cut, std::span<const Name> ns, bool with_a, bool with_aaaa) {
  const std::string question = max_query_wire(cut);
  MessageSizer m;
  m.raw(12);           // header
  m.name(question);    // question
  m.raw(4);            // QTYPE, QCLASS
  for (const auto& host : ns) {
    m.name(cut.wire());  // owner
    m.raw(10);           // TYPE, CLASS, TTL, RDLENGTH
    m.name(host.wire());
  }
  if (!ns.empty()) {
    if (with_a) {
      m.name(ns.front().wire());
      m.raw(10 + 4);
    }
    if (with_aaaa) {
      m.name(ns.front().wire());
      m.raw(10 + 16);
    }
  }
  return m.size();
}

namespace {

// Octet lengths of the labels of a presentation-form name ("\DDD" and "\X" are one octet).
std::vector<std::size_t> label_lengths(std::string_view name) {
  std::vector<std::size_t> out{0};
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (c == '.') {
      if (i + 1 < name.size()) out.push_back(0);
      continue;
    }
    if (c == '\\' && i + 1 < name.size()) {
      if (i + 3 < name.size() && std::isdigit(static_cast<unsigned char>(name[i + 1])) != 0) {
        i += 3;
      } else {
        i += 1;
      }
    }
    ++out.back();
  }
  return out;
}

// A name-invalid finding for `token` when it cannot be a domain name, else nullopt.
std::optional<std::string> name_problem(std::string_view token) {
  if (token.empty() || token == "@" || token == ".") return std::nullopt;
  auto labels = label_lengths(token);
  std::size_t wire = 1;
  for (std::size_t len : labels) {
    if (len > Name::kMaxLabelLength) {
      return "a label of " + std::to_string(len) + " octets in '" + std::string(token.substr(0, 80)) +
             (token.size() > 80 ? "...'" : "'") + " exceeds 63 (RFC 1035 section 2.3.4)";
    }
    wire += len + 1;
  }
  if (wire > Name::kMaxWireLength) {
    return "the name '" + std::string(token.substr(0, 80)) + (token.size() > 80 ? "...'" : "'") + " has " +
           std::to_string(wire) + " octets, over 255 (RFC 1035 section 2.3.4)";
  }
  return std::nullopt;
}

// The tokens of a master-file line that hold names: the owner (when the line starts with one)
// and the RDATA names of the common name-bearing types.
std::optional<std::string> line_name_problem(std::string_view line) {
  if (auto semi = line.find(';'); semi != std::string_view::npos) line = line.substr(0, semi);
  std::vector<std::string_view> toks;
  bool owner = !line.empty() && line[0] != ' ' && line[0] != '\t' && line[0] != '$';
  for (std::size_t i = 0; i < line.size();) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r' || line[i] == '(' || line[i] == ')')) ++i;
    std::size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r' && line[i] != '(' && line[i] != ')') ++i;
    if (i > start) toks.push_back(line.substr(start, i - start));
  }
  if (toks.empty()) return std::nullopt;
  if (owner) {
    if (auto p = name_problem(toks[0])) return p;
  }
  for (std::size_t i = owner ? 1 : 0; i < toks.size(); ++i) {
    auto type = type_from_string(toks[i]);
    if (!type) continue;
    std::size_t names = (*type == rrtype::kSoa) ? 2 : (*type == rrtype::kNs || *type == rrtype::kCname || *type == rrtype::kDname || *type == rrtype::kPtr) ? 1 : 0;
    std::size_t first = i + 1;
    if (*type == rrtype::kMx) {
      names = 1;
      first = i + 2;
    }
    for (std::size_t k = first; k < first + names && k < toks.size(); ++k) {
      if (auto p = name_problem(toks[k])) return p;
    }
    break;
  }
  return std::nullopt;
}

}  // namespace

void refine_parse_findings(Findings& findings, std::string_view text) {
  std::vector<std::size_t> starts{0};  // offset of each line (line n at starts[n - 1])
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') starts.push_back(i + 1);
  }
  for (auto& f : findings) {
    if (f.rule != "parse") continue;
    if (f.message.find("Label length overflow") != std::string::npos || f.message.find("Domainname length overflow") != std::string::npos) {
      f.rule = "name-invalid";
    }
    if (f.line == 0 || f.line > starts.size()) continue;
    // The finding's line is where the record ended; a multi-line record starts up to a few lines before.
    for (std::uint32_t back = 0; back < 8 && back < f.line; ++back) {
      std::size_t begin = starts[f.line - 1 - back];
      std::size_t end = text.find('\n', begin);
      std::string_view line = text.substr(begin, end == std::string_view::npos ? std::string_view::npos : end - begin);
      if (auto p = line_name_problem(line)) {
        f.rule = "name-invalid";
        f.message = *p;
        break;
      }
      if (back > 0 && line.find(')') == std::string_view::npos && line.find('(') == std::string_view::npos) break;
    }
  }
}

Findings check_zone(const Zone& zone, const CheckOptions& options) {
  Findings out;
  const Name& apex = zone.origin();
  const Node* apex_node = zone.node(apex);
  const RRset* soa = apex_node != nullptr ? apex_node->find(rrtype::kSoa) : nullptr;
  if (soa == nullptr) {
    add(out, Severity::error, "soa-missing", "the zone " + q(apex) + " has no SOA record at its apex (RFC 1035 section 5.2)", 0,
        apex);
  } else if (soa->rdatas.size() > 1) {
    add(out, Severity::error, "soa-duplicate",
        "the apex has " + std::to_string(soa->rdatas.size()) + " SOA records; exactly one is allowed (RFC 1035 section 5.2)",
        soa->line, apex);
  }
  const bool root = apex.is_root();

  // Pass 1: cuts, hosts named by NS, and the address records of the zone.
  std::vector<const std::pair<const Name, Node>*> cuts;
  std::set<Name> ns_targets;
  for (const auto& entry : zone.nodes()) {
    const auto& [name, node] = entry;
    if (name == apex) continue;
    if (node.find(rrtype::kNs) != nullptr) {
      if (!cuts.empty() && name.is_subdomain_of(cuts.back()->first)) continue;  // occluded cut
      cuts.push_back(&entry);
    }
  }
  auto note_targets = [&](const RRset* ns) {
    if (ns == nullptr) return;
    for (const auto& rd : ns->rdatas) {
      if (auto n = parse_name_rdata(rd)) ns_targets.insert(*n);
    }
  };
  if (apex_node != nullptr) note_targets(apex_node->find(rrtype::kNs));
  for (const auto* c : cuts) note_targets(c->second.find(rrtype::kNs));

  GlueLookup glue = [&](const Name& host) {
    HostGlue g;
    const Node* n = zone.node(host);
    if (n == nullptr) return g;
    for (RrType t : {rrtype::kA, rrtype::kAaaa}) {
      if (const RRset* s = n->find(t)) {
        g.known = true;
        g.addresses.insert(g.addresses.end(), s->rdatas.begin(), s->rdatas.end());
        if (g.line == 0) g.line = s->line;
      }
    }
    return g;
  };

  // The apex NS set: the same count, host-name, glue and address rules as a delegation.
  if (const RRset* ns = apex_node != nullptr ? apex_node->find(rrtype::kNs) : nullptr) {
    DelegationInput d;
    d.cut = apex;
    d.apex = true;
    d.ns_line = ns->line;
    for (const auto& rd : ns->rdatas) {
      if (auto n = parse_name_rdata(rd)) d.ns.push_back(*n);
    }
    check_delegation_rules(d, glue, out);
  } else {
    add(out, Severity::error, "ns-count", "the apex has no NS records; at least 2 are required (RFC 1035 section 5.2)", 0, apex);
  }

  // Pass 2: every node, in canonical order (a cut's subtree follows the cut).
  const Name* cut = nullptr;
  for (const auto& [name, node] : zone.nodes()) {
    for (const auto& set : node.rrsets) {
      if (set.ttl > kMaxTtl) {
        add(out, Severity::error, "ttl-range",
            type_to_string(set.type) + " at " + q(name) + " has TTL " + std::to_string(set.ttl) +
                ", above 2147483647 (RFC 2181 section 8)",
            set.line, name);
      }
    }
    if (cut != nullptr && !name.is_subdomain_of(*cut)) cut = nullptr;
    const RRset* cname = node.find(rrtype::kCname);
    if (name == apex) continue;
    if (cut != nullptr) {
      // Below a cut: glue, or occluded data.
      for (const auto& set : node.rrsets) {
        bool address = set.type == rrtype::kA || set.type == rrtype::kAaaa;
        if (!address) {
          add(out, Severity::warning, "occluded-data",
              type_to_string(set.type) + " at " + q(name) + " lies below the delegation " + q(*cut) + " and is never served",
              set.line, name);
        } else if (!ns_targets.contains(name)) {
          add(out, Severity::warning, "glue-orphan",
              type_to_string(set.type) + " at " + q(name) + " is glue below " + q(*cut) + " that no NS record names", set.line,
              name);
        }
      }
      continue;
    }
    if (const RRset* ns = node.find(rrtype::kNs)) {
      cut = &name;
      for (const auto& set : node.rrsets) {
        if (set.type == rrtype::kNs || set.type == rrtype::kDs || is_dnssec_meta(set.type)) continue;
        if (set.type == rrtype::kA || set.type == rrtype::kAaaa) {
          if (ns_targets.contains(name)) continue;  // a host named like the cut: its glue
        }
        add(out, Severity::error, "data-at-delegation",
            (set.type == rrtype::kCname ? std::string("CNAME") : type_to_string(set.type)) + " at the delegation point " + q(name) +
                ": only NS, DS and their DNSSEC records belong there (RFC 2181 section 10.1, RFC 4035 section 2.2)",
            set.line, name);
      }
      DelegationInput d;
      d.cut = name;
      d.ns_line = ns->line;
      d.ns_ttl = ns->ttl;
      for (const auto& rd : ns->rdatas) {
        if (auto n = parse_name_rdata(rd)) d.ns.push_back(*n);
      }
      if (const RRset* ds = node.find(rrtype::kDs)) {
        d.ds_line = ds->line;
        d.ds_ttl = ds->ttl;
        for (const auto& rd : ds->rdatas) {
          if (auto parsed = parse_ds(rd)) {
            d.ds.push_back(std::move(*parsed));
          } else {
            add(out, Severity::error, "ds-digest-length", "a DS record of " + q(name) + " is malformed", ds->line, name);
          }
        }
      }
      d.ns_ttl = 0;  // the TTL of every RRset is checked above
      d.ds_ttl = 0;
      check_delegation_rules(d, glue, out);
      continue;
    }
    // Authoritative data below the apex.
    if (cname != nullptr && node.rrsets.size() > 1) {
      for (const auto& set : node.rrsets) {
        if (set.type == rrtype::kCname || is_dnssec_meta(set.type)) continue;
        add(out, Severity::error, "cname-and-other-data",
            q(name) + " has a CNAME and " + type_to_string(set.type) + " records (RFC 1034 section 3.6.2)", set.line, name);
      }
    }
    if (root) {
      for (const auto& set : node.rrsets) {
        if (is_dnssec_meta(set.type)) continue;
        add(out, Severity::error, "data-outside-delegation",
            type_to_string(set.type) + " at " + q(name) +
                ": the root zone holds only its apex, delegations and their glue, and " + q(name) + " is not delegated",
            set.line, name);
      }
    }
  }

  // Glue ranges, once per host named by an NS record.
  for (const auto& host : ns_targets) {
    HostGlue g = glue(host);
    if (!g.addresses.empty()) check_host_addresses(host, g.addresses, g.line, out);
  }

  if (options.dnssec) {
    if (apex_node != nullptr && apex_node->find(rrtype::kZonemd) != nullptr) {
      Findings z = verify_zonemd(zone);
      out.insert(out.end(), z.begin(), z.end());
    }
    bool is_signed = soa != nullptr && !soa->rrsigs.empty();
    if (options.now != 0 && is_signed) {
      Findings v = verify_zone(zone, VerifyOptions{options.now, 0});
      out.insert(out.end(), v.begin(), v.end());
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const Finding& a, const Finding& b) {
    if ((a.line == 0) != (b.line == 0)) return a.line == 0;
    return a.line < b.line;
  });
  return out;
}

Findings check_delegation(const RootZone& zone, const Delegation& proposed, const std::vector<Host>& hosts) {
  Findings out;
  std::map<Name, const Host*> given;
  for (const auto& h : hosts) given[h.name] = &h;
  GlueLookup glue = [&](const Name& name) {
    HostGlue g;
    const Host* h = nullptr;
    std::optional<Host> from_zone;
    if (auto it = given.find(name); it != given.end()) {
      h = it->second;
    } else if ((from_zone = zone.host(name))) {
      h = &*from_zone;
    }
    if (h == nullptr) return g;
    g.known = true;
    g.addresses = h->v4;
    g.addresses.insert(g.addresses.end(), h->v6.begin(), h->v6.end());
    return g;
  };
  DelegationInput d;
  d.cut = proposed.tld;
  d.apex = proposed.tld.is_root();
  d.ns = proposed.ns;
  d.ds = proposed.ds;
  d.ns_ttl = proposed.ns_ttl;
  d.ds_ttl = proposed.ds_ttl;
  check_delegation_rules(d, glue, out);
  for (const auto& host : proposed.ns) {
    HostGlue g = glue(host);
    check_host_addresses(host, g.addresses, 0, out);
  }
  return out;
}

}  // namespace rootgov::zone
