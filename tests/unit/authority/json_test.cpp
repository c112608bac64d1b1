#include <rootgov/authority/json.hpp>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "../../authority/src/json_util.hpp"

namespace rootgov::authority {
namespace {

std::string canon(std::string_view text) {
  auto r = canonicalize_json(text);
  EXPECT_TRUE(r.has_value()) << text << ": " << (r ? "" : r.error().message);
  return r ? *r : std::string();
}

TEST(CanonicalJson, SortsKeysAndDropsWhitespace) {
  EXPECT_EQ(canon(R"( { "b" : 1 , "a" : [ true , false , null ] } )"), R"({"a":[true,false,null],"b":1})");
  EXPECT_EQ(canon(R"({"z":{"y":2,"x":1},"a":"s"})"), R"({"a":"s","z":{"x":1,"y":2}})");
  EXPECT_EQ(canon("[]"), "[]");
  EXPECT_EQ(canon("{}"), "{}");
  EXPECT_EQ(canon("\"x\""), "\"x\"");
  EXPECT_EQ(canon("-0"), "0");
  EXPECT_EQ(canon("18446744073709551615"), "18446744073709551615");
  EXPECT_EQ(canon("-9223372036854775808"), "-9223372036854775808");
}

TEST(CanonicalJson, MinimalEscaping) {
  // RFC 8785 3.2.2.2: only '"', '\\' and controls are escaped; '/', DEL and non-ASCII are literal.
  EXPECT_EQ(canon(R"("\u0041\/\u00e9\u20ac\ud83d\ude00")"), "\"A/\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\"");
  EXPECT_EQ(canon(R"("\b\t\n\f\r\"\\")"), R"("\b\t\n\f\r\"\\")");
  EXPECT_EQ(canon(R"("\u0001\u001f\u007f")"), "\"\\u0001\\u001f\x7f\"");
}

// The byte-at-a-time rule append_json_string() implements (RFC 8785 3.2.2.2), as the reference
// for its word-at-a-time scan.
std::string escaped_slowly(std::string_view s) {
  // RFC 8259 section 7's two-character escapes, then \u00XX for the other controls.
  const std::map<unsigned char, std::string> named = {{'"', "\\\""}, {'\\', "\\\\"}, {'\b', "\\b"},
                                                      {'\t', "\\t"}, {'\n', "\\n"}, {'\f', "\\f"}, {'\r', "\\r"}};
  std::string out = "\"";
  for (unsigned char u : s) {
    if (auto it = named.find(u); it != named.end()) {
      out += it->second;
    } else if (u < 0x20) {
      out += fmt::format("\\u{:04x}", u);
    } else {
      out.push_back(static_cast<char>(u));
    }
  }
  return out + "\"";
}

TEST(CanonicalJson, EscapesEveryByteWhereverItFallsInAWord) {
  // Each byte value at each position of strings of 1..24 bytes (the scan reads 8 at a time), in
  // a run of plain text and next to bytes that sit close to the escaped ones ('!' = '"' + 1,
  // ']' = '\\' + 1, 0x1f/0x20, 0x7f, 0x80, 0xff): the same bytes as the byte-at-a-time rule.
  const std::string fillers[] = {"abcdefgh", "!]!]!]!]", std::string("\x20\x7f\x80\xff\x21\x5d\x5b\x23", 8)};
  for (const auto& filler : fillers) {
    for (std::size_t len = 1; len <= 24; ++len) {
      std::string base;
      for (std::size_t i = 0; i < len; ++i) base.push_back(filler[i % filler.size()]);
      for (std::size_t pos = 0; pos < len; ++pos) {
        for (int b = 0; b < 256; ++b) {
          std::string s = base;
          s[pos] = static_cast<char>(b);
          std::string got;
          detail::append_json_string(got, s);
          ASSERT_EQ(got, escaped_slowly(s)) << "byte " << b << " at " << pos << " of " << len;
        }
      }
    }
  }
  std::mt19937 rng(7);
  for (int k = 0; k < 2000; ++k) {
    std::string s(rng() % 100, '\0');
    for (auto& c : s) c = static_cast<char>(rng() % 4 == 0 ? rng() % 0x24 : 0x20 + rng() % 0xe0);
    std::string got = "prefix";
    detail::append_json_string(got, s);
    ASSERT_EQ(got, "prefix" + escaped_slowly(s));
  }
}

TEST(CanonicalJson, SortsByUtf16CodeUnits) {
  // U+1F600 (surrogates D83D DE00) sorts before U+FB01 in UTF-16, after it in UTF-8 bytes.
  std::string text = "{\"\xEF\xAC\x81\":1,\"\xF0\x9F\x98\x80\":2,\"a\":3}";
  EXPECT_EQ(canon(text), "{\"a\":3,\"\xF0\x9F\x98\x80\":2,\"\xEF\xAC\x81\":1}");
}

TEST(CanonicalJson, Rfc8785SortingExample) {
  // The member names of RFC 8785 section 3.2.3's sorting example, in the order it gives.
  std::string text =
      "{\"\\u20ac\":\"Euro Sign\",\"\\r\":\"Carriage Return\",\"\\ufb33\":\"Hebrew Letter Dalet With Dagesh\","
      "\"1\":\"One\",\"\\ud83d\\ude00\":\"Emoji: Grinning Face\",\"\\u0080\":\"Control\","
      "\"\\u00f6\":\"Latin Small Letter O With Diaeresis\"}";
  std::string expected =
      "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\xC2\x80\":\"Control\","
      "\"\xC3\xB6\":\"Latin Small Letter O With Diaeresis\",\"\xE2\x82\xAC\":\"Euro Sign\","
      "\"\xF0\x9F\x98\x80\":\"Emoji: Grinning Face\",\"\xEF\xAC\xB3\":\"Hebrew Letter Dalet With Dagesh\"}";
  EXPECT_EQ(canon(text), expected);
}

TEST(CanonicalJson, IsIdempotentAndOrderIndependent) {
  std::string a = canon(R"({"seq":7,"actor":"gov.br","body":{"tld":"br","ns":["a.dns.br","b.dns.br"]}})");
  std::string b = canon(R"({"body":{"ns":["a.dns.br","b.dns.br"],"tld":"br"},"seq":7,"actor":"gov.br"})");
  EXPECT_EQ(a, b);
  EXPECT_EQ(canon(a), a);
}

// An entry written with a member given as canonical bytes (a document's wire form) is exactly
// the entry built as a Json value and written out: the member lands at its sorted place, first,
// between two others or last, and names outside ASCII are ordered by UTF-16 code units.
TEST(CanonicalJson, AMemberGivenAsCanonicalBytesIsWrittenInItsPlace) {
  const Json object = Json::parse(R"({"event":"submitted","index":7,"prev":"ab\"c","request":"R#1"})").value();
  const std::string value = R"({"document":{"actor":"x","seq":1},"signature":"AAAA+/=="})";
  for (std::string key : {"affected", "document", "j", "zzz", "event2", "\xEF\xAC\x81", "\xF0\x9F\x98\x80"}) {
    SCOPED_TRACE(key);
    Json whole = object;
    whole[key] = Json::parse(value).value();
    EXPECT_EQ(detail::canonical_with_member(object, key, value), whole.canonical());
  }
  const Json empty(Json::Object{});
  EXPECT_EQ(detail::canonical_with_member(empty, "a", "[1,2]"), R"({"a":[1,2]})");
  const Json unicode = Json::parse("{\"\xEF\xAC\x81\":1,\"b\":2}").value();
  Json whole = unicode;
  whole["\xF0\x9F\x98\x80"] = Json(3);
  EXPECT_EQ(detail::canonical_with_member(unicode, "\xF0\x9F\x98\x80", "3"), whole.canonical());
}

TEST(CanonicalJson, RefusesFloatsDuplicatesAndJunk) {
  for (const char* bad : {"1.0", "1e3", "[0.5]", R"({"a":1,"a":2})", "", "{", "[1,]", "{\"a\":1} x", "// c\n1",
                          "\"\xFF\"", "NaN", "01"}) {
    auto r = Json::parse(bad);
    EXPECT_FALSE(r.has_value()) << bad;
    if (!r) {
      EXPECT_EQ(r.error().code, Errc::invalid_input);
    }
  }
  auto dup = Json::parse(R"({"a":1,"a":2})");
  ASSERT_FALSE(dup);
  EXPECT_NE(dup.error().message.find("duplicate member name \"a\""), std::string::npos) << dup.error().message;
}

TEST(CanonicalJson, EnforcesLimits) {
  std::string deep(100, '[');
  deep += std::string(100, ']');
  EXPECT_FALSE(Json::parse(deep));
  Json::Limits small;
  small.max_bytes = 4;
  EXPECT_FALSE(Json::parse("[1,2,3]", small));
}

TEST(Json, BuildsAndReads) {
  Json j;
  j["seq"] = Json(std::uint64_t{42});
  j["name"] = Json("gov.br");
  j["list"] = Json(Json::Array{Json(1), Json(true), Json(nullptr)});
  EXPECT_EQ(j.canonical(), R"({"list":[1,true,null],"name":"gov.br","seq":42})");
  EXPECT_EQ(j.find("seq")->as_uint64(), 42U);
  EXPECT_EQ(*j.find("name")->as_string(), "gov.br");
  EXPECT_EQ(j.find("missing"), nullptr);
  EXPECT_FALSE(j.find("name")->as_int64());
  EXPECT_EQ(Json(std::uint64_t{5}), Json(5));
  auto parsed = Json::parse(j.canonical());
  ASSERT_TRUE(parsed);
  EXPECT_EQ(*parsed, j);
}

/// A random value: nested objects and arrays, integers at the edges, strings with controls,
/// quotes, and multi-byte characters.
Json random_value(std::mt19937_64& rng, int depth) {
  static const std::vector<std::string> kPieces = {
      "a", "Z", "\"", "\\", "\n", std::string(1, '\0'), "\x1f", "/", "\x7f", "\xC3\xA9", "\xE2\x82\xAC",
      "\xF0\x9F\x98\x80", "\xEF\xAC\x81", "\xE2\x80\xA8", " "};
  auto text = [&] {
    std::string out;
    for (auto n = rng() % 6; n > 0; --n) out += kPieces[rng() % kPieces.size()];
    return out;
  };
  switch (depth > 3 ? rng() % 4 : rng() % 6) {
    case 0: return Json(nullptr);
    case 1: return Json(rng() % 2 == 0);
    case 2: {
      static const std::int64_t kEdges[] = {0, -1, 1, INT64_MIN, INT64_MAX, 9007199254740993LL};
      return rng() % 2 == 0 ? Json(kEdges[rng() % 6]) : Json(static_cast<std::int64_t>(rng()));
    }
    case 3: return rng() % 5 == 0 ? Json(std::uint64_t{18446744073709551615ULL}) : Json(text());
    case 4: {
      Json::Array a;
      for (auto n = rng() % 4; n > 0; --n) a.push_back(random_value(rng, depth + 1));
      return Json(std::move(a));
    }
    default: {
      Json::Object o;
      for (auto n = rng() % 5; n > 0; --n) o.insert_or_assign(text(), random_value(rng, depth + 1));
      return Json(std::move(o));
    }
  }
}

TEST(CanonicalJson, RandomValuesRoundTrip) {
  const std::uint64_t seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  for (int i = 0; i < 2000; ++i) {
    Json v = random_value(rng, 0);
    std::string bytes = v.canonical();
    auto parsed = Json::parse(bytes);
    ASSERT_TRUE(parsed) << bytes << ": " << parsed.error().message;
    ASSERT_EQ(*parsed, v) << bytes;
    ASSERT_EQ(parsed->canonical(), bytes);
    for (unsigned char c : bytes) ASSERT_FALSE(c == '\n' || c == '\r' || c == '\t') << "raw control in " << bytes;
  }
}

}  // namespace
}  // namespace rootgov::authority
