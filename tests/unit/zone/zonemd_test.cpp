// tests/unit/zone/zonemd_test.cpp - RFC 8976 digests against the RFC's own example.
#include <rootgov/zone/zonemd.hpp>

#include <gtest/gtest.h>

namespace rootgov::zone {
namespace {

// RFC 8976 appendix A.1, "Simple EXAMPLE Zone".
constexpr const char* kRfcExample = R"(
example.      86400  IN  SOA     ns1 admin 2018031900 (
                                 1800 900 604800 86400 )
              86400  IN  NS      ns1
              86400  IN  NS      ns2
              86400  IN  ZONEMD  2018031900 1 1 (
                                 c68090d90a7aed71
                                 6bc459f9340e3d7c
                                 1370d4d24b7e2fc3
                                 a1ddc0b9a87153b9
                                 a9713b3c9ae5cc27
                                 777f98b8e730044c )
ns1           3600   IN  A       203.0.113.63
ns2           3600   IN  AAAA    2001:db8::63
)";

Zone example() {
  ParseOptions o;
  o.origin = Name::parse("example.").value();
  auto z = Zone::from_text(kRfcExample, o);
  EXPECT_TRUE(z);
  return *z;
}

TEST(ZonemdTest, MatchesTheRfc8976Example) {
  Zone zone = example();
  const RRset* z = zone.find(zone.origin(), rrtype::kZonemd);
  ASSERT_NE(z, nullptr);
  EXPECT_EQ(zonemd_digest(zone), z->rdatas[0].substr(6));
  EXPECT_TRUE(verify_zonemd(zone).empty());
}

TEST(ZonemdTest, DetectsChangedContentAndSerial) {
  Zone zone = example();
  zone.add(Name::parse("ns3.example.").value(), rrtype::kA, 3600, address_from_text("203.0.113.64").value());
  auto f = verify_zonemd(zone);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].rule, "zonemd-mismatch");

  Zone zone2 = example();
  RRset soa = *zone2.find(zone2.origin(), rrtype::kSoa);
  auto data = parse_soa(soa.rdatas[0]).value();
  data.serial += 1;
  soa.rdatas = {make_soa(data)};
  zone2.put(soa);
  auto g = verify_zonemd(zone2);
  ASSERT_EQ(g.size(), 1u);
  EXPECT_EQ(g[0].rule, "zonemd-serial");
}

TEST(ZonemdTest, NoZonemdNoFindingsAndUnsupportedHashWarns) {
  Zone zone = example();
  zone.remove(zone.origin(), rrtype::kZonemd);
  EXPECT_TRUE(verify_zonemd(zone).empty());
  zone.add(zone.origin(), rrtype::kZonemd, 86400, make_zonemd(2018031900, 1, 240, std::string(48, 'x')));
  auto f = verify_zonemd(zone);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::warning);
}

}  // namespace
}  // namespace rootgov::zone
