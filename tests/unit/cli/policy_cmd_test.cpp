// policy_cmd_test.cpp - 'rootgov policy list|show|graph|check' through the command parser.
#include "commands.hpp"

#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

namespace rootgov::cli {
namespace {

struct CliRun {
  int code = 0;
  std::string out;
  std::string error;
};

/// Runs `rootgov policy ...` as main() would, capturing stdout.
CliRun run(std::vector<std::string> args) {
  CLI::App app{"rootgov"};
  app.require_subcommand(1);
  register_policy_commands(app);
  args.insert(args.begin(), "rootgov");
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  std::ostringstream captured;
  auto* old = std::cout.rdbuf(captured.rdbuf());
  CliRun r;
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::ParseError& e) {
    r.code = e.get_exit_code() == 0 ? kExitOk : kExitUsage;
  } catch (const ExitError& e) {
    r.code = e.code;
    r.error = e.what();
  }
  std::cout.rdbuf(old);
  r.out = captured.str();
  return r;
}

const std::string kData = std::string(ROOTGOV_TEST_DATA) + "/policies/";

TEST(PolicyCommand, ListShowsTheSevenModels) {
  CliRun r = run({"policy", "list"});
  EXPECT_EQ(r.code, kExitOk);
  for (const char* id : {"us-status-quo", "gic", "gac-model2", "iic", "wicann", "tunis-2005", "pti-2016"}) {
    EXPECT_NE(r.out.find(id), std::string::npos) << id;
  }
}

TEST(PolicyCommand, ListJson) {
  CliRun r = run({"policy", "list", "--json"});
  ASSERT_EQ(r.code, kExitOk);
  auto value = boost::json::parse(r.out);
  const auto& models = value.as_object().at("models").as_array();
  ASSERT_GE(models.size(), 7u);
  const auto& first = models[0].as_object();
  EXPECT_EQ(first.at("id").as_string(), "gac-model2");
  EXPECT_FALSE(first.at("title").as_string().empty());
  EXPECT_FALSE(first.at("sources").as_array().empty());
}

TEST(PolicyCommand, ShowByIdAndByPath) {
  CliRun r = run({"policy", "show", "iic"});
  EXPECT_EQ(r.code, kExitOk);
  EXPECT_NE(r.out.find("Sources:"), std::string::npos);
  EXPECT_NE(r.out.find("IIC authorization"), std::string::npos);
  CliRun f = run({"policy", "show", kData + "minimal.valid.toml"});
  EXPECT_EQ(f.code, kExitOk);
  EXPECT_NE(f.out.find("minimal - minimal test model"), std::string::npos) << f.out;
  CliRun unknown = run({"policy", "show", "model-9"});
  EXPECT_EQ(unknown.code, kExitUsage);
  EXPECT_NE(unknown.error.find("no model 'model-9'"), std::string::npos);
}

TEST(PolicyCommand, GraphIsDot) {
  CliRun r = run({"policy", "graph", "pti-2016"});
  EXPECT_EQ(r.code, kExitOk);
  EXPECT_EQ(r.out.rfind("digraph \"pti-2016\" {", 0), 0u);
}

TEST(PolicyCommand, CheckExitCodes) {
  CliRun ok = run({"policy", "check", kData + "minimal.valid.toml"});
  EXPECT_EQ(ok.code, kExitOk);
  EXPECT_NE(ok.out.find("valid model 'minimal'"), std::string::npos);

  std::string bad = kData + "k-missing.invalid.toml";
  CliRun invalid = run({"policy", "check", bad});
  EXPECT_EQ(invalid.code, kExitCheckFailed);
  EXPECT_NE(invalid.out.find(bad + ": stage[0].k: missing"), std::string::npos) << invalid.out;

  CliRun unreadable = run({"policy", "check", kData + "no-such-file.toml"});
  EXPECT_EQ(unreadable.code, kExitUsage);
  EXPECT_NE(unreadable.error.find("cannot read"), std::string::npos);

  CliRun usage = run({"policy", "check"});
  EXPECT_EQ(usage.code, kExitUsage);
}

}  // namespace
}  // namespace rootgov::cli
