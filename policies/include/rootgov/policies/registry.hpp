// rootgov/policies/registry.hpp - finding a policy by id or path: the built-in model files
// (embedded in the library at build time) and C++ plugins registered by id.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <rootgov/authority/policy.hpp>
#include <rootgov/common/result.hpp>
#include <rootgov/policies/model.hpp>

namespace rootgov::policies {

/// What `rootgov policy list` shows.
struct ModelInfo {
  std::string id;
  std::string title;
  std::vector<std::string> sources;
  std::string origin;  ///< "built-in model file" or "c++ plugin"
};

using PolicyFactory = std::function<std::unique_ptr<authority::Policy>()>;

/// Built-in models and plugins by id. Thread-safe.
class PolicyRegistry {
 public:
  /// The process-wide registry: the built-in models, plus every plugin added to it.
  static PolicyRegistry& global();

  /// Registers a C++ policy under `info.id`. Errors: an invalid id, or one already taken (a
  /// built-in model or another plugin); nothing changes then.
  Result<void> add_plugin(ModelInfo info, PolicyFactory factory);

  /// Every model and plugin, built-in models first (in file-name order), then plugins by id.
  std::vector<ModelInfo> list() const;
  bool contains(std::string_view id) const;
  /// A fresh policy for `id`; Errc::not_found if there is none.
  Result<std::unique_ptr<authority::Policy>> create(std::string_view id) const;

 private:
  PolicyRegistry() = default;
  struct Plugin {
    ModelInfo info;
    PolicyFactory factory;
  };
  mutable std::mutex m_mutex;
  std::vector<Plugin> m_plugins;
};

/// The built-in models (policies/models/*.toml as embedded), in id order.
std::vector<ModelInfo> builtin_models();

/// The embedded text of a built-in model, or Errc::not_found.
Result<std::string_view> builtin_model_text(std::string_view id);

/// The validated spec of a built-in model id or of a model file path.
Result<ModelSpec> load_model_spec(std::string_view id_or_path);

/// A policy by built-in id, plugin id, or file path (anything with a '/' or ending in ".toml",
/// or an existing file). A file model's id() is the path as given and its definition() the
/// file's text. Errors: Errc::not_found for an unknown id, Errc::io for an unreadable file,
/// Errc::check_failed for an invalid model (every error, one a line).
Result<std::unique_ptr<authority::Policy>> load_policy(std::string_view id_or_path);

/// The policy an audit log records (an authority::PolicyResolver): by load_policy(id) when
/// `definition` is empty, otherwise the model file text `definition`, validated as a file is,
/// whose id() is `id` (the file itself is not read).
Result<std::shared_ptr<const authority::Policy>> policy_from_record(const std::string& id,
                                                                    const std::string& definition);

/// DOT graph of a model (see to_dot); a plugin is drawn as one node.
Result<std::string> policy_graph(std::string_view id_or_path);
/// DOT graph of a policy object as it is (a model file is not read again).
std::string policy_graph(const authority::Policy& policy);

}  // namespace rootgov::policies
