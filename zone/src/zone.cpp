// zone/src/zone.cpp - zone storage, master-file parsing through ldns, canonical output.
#include <rootgov/zone/zone.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <span>
#include <thread>

#include "dnssec_internal.hpp"
#include "encoding.hpp"
#include "zone_text.hpp"
#include "ldns_util.hpp"

namespace rootgov::zone {

namespace {

// add() into the node of `owner`.
bool add_to_node(Node& n, const Name& owner, RrType type, std::uint32_t ttl, Rdata rdata, std::uint32_t line) {
  auto it = std::lower_bound(n.rrsets.begin(), n.rrsets.end(), type, [](const RRset& s, RrType t) { return s.type < t; });
  if (it == n.rrsets.end() || it->type != type) {
    RRset set;
    set.owner = owner;
    set.type = type;
    set.ttl = ttl;
    set.line = line;
    set.rdatas.push_back(std::move(rdata));
    n.rrsets.insert(it, std::move(set));
    return true;
  }
  it->add(std::move(rdata));
  if (it->ttl != ttl) {
    it->ttl = std::min(it->ttl, ttl);
    return false;
  }
  return true;
}

}  // namespace

namespace detail {

// The reader adds an owner's consecutive records to the node it found for the first of them.
struct ZoneBuilder {
  static Node& node(Zone& zone, const Name& owner) { return zone.node_for(owner); }
  static bool add(Node& node, const Name& owner, RrType type, std::uint32_t ttl, Rdata rdata, std::uint32_t line) {
    return add_to_node(node, owner, type, ttl, std::move(rdata), line);
  }
};

}  // namespace detail

namespace {

bool is_dnssec_type(RrType t, bool keep_dnskey) {
  switch (t) {
    case rrtype::kRrsig:
    case rrtype::kNsec:
    case rrtype::kNsec3:
    case rrtype::kNsec3param:
    case rrtype::kZonemd:
      return true;
    case rrtype::kDnskey:
      return !keep_dnskey;
    default:
      return false;
  }
}

struct FileCloser {
  void operator()(FILE* f) const noexcept { std::fclose(f); }
};
using FilePtr = std::unique_ptr<FILE, FileCloser>;

struct PendingSig {
  Name owner;
  Rdata rdata;
  std::uint32_t line;
};

void attach_sigs(Zone& zone, std::vector<PendingSig>& sigs, Findings& findings) {
  for (auto& sig : sigs) {
    if (sig.rdata.size() < 2) continue;
    RrType covered = detail::read_u16(sig.rdata.data());
    RRset* set = zone.find(sig.owner, covered);
    if (set == nullptr) {
      findings.push_back({Severity::warning, "rrsig-orphan",
                          "rrsig at '" + sig.owner.to_string() + "' covers " + type_to_string(covered) +
                              ", which has no records there; dropped",
                          sig.line, sig.owner.to_string()});
      continue;
    }
    auto it = std::lower_bound(set->rrsigs.begin(), set->rrsigs.end(), sig.rdata);
    if (it == set->rrsigs.end() || *it != sig.rdata) set->rrsigs.insert(it, std::move(sig.rdata));
  }
}

Result<Zone, Findings> parse_stream(FILE* fp, const ParseOptions& options) {
  Findings findings;
  Zone zone(options.origin);
  std::uint32_t default_ttl = options.default_ttl;
  ldns_rdf* origin = ldns_rdf_new_frm_data(LDNS_RDF_TYPE_DNAME, options.origin.wire().size(),
                                           options.origin.wire().data());
  ldns_rdf* prev = nullptr;
  int line_nr = 0;
  std::vector<PendingSig> sigs;
  constexpr std::size_t kMaxFindings = 1000;

  while (!std::feof(fp) && findings.size() < kMaxFindings) {
    long before = std::ftell(fp);
    int start_line = line_nr + 1;
    ldns_rr* raw = nullptr;
    ldns_status st = ldns_rr_new_frm_fp_l(&raw, fp, &default_ttl, &origin, &prev, &line_nr);
    if (st == LDNS_STATUS_OK && raw != nullptr) {
      detail::RrPtr rr(raw);
      ldns_rr2canonical(rr.get());
      const ldns_rdf* owner_rdf = ldns_rr_owner(rr.get());
      auto owner = Name::from_wire({ldns_rdf_data(owner_rdf), ldns_rdf_size(owner_rdf)});
      auto type = static_cast<RrType>(ldns_rr_get_type(rr.get()));
      if (!owner) {
        findings.push_back({Severity::error, "parse", owner.error().message, static_cast<std::uint32_t>(start_line), {}});
        continue;
      }
      if (ldns_rr_get_class(rr.get()) != LDNS_RR_CLASS_IN) {
        findings.push_back({Severity::error, "parse", "record class is not IN", static_cast<std::uint32_t>(start_line),
                            owner->to_string()});
        continue;
      }
      if (!owner->is_subdomain_of(zone.origin())) {
        findings.push_back({Severity::error, "out-of-zone",
                            "owner '" + owner->to_string() + "' is outside the zone '" + zone.origin().to_string() + "'",
                            static_cast<std::uint32_t>(start_line), owner->to_string()});
        continue;
      }
      if (!options.keep_dnssec && is_dnssec_type(type, true)) continue;
      Rdata rdata;
      for (std::size_t i = 0; i < ldns_rr_rd_count(rr.get()); ++i) {
        const ldns_rdf* rdf = ldns_rr_rdf(rr.get(), i);
        rdata.append(reinterpret_cast<const char*>(ldns_rdf_data(rdf)), ldns_rdf_size(rdf));
      }
      auto line = static_cast<std::uint32_t>(line_nr);
      if (type == rrtype::kRrsig) {
        sigs.push_back({std::move(*owner), std::move(rdata), line});
        continue;
      }
      if (!zone.add(*owner, type, ldns_rr_ttl(rr.get()), std::move(rdata), line)) {
        findings.push_back({Severity::warning, "ttl-mismatch",
                            "records of the " + type_to_string(type) + " set at '" + owner->to_string() +
                                "' have different TTLs; the lowest is kept (RFC 2181 section 5.2)",
                            line, owner->to_string()});
      }
      continue;
    }
    switch (st) {
      case LDNS_STATUS_SYNTAX_EMPTY:
      case LDNS_STATUS_SYNTAX_TTL:
      case LDNS_STATUS_SYNTAX_ORIGIN:
        break;
      case LDNS_STATUS_SYNTAX_INCLUDE:
        findings.push_back({Severity::error, "parse", "$INCLUDE is not supported", static_cast<std::uint32_t>(line_nr), {}});
        break;
      default:
        findings.push_back({Severity::error, "parse", detail::status_message(st), static_cast<std::uint32_t>(line_nr), {}});
        break;
    }
    // INVARIANT: every iteration consumes input, so garbage can never make the loop spin.
    if (!std::feof(fp) && std::ftell(fp) == before) {
      int c;
      while ((c = std::fgetc(fp)) != EOF && c != '\n') {
      }
      ++line_nr;
    }
  }
  if (findings.size() >= kMaxFindings) {
    findings.push_back({Severity::error, "parse", "too many errors; parsing stopped", static_cast<std::uint32_t>(line_nr), {}});
  }
  if (origin != nullptr) ldns_rdf_deep_free(origin);
  if (prev != nullptr) ldns_rdf_deep_free(prev);

  attach_sigs(zone, sigs, findings);
  if (has_errors(findings)) return std::unexpected(std::move(findings));
  return zone;
}


// ---------------------------------------------------------------------------------------------
// Fast path. Master files as signers meet them (one record per line or parenthesized, common
// types) are tokenized here directly from memory; RDATA of the types below is encoded without
// ldns, other types go through ldns_rr_new_frm_str one record at a time. Anything unusual (a
// record ldns rejects, control characters, $INCLUDE, unbalanced parentheses, classes other than
// IN, owners outside the zone) abandons the fast path, and the whole text is parsed again by
// the ldns stream reader above, so findings on bad input are exactly the reference path's.

struct Abandon {};

bool all_digits(std::string_view t) {
  return !t.empty() && std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<std::uint32_t> parse_u32(std::string_view t) {
  if (!all_digits(t) || t.size() > 10) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : t) v = v * 10 + static_cast<std::uint64_t>(c - '0');
  if (v > 0xffffffffu) return std::nullopt;
  return static_cast<std::uint32_t>(v);
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c != b[i]) return false;
  }
  return true;
}

