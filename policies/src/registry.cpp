// registry.cpp - built-in models (embedded at build time), C++ plugins, load_policy.
#include <rootgov/policies/registry.hpp>

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include <rootgov/policies/engine.hpp>

#include "embedded_models.hpp"

namespace rootgov::policies {

namespace {

/// The validated built-in models, parsed once. INVARIANT: every embedded model is valid (the
/// unit tests load each one); an invalid one is left out and reported by builtin_model_spec.
struct Builtins {
  std::vector<ModelSpec> specs;
  std::vector<std::string> errors;
};

const Builtins& builtins() {
  static const Builtins instance = [] {
    Builtins out;
    for (const auto& m : detail::embedded_models()) {
      auto spec = parse_model(m.text, fmt::format("builtin:{}", m.name));
      if (!spec) {
        for (const auto& e : spec.error()) out.errors.push_back(e.to_string());
        continue;
      }
      out.specs.push_back(std::move(*spec));
    }
    std::sort(out.specs.begin(), out.specs.end(), [](const ModelSpec& a, const ModelSpec& b) { return a.id < b.id; });
    return out;
  }();
  return instance;
}

const ModelSpec* builtin_spec(std::string_view id) {
  for (const auto& s : builtins().specs) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

ModelInfo info_of(const ModelSpec& s) { return ModelInfo{s.id, s.title, s.sources, "built-in model file"}; }

bool looks_like_path(std::string_view text) {
  if (text.find('/') != std::string_view::npos) return true;
  if (text.size() > 5 && text.substr(text.size() - 5) == ".toml") return true;
  std::error_code ec;
  return std::filesystem::is_regular_file(std::filesystem::path(text), ec);
}

std::string known_ids() {
  std::vector<std::string> ids;
  for (const auto& i : PolicyRegistry::global().list()) ids.push_back(i.id);
  std::string out;
  for (const auto& id : ids) out += (out.empty() ? "" : ", ") + id;
  return out;
}

}  // namespace

PolicyRegistry& PolicyRegistry::global() {
  static PolicyRegistry registry;
  return registry;
}

Result<void> PolicyRegistry::add_plugin(ModelInfo info, PolicyFactory factory) {
  if (!authority::is_valid_actor_id(info.id)) {
    return fail(Errc::invalid_input, fmt::format("plugin id '{}' is not lowercase [a-z0-9][a-z0-9.-]*", info.id));
  }
  if (!factory) return fail(Errc::invalid_input, fmt::format("plugin '{}' has no factory", info.id));
  std::lock_guard lock(m_mutex);
  if (builtin_spec(info.id) != nullptr) {
    return fail(Errc::conflict, fmt::format("'{}' is a built-in model id", info.id));
  }
  for (const auto& p : m_plugins) {
    if (p.info.id == info.id) return fail(Errc::conflict, fmt::format("a plugin '{}' is already registered", info.id));
  }
  if (info.origin.empty()) info.origin = "c++ plugin";
  m_plugins.push_back(Plugin{std::move(info), std::move(factory)});
  std::sort(m_plugins.begin(), m_plugins.end(), [](const Plugin& a, const Plugin& b) { return a.info.id < b.info.id; });
  return {};
}

std::vector<ModelInfo> PolicyRegistry::list() const {
  std::vector<ModelInfo> out = builtin_models();
  std::lock_guard lock(m_mutex);
  for (const auto& p : m_plugins) out.push_back(p.info);
  return out;
}

bool PolicyRegistry::contains(std::string_view id) const {
  if (builtin_spec(id) != nullptr) return true;
  std::lock_guard lock(m_mutex);
  return std::any_of(m_plugins.begin(), m_plugins.end(), [&](const Plugin& p) { return p.info.id == id; });
}

Result<std::unique_ptr<authority::Policy>> PolicyRegistry::create(std::string_view id) const {
  if (const ModelSpec* spec = builtin_spec(id)) {
    return std::unique_ptr<authority::Policy>(std::make_unique<ModelPolicy>(*spec, spec->id));
  }
  PolicyFactory factory;
  {
    std::lock_guard lock(m_mutex);
    for (const auto& p : m_plugins) {
      if (p.info.id == id) factory = p.factory;
    }
  }
  if (!factory) return fail(Errc::not_found, fmt::format("no model '{}'", id));
  auto policy = factory();
  if (!policy) return fail(Errc::internal, fmt::format("plugin '{}' made no policy", id));
  return policy;
}

std::vector<ModelInfo> builtin_models() {
  std::vector<ModelInfo> out;
  for (const auto& s : builtins().specs) out.push_back(info_of(s));
  return out;
}

Result<std::string_view> builtin_model_text(std::string_view id) {
  for (const auto& m : detail::embedded_models()) {
    if (m.name == id) return m.text;
  }
  return fail(Errc::not_found, fmt::format("no built-in model '{}'", id));
}

Result<ModelSpec> load_model_spec(std::string_view id_or_path) {
  if (const ModelSpec* spec = builtin_spec(id_or_path)) return *spec;
  if (!builtins().errors.empty() && builtin_model_text(id_or_path)) {
    return fail(Errc::internal, "built-in model is invalid: " + builtins().errors.front());
  }
  if (looks_like_path(id_or_path)) return read_model_file(std::filesystem::path(id_or_path));
  return fail(Errc::not_found, fmt::format("no model '{}' (known: {}; or give the path of a .toml model file)",
                                           id_or_path, known_ids()));
}

Result<std::unique_ptr<authority::Policy>> load_policy(std::string_view id_or_path) {
  if (PolicyRegistry::global().contains(id_or_path)) return PolicyRegistry::global().create(id_or_path);
  if (builtin_spec(id_or_path) == nullptr && looks_like_path(id_or_path)) {
    auto text = read_model_text(std::filesystem::path(id_or_path));
    if (!text) return std::unexpected(text.error());
    auto spec = parse_model_text(*text, id_or_path);
    if (!spec) return std::unexpected(spec.error());
    return std::unique_ptr<authority::Policy>(
        std::make_unique<ModelPolicy>(std::move(*spec), std::string(id_or_path), std::move(*text)));
  }
  auto spec = load_model_spec(id_or_path);
  if (!spec) return std::unexpected(spec.error());
  return std::unique_ptr<authority::Policy>(std::make_unique<ModelPolicy>(std::move(*spec), std::string(id_or_path)));
}

Result<std::shared_ptr<const authority::Policy>> policy_from_record(const std::string& id,
                                                                    const std::string& definition) {
  if (definition.empty()) {
    auto policy = load_policy(id);
    if (!policy) return std::unexpected(policy.error());
    return std::shared_ptr<const authority::Policy>(std::move(*policy));
  }
  auto spec = parse_model_text(definition, id);
  if (!spec) return std::unexpected(spec.error());
  return std::shared_ptr<const authority::Policy>(
      std::make_shared<ModelPolicy>(std::move(*spec), id, definition));
}

namespace {

std::string plugin_graph(const authority::Policy& policy) {
  return fmt::format(
      "digraph \"{}\" {{\n  label=\"{} (c++ plugin: its stages are code, not data)\";\n  \"{}\" "
      "[shape=box];\n}}\n",
      policy.id(), policy.title(), policy.id());
}

}  // namespace

std::string policy_graph(const authority::Policy& policy) {
  if (const auto* model = dynamic_cast<const ModelPolicy*>(&policy)) return to_dot(model->spec());
  return plugin_graph(policy);
}

Result<std::string> policy_graph(std::string_view id_or_path) {
  if (builtin_spec(id_or_path) == nullptr && PolicyRegistry::global().contains(id_or_path)) {
    auto policy = PolicyRegistry::global().create(id_or_path);
    if (!policy) return std::unexpected(policy.error());
    return plugin_graph(**policy);
  }
  auto spec = load_model_spec(id_or_path);
  if (!spec) return std::unexpected(spec.error());
  return to_dot(*spec);
}

}  // namespace rootgov::policies
