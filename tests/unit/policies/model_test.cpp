// model_test.cpp - model files are validated at load: every error names the file, the key and
// the problem; unknown keys are errors. One bad file per check, under tests/data/policies/.
#include <rootgov/policies/model.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

#include <gtest/gtest.h>

namespace rootgov::policies {
namespace {

const std::filesystem::path kData = std::filesystem::path(ROOTGOV_TEST_DATA) / "policies";

struct BadFile {
  std::string name;     ///< tests/data/policies/<name>.invalid.toml
  std::string key;      ///< the key path the error names
  std::string problem;  ///< a part of the problem text
};

void PrintTo(const BadFile& f, std::ostream* out) { *out << f.name << " (" << f.key << ": " << f.problem << ")"; }

const std::vector<BadFile>& bad_files() {
  static const std::vector<BadFile> all = {
      {"syntax", "line 14", "not valid toml"},
      {"unknown-top-key", "colour", "unknown key"},
      {"unknown-stage-key", "stage[0].treshold", "unknown key"},
      {"unknown-body-key", "body.ntia.role", "unknown key"},
      {"missing-id", "id", "missing"},
      {"empty-sources", "sources", "names no source"},
      {"unknown-body-ref", "stage[0].bodies[0]", "unknown body 'gic'"},
      {"unknown-rule", "stage[0].rule", "unknown rule 'most'"},
      {"k-missing", "stage[0].k", "needs k"},
      {"k-zero", "stage[0].k", "must be at least 1"},
      {"k-wrong-rule", "stage[0].k", "k-of-n"},
      {"fraction-missing", "stage[0].fraction", "needs fraction"},
      {"fraction-bad", "stage[0].fraction", "'3/2' is not a fraction"},
      {"regional-no-seats", "stage[0].rule", "needs a body with regional_seats"},
      {"min-regions-too-many", "stage[0].min_regions", "asks for 3 regions but the stage's bodies seat only 2"},
      {"unknown-region", "body.gic.regional_seats.atlantis", "unknown region 'atlantis'"},
      {"weights-and-seats", "body.gic.regional_seats", "not both"},
      {"body-selects-nobody", "body.ghost", "selects nobody"},
      {"unknown-dynamic", "body.m.dynamic[0]", "unknown dynamic selector 'tld-owner'"},
      {"bad-duration", "stage[0].timeout", "invalid duration 'fortnight'"},
      {"timeout-without-outcome", "stage[0].on_timeout", "needs on_timeout"},
      {"unknown-timeout-outcome", "stage[0].on_timeout", "unknown timeout outcome 'shrug'"},
      {"unknown-kind", "stage[0].applies_to[0]", "unknown change kind 'ns-change'"},
      {"bad-root-target", "stage[0].applies_to[0]", "unknown root target 'zsk'"},
      {"duplicate-stage", "stage[1].id", "duplicate stage id 'ntia'"},
      {"veto-not-member", "stage[0].veto[0]", "not one of this stage's bodies"},
      {"hold-not-advisory", "stage[0].hold", "advisory stages only"},
      {"advisory-with-rule", "stage[0].rule", "never decides"},
      {"when-objection-unknown", "stage[0].when_objection", "no earlier stage 'gac'"},
      {"split-group", "stage[2].group", "group 'g' is split"},
      {"no-submit", "submit", "nobody may submit"},
      {"no-stage", "stage", "at least one stage"},
      {"wrong-type", "stage[0].bodies", "expected an array of strings, got a string"},
      {"quorum-negative", "stage[0].quorum", "must be at least 0"},
  };
  return all;
}

class BadModelFile : public ::testing::TestWithParam<BadFile> {};

TEST_P(BadModelFile, IsRejectedWithFileKeyAndProblem) {
  const BadFile& bad = GetParam();
  auto path = kData / (bad.name + ".invalid.toml");
  auto checked = check_model_file(path);
  ASSERT_FALSE(checked.has_value()) << path;
  EXPECT_EQ(checked.error().code, Errc::check_failed);
  std::string expected_prefix = path.string() + ": " + bad.key + ": ";
  const std::string& message = checked.error().message;
  EXPECT_NE(message.find(expected_prefix), std::string::npos) << message;
  EXPECT_NE(message.find(bad.problem), std::string::npos) << message;
  // The same errors, structured.
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto parsed = parse_model(text, path.string());
  ASSERT_FALSE(parsed.has_value());
  bool found = false;
  for (const auto& e : parsed.error()) {
    EXPECT_EQ(e.file, path.string());
    if (e.key == bad.key && e.problem.find(bad.problem) != std::string::npos) found = true;
  }
  EXPECT_TRUE(found) << message;
}

INSTANTIATE_TEST_SUITE_P(EachCheck, BadModelFile, ::testing::ValuesIn(bad_files()),
                         [](const ::testing::TestParamInfo<BadFile>& param) {
                           std::string out;
                           for (char c : param.param.name) out += (c == '-') ? '_' : c;
                           return out;
                         });

TEST(BadModelFiles, EveryInvalidFileHasATest) {
  std::set<std::string> listed;
  for (const auto& b : bad_files()) listed.insert(b.name + ".invalid.toml");
  std::size_t seen = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kData)) {
    std::string name = entry.path().filename().string();
    if (name.ends_with(".invalid.toml")) {
      ++seen;
      EXPECT_TRUE(listed.contains(name)) << name << " has no test";
    }
  }
  EXPECT_EQ(seen, listed.size());
}

