// tests/unit/zone/root_zone_test.cpp - the typed root-zone model and its transactions.
#include <rootgov/zone/root_zone.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>

#include <rootgov/zone/check.hpp>
#include <rootgov/zone/embedded.hpp>

namespace rootgov::zone {
namespace {

Name N(const char* s) { return Name::parse(s).value(); }

std::int64_t day(int y, unsigned m, unsigned d) {
  using namespace std::chrono;
  return sys_days{year{y} / month{m} / d}.time_since_epoch().count();
}

const std::int64_t kToday = day(2024, 3, 15);

RootZone default_zone() {
  auto z = Zone::from_text(embedded_default_root_zone());
  return RootZone::from_zone(std::move(z.value())).value();
}

std::vector<NsHost> hosts(std::initializer_list<std::pair<const char*, std::vector<std::string>>> list) {
  std::vector<NsHost> out;
  for (const auto& [n, a] : list) out.push_back({N(n), a});
  return out;
}

bool has_rule(const Findings& f, const std::string& rule) {
  return std::any_of(f.begin(), f.end(), [&](const Finding& x) { return x.rule == rule && x.severity == Severity::error; });
}

std::string rules(const Findings& f) {
  std::string s;
  for (const auto& x : f) s += x.rule + ": " + x.message + "\n";
  return s;
}

DsData sample_ds() {
  return parse_ds_text("12345 13 2 " + std::string(64, 'A')).value();
}

TEST(RootZoneTest, TypedViewOfTheDefaultZone) {
  RootZone z = default_zone();
  EXPECT_EQ(z.soa().serial, 2020090500u);
  EXPECT_EQ(z.root_ns().size(), 13u);
  auto tlds = z.tlds();
  EXPECT_EQ(tlds.size(), 21u);
  auto uk = z.delegation(N("uk.")).value();
  EXPECT_GE(uk.ns.size(), 2u);
  EXPECT_FALSE(uk.ds.empty());
  EXPECT_FALSE(z.delegation(N("nosuchtld.")).has_value());
  EXPECT_FALSE(z.delegation(N("nic.uk.")).has_value());
  auto a = z.host(N("a.gtld-servers.net.")).value();
  EXPECT_EQ(a.v4.size(), 1u);
  EXPECT_EQ(a.v6.size(), 1u);
  auto users = z.tlds_using_host(N("a.gtld-servers.net."));
  EXPECT_NE(std::find(users.begin(), users.end(), N("com.")), users.end());
  EXPECT_NE(std::find(users.begin(), users.end(), N("net.")), users.end());
  // The root's own NS set is not a TLD.
  for (const auto& u : z.tlds_using_host(N("a.root-servers.net."))) EXPECT_FALSE(u.is_root());
}

// The zone an authority keeps finds owners by hash (zone-model.md), and keeps doing so
// through applied changes: a delegation added and one removed are found, or not, at once.
TEST(RootZoneTest, KeepsItsOwnersIndexedThroughChanges) {
  RootZone z = default_zone();
  ASSERT_TRUE(z.zone().indexes_owners());
  auto add = ChangeSet::delegate(N("example."),
                                 hosts({{"ns1.nic.example.", {"203.1.113.53"}}, {"ns2.nic.example.", {"198.41.1.53"}}}),
                                 {sample_ds()});
  auto added = z.apply(add, kToday);
  ASSERT_TRUE(added) << rules(added.error());
  EXPECT_NE(z.zone().node(N("example.")), nullptr);
  EXPECT_NE(z.zone().find(N("ns1.nic.example."), rrtype::kA), nullptr);
  auto remove = ChangeSet::revoke(N("example."));
  auto removed = z.apply(remove, kToday);
  ASSERT_TRUE(removed) << rules(removed.error());
  EXPECT_EQ(z.zone().node(N("example.")), nullptr);
  EXPECT_EQ(z.zone().node(N("ns1.nic.example.")), nullptr);  // orphaned glue goes too
  EXPECT_TRUE(z.zone().indexes_owners());
}

TEST(RootZoneTest, FromZoneRefusesWhatIsNoRootZone) {
  auto z = Zone::from_text("example. 3600 IN NS a.example.\n");
  ASSERT_TRUE(z);
  auto r = RootZone::from_zone(*z);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().front().rule, "soa-missing");
  ParseOptions o;
  o.origin = N("example.");
  auto e = Zone::from_text("@ 3600 IN SOA a.example. b.example. 1 2 3 4 5\n", o);
  ASSERT_TRUE(e);
  EXPECT_EQ(RootZone::from_zone(*e).error().front().rule, "not-root");
}

TEST(RootZoneTest, NextSerial) {
  EXPECT_EQ(next_serial(2020090500, day(2024, 3, 15)), 2024031500u);
  EXPECT_EQ(next_serial(2024031500, day(2024, 3, 15)), 2024031501u);
  EXPECT_EQ(next_serial(2024031599, day(2024, 3, 15)), 2024031600u);  // never backwards
  EXPECT_EQ(next_serial(2030010100, day(2024, 3, 15)), 2030010101u);  // a serial from the future
  EXPECT_EQ(next_serial(0, day(1970, 1, 1)), 1970010100u);
}

TEST(RootZoneTest, DelegateAddsTheTldWithGlueAndDs) {
  RootZone z = default_zone();
  auto change = ChangeSet::delegate(N("example."),
                                    hosts({{"ns1.nic.example.", {"203.1.113.53", "2001:4860:1::53"}},
                                           {"ns2.nic.example.", {"198.41.1.53"}},
                                           {"a.gtld-servers.net.", {}}}),
                                    {sample_ds()});
  auto applied = z.apply(change, kToday);
  ASSERT_TRUE(applied) << rules(applied.error());
  EXPECT_EQ(applied->old_serial, 2020090500u);
  EXPECT_EQ(applied->new_serial, 2024031500u);
  EXPECT_EQ(z.soa().serial, 2024031500u);
  EXPECT_EQ(applied->changed_names, (std::set<Name>{Name(), N("example."), N("ns1.nic.example."), N("ns2.nic.example.")}));
  auto d = z.delegation(N("example.")).value();
  EXPECT_EQ(d.ns.size(), 3u);
  ASSERT_EQ(d.ds.size(), 1u);
  EXPECT_EQ(d.ds[0].key_tag, 12345);
  EXPECT_EQ(z.host(N("ns1.nic.example.")).value().v6.size(), 1u);
  auto users = z.tlds_using_host(N("a.gtld-servers.net."));
  EXPECT_NE(std::find(users.begin(), users.end(), N("example.")), users.end());
  EXPECT_FALSE(has_errors(check_zone(z.zone()))) << rules(check_zone(z.zone()));
}

TEST(RootZoneTest, RefusalsLeaveTheZoneUnchanged) {
  RootZone z = default_zone();
  const std::string before = to_text(z.zone());
  struct Case {
    const char* what;
    ChangeSet change;
    const char* rule;
  };
  std::vector<Case> cases = {
      {"ds update of a missing tld", ChangeSet::ds_update(N("nosuch."), {sample_ds()}), "tld-missing"},
      {"ns update of a missing tld", ChangeSet::ns_update(N("nosuch."), hosts({{"a.gtld-servers.net.", {}}, {"b.gtld-servers.net.", {}}})),
       "tld-missing"},
      {"delegate an existing tld", ChangeSet::delegate(N("uk."), hosts({{"a.gtld-servers.net.", {}}, {"b.gtld-servers.net.", {}}}), {}),
       "tld-exists"},
      {"revoke a missing tld", ChangeSet::revoke(N("nosuch.")), "tld-missing"},
      {"not a tld", ChangeSet::ds_update(N("co.uk."), {}), "tld-invalid"},
      {"glue outside the root's tlds",
       ChangeSet::ns_update(N("uk."), hosts({{"ns.example-dns.nosuch.", {"203.1.113.9"}}, {"a.gtld-servers.net.", {}}})),
       "glue-out-of-bailiwick"},
      {"in-bailiwick host without glue", ChangeSet::ns_update(N("uk."), hosts({{"ns9.nic.uk.", {}}, {"a.gtld-servers.net.", {}}})),
       "glue-missing"},
      {"one name server", ChangeSet::ns_update(N("uk."), hosts({{"a.gtld-servers.net.", {}}})), "ns-count"},
      {"private glue", ChangeSet::ns_update(N("uk."), hosts({{"ns9.nic.uk.", {"192.168.1.1"}}, {"a.gtld-servers.net.", {}}})),
       "glue-prohibited"},
      {"bad address", ChangeSet::ns_update(N("uk."), hosts({{"ns9.nic.uk.", {"1.2.3"}}, {"a.gtld-servers.net.", {}}})),
       "glue-address"},
      {"bad ds", ChangeSet::ds_update(N("uk."), {parse_ds_text("1 8 2 ABCD").value()}), "ds-digest-length"},
      {"same address",
       ChangeSet::ns_update(N("uk."), hosts({{"ns8.nic.uk.", {"203.1.113.9"}}, {"ns9.nic.uk.", {"203.1.113.9"}}})),
       "ns-same-address"},
      {"host in use", ChangeSet::revoke(N("net.")), "host-in-use"},
  };
  // A valid operation before the failing one is rolled back with it.
  for (auto& c : cases) {
    SCOPED_TRACE(c.what);
    ChangeSet change = ChangeSet::ds_update(N("de."), {sample_ds()});
    change.operations.insert(change.operations.end(), c.change.operations.begin(), c.change.operations.end());
    Findings checked = z.check(change);
    EXPECT_TRUE(has_rule(checked, c.rule)) << rules(checked);
    auto r = z.apply(change, kToday);
    ASSERT_FALSE(r);
    EXPECT_TRUE(has_rule(r.error(), c.rule)) << rules(r.error());
    EXPECT_EQ(to_text(z.zone()), before);
    EXPECT_EQ(z.soa().serial, 2020090500u);
  }
}

TEST(RootZoneTest, NsUpdateDropsOrphanedGlueAndKeepsSharedGlue) {
  RootZone z = default_zone();
  auto uk = z.delegation(N("uk.")).value();
  ASSERT_FALSE(uk.ns.empty());
  const Name old_host = uk.ns.front();
  ASSERT_TRUE(z.host(old_host).has_value());
  auto applied = z.apply(ChangeSet::ns_update(N("uk."), hosts({{"ns1.nic.uk.", {"156.154.100.3"}},
                                                               {"ns2.nic.uk.", {"156.154.101.3", "2001:502:ad09::3"}},
                                                               {"a.gtld-servers.net.", {}}})),
                         kToday);
  ASSERT_TRUE(applied) << rules(applied.error());
  EXPECT_FALSE(z.host(old_host).has_value()) << "orphaned glue must go";
  EXPECT_TRUE(z.host(N("a.gtld-servers.net.")).has_value()) << "shared glue stays";
  std::set<Name> expected{Name(), N("uk."), N("ns1.nic.uk."), N("ns2.nic.uk.")};
  for (const auto& h : uk.ns) {
    if (z.host(h) || !h.is_subdomain_of(N("uk."))) continue;
    expected.insert(h);  // removed glue is a changed name
  }
  EXPECT_EQ(applied->changed_names, expected);
  EXPECT_FALSE(has_errors(check_zone(z.zone()))) << rules(check_zone(z.zone()));
}

TEST(RootZoneTest, SharedHostGlueChangesForEveryTld) {
  RootZone z = default_zone();
  const Name host = N("a.gtld-servers.net.");
  auto users = z.tlds_using_host(host);
  ASSERT_GE(users.size(), 2u);  // com and net
  auto com = z.delegation(N("com.")).value();
  std::vector<NsHost> ns;
  for (const auto& h : com.ns) ns.push_back({h, h == host ? std::vector<std::string>{"192.5.6.31"} : std::vector<std::string>{}});
  auto applied = z.apply(ChangeSet::ns_update(N("com."), ns), kToday);
  ASSERT_TRUE(applied) << rules(applied.error());
  auto h = z.host(host).value();
  ASSERT_EQ(h.v4.size(), 1u);
  EXPECT_EQ(rdata_to_text(rrtype::kA, h.v4[0]), "192.5.6.31");
  EXPECT_TRUE(h.v6.empty()) << "the addresses given replace both families";
  // com's NS set itself is unchanged: only the host and the apex changed.
  EXPECT_EQ(applied->changed_names, (std::set<Name>{Name(), host}));
  auto net_users = z.tlds_using_host(host);
  EXPECT_NE(std::find(net_users.begin(), net_users.end(), N("net.")), net_users.end());
  EXPECT_EQ(rdata_to_text(rrtype::kA, z.host(host).value().v4[0]), "192.5.6.31") << "net. sees the same glue";
}

TEST(RootZoneTest, SharedHostGlueChangeIsCheckedForTheOtherTlds) {
  RootZone z = default_zone();
  // Give two hosts of net. the same single address through com.: net. then has all its NS on
  // one address only if every host of net. does; make every host of com/net share one address.
  auto com = z.delegation(N("com.")).value();
  std::vector<NsHost> ns;
  for (const auto& h : com.ns) ns.push_back({h, {"192.5.6.30"}});
  auto r = z.apply(ChangeSet::ns_update(N("com."), ns), kToday);
  ASSERT_FALSE(r);
  bool net_named = false;
  for (const auto& f : r.error()) net_named |= f.rule == "ns-same-address" && f.owner == "net.";
  EXPECT_TRUE(net_named) << rules(r.error());
}

TEST(RootZoneTest, DsUpdateAndRemoval) {
  RootZone z = default_zone();
  auto a = z.apply(ChangeSet::ds_update(N("uk."), {sample_ds()}), kToday);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->changed_names, (std::set<Name>{Name(), N("uk.")}));
  EXPECT_EQ(z.delegation(N("uk.")).value().ds.size(), 1u);
  auto b = z.apply(ChangeSet::ds_update(N("uk."), {}), kToday);
  ASSERT_TRUE(b);
  EXPECT_TRUE(z.delegation(N("uk.")).value().ds.empty());
  EXPECT_EQ(z.zone().find(N("uk."), rrtype::kDs), nullptr);
  EXPECT_EQ(b->new_serial, a->new_serial + 1);
}

