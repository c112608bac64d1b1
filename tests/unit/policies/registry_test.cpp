// registry_test.cpp - built-in models, plugins by id, models by path, DOT graphs.
#include <rootgov/policies/registry.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>

#include <gtest/gtest.h>

#include <rootgov/policies/engine.hpp>

#include "policy_test_util.hpp"

namespace rootgov::policies::testing {
namespace {

const std::filesystem::path kModels = std::filesystem::path(ROOTGOV_SOURCE_DIR) / "policies" / "models";

TEST(Builtins, TheSevenModelsLoadAndMatchTheirFiles) {
  std::vector<std::string> ids;
  for (const auto& m : builtin_models()) ids.push_back(m.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"gac-model2", "gic", "iic", "pti-2016", "tunis-2005", "us-status-quo", "wicann"}));
  for (const auto& id : ids) {
    auto path = kModels / (id + ".toml");
    std::ifstream in(path);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto embedded = builtin_model_text(id);
    ASSERT_TRUE(embedded.has_value());
    EXPECT_EQ(*embedded, text) << id << ": the embedded copy differs from " << path;
    EXPECT_TRUE(check_model_file(path).has_value()) << id;
  }
}

TEST(Builtins, EveryModelCitesDomainMdAndTheOriginalDocuments) {
  for (const auto& m : builtin_models()) {
    ASSERT_FALSE(m.sources.empty()) << m.id;
    EXPECT_EQ(m.sources.front().rfind("DOMAIN.md ", 0), 0u) << m.id;
    auto text = builtin_model_text(m.id);
    EXPECT_EQ(text->rfind("# " + m.id + ":", 0), 0u) << m.id << " must start with its sources";
    EXPECT_NE(text->find("# Sources"), std::string_view::npos) << m.id;
  }
}

TEST(Builtins, EveryModelNeedsThreeOfSevenCryptoOfficersForAKskChange) {
  for (const auto& m : builtin_models()) {
    auto spec = load_model_spec(m.id);
    ASSERT_TRUE(spec.has_value());
    RequestView ksk = request(ChangeKind::root_update, "", "iana", {}, RootTarget::dnskey);
    RequestView root_ns = request(ChangeKind::root_update, "", "iana", {}, RootTarget::root_ns);
    int ksk_stages = 0;
    for (const auto& s : spec->stages) {
      if (s.rule.kind == RuleKind::k_of_n && s.rule.k == 3 && !s.advisory && in_scope(s.applies_to, ksk)) {
        ++ksk_stages;
        EXPECT_FALSE(in_scope(s.applies_to, root_ns)) << m.id;
        std::size_t n = 0;
        for (const auto& b : s.bodies) n += members_of(*spec->body(b), ksk, test_registry()).size();
        EXPECT_EQ(n, 7u) << m.id;
      }
    }
    EXPECT_EQ(ksk_stages, 1) << m.id;
  }
}

TEST(LoadPolicy, ByIdByPathAndUnknown) {
  auto builtin = load_policy("gic");
  ASSERT_TRUE(builtin.has_value());
  EXPECT_EQ((*builtin)->id(), "gic");
  EXPECT_NE((*builtin)->title().find("Global Internet Council"), std::string::npos);

  std::string path = std::string(ROOTGOV_TEST_DATA) + "/policies/minimal.valid.toml";
  auto file = load_policy(path);
  ASSERT_TRUE(file.has_value()) << file.error().message;
  EXPECT_EQ((*file)->id(), path);

  auto unknown = load_policy("model-5");
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().code, Errc::not_found);
  EXPECT_NE(unknown.error().message.find("no model 'model-5'"), std::string::npos);
  EXPECT_NE(unknown.error().message.find("us-status-quo"), std::string::npos);

  auto invalid = load_policy(std::string(ROOTGOV_TEST_DATA) + "/policies/k-missing.invalid.toml");
  ASSERT_FALSE(invalid.has_value());
  EXPECT_EQ(invalid.error().code, Errc::check_failed);
  auto missing = load_policy("/nonexistent/model.toml");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, Errc::io);
}

TEST(LoadPolicy, AModelFileCarriesItsTextAndIsRebuiltFromIt) {
  // What a "reconfigured" log entry records: the id and, for a model file, its text.
  std::string path = std::string(ROOTGOV_TEST_DATA) + "/policies/minimal.valid.toml";
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto file = load_policy(path);
  ASSERT_TRUE(file.has_value()) << file.error().message;
  EXPECT_EQ((*file)->definition(), text);
  EXPECT_EQ(load_policy("gic").value()->definition(), "") << "a built-in model is named by its id";

  auto rebuilt = policy_from_record("/gone/model.toml", text);  // the file is not read
  ASSERT_TRUE(rebuilt.has_value()) << rebuilt.error().message;
  EXPECT_EQ((*rebuilt)->id(), "/gone/model.toml");
  EXPECT_EQ((*rebuilt)->definition(), text);
  EXPECT_EQ(policy_graph(**rebuilt), policy_graph(path).value());
  auto builtin = policy_from_record("gic", "");
  ASSERT_TRUE(builtin.has_value());
  EXPECT_EQ((*builtin)->id(), "gic");
  auto invalid = policy_from_record("x.toml", "not = [valid");
  ASSERT_FALSE(invalid.has_value());
  EXPECT_EQ(invalid.error().code, Errc::check_failed);
}

