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

/// A file of finished requests under <state>/finished (docs/design/workflow.md "Snapshots"):
/// every request in a terminal state whose last log entry is in [from, to). Terminal requests
/// never change, so a segment, once written, serves every later snapshot unchanged.
struct SegmentRef {
  std::uint64_t from = 0;
  std::uint64_t to = 0;
  bool operator==(const SegmentRef&) const = default;
  /// "<from>-<to>.seg"
  std::string file_name() const;
};

/// What a segment file holds.
struct Segment {
  static constexpr std::uint64_t kFormat = 1;
  SegmentRef range;
  std::string entry_hash;  ///< hex SHA-256 of entry range.to - 1: binds the file to its journal
  std::vector<RequestInfo> requests;
};

struct ResumeState {
  /// 2: finished requests in segments; 1 (still read): every request in the snapshot itself.
  static constexpr std::uint64_t kFormat = 2;

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
  /// Decoded: the requests the snapshot itself holds (those not in a segment). Encoded: see
  /// encode_resume_state.
  std::map<RequestId, RequestInfo> requests;
  /// The segments holding the other requests, contiguous from entry 0, oldest first.
  std::vector<SegmentRef> segments;
  /// Replay windows per actor (ReplayGuard::all()).
  std::map<ActorId, ReplayGuard::Window, std::less<>> seq_windows;
  std::map<std::string, unsigned> ids_per_day;
  /// actor -> TLDs it manages now (transfers move them); every actor that manages any.
  std::map<ActorId, std::vector<std::string>> manages;
};

/// Compact JSON (not canonical: a snapshot is never signed). Writes `requests` (in order) as
/// the snapshot's own requests; `state.requests` is not read.
std::string encode_resume_state(const ResumeState& state, const std::vector<const RequestInfo*>& requests);
/// Errc::check_failed for anything malformed or of an unknown format version.
Result<ResumeState> decode_resume_state(std::string_view text);

std::string encode_segment(const SegmentRef& range, std::string_view entry_hash,
                           const std::vector<const RequestInfo*>& requests);
/// Errc::check_failed for anything malformed, of an unknown format, or holding a request that
/// is not terminal or whose last entry lies outside the range.
Result<Segment> decode_segment(std::string_view text);

}  // namespace rootgov::authority::detail
