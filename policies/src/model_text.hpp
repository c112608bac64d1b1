// model_text.hpp - names of the model vocabulary, shared by the reader, the engine and the
// describers (private to rootgov_policies).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <rootgov/policies/model.hpp>

namespace rootgov::policies {

std::optional<RuleKind> rule_kind_from_string(std::string_view s);
std::optional<TimeoutOutcome> timeout_outcome_from_string(std::string_view s);
std::optional<DynamicMembers> dynamic_from_string(std::string_view s);
std::optional<authority::TldClass> tld_class_from_string(std::string_view s);
std::string_view root_target_name(authority::RootTarget t);
std::optional<authority::RootTarget> root_target_from_string(std::string_view s);
/// "14d", "72h", "90m", "30s": the largest unit that divides the duration.
std::string format_duration(authority::Duration d);
/// What silence at the deadline means, in words: "silence counts as consent", ...
std::string timeout_words(TimeoutOutcome o);

}  // namespace rootgov::policies
