// authority/src/configuration_record.cpp - the configuration a "reconfigured" entry records.
#include "configuration_record.hpp"

#include <set>

namespace rootgov::authority::detail {

namespace {

std::string field(const Json& object, std::string_view key) {
  const Json* v = object.find(key);
  const std::string* s = v != nullptr ? v->as_string() : nullptr;
  return s != nullptr ? *s : std::string();
}

Json to_array(const std::vector<std::string>& v) {
  Json::Array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

std::string joined(const std::vector<std::string>& items, std::string_view sep = ", ") {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : std::string(sep)) + s;
  return out;
}

// The inverse of actor_to_json; every member is required and no other is allowed.
Result<Actor> actor_from_json(const Json& j) {
  const Json::Object* o = j.as_object();
  if (o == nullptr) return fail(Errc::check_failed, "an actor is not a JSON object");
  Actor a;
  auto text = [&](std::string_view key, std::string& out) -> Result<void> {
    const Json* v = j.find(key);
    const std::string* s = v != nullptr ? v->as_string() : nullptr;
    if (s == nullptr)
      return fail(Errc::check_failed, "actor member '" + std::string(key) + "' is missing or not a string");
    out = *s;
    return {};
  };
  auto list = [&](std::string_view key, std::vector<std::string>& out) -> Result<void> {
    const Json* v = j.find(key);
    const Json::Array* items = v != nullptr ? v->as_array() : nullptr;
    if (items == nullptr)
      return fail(Errc::check_failed, "actor member '" + std::string(key) + "' is missing or not an array");
    for (const auto& item : *items) {
      const std::string* s = item.as_string();
      if (s == nullptr)
        return fail(Errc::check_failed, "actor member '" + std::string(key) + "' holds a non-string");
      out.push_back(*s);
    }
    return {};
  };
  for (auto r : {text("id", a.id), text("name", a.name), list("roles", a.roles), list("bodies", a.bodies),
                 text("region", a.region), text("country", a.country), list("manages", a.manages),
                 text("public_key", a.public_key)}) {
    if (!r) return std::unexpected(r.error());
  }
  if (o->size() != 8)
    return fail(Errc::check_failed, "actor '" + a.id + "' has members other than the registry's keys");
  return a;
}

Result<ActorRegistry> registry_from_json(const Json* j, std::string_view what) {
  const Json::Array* items = j != nullptr ? j->as_array() : nullptr;
  if (items == nullptr)
    return fail(Errc::check_failed, "'" + std::string(what) + "' is missing or not an array");
  ActorRegistry out;
  for (const auto& item : *items) {
    auto actor = actor_from_json(item);
    if (!actor) return std::unexpected(actor.error());
    if (out.find(actor->id) != nullptr)
      return fail(Errc::check_failed, "actor '" + actor->id + "' appears twice");
    if (auto added = out.add(std::move(*actor)); !added)
      return fail(Errc::check_failed, added.error().message);
  }
  return out;
}

std::vector<std::string> strings_of(const Json& o, std::string_view key) {
  std::vector<std::string> out;
  const Json* v = o.find(key);
  const Json::Array* items = v != nullptr ? v->as_array() : nullptr;
  if (items == nullptr) return out;
  for (const auto& item : *items) {
    if (const std::string* s = item.as_string()) out.push_back(*s);
  }
  return out;
}

}  // namespace

Json actor_to_json(const Actor& a) {
  Json o(Json::Object{});
  o["id"] = a.id;
  o["name"] = a.name;
  o["roles"] = to_array(a.roles);
  o["bodies"] = to_array(a.bodies);
  o["region"] = a.region;
  o["country"] = a.country;
  o["manages"] = to_array(a.manages);
  o["public_key"] = a.public_key;
  return o;
}

Json registry_to_json(const ActorRegistry& registry) {
  Json::Array a;
  a.reserve(registry.all().size());
  for (const auto& [id, actor] : registry.all()) a.push_back(actor_to_json(actor));
  return Json(std::move(a));
}

RegistryDiff diff_registries(const ActorRegistry& from, const ActorRegistry& to) {
  RegistryDiff d;
  for (const auto& [id, a] : to.all()) {
    const Actor* old = from.find(id);
    if (old == nullptr) {
      d.added.push_back(id);
    } else if (!(*old == a)) {
      d.changed.push_back(id);
    }
  }
  for (const auto& [id, a] : from.all()) {
    if (to.find(id) == nullptr) d.removed.push_back(id);
  }
  return d;
}

std::string describe_difference(const ActorRegistry& expected, const ActorRegistry& given) {
  RegistryDiff d = diff_registries(expected, given);
  std::vector<std::string> parts;
  if (!d.removed.empty()) parts.push_back("missing actors: " + joined(d.removed));
  if (!d.added.empty()) parts.push_back("extra actors: " + joined(d.added));
  if (!d.changed.empty()) {
    std::vector<std::string> changed;
    for (const auto& id : d.changed) {
      const Actor& a = *expected.find(id);
      const Actor& b = *given.find(id);
      std::vector<std::string> keys;
      if (a.name != b.name) keys.emplace_back("name");
      if (a.roles != b.roles) keys.emplace_back("roles");
      if (a.bodies != b.bodies) keys.emplace_back("bodies");
      if (a.region != b.region) keys.emplace_back("region");
      if (a.country != b.country) keys.emplace_back("country");
      if (a.manages != b.manages) keys.emplace_back("manages");
      if (a.public_key != b.public_key) keys.emplace_back("public_key");
      changed.push_back(id + " (" + joined(keys) + ")");
    }
    parts.push_back("different actors: " + joined(changed));
  }
  return parts.empty() ? "the same actors" : joined(parts, "; ");
}

Result<RecordedConfiguration> decode_reconfigured(const Json& o, std::uint64_t index) {
  auto bad = [&](const std::string& why) {
    return fail(Errc::check_failed, "log entry " + std::to_string(index) + " (reconfigured): " + why);
  };
  RecordedConfiguration c;
  c.index = index;
  auto registry = registry_from_json(o.find("actors"), "actors");
  if (!registry) return bad(registry.error().message);
  c.registry = std::move(*registry);
  if (c.registry.fingerprint() != field(o, "registry"))
    return bad("its actors do not have the fingerprint it records");
  c.model = field(o, "model");
  if (c.model.empty()) return bad("no model");
  c.model_definition = field(o, "model_definition");
  c.previous_fingerprint = field(o, "previous_registry");
  c.previous_model = field(o, "previous_model");
  c.previous_model_definition = field(o, "previous_model_definition");
  c.added = strings_of(o, "added");
  c.changed = strings_of(o, "changed");
  const Json* replaced = o.find("replaced");
  const Json::Array* items = replaced != nullptr ? replaced->as_array() : nullptr;
  if (items == nullptr) return bad("'replaced' is missing or not an array");
  for (const auto& item : *items) {
    auto actor = actor_from_json(item);
    if (!actor) return bad(actor.error().message);
    c.replaced.push_back(std::move(*actor));
  }
  return c;
}

// The registry a recorded reconfiguration replaced: its new registry without the actors it
// added or changed, plus the old records it kept. Must have the fingerprint it records.
Result<ActorRegistry> previous_registry(const RecordedConfiguration& c) {
  ActorRegistry out;
  std::set<ActorId> dropped(c.added.begin(), c.added.end());
  dropped.insert(c.changed.begin(), c.changed.end());
  for (const auto& [id, a] : c.registry.all()) {
    if (dropped.contains(id)) continue;
    if (auto r = out.add(a); !r) return std::unexpected(r.error());
  }
  for (const auto& a : c.replaced) {
    if (auto r = out.add(a); !r) return std::unexpected(r.error());
  }
  if (out.fingerprint() != c.previous_fingerprint) {
    return fail(Errc::check_failed,
                "log entry " + std::to_string(c.index) +
                    " (reconfigured): the registry it replaced cannot be rebuilt from it");
  }
  return out;
}

// Every "reconfigured" entry of a log, in order.
Result<std::vector<RecordedConfiguration>> recorded_configurations(const std::vector<std::string>& lines) {
  std::vector<RecordedConfiguration> out;
  for (std::uint64_t i = 1; i < lines.size(); ++i) {
    // Cheap filter first; the parse decides (a document body may hold the same text).
    if (lines[i].find(R"("event":"reconfigured")") == std::string::npos) continue;
    auto o = Json::parse(lines[i], kEntryLimits);
    if (!o || !o->is_object())
      return fail(Errc::check_failed, "log entry " + std::to_string(i) + " is not a JSON object");
    if (field(*o, "event") != "reconfigured") continue;
    auto c = decode_reconfigured(*o, i);
    if (!c) return std::unexpected(c.error());
    out.push_back(std::move(*c));
  }
  return out;
}

// tld -> the first actor (in id order) that lists it in `manages`.
std::map<std::string, ActorId> listed_managers(const ActorRegistry& registry) {
  std::map<std::string, ActorId> out;
  for (const auto& [id, a] : registry.all()) {
    for (const auto& t : a.manages) out.emplace(t, id);
  }
  return out;
}

}  // namespace rootgov::authority::detail