TEST(RootZoneTest, RevokeRemovesTheSubtreeAndOrphanedGlue) {
  RootZone z = default_zone();
  auto uk = z.delegation(N("uk.")).value();
  auto applied = z.apply(ChangeSet::revoke(N("uk.")), kToday);
  ASSERT_TRUE(applied) << rules(applied.error());
  EXPECT_FALSE(z.delegation(N("uk.")).has_value());
  for (const auto& [name, node] : z.zone().nodes()) EXPECT_FALSE(name.is_subdomain_of(N("uk."))) << name.to_string();
  EXPECT_TRUE(applied->changed_names.contains(N("uk.")));
  for (const auto& h : uk.ns) {
    if (z.tlds_using_host(h).empty()) {
      EXPECT_FALSE(z.host(h).has_value()) << h.to_string();
    }
  }
  EXPECT_FALSE(has_errors(check_zone(z.zone()))) << rules(check_zone(z.zone()));
}

TEST(RootZoneTest, TldCountFollowsDelegationsAndRemovals) {
  RootZone z = default_zone();
  EXPECT_EQ(z.tld_count(), z.tlds().size());
  ASSERT_TRUE(z.apply(ChangeSet::ds_update(N("uk."), {sample_ds()}), kToday));
  EXPECT_EQ(z.tld_count(), 21u);
  auto added = z.apply(ChangeSet::delegate(N("example."), hosts({{"a.gtld-servers.net.", {}}, {"b.gtld-servers.net.", {}}}), {}), kToday);
  ASSERT_TRUE(added) << rules(added.error());
  EXPECT_EQ(z.tld_count(), 22u);
  EXPECT_FALSE(z.apply(ChangeSet::delegate(N("example."), hosts({{"a.gtld-servers.net.", {}}, {"b.gtld-servers.net.", {}}}), {}), kToday));
  EXPECT_EQ(z.tld_count(), 22u);  // a refused change counts nothing
  ASSERT_TRUE(z.apply(ChangeSet::revoke(N("uk.")), kToday));
  EXPECT_EQ(z.tld_count(), 21u);
  EXPECT_EQ(z.tld_count(), z.tlds().size());
}

