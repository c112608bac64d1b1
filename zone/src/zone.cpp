// zone/src/zone.cpp - zone storage, master-file parsing through ldns, canonical output.
#include <rootgov/zone/zone.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "encoding.hpp"
#include "ldns_util.hpp"

namespace rootgov::zone {
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
  if (has_errors(findings)) return std::unexpected(std::move(findings));
  return zone;
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
  FilePtr fp(std::fopen(path.c_str(), "r"));
  if (!fp) {
    return std::unexpected(Findings{{Severity::error, "io", "cannot open: " + std::string(std::strerror(errno)), 0, {}}});
  }
  return parse_stream(fp.get(), options);
}

Result<Zone, Findings> Zone::from_text(std::string_view text, const ParseOptions& options) {
  if (text.empty()) return parse_stream(FilePtr(std::tmpfile()).get(), options);
  std::string copy(text);
  FilePtr fp(fmemopen(copy.data(), copy.size(), "r"));
  if (!fp) return std::unexpected(Findings{{Severity::error, "io", "cannot read text", 0, {}}});
  return parse_stream(fp.get(), options);
}

const Node* Zone::node(const Name& owner) const {
  auto it = m_nodes.find(owner);
  return it == m_nodes.end() ? nullptr : &it->second;
}

const RRset* Zone::find(const Name& owner, RrType type) const {
  const Node* n = node(owner);
  return n == nullptr ? nullptr : n->find(type);
}

RRset* Zone::find(const Name& owner, RrType type) {
  auto it = m_nodes.find(owner);
  return it == m_nodes.end() ? nullptr : it->second.find(type);
}

bool Zone::add(const Name& owner, RrType type, std::uint32_t ttl, Rdata rdata, std::uint32_t line) {
  Node& n = m_nodes[owner];
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

void Zone::put(RRset rrset) {
  if (rrset.rdatas.empty()) {
    remove(rrset.owner, rrset.type);
    return;
  }
  std::sort(rrset.rdatas.begin(), rrset.rdatas.end());
  rrset.rdatas.erase(std::unique(rrset.rdatas.begin(), rrset.rdatas.end()), rrset.rdatas.end());
  std::sort(rrset.rrsigs.begin(), rrset.rrsigs.end());
  Node& n = m_nodes[rrset.owner];
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
  if (sets.empty()) m_nodes.erase(nit);
  return true;
}

bool Zone::remove_node(const Name& owner) { return m_nodes.erase(owner) > 0; }

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
    it = sets.empty() ? m_nodes.erase(it) : std::next(it);
  }
}

namespace {

void append_record(std::string& out, const std::string& owner, std::uint32_t ttl, RrType type, const Rdata& rdata) {
  out += owner;
  out.push_back('\t');
  detail::append_uint(out, ttl);
  out += "\tIN\t";
  out += type_to_string(type);
  out.push_back('\t');
  out += rdata_to_text(type, rdata);
  out.push_back('\n');
}

}  // namespace

std::string to_text(const Zone& zone) {
  std::string out;
  out.reserve(zone.record_count() * 96);
  struct Sig {
    const Rdata* rdata;
    std::uint32_t ttl;
  };
  std::vector<Sig> sigs;
  for (const auto& [name, node] : zone.nodes()) {
    const std::string owner = name.to_string();
    sigs.clear();
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
