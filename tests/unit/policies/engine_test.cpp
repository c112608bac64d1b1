// engine_test.cpp - the rules, vetoes, timeouts and explanations of the engine on small models,
// and determinism of evaluate.
#include <rootgov/policies/engine.hpp>

#include <gtest/gtest.h>

#include <rootgov/policies/registry.hpp>

#include "policy_test_util.hpp"

namespace rootgov::policies::testing {
namespace {

ModelPolicy model(const std::string& stages, const std::string& bodies = "") {
  std::string text = R"(
id = "t"
title = "test"
sources = ["tests"]
[body.gic]
name = "GIC"
roles = ["government"]
regional_seats = { africa = 4, asia-pacific = 4, europe = 4, latin-america = 4, north-america = 4 }
[body.govs]
name = "governments"
roles = ["government"]
[body.ntia]
name = "NTIA"
roles = ["ntia"]
[body.iana]
name = "IANA"
roles = ["iana"]
[body.cos]
name = "crypto officers"
roles = ["crypto-officer"]
[body.tld-manager]
name = "TLD manager"
dynamic = ["tld-manager"]
[body.gac]
name = "GAC"
in_bodies = ["gac"]
[[submit]]
bodies = ["tld-manager"]
)" + bodies + stages;
  auto spec = parse_model(text, "t.toml");
  if (!spec) {
    for (const auto& e : spec.error()) ADD_FAILURE() << e.to_string();
    throw std::runtime_error("bad test model");
  }
  return ModelPolicy(std::move(*spec), "t");
}

Ballot vote(const std::string& actor, Vote v, std::int64_t day = 0, std::string comment = "") {
  return Ballot{actor, v, std::move(comment), Timestamp{kStart.seconds + day * kDay}};
}

RequestView br() { return request(ChangeKind::ns_update, "br", "manager.br"); }

TEST(Engine, ExplainsARegionalSeatsRejectionInWordsAStudentUnderstands) {
  auto p = model(R"(
[[stage]]
id = "gic"
name = "GIC authorization"
bodies = ["gic"]
rule = "regional-seats"
min_regions = 3
)");
  // Every North American and Latin American government approves (4 + 4 seats, 2 regions), every
  // African and Asia-Pacific one rejects: 8 for, 8 against, Europe (4 seats, 6 governments) silent.
  std::vector<Ballot> ballots;
  for (const auto& g : {"gov.us", "gov.ca", "gov.br", "gov.ar", "gov.mx", "gov.cl", "gov.cu"}) ballots.push_back(vote(g, Vote::approve));
  for (const auto& g : {"gov.za", "gov.ng", "gov.ke", "gov.eg", "gov.sn", "gov.tn", "gov.cn", "gov.in", "gov.jp",
                        "gov.kr", "gov.au", "gov.ir", "gov.sa", "gov.id"}) {
    ballots.push_back(vote(g, Vote::reject, 0, "not now"));
  }
  Decision pending = p.evaluate(br(), ballots, kStart, test_registry());
  EXPECT_EQ(pending.outcome, Outcome::pending);
  EXPECT_EQ(pending.awaiting, (std::vector<ActorId>{"gov.ch", "gov.de", "gov.fr", "gov.gb", "gov.ru", "gov.se"}));
  // Europe's rejections: after gov.de, gov.ch and gov.fr the remaining 3 European governments
  // hold 2 seats, so approvals can reach 10 at best, not more than 10.
  ballots.push_back(vote("gov.de", Vote::reject, 1, "no"));
  ballots.push_back(vote("gov.ch", Vote::reject, 1));
  Decision still = p.evaluate(br(), ballots, Timestamp{kStart.seconds + kDay}, test_registry());
  EXPECT_EQ(still.outcome, Outcome::pending) << still.explanation;
  ballots.push_back(vote("gov.fr", Vote::reject, 1));
  Decision d = p.evaluate(br(), ballots, Timestamp{kStart.seconds + kDay}, test_registry());
  EXPECT_EQ(d.outcome, Outcome::rejected);
  EXPECT_EQ(d.stage, "gic");
  EXPECT_EQ(d.explanation.rfind(
                "rejected at stage 'GIC authorization': needs a majority of 20 GIC seats (more than 10) with seats from at "
            "least 3 of 5 regions, got 8 for, 10 against; seats from 2 of 5 regions; gov.za: \"not now\"",
                0),
            0u)
      << d.explanation;
  EXPECT_EQ(d.ballots_counted.size(), 24u);
  EXPECT_TRUE(d.awaiting.empty());
}

// A request's seats are made once and kept while the request and the registry stay the same;
// another registry (a transfer moved the TLD) or another request under the same id gets seats
// made again, and a copy of a registry is the same registry.
TEST(Engine, SeatsAreKeptPerRequestAndMadeAgainWhenTheRegistryOrTheRequestChanges) {
  auto p = model(R"(
[[stage]]
id = "confirm"
name = "confirmation"
bodies = ["tld-manager"]
rule = "all"
[[stage]]
id = "authorize"
name = "authorization"
bodies = ["ntia"]
rule = "all"
)");
  const ActorRegistry& before = test_registry();
  auto awaiting = [&](const RequestView& r, const ActorRegistry& reg, std::vector<Ballot> ballots = {}) {
    Decision routed = p.route(r, ballots, kStart, reg);
    Decision worded = p.evaluate(r, ballots, kStart, reg);
    EXPECT_EQ(routed.awaiting, worded.awaiting);
    return worded.awaiting;
  };
  EXPECT_EQ(awaiting(br(), before), std::vector<ActorId>{"manager.br"});
  const std::uint64_t misses = p.seat_misses();
  EXPECT_EQ(awaiting(br(), before, {vote("manager.br", Vote::approve)}), std::vector<ActorId>{"ntia"});
  EXPECT_EQ(p.seat_misses(), misses) << "the same request under the same registry keeps its seats";
  EXPECT_GE(p.seat_hits(), 2u);

  // .br moves to a new manager: the registry is another, so are the seats.
  ActorRegistry after = before;
  EXPECT_EQ(after.revision(), before.revision()) << "a copy holds the same actors";
  authority::Actor old_manager = *before.find("manager.br");
  old_manager.manages.clear();
  ASSERT_TRUE(after.add(old_manager));
  authority::Actor fresh = old_manager;
  fresh.id = "newco.br";
  fresh.manages = {"br"};
  ASSERT_TRUE(after.add(fresh));
  EXPECT_NE(after.revision(), before.revision());
  EXPECT_EQ(awaiting(br(), after), std::vector<ActorId>{"newco.br"});
  EXPECT_EQ(awaiting(br(), after, {vote("manager.br", Vote::approve)}), std::vector<ActorId>{"newco.br"})
      << "the old manager's approval no longer counts";
  EXPECT_EQ(awaiting(br(), before), std::vector<ActorId>{"manager.br"}) << "and back under the first registry";

  // Another request under the same id (a different TLD) is seated for itself.
  RequestView de = br();
  de.tld = "de";
  de.requester = "manager.de";
  de.country = "de";
  EXPECT_EQ(awaiting(de, before), std::vector<ActorId>{"manager.de"});
  EXPECT_EQ(awaiting(br(), before), std::vector<ActorId>{"manager.br"});

  // A moved-from registry is another registry: it holds no actors any more.
  ActorRegistry moved = after;
  ActorRegistry target = std::move(moved);
  EXPECT_EQ(target.revision(), after.revision());
  EXPECT_NE(moved.revision(), after.revision());  // NOLINT(bugprone-use-after-move): the contract under test
  EXPECT_TRUE(moved.all().empty());                // NOLINT(bugprone-use-after-move)
}

TEST(Engine, KOfNNeedsExactlyKApprovals) {
  auto p = model(R"(
[[stage]]
id = "ksk"
name = "KSK ceremony"
bodies = ["cos"]
rule = "k-of-n"
k = 3
)");
  std::vector<Ballot> ballots = {vote("co1", Vote::approve), vote("co2", Vote::approve)};
  EXPECT_EQ(p.evaluate(br(), ballots, kStart, test_registry()).outcome, Outcome::pending);
  ballots.push_back(vote("co7", Vote::approve));
  Decision d = p.evaluate(br(), ballots, kStart, test_registry());
  EXPECT_EQ(d.outcome, Outcome::approved);
  EXPECT_EQ(d.approvers, (std::vector<ActorId>{"co1", "co2", "co7"}));
  // Five rejections leave only two possible approvals: 3 of 7 can no longer be reached.
  std::vector<Ballot> no;
  for (const auto& c : {"co1", "co2", "co3", "co4"}) no.push_back(vote(c, Vote::reject));
  EXPECT_EQ(p.evaluate(br(), no, kStart, test_registry()).outcome, Outcome::pending);
  no.push_back(vote("co5", Vote::reject));
  Decision r = p.evaluate(br(), no, kStart, test_registry());
  EXPECT_EQ(r.outcome, Outcome::rejected);
  EXPECT_NE(r.explanation.find("needs 3 of 7 crypto officers, got 0 for, 5 against"), std::string::npos) << r.explanation;
}

TEST(Engine, SupermajorityAndQuorum) {
  auto p = model(R"(
[[stage]]
id = "v"
name = "vote"
bodies = ["govs"]
rule = "supermajority"
fraction = "2/3"
quorum = 5
timeout = "10d"
on_timeout = "count"
)");
  // 27 governments: 2/3 is 18.
  std::vector<Ballot> ballots;
  int i = 0;
  for (const auto& [id, a] : test_registry().all()) {
    if (!a.has_role("government") || i >= 17) continue;
    ballots.push_back(vote(id, Vote::approve));
    ++i;
  }
  Decision d = p.evaluate(br(), ballots, kStart, test_registry());
  EXPECT_EQ(d.outcome, Outcome::pending);
  EXPECT_NE(d.explanation.find("2/3 of 27 governments members (18)"), std::string::npos) << d.explanation;
  // At the deadline the 17 ballots cast decide: 17 of 17 is more than 2/3.
  Decision late = p.evaluate(br(), ballots, Timestamp{kStart.seconds + 10 * kDay}, test_registry());
  EXPECT_EQ(late.outcome, Outcome::approved) << late.explanation;
  // Four ballots are short of the quorum of five.
  std::vector<Ballot> few(ballots.begin(), ballots.begin() + 4);
  Decision short_of_quorum = p.evaluate(br(), few, Timestamp{kStart.seconds + 10 * kDay}, test_registry());
  EXPECT_EQ(short_of_quorum.outcome, Outcome::rejected);
  EXPECT_NE(short_of_quorum.explanation.find("short of the quorum of 5"), std::string::npos) << short_of_quorum.explanation;
}

TEST(Engine, AVetoHolderBlocksAMajority) {
  auto p = model(R"(
[[stage]]
id = "v"
name = "vote"
bodies = ["govs", "us"]
veto = ["us"]
rule = "majority"
)",
                 "[body.us]\nname = \"US government\"\ncountries = [\"us\"]\nroles = [\"government\"]\n");
  std::vector<Ballot> ballots = {vote("gov.br", Vote::approve), vote("gov.us", Vote::reject, 0, "our historic role")};
  Decision d = p.evaluate(br(), ballots, kStart, test_registry());
  EXPECT_EQ(d.outcome, Outcome::rejected);
  EXPECT_NE(d.explanation.find("vetoed by gov.us"), std::string::npos) << d.explanation;
  EXPECT_NE(d.explanation.find("any one of US government can veto"), std::string::npos) << d.explanation;
}

