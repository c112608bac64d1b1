// authority/src/zone_signing.hpp - the authority's zone keys and signing schedule (internal).
//
// Signatures are made in epochs: every RRSIG made during an epoch carries the same inception
// (epoch start - 1 hour) and expiration (epoch start + validity), whether it came from the full
// sign at the epoch's start or from an incremental re-sign later. So the signed zone depends
// only on its content, the keys and the epoch, and replaying the log (which re-signs the whole
// zone once, at the end) reproduces it byte for byte for RSASHA256 and ED25519.
#pragma once

#include <cstdint>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include <rootgov/common/result.hpp>
#include <rootgov/zone/dnssec_key.hpp>
#include <rootgov/zone/root_zone.hpp>
#include <rootgov/zone/signer.hpp>

namespace rootgov::authority::detail {

class ZoneSigner {
 public:
  static constexpr std::int64_t kValidity = 30LL * 86400;

  /// Loads the keys in `dir`, or makes a KSK and a ZSK of `algorithm` there when `create`.
  Result<void> open(const std::filesystem::path& dir, const std::string& algorithm, unsigned threads, bool create);

  /// Starts a new epoch at `epoch` and signs the whole zone.
  Result<void> sign_full(zone::RootZone& zone, std::int64_t epoch);
  /// Re-signs what `changed` touched, within the current epoch.
  Result<void> resign(zone::RootZone& zone, const std::set<zone::Name>& changed);

  std::int64_t epoch() const { return m_epoch; }
  std::int64_t expiration() const { return m_epoch + kValidity; }
  const std::vector<zone::DnssecKey>& keys() const { return m_keys; }

 private:
  zone::SignOptions options() const;
  std::vector<zone::DnssecKey> m_keys;
  unsigned m_threads = 0;
  std::int64_t m_epoch = 0;
};

}  // namespace rootgov::authority::detail
