// authority/src/configuration_record.hpp - the configuration (actor registry and model) that a
// "reconfigured" audit-log entry records, and reading it back from a log (internal to the
// authority module; docs/design/audit-log.md "Reconfiguration entries").
//
// An entry holds the new registry in full and, as a reverse delta, the records of the actors it
// removed or changed; so the registry it replaced — the genesis one, for the first — can be
// rebuilt from the entry alone and checked against the fingerprint the entry records.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <rootgov/authority/actors.hpp>
#include <rootgov/authority/journal.hpp>
#include <rootgov/authority/json.hpp>
#include <rootgov/common/result.hpp>

namespace rootgov::authority::detail {

/// Log lines are parsed up to the journal's record limit: a "reconfigured" entry holds a whole
/// registry, which may exceed the 1 MiB a signed document may have.
inline const Json::Limits kEntryLimits{64, Journal::kMaxRecordSize};

/// An actor as the entry holds it: every registry key (actors.toml), none other.
Json actor_to_json(const Actor& actor);
/// The actors in id order.
Json registry_to_json(const ActorRegistry& registry);

/// How two registries differ, by actor id (each list in id order).
struct RegistryDiff {
  std::vector<ActorId> added;
  std::vector<ActorId> removed;
  std::vector<ActorId> changed;
};
RegistryDiff diff_registries(const ActorRegistry& from, const ActorRegistry& to);
/// How `given` differs from `expected`: "missing actors: a, b; extra actors: c; different
/// actors: d (public_key, roles)".
std::string describe_difference(const ActorRegistry& expected, const ActorRegistry& given);

/// What a "reconfigured" entry records.
struct RecordedConfiguration {
  std::uint64_t index = 0;  ///< the entry's log index
  ActorRegistry registry;   ///< the new registry, as given (transfers not applied)
  std::string model;
  std::string model_definition;  ///< a model file's text, or ""
  std::string previous_fingerprint;
  std::string previous_model;
  std::string previous_model_definition;
  std::vector<ActorId> added;
  std::vector<ActorId> changed;
  std::vector<Actor> replaced;  ///< the old records of the actors removed or changed
};

/// Reads a parsed "reconfigured" entry; Errc::check_failed names the entry and what is wrong
/// (a malformed actor, actors that do not have the recorded fingerprint, ...).
Result<RecordedConfiguration> decode_reconfigured(const Json& entry, std::uint64_t index);
/// The registry an entry replaced, rebuilt from it; Errc::check_failed unless it has the
/// fingerprint the entry records.
Result<ActorRegistry> previous_registry(const RecordedConfiguration& configuration);
/// Every "reconfigured" entry of a log (its JSON lines), in order.
Result<std::vector<RecordedConfiguration>> recorded_configurations(const std::vector<std::string>& lines);

/// tld -> the first actor (in id order) that lists it in `manages`.
std::map<std::string, ActorId> listed_managers(const ActorRegistry& registry);

}  // namespace rootgov::authority::detail