TEST(Engine, TimeoutOutcomes) {
  for (auto [outcome, expected] : {std::pair{"consent", Outcome::approved}, std::pair{"reject", Outcome::rejected},
                                   std::pair{"expire", Outcome::expired}}) {
    auto p = model(std::string(R"(
[[stage]]
id = "ntia"
name = "NTIA authorization"
bodies = ["ntia"]
rule = "all"
timeout = "7d"
on_timeout = ")") + outcome + "\"\n");
    Decision before = p.evaluate(br(), {}, Timestamp{kStart.seconds + 7 * kDay - 1}, test_registry());
    EXPECT_EQ(before.outcome, Outcome::pending) << outcome;
    ASSERT_TRUE(before.deadline.has_value());
    EXPECT_EQ(before.deadline->seconds, kStart.seconds + 7 * kDay);
    EXPECT_EQ(before.awaiting, std::vector<ActorId>{"ntia"});
    Decision after = p.evaluate(br(), {}, Timestamp{kStart.seconds + 7 * kDay}, test_registry());
    EXPECT_EQ(after.outcome, expected) << outcome << ": " << after.explanation;
    EXPECT_TRUE(after.approvers.empty()) << "silence approves nobody";
  }
}

TEST(Engine, ABallotCountsOnlyForTheStageOpenWhenItWasCast) {
  auto p = model(R"(
[[stage]]
id = "iana"
name = "IANA verification"
bodies = ["iana"]
rule = "all"
timeout = "5d"
on_timeout = "consent"
[[stage]]
id = "ntia"
name = "NTIA authorization"
bodies = ["ntia"]
rule = "all"
timeout = "5d"
on_timeout = "reject"
)");
  // NTIA's ballot on day 1 comes before its stage opens (day 5) and does not count.
  std::vector<Ballot> ballots = {vote("ntia", Vote::approve, 1)};
  Decision d = p.evaluate(br(), ballots, Timestamp{kStart.seconds + 6 * kDay}, test_registry());
  EXPECT_EQ(d.outcome, Outcome::pending);
  EXPECT_EQ(d.stage, "ntia");
  ASSERT_TRUE(d.deadline.has_value());
  EXPECT_EQ(d.deadline->seconds, kStart.seconds + 10 * kDay);
  Decision end = p.evaluate(br(), ballots, Timestamp{kStart.seconds + 20 * kDay}, test_registry());
  EXPECT_EQ(end.outcome, Outcome::rejected);
  EXPECT_NE(end.explanation.find("no decision within 5d, and silence counts as rejection"), std::string::npos)
      << end.explanation;
}