class Lexer {
 public:
  explicit Lexer(std::string_view text, std::uint32_t first_line = 1) : m_text(text), m_line(first_line) {}
  /// Next logical record's tokens; false at the end. Throws Abandon on what it will not judge.
  bool next(std::vector<std::string_view>& toks, bool& blank_owner, std::uint32_t& end_line) {
    toks.clear();
    int depth = 0;
    bool at_line_start = true;
    blank_owner = false;
    while (m_pos < m_text.size()) {
      char c = m_text[m_pos];
      if (at_line_start && toks.empty() && depth == 0) {
        blank_owner = (c == ' ' || c == '\t');
        at_line_start = false;
      }
      if (c == '\n') {
        ++m_line;
        ++m_pos;
        at_line_start = true;
        if (depth == 0 && !toks.empty()) {
          end_line = m_line - 1;
          return true;
        }
        continue;
      }
      if (c == ' ' || c == '\t' || c == '\r') {
        ++m_pos;
        continue;
      }
      if (c == ';') {
        while (m_pos < m_text.size() && m_text[m_pos] != '\n') ++m_pos;
        continue;
      }
      if (c == '(') {
        ++depth;
        ++m_pos;
        continue;
      }
      if (c == ')') {
        if (--depth < 0) throw Abandon{};
        ++m_pos;
        continue;
      }
      std::size_t start = m_pos;
      if (c == '"') {
        ++m_pos;
        while (m_pos < m_text.size() && m_text[m_pos] != '"') {
          if (m_text[m_pos] == '\n') throw Abandon{};
          if (m_text[m_pos] == '\\') ++m_pos;
          ++m_pos;
        }
        if (m_pos >= m_text.size()) throw Abandon{};
        ++m_pos;
      } else {
        while (m_pos < m_text.size()) {
          char d = m_text[m_pos];
          auto u = static_cast<unsigned char>(d);
          if (d == ' ' || d == '\t' || d == '\n' || d == '\r' || d == ';' || d == '(' || d == ')' || d == '"') break;
          if (u < 0x20 || u >= 0x7f) throw Abandon{};
          if (d == '\\') {
            if (m_pos + 1 >= m_text.size() || m_text[m_pos + 1] == '\n') throw Abandon{};
            ++m_pos;
          }
          ++m_pos;
        }
      }
      toks.push_back(m_text.substr(start, m_pos - start));
    }
    if (depth != 0) throw Abandon{};
    end_line = m_line;
    return !toks.empty();
  }

