// tests/unit/zone/verify_test.cpp - the verifier against the real 2020 root zone's own signatures.
#include <rootgov/zone/verify.hpp>

#include <gtest/gtest.h>

#include <filesystem>

#include <rootgov/zone/zone.hpp>

namespace rootgov::zone {
namespace {

const std::filesystem::path kRootZone = std::filesystem::path(ROOTGOV_TEST_DATA) / "root-2020090500.zone";
constexpr std::uint32_t k20200910 = 1599696000;  // 2020-09-10T00:00:00Z
constexpr std::uint32_t k20201001 = 1601510400;  // 2020-10-01T00:00:00Z

const Zone& root() {
  static const Zone zone = Zone::from_file(kRootZone).value();
  return zone;
}

std::size_t count_rule(const Findings& f, const std::string& rule) {
  return static_cast<std::size_t>(std::count_if(f.begin(), f.end(), [&](const Finding& x) { return x.rule == rule; }));
}

TEST(VerifyTest, RealRootZoneVerifiesInsideItsValidity) {
  auto findings = verify_zone(root(), {k20200910, 0});
  for (const auto& f : findings) ADD_FAILURE() << format_finding(f, "root");
  EXPECT_TRUE(findings.empty());
}

TEST(VerifyTest, RealRootZoneExpiresAfterItsValidity) {
  auto findings = verify_zone(root(), {k20201001, 0});
  EXPECT_GT(count_rule(findings, "rrsig-expired"), 1000u);
  EXPECT_GT(count_rule(findings, "rrsig-missing"), 1000u);
}

TEST(VerifyTest, FlippedByteFails) {
  Zone zone = root();
  RRset* ds = zone.find(Name::parse("uk.").value(), rrtype::kDs);
  ASSERT_NE(ds, nullptr);
  ds->rdatas[0][6] = static_cast<char>(ds->rdatas[0][6] ^ 0x10);
  auto findings = verify_zone(zone, {k20200910, 2});
  ASSERT_EQ(count_rule(findings, "rrsig-invalid"), 1u);
  EXPECT_EQ(count_rule(findings, "rrsig-missing"), 1u);
  EXPECT_EQ(findings[0].owner, "uk.");

  Zone zone2 = root();
  RRset* soa = zone2.find(Name(), rrtype::kSoa);
  soa->rrsigs[0].back() = static_cast<char>(soa->rrsigs[0].back() ^ 1);
  EXPECT_EQ(count_rule(verify_zone(zone2, {k20200910, 1}), "rrsig-invalid"), 1u);
}

TEST(VerifyTest, BrokenNsecChainIsReported) {
  Zone zone = root();
  ASSERT_TRUE(zone.remove(Name::parse("uk.").value(), rrtype::kNsec));
  auto findings = verify_zone(zone, {k20200910, 0});
  EXPECT_EQ(count_rule(findings, "nsec-missing"), 1u);

  Zone zone2 = root();
  zone2.add(Name::parse("zz.").value(), rrtype::kNs, 172800, make_name_rdata(Name::parse("ns.example.").value()));
  auto f2 = verify_zone(zone2, {k20200910, 0});
  EXPECT_EQ(count_rule(f2, "nsec-missing"), 1u);  // zz. itself
  EXPECT_EQ(count_rule(f2, "nsec-next"), 1u);     // its predecessor points past it
}

TEST(VerifyTest, UnsignedZoneHasNoKeys) {
  Zone zone = root();
  zone.strip_dnssec(false);
  auto findings = verify_zone(zone, {k20200910, 0});
  EXPECT_EQ(count_rule(findings, "dnskey-missing"), 1u);
  EXPECT_GT(count_rule(findings, "nsec-missing"), 1000u);
}

}  // namespace
}  // namespace rootgov::zone