TEST(Engine, DenyByDefault) {
  // A stage whose body has nobody in the registry rejects rather than passing silently.
  auto p = model(R"(
[[stage]]
id = "ghost"
name = "ghost council"
bodies = ["ghosts"]
rule = "all"
)",
                 "[body.ghosts]\nname = \"ghosts\"\nroles = [\"ghost\"]\n");
  Decision d = p.evaluate(br(), {}, kStart, test_registry());
  EXPECT_EQ(d.outcome, Outcome::rejected);
  EXPECT_NE(d.explanation.find("nobody in ghosts"), std::string::npos) << d.explanation;
  // No binding stage for the kind: rejected.
  auto q = model(R"(
[[stage]]
id = "ntia"
name = "NTIA"
applies_to = ["delegate"]
bodies = ["ntia"]
rule = "all"
)");
  Decision none = q.evaluate(br(), {}, kStart, test_registry());
  EXPECT_EQ(none.outcome, Outcome::rejected);
  EXPECT_NE(none.explanation.find("no binding stage for ns-update requests on cc TLDs"), std::string::npos);
  // Nobody may submit a kind no submit rule covers, and only the named body may submit.
  auto r = model(R"(
[[stage]]
id = "ntia"
name = "NTIA"
bodies = ["ntia"]
rule = "all"
)");
  EXPECT_TRUE(r.may_submit(br(), test_registry()).has_value());
  auto refused = r.may_submit(request(ChangeKind::ns_update, "br", "gov.fr"), test_registry());
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, Errc::unauthorized);
  EXPECT_NE(refused.error().message.find("'gov.fr' may not submit"), std::string::npos) << refused.error().message;
}