 private:
  std::string_view m_text;
  std::size_t m_pos = 0;
  std::uint32_t m_line;
};

std::optional<Rdata> fast_a(std::string_view t) {
  Rdata out;
  out.reserve(4);
  std::size_t pos = 0;
  for (int i = 0; i < 4; ++i) {
    std::size_t dot = i < 3 ? t.find('.', pos) : t.size();
    if (dot == std::string_view::npos) return std::nullopt;
    auto v = parse_u32(t.substr(pos, dot - pos));
    if (!v || *v > 255 || dot - pos > 3) return std::nullopt;
    out.push_back(static_cast<char>(*v));
    pos = dot + 1;
  }
  return out;
}

std::optional<Rdata> fast_rdata(RrType type, std::span<const std::string_view> f, const Name& origin) {
  auto name = [&](std::string_view t) -> std::optional<Name> {
    if (t == "@") return origin;
    auto n = Name::parse(t, origin);
    if (!n) return std::nullopt;
    return std::move(*n);
  };
  auto joined = [&](std::size_t from) {
    std::string s;
    for (std::size_t i = from; i < f.size(); ++i) s += f[i];
    return s;
  };
  switch (type) {
    case rrtype::kA:
      if (f.size() != 1) return std::nullopt;
      return fast_a(f[0]);
    case rrtype::kAaaa: {
      if (f.size() != 1 || f[0].size() > 45) return std::nullopt;
      char buf[48];
      std::memcpy(buf, f[0].data(), f[0].size());
      buf[f[0].size()] = '\0';
      unsigned char out[16];
      if (inet_pton(AF_INET6, buf, out) != 1) return std::nullopt;
      return Rdata(reinterpret_cast<const char*>(out), 16);
    }
    case rrtype::kNs:
    case rrtype::kCname:
    case rrtype::kPtr:
    case rrtype::kDname: {
      if (f.size() != 1) return std::nullopt;
      auto n = name(f[0]);
      if (!n) return std::nullopt;
      return n->wire();
    }
    case rrtype::kSoa: {
      if (f.size() != 7) return std::nullopt;
      auto m = name(f[0]);
      auto r = name(f[1]);
      if (!m || !r) return std::nullopt;
      SoaData soa{*m, *r};
      std::uint32_t* fields[] = {&soa.serial, &soa.refresh, &soa.retry, &soa.expire, &soa.minimum};
      for (int i = 0; i < 5; ++i) {
        auto v = parse_u32(f[static_cast<std::size_t>(2 + i)]);
        if (!v) return std::nullopt;
        *fields[i] = *v;
      }
      return make_soa(soa);
    }
    case rrtype::kDs: {
      if (f.size() < 4) return std::nullopt;
      auto tag = parse_u32(f[0]);
      auto alg = parse_u32(f[1]);
      auto dt = parse_u32(f[2]);
      if (!tag || *tag > 0xffff || !alg || *alg > 255 || !dt || *dt > 255) return std::nullopt;
      auto digest = detail::decode_hex(joined(3));
      if (!digest || digest->empty()) return std::nullopt;
      return make_ds({static_cast<std::uint16_t>(*tag), static_cast<std::uint8_t>(*alg), static_cast<std::uint8_t>(*dt),
                      std::move(*digest)});
    }
    case rrtype::kDnskey: {
      if (f.size() < 4) return std::nullopt;
      auto flags = parse_u32(f[0]);
      auto proto = parse_u32(f[1]);
      auto alg = parse_u32(f[2]);
      if (!flags || *flags > 0xffff || !proto || *proto > 255 || !alg || *alg > 255) return std::nullopt;
      std::string b64 = joined(3);
      if (b64.size() % 4 != 0) return std::nullopt;
      auto key = detail::decode_base64(b64);
      if (!key || key->empty()) return std::nullopt;
      Rdata r;
      detail::put_u16(r, static_cast<std::uint16_t>(*flags));
      r.push_back(static_cast<char>(*proto));
      r.push_back(static_cast<char>(*alg));
      r += *key;
      return r;
    }
    default:
      return std::nullopt;
  }
}

