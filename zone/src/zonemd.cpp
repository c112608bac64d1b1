// zone/src/zonemd.cpp - RFC 8976 SIMPLE-scheme digests with SHA-384/SHA-512.
#include <rootgov/zone/zonemd.hpp>

#include <openssl/evp.h>

#include <algorithm>
#include <memory>

#include "dnssec_crypto.hpp"
#include "encoding.hpp"

namespace rootgov::zone {
namespace {

void append_rr(std::string& out, const std::string& owner, RrType type, std::uint32_t ttl, const Rdata& rdata) {
  out += owner;
  detail::put_u16(out, type);
  detail::put_u16(out, 1);
  detail::put_u32(out, ttl);
  detail::put_u16(out, static_cast<std::uint16_t>(rdata.size()));
  out += rdata;
}

}  // namespace

std::string zonemd_digest(const Zone& zone, std::uint8_t hash) {
  const EVP_MD* md = hash == kZonemdHashSha384 ? EVP_sha384() : hash == kZonemdHashSha512 ? EVP_sha512() : nullptr;
  if (md == nullptr) return {};
  detail::MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex(ctx.get(), md, nullptr) != 1) return {};
  std::string buf;
  buf.reserve(1 << 17);
  struct Sig {
    const Rdata* rdata;
    std::uint32_t ttl;
  };
  std::vector<Sig> sigs;
  auto flush = [&](bool force) {
    if (buf.size() >= (1 << 16) || (force && !buf.empty())) {
      EVP_DigestUpdate(ctx.get(), buf.data(), buf.size());
      buf.clear();
    }
  };
  for (const auto& [name, node] : zone.nodes()) {
    const bool apex = name == zone.origin();
    sigs.clear();
    for (const auto& set : node.rrsets) {
      if (apex && set.type == rrtype::kZonemd) continue;
      for (const auto& s : set.rrsigs) sigs.push_back({&s, set.ttl});
    }
    std::sort(sigs.begin(), sigs.end(), [](const Sig& a, const Sig& b) { return *a.rdata < *b.rdata; });
    bool sigs_done = sigs.empty();
    auto emit_sigs = [&] {
      for (const auto& s : sigs) append_rr(buf, name.wire(), rrtype::kRrsig, s.ttl, *s.rdata);
      sigs_done = true;
    };
    for (const auto& set : node.rrsets) {
      if (!sigs_done && set.type > rrtype::kRrsig) emit_sigs();
      if (apex && set.type == rrtype::kZonemd) continue;
      for (const auto& rd : set.rdatas) append_rr(buf, name.wire(), set.type, set.ttl, rd);
      flush(false);
    }
    if (!sigs_done) emit_sigs();
    flush(false);
  }
  flush(true);
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(ctx.get(), out, &len) != 1) return {};
  return std::string(reinterpret_cast<const char*>(out), len);
}

Rdata make_zonemd(std::uint32_t serial, std::uint8_t scheme, std::uint8_t hash, std::string_view digest) {
  Rdata r;
  detail::put_u32(r, serial);
  r.push_back(static_cast<char>(scheme));
  r.push_back(static_cast<char>(hash));
  r += digest;
  return r;
}

Findings verify_zonemd(const Zone& zone) {
  Findings out;
  const RRset* z = zone.find(zone.origin(), rrtype::kZonemd);
  if (z == nullptr) return out;
  const RRset* soa_set = zone.find(zone.origin(), rrtype::kSoa);
  std::optional<SoaData> soa;
  if (soa_set != nullptr && !soa_set->rdatas.empty()) soa = parse_soa(soa_set->rdatas[0]);
  const std::string owner = zone.origin().to_string();
  bool supported = false;
  for (const auto& rd : z->rdatas) {
    if (rd.size() < 6) continue;
    std::uint32_t serial = detail::read_u32(rd.data());
    auto scheme = static_cast<std::uint8_t>(rd[4]);
    auto hash = static_cast<std::uint8_t>(rd[5]);
    if (scheme != kZonemdSchemeSimple || (hash != kZonemdHashSha384 && hash != kZonemdHashSha512)) continue;
    supported = true;
    if (!soa || soa->serial != serial) {
      out.push_back({Severity::error, "zonemd-serial",
                     "zonemd serial " + std::to_string(serial) + " differs from the soa serial", z->line, owner});
      continue;
    }
    if (zonemd_digest(zone, hash) == std::string_view(rd).substr(6)) return {};
    out.push_back({Severity::error, "zonemd-mismatch", "zonemd digest does not match the zone content (RFC 8976 section 4)",
                   z->line, owner});
  }
  if (!supported) {
    out.push_back({Severity::warning, "zonemd-unsupported", "no zonemd record with a supported scheme and hash", z->line, owner});
  }
  return out;
}

}  // namespace rootgov::zone
