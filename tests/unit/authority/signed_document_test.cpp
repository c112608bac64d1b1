#include <rootgov/authority/signed_document.hpp>

#include <algorithm>
#include <random>
#include <set>

#include <gtest/gtest.h>

namespace rootgov::authority {
namespace {

struct Fixture {
  ActorKey key = ActorKey::generate("manager.br");
  ActorKey other = ActorKey::generate("gov.br");
  ActorRegistry registry;

  Fixture() {
    Actor m{"manager.br", "NIC.br", {"tld-manager"}, {}, "", "br", {"br"}, key.public_key()};
    Actor g{"gov.br", "Brazil", {"government"}, {"gac"}, "latin-america", "br", {}, other.public_key()};
    EXPECT_TRUE(registry.add(m));
    EXPECT_TRUE(registry.add(g));
  }

  Document document(std::uint64_t seq = 1) const {
    Document d;
    d.type = DocumentType::submit;
    d.actor = "manager.br";
    d.time = *parse_time("2005-11-18T10:00:00Z");
    d.seq = seq;
    d.body["kind"] = Json("ns-update");
    d.body["tld"] = Json("br");
    d.body["ns"] = Json(Json::Array{Json("a.dns.br"), Json("b.dns.br")});
    return d;
  }
};

TEST(SignedDocument, CanonicalBytesAreStable) {
  Fixture f;
  EXPECT_EQ(f.document().canonical(),
            R"({"actor":"manager.br","body":{"kind":"ns-update","ns":["a.dns.br","b.dns.br"],"tld":"br"},)"
            R"("seq":1,"time":"2005-11-18T10:00:00Z","type":"submit"})");
}

TEST(SignedDocument, SignParseVerify) {
  Fixture f;
  auto signed_doc = SignedDocument::sign(f.document(), f.key);
  ASSERT_TRUE(signed_doc) << signed_doc.error().message;
  EXPECT_TRUE(signed_doc->verify(f.registry));
  EXPECT_EQ(signed_doc->digest().size(), 64U);

  // The wire form parses back, even re-ordered and with whitespace.
  std::string wire = signed_doc->to_wire();
  auto parsed = SignedDocument::parse(wire);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_TRUE(parsed->verify(f.registry));
  EXPECT_EQ(parsed->canonical(), signed_doc->canonical());
  EXPECT_EQ(parsed->document().seq, 1U);
  EXPECT_EQ(parsed->document().type, DocumentType::submit);
  EXPECT_EQ(*parsed->document().body.find("tld")->as_string(), "br");

  // The wire form is written from the held canonical bytes; it is the canonical form of the
  // {"document", "signature"} object, as a parsed document's is.
  EXPECT_EQ(wire, signed_doc->to_json().canonical());
  EXPECT_EQ(parsed->to_wire(), wire);
  EXPECT_EQ(wire, R"({"document":)" + signed_doc->canonical() + R"(,"signature":")" + signed_doc->signature() + "\"}");