std::optional<RrType> fast_type(std::string_view t) {
  switch (t.size()) {
    case 1:
      if (iequals(t, "A")) return rrtype::kA;
      break;
    case 2:
      if (iequals(t, "NS")) return rrtype::kNs;
      if (iequals(t, "DS")) return rrtype::kDs;
      break;
    case 3:
      if (iequals(t, "SOA")) return rrtype::kSoa;
      break;
    case 4:
      if (iequals(t, "AAAA")) return rrtype::kAaaa;
      if (iequals(t, "NSEC")) return rrtype::kNsec;
      break;
    case 5:
      if (iequals(t, "RRSIG")) return rrtype::kRrsig;
      break;
    case 6:
      if (iequals(t, "DNSKEY")) return rrtype::kDnskey;
      if (iequals(t, "ZONEMD")) return rrtype::kZonemd;
      break;
    default:
      break;
  }
  if (t.empty() || (t[0] >= '0' && t[0] <= '9')) return std::nullopt;
  return type_from_string(t);
}

// The directive state the fast path carries from line to line ($ORIGIN, $TTL).
struct DirectiveState {
  Name origin;
  std::uint32_t default_ttl = 0;
  bool operator==(const DirectiveState&) const = default;
};

// Applies a $TTL or $ORIGIN line; throws Abandon on any other directive.
void apply_directive(const std::vector<std::string_view>& toks, DirectiveState& state) {
  if (iequals(toks[0], "$TTL") && toks.size() == 2) {
    auto v = parse_u32(toks[1]);
    if (!v) throw Abandon{};
    state.default_ttl = *v;
    return;
  }
  if (iequals(toks[0], "$ORIGIN") && toks.size() == 2) {
    auto n = Name::parse(toks[1], state.origin);
    if (!n) throw Abandon{};
    state.origin = std::move(*n);
    return;
  }
  throw Abandon{};
}

// One stretch of master-file text parsed by the fast path: its records, its RRSIGs (attached
// once all stretches are merged) and the directive state at its end.
struct FastPart {
  Zone zone;
  std::vector<PendingSig> sigs;
  Findings warnings;
  DirectiveState end;
};

// Parses `text`, whose first line is line `first_line` of the file, starting in `start`.
// Nullopt when the fast path abandons.
std::optional<FastPart> parse_fast_part(std::string_view text, std::uint32_t first_line, DirectiveState start,
                                        const ParseOptions& options) {
  FastPart part{Zone(options.origin), {}, {}, std::move(start)};
  Zone& zone = part.zone;
  Findings& warnings = part.warnings;
  std::vector<PendingSig>& sigs = part.sigs;
  const Name& origin = part.end.origin;
  const std::uint32_t& default_ttl = part.end.default_ttl;
  std::optional<Name> prev_owner;
  std::string_view prev_owner_text;
  Node* owner_node = nullptr;  // prev_owner's node once a record was added to it
  std::vector<std::string_view> toks;
  detail::RdfPtr origin_rdf;
  Lexer lex(text, first_line);
  bool blank = false;
  std::uint32_t line = 0;
  try {
    while (lex.next(toks, blank, line)) {
      std::size_t i = 0;
      if (!blank && toks[0][0] == '$') {
        apply_directive(toks, part.end);
        origin_rdf.reset();
        prev_owner_text = {};
        continue;
      }
      if (!blank) {
        if (!prev_owner || toks[0] != prev_owner_text) {
          auto n = toks[0] == "@" ? Result<Name>(origin) : Name::parse(toks[0], origin);
          if (!n) throw Abandon{};
          prev_owner = std::move(*n);
          prev_owner_text = toks[0];
          owner_node = nullptr;
        }
        i = 1;
      } else if (!prev_owner) {
        throw Abandon{};
      } else {
        prev_owner_text = {};
      }
      const Name& owner = *prev_owner;
      if (!owner.is_subdomain_of(zone.origin())) throw Abandon{};
      // RFC 1035 allows TTL and class in either order; the ldns reader takes TTL first only.
      std::optional<std::uint32_t> ttl;
      std::string_view ttl_text;
      if (i < toks.size() && toks[i][0] >= '0' && toks[i][0] <= '9') {
        ttl_text = toks[i];
        ttl = parse_u32(toks[i]);  // nullopt with units ("1h"): ldns reads those
        ++i;
      }
      if (i < toks.size() && iequals(toks[i], "IN")) ++i;
      if (i >= toks.size()) throw Abandon{};
      std::optional<RrType> type = fast_type(toks[i]);
      std::uint32_t rr_ttl = ttl.value_or(default_ttl);
      std::span<const std::string_view> fields(toks.data() + i + 1, toks.size() - i - 1);
      if (type && !options.keep_dnssec && is_dnssec_type(*type, true)) continue;
      std::optional<Rdata> rdata;
      if (type && (ttl || ttl_text.empty())) rdata = fast_rdata(*type, fields, origin);
      if (!rdata) {
        // Through ldns, one record: unusual types, TTL units, or fields the fast path declines.
        std::string rr_text = owner.to_string();
        if (!ttl_text.empty()) {
          rr_text += ' ';
          rr_text += ttl_text;
        }
        rr_text += " IN";
        for (std::size_t k = i; k < toks.size(); ++k) {
          rr_text += ' ';
          rr_text += toks[k];
        }
        if (!origin_rdf) {
          origin_rdf.reset(ldns_rdf_new_frm_data(LDNS_RDF_TYPE_DNAME, origin.wire().size(), origin.wire().data()));
        }
        ldns_rr* raw = nullptr;
        ldns_status st = ldns_rr_new_frm_str(&raw, rr_text.c_str(), default_ttl, origin_rdf.get(), nullptr);
        if (st != LDNS_STATUS_OK || raw == nullptr) throw Abandon{};
        detail::RrPtr rr(raw);
        if (ldns_rr_get_class(rr.get()) != LDNS_RR_CLASS_IN) throw Abandon{};
        ldns_rr2canonical(rr.get());
        type = static_cast<RrType>(ldns_rr_get_type(rr.get()));
        rr_ttl = ldns_rr_ttl(rr.get());
        if (!options.keep_dnssec && is_dnssec_type(*type, true)) continue;
        Rdata r;
        for (std::size_t k = 0; k < ldns_rr_rd_count(rr.get()); ++k) {
          const ldns_rdf* rdf = ldns_rr_rdf(rr.get(), k);
          r.append(reinterpret_cast<const char*>(ldns_rdf_data(rdf)), ldns_rdf_size(rdf));
        }
        rdata = std::move(r);
      }
      if (*type == rrtype::kRrsig) {
        sigs.push_back({owner, std::move(*rdata), line});
        continue;
      }
      if (owner_node == nullptr) owner_node = &detail::ZoneBuilder::node(zone, owner);
      if (!detail::ZoneBuilder::add(*owner_node, owner, *type, rr_ttl, std::move(*rdata), line)) {
        warnings.push_back({Severity::warning, "ttl-mismatch",
                            "records of the " + type_to_string(*type) + " set at '" + owner.to_string() +
                                "' have different TTLs; the lowest is kept (RFC 2181 section 5.2)",
                            line, owner.to_string()});
      }
    }
  } catch (const Abandon&) {
    return std::nullopt;
  }
  return part;
}

