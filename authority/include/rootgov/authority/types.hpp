// rootgov/authority/types.hpp - value types shared by the authority, the Policy interface and
// its implementations. No third-party type appears here.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <rootgov/common/result.hpp>

namespace rootgov::authority {

/// Seconds since 1970-01-01T00:00:00Z. Every time inside the authority is one of these, taken
/// from the injected clock (real or simulated), never from the system directly.
struct Timestamp {
  std::int64_t seconds = 0;
  auto operator<=>(const Timestamp&) const = default;
};

/// A span of time, e.g. parsed from "7d", "36h", "90m", "1w2d".
struct Duration {
  std::int64_t seconds = 0;
  auto operator<=>(const Duration&) const = default;
};

inline Timestamp operator+(Timestamp t, Duration d) { return Timestamp{t.seconds + d.seconds}; }

/// Parses "30s", "90m", "36h", "7d", "2w", and sums like "1w2d"; errors on anything else.
Result<Duration> parse_duration(std::string_view text);
/// "2005-11-18T00:00:00Z"
std::string format_time(Timestamp t);
/// Accepts "YYYY-MM-DD" and "YYYY-MM-DDTHH:MM:SSZ".
Result<Timestamp> parse_time(std::string_view text);

/// Actor ids are lowercase [a-z0-9][a-z0-9.-]* (DESIGN.md section 4): "ntia", "manager.br".
using ActorId = std::string;

/// Hashes strings and string views alike, so an unordered container keyed by std::string can
/// be searched with a std::string_view (`std::equal_to<>` as its key equality).
struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
bool is_valid_actor_id(std::string_view id);

/// The change kinds, after IANA's (DESIGN.md section 3). contact-update changes registry data
/// only (no zone change) but still flows through the policy and the log.
enum class ChangeKind { ns_update, ds_update, delegate, transfer, revoke, root_update, contact_update };
std::string_view to_string(ChangeKind kind);  // "ns-update", ...
std::optional<ChangeKind> change_kind_from_string(std::string_view text);

/// What kind of TLD a request concerns: country-code, generic, or the root itself.
enum class TldClass { cc, g, root };
std::string_view to_string(TldClass c);  // "cc", "g", "root"
/// ASCII two-letter labels and IDN ccTLDs ("xn--" labels listed as cc in the registry) are cc.
TldClass classify_tld(std::string_view tld);
/// The ISO 3166-1 alpha-2 code (lowercase) of a ccTLD's country or territory: "br" for "br",
/// "gb" for "uk", "ru" for "xn--p1ai"; "" for gTLDs and the root.
std::string country_of_tld(std::string_view tld);

/// What the root-update kind changes, for root-level requests.
enum class RootTarget { none, root_ns, dnskey, soa_timers };

/// An actor as the public registry (actors.toml) describes it.
struct Actor {
  ActorId id;
  std::string name;                  ///< display name: "NTIA (US Department of Commerce)"
  std::vector<std::string> roles;    ///< "ntia", "iana", "icann-board", "government", "tld-manager", ...
  std::vector<std::string> bodies;   ///< bodies it sits on: "gac", "gic", "iic", "rzerc", ...
  std::string region;                ///< ICANN region: "africa", "asia-pacific", "europe", "latin-america", "north-america"
  std::string country;               ///< ISO 3166-1 alpha-2, lowercase, where relevant
  std::vector<std::string> manages;  ///< TLDs it is admin and tech contact for (without dot)
  std::string public_key;            ///< Ed25519 public key, base64 of the 32 raw bytes

  bool has_role(std::string_view role) const;
  bool sits_on(std::string_view body) const;
  bool operator==(const Actor&) const = default;
};

/// A request as the policy sees it: the facts that decide who must act.
struct RequestView {
  std::string id;                    ///< "ROOT-MGMT#20051118001"
  ChangeKind kind = ChangeKind::ns_update;
  std::string tld;                   ///< without dot; "" for root-update
  TldClass tld_class = TldClass::g;
  RootTarget root_target = RootTarget::none;
  ActorId requester;
  std::vector<ActorId> affected;     ///< managers of other TLDs sharing a changed host
  std::string country;               ///< for cc TLDs: the ISO code whose government is concerned
  Timestamp submitted_at;
};

enum class Vote { approve, reject, comment };
std::string_view to_string(Vote v);

/// A counted ballot: who, what, when. Comments are recorded and shown but never decide.
struct Ballot {
  ActorId actor;
  Vote vote = Vote::comment;
  std::string comment;
  Timestamp at;
};

}  // namespace rootgov::authority
