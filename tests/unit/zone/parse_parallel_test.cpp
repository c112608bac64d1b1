// tests/unit/zone/parse_parallel_test.cpp - master files cut into stretches parsed on several
// threads give the one-thread parse: same records, TTLs, RRSIGs and source lines.
#include <rootgov/zone/zone.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace rootgov::zone {
namespace {

const std::filesystem::path kRootZone = std::filesystem::path(ROOTGOV_TEST_DATA) / "root-2020090500.zone";

std::string read_all(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Equal zones (operator== leaves lines out) and equal first-record lines per RRset.
void expect_same(const Zone& a, const Zone& b, const std::string& what) {
  ASSERT_TRUE(a == b) << what;
  auto ib = b.nodes().begin();
  for (const auto& [name, node] : a.nodes()) {
    for (std::size_t i = 0; i < node.rrsets.size(); ++i) {
      ASSERT_EQ(node.rrsets[i].line, ib->second.rrsets[i].line) << what << ": " << name.to_string();
    }
    ++ib;
  }
}

Zone parse(const std::string& text, unsigned threads, bool keep_dnssec = true) {
  ParseOptions o;
  o.threads = threads;
  o.keep_dnssec = keep_dnssec;
  auto z = Zone::from_text(text, o);
  if (!z) {
    for (const auto& f : z.error()) ADD_FAILURE() << format_finding(f, "text");
    return Zone();
  }
  return std::move(*z);
}

TEST(ParseParallelTest, RootZoneOnSeveralThreadsEqualsOneThread) {
  std::string text = read_all(kRootZone);  // 1.3 MB: up to 10 stretches
  for (bool keep : {true, false}) {
    Zone one = parse(text, 1, keep);
    for (unsigned t : {2u, 3u, 8u}) expect_same(one, parse(text, t, keep), "threads " + std::to_string(t));
  }
}

// A block that puts every construct the cut has to respect on a few lines: directives, relative
// and blank owners, default TTLs, a parenthesized record whose second line starts in column 0
// (a cut there lands inside the record), one RRset spread over the whole file with differing
// TTLs, RRSIGs far from the RRset they cover, and a "$TTL" line that is TXT data inside
// parentheses (the guessed directive state of the next stretch is then wrong and is corrected).
std::string block(int i) {
  std::string n = std::to_string(i);
  std::string out;
  if (i % 50 == 0) out += "$ORIGIN o" + std::to_string(i / 50) + ".\n";
  if (i % 7 == 0) out += "$TTL " + std::to_string(300 + i % 11) + "\n";
  out += "a" + n + " IN A 192.0.2." + std::to_string(i % 250) + "\n";
  out += "   IN AAAA 2001:db8::" + std::to_string(i % 9999) + "\n";
  out += "b" + n + " 3600 IN MX ( 10\nmx" + n + ".example. )\n";
  out += "; comment " + n + "\n";
  out += "shared. " + std::to_string(1000 + i % 3) + " IN NS ns" + n + ".example.\n";
  if (i % 13 == 0) {
    out += "shared. 1000 IN RRSIG NS 8 1 1000 20201001000000 20200901000000 " + std::to_string(i) + " . AAAA\n";
  }
  out += "c" + n + "   IN TXT \"x y\" \"z" + n + "\"\n";
  if (i % 17 == 0) out += "t" + n + " 60 IN TXT (\n$TTL 5\n)\n";
  return out;
}

TEST(ParseParallelTest, CutsAnywhereInTrickyTextGiveTheOneThreadParse) {
  std::string body;
  for (int i = 0; body.size() < 600 * 1024; ++i) body += block(i);
  // Shift the text by 0..~block size so that the cuts fall on every kind of line.
  for (std::size_t pad = 0; pad < 240; pad += 12) {
    std::string text = "$TTL 86400\n" + std::string(pad, ';') + "\n" + body;
    Zone one = parse(text, 1);
    ASSERT_FALSE(one.nodes().empty());
    for (unsigned t : {2u, 4u}) expect_same(one, parse(text, t), "pad " + std::to_string(pad) + ", threads " + std::to_string(t));
  }
  Zone z = parse("$TTL 86400\n" + body, 4);
  const RRset* shared = z.find(Name::parse("shared.").value(), rrtype::kNs);
  ASSERT_NE(shared, nullptr);
  EXPECT_EQ(shared->ttl, 1000u);
  EXPECT_EQ(shared->line, 9u);  // after $TTL, $ORIGIN, $TTL, A, AAAA, MX (two lines), comment
  EXPECT_GT(shared->rrsigs.size(), 10u);
  const RRset* txt = z.find(Name::parse("t0.o0.").value(), rrtype::kTxt);
  ASSERT_NE(txt, nullptr);
  EXPECT_EQ(rdata_to_text(rrtype::kTxt, txt->rdatas.at(0)), "\"$TTL\" \"5\"");
}

TEST(ParseParallelTest, BadInputInALaterStretchGetsTheOneThreadFindings) {
  std::string body;
  for (int i = 0; body.size() < 400 * 1024; ++i) body += block(i);
  std::string text = body + "bad. IN A 300.1.2.3\n" + body;
  ParseOptions o1;
  o1.threads = 1;
  ParseOptions o4;
  o4.threads = 4;
  auto one = Zone::from_text(text, o1);
  auto four = Zone::from_text(text, o4);
  ASSERT_FALSE(one);
  ASSERT_FALSE(four);
  ASSERT_EQ(one.error().size(), four.error().size());
  for (std::size_t i = 0; i < one.error().size(); ++i) {
    EXPECT_EQ(format_finding(one.error()[i], "f"), format_finding(four.error()[i], "f"));
  }
}

}  // namespace
}  // namespace rootgov::zone
