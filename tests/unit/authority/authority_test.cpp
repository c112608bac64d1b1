// tests/unit/authority/authority_test.cpp - the request workflow over a simple test policy.
#include <rootgov/authority/authority.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <random>

#include <rootgov/authority/journal.hpp>
#include <rootgov/authority/signed_document.hpp>

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <boost/json.hpp>
#include <botan/hash.h>
#include <botan/hex.h>

namespace rootgov::authority {
namespace {

namespace fs = std::filesystem;

std::string sha256_hex(const std::string& data) {
  auto h = Botan::HashFunction::create_or_throw("SHA-256");
  h->update(data);
  return Botan::hex_encode(h->final(), false);
}

// A policy for tests: the TLD manager and the affected managers confirm (affected managers'
// silence is consent after 14 days), then "ntia" authorizes within 30 days or the request
// expires. Governments may comment. Any binding rejection rejects. Without `ntia`, the
// contacts' confirmation approves. `definition` stands for a model file's text.
class TestPolicy : public Policy {
 public:
  TestPolicy() = default;
  TestPolicy(std::string id, bool ntia, std::string definition = {})
      : m_id(std::move(id)), m_ntia(ntia), m_definition(std::move(definition)) {}
  std::string id() const override { return m_id; }
  std::string title() const override { return "test policy"; }
  std::string definition() const override { return m_definition; }
  Result<void> may_submit(const RequestView& r, const ActorRegistry& reg) const override {
    if (r.kind == ChangeKind::root_update) {
      const Actor* a = reg.find(r.requester);
      if (a != nullptr && a->has_role("iana")) return {};
      return fail(Errc::unauthorized, "only iana submits root-level changes");
    }
    const Actor* m = reg.manager_of(r.tld);
    if (r.kind == ChangeKind::delegate || (m != nullptr && m->id == r.requester)) return {};
    return fail(Errc::unauthorized, "only the manager of '" + r.tld + "' may submit for it");
  }
  Decision evaluate(const RequestView& r, std::span<const Ballot> ballots, Timestamp now,
                    const ActorRegistry& reg) const override {
    Decision d;
    std::map<ActorId, Vote> votes;
    for (const auto& b : ballots) {
      if (b.vote != Vote::comment) votes[b.actor] = b.vote;
    }
    for (const auto& [actor, vote] : votes) {
      if (vote == Vote::reject) {
        d.outcome = Outcome::rejected;
        d.stage = actor == "ntia" ? "authorization" : "contact-confirmation";
        d.explanation = "rejected by " + actor;
        return d;
      }
    }
    std::vector<ActorId> contacts;
    if (r.kind != ChangeKind::root_update && r.kind != ChangeKind::delegate) {
      if (const Actor* m = reg.manager_of(r.tld)) contacts.push_back(m->id);
    }
    Timestamp consent_deadline = r.submitted_at + Duration{14 * 86400};
    for (const auto& a : r.affected) {
      if (now < consent_deadline) contacts.push_back(a);
    }
    for (const auto& c : contacts) {
      if (!votes.contains(c)) d.awaiting.push_back(c);
    }
    d.may_comment = {"gov.br"};
    if (!d.awaiting.empty()) {
      d.stage = "contact-confirmation";
      if (!r.affected.empty()) d.deadline = consent_deadline;
      d.explanation = "awaiting contact confirmation";
      return d;
    }
    Timestamp auth_deadline = r.submitted_at + Duration{30 * 86400};
    if (m_ntia && !votes.contains("ntia")) {
      if (now >= auth_deadline) {
        d.outcome = Outcome::expired;
        d.stage = "authorization";
        d.explanation = "expired: ntia did not act within 30 days";
        return d;
      }
      d.stage = "authorization";
      d.awaiting = {"ntia"};
      d.deadline = auth_deadline;
      d.explanation = "awaiting ntia";
      return d;
    }
    d.outcome = Outcome::approved;
    d.stage = "authorization";
    d.approvers = contacts;
    if (m_ntia) d.approvers.push_back("ntia");
    d.explanation = "approved";
    return d;
  }

 private:
  std::string m_id = "test-policy";
  bool m_ntia = true;
  std::string m_definition;
};

// Builds the test models by id: "test-policy", "contacts-only" (no ntia stage), and a "model
// file" whose text is "ntia = true" or "ntia = false".
PolicyResolver resolver() {
  return [](const std::string& id, const std::string& definition) -> Result<std::shared_ptr<const Policy>> {
    if (!definition.empty()) return std::make_shared<TestPolicy>(id, definition == "ntia = true", definition);
    if (id == "test-policy") return std::make_shared<TestPolicy>();
    if (id == "contacts-only") return std::make_shared<TestPolicy>("contacts-only", false);
    return fail(Errc::not_found, "unknown model '" + id + "'");
  };
}

constexpr const char* kZone =
    ".\t86400\tIN\tSOA\ta.root-servers.net. nstld.verisign-grs.com. 2005111800 1800 900 604800 86400\n"
    ".\t518400\tIN\tNS\ta.root-servers.net.\n"
    "a.root-servers.net.\t518400\tIN\tA\t198.41.0.4\n"
    "br.\t172800\tIN\tNS\ta.dns.br.\n"
    "br.\t172800\tIN\tNS\tb.dns.br.\n"
    "a.dns.br.\t172800\tIN\tA\t200.160.0.10\n"
    "b.dns.br.\t172800\tIN\tA\t200.189.41.10\n"
    "net.\t172800\tIN\tNS\ta.gtld-servers.net.\n"
    "net.\t172800\tIN\tNS\tb.gtld-servers.net.\n"
    "a.gtld-servers.net.\t172800\tIN\tA\t192.5.6.30\n"
    "b.gtld-servers.net.\t172800\tIN\tA\t192.33.14.30\n"
    "com.\t172800\tIN\tNS\ta.gtld-servers.net.\n"
    "com.\t172800\tIN\tNS\tb.gtld-servers.net.\n"
    "root-servers.net.\t172800\tIN\tNS\ta.gtld-servers.net.\n";

class AuthorityTest : public ::testing::Test {
 public:
  void SetUp() override {
    dir = fs::temp_directory_path() / ("rootgov-authority-test-" + std::to_string(::getpid()) + "-" +
                                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir);
    for (std::string id : {"ntia", "iana", "instructor", "manager.br", "manager.com", "manager.net", "gov.br", "mallory"}) {
      Actor a;
      a.id = id;
      a.name = id;
      if (id == "ntia") a.roles = {"ntia"};
      if (id == "iana") a.roles = {"iana"};
      if (id == "instructor") a.roles = {"instructor"};
      if (id == "mallory") a.roles = {"private-sector"};
      if (id.rfind("manager.", 0) == 0) {
        a.roles = {"tld-manager"};
        a.manages = {id.substr(8)};
      }
      if (id == "gov.br") {
        a.roles = {"government"};
        a.country = "br";
      }
      keys.emplace(id, ActorKey::generate(id));
      a.public_key = keys.at(id).public_key();
      auto added = registry.add(a);
      ASSERT_TRUE(added) << added.error().message;
    }
  }
  void TearDown() override { fs::remove_all(dir); }

  AuthorityOptions options() {
    AuthorityOptions o;
    o.state_dir = dir;
    o.base_zone_text = kZone;
    o.registry = registry;
    o.policy = std::make_shared<TestPolicy>();
    o.clock = ClockMode::simulated;
    o.dnssec_algorithm = "ed25519";
    o.sign_threads = 1;
    o.resolve_policy = resolver();
    return o;
  }

  std::string doc(const std::string& actor, DocumentType type, Json body) {
    Document d;
    d.type = type;
    d.actor = actor;
    d.time = Timestamp{1132272000};
    d.seq = ++seq[actor];
    d.body = std::move(body);
    return SignedDocument::sign(d, keys.at(actor)).value().to_wire();
  }
  std::string submit_doc(const std::string& actor, const std::string& body_json) {
    return doc(actor, DocumentType::submit, Json::parse(body_json).value());
  }
  std::string ballot_doc(const std::string& actor, const std::string& id, const std::string& vote,
                         const std::string& comment = "") {
    Json b(Json::Object{});
    b["request"] = id;
    b["vote"] = vote;
    if (!comment.empty()) b["comment"] = comment;
    return doc(actor, DocumentType::ballot, b);
  }
  std::string advance_doc(const std::string& actor, const std::string& duration) {
    Json b(Json::Object{});
    b["action"] = "clock-advance";
    b["duration"] = duration;
    return doc(actor, DocumentType::admin, b);
  }

  fs::path dir;
  ActorRegistry registry;
  std::map<ActorId, ActorKey> keys;
  std::map<ActorId, std::uint64_t> seq;
};

const char* kBrNs = R"({"kind":"ns-update","tld":"br","ns":[{"host":"a.dns.br","addresses":["200.160.0.10"]},{"host":"c.dns.br","addresses":["200.192.233.10"]}]})";

TEST_F(AuthorityTest, SubmissionGetsAnIdAndAwaitsTheContacts) {
  auto a = Authority::open(options()).value();
  auto r = a->submit(submit_doc("manager.br", kBrNs));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->request.id, "ROOT-MGMT#20051118001");
  EXPECT_EQ(r->request.state, RequestState::awaiting);
  EXPECT_EQ(r->request.decision.awaiting, std::vector<ActorId>{"manager.br"});
  auto r2 = a->submit(submit_doc("manager.br", R"({"kind":"ds-update","tld":"br","ds":[]})"));
  ASSERT_TRUE(r2) << r2.error().message;
  EXPECT_EQ(r2->request.id, "ROOT-MGMT#20051118002");
}

// The minimal answer to a mutation names the request, its state and who is awaited, and the
// serial once published; nothing else.
TEST_F(AuthorityTest, RequestSummaryJsonHasTheRoutingFieldsOnly) {
  auto a = Authority::open(options()).value();
  auto r = a->submit(submit_doc("manager.br", kBrNs)).value();
  auto summary = boost::json::parse(request_summary_json(r.request)).as_object();
  EXPECT_EQ(summary.size(), 3u) << summary;
  EXPECT_EQ(summary.at("id").as_string(), r.request.id);
  EXPECT_EQ(summary.at("state").as_string(), "awaiting");
  EXPECT_EQ(summary.at("awaiting"), boost::json::array{"manager.br"});
  ASSERT_TRUE(a->ballot(r.request.id, ballot_doc("manager.br", r.request.id, "approve")));
  auto done = a->ballot(r.request.id, ballot_doc("ntia", r.request.id, "approve")).value();
  summary = boost::json::parse(request_summary_json(done.request)).as_object();
  EXPECT_EQ(summary.at("state").as_string(), "published");
  EXPECT_TRUE(summary.at("awaiting").as_array().empty());
  EXPECT_EQ(summary.at("serial").to_number<std::uint32_t>(), a->serial());
  EXPECT_LT(request_summary_json(done.request).size() * 4, request_info_to_json(done.request).size());
}

// A TestPolicy whose words depend on the registry (who manages the TLD) and on the time of
// the decision, and whose route() leaves a pending decision without words. Counts wordings.
class WordingPolicy : public TestPolicy {
 public:
  Decision evaluate(const RequestView& r, std::span<const Ballot> ballots, Timestamp now,
                    const ActorRegistry& reg) const override {
    ++wordings;
    return worded(r, ballots, now, reg);
  }
  Decision route(const RequestView& r, std::span<const Ballot> ballots, Timestamp now,
                 const ActorRegistry& reg) const override {
    Decision d = worded(r, ballots, now, reg);
    if (d.outcome == Outcome::pending) {
      d.explanation.clear();
      d.rules_applied.clear();
    }
    return d;
  }
  mutable int wordings = 0;

