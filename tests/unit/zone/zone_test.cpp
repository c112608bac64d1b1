// tests/unit/zone/zone_test.cpp - parsing, storage and canonical output.
#include <rootgov/zone/zone.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <random>

namespace rootgov::zone {
namespace {

const std::filesystem::path kRootZone = std::filesystem::path(ROOTGOV_TEST_DATA) / "root-2020090500.zone";

TEST(NameTest, ParsesAbsoluteRelativeAndEscapes) {
  auto a = Name::parse("Example.COM.");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->to_string(), "example.com.");
  auto origin = Name::parse("org.").value();
  auto b = Name::parse("www", origin);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->to_string(), "www.org.");
  auto c = Name::parse("a\\.b.test.");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->label_count(), 2u);
  EXPECT_EQ(c->to_string(), "a\\.b.test.");
  auto d = Name::parse("\\065bc.");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->to_string(), "abc.");
}

TEST(NameTest, RejectsLongLabelsAndNames) {
  EXPECT_FALSE(Name::parse(std::string(64, 'a') + "."));
  EXPECT_TRUE(Name::parse(std::string(63, 'a') + "."));
  std::string longname;
  for (int i = 0; i < 5; ++i) longname += std::string(60, 'b') + ".";
  EXPECT_FALSE(Name::parse(longname));
  EXPECT_FALSE(Name::parse("a..b."));
  EXPECT_FALSE(Name::parse(""));
}

TEST(NameTest, CanonicalOrderFollowsRfc4034) {
  // The example ordering of RFC 4034 section 6.1.
  std::vector<std::string> expected = {"example.", "a.example.", "yljkjljk.a.example.", "z.a.example.",
                                       "zabc.a.example.", "z.example.", "\\001.z.example.", "*.z.example.",
                                       "\\200.z.example."};
  std::vector<Name> names;
  for (auto it = expected.rbegin(); it != expected.rend(); ++it) names.push_back(Name::parse(*it).value());
  std::sort(names.begin(), names.end());
  std::vector<std::string> got;
  for (const auto& n : names) got.push_back(n.to_string());
  EXPECT_EQ(got, expected);
}

TEST(NameTest, CanonicalOrderAgreesWithLabelByLabelComparison) {
  // RFC 4034 section 6.1 spelled out: compare the labels from the rightmost, each as a string of
  // octets (names are kept in lowercase), a missing label sorting first. Random names of 0-3
  // labels over a small alphabet, so that equal labels, prefixes and equal lengths are common.
  auto reference = [](const Name& a, const Name& b) {
    std::size_t i = a.label_count();
    std::size_t j = b.label_count();
    while (i > 0 && j > 0) {
      --i;
      --j;
      if (auto c = std::string(a.label(i)) <=> std::string(b.label(j)); c != 0) return c;
    }
    return i == 0 && j == 0 ? std::strong_ordering::equal
                            : (i == 0 ? std::strong_ordering::less : std::strong_ordering::greater);
  };
  std::mt19937 rng(4034);
  auto random_name = [&] {
    std::string text;
    for (std::size_t n = rng() % 4, k = 0; k < n; ++k) {
      std::size_t len = 1 + rng() % 3;
      for (std::size_t c = 0; c < len; ++c) text.push_back("ab-"[rng() % 3]);
      text.push_back('.');
    }
    return Name::parse(text.empty() ? "." : text).value();
  };
  for (int round = 0; round < 20000; ++round) {
    Name a = random_name();
    Name b = random_name();
    ASSERT_EQ(a <=> b, reference(a, b)) << a.to_string() << " vs " << b.to_string();
    ASSERT_EQ(b <=> a, reference(b, a)) << b.to_string() << " vs " << a.to_string();
  }
}