TEST(ModelFile, ValidMinimalModelLoads) {
  auto model = read_model_file(kData / "minimal.valid.toml");
  ASSERT_TRUE(model.has_value()) << model.error().message;
  EXPECT_EQ(model->id, "minimal");
  ASSERT_EQ(model->stages.size(), 1u);
  EXPECT_EQ(model->stages[0].rule.kind, RuleKind::all);
  EXPECT_TRUE(check_model_file(kData / "minimal.valid.toml").has_value());
}

TEST(ModelFile, UnreadableFileIsAnIoError) {
  auto missing = check_model_file(kData / "no-such-model.toml");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, Errc::io);
  EXPECT_NE(missing.error().message.find("no-such-model.toml"), std::string::npos);
  auto directory = check_model_file(kData);
  ASSERT_FALSE(directory.has_value());
  EXPECT_EQ(directory.error().code, Errc::io);
}

TEST(ModelFile, ReportsEveryErrorNotJustTheFirst) {
  auto parsed = parse_model(R"(
id = "Bad Id"
title = ""
sources = ["x"]
wobble = 1
[body.a]
name = "A"
roles = ["ntia"]
[[submit]]
bodies = ["nope"]
[[stage]]
id = "s"
name = "S"
bodies = ["a"]
rule = "k-of-n"
)",
                            "many.toml");
  ASSERT_FALSE(parsed.has_value());
  std::set<std::string> keys;
  for (const auto& e : parsed.error()) keys.insert(e.key);
  EXPECT_TRUE(keys.contains("id"));
  EXPECT_TRUE(keys.contains("title"));
  EXPECT_TRUE(keys.contains("wobble"));
  EXPECT_TRUE(keys.contains("submit[0].bodies[0]"));
  EXPECT_TRUE(keys.contains("stage[0].k"));
  for (const auto& e : parsed.error()) {
    EXPECT_EQ(e.to_string().rfind("many.toml: ", 0), 0u) << e.to_string();
    // STYLE.md: lowercase, no final period.
    ASSERT_FALSE(e.problem.empty());
    EXPECT_FALSE(e.problem.back() == '.') << e.problem;
    EXPECT_FALSE(e.problem[0] >= 'A' && e.problem[0] <= 'Z') << e.problem;
  }
}

TEST(ModelFile, ScopeStrings) {
  auto parsed = parse_model(R"(
id = "scopes"
title = "scopes"
sources = ["x"]
[body.a]
name = "A"
roles = ["ntia"]
[[submit]]
applies_to = ["transfer:cc", "root-update:dnskey", "delegate"]
bodies = ["a"]
[[stage]]
id = "s"
name = "S"
applies_to = ["ns-update:g"]
bodies = ["a"]
rule = "all"
)",
                            "scopes.toml");
  ASSERT_TRUE(parsed.has_value()) << parsed.error().front().to_string();
  ASSERT_EQ(parsed->submit[0].applies_to.size(), 3u);
  EXPECT_EQ(parsed->submit[0].applies_to[0].to_string(), "transfer:cc");
  EXPECT_EQ(parsed->submit[0].applies_to[1].to_string(), "root-update:dnskey");
  EXPECT_EQ(parsed->submit[0].applies_to[2].to_string(), "delegate");
  EXPECT_EQ(parsed->stages[0].applies_to[0].to_string(), "ns-update:g");
}

}  // namespace
}  // namespace rootgov::policies