 private:
  Decision worded(const RequestView& r, std::span<const Ballot> ballots, Timestamp now, const ActorRegistry& reg) const {
    Decision d = TestPolicy::evaluate(r, ballots, now, reg);
    const Actor* m = reg.manager_of(r.tld);
    d.explanation += " (manager of '" + r.tld + "': " + (m != nullptr ? m->id : std::string("none")) + ")";
    d.rules_applied = {"decided at " + format_time(now)};
    return d;
  }
};

// ReceiptForm::summary: the receipt's pending decision has no words and the policy is not asked
// for them; whoever reads the request later (find, list, a snapshot) gets exactly the words a
// full receipt would have had at that input, even after the clock moved and a transfer changed
// the registry the words depend on.
TEST_F(AuthorityTest, SummaryReceiptsLeaveTheWordsToTheReaderAndTheyMatchAFullRun) {
  auto lazy_policy = std::make_shared<WordingPolicy>();
  AuthorityOptions lazy_options = options();
  lazy_options.policy = lazy_policy;
  AuthorityOptions full_options = options();
  full_options.state_dir = dir.string() + "-full";
  fs::remove_all(full_options.state_dir);
  full_options.policy = std::make_shared<WordingPolicy>();
  auto lazy = Authority::open(lazy_options).value();
  auto full = Authority::open(full_options).value();
  // Every document goes to both; the lazy authority asks for summary receipts.
  auto both_submit = [&](const std::string& wire) {
    auto l = lazy->submit(wire, ReceiptForm::summary);
    auto f = full->submit(wire);
    EXPECT_TRUE(l && f);
    return l.value();
  };
  auto both_ballot = [&](const RequestId& id, const std::string& wire) {
    auto l = lazy->ballot(id, wire, ReceiptForm::summary);
    auto f = full->ballot(id, wire);
    EXPECT_TRUE(l && f);
    return l.value();
  };
  auto expect_same_requests = [&](std::string_view when) {
    const auto f = full->list();
    const auto l = lazy->list();
    ASSERT_EQ(l.size(), f.size()) << when;
    for (std::size_t i = 0; i < f.size(); ++i) {
      EXPECT_EQ(request_info_to_json(*l[i]), request_info_to_json(*f[i])) << when;
    }
  };

  const int before = lazy_policy->wordings;
  auto ds = both_submit(submit_doc("manager.br", R"({"kind":"ds-update","tld":"br","ds":[]})"));
  EXPECT_EQ(ds.request.state, RequestState::awaiting);
  EXPECT_EQ(ds.request.decision.awaiting, std::vector<ActorId>{"manager.br"});
  EXPECT_EQ(ds.request.decision.stage, "contact-confirmation");
  EXPECT_TRUE(ds.request.decision.explanation.empty());
  EXPECT_EQ(lazy_policy->wordings, before) << "a summary receipt must not ask for words";

  // The clock moves on; the words keep the time of the decision.
  const std::string advance = advance_doc("instructor", "1d");
  ASSERT_TRUE(lazy->advance_clock(advance));
  ASSERT_TRUE(full->advance_clock(advance));

  // A transfer of .br is approved and implemented: the registry the words depend on changes.
  auto t = both_submit(submit_doc("manager.br", R"({"kind":"transfer","tld":"br","manager":"gov.br"})"));
  both_ballot(t.request.id, ballot_doc("manager.br", t.request.id, "approve"));
  auto done = both_ballot(t.request.id, ballot_doc("ntia", t.request.id, "approve"));
  EXPECT_EQ(done.request.state, RequestState::published);
  EXPECT_FALSE(done.request.decision.explanation.empty()) << "a final decision always has its words";
  ASSERT_EQ(lazy->registry().manager_of("br")->id, "gov.br");

  const RequestInfo* got = lazy->find(ds.request.id);
  ASSERT_NE(got, nullptr);
  EXPECT_EQ(got->decision.explanation, "awaiting contact confirmation (manager of 'br': manager.br)");
  EXPECT_EQ(got->decision.rules_applied, std::vector<std::string>{"decided at " + format_time(ds.request.updated_at)});
  expect_same_requests("after the transfer");
  const int after_reading = lazy_policy->wordings;
  lazy->find(ds.request.id);
  EXPECT_EQ(lazy_policy->wordings, after_reading) << "words are made once";

  // A withdrawn request keeps the words it had.
  auto second = both_submit(submit_doc("manager.com", R"({"kind":"ds-update","tld":"com","ds":[]})"));
  Json w(Json::Object{});
  w["request"] = second.request.id;
  const std::string withdrawal = doc("manager.com", DocumentType::withdraw, w);
  ASSERT_TRUE(lazy->withdraw(second.request.id, withdrawal));
  ASSERT_TRUE(full->withdraw(second.request.id, withdrawal));
  expect_same_requests("after a withdrawal");

  // A snapshot (clean shutdown) records whole decisions: the resumed state reads the same.
  auto third = both_submit(submit_doc("manager.net", R"({"kind":"ds-update","tld":"net","ds":[]})"));
  EXPECT_TRUE(third.request.decision.explanation.empty());
  EXPECT_EQ(lazy->find(third.request.id)->decision.explanation,
            "awaiting contact confirmation (manager of 'net': manager.net)");
  lazy.reset();
  lazy = Authority::open(lazy_options).value();
  EXPECT_EQ(lazy->startup().replayed_entries, 0u) << "resumed from the shutdown snapshot";
  expect_same_requests("after a restart");
  full.reset();
  fs::remove_all(full_options.state_dir);
}

TEST_F(AuthorityTest, ApprovedChangeIsImplementedSignedAndPublished) {
  auto a = Authority::open(options()).value();
  std::uint32_t serial = a->serial();
  EXPECT_EQ(a->summary().open_requests, 0u);
  auto r = a->submit(submit_doc("manager.br", kBrNs)).value();
  EXPECT_EQ(a->summary().open_requests, 1u);
  ASSERT_TRUE(a->ballot(r.request.id, ballot_doc("manager.br", r.request.id, "approve")));
  EXPECT_EQ(a->find(r.request.id)->decision.awaiting, std::vector<ActorId>{"ntia"});
  EXPECT_EQ(a->summary().open_requests, 1u);
  auto done = a->ballot(r.request.id, ballot_doc("ntia", r.request.id, "approve"));
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(done->request.state, RequestState::published);
  EXPECT_EQ(a->summary().open_requests, 0u);
  EXPECT_EQ(a->summary().requests, 1u);
  EXPECT_GT(a->serial(), serial);
  // The gauges' cheap read gives the summary's figures.
  const Summary sum = a->summary();
  const Counters c = a->counters();
  EXPECT_EQ(c.serial, sum.serial);
  EXPECT_EQ(c.serial, a->serial());
  EXPECT_EQ(c.tlds, sum.tlds);
  EXPECT_EQ(c.requests, 1u);
  EXPECT_EQ(c.open_requests, 0u);
  EXPECT_EQ(c.log_size, sum.log_size);
  EXPECT_GT(c.log_size, 0u);
  EXPECT_EQ(c.signatures_verified_inline + c.signatures_preverified,
            sum.signatures_verified_inline + sum.signatures_preverified);
  EXPECT_EQ(c.zone_resigns, sum.zone_resigns);
  const std::string& text = a->zone_text();
  EXPECT_NE(text.find("br.\t172800\tIN\tNS\tc.dns.br."), std::string::npos);
  EXPECT_EQ(text.find("b.dns.br."), std::string::npos) << "orphaned glue must disappear";
  EXPECT_NE(text.find("br.\t86400\tIN\tRRSIG\tNSEC"), std::string::npos) << text;
  EXPECT_NE(text.find(".\t86400\tIN\tRRSIG\tSOA"), std::string::npos);
}

// Signing is deferred to the next reading of the zone: two changes made without a reading in
// between are signed together, and the result is byte for byte the zone a full re-sign gives
// (a reopen replays the log and signs the whole zone).
TEST_F(AuthorityTest, DeferredSigningOfSeveralChangesEqualsAFullSign) {
  std::string batched;
  {
    auto a = Authority::open(options()).value();
    EXPECT_FALSE(a->signing_pending());
    auto approve_all = [&](const char* change) {
      auto submitted = a->submit(submit_doc("manager.br", change));
      ASSERT_TRUE(submitted) << submitted.error().message;
      auto r = *submitted;
      ASSERT_TRUE(a->ballot(r.request.id, ballot_doc("manager.br", r.request.id, "approve")));
      auto done = a->ballot(r.request.id, ballot_doc("ntia", r.request.id, "approve"));
      ASSERT_TRUE(done) << done.error().message;
      EXPECT_EQ(done->request.state, RequestState::published);
    };
    approve_all(kBrNs);
    EXPECT_TRUE(a->signing_pending()) << "an implemented change waits for the next reading to be signed";
    approve_all(
        R"({"kind":"ds-update","tld":"br","ds":[{"key_tag":11111,"algorithm":13,"digest_type":2,"digest":"1111111111111111111111111111111111111111111111111111111111111111"}]})");
    EXPECT_TRUE(a->signing_pending());
    const auto resigns = a->summary().zone_resigns;
    ASSERT_TRUE(a->sign_pending());
    EXPECT_FALSE(a->signing_pending());
    EXPECT_EQ(a->summary().zone_resigns, resigns + 1) << "one re-sign for both changes";
    ASSERT_TRUE(a->sign_pending()) << "nothing pending: a no-op";
    EXPECT_EQ(a->summary().zone_resigns, resigns + 1);
    batched = a->zone_text();
    EXPECT_NE(batched.find("br.\t86400\tIN\tRRSIG\tDS"), std::string::npos) << batched;
  }
  auto reopened = Authority::open(options());
  ASSERT_TRUE(reopened) << reopened.error().message;
  EXPECT_FALSE((*reopened)->signing_pending());
  EXPECT_EQ((*reopened)->zone_text(), batched);
}

TEST_F(AuthorityTest, BallotFromActorNotAwaitedIsRefusedAndLeavesNoTrace) {
  auto a = Authority::open(options()).value();
  auto r = a->submit(submit_doc("manager.br", kBrNs)).value();
  auto size = a->log_size();
  auto b = a->ballot(r.request.id, ballot_doc("ntia", r.request.id, "approve"));
  ASSERT_FALSE(b);
  EXPECT_EQ(b.error().code, Errc::unauthorized);
  EXPECT_NE(b.error().message.find("manager.br"), std::string::npos);
  EXPECT_EQ(a->log_size(), size);
}

TEST_F(AuthorityTest, RejectionNeedsACommentAndEndsTheRequest) {
  auto a = Authority::open(options()).value();
  auto r = a->submit(submit_doc("manager.br", kBrNs)).value();
  auto no_comment = a->ballot(r.request.id, ballot_doc("manager.br", r.request.id, "reject"));
  ASSERT_FALSE(no_comment);
  EXPECT_EQ(no_comment.error().code, Errc::invalid_input);
  std::string before = a->zone_text();
  auto rej = a->ballot(r.request.id, ballot_doc("manager.br", r.request.id, "reject", "not ours"));
  ASSERT_TRUE(rej);
  EXPECT_EQ(rej->request.state, RequestState::rejected);
  EXPECT_EQ(a->summary().open_requests, 0u);
  EXPECT_EQ(a->zone_text(), before);
}

TEST_F(AuthorityTest, BadInputIsRefusedWithAClearErrorAndChangesNothing) {
  auto a = Authority::open(options()).value();
  auto size = a->log_size();
  auto private_glue = a->submit(submit_doc(
      "manager.br", R"({"kind":"ns-update","tld":"br","ns":[{"host":"a.dns.br","addresses":["10.0.0.1"]},{"host":"b.dns.br","addresses":["200.189.41.10"]}]})"));
  ASSERT_FALSE(private_glue);
  EXPECT_NE(private_glue.error().message.find("glue-prohibited"), std::string::npos) << private_glue.error().message;
  auto missing = a->submit(submit_doc("manager.br", R"({"kind":"ds-update","tld":"zz","ds":[]})"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::not_found);
  auto unknown_kind = a->submit(submit_doc("manager.br", R"({"kind":"teleport","tld":"br"})"));
  ASSERT_FALSE(unknown_kind);
  EXPECT_EQ(unknown_kind.error().code, Errc::invalid_input);
  auto not_manager = a->submit(submit_doc("mallory", kBrNs));
  ASSERT_FALSE(not_manager);
  EXPECT_EQ(not_manager.error().code, Errc::unauthorized);
  auto garbage = a->submit("{not json");
  ASSERT_FALSE(garbage);
  EXPECT_EQ(a->log_size(), size);
}

TEST_F(AuthorityTest, UndelegableLabelsAndUnknownNewManagersAreRefused) {
  auto a = Authority::open(options()).value();
  auto size = a->log_size();
  for (const char* tld : {"bad_label", "tld2", "x-y", "xn--"}) {
    auto r = a->submit(submit_doc("iana", std::string(R"({"kind":"delegate","tld":")") + tld +
                                              R"(","ns":[{"host":"a.dns.br"},{"host":"b.dns.br"}]})"));
    ASSERT_FALSE(r) << tld;
    EXPECT_EQ(r.error().code, Errc::invalid_input) << tld;
    EXPECT_NE(r.error().message.find("cannot be delegated"), std::string::npos) << r.error().message;
  }
  auto nobody = a->submit(submit_doc("manager.br", R"({"kind":"transfer","tld":"br","manager":"nobody.here"})"));
  ASSERT_FALSE(nobody);
  EXPECT_EQ(nobody.error().code, Errc::invalid_input);
  EXPECT_NE(nobody.error().message.find("no actor 'nobody.here'"), std::string::npos) << nobody.error().message;
  EXPECT_EQ(a->log_size(), size);
  // A registered actor and a letters-only or A-label TLD pass these checks.
  EXPECT_TRUE(a->submit(submit_doc("manager.br", R"({"kind":"transfer","tld":"br","manager":"gov.br"})")));
  EXPECT_TRUE(a->submit(submit_doc(
      "iana", R"({"kind":"delegate","tld":"xn--p1ai","ns":[{"host":"a.dns.br"},{"host":"b.dns.br"}]})")));
}

TEST_F(AuthorityTest, ReplayedOrForgedDocumentsAreRefused) {
  auto a = Authority::open(options()).value();
  std::string wire = submit_doc("manager.br", kBrNs);
  ASSERT_TRUE(a->submit(wire));
  auto again = a->submit(wire);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Errc::unauthorized);
  // Signed by mallory's key but claiming to be manager.br.
  Document d;
  d.type = DocumentType::submit;
  d.actor = "manager.br";
  d.time = Timestamp{1132272000};
  d.seq = 99;
  d.body = Json::parse(kBrNs).value();
  auto forged = SignedDocument::sign(d, keys.at("mallory"));
  if (forged) {
    auto f = a->submit(forged->to_wire());
    ASSERT_FALSE(f);
    EXPECT_EQ(f.error().code, Errc::unauthorized);
  }
}

TEST_F(AuthorityTest, PreverifiedDocumentsSkipOnlyTheSignatureCheck) {
  auto a = Authority::open(options()).value();
  std::string wire = submit_doc("manager.br", kBrNs);
  a->preverify(wire);
  auto r = a->submit(wire);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(a->summary().signatures_preverified, 1u);
  EXPECT_EQ(a->summary().signatures_verified_inline, 0u);
  // The replay rule still holds for a preverified document.
  a->preverify(wire);
  auto again = a->submit(wire);
  ASSERT_FALSE(again);
  EXPECT_NE(again.error().message.find("replayed"), std::string::npos) << again.error().message;
  // Same signature, other bytes: a different document, checked and refused.
  std::string ballot = ballot_doc("manager.br", r->request.id, "approve");
  a->preverify(ballot);
  std::string edited = ballot;
  edited.replace(edited.find("approve"), 7, "reject\",\"comment\":\"x");
  auto e = a->ballot(r->request.id, edited);
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().code, Errc::unauthorized) << e.error().message;
  EXPECT_GE(a->summary().signatures_verified_inline, 1u);
  // The genuine one still counts.
  ASSERT_TRUE(a->ballot(r->request.id, ballot));
  EXPECT_EQ(a->find(r->request.id)->decision.awaiting, std::vector<ActorId>{"ntia"});
}

