// tests/unit/zone/zone_golden_test.cpp - every tests/data/zone/<case>.<expected>.zone file gets
// its expected outcome, from the library and from the `rootgov zone check` binary.
#include <rootgov/zone/check.hpp>

#include <gtest/gtest.h>

#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <rootgov/zone/embedded.hpp>
#include <rootgov/zone/zone.hpp>

namespace rootgov::zone {
namespace {

namespace fs = std::filesystem;
const fs::path kGoldenDir = fs::path(ROOTGOV_TEST_DATA) / "zone";
const fs::path kBinary = fs::path(ROOTGOV_BINARY_DIR) / "cli" / "rootgov";

struct Outcome {
  std::string expected;  // valid | invalid | unparsable
  std::set<std::string> rules;
};

std::vector<fs::path> golden_files() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(kGoldenDir)) {
    if (e.path().extension() == ".zone") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// "<case>.<expected>.zone"; the rules from the first line "; expect: RULE [RULE...]" ("none"
// for valid files). An empty file cannot say, so it is named here.
Outcome expected_outcome(const fs::path& file) {
  Outcome o;
  o.expected = file.stem().extension().string().substr(1);
  std::ifstream in(file, std::ios::binary);
  std::string first;
  std::getline(in, first);
  if (first.starts_with("; expect:")) {
    std::istringstream words(first.substr(9));
    for (std::string w; words >> w;) {
      if (w != "none") o.rules.insert(w);
    }
  } else if (file.filename() == "empty.invalid.zone") {
    o.rules = {"soa-missing", "ns-count"};
  }
  return o;
}

struct Actual {
  std::string outcome;
  Findings findings;
};

Actual run_library(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto zone = Zone::from_text(text);
  if (!zone) {
    Findings f = zone.error();
    refine_parse_findings(f, text);
    return {"unparsable", f};
  }
  Findings f = check_zone(*zone);
  return {has_errors(f) ? "invalid" : "valid", f};
}

int run_cli(const std::string& args, std::string* output = nullptr) {
  std::string cmd = kBinary.string() + " " + args + " 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return -1;
  std::string text;
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) text.append(buf, n);
  int status = pclose(p);
  if (output != nullptr) *output = text;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(ZoneGoldenTest, FolderHoldsEveryOutcome) {
  std::set<std::string> kinds;
  for (const auto& f : golden_files()) kinds.insert(expected_outcome(f).expected);
  EXPECT_EQ(kinds, (std::set<std::string>{"invalid", "unparsable", "valid"}));
  EXPECT_GE(golden_files().size(), 30u);
}

TEST(ZoneGoldenTest, EveryFileHasItsOutcomeAndRules) {
  for (const auto& file : golden_files()) {
    SCOPED_TRACE(file.filename().string());
    Outcome want = expected_outcome(file);
    ASSERT_TRUE(want.expected == "valid" || want.expected == "invalid" || want.expected == "unparsable");
    Actual got = run_library(file);
    std::string listing;
    for (const auto& f : got.findings) listing += format_finding(f, file.filename().string()) + "\n";
    EXPECT_EQ(got.outcome, want.expected) << listing;
    if (want.expected == "valid") continue;
    ASSERT_FALSE(want.rules.empty()) << "the first line must name the expected rule: '; expect: RULE'";
    std::set<std::string> error_rules;
    for (const auto& f : got.findings) {
      if (f.severity != Severity::error) continue;
      error_rules.insert(f.rule);
      EXPECT_TRUE(want.rules.contains(f.rule)) << "unexpected error rule " << f.rule << "\n" << listing;
      EXPECT_FALSE(f.message.empty());
      bool absent_record = f.rule == "soa-missing" || f.message.find("has no NS records") != std::string::npos;
      if (!absent_record) {
        EXPECT_NE(f.line, 0u) << "finding without a line: " << f.message;
      }
    }
    for (const auto& r : want.rules) EXPECT_TRUE(error_rules.contains(r)) << "missing rule " << r << "\n" << listing;
  }
}

TEST(ZoneGoldenTest, CliExitCodesFollowTheOutcome) {
  ASSERT_TRUE(fs::exists(kBinary)) << "build the 'rootgov' target first: " << kBinary;
  for (const auto& file : golden_files()) {
    SCOPED_TRACE(file.filename().string());
    Outcome want = expected_outcome(file);
    std::string out;
    int code = run_cli("zone check '" + file.string() + "'", &out);
    int expected_code = want.expected == "valid" ? 0 : want.expected == "invalid" ? 1 : 2;
    EXPECT_EQ(code, expected_code) << out;
    for (const auto& r : want.rules) EXPECT_NE(out.find(": error: " + r + ": "), std::string::npos) << out;
    code = run_cli("zone check --json '" + file.string() + "'", &out);
    EXPECT_EQ(code, expected_code);
    EXPECT_TRUE(out.starts_with("[")) << out;
  }
  EXPECT_EQ(run_cli("zone check /nonexistent/zone/file"), 2);
  EXPECT_EQ(run_cli("zone check"), 2);
}

TEST(ZoneGoldenTest, FindingsFormat) {
  ASSERT_TRUE(fs::exists(kBinary));
  std::string out;
  fs::path file = kGoldenDir / "glue-private.invalid.zone";
  EXPECT_EQ(run_cli("zone check '" + file.string() + "'", &out), 1);
  // FILE:LINE: error: RULE: message, with the line of the offending glue record.
  EXPECT_NE(out.find(file.string() + ":22: error: glue-prohibited: glue address 10.53.0.2 of 'nsb.nic.uk.' is in "
                                     "10.0.0.0/8 (private use, RFC 1918)"),
            std::string::npos)
      << out;
}

TEST(ZoneGoldenTest, EmbeddedDefaultZoneIsCleanAndMatchesTheExample) {
  std::ifstream in(fs::path(ROOTGOV_SOURCE_DIR) / "examples" / "default" / "root.zone", std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(embedded_default_root_zone(), text);
  auto zone = Zone::from_text(embedded_default_root_zone());
  ASSERT_TRUE(zone);
  Findings f = check_zone(*zone);
  for (const auto& x : f) {
    if (x.severity == Severity::error) ADD_FAILURE() << format_finding(x, "default");
  }
  auto root = RootZone::from_zone(*zone);
  ASSERT_TRUE(root);
  EXPECT_GE(root->tlds().size(), 20u);
  ASSERT_TRUE(fs::exists(kBinary));
  EXPECT_EQ(run_cli("zone check --default"), 0);
  EXPECT_EQ(run_cli("zone check -"), 0);
}

// Never a crash or a hang: whatever the bytes, parsing ends with a zone or findings.
TEST(ZoneGoldenTest, HostileInputEndsWithFindings) {
  std::mt19937 rng(12345);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int round = 0; round < 20; ++round) {
    std::string text(static_cast<std::size_t>(1 + round * 997), '\0');
    for (auto& c : text) c = static_cast<char>(byte(rng));
    auto z = Zone::from_text(text);
    if (z) (void)check_zone(*z);
  }
  std::string soa = ".\t86400\tIN\tSOA\ta.root-servers.net. nstld.verisign-grs.com. 1 1800 900 604800 86400\n";
  // A 1 MB line.
  std::string huge = soa + "uk. 172800 IN NS " + std::string(1 << 20, 'a') + "\n";
  auto z1 = Zone::from_text(huge);
  ASSERT_FALSE(z1);
  Findings f1 = z1.error();
  refine_parse_findings(f1, huge);
  EXPECT_EQ(f1.front().rule, "name-invalid");
  // Absurd label lengths through escapes, and a TTL beyond 32 bits.
  for (const std::string& bad : std::vector<std::string>{std::string(300, 'x') + ". 1 IN A 1.2.3.4\n",
                                                          "uk. 99999999999999999999 IN NS a.nic.uk.\n",
                                                          "uk. 1 IN NS " + std::string(200, '.') + "\n",
                                                          "\\300\\300. 1 IN A 1.2.3.4\n"}) {
    auto z = Zone::from_text(soa + bad);
    if (z) {
      (void)check_zone(*z);
    } else {
      EXPECT_FALSE(z.error().empty());
    }
  }
  std::string many;
  for (int i = 0; i < 5000; ++i) many += "garbage line " + std::to_string(i) + " ((\n";
  auto z2 = Zone::from_text(soa + many);
  EXPECT_FALSE(z2);
}

}  // namespace
}  // namespace rootgov::zone