// Stretches of at least this size are parsed on their own thread.
constexpr std::size_t kMinParsePart = 128 * 1024;

// Where to cut `text` into about `parts` stretches: each cut is the start of a line that
// begins with an owner name (not blank, not a comment, directive or parenthesis).
std::vector<std::size_t> cut_points(std::string_view text, unsigned parts) {
  std::vector<std::size_t> cuts{0};
  for (unsigned k = 1; k < parts; ++k) {
    std::size_t at = text.find('\n', std::max(cuts.back(), text.size() * k / parts));
    while (at != std::string_view::npos && at + 1 < text.size()) {
      char c = text[at + 1];
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != ';' && c != '$' && c != '(' && c != ')') break;
      at = text.find('\n', at + 1);
    }
    if (at == std::string_view::npos || at + 1 >= text.size()) break;
    cuts.push_back(at + 1);
  }
  return cuts;
}

// The directive state at `to` as far as the directive lines before it tell, starting from
// `state` at `from`. A guess, checked later against the state the previous stretch really
// ended in (a "$" line inside a parenthesized record would mislead it).
std::optional<DirectiveState> guess_state(std::string_view text, std::size_t from, std::size_t to, DirectiveState state) {
  std::vector<std::string_view> toks;
  for (std::size_t at = text.find('$', from); at < to; at = text.find('$', at + 1)) {
    if (at != 0 && text[at - 1] != '\n') continue;
    std::size_t end = text.find('\n', at);
    Lexer lex(text.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at));
    bool blank = false;
    std::uint32_t line = 0;
    try {
      if (!lex.next(toks, blank, line)) return std::nullopt;
      apply_directive(toks, state);
    } catch (const Abandon&) {
      return std::nullopt;
    }
  }
  return state;
}