TEST_F(AuthorityTest, SimulatedClockFiresTimeoutsAndOnlyTheInstructorMovesIt) {
  auto a = Authority::open(options()).value();
  auto r = a->submit(submit_doc("manager.br", kBrNs)).value();
  ASSERT_TRUE(a->ballot(r.request.id, ballot_doc("manager.br", r.request.id, "approve")));
  auto refused = a->advance_clock(advance_doc("mallory", "31d"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::unauthorized);
  auto t = a->advance_clock(advance_doc("instructor", "31d"));
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->seconds, 1132272000 + 31 * 86400);
  EXPECT_EQ(a->find(r.request.id)->state, RequestState::expired);
}

TEST_F(AuthorityTest, RestartResumesAndFinishesAPendingRequest) {
  std::string id;
  std::string zone_before;
  std::uint64_t size = 0;
  {
    auto a = Authority::open(options()).value();
    id = a->submit(submit_doc("manager.br", kBrNs)).value().request.id;
    ASSERT_TRUE(a->ballot(id, ballot_doc("manager.br", id, "approve")));
    zone_before = a->zone_text();
    size = a->log_size();
  }
  auto a = Authority::open(options());
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ((*a)->log_size(), size);
  EXPECT_EQ((*a)->zone_text(), zone_before);
  ASSERT_NE((*a)->find(id), nullptr);
  EXPECT_EQ((*a)->find(id)->decision.awaiting, std::vector<ActorId>{"ntia"});
  auto done = (*a)->ballot(id, ballot_doc("ntia", id, "approve"));
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(done->request.state, RequestState::published);
}

TEST_F(AuthorityTest, ReplayReproducesStateAndZoneByteForByte) {
  // Property: a seeded random sequence of submissions, ballots and clock moves, then a
  // restart, gives the same zone text, digest, serial and request states.
  unsigned seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  std::string zone_text;
  Summary before;
  std::map<RequestId, RequestState> states;
  {
    auto a = Authority::open(options()).value();
    std::vector<std::string> open;
    const char* bodies[] = {
        kBrNs,
        R"({"kind":"ds-update","tld":"br","ds":[{"key_tag":12345,"algorithm":8,"digest_type":2,"digest":"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}]})",
        R"({"kind":"ns-update","tld":"com","ns":[{"host":"a.gtld-servers.net"},{"host":"b.gtld-servers.net"},{"host":"a.dns.br"}]})",
        R"({"kind":"ds-update","tld":"net","ds":[]})",
    };
    const char* submitters[] = {"manager.br", "manager.br", "manager.com", "manager.net"};
    for (int step = 0; step < 40; ++step) {
      int what = static_cast<int>(rng() % 4);
      if (what == 0 || open.empty()) {
        int k = static_cast<int>(rng() % 4);
        auto r = a->submit(submit_doc(submitters[k], bodies[k]));
        if (r) open.push_back(r->request.id);
      } else if (what == 1 || what == 2) {
        const std::string& id = open[rng() % open.size()];
        const RequestInfo* info = a->find(id);
        if (info->state == RequestState::awaiting && !info->decision.awaiting.empty()) {
          std::string who = info->decision.awaiting.front();
          bool reject = rng() % 5 == 0;
          (void)a->ballot(id, ballot_doc(who, id, reject ? "reject" : "approve", reject ? "no" : ""));
        }
      } else {
        (void)a->advance_clock(advance_doc("instructor", std::to_string(1 + rng() % 20) + "d"));
      }
    }
    zone_text = a->zone_text();
    before = a->summary();
    for (const auto* r : a->list()) states[r->id] = r->state;
  }
  auto a = Authority::open(options());
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ((*a)->zone_text(), zone_text);
  EXPECT_EQ((*a)->summary().zone_digest, before.zone_digest);
  EXPECT_EQ((*a)->serial(), before.serial);
  EXPECT_EQ((*a)->log_size(), before.log_size);
  for (const auto& [id, st] : states) EXPECT_EQ((*a)->find(id)->state, st) << id;
}

TEST_F(AuthorityTest, OpeningWithAnotherModelOrRegistryIsAClearError) {
  { auto a = Authority::open(options()).value(); }
  class OtherPolicy : public TestPolicy {
   public:
    std::string id() const override { return "other"; }
  };
  auto o = options();
  o.policy = std::make_shared<OtherPolicy>();
  auto a = Authority::open(o);
  ASSERT_FALSE(a);
  EXPECT_NE(a.error().message.find("test-policy"), std::string::npos) << a.error().message;
}

// ---- offline verification (rootgov log verify) ----

class LogVerifyTest : public AuthorityTest {
 protected:
  // A state with a published change, a rejection and a pending request; returns the export.
  std::vector<std::string> make_history() {
    auto a = Authority::open(options()).value();
    auto r = a->submit(submit_doc("manager.br", kBrNs)).value();
    EXPECT_TRUE(a->ballot(r.request.id, ballot_doc("manager.br", r.request.id, "approve")));
    EXPECT_TRUE(a->ballot(r.request.id, ballot_doc("ntia", r.request.id, "approve")));
    auto r2 = a->submit(submit_doc("manager.net", R"({"kind":"ds-update","tld":"net","ds":[]})")).value();
    EXPECT_TRUE(a->ballot(r2.request.id, ballot_doc("manager.net", r2.request.id, "reject", "changed our mind")));
    EXPECT_TRUE(a->submit(submit_doc("manager.com", R"({"kind":"ds-update","tld":"com","ds":[]})")));
    EXPECT_TRUE(a->advance_clock(advance_doc("instructor", "3d")));
    return a->log_entries(0, 1000);
  }
  LogVerifyReport verify(const fs::path& log, bool with_sth = true) {
    LogVerifyOptions o;
    o.log = log;
    o.actors = dir / "actors.toml";
    o.base_zone = dir / "base.zone";
    if (with_sth) o.tree_head = dir / "sth.json";
    o.resolve_policy = resolver();
    return Authority::verify_log(o);
  }
  fs::path write_lines(const std::vector<std::string>& lines, const std::string& name) {
    fs::path p = dir / name;
    std::ofstream f(p);
    for (const auto& l : lines) f << l << '\n';
    return p;
  }
};

TEST_F(LogVerifyTest, AnUntouchedLogVerifiesFromTheStateDirectoryAndFromAnExport) {
  auto lines = make_history();
  auto report = verify(dir);
  EXPECT_TRUE(report.ok) << report.message;
  EXPECT_EQ(report.entries, lines.size());
  EXPECT_GE(report.documents, 7u);
  auto exported = verify(write_lines(lines, "export.jsonl"));
  EXPECT_TRUE(exported.ok) << exported.message;
}

TEST_F(LogVerifyTest, DocumentsArrivingOutOfSeqOrderAreAcceptedOnceAndReplay) {
  auto clock_doc = [&](std::uint64_t n) {
    Document d;
    d.type = DocumentType::admin;
    d.actor = "instructor";
    d.time = Timestamp{1132272000};
    d.seq = n;
    d.body["action"] = Json("clock-advance");
    d.body["duration"] = Json("1d");
    return SignedDocument::sign(d, keys.at("instructor")).value().to_wire();
  };
  {
    auto a = Authority::open(options()).value();
    // Signed as 10 and 11, arriving 11 first: both count (two documents in flight).
    ASSERT_TRUE(a->advance_clock(clock_doc(11)));
    auto ten = a->advance_clock(clock_doc(10));
    ASSERT_TRUE(ten) << ten.error().message;
    EXPECT_EQ(ten->seconds, 1132272000 + 2 * 86400);
    auto replayed = a->advance_clock(clock_doc(10));
    ASSERT_FALSE(replayed);
    EXPECT_EQ(replayed.error().code, Errc::unauthorized);
  }
  // Reopened (from the shutdown snapshot), the windows are back: 10 and 11 stay used, 9 is new.
  {
    auto a = Authority::open(options()).value();
    EXPECT_FALSE(a->advance_clock(clock_doc(10)));
    EXPECT_FALSE(a->advance_clock(clock_doc(11)));
    ASSERT_TRUE(a->advance_clock(clock_doc(9)));
    EXPECT_EQ(a->now().seconds, 1132272000 + 3 * 86400);
  }
  // The offline replay accepts the same documents in the same order.
  auto report = verify(dir);
  EXPECT_TRUE(report.ok) << report.message;
  EXPECT_EQ(report.documents, 3u);
}

// ---- batch ballots ----

std::string batch_body_doc(AuthorityTest& t, const std::string& actor, const std::vector<std::string>& ids,
                           const std::string& vote, const std::string& comment = "") {
  Json::Array list;
  for (const auto& id : ids) list.emplace_back(id);
  Json b(Json::Object{});
  b["requests"] = std::move(list);
  b["vote"] = vote;
  if (!comment.empty()) b["comment"] = comment;
  return t.doc(actor, DocumentType::ballot, b);
}