TEST(Engine, AdvisoryBallotsAreRecordedButNeverDecide) {
  auto p = model(R"(
[[stage]]
id = "gac"
name = "GAC advice"
advisory = true
bodies = ["gac"]
[[stage]]
id = "ntia"
name = "NTIA authorization"
bodies = ["ntia"]
rule = "all"
)");
  std::vector<Ballot> ballots = {vote("gov.fr", Vote::reject, 0, "a public-policy concern"), vote("gov.de", Vote::comment, 0, "noted")};
  Decision pending = p.evaluate(br(), ballots, kStart, test_registry());
  EXPECT_EQ(pending.outcome, Outcome::pending);
  EXPECT_EQ(pending.awaiting, std::vector<ActorId>{"ntia"});
  EXPECT_EQ(pending.may_comment.size(), 26u);  // every GAC member except gov.fr, who advised already
  ballots.push_back(vote("ntia", Vote::approve));
  Decision d = p.evaluate(br(), ballots, kStart, test_registry());
  EXPECT_EQ(d.outcome, Outcome::approved);
  EXPECT_EQ(d.approvers, std::vector<ActorId>{"ntia"});
  EXPECT_EQ(d.ballots_counted.size(), 1u);
  EXPECT_NE(d.explanation.find("gov.fr objects (\"a public-policy concern\")"), std::string::npos) << d.explanation;
  ASSERT_EQ(d.stages.size(), 2u);
  EXPECT_TRUE(d.stages[0].advisory);
  EXPECT_EQ(d.stages[0].rejected, std::vector<ActorId>{"gov.fr"});
}

TEST(Engine, EvaluationIsDeterministic) {
  for (const auto& info : builtin_models()) {
    auto policy = load_policy(info.id);
    ASSERT_TRUE(policy.has_value());
    RequestView req = request(ChangeKind::transfer, "br", "gov.br");
    std::vector<Ballot> ballots;
    for (const auto& [id, a] : test_registry().all()) {
      ballots.push_back(vote(id, ballots.size() % 3 == 0 ? Vote::reject : Vote::approve, static_cast<std::int64_t>(ballots.size() % 40)));
    }
    Timestamp now{kStart.seconds + 90 * kDay};
    Decision a = (*policy)->evaluate(req, ballots, now, test_registry());
    auto again = load_policy(info.id);
    Decision b = (*again)->evaluate(req, ballots, now, test_registry());
    EXPECT_EQ(a.explanation, b.explanation) << info.id;
    EXPECT_EQ(a.outcome, b.outcome);
    EXPECT_EQ(a.stage, b.stage);
    EXPECT_EQ(a.rules_applied, b.rules_applied);
    EXPECT_EQ(a.awaiting, b.awaiting);
    EXPECT_EQ(a.approvers, b.approvers);
    EXPECT_EQ(a.ballots_counted.size(), b.ballots_counted.size());
    ASSERT_EQ(a.stages.size(), b.stages.size());
    for (std::size_t i = 0; i < a.stages.size(); ++i) {
      EXPECT_EQ(a.stages[i].state, b.stages[i].state);
      EXPECT_EQ(a.stages[i].approved, b.stages[i].approved);
    }
  }
}

}  // namespace
}  // namespace rootgov::policies::testing