// The fast path over the whole text. Large texts are cut into stretches at owner lines and
// parsed on `options.threads` threads, each stretch from the directive state guessed for its
// start; the result is the one-stretch parse's: a stretch whose guess differs from the state
// its predecessor actually ended in is parsed again, and a stretch that abandons (a cut inside
// a multi-line record ends its predecessor inside parentheses) sends the whole text through
// one sequential parse. Records of one RRset in several stretches merge as add() would.
std::optional<Zone> parse_fast(std::string_view text, const ParseOptions& options, Findings& warnings) {
  DirectiveState initial{options.origin, options.default_ttl};
  unsigned parts = static_cast<unsigned>(std::min<std::size_t>(detail::thread_count(options.threads), text.size() / kMinParsePart));
  std::vector<std::size_t> cuts = cut_points(text, std::max(parts, 1u));
  std::vector<DirectiveState> guesses{initial};
  for (std::size_t k = 1; k < cuts.size(); ++k) {
    auto g = guess_state(text, cuts[k - 1], cuts[k], guesses.back());
    if (!g) break;
    guesses.push_back(std::move(*g));
  }
  cuts.resize(guesses.size());
  cuts.push_back(text.size());

  std::size_t n = guesses.size();
  std::vector<std::uint32_t> first_lines(n, 1);
  for (std::size_t k = 1; k < n; ++k) {
    first_lines[k] = first_lines[k - 1] +
                     static_cast<std::uint32_t>(std::count(text.begin() + static_cast<std::ptrdiff_t>(cuts[k - 1]),
                                                           text.begin() + static_cast<std::ptrdiff_t>(cuts[k]), '\n'));
  }
  auto stretch = [&](std::size_t k) { return text.substr(cuts[k], cuts[k + 1] - cuts[k]); };
  std::vector<std::optional<FastPart>> results(n);
  {
    std::vector<std::jthread> pool;
    for (std::size_t k = 1; k < n; ++k) {
      pool.emplace_back([&, k] { results[k] = parse_fast_part(stretch(k), first_lines[k], guesses[k], options); });
    }
    results[0] = parse_fast_part(stretch(0), 1, initial, options);
  }
  for (std::size_t k = 1; k < n && results[k - 1]; ++k) {
    if (results[k - 1]->end != guesses[k]) {
      results[k] = parse_fast_part(stretch(k), first_lines[k], results[k - 1]->end, options);
    }
  }
  if (!std::all_of(results.begin(), results.end(), [](const auto& r) { return r.has_value(); })) {
    if (n == 1) return std::nullopt;
    auto whole = parse_fast_part(text, 1, initial, options);
    if (!whole) return std::nullopt;
    results.assign(1, std::move(whole));
  }
  FastPart& first = *results[0];
  for (std::size_t k = 1; k < results.size(); ++k) {
    FastPart& part = *results[k];
    first.zone.merge(std::move(part.zone));
    first.sigs.insert(first.sigs.end(), std::make_move_iterator(part.sigs.begin()), std::make_move_iterator(part.sigs.end()));
    first.warnings.insert(first.warnings.end(), part.warnings.begin(), part.warnings.end());
  }
  warnings.insert(warnings.end(), first.warnings.begin(), first.warnings.end());
  attach_sigs(first.zone, first.sigs, warnings);
  return std::move(first.zone);
}

Result<Zone, Findings> parse_text(std::string_view text, const ParseOptions& options) {
  Findings warnings;  // a successful parse returns the zone only, as the reference path does
  if (auto zone = parse_fast(text, options, warnings)) return std::move(*zone);
  std::string copy(text);
  if (copy.empty()) return parse_stream(FilePtr(std::tmpfile()).get(), options);
  FilePtr fp(fmemopen(copy.data(), copy.size(), "r"));
  if (!fp) return std::unexpected(Findings{{Severity::error, "io", "cannot read text", 0, {}}});
  return parse_stream(fp.get(), options);
}

}  // namespace

bool has_errors(std::span<const Finding> findings) {
  return std::any_of(findings.begin(), findings.end(), [](const Finding& f) { return f.severity == Severity::error; });
}

std::string format_finding(const Finding& f, std::string_view file) {
  std::string out(file);
  if (f.line != 0) {
    out.push_back(':');
    out += std::to_string(f.line);
  }
  out += f.severity == Severity::error ? ": error: " : ": warning: ";
  out += f.rule;
  out += ": ";
  out += f.message;
  return out;
}

const RRset* Node::find(RrType type) const {
  auto it = std::lower_bound(rrsets.begin(), rrsets.end(), type, [](const RRset& s, RrType t) { return s.type < t; });
  return (it != rrsets.end() && it->type == type) ? &*it : nullptr;
}

RRset* Node::find(RrType type) {
  auto it = std::lower_bound(rrsets.begin(), rrsets.end(), type, [](const RRset& s, RrType t) { return s.type < t; });
  return (it != rrsets.end() && it->type == type) ? &*it : nullptr;
}

Result<Zone, Findings> Zone::from_file(const std::filesystem::path& path, const ParseOptions& options) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return std::unexpected(Findings{{Severity::error, "io", "cannot open: " + std::string(std::strerror(errno)), 0, {}}});
  }
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    // A regular file is parsed where the page cache holds it: no copy, and MAP_POPULATE maps
    // every page in one call instead of one page fault per 4 KiB (~10 us each on a VM).
    auto size = static_cast<std::size_t>(st.st_size);
    void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    ::close(fd);
    if (map == MAP_FAILED) {
      int e = errno;
      return std::unexpected(Findings{{Severity::error, "io", "cannot read: " + std::string(std::strerror(e)), 0, {}}});
    }
    auto result = parse_text(std::string_view(static_cast<const char*>(map), size), options);
    ::munmap(map, size);
    return result;
  }
  std::string text;
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int e = errno;
      ::close(fd);
      return std::unexpected(Findings{{Severity::error, "io", "cannot read: " + std::string(std::strerror(e)), 0, {}}});
    }
    if (n == 0) break;
    text.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return parse_text(text, options);
}