// Three requests awaiting ntia: one signed batch ballot decides all three, as three single
// ballots would, in one log entry that every request's history points to; the log replays
// to the same zone and verifies offline.
TEST_F(LogVerifyTest, ABatchBallotDecidesEveryRequestItNamesAndReplaysExactly) {
  std::vector<std::string> ids;
  std::string zone;
  std::uint64_t batch_index = 0;
  {
    auto a = Authority::open(options()).value();
    for (const char* tld : {"br", "com", "net"}) {
      const std::string manager = std::string("manager.") + tld;
      auto r = a->submit(submit_doc(manager, std::string(R"({"kind":"ds-update","tld":")") + tld +
                                                 R"(","ds":[{"key_tag":4242,"algorithm":13,"digest_type":2,"digest":"2222222222222222222222222222222222222222222222222222222222222222"}]})"));
      ASSERT_TRUE(r) << r.error().message;
      ASSERT_TRUE(a->ballot(r->request.id, ballot_doc(manager, r->request.id, "approve")));
      ids.push_back(r->request.id);
    }
    const auto size = a->log_size();
    const auto serial = a->serial();
    auto batch = a->ballots(batch_body_doc(*this, "ntia", ids, "approve", "routine DS changes"));
    ASSERT_TRUE(batch) << batch.error().message;
    batch_index = batch->log_index;
    EXPECT_EQ(batch_index, size);
    ASSERT_EQ(batch->requests.size(), 3u);
    for (std::size_t i = 0; i < ids.size(); ++i) {
      const RequestInfo& r = *batch->requests[i];
      EXPECT_EQ(r.id, ids[i]) << "the receipt keeps the document's order";
      EXPECT_EQ(r.state, RequestState::published);
      ASSERT_FALSE(r.ballots.empty());
      EXPECT_EQ(r.ballots.back().actor, "ntia");
      EXPECT_EQ(r.ballots.back().comment, "routine DS changes");
      EXPECT_NE(std::find(r.log_indexes.begin(), r.log_indexes.end(), batch_index), r.log_indexes.end());
      EXPECT_EQ(a->find(ids[i])->state, RequestState::published);
    }
    // One input entry, then decided + implemented + published per request.
    EXPECT_EQ(a->log_size(), size + 1 + 3 * 3);
    EXPECT_GT(a->serial(), serial);
    auto entry = a->log_entries(batch_index, 1).at(0);
    auto parsed = Json::parse(entry).value();
    EXPECT_EQ(*parsed.find("event")->as_string(), "ballots");
    EXPECT_EQ(parsed.find("requests")->as_array()->size(), 3u);
    zone = a->zone_text();
    for (const char* tld : {"br.", "com.", "net."}) {
      EXPECT_NE(zone.find(std::string(tld) + "\t86400\tIN\tDS\t4242 13 2"), std::string::npos) << tld;
    }
  }
  auto reopened = Authority::open(options());
  ASSERT_TRUE(reopened) << reopened.error().message;
  EXPECT_EQ((*reopened)->zone_text(), zone);
  for (const auto& id : ids) EXPECT_EQ((*reopened)->find(id)->state, RequestState::published);
  reopened->reset();
  auto report = verify(dir);
  EXPECT_TRUE(report.ok) << report.message;
}

// All or nothing: one request in the batch that cannot take the ballot refuses the whole batch,
// says which and why, and records nothing; the seq stays unused.
TEST_F(AuthorityTest, ABatchBallotIsAllOrNothing) {
  auto a = Authority::open(options()).value();
  auto ready = a->submit(submit_doc("manager.br", kBrNs)).value();
  ASSERT_TRUE(a->ballot(ready.request.id, ballot_doc("manager.br", ready.request.id, "approve")));
  auto early = a->submit(submit_doc("manager.com", R"({"kind":"ds-update","tld":"com","ds":[]})")).value();
  const auto size = a->log_size();
  const std::string zone = a->zone_text();

  auto refused = a->ballots(batch_body_doc(*this, "ntia", {ready.request.id, early.request.id, "ROOT-MGMT#20991231001"}, "approve"));
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("nothing recorded"), std::string::npos) << refused.error().message;
  EXPECT_NE(refused.error().message.find("2 of 3"), std::string::npos) << refused.error().message;
  EXPECT_NE(refused.error().message.find(early.request.id), std::string::npos);
  EXPECT_NE(refused.error().message.find("manager.com"), std::string::npos) << "names who is awaited instead";
  EXPECT_NE(refused.error().message.find("no request 'ROOT-MGMT#20991231001'"), std::string::npos);
  EXPECT_EQ(a->log_size(), size);
  EXPECT_EQ(a->find(ready.request.id)->state, RequestState::awaiting);
  EXPECT_EQ(a->find(ready.request.id)->ballots.size(), 1u);
  EXPECT_EQ(a->zone_text(), zone);

  // Malformed batches: each a clear error, nothing recorded.
  auto expect_invalid = [&](const std::string& wire, const std::string& words) {
    auto r = a->ballots(wire);
    ASSERT_FALSE(r) << words;
    EXPECT_EQ(r.error().code, Errc::invalid_input) << r.error().message;
    EXPECT_NE(r.error().message.find(words), std::string::npos) << r.error().message;
    EXPECT_EQ(a->log_size(), size);
  };
  expect_invalid(batch_body_doc(*this, "ntia", {}, "approve"), "non-empty array");
  expect_invalid(batch_body_doc(*this, "ntia", {ready.request.id, ready.request.id}, "approve"), "twice");
  expect_invalid(batch_body_doc(*this, "ntia", {ready.request.id}, "reject"), "comment");
  expect_invalid(batch_body_doc(*this, "ntia", {ready.request.id}, "maybe"), "approve, reject or comment");
  expect_invalid(ballot_doc("ntia", ready.request.id, "approve"), "'requests'");
  std::vector<std::string> too_many(Authority::kMaxBatch + 1);
  for (std::size_t i = 0; i < too_many.size(); ++i) too_many[i] = "ROOT-MGMT#2005111" + std::to_string(10000 + i);
  expect_invalid(batch_body_doc(*this, "ntia", too_many, "approve"), "at most 1000");
  // A batch document on the single-request path is refused too.
  auto single = a->ballot(ready.request.id, batch_body_doc(*this, "ntia", {ready.request.id}, "approve"));
  ASSERT_FALSE(single);
  EXPECT_NE(single.error().message.find("POST /v1/ballots"), std::string::npos) << single.error().message;
  EXPECT_EQ(a->log_size(), size);

  // A refused batch consumes no seq: the same signed document goes through once the requests
  // it names can take it.
  const std::string pair = batch_body_doc(*this, "ntia", {ready.request.id, early.request.id}, "approve");
  ASSERT_FALSE(a->ballots(pair));
  ASSERT_TRUE(a->ballot(early.request.id, ballot_doc("manager.com", early.request.id, "approve")));
  auto ok = a->ballots(pair);
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->requests.at(0)->state, RequestState::published);
  EXPECT_EQ(ok->requests.at(1)->state, RequestState::published);
  auto again = a->ballots(pair);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Errc::unauthorized) << "a replayed batch is refused like any replayed document";
}

// The supplemental technical check: a request that passed at submission but no longer fits the
// zone when it is approved is rejected at implementation, and the zone, its digest and serial
// and the registry stay as they were; the log records it, verifies and replays. Both ways the
// check can fail: the TLD's existence (a second delegation of the same TLD) and the zone's own
// checks (removing a TLD whose name server has meanwhile come to serve another TLD).
TEST_F(LogVerifyTest, ARequestTheZoneNoLongerAdmitsIsRejectedAtImplementationAndChangesNothing) {
  const char* kOrg = R"({"kind":"delegate","tld":"org","ns":[{"host":"a.gtld-servers.net"},{"host":"b.gtld-servers.net"}]})";
  const char* kComViaBr =
      R"({"kind":"ns-update","tld":"com","ns":[{"host":"a.gtld-servers.net"},{"host":"b.gtld-servers.net"},{"host":"a.dns.br"}]})";
  std::map<RequestId, RequestState> states;
  {
    auto a = Authority::open(options()).value();
    auto org1 = a->submit(submit_doc("iana", kOrg)).value();
    auto org2 = a->submit(submit_doc("iana", kOrg));
    ASSERT_TRUE(org2) << "a second delegation of a TLD not yet delegated passes at submission: " << org2.error().message;
    auto revoke = a->submit(submit_doc("manager.br", R"({"kind":"revoke","tld":"br"})"));
    ASSERT_TRUE(revoke) << "nothing else uses br's name servers yet: " << revoke.error().message;
    auto com = a->submit(submit_doc("manager.com", kComViaBr)).value();
    ASSERT_TRUE(a->ballot(org1.request.id, ballot_doc("ntia", org1.request.id, "approve")));
    ASSERT_TRUE(a->ballot(com.request.id, ballot_doc("manager.com", com.request.id, "approve")));
    ASSERT_TRUE(a->ballot(com.request.id, ballot_doc("ntia", com.request.id, "approve")));
    ASSERT_EQ(a->find(org1.request.id)->state, RequestState::published);
    ASSERT_EQ(a->find(com.request.id)->state, RequestState::published);

    const std::string zone = a->zone_text();
    const Summary before = a->summary();
    const std::uint32_t serial = a->serial();
    auto expect_refused = [&](const RequestId& id, const std::string& why) {
      SCOPED_TRACE(id);
      const RequestInfo* r = a->find(id);
      EXPECT_EQ(r->state, RequestState::rejected);
      EXPECT_EQ(r->decision.outcome, Outcome::rejected);
      EXPECT_EQ(r->decision.explanation.rfind("rejected at implementation: ", 0), 0u) << r->decision.explanation;
      EXPECT_NE(r->decision.explanation.find(why), std::string::npos) << r->decision.explanation;
      ASSERT_FALSE(r->findings.empty());
      EXPECT_EQ(r->findings.back().rfind("error: supplemental-check: ", 0), 0u) << r->findings.back();
      EXPECT_FALSE(r->serial.has_value());
      auto last = Json::parse(a->log_entries(a->log_size() - 1, 1).front()).value();
      EXPECT_EQ(*last.find("event")->as_string(), "decided");
      EXPECT_EQ(*last.find("request")->as_string(), id);
      EXPECT_EQ(*last.find("outcome")->as_string(), "rejected");
      EXPECT_EQ(*last.find("stage")->as_string(), "supplemental-technical-check");
      EXPECT_EQ(a->zone_text(), zone);
      EXPECT_EQ(a->summary().zone_digest, before.zone_digest);
      EXPECT_EQ(a->serial(), serial);
    };
    auto second = a->ballot(org2->request.id, ballot_doc("ntia", org2->request.id, "approve"));
    ASSERT_TRUE(second) << "the ballot itself is valid: " << second.error().message;
    expect_refused(org2->request.id, "TLD 'org' already exists");

    ASSERT_TRUE(a->ballot(revoke->request.id, ballot_doc("manager.br", revoke->request.id, "approve")));
    ASSERT_TRUE(a->ballot(revoke->request.id, ballot_doc("ntia", revoke->request.id, "approve")));
    expect_refused(revoke->request.id, "also serves 'com.'");
    EXPECT_NE(a->zone_text().find("br.\t172800\tIN\tNS\ta.dns.br."), std::string::npos) << "br is still delegated";
    ASSERT_NE(a->registry().manager_of("br"), nullptr);
    EXPECT_EQ(a->registry().manager_of("br")->id, "manager.br");
    for (const auto* r : a->list()) states[r->id] = r->state;
  }
  auto report = verify(dir);
  EXPECT_TRUE(report.ok) << report.message;
  auto reopened = Authority::open(options());
  ASSERT_TRUE(reopened) << reopened.error().message;
  for (const auto& [id, st] : states) EXPECT_EQ((*reopened)->find(id)->state, st) << id;
}

