#include <rootgov/authority/types.hpp>

#include <gtest/gtest.h>

#include <rootgov/authority/policy.hpp>

namespace rootgov::authority {
namespace {

TEST(Duration, ParsesUnitsAndSums) {
  EXPECT_EQ(parse_duration("30s")->seconds, 30);
  EXPECT_EQ(parse_duration("90m")->seconds, 90 * 60);
  EXPECT_EQ(parse_duration("36h")->seconds, 36 * 3600);
  EXPECT_EQ(parse_duration("7d")->seconds, 7 * 86400);
  EXPECT_EQ(parse_duration("2w")->seconds, 14 * 86400);
  EXPECT_EQ(parse_duration("1w2d")->seconds, 9 * 86400);
  EXPECT_EQ(parse_duration("1d12h30m")->seconds, 86400 + 12 * 3600 + 1800);
}

TEST(Duration, RefusesMalformed) {
  for (const char* bad : {"", "7", "d", "7x", "-1d", "1.5d", "7d ", " 7d", "99999999999999999999d", "1w2"}) {
    auto r = parse_duration(bad);
    EXPECT_FALSE(r.has_value()) << bad;
    if (!r) {
      EXPECT_EQ(r.error().code, Errc::invalid_input);
    }
  }
}

TEST(Time, FormatsAndParsesIso) {
  auto t = parse_time("2005-11-18T00:00:00Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->seconds, 1132272000);
  EXPECT_EQ(format_time(*t), "2005-11-18T00:00:00Z");
  EXPECT_EQ(parse_time("2005-11-18")->seconds, 1132272000);
  EXPECT_EQ(format_time(Timestamp{0}), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_time(Timestamp{951782400 + 86399}), "2000-02-29T23:59:59Z");
  EXPECT_EQ(format_time(Timestamp{-1}), "1969-12-31T23:59:59Z");
  for (std::int64_t s : {0LL, 1LL, 86399LL, 1132272000LL, 1475280000LL, 4102444799LL}) {
    EXPECT_EQ(parse_time(format_time(Timestamp{s}))->seconds, s);
  }
}

TEST(Time, RefusesInvalid) {
  for (const char* bad : {"2005-02-30", "2005-13-01", "2005-1-01", "2005-11-18T24:00:00Z", "2005-11-18T00:00:60Z",
                          "2005-11-18 00:00:00Z", "2005-11-18T00:00:00", "2005-11-18T00:00:00+01:00", "yesterday"}) {
    EXPECT_FALSE(parse_time(bad).has_value()) << bad;
  }
}

TEST(ActorId, Validation) {
  for (const char* ok : {"ntia", "iana", "gov.br", "manager.xn--p1ai", "co1", "wicann-oc.europe", "0x"}) {
    EXPECT_TRUE(is_valid_actor_id(ok)) << ok;
  }
  for (const char* bad : {"", "NTIA", ".gov", "-x", "gov_br", "gov br", "gov/br", "é"}) {
    EXPECT_FALSE(is_valid_actor_id(bad)) << bad;
  }
  EXPECT_FALSE(is_valid_actor_id(std::string(200, 'a')));
}

TEST(ChangeKind, NamesRoundTrip) {
  const std::pair<ChangeKind, const char*> all[] = {
      {ChangeKind::ns_update, "ns-update"}, {ChangeKind::ds_update, "ds-update"},
      {ChangeKind::delegate, "delegate"},   {ChangeKind::transfer, "transfer"},
      {ChangeKind::revoke, "revoke"},       {ChangeKind::root_update, "root-update"},
      {ChangeKind::contact_update, "contact-update"}};
  for (auto [kind, name] : all) {
    EXPECT_EQ(to_string(kind), name);
    EXPECT_EQ(change_kind_from_string(name), kind);
  }
  EXPECT_FALSE(change_kind_from_string("ns_update"));
  EXPECT_FALSE(change_kind_from_string(""));
}

TEST(TldClass, Classifies) {
  EXPECT_EQ(classify_tld("br"), TldClass::cc);
  EXPECT_EQ(classify_tld("UK"), TldClass::cc);
  EXPECT_EQ(classify_tld("com"), TldClass::g);
  EXPECT_EQ(classify_tld("museum"), TldClass::g);
  EXPECT_EQ(classify_tld("xn--p1ai"), TldClass::cc);
  EXPECT_EQ(classify_tld("xn--fiqs8s"), TldClass::cc);
  EXPECT_EQ(classify_tld("xn--j6w193g"), TldClass::cc);
  EXPECT_EQ(classify_tld("xn--mgbaam7a8h"), TldClass::cc);
  EXPECT_EQ(classify_tld("xn--vermgensberater-ctb"), TldClass::g);
  EXPECT_EQ(classify_tld(""), TldClass::root);
  EXPECT_EQ(classify_tld("."), TldClass::root);
  EXPECT_EQ(classify_tld("b1"), TldClass::g);
  EXPECT_EQ(to_string(TldClass::cc), "cc");
  EXPECT_EQ(country_of_tld("uk"), "gb");
  EXPECT_EQ(country_of_tld("xn--p1ai"), "ru");
  EXPECT_EQ(country_of_tld("org"), "");
}

TEST(Names, VoteAndOutcome) {
  EXPECT_EQ(to_string(Vote::approve), "approve");
  EXPECT_EQ(to_string(Vote::reject), "reject");
  EXPECT_EQ(to_string(Vote::comment), "comment");
  EXPECT_EQ(to_string(Outcome::pending), "pending");
  EXPECT_EQ(to_string(Outcome::approved), "approved");
  EXPECT_EQ(to_string(Outcome::rejected), "rejected");
  EXPECT_EQ(to_string(Outcome::expired), "expired");
}

TEST(Actor, RolesAndBodies) {
  Actor a{"gov.br", "Brazil", {"government"}, {"gac", "gic"}, "latin-america", "br", {}, ""};
  EXPECT_TRUE(a.has_role("government"));
  EXPECT_FALSE(a.has_role("ntia"));
  EXPECT_TRUE(a.sits_on("gic"));
  EXPECT_FALSE(a.sits_on("iic"));
}

}  // namespace
}  // namespace rootgov::authority
