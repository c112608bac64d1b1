// cli/src/policy_cmd.cpp - the 'policy' command group: list, show, graph and check governance
// models (built-in ids, C++ plugins, or model files given by path).
//
// Exit codes (DESIGN.md section 4): 0 ok; 1 the model file is invalid (every error is listed,
// one "FILE: KEY: problem" a line, on stdout); 2 unknown id, unreadable file or bad usage.
#include <iostream>
#include <memory>
#include <string>

#include <boost/json.hpp>

#include <rootgov/policies/engine.hpp>
#include <rootgov/policies/model.hpp>
#include <rootgov/policies/registry.hpp>

#include "commands.hpp"

namespace rootgov::cli {
namespace {

using namespace rootgov::policies;

/// Maps a model-loading error to the exit code: an invalid model is "the thing checked is
/// wrong" (1); an unknown id or unreadable file is an input error (2).
[[noreturn]] void fail_with(const Error& e) {
  if (e.code == Errc::check_failed) {
    std::cout << e.message << '\n';
    throw ExitError(kExitCheckFailed, "the model is invalid (errors above)");
  }
  if (e.code == Errc::internal) throw ExitError(kExitIo, e.message);
  throw ExitError(kExitUsage, e.message);
}

void run_list(bool json) {
  auto models = PolicyRegistry::global().list();
  if (json) {
    boost::json::array out;
    for (const auto& m : models) {
      boost::json::array sources;
      for (const auto& s : m.sources) sources.emplace_back(s);
      out.push_back(boost::json::object{{"id", m.id}, {"title", m.title}, {"origin", m.origin}, {"sources", sources}});
    }
    std::cout << boost::json::serialize(boost::json::object{{"models", out}}) << '\n';
    return;
  }
  std::size_t width = 0;
  for (const auto& m : models) width = std::max(width, m.id.size());
  for (const auto& m : models) {
    std::cout << m.id << std::string(width + 2 - m.id.size(), ' ') << m.title;
    if (m.origin != "built-in model file") std::cout << " [" << m.origin << ']';
    std::cout << '\n';
  }
}

void run_show(const std::string& id_or_path) {
  if (PolicyRegistry::global().contains(id_or_path) && !load_model_spec(id_or_path)) {
    auto policy = load_policy(id_or_path);
    if (!policy) fail_with(policy.error());
    std::cout << (*policy)->id() << " - " << (*policy)->title() << "\n\nA C++ plugin: its stages are code, not data.\n";
    return;
  }
  auto spec = load_model_spec(id_or_path);
  if (!spec) fail_with(spec.error());
  std::cout << describe_model(*spec);
}

void run_graph(const std::string& id_or_path) {
  auto dot = policy_graph(id_or_path);
  if (!dot) fail_with(dot.error());
  std::cout << *dot;
}

void run_check(const std::string& path) {
  auto spec = read_model_file(path);
  if (!spec) {
    if (spec.error().code == Errc::check_failed) {
      std::cout << spec.error().message << '\n';
      throw ExitError(kExitCheckFailed, "'" + path + "' is not a valid model");
    }
    throw ExitError(kExitUsage, spec.error().message);
  }
  std::cout << path << ": valid model '" << spec->id << "' (" << spec->bodies.size() << " bodies, "
            << spec->stages.size() << " stages)\n";
}

}  // namespace

void register_policy_commands(CLI::App& app) {
  CLI::App* policy = app.add_subcommand("policy", "list, show, graph and check governance models");
  policy->require_subcommand(1);

  auto json = std::make_shared<bool>(false);
  CLI::App* list = policy->add_subcommand("list", "the built-in models and registered plugins");
  list->add_flag("--json", *json, "print JSON: {\"models\": [{\"id\", \"title\", \"origin\", \"sources\"}]}");
  list->callback([json] { run_list(*json); });

  auto show_id = std::make_shared<std::string>();
  CLI::App* show = policy->add_subcommand("show", "a model in words: sources, bodies, who may submit, stages and rules");
  show->add_option("model", *show_id, "built-in model id or path of a model file (.toml)")->required();
  show->callback([show_id] { run_show(*show_id); });

  auto graph_id = std::make_shared<std::string>();
  CLI::App* graph = policy->add_subcommand("graph", "a model's stages and bodies as a Graphviz DOT graph");
  graph->add_option("model", *graph_id, "built-in model id or path of a model file (.toml)")->required();
  graph->callback([graph_id] { run_graph(*graph_id); });

  auto check_path = std::make_shared<std::string>();
  CLI::App* check = policy->add_subcommand(
      "check", "validate a model file: exit 0 if valid, 1 listing every error as FILE: KEY: problem, 2 if unreadable");
  check->add_option("file", *check_path, "model file (.toml)")->required();
  check->callback([check_path] { run_check(*check_path); });
}

}  // namespace rootgov::cli