TEST_F(LogVerifyTest, AnEditedEntryIsNamed) {
  auto lines = make_history();
  // Change the vote of the ntia ballot (entry holding "approve" by ntia) without re-signing.
  std::size_t target = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].find("\"event\":\"ballot\"") != std::string::npos && lines[i].find("\"actor\":\"ntia\"") != std::string::npos) target = i;
  }
  ASSERT_GT(target, 0u);
  auto edited = lines;
  auto pos = edited[target].find("\"approve\"");
  ASSERT_NE(pos, std::string::npos);
  edited[target].replace(pos, 9, "\"reject\" ");
  edited[target].erase(pos + 8, 1);
  auto report = verify(write_lines(edited, "edited.jsonl"), false);
  ASSERT_FALSE(report.ok);
  ASSERT_TRUE(report.first_bad.has_value());
  EXPECT_EQ(*report.first_bad, target) << report.message;
}

TEST_F(LogVerifyTest, DeletedReorderedAndTruncatedEntriesAreDetected) {
  auto lines = make_history();
  auto deleted = lines;
  deleted.erase(deleted.begin() + 3);
  auto r1 = verify(write_lines(deleted, "deleted.jsonl"), false);
  ASSERT_FALSE(r1.ok);
  EXPECT_EQ(r1.first_bad, 3u) << r1.message;

  auto reordered = lines;
  std::swap(reordered[4], reordered[5]);
  auto r2 = verify(write_lines(reordered, "reordered.jsonl"), false);
  ASSERT_FALSE(r2.ok);
  EXPECT_EQ(r2.first_bad, 4u) << r2.message;

  auto truncated = lines;
  truncated.resize(lines.size() - 2);
  auto r3 = verify(write_lines(truncated, "truncated.jsonl"), true);
  ASSERT_FALSE(r3.ok);
  EXPECT_NE(r3.message.find("truncated"), std::string::npos) << r3.message;
}

TEST_F(LogVerifyTest, AForgedButConsistentlyRechainedLogFailsOnSignaturesOrReplay) {
  // An attacker who rewrites an entry and recomputes every later "prev" still cannot forge
  // the actor's signature; the tree head signature fails too.
  auto lines = make_history();
  auto report = verify(dir);
  ASSERT_TRUE(report.ok) << report.message;
  std::size_t target = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].find("\"event\":\"decided\"") != std::string::npos) {
      target = i;
      break;
    }
  }
  ASSERT_GT(target, 0u);
  auto forged = lines;
  auto pos = forged[target].find("\"outcome\":\"approved\"");
  if (pos == std::string::npos) pos = forged[target].find("\"outcome\":\"rejected\"");
  ASSERT_NE(pos, std::string::npos);
  forged[target].replace(pos, 20, "\"outcome\":\"expired\" ");
  forged[target].erase(pos + 19, 1);
  // Re-chain everything after it so the hash chain is consistent again.
  for (std::size_t i = target + 1; i < forged.size(); ++i) {
    auto j = Json::parse(forged[i]).value();
    j["prev"] = sha256_hex(forged[i - 1]);
    forged[i] = j.canonical();
  }
  auto r = verify(write_lines(forged, "forged.jsonl"), false);
  ASSERT_FALSE(r.ok);
  ASSERT_TRUE(r.first_bad.has_value()) << r.message;
  EXPECT_EQ(*r.first_bad, target) << r.message;
  EXPECT_NE(r.message.find("replay"), std::string::npos) << r.message;
  // With the signed tree head, the Merkle root no longer matches either.
  auto with_sth = verify(write_lines(forged, "forged2.jsonl"), true);
  EXPECT_FALSE(with_sth.ok);
}

TEST_F(LogVerifyTest, ACorruptedJournalStopsTheOpenAndTheVerification) {
  make_history();
  fs::path journal = dir / "journal";
  auto size = fs::file_size(journal);
  {
    std::fstream f(journal, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(size / 3));
    char c = 0;
    f.read(&c, 1);
    f.seekp(static_cast<std::streamoff>(size / 3));
    c = static_cast<char>(c ^ 0x5a);
    f.write(&c, 1);
  }
  auto report = verify(dir);
  EXPECT_FALSE(report.ok);
  auto reopened = Authority::open(options());
  ASSERT_FALSE(reopened);
  EXPECT_EQ(reopened.error().code, Errc::check_failed) << reopened.error().message;
}


// ---- pipelined durability (defer_durability, tickets) ----

// The journal as another process would find it after a crash now: durable records only.
std::uint64_t records_on_disk(const fs::path& state_dir) {
  auto j = Journal::open(state_dir / "journal", Journal::Options{true, true});
  return j ? (*j)->size() : 0;
}

TEST_F(AuthorityTest, DefaultMutationsAreDurableOnReturn) {
  auto a = Authority::open(options()).value();
  auto r = a->submit(submit_doc("manager.br", kBrNs));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_GT(records_on_disk(dir), r->durable_ticket);
  EXPECT_EQ(a->last_ticket(), r->durable_ticket);
  EXPECT_TRUE(a->wait_durable(r->durable_ticket));
}

TEST_F(AuthorityTest, DeferredTicketsAreDurableOnlyAfterWaiting) {
  auto o = options();
  o.defer_durability = true;
  auto a = Authority::open(o).value();
  auto r = a->submit(submit_doc("manager.br", kBrNs));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(records_on_disk(dir), r->durable_ticket) << "queued, not yet written";
  auto clock = a->advance_clock(advance_doc("instructor", "1d"));
  ASSERT_TRUE(clock) << clock.error().message;
  EXPECT_GT(a->last_ticket(), r->durable_ticket);
  ASSERT_TRUE(a->wait_durable(r->durable_ticket));
  EXPECT_GT(records_on_disk(dir), r->durable_ticket);
  auto unknown = a->wait_durable(a->last_ticket() + 100);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, Errc::invalid_input);
  // A refused mutation records nothing and keeps the ticket.
  std::uint64_t last = a->last_ticket();
  ASSERT_FALSE(a->submit(submit_doc("mallory", kBrNs)));
  EXPECT_EQ(a->last_ticket(), last);
}

// One owner thread mutates (the daemon's strand); several threads wait for tickets (the
// daemon's handlers before they send a 2xx). Every wait returns only once the record is in the
// file, and the waiters share flushes.
TEST_F(AuthorityTest, OneMutatorManyWaitersAcknowledgeOnlyWhatIsOnDisk) {
  auto o = options();
  o.defer_durability = true;
  o.snapshot_every = 25;  // periodic snapshots while deferring
  constexpr int kMutations = 120;
  constexpr int kWaiters = 4;
  std::vector<std::string> ids;
  {
    auto a = Authority::open(o).value();
    std::mutex mutex;
    std::condition_variable ready;
    std::vector<std::uint64_t> queue;
    bool done = false;
    std::atomic<int> acknowledged{0};
    std::atomic<int> early{0};
    std::atomic<int> errors{0};
    std::vector<std::thread> waiters;
    for (int w = 0; w < kWaiters; ++w) {
      waiters.emplace_back([&] {
        for (;;) {
          std::uint64_t ticket = 0;
          {
            std::unique_lock lock(mutex);
            ready.wait(lock, [&] { return done || !queue.empty(); });
            if (queue.empty()) return;
            ticket = queue.front();
            queue.erase(queue.begin());
          }
          if (!a->wait_durable(ticket)) ++errors;
          if (records_on_disk(dir) <= ticket) ++early;
          ++acknowledged;
        }
      });
    }
    for (int i = 0; i < kMutations; ++i) {
      auto r = a->submit(submit_doc("manager.br", kBrNs));
      ASSERT_TRUE(r) << r.error().message;
      ids.push_back(r->request.id);
      {
        std::lock_guard lock(mutex);
        queue.push_back(r->durable_ticket);
      }
      ready.notify_one();
    }
    {
      std::lock_guard lock(mutex);
      done = true;
    }
    ready.notify_all();
    for (auto& t : waiters) t.join();
    EXPECT_EQ(errors.load(), 0);
    EXPECT_EQ(early.load(), 0) << "a ticket was acknowledged before its record was on disk";
    EXPECT_EQ(acknowledged.load(), kMutations);
  }
  auto journal = Journal::open(dir / "journal", Journal::Options{true, true}).value();
  EXPECT_EQ(journal->size(), std::uint64_t{kMutations} + 1);
  auto a = Authority::open(options()).value();
  for (const auto& id : ids) EXPECT_NE(a->find(id), nullptr) << id;
}

// Crash test (the journal's pattern): a child process mutates with deferred durability on one
// thread and acknowledges request ids from two waiting threads only after wait_durable; the
// parent SIGKILLs it at a random moment and checks that a restarted authority has every
// acknowledged request. Periodic snapshots are on, so restarts also resume from them.
TEST_F(AuthorityTest, CrashTestNothingAcknowledgedIsLost) {
  std::uint64_t seed = std::random_device{}();
  if (const char* env = std::getenv("ROOTGOV_TEST_SEED")) seed = std::strtoull(env, nullptr, 10);
  SCOPED_TRACE("seed " + std::to_string(seed) + " (rerun with ROOTGOV_TEST_SEED=" + std::to_string(seed) + ")");
  std::mt19937_64 rng(seed);
  auto o = options();
  o.defer_durability = true;
  o.snapshot_every = 40;
  o.notice = [](std::string_view) {};
  { auto a = Authority::open(o).value(); }
  std::set<std::string> acknowledged;
  constexpr int kRounds = 4;
  for (int round = 0; round < kRounds; ++round) {
    seq["manager.br"] = static_cast<std::uint64_t>(round + 1) * 1000000;  // the child's documents stay fresh
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::close(fds[0]);
      auto a = Authority::open(o);
      if (!a) ::_exit(10);
      std::mutex mutex;
      std::condition_variable ready;
      std::vector<std::pair<std::uint64_t, std::string>> queue;
      std::vector<std::thread> waiters;
      for (int w = 0; w < 2; ++w) {
        waiters.emplace_back([&] {
          for (;;) {
            std::pair<std::uint64_t, std::string> item;
            {
              std::unique_lock lock(mutex);
              ready.wait(lock, [&] { return !queue.empty(); });
              item = queue.front();
              queue.erase(queue.begin());
            }
            if (!(*a)->wait_durable(item.first)) ::_exit(11);
            std::string line = item.second + "\n";
            if (::write(fds[1], line.data(), line.size()) != static_cast<ssize_t>(line.size())) ::_exit(12);
          }
        });
      }
      for (;;) {
        auto r = (*a)->submit(submit_doc("manager.br", kBrNs));
        if (!r) ::_exit(13);
        {
          std::lock_guard lock(mutex);
          queue.emplace_back(r->durable_ticket, r->request.id);
        }
        ready.notify_one();
      }
    }
    ::close(fds[1]);
    const auto delay = std::chrono::microseconds(rng() % 300000);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    bool started = false;
    bool killed = false;
    std::string buffer;
    char chunk[4096];
    for (;;) {
      if (!started && !buffer.empty()) {
        started = true;
        deadline = std::chrono::steady_clock::now() + delay;
      }
      if (!killed && std::chrono::steady_clock::now() >= deadline) {
        ::kill(pid, SIGKILL);
        killed = true;
      }
      pollfd p{fds[0], POLLIN, 0};
      ::poll(&p, 1, 5);
      if ((p.revents & (POLLIN | POLLHUP)) == 0) continue;
      ssize_t n = ::read(fds[0], chunk, sizeof chunk);
      if (n <= 0) break;
      buffer.append(chunk, static_cast<std::size_t>(n));
    }
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "child exited early, status " << status;
    std::size_t lines = 0;
    for (std::size_t start = 0, end; (end = buffer.find('\n', start)) != std::string::npos; start = end + 1) {
      ASSERT_TRUE(acknowledged.insert(buffer.substr(start, end - start)).second) << "acknowledged twice";
      ++lines;
    }
    EXPECT_GT(lines, 0U) << "round " << round << " acknowledged nothing";
    auto a = Authority::open(o);
    ASSERT_TRUE(a) << a.error().message;
    for (const auto& id : acknowledged) ASSERT_NE((*a)->find(id), nullptr) << "acknowledged request " << id << " lost";
  }
  std::cout << "[          ] " << acknowledged.size() << " acknowledged requests survived " << kRounds << " SIGKILLs\n";
}

// ---- snapshots ----

