// tests/unit/zone/change_set_test.cpp - change sets as values and their text forms.
#include <rootgov/zone/change_set.hpp>

#include <gtest/gtest.h>

namespace rootgov::zone {
namespace {

Name N(const char* s) { return Name::parse(s).value(); }

TEST(ChangeSetTest, NamedConstructorsBuildTheOperations) {
  auto ns = ChangeSet::ns_update(N("br."), {{N("a.dns.br."), {}}});
  ASSERT_EQ(ns.operations.size(), 1u);
  const auto* set_ns = std::get_if<op::SetNs>(&ns.operations[0]);
  ASSERT_NE(set_ns, nullptr);
  EXPECT_FALSE(set_ns->create);

  auto del = ChangeSet::delegate(N("example."), {{N("a.nic.example."), {"203.1.113.1"}}}, {DsData{1, 13, 2, std::string(32, 'x')}});
  ASSERT_EQ(del.operations.size(), 2u);
  EXPECT_TRUE(std::get<op::SetNs>(del.operations[0]).create);
  EXPECT_EQ(std::get<op::SetDs>(del.operations[1]).ds.size(), 1u);
  EXPECT_EQ(ChangeSet::delegate(N("example."), {}, {}).operations.size(), 1u);

  EXPECT_TRUE(std::holds_alternative<op::RemoveDelegation>(ChangeSet::revoke(N("xx.")).operations[0]));
  EXPECT_TRUE(std::get<op::SetDs>(ChangeSet::ds_update(N("br."), {}).operations[0]).ds.empty());
  EXPECT_TRUE(ChangeSet{}.empty());
}

TEST(ChangeSetTest, ParseDsText) {
  auto ds = parse_ds_text("  20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D ");
  ASSERT_TRUE(ds);
  EXPECT_EQ(ds->key_tag, 20326);
  EXPECT_EQ(ds->algorithm, 8);
  EXPECT_EQ(ds->digest_type, 2);
  EXPECT_EQ(ds->digest.size(), 32u);
  EXPECT_FALSE(parse_ds_text(""));
  EXPECT_FALSE(parse_ds_text("20326 8 2"));
  EXPECT_FALSE(parse_ds_text("20326 8 2 XYZ"));
  EXPECT_FALSE(parse_ds_text("99999 8 2 ABCD"));
}

TEST(ChangeSetTest, ParseNsText) {
  auto h = parse_ns_text("a.dns.br=200.160.0.10,2001:12ff::10");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->name, N("a.dns.br."));
  EXPECT_EQ(h->addresses, (std::vector<std::string>{"200.160.0.10", "2001:12ff::10"}));
  auto plain = parse_ns_text("ns1.example.net.");
  ASSERT_TRUE(plain);
  EXPECT_TRUE(plain->addresses.empty());
  EXPECT_FALSE(parse_ns_text(""));
  EXPECT_FALSE(parse_ns_text("."));
  EXPECT_FALSE(parse_ns_text("a.dns.br="));
  EXPECT_FALSE(parse_ns_text("a.dns.br=1.2.3"));
  EXPECT_FALSE(parse_ns_text("a.dns.br=1.2.3.4,,5.6.7.8"));
  EXPECT_FALSE(parse_ns_text(std::string(70, 'a') + ".br"));
}

TEST(ChangeSetTest, Describe) {
  ChangeSet c = ChangeSet::delegate(N("example."), {{N("a.nic.example."), {"203.1.113.1"}}, {N("b.nic.net."), {}}},
                                    {parse_ds_text("1 13 2 " + std::string(64, 'A')).value()});
  c.operations.emplace_back(op::RemoveDelegation{N("xx.")});
  c.operations.emplace_back(op::SetSoaTimers{});
  c.operations.emplace_back(op::SetDs{N("br."), {}});
  auto lines = describe(c);
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(lines[0], "delegate 'example.' to a.nic.example. (203.1.113.1), b.nic.net.");
  EXPECT_EQ(lines[1], "set DS of 'example.' to 1 13 2 " + std::string(64, 'A'));
  EXPECT_EQ(lines[2], "remove the delegation of 'xx.'");
  EXPECT_EQ(lines[3], "set the root SOA timers to refresh 1800, retry 900, expire 604800, minimum 86400");
  EXPECT_EQ(lines[4], "remove every DS of 'br.'");
}

}  // namespace
}  // namespace rootgov::zone
