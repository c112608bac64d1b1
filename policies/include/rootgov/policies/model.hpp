// rootgov/policies/model.hpp - a governance model as data: bodies, stages, rules, submit rights.
//
// A model is read from TOML (docs/policies.md lists every key) and validated once, when it is
// loaded; evaluation (engine.hpp) never re-checks the file. Every validation error names the
// file, the key path and the problem; unknown keys are errors.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <rootgov/authority/types.hpp>
#include <rootgov/common/result.hpp>

namespace rootgov::policies {

/// How a stage's binding ballots decide it.
enum class RuleKind {
  all,            ///< every member approves; any rejection fails the stage
  any,            ///< one approval passes; fails when every member has rejected
  majority,       ///< more than half of the members' seats approve
  supermajority,  ///< at least `fraction` of the members' seats approve
  k_of_n,         ///< at least `k` members approve
  regional_seats  ///< more than half (or `fraction`) of the regional seats, from `min_regions` regions
};
std::string_view to_string(RuleKind kind);  // "all", "any", "majority", "supermajority", "k-of-n", "regional-seats"

/// What a stage's deadline does to the members who stayed silent.
enum class TimeoutOutcome {
  consent,  ///< silence counts as approval, then the rule is applied
  reject,   ///< silence counts as rejection: the stage fails
  expire,   ///< the request expires (neither approved nor rejected)
  count     ///< the rule is applied to the ballots cast, if the quorum was reached; else the stage fails
};
std::string_view to_string(TimeoutOutcome outcome);  // "consent", "reject", "expire", "count"

/// Members a body takes from the request rather than from the registry.
enum class DynamicMembers {
  tld_manager,     ///< registry.manager_of(request.tld)
  affected,        ///< request.affected: managers of TLDs sharing a changed name-server host
  tld_government,  ///< registry.government_of(request.country), for ccTLD requests
  requester        ///< request.requester
};
std::string_view to_string(DynamicMembers d);  // "tld-manager", "affected", "tld-government", "requester"

/// p/q, 0 < p <= q.
struct Fraction {
  std::int64_t num = 1;
  std::int64_t den = 2;
};

/// Who sits on a body. An actor is a member when it matches every non-empty filter among
/// `roles`, `in_bodies`, `regions` and `countries` (each filter: any of its values), or is
/// listed in `actors`, or is named by a `dynamic` selector.
struct BodySpec {
  std::string id;
  std::string name;
  std::string description;
  std::vector<std::string> roles;
  std::vector<std::string> in_bodies;
  std::vector<std::string> regions;
  std::vector<std::string> countries;
  std::vector<authority::ActorId> actors;
  std::vector<DynamicMembers> dynamic;
  /// Seat weight per actor (default 1). Exclusive with `regional_seats`.
  std::map<authority::ActorId, std::int64_t> weights;
  /// Seats per region, shared equally by the body's members from that region; members from a
  /// region without seats hold none and are not members of the body.
  std::map<std::string, std::int64_t> regional_seats;
};

struct RuleSpec {
  RuleKind kind = RuleKind::all;
  std::int64_t k = 0;                ///< k-of-n
  std::optional<Fraction> fraction;  ///< supermajority (required), regional-seats (default: more than 1/2)
  std::int64_t min_regions = 0;      ///< regional-seats: approvals must come from this many regions
  std::int64_t quorum = 0;           ///< binding ballots that must be cast before the stage can pass
};

/// Which requests a stage or submit rule covers: "transfer" (every class), "transfer:cc",
/// "delegate:g", "root-update:dnskey".
struct Scope {
  authority::ChangeKind kind = authority::ChangeKind::ns_update;
  std::optional<authority::TldClass> tld_class;  ///< cc or g; never for root-update
  std::optional<authority::RootTarget> target;   ///< root-update only
  bool matches(const authority::RequestView& request) const;
  std::string to_string() const;
};

/// One step of a request's path. Consecutive stages with the same non-empty `group` open
/// together (in parallel); otherwise stages run in file order. A stage applies to a request
/// when one of its `applies_to` scopes matches it (no scope: every request).
struct StageSpec {
  std::string id;
  std::string name;
  std::string description;
  std::string group;
  std::vector<Scope> applies_to;    ///< empty: every request
  std::vector<std::string> bodies;  ///< the participants (binding unless advisory)
  std::vector<std::string> veto;               ///< bodies among `bodies` any of whose members can block
  RuleSpec rule;
  std::optional<authority::Duration> timeout;
  TimeoutOutcome on_timeout = TimeoutOutcome::expire;
  bool skip_if_empty = false;  ///< no member in the registry: skip the stage (else: reject)
  /// Advisory: ballots are recorded and shown, never decide. Without `hold` the stage is open
  /// from submission until the decision and never delays it; with `hold` it sits in the path
  /// and delays the next stage until the hold elapses or every member has voted.
  bool advisory = false;
  std::optional<authority::Duration> hold;
  std::int64_t objection = 0;  ///< advisory with hold: rejections that make a formal objection
  std::string when_objection;  ///< run only if this earlier advisory stage recorded an objection
};

/// Whether one of `scopes` matches `request`; an empty list matches every request.
bool in_scope(const std::vector<Scope>& scopes, const authority::RequestView& request);

/// Who may submit which kinds: the requester must be a member of one of `bodies`.
struct SubmitSpec {
  std::vector<Scope> applies_to;  ///< empty: every request
  std::vector<std::string> bodies;
};

/// A validated model. INVARIANT (after parse_model): every referenced body exists, stage ids are
/// unique, rule parameters are in range.
struct ModelSpec {
  std::string id;
  std::string title;
  std::string description;
  std::vector<std::string> sources;
  std::string source_name;       ///< the file it came from ("builtin:us-status-quo" when embedded)
  std::vector<BodySpec> bodies;  ///< sorted by id
  std::vector<StageSpec> stages;
  std::vector<SubmitSpec> submit;

  const BodySpec* body(std::string_view id) const;
  const StageSpec* stage(std::string_view id) const;
};

/// One validation error: "FILE: KEY: problem" (the key is a path such as "stage[2].rule").
struct ModelError {
  std::string file;
  std::string key;
  std::string problem;
  std::string to_string() const;
};

/// Parses and validates a model; on failure returns every error found.
std::expected<ModelSpec, std::vector<ModelError>> parse_model(std::string_view text, std::string_view source_name);

/// Reads and validates a model file. Errors: Errc::io if the file cannot be read (one message),
/// Errc::check_failed if it is invalid (the message lists every error, one "FILE: KEY: problem"
/// a line).
Result<void> check_model_file(const std::filesystem::path& path);

/// Reads and validates a model file; the errors are as check_model_file's.
Result<ModelSpec> read_model_file(const std::filesystem::path& path);

/// The text of a model file, unparsed; Errc::io if it cannot be read.
Result<std::string> read_model_text(const std::filesystem::path& path);

/// Validates a model's text as parse_model does; Errc::check_failed lists every error, one a line.
Result<ModelSpec> parse_model_text(std::string_view text, std::string_view source_name);

/// Human-readable description for `rootgov policy show`: sources, bodies, submit rights, stages
/// with their rules and timeouts.
std::string describe_model(const ModelSpec& model);

/// Graphviz DOT of the stages (boxes, grouped when parallel; advisory ones dashed) and the bodies
/// that sit on them (ellipses).
std::string to_dot(const ModelSpec& model);

}  // namespace rootgov::policies