// A seeded random history of submissions, ballots and clock moves.
void random_history(AuthorityTest& t, Authority& a, std::mt19937& rng, int steps, std::vector<std::string>& open) {
  const char* bodies[] = {
      kBrNs,
      R"({"kind":"ds-update","tld":"br","ds":[{"key_tag":12345,"algorithm":8,"digest_type":2,"digest":"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}]})",
      R"({"kind":"ns-update","tld":"com","ns":[{"host":"a.gtld-servers.net"},{"host":"b.gtld-servers.net"},{"host":"a.dns.br"}]})",
      R"({"kind":"ds-update","tld":"net","ds":[]})",
  };
  const char* submitters[] = {"manager.br", "manager.br", "manager.com", "manager.net"};
  for (int step = 0; step < steps; ++step) {
    int what = static_cast<int>(rng() % 4);
    if (what == 0 || open.empty()) {
      int k = static_cast<int>(rng() % 4);
      auto r = a.submit(t.submit_doc(submitters[k], bodies[k]));
      if (r) open.push_back(r->request.id);
    } else if (what == 1 || what == 2) {
      const std::string& id = open[rng() % open.size()];
      const RequestInfo* info = a.find(id);
      if (info->state == RequestState::awaiting && !info->decision.awaiting.empty()) {
        std::string who = info->decision.awaiting.front();
        bool reject = rng() % 5 == 0;
        (void)a.ballot(id, t.ballot_doc(who, id, reject ? "reject" : "approve", reject ? "no" : ""));
      }
    } else {
      (void)a.advance_clock(t.advance_doc("instructor", std::to_string(1 + rng() % 20) + "d"));
    }
  }
}

// Everything observable about a state, for comparing two starts.
struct Observed {
  std::string zone_text;
  std::string summary;
  std::vector<std::string> requests;
  std::vector<std::string> log;
  std::string root;
  bool operator==(const Observed&) const = default;
};

Observed observe(const Authority& a) {
  Observed o;
  o.zone_text = a.zone_text();
  Summary s = a.summary();
  o.summary = s.model + "|" + std::to_string(s.now.seconds) + "|" + std::to_string(s.serial) + "|" +
              std::to_string(s.tlds) + "|" + std::to_string(s.requests) + "|" + std::to_string(s.open_requests) + "|" +
              std::to_string(s.log_size) + "|" + s.zone_digest;
  for (const auto* r : a.list()) {
    std::string counted;
    for (const auto& b : r->decision.ballots_counted) counted += b.actor + std::string(to_string(b.vote)) + ";";
    o.requests.push_back(request_info_to_json(*r) + counted);
  }
  o.log = a.log_entries(0, 1U << 20);
  o.root = to_hex(a.tree_head().head.root);
  return o;
}

void copy_dir(const fs::path& from, const fs::path& to) {
  fs::remove_all(to);
  fs::copy(from, to, fs::copy_options::recursive);
}

// A random history of `steps` in a new state, ended by a clean shutdown (which writes a
// snapshot); returns the state as it stood.
Observed history_then_shutdown(AuthorityTest& t, unsigned seed, int steps) {
  std::mt19937 rng(seed);
  auto a = Authority::open(t.options()).value();
  std::vector<std::string> open;
  random_history(t, *a, rng, steps, open);
  return observe(*a);
}

// Opens the fixture's state and expects it to ignore the snapshot, say why once (the note
// holds `why`), and replay to the state `live`.
void expect_replayed_with_note(AuthorityTest& t, std::string_view why, const Observed& live) {
  std::vector<std::string> notes;
  auto o = t.options();
  o.notice = [&](std::string_view n) { notes.emplace_back(n); };
  auto a = Authority::open(o);
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_FALSE((*a)->startup().from_snapshot);
  EXPECT_NE((*a)->startup().note.find(why), std::string::npos) << (*a)->startup().note;
  EXPECT_EQ(notes.size(), 1U);
  EXPECT_EQ(observe(**a), live);
}

// Opens `o` and expects it to start from the snapshot alone, in the state `live`.
void expect_resumed_without_replay(const AuthorityOptions& o, const Observed& live) {
  auto a = Authority::open(o);
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_TRUE((*a)->startup().from_snapshot) << (*a)->startup().note;
  EXPECT_EQ((*a)->startup().replayed_entries, 0U);
  EXPECT_EQ(observe(**a), live);
}

TEST_F(AuthorityTest, SnapshotStartEqualsFullReplay) {
  unsigned seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  auto o = options();
  o.snapshot_every = 7;
  const fs::path mid = dir.string() + "-mid";
  const fs::path full = dir.string() + "-full";
  Observed live;
  {
    auto a = Authority::open(o).value();
    std::vector<std::string> open;
    random_history(*this, *a, rng, 60, open);
    // Mid-run copy: a periodic snapshot plus entries after it, as after a crash.
    copy_dir(dir, mid);
    live = observe(*a);
  }
  ASSERT_TRUE(fs::exists(mid / "snapshot"));
  copy_dir(mid, full);
  fs::remove(full / "snapshot");

  std::vector<std::string> notes;
  auto om = o;
  om.state_dir = mid;
  om.snapshot_every = 0;  // keep the snapshot as the crash left it
  om.notice = [&](std::string_view n) { notes.emplace_back(n); };
  auto from_snapshot = Authority::open(om);
  ASSERT_TRUE(from_snapshot) << from_snapshot.error().message;
  EXPECT_TRUE((*from_snapshot)->startup().from_snapshot) << (*from_snapshot)->startup().note;
  EXPECT_GT((*from_snapshot)->startup().snapshot_entries, 0U);
  EXPECT_EQ((*from_snapshot)->startup().snapshot_entries + (*from_snapshot)->startup().replayed_entries,
            (*from_snapshot)->log_size());
  EXPECT_TRUE(notes.empty());

  auto of = o;
  of.state_dir = full;
  auto replayed = Authority::open(of);
  ASSERT_TRUE(replayed) << replayed.error().message;
  EXPECT_FALSE((*replayed)->startup().from_snapshot);
  EXPECT_EQ((*replayed)->startup().replayed_entries, (*replayed)->log_size());

  EXPECT_EQ(observe(**from_snapshot), observe(**replayed));
  EXPECT_EQ(observe(**from_snapshot).zone_text, live.zone_text);
  EXPECT_EQ(observe(**from_snapshot).requests, live.requests);
  EXPECT_EQ(observe(**from_snapshot).log, live.log);

  // Both go on the same way: same next id, same refusal of a replayed document.
  std::string wire = submit_doc("manager.br", kBrNs);
  auto s1 = (*from_snapshot)->submit(wire);
  auto s2 = (*replayed)->submit(wire);
  ASSERT_TRUE(s1 && s2);
  EXPECT_EQ(s1->request.id, s2->request.id);
  EXPECT_FALSE((*from_snapshot)->submit(wire));
  EXPECT_EQ(observe(**from_snapshot), observe(**replayed));
  from_snapshot->reset();
  replayed->reset();
  fs::remove_all(mid);
  fs::remove_all(full);
}

// Periodic snapshots written off the owner thread (rootgovd's setting): by a forked child (the
// owner thread only forks) or, for a zone under fork_snapshot_tlds TLDs, encoded by the owner
// and written by a thread. The files left resume to the state a full replay rebuilds, and no
// temporary file, child or thread is left behind.
void check_background_snapshots(AuthorityTest& t, bool fork) {
  unsigned seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  auto o = t.options();
  o.snapshot_every = 7;
  o.fork_snapshots = true;
  o.fork_snapshot_tlds = fork ? 0 : 1000000;
  const fs::path dir = o.state_dir;
  const fs::path mid = dir.string() + "-fork-mid";
  const fs::path full = dir.string() + "-fork-full";
  Observed live;
  {
    auto a = Authority::open(o).value();
    std::vector<std::string> open;
    random_history(t, *a, rng, 60, open);
    a->wait_snapshot_writer();
    const auto summary = a->summary();
    EXPECT_GT(fork ? summary.snapshots_forked : summary.snapshots_threaded, 0U);
    EXPECT_EQ(fork ? summary.snapshots_threaded : summary.snapshots_forked, 0U);
    EXPECT_EQ(summary.snapshots_inline, 0U) << "periodic snapshots must not be written on the owner thread";
    EXPECT_FALSE(a->wait_snapshot_writer()) << "the writer was collected";
    for (const auto& e : fs::directory_iterator(dir)) {
      EXPECT_EQ(e.path().filename().string().find(".tmp"), std::string::npos) << e.path();
    }
    copy_dir(dir, mid);
    live = observe(*a);
  }
  ASSERT_TRUE(fs::exists(mid / "snapshot"));
  copy_dir(mid, full);
  fs::remove(full / "snapshot");

  auto om = o;
  om.state_dir = mid;
  om.snapshot_every = 0;  // keep the child's snapshot
  auto from_snapshot = Authority::open(om);
  ASSERT_TRUE(from_snapshot) << from_snapshot.error().message;
  EXPECT_TRUE((*from_snapshot)->startup().from_snapshot) << (*from_snapshot)->startup().note;
  EXPECT_GT((*from_snapshot)->startup().snapshot_entries, 0U);

  auto of = o;
  of.state_dir = full;
  of.snapshot_every = 0;
  auto replayed = Authority::open(of);
  ASSERT_TRUE(replayed) << replayed.error().message;
  EXPECT_FALSE((*replayed)->startup().from_snapshot);
  EXPECT_EQ(observe(**from_snapshot), observe(**replayed));
  EXPECT_EQ(observe(**from_snapshot).zone_text, live.zone_text);
  EXPECT_EQ(observe(**from_snapshot).requests, live.requests);
  from_snapshot->reset();
  replayed->reset();
  fs::remove_all(mid);
  fs::remove_all(full);
}

TEST_F(AuthorityTest, ForkedSnapshotResumesLikeAFullReplay) { check_background_snapshots(*this, /*fork=*/true); }

TEST_F(AuthorityTest, ThreadWrittenSnapshotResumesLikeAFullReplay) { check_background_snapshots(*this, /*fork=*/false); }

TEST_F(AuthorityTest, CleanShutdownSnapshotResumesWithoutReplay) {
  const Observed live = history_then_shutdown(*this, 7, 30);
  expect_resumed_without_replay(options(), live);
}

TEST_F(AuthorityTest, DamagedOrForeignSnapshotIsIgnoredWithANote) {
  const Observed live = history_then_shutdown(*this, 11, 30);
  const fs::path snapshot = dir / "snapshot";
  ASSERT_TRUE(fs::exists(snapshot));
  const fs::path good = dir.string() + "-good.snapshot";
  fs::copy_file(snapshot, good, fs::copy_options::overwrite_existing);
  {
    std::fstream f(snapshot, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(fs::file_size(snapshot) / 2));
    f.put('\x7f');
  }
  expect_replayed_with_note(*this, "damaged", live);
  // A snapshot of another history (same model and registry) does not match this journal.
  const fs::path other = dir.string() + "-other";
  {
    auto oo = options();
    oo.state_dir = other;
    auto b = Authority::open(oo).value();
    ASSERT_TRUE(b->submit(submit_doc("manager.net", R"({"kind":"ds-update","tld":"net","ds":[]})")));
  }
  fs::copy_file(other / "snapshot", snapshot, fs::copy_options::overwrite_existing);
  fs::remove_all(other);
  expect_replayed_with_note(*this, "differs from the one it was taken after", live);
  // The intact snapshot of this history is used again.
  fs::copy_file(good, snapshot, fs::copy_options::overwrite_existing);
  fs::remove(good);
  auto a = Authority::open(options());
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_TRUE((*a)->startup().from_snapshot) << (*a)->startup().note;
  EXPECT_EQ(observe(**a), live);
}

// ---- incremental snapshots: finished requests in segments ----

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The snapshot on disk and the segments it names, as JSON objects.
struct SnapshotOnDisk {
  boost::json::object state;
  std::vector<std::pair<std::string, boost::json::object>> segments;  // file name, contents
};

