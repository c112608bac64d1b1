// tests/unit/zone/diff_test.cpp - RRset-level differences between zones.
#include <rootgov/zone/diff.hpp>

#include <gtest/gtest.h>

#include <rootgov/zone/embedded.hpp>
#include <rootgov/zone/root_zone.hpp>

namespace rootgov::zone {
namespace {

Name N(const char* s) { return Name::parse(s).value(); }

TEST(DiffTest, IdenticalZonesHaveNoChanges) {
  Zone z = Zone::from_text(embedded_default_root_zone()).value();
  EXPECT_TRUE(diff_zones(z, z).empty());
  EXPECT_EQ(diff_to_text({}), "");
}

TEST(DiffTest, AddedRemovedChangedAndDnssecIgnored) {
  Zone a = Zone::from_text(
               ". 86400 IN SOA a.root-servers.net. nstld.verisign-grs.com. 1 1800 900 604800 86400\n"
               "uk. 172800 IN NS nsa.nic.uk.\nuk. 172800 IN NS nsb.nic.uk.\n"
               "xx. 172800 IN NS ns.nic.net.\n"
               "nsa.nic.uk. 172800 IN A 156.154.100.3\n"
               "uk. 86400 IN NSEC xx. NS DS RRSIG NSEC\n")
               .value();
  Zone b = Zone::from_text(
               ". 86400 IN SOA a.root-servers.net. nstld.verisign-grs.com. 2 1800 900 604800 86400\n"
               "uk. 172800 IN NS nsa.nic.uk.\nuk. 172800 IN NS nsc.nic.uk.\n"
               "yy. 172800 IN NS ns.nic.net.\n"
               "nsa.nic.uk. 172800 IN A 156.154.100.3\n"
               "uk. 86400 IN NSEC yy. NS DS RRSIG NSEC\n")
               .value();
  auto changes = diff_zones(a, b);
  ASSERT_EQ(changes.size(), 4u);  // SOA changed, uk NS changed, xx removed, yy added (NSEC ignored)
  EXPECT_EQ(changes[0].owner, Name());
  EXPECT_EQ(changes[0].kind, RRsetChange::Kind::changed);
  EXPECT_EQ(changes[1].owner, N("uk."));
  EXPECT_EQ(changes[1].type, rrtype::kNs);
  EXPECT_EQ(changes[2].owner, N("xx."));
  EXPECT_EQ(changes[2].kind, RRsetChange::Kind::removed);
  EXPECT_EQ(changes[3].owner, N("yy."));
  EXPECT_EQ(changes[3].kind, RRsetChange::Kind::added);
  std::string text = diff_to_text(changes);
  EXPECT_NE(text.find("- uk.\t172800\tIN\tNS\tnsb.nic.uk.\n"), std::string::npos) << text;
  EXPECT_NE(text.find("+ uk.\t172800\tIN\tNS\tnsc.nic.uk.\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("nsa.nic.uk."), std::string::npos) << "unchanged records are not printed\n" << text;
  EXPECT_NE(text.find("- xx.\t172800\tIN\tNS\tns.nic.net.\n"), std::string::npos) << text;
  DiffOptions with;
  with.include_dnssec = true;
  EXPECT_EQ(diff_zones(a, b, with).size(), 5u);
  auto summary = summarize_diff(changes);
  EXPECT_EQ(summary, (std::vector<std::string>{"root-update SOA", "ns-update 'uk.'", "revoke 'xx.'", "delegate 'yy.'"}));
}

TEST(DiffTest, DiffOfAnAppliedChangeNamesTheChangedNames) {
  RootZone z = RootZone::from_zone(Zone::from_text(embedded_default_root_zone()).value()).value();
  Zone before = z.zone();
  auto applied = z.apply(ChangeSet::revoke(N("ng.")), 19800);
  ASSERT_TRUE(applied);
  auto changes = diff_zones(before, z.zone());
  std::set<Name> owners;
  for (const auto& c : changes) owners.insert(c.owner);
  EXPECT_EQ(owners, applied->changed_names);
  auto summary = summarize_diff(changes);
  EXPECT_NE(std::find(summary.begin(), summary.end(), "revoke 'ng.'"), summary.end());
}

}  // namespace
}  // namespace rootgov::zone