  std::string spaced = "{ \"signature\" : \"" + signed_doc->signature() + "\", \"document\" : " +
                       R"({ "type":"submit", "time":"2005-11-18T10:00:00Z", "seq": 1, "actor": "manager.br", )"
                       R"("body": { "tld":"br", "ns":["a.dns.br","b.dns.br"], "kind":"ns-update" } } })";
  auto reparsed = SignedDocument::parse(spaced);
  ASSERT_TRUE(reparsed) << reparsed.error().message;
  EXPECT_TRUE(reparsed->verify(f.registry));
}

TEST(SignedDocument, TamperingIsDetected) {
  Fixture f;
  auto signed_doc = SignedDocument::sign(f.document(), f.key);
  ASSERT_TRUE(signed_doc);
  std::string wire = signed_doc->to_wire();
  // Change a value: the signature no longer matches.
  for (auto [from, to] : {std::pair{"b.dns.br", "x.dns.br"}, std::pair{"\"seq\":1", "\"seq\":2"},
                          std::pair{"10:00:00", "10:00:01"}, std::pair{"ns-update", "ds-update"}}) {
    std::string t = wire;
    auto pos = t.find(from);
    ASSERT_NE(pos, std::string::npos) << from;
    t.replace(pos, std::string_view(from).size(), to);
    auto parsed = SignedDocument::parse(t);
    ASSERT_TRUE(parsed) << parsed.error().message;
    auto ok = parsed->verify(f.registry);
    ASSERT_FALSE(ok) << from;
    EXPECT_EQ(ok.error().code, Errc::unauthorized);
    EXPECT_NE(ok.error().message.find("bad signature"), std::string::npos) << ok.error().message;
  }
  // Claiming to be another actor fails too.
  {
    std::string t = wire;
    t.replace(t.find("manager.br"), 10, "gov.br");
    auto parsed = SignedDocument::parse(t);
    ASSERT_TRUE(parsed);
    EXPECT_FALSE(parsed->verify(f.registry));
  }
  // A flipped signature byte.
  {
    std::string sig = signed_doc->signature();
    sig[5] = sig[5] == 'A' ? 'B' : 'A';
    Json j = signed_doc->to_json();
    j["signature"] = Json(sig);
    auto parsed = SignedDocument::from_json(j);
    ASSERT_TRUE(parsed);
    EXPECT_FALSE(parsed->verify(f.registry));
  }
}

TEST(SignedDocument, UnknownActorAndMissingKey) {
  Fixture f;
  ActorKey stranger = ActorKey::generate("stranger");
  Document d = f.document();
  d.actor = "stranger";
  auto doc = SignedDocument::sign(d, stranger);
  ASSERT_TRUE(doc);
  auto ok = doc->verify(f.registry);
  ASSERT_FALSE(ok);
  EXPECT_EQ(ok.error().code, Errc::unauthorized);
  EXPECT_NE(ok.error().message.find("unknown actor 'stranger'"), std::string::npos);

  ActorRegistry keyless;
  ASSERT_TRUE(keyless.add(Actor{"manager.br", "x", {"tld-manager"}, {}, "", "", {}, ""}));
  auto mine = SignedDocument::sign(f.document(), f.key);
  auto r = mine->verify(keyless);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::unauthorized);
}

TEST(SignedDocument, SignRefusesWrongKeyAndBadDocuments) {
  Fixture f;
  EXPECT_FALSE(SignedDocument::sign(f.document(), f.other));
  EXPECT_FALSE(SignedDocument::sign(f.document(0), f.key));
  Document d = f.document();
  d.body = Json(1);
  EXPECT_FALSE(SignedDocument::sign(d, f.key));
}

TEST(SignedDocument, ParseRefusesMalformed) {
  Fixture f;
  auto good = SignedDocument::sign(f.document(), f.key)->to_json();
  auto with = [&](auto mutate) {
    Json j = good;
    mutate(j);
    return SignedDocument::from_json(j);
  };
  EXPECT_FALSE(with([](Json& j) { j["extra"] = Json(1); }));
  EXPECT_FALSE(with([](Json& j) { j["document"]["type"] = Json("vote"); }));
  EXPECT_FALSE(with([](Json& j) { j["document"]["time"] = Json("2005-11-18"); }));
  EXPECT_FALSE(with([](Json& j) { j["document"]["seq"] = Json(-1); }));
  EXPECT_FALSE(with([](Json& j) { j["document"]["seq"] = Json("1"); }));
  EXPECT_FALSE(with([](Json& j) { j["document"]["actor"] = Json("Not Valid"); }));
  EXPECT_FALSE(with([](Json& j) { j["document"]["nonce"] = Json(1); }));
  EXPECT_FALSE(with([](Json& j) { j["signature"] = Json(5); }));
  EXPECT_FALSE(SignedDocument::parse("not json"));
  EXPECT_FALSE(SignedDocument::parse(R"({"document":{},"signature":"x"})"));
  for (DocumentType t : {DocumentType::submit, DocumentType::ballot, DocumentType::withdraw, DocumentType::admin}) {
    EXPECT_EQ(document_type_from_string(to_string(t)), t);
  }
}

