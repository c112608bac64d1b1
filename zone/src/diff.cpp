// zone/src/diff.cpp - RRset-level zone differences.
#include <rootgov/zone/diff.hpp>

#include <algorithm>
#include <map>
#include <set>

namespace rootgov::zone {
namespace {

bool is_dnssec(RrType t) {
  return t == rrtype::kDnskey || t == rrtype::kNsec || t == rrtype::kNsec3 || t == rrtype::kNsec3param ||
         t == rrtype::kZonemd || t == rrtype::kRrsig;
}

RRset content(const RRset& s) {
  RRset c = s;
  c.rrsigs.clear();
  return c;
}

void diff_nodes(const Name& owner, const Node* a, const Node* b, const DiffOptions& options, std::vector<RRsetChange>& out) {
  static const Node kEmpty;
  const auto& sa = (a != nullptr ? *a : kEmpty).rrsets;
  const auto& sb = (b != nullptr ? *b : kEmpty).rrsets;
  auto ia = sa.begin();
  auto ib = sb.begin();
  while (ia != sa.end() || ib != sb.end()) {
    RRsetChange c;
    c.owner = owner;
    if (ib == sb.end() || (ia != sa.end() && ia->type < ib->type)) {
      c.kind = RRsetChange::Kind::removed;
      c.type = ia->type;
      c.before = content(*ia++);
    } else if (ia == sa.end() || ib->type < ia->type) {
      c.kind = RRsetChange::Kind::added;
      c.type = ib->type;
      c.after = content(*ib++);
    } else {
      c.type = ia->type;
      RRset x = content(*ia++);
      RRset y = content(*ib++);
      if (x.ttl == y.ttl && x.rdatas == y.rdatas) continue;
      c.kind = RRsetChange::Kind::changed;
      c.before = std::move(x);
      c.after = std::move(y);
    }
    if (!options.include_dnssec && is_dnssec(c.type)) continue;
    out.push_back(std::move(c));
  }
}

void record_line(std::string& out, char sign, const RRset& s, const Rdata& rd) {
  out.push_back(sign);
  out.push_back(' ');
  out += s.owner.to_string();
  out += '\t';
  out += std::to_string(s.ttl);
  out += "\tIN\t";
  out += type_to_string(s.type);
  out += '\t';
  out += rdata_to_text(s.type, rd);
  out += '\n';
}

}  // namespace

std::vector<RRsetChange> diff_zones(const Zone& before, const Zone& after, const DiffOptions& options) {
  std::vector<RRsetChange> out;
  const auto& na = before.nodes();
  const auto& nb = after.nodes();
  auto ia = na.begin();
  auto ib = nb.begin();
  while (ia != na.end() || ib != nb.end()) {
    if (ib == nb.end() || (ia != na.end() && ia->first < ib->first)) {
      diff_nodes(ia->first, &ia->second, nullptr, options, out);
      ++ia;
    } else if (ia == na.end() || ib->first < ia->first) {
      diff_nodes(ib->first, nullptr, &ib->second, options, out);
      ++ib;
    } else {
      if (!(ia->second == ib->second)) diff_nodes(ia->first, &ia->second, &ib->second, options, out);
      ++ia;
      ++ib;
    }
  }
  return out;
}

std::string diff_to_text(const std::vector<RRsetChange>& changes) {
  std::string out;
  for (const auto& c : changes) {
    if (c.before) {
      for (const auto& rd : c.before->rdatas) {
        bool kept = c.after && c.after->ttl == c.before->ttl &&
                    std::binary_search(c.after->rdatas.begin(), c.after->rdatas.end(), rd);
        if (!kept) record_line(out, '-', *c.before, rd);
      }
    }
    if (c.after) {
      for (const auto& rd : c.after->rdatas) {
        bool kept = c.before && c.after->ttl == c.before->ttl &&
                    std::binary_search(c.before->rdatas.begin(), c.before->rdatas.end(), rd);
        if (!kept) record_line(out, '+', *c.after, rd);
      }
    }
  }
  return out;
}

std::vector<std::string> summarize_diff(const std::vector<RRsetChange>& changes) {
  std::vector<std::string> out;
  std::map<Name, std::set<std::string>> per_tld;  // ordered output, one line per TLD and kind
  std::set<std::string> root;
  std::set<Name> glue;
  for (const auto& c : changes) {
    if (c.owner.is_root()) {
      root.insert(type_to_string(c.type));
      continue;
    }
    if (c.owner.label_count() == 1 && (c.type == rrtype::kNs || c.type == rrtype::kDs)) {
      if (c.type == rrtype::kNs) {
        per_tld[c.owner].insert(c.kind == RRsetChange::Kind::added     ? "delegate"
                                : c.kind == RRsetChange::Kind::removed ? "revoke"
                                                                       : "ns-update");
      } else {
        per_tld[c.owner].insert("ds-update");
      }
      continue;
    }
    if (c.type == rrtype::kA || c.type == rrtype::kAaaa) {
      glue.insert(c.owner);
      continue;
    }
    per_tld[c.owner].insert("other " + type_to_string(c.type));
  }
  if (!root.empty()) {
    std::string s = "root-update";
    for (const auto& t : root) s += " " + t;
    out.push_back(std::move(s));
  }
  for (const auto& [tld, kinds] : per_tld) {
    bool whole = kinds.contains("delegate") || kinds.contains("revoke");
    for (const auto& k : kinds) {
      if (whole && k == "ds-update") continue;  // part of the delegation or revocation
      out.push_back(k + " '" + tld.to_string() + "'");
    }
  }
  for (const auto& h : glue) out.push_back("glue '" + h.to_string() + "'");
  return out;
}

}  // namespace rootgov::zone
