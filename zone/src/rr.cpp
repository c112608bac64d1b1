// zone/src/rr.cpp - record types, RRsets and RDATA presentation.
#include <rootgov/zone/rr.hpp>

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

#include "encoding.hpp"
#include "ldns_util.hpp"

namespace rootgov::zone {

using detail::append_uint;
using detail::read_u16;
using detail::read_u32;

std::string type_to_string(RrType type) {
  const ldns_rr_descriptor* d = ldns_rr_descript(type);
  if (d != nullptr && d->_name != nullptr && d->_type == type) return d->_name;
  return "TYPE" + std::to_string(type);
}

std::optional<RrType> type_from_string(std::string_view text) {
  if (text.empty() || text.size() > 20) return std::nullopt;
  std::string s(text);
  if (s.size() > 4 && (s.rfind("TYPE", 0) == 0 || s.rfind("type", 0) == 0)) {
    unsigned v = 0;
    for (std::size_t i = 4; i < s.size(); ++i) {
      if (s[i] < '0' || s[i] > '9') return std::nullopt;
      v = v * 10 + static_cast<unsigned>(s[i] - '0');
      if (v > 65535) return std::nullopt;
    }
    return static_cast<RrType>(v);
  }
  ldns_rr_type t = ldns_get_rr_type_by_name(s.c_str());
  if (t == 0) return std::nullopt;
  return static_cast<RrType>(t);
}

bool RRset::add(Rdata rdata) {
  auto it = std::lower_bound(rdatas.begin(), rdatas.end(), rdata);
  if (it != rdatas.end() && *it == rdata) return false;
  rdatas.insert(it, std::move(rdata));
  return true;
}

namespace {

// Appends the wire-format name starting at rdata[pos]; advances pos. False if malformed.
bool append_wire_name(std::string& out, const Rdata& rdata, std::size_t& pos) {
  std::size_t start = pos;
  while (pos < rdata.size()) {
    std::size_t len = static_cast<std::uint8_t>(rdata[pos]);
    if (len > 63 || pos + 1 + len > rdata.size()) return false;
    pos += 1 + len;
    if (len == 0) {
      auto name = Name::from_wire({reinterpret_cast<const std::uint8_t*>(rdata.data() + start), pos - start});
      if (!name) return false;
      out += name->to_string();
      return true;
    }
  }
  return false;
}

void append_type_bitmap(std::string& out, const Rdata& rdata, std::size_t pos) {
  while (pos + 2 <= rdata.size()) {
    unsigned window = static_cast<std::uint8_t>(rdata[pos]);
    unsigned len = static_cast<std::uint8_t>(rdata[pos + 1]);
    pos += 2;
    for (unsigned i = 0; i < len && pos + i < rdata.size(); ++i) {
      auto bits = static_cast<std::uint8_t>(rdata[pos + i]);
      for (unsigned b = 0; b < 8; ++b) {
        if ((bits & (0x80u >> b)) != 0) {
          out.push_back(' ');
          auto t = static_cast<RrType>(window * 256 + i * 8 + b);
          if (auto m = detail::type_mnemonic(t); !m.empty()) {
            out += m;
          } else {
            out += type_to_string(t);
          }
        }
      }
    }
    pos += len;
  }
}

// Generic presentation through ldns (RFC 3597 form for unknown types).
std::string ldns_rdata_to_text(RrType type, const Rdata& rdata) {
  std::string wire;
  wire.push_back('\0');  // owner: root
  detail::put_u16(wire, type);
  detail::put_u16(wire, 1);
  detail::put_u32(wire, 0);
  detail::put_u16(wire, static_cast<std::uint16_t>(rdata.size()));
  wire += rdata;
  ldns_rr* raw = nullptr;
  std::size_t pos = 0;
  if (ldns_wire2rr(&raw, reinterpret_cast<const std::uint8_t*>(wire.data()), wire.size(), &pos, LDNS_SECTION_ANSWER) !=
          LDNS_STATUS_OK ||
      raw == nullptr) {
    std::string out = "\\# ";
    append_uint(out, rdata.size());
    out.push_back(' ');
    detail::append_hex_upper(out, rdata);
    return out;
  }
  detail::RrPtr rr(raw);
  detail::BufferPtr buf(ldns_buffer_new(256));
  for (std::size_t i = 0; i < ldns_rr_rd_count(rr.get()); ++i) {
    if (i > 0) ldns_buffer_printf(buf.get(), " ");
    ldns_rdf2buffer_str(buf.get(), ldns_rr_rdf(rr.get(), i));
  }
  return std::string(reinterpret_cast<const char*>(ldns_buffer_begin(buf.get())), ldns_buffer_position(buf.get()));
}

}  // namespace

namespace detail {

std::string_view type_mnemonic(std::uint16_t type) {
  switch (type) {
    case rrtype::kA:
      return "A";
    case rrtype::kNs:
      return "NS";
    case rrtype::kSoa:
      return "SOA";
    case rrtype::kAaaa:
      return "AAAA";
    case rrtype::kDs:
      return "DS";
    case rrtype::kRrsig:
      return "RRSIG";
    case rrtype::kNsec:
      return "NSEC";
    case rrtype::kDnskey:
      return "DNSKEY";
    case rrtype::kZonemd:
      return "ZONEMD";
    case rrtype::kCname:
      return "CNAME";
    case rrtype::kTxt:
      return "TXT";
    default:
      return {};
  }
}

void append_rdata_text(std::string& out, std::uint16_t type, const std::string& r) {
  const std::size_t mark = out.size();
  std::size_t pos = 0;
  switch (type) {
    case rrtype::kA:
      if (r.size() != 4) break;
      for (int i = 0; i < 4; ++i) {
        if (i > 0) out.push_back('.');
        append_uint(out, static_cast<std::uint8_t>(r[static_cast<std::size_t>(i)]));
      }
      return;
    case rrtype::kAaaa: {
      if (r.size() != 16) break;
      char buf[INET6_ADDRSTRLEN];
      if (inet_ntop(AF_INET6, r.data(), buf, sizeof buf) == nullptr) break;
      out += buf;
      return;
    }
    case rrtype::kNs:
    case rrtype::kCname:
    case rrtype::kDname:
    case rrtype::kPtr:
      if (append_wire_name(out, r, pos) && pos == r.size()) return;
      break;
    case rrtype::kSoa: {
      if (!append_wire_name(out, r, pos)) break;
      out.push_back(' ');
      if (!append_wire_name(out, r, pos) || pos + 20 != r.size()) break;
      for (int i = 0; i < 5; ++i) {
        out.push_back(' ');
        append_uint(out, read_u32(r.data() + pos + 4 * static_cast<std::size_t>(i)));
      }
      return;
    }
    case rrtype::kDs: {
      if (r.size() < 5) break;
      append_uint(out, read_u16(r.data()));
      out.push_back(' ');
      append_uint(out, static_cast<std::uint8_t>(r[2]));
      out.push_back(' ');
      append_uint(out, static_cast<std::uint8_t>(r[3]));
      out.push_back(' ');
      detail::append_hex_upper(out, std::string_view(r).substr(4));
      return;
    }
    case rrtype::kDnskey: {
      if (r.size() < 5) break;
      append_uint(out, read_u16(r.data()));
      out.push_back(' ');
      append_uint(out, static_cast<std::uint8_t>(r[2]));
      out.push_back(' ');
      append_uint(out, static_cast<std::uint8_t>(r[3]));
      out.push_back(' ');
      detail::append_base64(out, std::string_view(r).substr(4));
      return;
    }
    case rrtype::kRrsig: {
      if (r.size() < 19) break;
      if (auto m = type_mnemonic(read_u16(r.data())); !m.empty()) {
        out += m;
      } else {
        out += type_to_string(read_u16(r.data()));
      }
      out.push_back(' ');
      append_uint(out, static_cast<std::uint8_t>(r[2]));
      out.push_back(' ');
      append_uint(out, static_cast<std::uint8_t>(r[3]));
      out.push_back(' ');
      append_uint(out, read_u32(r.data() + 4));
      out.push_back(' ');
      detail::append_rrsig_time(out, read_u32(r.data() + 8));
      out.push_back(' ');
      detail::append_rrsig_time(out, read_u32(r.data() + 12));
      out.push_back(' ');
      append_uint(out, read_u16(r.data() + 16));
      out.push_back(' ');
      pos = 18;
      if (!append_wire_name(out, r, pos)) break;
      out.push_back(' ');
      detail::append_base64(out, std::string_view(r).substr(pos));
      return;
    }
    case rrtype::kNsec: {
      if (!append_wire_name(out, r, pos)) break;
      append_type_bitmap(out, r, pos);
      return;
    }
    case rrtype::kZonemd: {
      if (r.size() < 6) break;
      append_uint(out, read_u32(r.data()));
      out.push_back(' ');
      append_uint(out, static_cast<std::uint8_t>(r[4]));
      out.push_back(' ');
      append_uint(out, static_cast<std::uint8_t>(r[5]));
      out.push_back(' ');
      detail::append_hex_upper(out, std::string_view(r).substr(6));
      return;
    }
    default:
      break;
  }
  out.resize(mark);
  out += ldns_rdata_to_text(type, r);
}

}  // namespace detail

std::string rdata_to_text(RrType type, const Rdata& r) {
  std::string out;
  detail::append_rdata_text(out, type, r);
  return out;
}

Result<Rdata> rdata_from_text(RrType type, std::string_view text, const Name& origin) {
  std::string line = ". 0 IN " + type_to_string(type) + " " + std::string(text);
  detail::RdfPtr origin_rdf(ldns_rdf_new_frm_data(LDNS_RDF_TYPE_DNAME, origin.wire().size(), origin.wire().data()));
  ldns_rr* raw = nullptr;
  ldns_status st = ldns_rr_new_frm_str(&raw, line.c_str(), 0, origin_rdf.get(), nullptr);
  if (st != LDNS_STATUS_OK || raw == nullptr) {
    return fail(Errc::invalid_input, "invalid " + type_to_string(type) + " data '" + std::string(text) +
                                         "': " + detail::status_message(st));
  }
  detail::RrPtr rr(raw);
  ldns_rr2canonical(rr.get());
  Rdata out;
  for (std::size_t i = 0; i < ldns_rr_rd_count(rr.get()); ++i) {
    const ldns_rdf* rdf = ldns_rr_rdf(rr.get(), i);
    out.append(reinterpret_cast<const char*>(ldns_rdf_data(rdf)), ldns_rdf_size(rdf));
  }
  return out;
}

std::optional<SoaData> parse_soa(const Rdata& r) {
  SoaData soa;
  std::size_t pos = 0;
  auto read_name = [&](Name& out) {
    std::size_t start = pos;
    while (pos < r.size()) {
      std::size_t len = static_cast<std::uint8_t>(r[pos]);
      pos += 1 + len;
      if (len == 0) {
        auto n = Name::from_wire({reinterpret_cast<const std::uint8_t*>(r.data() + start), pos - start});
        if (!n) return false;
        out = std::move(*n);
        return true;
      }
    }
    return false;
  };
  if (!read_name(soa.mname) || !read_name(soa.rname) || pos + 20 != r.size()) return std::nullopt;
  soa.serial = read_u32(r.data() + pos);
  soa.refresh = read_u32(r.data() + pos + 4);
  soa.retry = read_u32(r.data() + pos + 8);
  soa.expire = read_u32(r.data() + pos + 12);
  soa.minimum = read_u32(r.data() + pos + 16);
  return soa;
}

Rdata make_soa(const SoaData& soa) {
  Rdata r = soa.mname.wire() + soa.rname.wire();
  detail::put_u32(r, soa.serial);
  detail::put_u32(r, soa.refresh);
  detail::put_u32(r, soa.retry);
  detail::put_u32(r, soa.expire);
  detail::put_u32(r, soa.minimum);
  return r;
}

std::optional<DsData> parse_ds(const Rdata& r) {
  if (r.size() < 5) return std::nullopt;
  DsData ds;
  ds.key_tag = read_u16(r.data());
  ds.algorithm = static_cast<std::uint8_t>(r[2]);
  ds.digest_type = static_cast<std::uint8_t>(r[3]);
  ds.digest = r.substr(4);
  return ds;
}

Rdata make_ds(const DsData& ds) {
  Rdata r;
  detail::put_u16(r, ds.key_tag);
  r.push_back(static_cast<char>(ds.algorithm));
  r.push_back(static_cast<char>(ds.digest_type));
  r += ds.digest;
  return r;
}

std::optional<Name> parse_name_rdata(const Rdata& r) {
  auto n = Name::from_wire({reinterpret_cast<const std::uint8_t*>(r.data()), r.size()});
  if (!n || n->wire().size() != r.size()) return std::nullopt;
  return *n;
}

Rdata make_name_rdata(const Name& name) { return name.wire(); }

std::optional<Rdata> address_from_text(std::string_view text, RrType* type_out) {
  std::string s(text);
  unsigned char buf[16];
  if (inet_pton(AF_INET, s.c_str(), buf) == 1) {
    if (type_out != nullptr) *type_out = rrtype::kA;
    return Rdata(reinterpret_cast<const char*>(buf), 4);
  }
  if (inet_pton(AF_INET6, s.c_str(), buf) == 1) {
    if (type_out != nullptr) *type_out = rrtype::kAaaa;
    return Rdata(reinterpret_cast<const char*>(buf), 16);
  }
  return std::nullopt;
}

}  // namespace rootgov::zone