Result<Zone, Findings> Zone::from_text(std::string_view text, const ParseOptions& options) {
  return parse_text(text, options);
}

Zone::Zone(const Zone& other) : m_origin(other.m_origin), m_nodes(other.m_nodes), m_indexed(other.m_indexed) {
  rebuild_index();  // the copy's views must be of its own keys
}

Zone& Zone::operator=(const Zone& other) {
  if (this != &other) {
    m_origin = other.m_origin;
    m_nodes = other.m_nodes;
    m_indexed = other.m_indexed;
    rebuild_index();
  }
  return *this;
}

void Zone::index_owners() {
  m_indexed = true;
  rebuild_index();
}

void Zone::rebuild_index() {
  m_index.clear();
  if (!m_indexed) return;
  m_index.reserve(m_nodes.size());
  for (auto& [owner, node] : m_nodes) m_index.emplace(owner.wire(), &node);
}

void Zone::indexed(Nodes::iterator it) {
  if (m_indexed) m_index.emplace(it->first.wire(), &it->second);
}

Zone::Nodes::iterator Zone::erase_node(Nodes::iterator it) {
  if (m_indexed) m_index.erase(std::string_view(it->first.wire()));
  return m_nodes.erase(it);
}

const Node* Zone::node(const Name& owner) const {
  if (m_indexed) {
    auto at = m_index.find(std::string_view(owner.wire()));
    return at == m_index.end() ? nullptr : at->second;
  }
  auto it = m_nodes.find(owner);
  return it == m_nodes.end() ? nullptr : &it->second;
}

const RRset* Zone::find(const Name& owner, RrType type) const {
  const Node* n = node(owner);
  return n == nullptr ? nullptr : n->find(type);
}

RRset* Zone::find(const Name& owner, RrType type) {
  // node() hands out our own nodes as const; this overload is the non-const access to one.
  auto* n = const_cast<Node*>(node(owner));
  return n == nullptr ? nullptr : n->find(type);
}

bool Zone::merge(Zone&& other) {
  bool same_ttls = true;
  // Splice the nodes of owners not present here, walking both sorted maps once: each goes in
  // just before the first of ours that sorts after it, without a search from the root.
  auto pos = m_nodes.begin();
  for (auto it = other.m_nodes.begin(); it != other.m_nodes.end();) {
    auto next = std::next(it);
    while (pos != m_nodes.end() && pos->first < it->first) ++pos;
    if (pos == m_nodes.end() || it->first < pos->first) indexed(m_nodes.insert(pos, other.m_nodes.extract(it)));
    it = next;
  }
  other.m_index.clear();
  for (auto& [owner, theirs] : other.m_nodes) {
    Node& mine = m_nodes.at(owner);  // not spliced above: we have it
    for (auto& set : theirs.rrsets) {
      auto it = std::lower_bound(mine.rrsets.begin(), mine.rrsets.end(), set.type,
                                 [](const RRset& s, RrType t) { return s.type < t; });
      if (it == mine.rrsets.end() || it->type != set.type) {
        mine.rrsets.insert(it, std::move(set));
        continue;
      }
      for (auto& rd : set.rdatas) it->add(std::move(rd));
      for (auto& sig : set.rrsigs) {
        auto at = std::lower_bound(it->rrsigs.begin(), it->rrsigs.end(), sig);
        if (at == it->rrsigs.end() || *at != sig) it->rrsigs.insert(at, std::move(sig));
      }
      if (it->ttl != set.ttl) {
        it->ttl = std::min(it->ttl, set.ttl);
        same_ttls = false;
      }
    }
  }
  other.m_nodes.clear();
  return same_ttls;
}

Node& Zone::node_for(const Name& owner) {
  // Master files list an owner's records together and mostly in canonical order: the last
  // node, or a new one after it, is found without a search.
  if (!m_nodes.empty()) {
    auto last = std::prev(m_nodes.end());
    if (last->first == owner) return last->second;
    if (last->first < owner) {
      auto it = m_nodes.emplace_hint(m_nodes.end(), owner, Node{});
      indexed(it);
      return it->second;
    }
  }
  auto [it, inserted] = m_nodes.try_emplace(owner);
  if (inserted) indexed(it);
  return it->second;
}

bool Zone::add(const Name& owner, RrType type, std::uint32_t ttl, Rdata rdata, std::uint32_t line) {
  return add_to_node(node_for(owner), owner, type, ttl, std::move(rdata), line);
}

void Zone::put(RRset rrset) {
  if (rrset.rdatas.empty()) {
    remove(rrset.owner, rrset.type);
    return;
  }
  std::sort(rrset.rdatas.begin(), rrset.rdatas.end());
  rrset.rdatas.erase(std::unique(rrset.rdatas.begin(), rrset.rdatas.end()), rrset.rdatas.end());
  std::sort(rrset.rrsigs.begin(), rrset.rrsigs.end());
  Node& n = node_for(rrset.owner);
  auto it = std::lower_bound(n.rrsets.begin(), n.rrsets.end(), rrset.type,
                             [](const RRset& s, RrType t) { return s.type < t; });
  if (it != n.rrsets.end() && it->type == rrset.type) {
    *it = std::move(rrset);
  } else {
    n.rrsets.insert(it, std::move(rrset));
  }
}

