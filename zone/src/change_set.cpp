// zone/src/change_set.cpp - named constructors, CLI text forms and descriptions of ChangeSets.
#include <rootgov/zone/change_set.hpp>

#include <cctype>
#include <string>
#include <type_traits>

namespace rootgov::zone {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())) != 0) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())) != 0) s.remove_suffix(1);
  return s;
}

std::string hex_upper(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char c : bytes) {
    auto b = static_cast<unsigned char>(c);
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0x0f]);
  }
  return out;
}

std::string ns_list(const std::vector<NsHost>& ns) {
  if (ns.empty()) return "(none)";
  std::string out;
  for (const auto& h : ns) {
    if (!out.empty()) out += ", ";
    out += h.name.to_string();
    if (!h.addresses.empty()) {
      out += " (";
      for (std::size_t i = 0; i < h.addresses.size(); ++i) {
        if (i != 0) out += ' ';
        out += h.addresses[i];
      }
      out += ')';
    }
  }
  return out;
}

std::string ds_text(const DsData& ds) {
  return std::to_string(ds.key_tag) + " " + std::to_string(ds.algorithm) + " " + std::to_string(ds.digest_type) + " " +
         hex_upper(ds.digest);
}

}  // namespace

ChangeSet ChangeSet::ns_update(Name tld, std::vector<NsHost> ns) {
  ChangeSet c;
  c.operations.emplace_back(op::SetNs{std::move(tld), std::move(ns), false});
  return c;
}

ChangeSet ChangeSet::ds_update(Name tld, std::vector<DsData> ds) {
  ChangeSet c;
  c.operations.emplace_back(op::SetDs{std::move(tld), std::move(ds)});
  return c;
}

ChangeSet ChangeSet::delegate(Name tld, std::vector<NsHost> ns, std::vector<DsData> ds) {
  ChangeSet c;
  c.operations.emplace_back(op::SetNs{tld, std::move(ns), true});
  if (!ds.empty()) c.operations.emplace_back(op::SetDs{std::move(tld), std::move(ds)});
  return c;
}

ChangeSet ChangeSet::revoke(Name tld) {
  ChangeSet c;
  c.operations.emplace_back(op::RemoveDelegation{std::move(tld)});
  return c;
}

std::optional<DsData> parse_ds_text(std::string_view text) {
  // "TAG ALG DIGESTTYPE HEX", the presentation form of RFC 4034 section 5.3; the hex digest may
  // contain white space.
  auto number = [&](std::uint32_t max) -> std::optional<std::uint32_t> {
    text = trim(text);
    std::uint64_t v = 0;
    std::size_t i = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9' && i < 10) v = v * 10 + static_cast<std::uint64_t>(text[i++] - '0');
    if (i == 0 || v > max || (i < text.size() && std::isspace(static_cast<unsigned char>(text[i])) == 0)) return std::nullopt;
    text.remove_prefix(i);
    return static_cast<std::uint32_t>(v);
  };
  auto tag = number(0xffff);
  auto alg = tag ? number(0xff) : std::nullopt;
  auto type = alg ? number(0xff) : std::nullopt;
  if (!type) return std::nullopt;
  std::string digest;
  int high = -1;
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c)) != 0) continue;
    int v = std::isdigit(static_cast<unsigned char>(c)) != 0 ? c - '0'
            : (c >= 'a' && c <= 'f')                       ? c - 'a' + 10
            : (c >= 'A' && c <= 'F')                       ? c - 'A' + 10
                                                           : -1;
    if (v < 0) return std::nullopt;
    if (high < 0) {
      high = v;
    } else {
      digest.push_back(static_cast<char>(high * 16 + v));
      high = -1;
    }
  }
  if (high >= 0 || digest.empty()) return std::nullopt;
  return DsData{static_cast<std::uint16_t>(*tag), static_cast<std::uint8_t>(*alg), static_cast<std::uint8_t>(*type), std::move(digest)};
}

std::optional<NsHost> parse_ns_text(std::string_view text) {
  text = trim(text);
  std::string_view host = text;
  std::string_view addrs;
  if (auto eq = text.find('='); eq != std::string_view::npos) {
    host = trim(text.substr(0, eq));
    addrs = text.substr(eq + 1);
    if (trim(addrs).empty()) return std::nullopt;
  }
  if (host.empty() || host == ".") return std::nullopt;
  auto name = Name::parse(host);
  if (!name || name->is_root()) return std::nullopt;
  NsHost out{std::move(*name), {}};
  while (!addrs.empty()) {
    auto comma = addrs.find(',');
    std::string_view one = trim(addrs.substr(0, comma));
    if (one.empty()) return std::nullopt;
    // Kept as given (validated by RootZone::apply, which reports the bad one by rule), but
    // text that is no address at all is refused here already.
    if (!address_from_text(one)) return std::nullopt;
    out.addresses.emplace_back(one);
    addrs = comma == std::string_view::npos ? std::string_view() : addrs.substr(comma + 1);
  }
  return out;
}

std::vector<std::string> describe(const ChangeSet& change) {
  std::vector<std::string> out;
  for (const auto& operation : change.operations) {
    std::visit(
        [&](const auto& o) {
          using T = std::decay_t<decltype(o)>;
          if constexpr (std::is_same_v<T, op::SetNs>) {
            out.push_back(std::string(o.create ? "delegate '" : "set NS of '") + o.tld.to_string() + "' to " + ns_list(o.ns));
          } else if constexpr (std::is_same_v<T, op::SetDs>) {
            if (o.ds.empty()) {
              out.push_back("remove every DS of '" + o.tld.to_string() + "'");
            } else {
              std::string s = "set DS of '" + o.tld.to_string() + "' to ";
              for (std::size_t i = 0; i < o.ds.size(); ++i) s += (i != 0 ? "; " : "") + ds_text(o.ds[i]);
              out.push_back(std::move(s));
            }
          } else if constexpr (std::is_same_v<T, op::RemoveDelegation>) {
            out.push_back("remove the delegation of '" + o.tld.to_string() + "'");
          } else if constexpr (std::is_same_v<T, op::SetRootNs>) {
            out.push_back("set the root NS to " + ns_list(o.ns));
          } else if constexpr (std::is_same_v<T, op::SetDnskeys>) {
            out.push_back("set the root DNSKEY set to " + std::to_string(o.dnskeys.size()) + " key(s)");
          } else if constexpr (std::is_same_v<T, op::SetSoaTimers>) {
            out.push_back("set the root SOA timers to refresh " + std::to_string(o.timers.refresh) + ", retry " +
                          std::to_string(o.timers.retry) + ", expire " + std::to_string(o.timers.expire) + ", minimum " +
                          std::to_string(o.timers.minimum));
          }
        },
        operation);
  }
  return out;
}

}  // namespace rootgov::zone