TEST(ReplayGuard, RefusesReplaysAndStaleSequenceNumbers) {
  Fixture f;
  ReplayGuard guard;
  EXPECT_EQ(guard.next_seq("manager.br"), 1U);
  auto d1 = SignedDocument::sign(f.document(1), f.key);
  auto d5 = SignedDocument::sign(f.document(5), f.key);
  auto d3 = SignedDocument::sign(f.document(3), f.key);
  ASSERT_TRUE(guard.check_and_accept(d1->document()));
  auto replay = guard.check_and_accept(d1->document());
  ASSERT_FALSE(replay);
  EXPECT_EQ(replay.error().code, Errc::unauthorized);
  EXPECT_NE(replay.error().message.find("replayed"), std::string::npos);
  ASSERT_TRUE(guard.check_and_accept(d5->document()));  // gaps are allowed
  // An unused seq below the highest is accepted once (documents in flight arrive in any
  // order), then it is a replay like any other.
  EXPECT_TRUE(guard.check_and_accept(d3->document()));
  auto again = guard.check_and_accept(d3->document());
  ASSERT_FALSE(again);
  EXPECT_NE(again.error().message.find("already accepted"), std::string::npos) << again.error().message;
  EXPECT_EQ(guard.last_seq("manager.br"), 5U);
  EXPECT_EQ(guard.next_seq("manager.br"), 6U);
  // Sequence numbers are per actor.
  Document g = f.document(1);
  g.actor = "gov.br";
  EXPECT_TRUE(guard.check_and_accept(g));
  EXPECT_FALSE(guard.last_seq("nobody"));
  EXPECT_EQ(guard.window("nobody"), nullptr);
  // The snapshot copy lists every actor's window in actor order.
  Document z = f.document(9);
  z.actor = "afrinic";
  EXPECT_TRUE(guard.check_and_accept(z));
  auto all = guard.windows();
  std::vector<std::string> order;
  for (const auto& [actor, w] : all) order.push_back(actor);
  EXPECT_EQ(order, (std::vector<std::string>{"afrinic", "gov.br", "manager.br"}));
  EXPECT_EQ(all.at("manager.br").recent, (std::vector<std::uint64_t>{1, 3, 5}));
  EXPECT_EQ(all.at("afrinic").recent, (std::vector<std::uint64_t>{9}));
}

TEST(ReplayGuard, SeqsThatLeftTheWindowAreRefusedForever) {
  Fixture f;
  ReplayGuard guard;
  // Sparse seqs, as the CLI's microsecond clock makes them: 1000, 2000, ..., one more than the
  // window holds. The smallest leaves the window and becomes its floor.
  for (std::uint64_t i = 1; i <= ReplayGuard::kWindow + 1; ++i) ASSERT_TRUE(guard.check_and_accept(f.document(i * 1000)));
  ASSERT_NE(guard.window("manager.br"), nullptr);
  const auto& w = *guard.window("manager.br");
  EXPECT_EQ(w.floor, 1000U);
  EXPECT_EQ(w.recent.size(), ReplayGuard::kWindow);
  // Below or at the floor: refused, used or not (500 never was).
  for (std::uint64_t seq : {1000U, 500U}) {
    auto r = guard.check_and_accept(f.document(seq));
    ASSERT_FALSE(r) << seq;
    EXPECT_EQ(r.error().code, Errc::unauthorized);
    EXPECT_NE(r.error().message.find("floor"), std::string::npos) << r.error().message;
  }
  // Above the floor and unused: accepted, and the window moves on.
  EXPECT_TRUE(guard.check_and_accept(f.document(1500)));
  EXPECT_EQ(guard.window("manager.br")->floor, 1500U);
  EXPECT_FALSE(guard.check_and_accept(f.document(1500)));
  EXPECT_FALSE(guard.check_and_accept(f.document(2000)));
  EXPECT_EQ(guard.next_seq("manager.br"), (ReplayGuard::kWindow + 1) * 1000 + 1);
}

TEST(ReplayGuard, NoOrderOfArrivalAcceptsASeqTwice) {
  Fixture f;
  std::mt19937 rng(7);
  for (int round = 0; round < 20; ++round) {
    ReplayGuard guard;
    std::vector<std::uint64_t> arrivals;
    for (std::uint64_t seq = 1; seq <= 300; ++seq) {
      arrivals.push_back(seq);
      if (rng() % 3 == 0) arrivals.push_back(seq);  // some replayed
    }
    std::shuffle(arrivals.begin(), arrivals.end(), rng);
    std::set<std::uint64_t> accepted;
    for (std::uint64_t seq : arrivals) {
      if (guard.check_and_accept(f.document(seq))) {
        EXPECT_TRUE(accepted.insert(seq).second) << "seq " << seq << " twice";
      }
    }
    // Restoring a window gives a guard that decides like the original.
    ReplayGuard copy;
    copy.restore("manager.br", *guard.window("manager.br"));
    for (std::uint64_t seq = 1; seq <= 320; ++seq) {
      EXPECT_EQ(bool(copy.check(f.document(seq))), bool(guard.check(f.document(seq)))) << seq;
    }
  }
}

}  // namespace
}  // namespace rootgov::authority
