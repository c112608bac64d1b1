// authority/src/zone_signing.cpp - zone keys and the signing schedule.
#include "zone_signing.hpp"

#include <algorithm>

#include <rootgov/zone/signer.hpp>

namespace rootgov::authority::detail {

Result<void> ZoneSigner::open(const std::filesystem::path& dir, const std::string& algorithm, unsigned threads,
                              bool create) {
  m_threads = threads;
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<fs::path> privates;
  if (fs::is_directory(dir, ec)) {
    for (const auto& e : fs::directory_iterator(dir, ec)) {
      if (e.path().extension() == ".private") privates.push_back(e.path());
    }
  }
  std::sort(privates.begin(), privates.end());
  if (privates.empty()) {
    if (!create) return fail(Errc::io, "no zone signing keys in '" + dir.string() + "'");
    auto alg = zone::algorithm_from_string(algorithm);
    if (!alg) {
      return fail(Errc::invalid_input, "unknown DNSSEC algorithm '" + algorithm + "': use rsasha256, ecdsap256sha256 or ed25519");
    }
    fs::create_directories(dir, ec);
    if (ec) return fail(Errc::io, "cannot create '" + dir.string() + "': " + ec.message());
    for (bool ksk : {true, false}) {
      auto p = zone::generate_key(dir, zone::Name(), *alg, ksk, 2048);
      if (!p) return std::unexpected(p.error());
      privates.push_back(fs::path(p->string() + ".private"));
    }
  }
  m_keys.clear();
  for (const auto& p : privates) {
    auto key = zone::DnssecKey::load(p);
    if (!key) return std::unexpected(key.error());
    m_keys.push_back(std::move(*key));
  }
  return {};
}

zone::SignOptions ZoneSigner::options() const {
  zone::SignOptions o;
  o.now = static_cast<std::uint32_t>(m_epoch);
  o.inception = static_cast<std::uint32_t>(m_epoch - 3600);
  o.expiration = static_cast<std::uint32_t>(m_epoch + kValidity);
  o.threads = m_threads;
  o.replace_dnskey = false;
  return o;
}

Result<void> ZoneSigner::sign_full(zone::RootZone& zone, std::int64_t epoch) {
  m_epoch = epoch;
  auto r = zone::sign_zone(zone.zone_for_signing(), m_keys, options());
  if (!r) return std::unexpected(r.error());
  return {};
}

Result<void> ZoneSigner::resign(zone::RootZone& zone, const std::set<zone::Name>& changed) {
  auto r = zone::resign(zone.zone_for_signing(), changed, m_keys, options());
  if (!r) return std::unexpected(r.error());
  return {};
}

}  // namespace rootgov::authority::detail