TEST(RootZoneTest, RootUpdates) {
  RootZone z = default_zone();
  ChangeSet c;
  c.operations.emplace_back(op::SetSoaTimers{{3600, 600, 1209600, 86400}});
  Rdata key("\x01\x01\x03\x08", 4);  // flags 257 (zone key, SEP), protocol 3, RSASHA256
  key += std::string(260, '\x5a');
  c.operations.emplace_back(op::SetDnskeys{{key}});
  auto applied = z.apply(c, kToday);
  ASSERT_TRUE(applied) << rules(applied.error());
  EXPECT_EQ(applied->changed_names, std::set<Name>{Name()});
  EXPECT_EQ(z.soa().refresh, 3600u);
  EXPECT_EQ(z.soa().expire, 1209600u);
  EXPECT_EQ(z.soa().serial, 2024031500u);
  ASSERT_NE(z.zone().find(Name(), rrtype::kDnskey), nullptr);

  ChangeSet bad;
  bad.operations.emplace_back(op::SetSoaTimers{{0, 600, 1209600, 86400}});
  EXPECT_TRUE(has_rule(z.check(bad), "soa-timers"));
  ChangeSet bad_key;
  bad_key.operations.emplace_back(op::SetDnskeys{{Rdata("\x00\x00\x03\x08xyz", 7)}});
  EXPECT_TRUE(has_rule(z.check(bad_key), "dnskey-invalid"));

  // The root NS set: hosts need glue, and glue must be below a TLD of the root.
  auto rn = z.root_ns();
  std::vector<NsHost> ns;
  for (std::size_t i = 0; i + 1 < rn.size(); ++i) ns.push_back({rn[i], {}});
  auto dropped = z.apply(ChangeSet{{op::SetRootNs{ns}}}, kToday);
  ASSERT_TRUE(dropped) << rules(dropped.error());
  EXPECT_EQ(z.root_ns().size(), rn.size() - 1);
  // arpa. still names the dropped root server: its glue stays.
  auto arpa_users = z.tlds_using_host(rn.back());
  EXPECT_EQ(arpa_users, std::vector<Name>{N("arpa.")});
  EXPECT_TRUE(z.host(rn.back()).has_value());
  ns.push_back({N("n.root-servers.nosuch."), {"199.7.83.99"}});
  EXPECT_TRUE(has_rule(z.check(ChangeSet{{op::SetRootNs{ns}}}), "glue-out-of-bailiwick"));
  ns.back() = {N("n.root-servers.net."), {}};
  EXPECT_TRUE(has_rule(z.check(ChangeSet{{op::SetRootNs{ns}}}), "glue-missing"));
}

