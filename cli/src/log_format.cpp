// cli/src/log_format.cpp - reading audit-log entries for humans.
#include "log_format.hpp"

#include <algorithm>

#include <boost/json.hpp>
#include <fmt/format.h>

namespace rootgov::cli {

namespace json = boost::json;

std::string str(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return "";
  if (v->is_string()) return std::string(v->as_string());
  return json::serialize(*v);
}

std::vector<std::string> str_list(const json::object& o, std::string_view key) {
  std::vector<std::string> out;
  const auto* v = o.if_contains(key);
  if (v == nullptr || !v->is_array()) return out;
  for (const auto& item : v->as_array()) out.push_back(item.is_string() ? std::string(item.as_string()) : json::serialize(item));
  return out;
}

std::string joined(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : std::string(sep)) + s;
  return out;
}

/// The actor who signed the entry's document, if it carries one.
std::string document_actor(const json::object& e) {
  const auto* d = e.if_contains("document");
  if (d == nullptr || !d->is_object()) return "";
  const auto* inner = d->as_object().if_contains("document");
  if (inner == nullptr || !inner->is_object()) return "";
  return str(inner->as_object(), "actor");
}

const json::object* document_body(const json::object& e) {
  const auto* d = e.if_contains("document");
  if (d == nullptr || !d->is_object()) return nullptr;
  const auto* inner = d->as_object().if_contains("document");
  if (inner == nullptr || !inner->is_object()) return nullptr;
  const auto* body = inner->as_object().if_contains("body");
  return body != nullptr && body->is_object() ? &body->as_object() : nullptr;
}

std::string describe(const json::object& e) {
  const std::string event = str(e, "event");
  const std::string actor = document_actor(e);
  const json::object* body = document_body(e);
  if (event == "genesis") {
    return fmt::format("model {}, {} clock, base serial {}", str(e, "model"), str(e, "clock"), str(e, "base_serial"));
  }
  if (event == "submitted" && body != nullptr) {
    std::string what = str(*body, "kind");
    if (auto tld = str(*body, "tld"); !tld.empty()) what += " " + tld;
    if (auto m = str(*body, "new_manager"); !m.empty()) what += " -> " + m;
    if (auto t = str(*body, "target"); !t.empty()) what += " (" + t + ")";
    return fmt::format("{} by {}", what, actor);
  }
  if (event == "checked") {
    auto f = str_list(e, "findings");
    return str(e, "passed") == "true" ? std::string("technical checks passed") + (f.empty() ? "" : " (" + joined(f, "; ") + ")")
                                      : "technical checks failed: " + joined(f, "; ");
  }
  if (event == "ballot" && body != nullptr) {
    std::string s = fmt::format("{} {}", actor, str(*body, "vote"));
    if (str(e, "binding") == "false") s += " (advisory)";
    if (auto c = str(*body, "comment"); !c.empty()) s += " \"" + c + "\"";
    return s;
  }
  if (event == "ballots" && body != nullptr) {
    const auto ids = str_list(e, "requests");
    const auto binding = str_list(e, "binding");
    std::string s = fmt::format("{} {} on {} requests (one signed ballot): {}", actor, str(*body, "vote"), ids.size(), joined(ids));
    if (std::find(binding.begin(), binding.end(), "false") != binding.end()) s += " (advisory on some)";
    if (auto c = str(*body, "comment"); !c.empty()) s += " \"" + c + "\"";
    return s;
  }
  if (event == "decided") {
    std::string s = fmt::format("{} at stage {}", str(e, "outcome"), str(e, "stage"));
    if (auto a = str_list(e, "approvers"); !a.empty()) s += "; approved by " + joined(a);
    return s;
  }
  if (event == "implemented") return fmt::format("in the zone at serial {}", str(e, "serial"));
  if (event == "published") return fmt::format("published, serial {}", str(e, "serial"));
  if (event == "withdrawn") return fmt::format("withdrawn by {}", actor);
  if (event == "clock") return fmt::format("clock advanced by {} to {}", actor, str(e, "now"));
  if (event == "resigned") return fmt::format("zone re-signed, serial {}", str(e, "serial"));
  if (event == "tick") return "timeouts fired";
  if (event == "reconfigured") {
    std::vector<std::string> parts;
    if (auto a = str_list(e, "added"); !a.empty()) parts.push_back("actors added: " + joined(a));
    if (auto r = str_list(e, "removed"); !r.empty()) parts.push_back("removed: " + joined(r));
    if (auto c = str_list(e, "changed"); !c.empty()) parts.push_back("changed: " + joined(c));
    const std::string model = str(e, "model");
    if (model != str(e, "previous_model") ||
        str(e, "model_definition") != str(e, "previous_model_definition")) {
      parts.push_back("model " + model);
    }
    return "configuration replaced" + (parts.empty() ? std::string() : ": " + joined(parts, "; "));
  }
  return "";
}

}  // namespace rootgov::cli