class FixedPolicy final : public authority::Policy {
 public:
  std::string id() const override { return "always-yes"; }
  std::string title() const override { return "approves everything at once"; }
  Result<void> may_submit(const RequestView&, const ActorRegistry&) const override { return {}; }
  Decision evaluate(const RequestView&, std::span<const Ballot>, Timestamp, const ActorRegistry&) const override {
    Decision d;
    d.outcome = Outcome::approved;
    d.explanation = "approved: this plugin approves everything";
    return d;
  }
};

TEST(Plugins, RegisterByIdAlongsideModels) {
  auto& registry = PolicyRegistry::global();
  auto added = registry.add_plugin(ModelInfo{"always-yes", "approves everything at once", {"tests"}, ""},
                                   [] { return std::make_unique<FixedPolicy>(); });
  ASSERT_TRUE(added.has_value()) << added.error().message;
  auto again = registry.add_plugin(ModelInfo{"always-yes", "x", {}, ""}, [] { return std::make_unique<FixedPolicy>(); });
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, Errc::conflict);
  auto clash = registry.add_plugin(ModelInfo{"gic", "x", {}, ""}, [] { return std::make_unique<FixedPolicy>(); });
  ASSERT_FALSE(clash.has_value());
  auto bad = registry.add_plugin(ModelInfo{"Bad Id", "x", {}, ""}, [] { return std::make_unique<FixedPolicy>(); });
  ASSERT_FALSE(bad.has_value());

  auto listed = registry.list();
  ASSERT_EQ(listed.size(), 8u);
  EXPECT_EQ(listed.back().id, "always-yes");
  EXPECT_EQ(listed.back().origin, "c++ plugin");
  auto p = load_policy("always-yes");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ((*p)->evaluate(request(ChangeKind::ns_update, "br", "manager.br"), {}, kStart, test_registry()).outcome,
            Outcome::approved);
  auto graph = policy_graph("always-yes");
  ASSERT_TRUE(graph.has_value());
  EXPECT_NE(graph->find("c++ plugin"), std::string::npos);
}

TEST(Graph, DotShowsStagesGroupsAdvisoryAndBodies) {
  auto dot = policy_graph("us-status-quo");
  ASSERT_TRUE(dot.has_value());
  EXPECT_EQ(dot->rfind("digraph \"us-status-quo\" {", 0), 0u);
  EXPECT_NE(dot->find("subgraph \"cluster_0\""), std::string::npos);  // contacts and affected in parallel
  EXPECT_NE(dot->find("\"stage:contacts\" -> \"stage:iana\""), std::string::npos);
  EXPECT_NE(dot->find("\"stage:affected\" -> \"stage:iana\""), std::string::npos);
  EXPECT_NE(dot->find("\"stage:verisign\" -> \"approved\""), std::string::npos);
  EXPECT_NE(dot->find("\"stage:gac\" [shape=box, style=dashed"), std::string::npos);
  EXPECT_NE(dot->find("\"body:ntia\" -> \"stage:ntia\""), std::string::npos);
  EXPECT_EQ(dot->back(), '\n');
  EXPECT_EQ(std::count(dot->begin(), dot->end(), '{'), std::count(dot->begin(), dot->end(), '}'));
}

TEST(Describe, ShowListsSourcesBodiesStagesAndRules) {
  auto spec = load_model_spec("gic");
  ASSERT_TRUE(spec.has_value());
  std::string text = describe_model(*spec);
  EXPECT_NE(text.find("Sources:\n  - DOMAIN.md 1.3"), std::string::npos) << text;
  EXPECT_NE(text.find("regional seats: africa 4"), std::string::npos) << text;
  EXPECT_NE(text.find("GIC authorization (gic)"), std::string::npos) << text;
  EXPECT_NE(text.find("a majority of the regional seats of GIC, from at least 3 regions, with at least 10 ballots cast; "
                      "after 60d the ballots cast decide"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("applies to: delegate, transfer:cc, revoke, root-update"), std::string::npos) << text;
}

}  // namespace
}  // namespace rootgov::policies::testing

namespace rootgov::policies::testing {
namespace {

TEST(Docs, TheExampleModelInPoliciesMdIsValid) {
  std::ifstream in(std::filesystem::path(ROOTGOV_SOURCE_DIR) / "docs" / "policies.md");
  ASSERT_TRUE(in) << "docs/policies.md";
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto start = text.find("```toml\n");
  ASSERT_NE(start, std::string::npos);
  start += 8;
  auto end = text.find("```", start);
  auto model = parse_model(text.substr(start, end - start), "docs/policies.md example");
  ASSERT_TRUE(model.has_value()) << model.error().front().to_string();
  EXPECT_EQ(model->id, "my-lab");
}

}  // namespace
}  // namespace rootgov::policies::testing