TEST(NameTest, SubdomainAndParent) {
  auto n = Name::parse("a.nic.uk.").value();
  EXPECT_TRUE(n.is_subdomain_of(Name::parse("uk.").value()));
  EXPECT_TRUE(n.is_subdomain_of(Name()));
  EXPECT_FALSE(n.is_subdomain_of(Name::parse("k.").value()));
  EXPECT_EQ(n.parent().to_string(), "nic.uk.");
  EXPECT_EQ(n.suffix(1).to_string(), "uk.");
  EXPECT_EQ(n.tld_label(), "uk");
  EXPECT_TRUE(is_hostname(n));
  EXPECT_FALSE(is_hostname(Name::parse("a_b.uk.").value()));
}

TEST(ZoneTest, ParsesDirectivesRelativeNamesAndMultiLineRecords) {
  const char* text =
      "$ORIGIN .\n"
      "$TTL 3600\n"
      "@ IN SOA a.root-servers.net. nstld.verisign-grs.com. (\n"
      "    2020090500 ; serial\n"
      "    1800 900 604800 86400 )\n"
      "@ 518400 IN NS a.root-servers.net.\n"
      "$ORIGIN example.\n"
      "@ IN NS ns1\n"
      "ns1 IN A 192.0.2.1 ; glue\n";
  auto zone = Zone::from_text(text);
  ASSERT_TRUE(zone) << format_finding(zone.error().front(), "text");
  const RRset* ns = zone->find(Name::parse("example.").value(), rrtype::kNs);
  ASSERT_NE(ns, nullptr);
  EXPECT_EQ(ns->ttl, 3600u);
  EXPECT_EQ(rdata_to_text(rrtype::kNs, ns->rdatas.at(0)), "ns1.example.");
  const RRset* soa = zone->find(Name(), rrtype::kSoa);
  ASSERT_NE(soa, nullptr);
  auto s = parse_soa(soa->rdatas.at(0));
  ASSERT_TRUE(s);
  EXPECT_EQ(s->serial, 2020090500u);
  EXPECT_EQ(s->minimum, 86400u);
}

TEST(ZoneTest, ReportsEveryBadLineWithItsNumber) {
  const char* text =
      ". 86400 IN SOA a. b. 1 2 3 4 5\n"
      "bad. 86400 IN A 300.1.1.1\n"
      "ok. 86400 IN NS a.ok.\n"
      "worse. IN FOO bar\n";
  auto zone = Zone::from_text(text);
  ASSERT_FALSE(zone);
  ASSERT_GE(zone.error().size(), 2u);
  EXPECT_EQ(zone.error()[0].line, 2u);
  EXPECT_EQ(zone.error()[0].rule, "parse");
  EXPECT_EQ(zone.error()[1].line, 4u);
}

TEST(ZoneTest, RealRootZoneLoadsAndRoundTrips) {
  auto zone = Zone::from_file(kRootZone);
  ASSERT_TRUE(zone) << format_finding(zone.error().front(), kRootZone.string());
  std::size_t tlds = 0;
  for (const auto& [name, node] : zone->nodes()) {
    if (name.label_count() == 1 && node.find(rrtype::kNs) != nullptr) ++tlds;
  }
  // 1,509 delegations; with the root's own NS set, 1,510 NS owners (the data README's count).
  EXPECT_EQ(tlds, 1509u);
  const RRset* dnskey = zone->find(Name(), rrtype::kDnskey);
  ASSERT_NE(dnskey, nullptr);
  EXPECT_FALSE(dnskey->rrsigs.empty());
  std::string text = to_text(*zone);
  auto again = Zone::from_text(text);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *zone);
  EXPECT_EQ(to_text(*again), text);
}

TEST(ZoneTest, StripDnssecRemovesSignaturesAndChain) {
  auto zone = Zone::from_file(kRootZone).value();
  std::size_t before = zone.record_count();
  zone.strip_dnssec(/*keep_dnskey=*/false);
  EXPECT_LT(zone.record_count(), before);
  for (const auto& [name, node] : zone.nodes()) {
    for (const auto& set : node.rrsets) {
      EXPECT_TRUE(set.rrsigs.empty());
      EXPECT_NE(set.type, rrtype::kNsec);
      EXPECT_NE(set.type, rrtype::kDnskey);
    }
  }
}

