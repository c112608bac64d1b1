// tests/unit/zone/parse_fast_test.cpp - the in-memory master-file fast path equals the ldns reader.
#include <rootgov/zone/zone.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace rootgov::zone {
namespace {

const std::filesystem::path kRootZone = std::filesystem::path(ROOTGOV_TEST_DATA) / "root-2020090500.zone";

std::string read_all(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A non-ASCII octet in an unquoted token makes the fast path hand the whole text to the ldns
// stream reader (the reference); the probe record is removed before comparing.
constexpr const char* kProbe = "\n$ORIGIN .\nrootgov-fallback-probe. 60 IN TXT \xc3\xa9\n";

Zone reference(const std::string& text, const ParseOptions& o) {
  auto parsed = Zone::from_text(text + kProbe, o);
  if (!parsed) {
    for (const auto& f : parsed.error()) ADD_FAILURE() << format_finding(f, "reference");
    return Zone();
  }
  Zone z = std::move(*parsed);
  EXPECT_TRUE(z.remove_node(Name::parse("rootgov-fallback-probe.").value()) || !o.origin.is_root());
  return z;
}

TEST(ParseFastTest, RootZoneEqualsReferenceReader) {
  std::string text = read_all(kRootZone);
  for (bool keep : {true, false}) {
    ParseOptions o;
    o.keep_dnssec = keep;
    auto fast = Zone::from_text(text, o);
    ASSERT_TRUE(fast);
    Zone ref = reference(text, o);
    EXPECT_TRUE(*fast == ref);
    EXPECT_EQ(to_text(*fast), to_text(ref));
  }
}

TEST(ParseFastTest, DirectivesRelativeNamesAndParenthesesEqualReference) {
  std::string text = R"($ORIGIN example.
$TTL 3600
@   IN SOA ns1 admin.example. ( 2020090500 ; serial
        1800 900 604800 86400 )
    IN NS ns1
    7200 IN NS ns2.Example.
ns1 300 IN A 192.0.2.1
ns2 AAAA 2001:DB8::1
sub 60 IN DS 12345 8 2 ( 4FEDE294C53F438A158C41D39489CD78
                          A86BEB0D8A0AEAFF14745FA54F3A2D1F )
sub NS ns.sub
ns.sub A 192.0.2.9
txt TXT "a b; c" "d"
$ORIGIN sub.example.
www 1h CNAME @
key DNSKEY 257 3 13 GF1HtwZAv0dblUh9FXoAYSfcdlHabdW1VDCJrvG9PGiHC0FZE5YQO+4yCQTZm73ENl2ofPM6F6SW3NzSB/9U7w==
)";
  ParseOptions o;  // root origin so that the probe record is in the zone
  auto fast = Zone::from_text(text, o);
  if (!fast) {
    for (const auto& f : fast.error()) ADD_FAILURE() << format_finding(f, "text");
  }
  ASSERT_TRUE(fast);
  Zone ref = reference(text, o);
  EXPECT_EQ(to_text(*fast), to_text(ref));
  EXPECT_TRUE(*fast == ref);
  EXPECT_NE(fast->find(Name::parse("www.sub.example.").value(), rrtype::kCname), nullptr);
}

TEST(ParseFastTest, BadInputStillGetsTheReferenceFindings) {
  // Class before TTL: the reference reader rejects it, so the fast path must too.
  auto order = Zone::from_text("example. 3600 IN A 192.0.2.1\nexample. IN 300 A 192.0.2.2\n");
  ASSERT_FALSE(order);
  EXPECT_EQ(order.error().at(0).line, 2u);
  auto z = Zone::from_text("example. 3600 IN A 192.0.2.1\nexample. 3600 IN A 999.1.2.3\n");
  ASSERT_FALSE(z);
  EXPECT_EQ(z.error().at(0).line, 2u);
  EXPECT_EQ(z.error().at(0).rule, "parse");
}

}  // namespace
}  // namespace rootgov::zone
