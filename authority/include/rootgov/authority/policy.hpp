// rootgov/authority/policy.hpp - the socket every governance model plugs into.
//
// The authority asks a Policy two things: may this actor submit this request, and, given the
// ballots so far and the time now, what is the decision. Evaluation MUST be pure and
// deterministic: the same request, ballots, time and registry give the same Decision, byte for
// byte in its explanation. A Policy never sees the zone, the log or the clock itself.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <rootgov/authority/types.hpp>

namespace rootgov::authority {

class ActorRegistry;

enum class Outcome { pending, approved, rejected, expired };
std::string_view to_string(Outcome o);

/// One stage of a request's path as the policy lays it out, with its state now.
struct StageReport {
  std::string id;                  ///< "ntia-authorization"
  std::string name;                ///< "NTIA authorization"
  std::string rule;                ///< "all of ntia", "majority of 20 gic seats", ...
  bool advisory = false;           ///< recorded and shown, never decides
  std::string state;               ///< "waiting" (not reached), "open", "passed", "failed", "skipped"
  std::vector<ActorId> approved;   ///< binding approvals counted
  std::vector<ActorId> rejected;   ///< binding rejections counted
};

/// A decision is data with reasons (STYLE.md convention 6).
struct Decision {
  Outcome outcome = Outcome::pending;
  std::string stage;                    ///< id of the stage that decided, or the open one
  std::vector<std::string> rules_applied;  ///< the rules that produced the outcome, in words
  std::vector<Ballot> ballots_counted;  ///< the binding ballots that counted
  std::vector<ActorId> awaiting;        ///< actors whose binding ballot is awaited now
  std::vector<ActorId> may_comment;     ///< actors whose advisory ballot is accepted now
  std::vector<ActorId> approvers;       ///< everyone whose approval made an approved outcome
  std::optional<Timestamp> deadline;    ///< when the open stage times out, if it does
  std::vector<StageReport> stages;      ///< the whole path, for status and graph displays
  std::string explanation;              ///< for a student: "rejected at stage 'GIC authorization': ..."
};

class Policy {
 public:
  virtual ~Policy() = default;

  /// The model id ("us-status-quo") or the path it was loaded from.
  virtual std::string id() const = 0;
  /// A one-line title for listings.
  virtual std::string title() const = 0;
  /// What rebuilds this policy besides id(): the text of the model file it was loaded from, or
  /// "" when the id alone names it (a built-in model, a plugin). A reconfiguration records it in
  /// the audit log, so the log replays without the file (docs/design/audit-log.md).
  virtual std::string definition() const { return {}; }

  /// Whether `requester` may submit this request under this model; an error says why not.
  virtual Result<void> may_submit(const RequestView& request, const ActorRegistry& registry) const = 0;

  /// The decision given every ballot so far (in arrival order) and the time now. Ballots from
  /// actors the policy did not await at the time are filtered out by the authority before this
  /// call. Deadlines passed by `now` take their stage's default outcome.
  virtual Decision evaluate(const RequestView& request, std::span<const Ballot> ballots, Timestamp now,
                            const ActorRegistry& registry) const = 0;

  /// As evaluate(), for a caller that needs only where the request goes next. A pending
  /// Decision MUST have outcome, stage, awaiting, may_comment and deadline as evaluate() gives
  /// them and MAY leave rules_applied, ballots_counted, approvers, stages and explanation empty;
  /// any other outcome MUST be the whole Decision. The authority words a pending decision with
  /// evaluate() (same inputs) only when someone reads it. Default: evaluate().
  virtual Decision route(const RequestView& request, std::span<const Ballot> ballots, Timestamp now,
                         const ActorRegistry& registry) const {
    return evaluate(request, ballots, now, registry);
  }
};

/// Rebuilds a policy from what the audit log records of it: its id() and definition() ("" for a
/// built-in model or plugin). The result's id() MUST be `id`. Errors say why it cannot be built.
using PolicyResolver = std::function<Result<std::shared_ptr<const Policy>>(const std::string& id,
                                                                           const std::string& definition)>;

}  // namespace rootgov::authority