// The snapshot's zone text: what stripping a copy and printing it gives, without the copy.
TEST(ZoneTest, UnsignedTextEqualsTheTextOfAStrippedCopy) {
  const auto zone = Zone::from_file(kRootZone).value();
  Zone stripped = zone;
  stripped.strip_dnssec(/*keep_dnskey=*/true);
  const std::string text = to_text_unsigned(zone);
  EXPECT_EQ(text, to_text(stripped));
  EXPECT_EQ(text.find("\tRRSIG\t"), std::string::npos);
  EXPECT_EQ(text.find("\tNSEC\t"), std::string::npos);
  EXPECT_NE(text.find("\tDNSKEY\t"), std::string::npos);
  EXPECT_NE(text.find("\tDS\t"), std::string::npos);
  EXPECT_LT(text.size(), to_text(zone).size() / 2);
}

// Every owner an indexed zone can be asked about: node() must give what the ordered map holds
// (the same node, by address, or nothing), in this zone and not in the one it was copied from.
void expect_index_agrees(const Zone& zone, const std::vector<Name>& names) {
  ASSERT_TRUE(zone.indexes_owners());
  for (const auto& n : names) {
    auto it = zone.nodes().find(n);
    const Node* want = it == zone.nodes().end() ? nullptr : &it->second;
    ASSERT_EQ(zone.node(n), want) << n.to_string();
    if (want != nullptr) {
      ASSERT_EQ(zone.find(n, want->rrsets.front().type), &want->rrsets.front()) << n.to_string();
    }
  }
}

TEST(ZoneTest, OwnerIndexFollowsEveryChange) {
  auto zone = Zone::from_file(kRootZone).value();
  zone.index_owners();
  std::vector<Name> names;
  for (const auto& [name, node] : zone.nodes()) names.push_back(name);
  for (int i = 0; i < 40; ++i) names.push_back(Name::parse("new" + std::to_string(i) + ".").value());
  expect_index_agrees(zone, names);

  const Rdata ns = rdata_from_text(rrtype::kNs, "ns.example.").value();
  const Rdata txt = rdata_from_text(rrtype::kTxt, "\"x\"").value();
  std::mt19937 rng(11);
  for (int step = 0; step < 150; ++step) {
    const Name& n = names[rng() % names.size()];
    switch (rng() % 5) {
      case 0: zone.add(n, rrtype::kNs, 172800, ns); break;
      case 1: zone.put(RRset{n, rrtype::kTxt, 3600, {txt}, {}}); break;
      case 2: zone.remove(n, rrtype::kNs); break;  // the node goes when its last set does
      case 3: zone.remove_node(n); break;
      default: zone.put(RRset{n, rrtype::kTxt, 3600, {}, {}}); break;  // no RDATA: removes
    }
    expect_index_agrees(zone, names);
  }
  zone.strip_dnssec(/*keep_dnskey=*/false);  // drops the nodes that held only NSEC and RRSIGs
  expect_index_agrees(zone, names);

  const Zone copy = zone;  // its index views its own nodes
  expect_index_agrees(copy, names);
  EXPECT_EQ(copy, zone);
  Zone plain = Zone::from_file(kRootZone).value();
  Zone indexed = plain;
  indexed.index_owners();
  EXPECT_FALSE(plain.indexes_owners());
  EXPECT_EQ(plain, indexed);  // equality is about the data only
  Zone moved = std::move(zone);
  expect_index_agrees(moved, names);

  // A parse merged into an indexed zone indexes the nodes it brings.
  Zone extra = Zone::from_text("new1. 3600 IN TXT \"y\"\n" + names[5].to_string() + " 3600 IN TXT \"z\"\n").value();
  EXPECT_TRUE(moved.merge(std::move(extra)));
  expect_index_agrees(moved, names);
  EXPECT_NE(moved.find(Name::parse("new1.").value(), rrtype::kTxt), nullptr);
}

}  // namespace
}  // namespace rootgov::zone