SnapshotOnDisk read_snapshot_on_disk(const fs::path& dir) {
  SnapshotOnDisk out;
  auto snap = read_snapshot(dir / "snapshot");
  EXPECT_TRUE(snap) << snap.error().message;
  if (!snap) return out;
  out.state = boost::json::parse(snap->state).as_object();
  for (const auto& pair : out.state.at("segments").as_array()) {
    const std::string name = std::to_string(pair.as_array()[0].to_number<std::uint64_t>()) + "-" +
                             std::to_string(pair.as_array()[1].to_number<std::uint64_t>()) + ".seg";
    auto seg = read_snapshot(dir / "finished" / name);
    EXPECT_TRUE(seg) << name << ": " << seg.error().message;
    if (seg) out.segments.emplace_back(name, boost::json::parse(seg->state).as_object());
  }
  return out;
}

// A finished request is written once, into the segment of the first snapshot after it
// finished, and that file is never rewritten; the snapshot itself holds only the open requests;
// past 16 segments one segment of every finished request replaces them, and the files no
// snapshot names any more are removed.
TEST_F(AuthorityTest, SnapshotsWriteEachFinishedRequestOnceIntoASegment) {
  std::mt19937 rng(5);
  auto o = options();
  o.snapshot_every = 0;  // only the explicit snapshots below
  auto a = Authority::open(o).value();
  std::vector<std::string> open;
  std::map<std::string, std::string> first_seen;  // segment file -> its bytes when first seen
  std::size_t most = 0;
  bool compacted = false;
  for (int round = 0; round < 40; ++round) {
    random_history(*this, *a, rng, 6, open);
    ASSERT_TRUE(a->snapshot());
    std::size_t files = 0;
    for (const auto& e : fs::directory_iterator(dir / "finished")) {
      const std::string name = e.path().filename().string();
      EXPECT_EQ(name.find(".tmp"), std::string::npos) << name;
      ++files;
      auto [it, inserted] = first_seen.emplace(name, slurp(e.path()));
      if (!inserted) {
        EXPECT_EQ(it->second, slurp(e.path())) << name << " was rewritten";
      }
    }
    const SnapshotOnDisk disk = read_snapshot_on_disk(dir);
    EXPECT_EQ(files, disk.segments.size()) << "a segment file no snapshot names was left";
    EXPECT_LE(files, 16U);
    if (files < most) compacted = true;
    most = std::max(most, files);

    // Every request exactly once: the open ones in the snapshot, the finished ones in segments.
    std::map<std::string, int> seen;
    for (const auto& r : disk.state.at("requests").as_array()) {
      const std::string id(r.at("id").as_string());
      ++seen[id];
      EXPECT_FALSE(is_terminal(a->find(id)->state)) << id << " is finished but was written into the snapshot";
    }
    for (const auto& [name, seg] : disk.segments) {
      for (const auto& r : seg.at("requests").as_array()) {
        const std::string id(r.at("id").as_string());
        ++seen[id];
        EXPECT_TRUE(is_terminal(a->find(id)->state)) << id << " is open but was written into " << name;
      }
    }
    const auto all = a->list();
    ASSERT_EQ(seen.size(), all.size());
    for (const RequestInfo* r : all) EXPECT_EQ(seen[r->id], 1) << r->id;
  }
  EXPECT_TRUE(compacted) << "40 snapshots never compacted the segments";
  EXPECT_GT(first_seen.size(), 16U);

  // Text that JSON must escape survives the round trip (segments and snapshot are written by
  // hand, read by Boost.JSON): a rejection whose comment has quotes, backslashes, control
  // characters and UTF-8, and an open request commented on the same way.
  const std::string awkward = "a \"quoted\" \\ back\\slash,\nnew line\ttab \x01\x1f and \xc3\xa9t\xc3\xa9";
  for (bool finish : {true, false}) {
    auto sub = a->submit(submit_doc("manager.br", kBrNs));
    ASSERT_TRUE(sub) << sub.error().message;
    const std::string id = sub->request.id;
    const std::string who = sub->request.decision.awaiting.front();
    auto b = a->ballot(id, ballot_doc(who, id, finish ? "reject" : "comment", awkward));
    ASSERT_TRUE(b) << b.error().message;
    EXPECT_EQ(is_terminal(a->find(id)->state), finish);
  }
  ASSERT_TRUE(a->snapshot());

  // The last of them resumes to the state it was taken from.
  const Observed live = observe(*a);
  a.reset();
  expect_resumed_without_replay(o, live);
}

// A segment that is damaged, missing, rewritten with an open request, or taken from another
// journal makes the snapshot useless: the open says why and replays the whole log instead.
TEST_F(AuthorityTest, ABadSegmentIgnoresTheSnapshotWithANote) {
  const Observed live = history_then_shutdown(*this, 23, 40);  // a snapshot and its segment
  const SnapshotOnDisk disk = read_snapshot_on_disk(dir);
  ASSERT_FALSE(disk.segments.empty());
  ASSERT_FALSE(disk.segments.back().second.at("requests").as_array().empty());
  const fs::path seg = dir / "finished" / disk.segments.back().first;
  const std::string good = slurp(seg);
  const fs::path pristine = dir.string() + "-pristine";
  copy_dir(dir, pristine);

  // Each case starts from the state the shutdown left (an open that replays writes a new
  // snapshot of its own) and changes only the segment.
  auto reopen_expecting = [&](const std::string& why, const std::function<void()>& spoil) {
    copy_dir(pristine, dir);
    spoil();
    expect_replayed_with_note(*this, why, live);
  };
  reopen_expecting("damaged", [&] {
    std::string bad = good;
    bad[bad.size() / 2] ^= 0x20;
    std::ofstream(seg, std::ios::binary | std::ios::trunc) << bad;
  });
  reopen_expecting("finished requests", [&] { fs::remove(seg); });
  // Well-formed files (valid checksum) with wrong contents.
  reopen_expecting("not finished", [&] {
    auto contents = disk.segments.back().second;
    contents["requests"].as_array()[0].as_object()["state"] = static_cast<int>(RequestState::awaiting);
    ASSERT_TRUE(write_snapshot(seg, Snapshot{0, boost::json::serialize(contents)}));
  });
  reopen_expecting("another journal", [&] {
    auto contents = disk.segments.back().second;
    contents["entry_hash"] = std::string(64, '0');
    ASSERT_TRUE(write_snapshot(seg, Snapshot{0, boost::json::serialize(contents)}));
  });

  // The intact files are used again.
  copy_dir(pristine, dir);
  fs::remove_all(pristine);
  expect_resumed_without_replay(options(), live);
}

// ---- reconfiguration (SIGHUP: a new registry or model adopted into a running log) ----

class ReconfigurationTest : public AuthorityTest {
 protected:
  // The fixture's registry plus "newcomer" (role "observer"), with manager.br on a new key.
  ActorRegistry grown_registry() {
    ActorRegistry next = registry;
    Actor newcomer;
    newcomer.id = "newcomer";
    newcomer.name = "a newcomer";
    newcomer.roles = {"observer"};
    keys.emplace("newcomer", ActorKey::generate("newcomer"));
    newcomer.public_key = keys.at("newcomer").public_key();
    EXPECT_TRUE(next.add(newcomer));
    old_br_key.emplace(keys.at("manager.br"));
    keys.erase("manager.br");
    keys.emplace("manager.br", ActorKey::generate("manager.br"));
    Actor br = *registry.find("manager.br");
    br.public_key = keys.at("manager.br").public_key();
    EXPECT_TRUE(next.add(br));
    return next;
  }
  LogVerifyReport verify_with(const fs::path& actors) {
    LogVerifyOptions o;
    o.log = dir;
    o.actors = actors;
    o.base_zone = dir / "base.zone";
    o.resolve_policy = resolver();
    return Authority::verify_log(o);
  }
  static std::vector<std::string> events_of(const std::vector<std::string>& lines) {
    std::vector<std::string> out;
    for (const auto& l : lines) {
      out.push_back(*Json::parse(l, Json::Limits{64, 64U << 20}).value().find("event")->as_string());
    }
    return out;
  }
  std::optional<ActorKey> old_br_key;
};

const char* kDelegateOrg =
    R"({"kind":"delegate","tld":"org","ns":[{"host":"a.gtld-servers.net"},{"host":"b.gtld-servers.net"}]})";

TEST_F(ReconfigurationTest, ANewRegistryIsAdoptedLoggedAndReplayedExactly) {
  const ActorRegistry genesis_registry = registry;
  const fs::path genesis_copy = dir.string() + "-genesis-actors.toml";
  ActorRegistry next = grown_registry();
  Observed live;
  std::uint64_t entry = 0;
  {
    auto a = Authority::open(options()).value();
    std::vector<Event> events;
    a->set_listener([&](const Event& e) { events.push_back(e); });
    std::string stale = doc("newcomer", DocumentType::submit, Json::parse(kDelegateOrg).value());
    EXPECT_FALSE(a->submit(stale)) << "not in the registry yet";
    std::ofstream(genesis_copy) << genesis_registry.to_toml();
    auto report = a->replace_configuration(next, std::make_shared<TestPolicy>());
    ASSERT_TRUE(report) << report.error().message;
    EXPECT_TRUE(report->changed);
    EXPECT_EQ(report->added, std::vector<ActorId>{"newcomer"});
    EXPECT_EQ(report->modified, std::vector<ActorId>{"manager.br"});
    EXPECT_TRUE(report->removed.empty());
    EXPECT_FALSE(report->model_changed);
    entry = report->log_index;
    ASSERT_EQ(events.size(), 1U);
    EXPECT_EQ(events[0].type, "reconfigured");
    auto logged = Json::parse(a->log_entries(entry, 1).at(0), Json::Limits{64, 64U << 20}).value();
    EXPECT_EQ(*logged.find("registry")->as_string(), next.fingerprint());
    EXPECT_EQ(*logged.find("previous_registry")->as_string(), genesis_registry.fingerprint());
    EXPECT_EQ(logged.find("actors")->as_array()->size(), next.all().size());
    EXPECT_EQ(*logged.find("model")->as_string(), "test-policy");
    EXPECT_NE(a->registry().find("newcomer"), nullptr);
    EXPECT_EQ(ActorRegistry::from_file(dir / "actors.toml").value().fingerprint(), next.fingerprint())
        << "<state>/actors.toml is the adopted registry";

    // The newcomer acts; manager.br's old key no longer does, its new one does.
    auto r = a->submit(doc("newcomer", DocumentType::submit, Json::parse(kDelegateOrg).value()));
    ASSERT_TRUE(r) << r.error().message;
    Document d;
    d.type = DocumentType::submit;
    d.actor = "manager.br";
    d.time = Timestamp{1132272000};
    d.seq = 1000;
    d.body = Json::parse(kBrNs).value();
    std::string old_key_doc = SignedDocument::sign(d, *old_br_key).value().to_wire();
    a->preverify(old_key_doc);
    auto refused = a->submit(old_key_doc);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, Errc::unauthorized);
    auto br = a->submit(submit_doc("manager.br", kBrNs));
    ASSERT_TRUE(br) << br.error().message;
    ASSERT_TRUE(a->ballot(br->request.id, ballot_doc("manager.br", br->request.id, "approve")));
    ASSERT_TRUE(a->ballot(br->request.id, ballot_doc("ntia", br->request.id, "approve")));
    EXPECT_EQ(a->find(br->request.id)->state, RequestState::published);
    live = observe(*a);
  }
  fs::remove(dir / "snapshot");

  // A full replay from genesis with the new registry reproduces everything.
  auto o = options();
  o.registry = next;
  {
    auto a = Authority::open(o);
    ASSERT_TRUE(a) << a.error().message;
    EXPECT_FALSE((*a)->startup().from_snapshot);
    EXPECT_EQ(observe(**a), live);
    EXPECT_NE((*a)->registry().find("newcomer"), nullptr);
  }
  // The registry of genesis is no longer the state's: the error names what differs.
  auto stale = Authority::open(options());
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, Errc::conflict);
  EXPECT_NE(stale.error().message.find("missing actors: newcomer"), std::string::npos)
      << stale.error().message;
  EXPECT_NE(stale.error().message.find("different actors: manager.br (public_key)"), std::string::npos)
      << stale.error().message;
  EXPECT_NE(stale.error().message.find("entry " + std::to_string(entry)), std::string::npos)
      << stale.error().message;

  // Offline verification with the state's actors.toml (the last registry) or the genesis one.
  auto report = verify_with(dir / "actors.toml");
  EXPECT_TRUE(report.ok) << report.message;
  EXPECT_EQ(report.reconfigurations, 1U);
  EXPECT_EQ(report.documents, 4U);  // two submissions, two ballots; none checked with the wrong key
  auto from_genesis = verify_with(genesis_copy);
  EXPECT_TRUE(from_genesis.ok) << from_genesis.message;
  // A registry the log never recorded does not verify it.
  ActorRegistry foreign = next;
  Actor extra = *next.find("newcomer");
  extra.id = "stranger";
  ASSERT_TRUE(foreign.add(extra));
  const fs::path foreign_path = dir.string() + "-foreign-actors.toml";
  std::ofstream(foreign_path) << foreign.to_toml();
  auto bad = verify_with(foreign_path);
  EXPECT_FALSE(bad.ok);
  EXPECT_NE(bad.message.find("none of those the log records"), std::string::npos) << bad.message;
  fs::remove(genesis_copy);
  fs::remove(foreign_path);
}