bool Zone::remove(const Name& owner, RrType type) {
  auto nit = m_nodes.find(owner);
  if (nit == m_nodes.end()) return false;
  auto& sets = nit->second.rrsets;
  auto it = std::lower_bound(sets.begin(), sets.end(), type, [](const RRset& s, RrType t) { return s.type < t; });
  if (it == sets.end() || it->type != type) return false;
  sets.erase(it);
  if (sets.empty()) erase_node(nit);
  return true;
}

bool Zone::remove_node(const Name& owner) {
  auto it = m_nodes.find(owner);
  if (it == m_nodes.end()) return false;
  erase_node(it);
  return true;
}

std::size_t Zone::record_count() const {
  std::size_t n = 0;
  for (const auto& [name, node] : m_nodes) {
    for (const auto& set : node.rrsets) n += set.rdatas.size() + set.rrsigs.size();
  }
  return n;
}

void Zone::strip_dnssec(bool keep_dnskey) {
  for (auto it = m_nodes.begin(); it != m_nodes.end();) {
    auto& sets = it->second.rrsets;
    std::erase_if(sets, [&](const RRset& s) { return is_dnssec_type(s.type, keep_dnskey); });
    for (auto& s : sets) s.rrsigs.clear();
    it = sets.empty() ? erase_node(it) : std::next(it);
  }
}

namespace {

void append_record(std::string& out, std::string_view owner, std::uint32_t ttl, RrType type, const Rdata& rdata) {
  out += owner;
  out.push_back('\t');
  detail::append_uint(out, ttl);
  out += "\tIN\t";
  if (auto m = detail::type_mnemonic(type); !m.empty()) {
    out += m;
  } else {
    out += type_to_string(type);
  }
  out.push_back('\t');
  detail::append_rdata_text(out, type, rdata);
  out.push_back('\n');
}

}  // namespace

namespace detail {

void append_nodes_text(std::string& out, NodeIterator begin, NodeIterator end, bool unsigned_only) {
  struct Sig {
    const Rdata* rdata;
    std::uint32_t ttl;
  };
  std::vector<Sig> sigs;
  std::string owner;
  for (auto it = begin; it != end; ++it) {
    const Node& node = it->second;
    owner = it->first.to_string();
    sigs.clear();
    if (unsigned_only) {
      for (const auto& set : node.rrsets) {
        if (is_dnssec_type(set.type, /*keep_dnskey=*/true)) continue;
        for (const auto& rd : set.rdatas) append_record(out, owner, set.ttl, set.type, rd);
      }
      continue;
    }
    for (const auto& set : node.rrsets) {
      for (const auto& s : set.rrsigs) sigs.push_back({&s, set.ttl});
    }
    std::sort(sigs.begin(), sigs.end(), [](const Sig& a, const Sig& b) { return *a.rdata < *b.rdata; });
    bool sigs_done = sigs.empty();
    for (const auto& set : node.rrsets) {
      if (!sigs_done && set.type > rrtype::kRrsig) {
        for (const auto& s : sigs) append_record(out, owner, s.ttl, rrtype::kRrsig, *s.rdata);
        sigs_done = true;
      }
      for (const auto& rd : set.rdatas) append_record(out, owner, set.ttl, set.type, rd);
    }
    if (!sigs_done) {
      for (const auto& s : sigs) append_record(out, owner, s.ttl, rrtype::kRrsig, *s.rdata);
    }
  }
}

}  // namespace detail

std::string to_text(const Zone& zone) {
  std::string out;
  out.reserve(zone.record_count() * 96);
  detail::append_nodes_text(out, zone.nodes().begin(), zone.nodes().end());
  return out;
}

std::string to_text_unsigned(const Zone& zone) {
  std::string out;
  out.reserve(zone.record_count() * 64);
  detail::append_nodes_text(out, zone.nodes().begin(), zone.nodes().end(), /*unsigned_only=*/true);
  return out;
}

Result<void> write_file(const Zone& zone, const std::filesystem::path& path) {
  std::string text = to_text(zone);
  std::filesystem::path tmp = path;
  tmp += ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return fail(Errc::io, "cannot create '" + tmp.string() + "': " + std::strerror(errno));
  std::size_t off = 0;
  while (off < text.size()) {
    ssize_t n = ::write(fd, text.data() + off, text.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      int e = errno;
      ::close(fd);
      return fail(Errc::io, "cannot write '" + tmp.string() + "': " + std::strerror(e));
    }
    off += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) return fail(Errc::io, "cannot sync '" + tmp.string() + "'");
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return fail(Errc::io, "cannot rename to '" + path.string() + "': " + ec.message());
  auto dir = path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return {};
}

}  // namespace rootgov::zone
