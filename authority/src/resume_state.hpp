// authority/src/resume_state.hpp - what a snapshot holds to resume an authority without
// replaying its log from genesis (internal; docs/design/workflow.md "Snapshots").
//
// A snapshot is a cache, never a source of truth: open() uses it only when the journal still
// holds the entries it covers (same Merkle root) and otherwise replays from genesis.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <rootgov/authority/request.hpp>
#include <rootgov/authority/signed_document.hpp>
#include <rootgov/common/result.hpp>

namespace rootgov::authority::detail {

struct ResumeState {
  static constexpr std::uint64_t kFormat = 1;

  /// Policy id and registry fingerprint in force at entry log_size - 1: those of the genesis
  /// entry, or of the last "reconfigured" entry it covers (the registry as recorded, without
  /// transfers; `manages` holds what transfers did).
  std::string model;
  std::string registry_fingerprint;
  std::uint64_t log_size = 0;            ///< entries covered: [0, log_size)
  std::string last_entry_hash;           ///< hex SHA-256 of entry log_size - 1
  std::string merkle_root;               ///< hex RFC 9162 root of entries [0, log_size)
  std::string zone_text;                 ///< the zone without RRSIG/NSEC (DNSKEY kept)
  std::string zone_digest;               ///< ZoneDigest hex of that zone
  Timestamp clock;
  std::int64_t sign_epoch = 0;
  std::map<RequestId, RequestInfo> requests;
  /// Replay windows per actor (ReplayGuard::all()).
  std::map<ActorId, ReplayGuard::Window, std::less<>> seq_windows;
  std::map<std::string, unsigned> ids_per_day;
  /// actor -> TLDs it manages now (transfers move them); every actor that manages any.
  std::map<ActorId, std::vector<std::string>> manages;
};

/// Compact JSON (not canonical: a snapshot is never signed).
std::string encode_resume_state(const ResumeState& state);
/// Errc::check_failed for anything malformed or of another format version.
Result<ResumeState> decode_resume_state(std::string_view text);

}  // namespace rootgov::authority::detail