TEST_F(ReconfigurationTest, UnchangedConfigurationRecordsNothing) {
  auto a = Authority::open(options()).value();
  auto size = a->log_size();
  auto report = a->replace_configuration(registry, std::make_shared<TestPolicy>());
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_FALSE(report->changed);
  EXPECT_EQ(a->log_size(), size);
  // A TOML rewrite of the same actors is the same registry.
  auto reread = ActorRegistry::from_toml(registry.to_toml()).value();
  EXPECT_FALSE(a->replace_configuration(reread, std::make_shared<TestPolicy>()).value().changed);
  EXPECT_EQ(a->log_size(), size);
}

TEST_F(ReconfigurationTest, AnInvalidConfigurationIsRefusedAndChangesNothing) {
  auto a = Authority::open(options()).value();
  auto r = a->submit(submit_doc("manager.br", kBrNs)).value();
  ASSERT_TRUE(a->ballot(r.request.id, ballot_doc("manager.br", r.request.id, "approve")));
  const auto size = a->log_size();
  const auto actors_file = ActorRegistry::from_file(dir / "actors.toml").value().fingerprint();

  // Without manager.br (the requester, who voted, and the manager of the TLD) or ntia (awaited).
  ActorRegistry shrunk;
  for (const auto& [id, actor] : registry.all()) {
    if (id == "manager.br" || id == "ntia") continue;
    ASSERT_TRUE(shrunk.add(actor));
  }
  auto refused = a->replace_configuration(shrunk, std::make_shared<TestPolicy>());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::conflict);
  const std::string& why = refused.error().message;
  EXPECT_NE(why.find("nothing changed"), std::string::npos) << why;
  EXPECT_NE(why.find(r.request.id + ": 'manager.br' (its requester)"), std::string::npos) << why;
  EXPECT_NE(why.find("'ntia' (awaited)"), std::string::npos) << why;
  EXPECT_NE(why.find("TLD 'br' would lose its manager 'manager.br'"), std::string::npos) << why;

  // Handing br to another manager while its request is open.
  ActorRegistry moved = registry;
  Actor br = *registry.find("manager.br");
  br.manages.clear();
  ASSERT_TRUE(moved.add(br));
  Actor gov = *registry.find("gov.br");
  gov.manages = {"br"};
  ASSERT_TRUE(moved.add(gov));
  auto handed = a->replace_configuration(moved, std::make_shared<TestPolicy>());
  ASSERT_FALSE(handed);
  EXPECT_NE(handed.error().message.find("would change from 'manager.br' to 'gov.br'"), std::string::npos)
      << handed.error().message;

  auto empty =
      a->replace_configuration(ActorRegistry{}, std::make_shared<TestPolicy>("contacts-only", false));
  ASSERT_FALSE(empty);
  EXPECT_NE(empty.error().message.find("no actors"), std::string::npos) << empty.error().message;

  EXPECT_EQ(a->log_size(), size);
  EXPECT_EQ(a->policy().id(), "test-policy");
  EXPECT_EQ(a->registry().fingerprint(), registry.fingerprint());
  EXPECT_EQ(ActorRegistry::from_file(dir / "actors.toml").value().fingerprint(), actors_file);
  EXPECT_EQ(a->find(r.request.id)->decision.awaiting, std::vector<ActorId>{"ntia"});
  // The authority goes on as before.
  auto done = a->ballot(r.request.id, ballot_doc("ntia", r.request.id, "approve"));
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(done->request.state, RequestState::published);
}

TEST_F(ReconfigurationTest, OpenRequestsAreDecidedUnderTheNewModelAtOnce) {
  Observed live;
  std::string id;
  {
    auto a = Authority::open(options()).value();
    id = a->submit(submit_doc("manager.br", kBrNs)).value().request.id;
    ASSERT_TRUE(a->ballot(id, ballot_doc("manager.br", id, "approve")));
    auto waiting =
        a->submit(submit_doc("manager.net", R"({"kind":"ds-update","tld":"net","ds":[]})")).value();
    EXPECT_EQ(a->find(id)->decision.awaiting, std::vector<ActorId>{"ntia"});
    const auto serial = a->serial();
    const auto before = a->log_size();
    auto report = a->replace_configuration(registry, std::make_shared<TestPolicy>("contacts-only", false));
    ASSERT_TRUE(report) << report.error().message;
    EXPECT_TRUE(report->model_changed);
    EXPECT_EQ(report->previous_model, "test-policy");
    EXPECT_EQ(report->model, "contacts-only");
    EXPECT_EQ(report->decided, std::vector<RequestId>{id});
    EXPECT_EQ(a->policy().id(), "contacts-only");
    EXPECT_EQ(a->find(id)->state, RequestState::published);
    EXPECT_GT(a->serial(), serial);
    EXPECT_EQ(a->find(waiting.request.id)->decision.awaiting, std::vector<ActorId>{"manager.net"});
    EXPECT_EQ(events_of(a->log_entries(before, 100)),
              (std::vector<std::string>{"reconfigured", "decided", "implemented", "published"}));
    live = observe(*a);
  }
  fs::remove(dir / "snapshot");
  auto o = options();
  o.policy = std::make_shared<TestPolicy>("contacts-only", false);
  {
    auto a = Authority::open(o);
    ASSERT_TRUE(a) << a.error().message;
    EXPECT_EQ(observe(**a), live);
  }
  // The genesis model is no longer the state's.
  auto stale = Authority::open(options());
  ASSERT_FALSE(stale);
  EXPECT_NE(stale.error().message.find("'contacts-only' since the reconfiguration"), std::string::npos)
      << stale.error().message;
  auto report = verify_with(dir / "actors.toml");
  EXPECT_TRUE(report.ok) << report.message;
  EXPECT_EQ(report.model, "contacts-only");
}

TEST_F(ReconfigurationTest, AModelFileTextIsRecordedReplayedAndCheckedOnRestart) {
  {
    auto a = Authority::open(options()).value();
    auto r = a->submit(submit_doc("manager.br", kBrNs)).value();
    ASSERT_TRUE(a->ballot(r.request.id, ballot_doc("manager.br", r.request.id, "approve")));
    auto lenient = a->replace_configuration(
        registry, std::make_shared<TestPolicy>("lab/model.toml", false, "ntia = false"));
    ASSERT_TRUE(lenient) << lenient.error().message;
    EXPECT_EQ(a->find(r.request.id)->state, RequestState::published);
    // The same file, edited: another model although the id is the same.
    auto strict = a->replace_configuration(
        registry, std::make_shared<TestPolicy>("lab/model.toml", true, "ntia = true"));
    ASSERT_TRUE(strict) << strict.error().message;
    EXPECT_TRUE(strict->model_changed);
    auto logged =
        Json::parse(a->log_entries(strict->log_index, 1).at(0), Json::Limits{64, 64U << 20}).value();
    EXPECT_EQ(*logged.find("model_definition")->as_string(), "ntia = true");
    EXPECT_EQ(*logged.find("previous_model_definition")->as_string(), "ntia = false");
    auto r2 = a->submit(submit_doc("manager.net", R"({"kind":"ds-update","tld":"net","ds":[]})")).value();
    ASSERT_TRUE(a->ballot(r2.request.id, ballot_doc("manager.net", r2.request.id, "approve")));
    EXPECT_EQ(a->find(r2.request.id)->decision.awaiting, std::vector<ActorId>{"ntia"});
  }
  fs::remove(dir / "snapshot");
  auto o = options();
  o.policy = std::make_shared<TestPolicy>("lab/model.toml", false, "ntia = false");
  auto edited = Authority::open(o);
  ASSERT_FALSE(edited);
  EXPECT_NE(edited.error().message.find("differs from the text the state adopted"), std::string::npos)
      << edited.error().message;
  o.policy = std::make_shared<TestPolicy>("lab/model.toml", true, "ntia = true");
  auto a = Authority::open(o);
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ((*a)->policy().definition(), "ntia = true");
  EXPECT_TRUE(verify_with(dir / "actors.toml").ok);
}

TEST_F(ReconfigurationTest, TldManagementMovedByATransferIsKept) {
  auto a = Authority::open(options()).value();
  auto t =
      a->submit(submit_doc("manager.br", R"({"kind":"transfer","tld":"br","manager":"gov.br"})")).value();
  ASSERT_TRUE(a->ballot(t.request.id, ballot_doc("manager.br", t.request.id, "approve")));
  ASSERT_TRUE(a->ballot(t.request.id, ballot_doc("ntia", t.request.id, "approve")));
  ASSERT_EQ(a->registry().manager_of("br")->id, "gov.br");
  // The file still says manager.br manages br; the transfer wins.
  auto report = a->replace_configuration(grown_registry(), std::make_shared<TestPolicy>());
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(a->registry().manager_of("br")->id, "gov.br");
  // Removing the manager a transfer chose is refused.
  ActorRegistry without_gov;
  for (const auto& [id, actor] : a->registry().all()) {
    if (id == "gov.br") continue;
    Actor copy = actor;
    if (id == "manager.br") copy.manages = {"br"};
    ASSERT_TRUE(without_gov.add(copy));
  }
  auto refused = a->replace_configuration(without_gov, std::make_shared<TestPolicy>());
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("'gov.br' manages 'br' by a transfer"), std::string::npos)
      << refused.error().message;
}

TEST_F(ReconfigurationTest, SnapshotsBeforeAndAfterAReconfigurationResumeToTheSameState) {
  std::mt19937 rng(23);
  auto o = options();
  o.snapshot_every = 5;
  const fs::path before = dir.string() + "-before";
  ActorRegistry next;
  Observed live;
  {
    auto a = Authority::open(o).value();
    std::vector<std::string> open;
    random_history(*this, *a, rng, 20, open);
    ASSERT_TRUE(a->snapshot());
    copy_dir(dir, before);  // a snapshot taken before the reconfiguration
    next = grown_registry();
    ASSERT_TRUE(a->replace_configuration(next, std::make_shared<TestPolicy>("contacts-only", false)));
    random_history(*this, *a, rng, 20, open);
    live = observe(*a);
  }
  o.registry = next;
  o.policy = std::make_shared<TestPolicy>("contacts-only", false);
  o.snapshot_every = 0;
  std::vector<std::string> notes;
  o.notice = [&](std::string_view n) { notes.emplace_back(n); };
  {
    auto a = Authority::open(o);  // the shutdown snapshot, after the reconfiguration
    ASSERT_TRUE(a) << a.error().message;
    EXPECT_TRUE((*a)->startup().from_snapshot) << (*a)->startup().note;
    EXPECT_EQ((*a)->startup().replayed_entries, 0U);
    EXPECT_EQ(observe(**a), live);
    EXPECT_EQ((*a)->policy().id(), "contacts-only");
  }
  // The earlier snapshot with this journal: resumes under the genesis configuration and replays
  // the reconfiguration.
  fs::copy_file(before / "snapshot", dir / "snapshot", fs::copy_options::overwrite_existing);
  {
    auto a = Authority::open(o);
    ASSERT_TRUE(a) << a.error().message;
    EXPECT_TRUE((*a)->startup().from_snapshot) << (*a)->startup().note;
    EXPECT_GT((*a)->startup().replayed_entries, 0U);
    EXPECT_EQ(observe(**a), live);
  }
  EXPECT_TRUE(notes.empty()) << notes.front();
  fs::remove_all(before);
}

}  // namespace
}  // namespace rootgov::authority