TEST(RootZoneTest, EmptyChangeAdvancesTheSerialOnly) {
  RootZone z = default_zone();
  std::string before = to_text(z.zone());
  auto a = z.apply(ChangeSet{}, kToday);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->changed_names, std::set<Name>{Name()});
  auto b = z.apply(ChangeSet{}, kToday);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->new_serial, 2024031501u);
  auto c = z.apply(ChangeSet{}, day(2020, 1, 1));  // a clock in the past
  ASSERT_TRUE(c);
  EXPECT_EQ(c->new_serial, 2024031502u);
}

TEST(RootZoneTest, ChangeCostFollowsTheChangeNotTheZone) {
  // A synthetic root zone of 100,000 TLDs; 200 changes must take far less than re-reading it.
  std::string text = ".\t86400\tIN\tSOA\ta.root-servers.net. nstld.verisign-grs.com. 2020090500 1800 900 604800 86400\n"
                     ".\t518400\tIN\tNS\ta.root-servers.net.\n.\t518400\tIN\tNS\tb.root-servers.net.\n"
                     "net.\t172800\tIN\tNS\ta.root-servers.net.\nnet.\t172800\tIN\tNS\tb.root-servers.net.\n"
                     "a.root-servers.net.\t518400\tIN\tA\t198.41.0.4\nb.root-servers.net.\t518400\tIN\tA\t199.9.14.201\n";
  for (int i = 0; i < 100000; ++i) {
    std::string t = "t" + std::to_string(i) + ".";
    text += t + "\t172800\tIN\tNS\tns1.nic." + t + "\n" + t + "\t172800\tIN\tNS\ta.root-servers.net.\n";
    text += "ns1.nic." + t + "\t172800\tIN\tA\t81." + std::to_string(i % 250 + 1) + "." + std::to_string(i / 250 % 250) + ".1\n";
  }
  auto parsed = Zone::from_text(text);
  ASSERT_TRUE(parsed);
  RootZone z = RootZone::from_zone(std::move(*parsed)).value();
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 200; ++i) {
    std::string t = "t" + std::to_string(i * 7) + ".";
    auto r = z.apply(ChangeSet::ds_update(Name::parse(t).value(), {sample_ds()}), kToday);
    ASSERT_TRUE(r) << rules(r.error());
    EXPECT_EQ(r->changed_names.size(), 2u);
  }
  double per_change = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / 200;
  EXPECT_LT(per_change, 0.002) << "a change must not copy or scan the zone";
}

}  // namespace
}  // namespace rootgov::zone
