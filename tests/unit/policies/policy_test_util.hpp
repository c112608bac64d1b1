// policy_test_util.hpp - a registry, requests and a ballot driver shared by the policy tests.
#pragma once

#include <algorithm>
#include <functional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <rootgov/authority/actors.hpp>
#include <rootgov/authority/policy.hpp>
#include <rootgov/policies/engine.hpp>

namespace rootgov::policies::testing {

using authority::ActorId;
using authority::ActorRegistry;
using authority::Ballot;
using authority::ChangeKind;
using authority::Decision;
using authority::Outcome;
using authority::RequestView;
using authority::RootTarget;
using authority::Timestamp;
using authority::Vote;

/// 2005-11-18T00:00:00Z, the last day of the Tunis summit.
inline constexpr Timestamp kStart{1132272000};
inline constexpr std::int64_t kDay = 86400;

/// The default actor set with managers for the TLDs the tests use (.io has no government actor).
inline const ActorRegistry& test_registry() {
  static const ActorRegistry registry = [] {
    ActorRegistry r;
    for (auto& a : authority::default_actors({"com", "net", "org", "br", "de", "ke", "shop", "io"})) {
      auto ok = r.add(std::move(a));
      if (!ok) ADD_FAILURE() << ok.error().message;
    }
    return r;
  }();
  return registry;
}

inline RequestView request(ChangeKind kind, std::string tld, ActorId requester, std::vector<ActorId> affected = {},
                           RootTarget target = RootTarget::none) {
  RequestView r;
  r.id = "ROOT-MGMT#20051118001";
  r.kind = kind;
  r.tld = std::move(tld);
  r.tld_class = r.tld.empty() ? authority::TldClass::root : authority::classify_tld(r.tld);
  r.country = r.tld_class == authority::TldClass::cc ? authority::country_of_tld(r.tld) : std::string();
  r.root_target = target;
  r.requester = std::move(requester);
  r.affected = std::move(affected);
  r.submitted_at = kStart;
  return r;
}

/// How an actor answers when the policy awaits it: a vote, or silence (nullopt).
using Chooser = std::function<std::optional<Vote>(const ActorId& actor)>;

struct DriveResult {
  Decision decision;
  std::vector<Ballot> ballots;
  Timestamp now;
};

/// Policy::route's contract against evaluate() for the same inputs: a pending decision agrees
/// on where the request goes next; any other outcome is the whole decision.
inline void expect_route_agrees(const authority::Policy& policy, const RequestView& req, std::span<const Ballot> ballots,
                                Timestamp now, const ActorRegistry& reg, const Decision& full) {
  const Decision routed = policy.route(req, ballots, now, reg);
  EXPECT_EQ(routed.outcome, full.outcome) << full.explanation;
  EXPECT_EQ(routed.stage, full.stage) << full.explanation;
  EXPECT_EQ(routed.awaiting, full.awaiting) << full.explanation;
  EXPECT_EQ(routed.may_comment, full.may_comment) << full.explanation;
  EXPECT_EQ(routed.deadline.has_value(), full.deadline.has_value()) << full.explanation;
  if (routed.deadline && full.deadline) {
    EXPECT_EQ(routed.deadline->seconds, full.deadline->seconds);
  }
  if (full.outcome != Outcome::pending) {
    EXPECT_EQ(routed.explanation, full.explanation);
    EXPECT_EQ(routed.rules_applied, full.rules_applied);
    EXPECT_EQ(routed.approvers, full.approvers);
    EXPECT_EQ(routed.stages.size(), full.stages.size());
    EXPECT_EQ(routed.ballots_counted.size(), full.ballots_counted.size());
  }
}

/// Plays a request to its end as the authority would: evaluate, let one actor cast one ballot,
/// evaluate again. With `advisors_object`, every actor that may comment first rejects (once);
/// then the first awaited actor that answers casts its ballot; when nobody answers, the clock jumps to the next deadline, or a year on if
/// there is none (then the decision is returned as it stands).
inline DriveResult drive(const authority::Policy& policy, const RequestView& req, const Chooser& choose,
                         bool advisors_object = false) {
  const ActorRegistry& reg = test_registry();
  DriveResult out;
  out.now = req.submitted_at;
  std::set<ActorId> silent;
  std::set<ActorId> advised;
  for (int step = 0; step < 5000; ++step) {
    out.decision = policy.evaluate(req, out.ballots, out.now, reg);
    expect_route_agrees(policy, req, out.ballots, out.now, reg, out.decision);
    const Decision& d = out.decision;
    if (d.outcome != Outcome::pending) return out;
    bool acted = false;
    if (advisors_object) {
      for (const auto& id : d.may_comment) {
        if (advised.contains(id)) continue;
        advised.insert(id);
        out.ballots.push_back(Ballot{id, Vote::reject, "advice against from " + id, out.now});
        acted = true;
        break;
      }
      if (acted) continue;
    }
    for (const auto& id : d.awaiting) {
      if (silent.contains(id)) continue;
      auto vote = choose(id);
      if (!vote) {
        silent.insert(id);
        continue;
      }
      out.ballots.push_back(Ballot{id, *vote, *vote == Vote::reject ? "not acceptable to " + id : "", out.now});
      acted = true;
      break;
    }
    if (acted) continue;
    if (d.deadline && *d.deadline > out.now) {
      out.now = *d.deadline;
      continue;
    }
    out.now = Timestamp{out.now.seconds + 365 * kDay};
    out.decision = policy.evaluate(req, out.ballots, out.now, reg);
    expect_route_agrees(policy, req, out.ballots, out.now, reg, out.decision);
    return out;
  }
  ADD_FAILURE() << "drive did not end";
  return out;
}

}  // namespace rootgov::policies::testing
