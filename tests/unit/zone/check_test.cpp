// tests/unit/zone/check_test.cpp - the technical checks, rule by rule.
#include <rootgov/zone/check.hpp>

#include <gtest/gtest.h>

#include <filesystem>

namespace rootgov::zone {
namespace {

Name N(const char* s) { return Name::parse(s).value(); }
Rdata A(const char* s) { return address_from_text(s).value(); }
const std::filesystem::path kRootZone = std::filesystem::path(ROOTGOV_TEST_DATA) / "root-2020090500.zone";

std::string listing(const Findings& f) {
  std::string s;
  for (const auto& x : f) s += format_finding(x, "zone") + "\n";
  return s;
}

TEST(CheckTest, RealRootZoneHasNoErrors) {
  static const Zone zone = Zone::from_file(kRootZone).value();
  Findings f = check_zone(zone);
  EXPECT_FALSE(has_errors(f)) << listing(f);
  // Inside the signatures' validity the DNSSEC rules pass too.
  CheckOptions o;
  o.now = 1599350400;  // 2020-09-06
  Findings g = check_zone(zone, o);
  EXPECT_FALSE(has_errors(g)) << listing(g);
  // After their expiry they do not.
  o.now = 1700000000;
  Findings h = check_zone(zone, o);
  EXPECT_TRUE(has_errors(h));
  EXPECT_TRUE(std::any_of(h.begin(), h.end(), [](const Finding& x) { return x.rule == "rrsig-expired"; }));
}

TEST(CheckTest, ProhibitedRanges) {
  for (const char* bad : {"10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.0.1", "127.0.0.1", "169.254.1.1", "224.0.0.1",
                          "239.255.255.255", "240.0.0.1", "255.255.255.255", "0.1.2.3", "100.64.0.1", "100.127.255.255",
                          "192.88.99.1", "192.0.2.1", "198.51.100.1", "203.0.113.1", "198.18.0.1", "192.0.0.8", "::",
                          "::1", "::ffff:1.2.3.4", "fc00::1", "fdff::1", "fe80::1", "febf::1", "ff02::1", "2001:db8::1",
                          "2002:c000:204::1", "2001:0:4136:e378::1", "64:ff9b::1.2.3.4", "3fff::1", "fec0::1"}) {
    EXPECT_TRUE(prohibited_range(A(bad)).has_value()) << bad;
  }
  for (const char* ok : {"198.41.0.4", "192.5.6.30", "100.63.255.255", "100.128.0.0", "172.15.255.255", "172.32.0.0",
                         "192.88.98.255", "192.0.3.1", "2001:503:ba3e::2:30", "2001:500:2f::f", "2a01:8840::53",
                         "2001:dc3::35", "2620:0:2d0:200::10"}) {
    EXPECT_FALSE(prohibited_range(A(ok)).has_value()) << ok << ": " << prohibited_range(A(ok)).value_or("");
  }
  EXPECT_TRUE(prohibited_range(Rdata("abc")).has_value());
  EXPECT_EQ(*prohibited_range(A("100.64.1.1")), "100.64.0.0/10 (shared address space, RFC 6598)");
}

TEST(CheckTest, DsDigestLengths) {
  EXPECT_EQ(ds_digest_length(1), 20u);
  EXPECT_EQ(ds_digest_length(2), 32u);
  EXPECT_EQ(ds_digest_length(3), 32u);
  EXPECT_EQ(ds_digest_length(4), 48u);
  EXPECT_FALSE(ds_digest_length(0));
  EXPECT_FALSE(ds_digest_length(7));
}

TEST(CheckTest, ReferralSizeCompressesNames) {
  // Header 12 + 255-octet name + 4; each NS: owner pointer 2 + 10 + target.
  std::vector<Name> one{N("a.nic.uk.")};
  // First target "a.nic" then a pointer to "uk." inside the query name: 2 + 4 + 2 = 8 octets.
  EXPECT_EQ(referral_size(N("uk."), one, false, false), 12u + 255 + 4 + 2 + 10 + 8);
  std::vector<Name> two{N("a.nic.uk."), N("b.nic.uk.")};
  // The second target: "b" then a pointer to "nic.uk.": 2 + 2 = 4 octets.
  EXPECT_EQ(referral_size(N("uk."), two, false, false), 12u + 255 + 4 + (2 + 10 + 8) + (2 + 10 + 4));
  // Glue: owner pointer 2 + 10 + RDATA.
  EXPECT_EQ(referral_size(N("uk."), two, true, true), referral_size(N("uk."), two, false, false) + (2 + 10 + 4) + (2 + 10 + 16));
  // The real root's com. referral (13 gtld-servers.net names) fits without glue, not with it.
  std::vector<Name> com;
  for (char c = 'a'; c <= 'm'; ++c) com.push_back(N((std::string(1, c) + ".gtld-servers.net.").c_str()));
  EXPECT_EQ(referral_size(N("com."), com, false, false), 495u);
  EXPECT_EQ(referral_size(N("com."), com, true, true), 539u);
}

TEST(CheckTest, CollectsEveryFindingWithLines) {
  const char* text =
      ".\t86400\tIN\tSOA\ta.root-servers.net. nstld.verisign-grs.com. 1 1800 900 604800 86400\n"  // 1
      ".\t518400\tIN\tNS\ta.root-servers.net.\n"                                                       // 2
      "net.\t172800\tIN\tNS\ta.root-servers.net.\n"                                                    // 3
      "net.\t172800\tIN\tNS\tb.root-servers.net.\n"                                                    // 4
      "a.root-servers.net.\t518400\tIN\tA\t198.41.0.4\n"                                              // 5
      "b.root-servers.net.\t518400\tIN\tA\t10.0.0.1\n"                                                // 6
      "uk.\t172800\tIN\tNS\tns1.nic.uk.\n"                                                             // 7
      "uk.\t86400\tIN\tDS\t1 99 9 ABCD\n"                                                              // 8
      "uk.\t86400\tIN\tTXT\t\"x\"\n";                                                                  // 9
  auto zone = Zone::from_text(text);
  ASSERT_TRUE(zone);
  Findings f = check_zone(*zone);
  auto has = [&](const char* rule, std::uint32_t line) {
    return std::any_of(f.begin(), f.end(), [&](const Finding& x) { return x.rule == rule && x.line == line; });
  };
  EXPECT_TRUE(has("ns-count", 2)) << listing(f);  // the apex has one NS
  EXPECT_TRUE(has("glue-prohibited", 6)) << listing(f);
  EXPECT_TRUE(has("ns-count", 7)) << listing(f);
  EXPECT_TRUE(has("glue-missing", 7)) << listing(f);
  EXPECT_TRUE(has("ds-algorithm", 8)) << listing(f);
  EXPECT_TRUE(has("ds-digest-type", 8)) << listing(f);
  EXPECT_TRUE(has("data-at-delegation", 9)) << listing(f);
  for (const auto& x : f) {
    EXPECT_FALSE(x.message.empty());
    EXPECT_NE(x.message.back(), '.') << x.message;
  }
}

TEST(CheckTest, CheckDelegationUsesProposedGlue) {
  auto zone = Zone::from_text(
      ".\t86400\tIN\tSOA\ta.root-servers.net. nstld.verisign-grs.com. 1 1800 900 604800 86400\n"
      ".\t518400\tIN\tNS\ta.root-servers.net.\n.\t518400\tIN\tNS\tb.root-servers.net.\n"
      "net.\t172800\tIN\tNS\ta.root-servers.net.\nnet.\t172800\tIN\tNS\tb.root-servers.net.\n"
      "a.root-servers.net.\t518400\tIN\tA\t198.41.0.4\nb.root-servers.net.\t518400\tIN\tA\t199.9.14.201\n");
  RootZone root = RootZone::from_zone(zone.value()).value();
  Delegation d;
  d.tld = N("example.");
  d.ns = {N("ns1.nic.example."), N("a.root-servers.net.")};
  Findings missing = check_delegation(root, d, {});
  EXPECT_TRUE(std::any_of(missing.begin(), missing.end(), [](const Finding& x) { return x.rule == "glue-missing"; }));
  Findings ok = check_delegation(root, d, {Host{N("ns1.nic.example."), {A("203.1.113.7")}, {}, 172800}});
  EXPECT_FALSE(has_errors(ok)) << listing(ok);
  Findings same = check_delegation(root, d, {Host{N("ns1.nic.example."), {A("198.41.0.4")}, {}, 172800}});
  EXPECT_TRUE(std::any_of(same.begin(), same.end(), [](const Finding& x) { return x.rule == "ns-same-address"; }));
  d.ds = {DsData{1, 8, 1, std::string(20, 'x')}, DsData{1, 7, 2, std::string(32, 'x')}};
  Findings ds = check_delegation(root, d, {Host{N("ns1.nic.example."), {A("203.1.113.7")}, {}, 172800}});
  EXPECT_FALSE(has_errors(ds)) << listing(ds);  // algorithm 7 is only a warning
  EXPECT_TRUE(std::any_of(ds.begin(), ds.end(), [](const Finding& x) { return x.rule == "ds-algorithm" && x.severity == Severity::warning; }));
}

TEST(CheckTest, RefineParseFindingsNamesNameErrors) {
  auto z = Zone::from_text(std::string(64, 'a') + ". 3600 IN A 198.41.0.4\n");
  ASSERT_FALSE(z);
  Findings f = z.error();
  refine_parse_findings(f, std::string(64, 'a') + ". 3600 IN A 198.41.0.4\n");
  EXPECT_EQ(f.front().rule, "name-invalid") << listing(f);
  EXPECT_EQ(f.front().line, 1u);
  EXPECT_NE(f.front().message.find("a label of 64 octets"), std::string::npos) << f.front().message;
  std::string long_ns = "uk. 3600 IN NS " + std::string(62, 'b') + "." + std::string(62, 'b') + "." + std::string(62, 'b') + "." +
                        std::string(62, 'b') + ".uk.\n";
  auto n = Zone::from_text(". 3600 IN SOA a. b. 1 2 3 4 5\n" + long_ns);
  ASSERT_FALSE(n);
  Findings nf = n.error();
  refine_parse_findings(nf, ". 3600 IN SOA a. b. 1 2 3 4 5\n" + long_ns);
  EXPECT_EQ(nf.front().rule, "name-invalid") << listing(nf);
  EXPECT_EQ(nf.front().line, 2u);
  auto g = Zone::from_text("uk. 3600 IN A 1.2.3\n");
  ASSERT_FALSE(g);
  Findings h = g.error();
  refine_parse_findings(h, "uk. 3600 IN A 1.2.3\n");
  EXPECT_EQ(h.front().rule, "parse");
}

}  // namespace
}  // namespace rootgov::zone
