// actors.cpp - the actor registry (actors.toml), actor key files and Ed25519 verification.
#include <rootgov/authority/actors.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <set>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>
#include <toml.hpp>

#include "crypto.hpp"
#include "file_util.hpp"

namespace rootgov::authority {

namespace {

constexpr std::array<std::string_view, 5> kRegions{"africa", "asia-pacific", "europe", "latin-america",
                                                   "north-america"};
constexpr std::string_view kKeyFormat = "rootgov-actor-key/1";

bool is_token(std::string_view s) {
  if (s.empty()) return false;
  auto ok = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; };
  return (s.front() != '-') && std::all_of(s.begin(), s.end(), ok);
}

bool is_tld_label(std::string_view s) { return !s.empty() && s.size() <= 63 && is_token(s) && s.back() != '-'; }

/// A TOML basic string (TOML 1.0 section "String") with minimal escapes.
std::string toml_string(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (u < 0x20 || u == 0x7F) {
          out += fmt::format("\\u{:04X}", u);
        } else {
          out.push_back(c);
        }
    }
  }
  out += "\"";
  return out;
}

std::string toml_string_array(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ", ";
    out += toml_string(items[i]);
  }
  out += "]";
  return out;
}

Result<void> validate_actor(const Actor& a) {
  auto bad = [&](std::string_view key, const std::string& why) {
    return fail(Errc::invalid_input, fmt::format("actor '{}': key '{}': {}", a.id, key, why));
  };
  if (!is_valid_actor_id(a.id)) {
    return fail(Errc::invalid_input,
                fmt::format("invalid actor id '{}' (expected lowercase [a-z0-9][a-z0-9.-]*)", a.id));
  }
  if (a.roles.empty()) return bad("roles", "at least one role is required");
  for (const auto& r : a.roles) {
    if (!is_token(r)) return bad("roles", fmt::format("invalid role '{}'", r));
  }
  for (const auto& b : a.bodies) {
    if (!is_token(b)) return bad("bodies", fmt::format("invalid body '{}'", b));
  }
  if (!a.region.empty() && std::find(kRegions.begin(), kRegions.end(), a.region) == kRegions.end()) {
    return bad("region", fmt::format("unknown region '{}' (use africa, asia-pacific, europe, latin-america or "
                                     "north-america)",
                                     a.region));
  }
  if (!a.country.empty() &&
      (a.country.size() != 2 || !std::all_of(a.country.begin(), a.country.end(), [](char c) {
        return c >= 'a' && c <= 'z';
      }))) {
    return bad("country", fmt::format("invalid country '{}' (expected a lowercase ISO 3166-1 alpha-2 code)",
                                      a.country));
  }
  for (const auto& t : a.manages) {
    if (!is_tld_label(t)) return bad("manages", fmt::format("invalid tld '{}'", t));
  }
  if (!a.public_key.empty()) {
    auto raw = crypto::base64_decode(a.public_key);
    if (!raw || raw->size() != crypto::kEd25519PublicKeySize) {
      return bad("public_key", "expected the base64 of a 32-byte Ed25519 public key");
    }
  }
  return {};
}

/// Reads an optional string array member; error text names the key.
Result<std::vector<std::string>> string_array(const toml::value& v, std::string_view key) {
  if (!v.is_array()) return fail(Errc::invalid_input, fmt::format("key '{}': expected an array of strings", key));
  std::vector<std::string> out;
  for (const auto& item : v.as_array()) {
    if (!item.is_string()) {
      return fail(Errc::invalid_input, fmt::format("key '{}': expected an array of strings", key));
    }
    out.push_back(item.as_string().str);
  }
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// ActorRegistry

Result<ActorRegistry> ActorRegistry::from_toml(std::string_view text, std::string_view source_name) {
  const std::string source(source_name);
  toml::value root;
  try {
    std::istringstream in{std::string(text)};
    root = toml::parse(in, source);
  } catch (const std::exception& e) {
    return fail(Errc::invalid_input, fmt::format("{}: invalid TOML: {}", source, e.what()));
  }
  ActorRegistry registry;
  for (const auto& [key, value] : root.as_table()) {
    if (key != "actor") {
      return fail(Errc::invalid_input,
                  fmt::format("{}:{}: unknown top-level key '{}' (expected [[actor]] tables)", source,
                              value.location().line(), key));
    }
  }
  if (!root.contains("actor")) return registry;
  const toml::value& actors = root.at("actor");
  if (!actors.is_array()) {
    return fail(Errc::invalid_input, fmt::format("{}: 'actor' must be an array of tables ([[actor]])", source));
  }
  std::size_t index = 0;
  for (const auto& entry : actors.as_array()) {
    ++index;
    const auto line = entry.location().line();
    if (!entry.is_table()) {
      return fail(Errc::invalid_input, fmt::format("{}:{}: actor #{} is not a table", source, line, index));
    }
    Actor actor;
    std::string label = fmt::format("#{}", index);
    if (entry.contains("id") && entry.at("id").is_string()) {
      actor.id = entry.at("id").as_string().str;
      label = "'" + actor.id + "'";
    } else {
      return fail(Errc::invalid_input,
                  fmt::format("{}:{}: actor {}: key 'id' is missing or not a string", source, line, label));
    }
    for (const auto& [key, value] : entry.as_table()) {
      auto where = [&, k = key](const std::string& why) {
        return fail(Errc::invalid_input,
                    fmt::format("{}:{}: actor {}: key '{}': {}", source, value.location().line(), label, k, why));
      };
      auto as_text = [&](std::string& out) -> Result<void> {
        if (!value.is_string()) return where("expected a string");
        out = value.as_string().str;
        return {};
      };
      auto as_list = [&](std::vector<std::string>& out) -> Result<void> {
        auto list = string_array(value, key);
        if (!list) return where("expected an array of strings");
        out = std::move(*list);
        return {};
      };
      Result<void> r;
      if (key == "id") {
        continue;
      } else if (key == "name") {
        r = as_text(actor.name);
      } else if (key == "roles") {
        r = as_list(actor.roles);
      } else if (key == "bodies") {
        r = as_list(actor.bodies);
      } else if (key == "region") {
        r = as_text(actor.region);
      } else if (key == "country") {
        r = as_text(actor.country);
      } else if (key == "manages") {
        r = as_list(actor.manages);
      } else if (key == "public_key") {
        r = as_text(actor.public_key);
      } else {
        r = where("unknown key (expected id, name, roles, bodies, region, country, manages, public_key)");
      }
      if (!r) return std::unexpected(r.error());
    }
    if (registry.find(actor.id) != nullptr) {
      return fail(Errc::invalid_input, fmt::format("{}:{}: actor '{}' is defined twice", source, line, actor.id));
    }
    if (auto ok = registry.add(std::move(actor)); !ok) {
      return fail(Errc::invalid_input, fmt::format("{}:{}: {}", source, line, ok.error().message));
    }
  }
  return registry;
}

Result<ActorRegistry> ActorRegistry::from_file(const std::filesystem::path& path) {
  auto text = files::read_file(path);
  if (!text) return std::unexpected(text.error());
  return from_toml(*text, path.string());
}

std::string ActorRegistry::to_toml() const {
  std::string out =
      "# rootgov actor registry: public data only (ids, roles, bodies, regions, Ed25519 public keys).\n";
  for (const auto& [id, a] : m_actors) {
    out += "\n[[actor]]\n";
    out += "id = " + toml_string(a.id) + "\n";
    out += "name = " + toml_string(a.name) + "\n";
    out += "roles = " + toml_string_array(a.roles) + "\n";
    out += "bodies = " + toml_string_array(a.bodies) + "\n";
    out += "region = " + toml_string(a.region) + "\n";
    out += "country = " + toml_string(a.country) + "\n";
    out += "manages = " + toml_string_array(a.manages) + "\n";
    out += "public_key = " + toml_string(a.public_key) + "\n";
  }
  return out;
}

namespace {
std::uint64_t fresh_revision() {
  static std::atomic<std::uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}
}  // namespace

ActorRegistry::ActorRegistry() : m_revision(fresh_revision()) {}

// The assignment below leaves `other` empty under a revision of its own.
ActorRegistry::ActorRegistry(ActorRegistry&& other) noexcept : ActorRegistry() { *this = std::move(other); }

ActorRegistry& ActorRegistry::operator=(ActorRegistry&& other) noexcept {
  if (this == &other) return *this;
  m_revision = other.m_revision;
  m_actors = std::move(other.m_actors);
  m_by_role = std::move(other.m_by_role);
  m_by_body = std::move(other.m_by_body);
  m_by_tld = std::move(other.m_by_tld);
  other.m_actors.clear();
  other.m_by_role.clear();
  other.m_by_body.clear();
  other.m_by_tld.clear();
  other.m_revision = fresh_revision();
  return *this;
}

Result<void> ActorRegistry::add(Actor actor) {
  if (auto ok = validate_actor(actor); !ok) return ok;
  m_revision = fresh_revision();
  if (auto old = m_actors.find(actor.id); old != m_actors.end()) {
    for (const auto& r : old->second.roles) m_by_role[r].erase(actor.id);
    for (const auto& b : old->second.bodies) m_by_body[b].erase(actor.id);
    for (const auto& t : old->second.manages) {
      if (auto it = m_by_tld.find(t); it != m_by_tld.end() && (it->second.erase(actor.id), it->second.empty())) {
        m_by_tld.erase(it);
      }
    }
  }
  for (const auto& r : actor.roles) m_by_role[r].insert(actor.id);
  for (const auto& b : actor.bodies) m_by_body[b].insert(actor.id);
  for (const auto& t : actor.manages) m_by_tld[t].insert(actor.id);
  ActorId id = actor.id;
  m_actors.insert_or_assign(std::move(id), std::move(actor));
  return {};
}

const Actor* ActorRegistry::find(std::string_view id) const {
  auto it = m_actors.find(id);
  return it == m_actors.end() ? nullptr : &it->second;
}

namespace {

std::vector<const Actor*> indexed(const std::map<std::string, std::set<ActorId>, std::less<>>& index,
                                  std::string_view key, const ActorRegistry& registry) {
  std::vector<const Actor*> out;
  auto it = index.find(key);
  if (it == index.end()) return out;
  out.reserve(it->second.size());
  for (const auto& id : it->second) out.push_back(registry.find(id));
  return out;
}

}  // namespace

std::vector<const Actor*> ActorRegistry::with_role(std::string_view role) const { return indexed(m_by_role, role, *this); }

std::vector<const Actor*> ActorRegistry::in_body(std::string_view body) const { return indexed(m_by_body, body, *this); }

const Actor* ActorRegistry::manager_of(std::string_view tld) const {
  // Whoever lists the TLD in `manages` is its manager (a transfer moves it); "manager.<tld>"
  // is only the conventional id, used when nobody lists the TLD.
  std::string conventional_id;
  conventional_id.reserve(8 + tld.size());
  conventional_id.append("manager.").append(tld);
  if (auto listed = m_by_tld.find(tld); listed != m_by_tld.end()) {
    // The conventional id first when it lists the TLD, else the first in id order that does.
    const ActorId& id = listed->second.contains(conventional_id) ? conventional_id : *listed->second.begin();
    return find(id);
  }
  const Actor* conventional = find(conventional_id);
  if (conventional != nullptr && conventional->manages.empty()) return conventional;
  return nullptr;
}

const Actor* ActorRegistry::government_of(std::string_view country) const {
  for (const Actor* a : with_role("government")) {
    if (a->country == country) return a;
  }
  return nullptr;
}

std::string ActorRegistry::fingerprint() const {
  auto digest = crypto::sha256(to_toml());
  return crypto::hex_encode(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

// ---------------------------------------------------------------------------------------------
// ActorKey

ActorKey ActorKey::generate(ActorId id) {
  if (!is_valid_actor_id(id)) {
    throw std::invalid_argument("invalid actor id '" + id + "'");
  }
  ActorKey key;
  key.m_actor = std::move(id);
  key.m_seed = crypto::random_bytes(crypto::kEd25519SeedSize);
  key.m_public = crypto::ed25519_public_key(key.m_seed);
  return key;
}

Result<ActorKey> ActorKey::from_text(std::string_view text) {
  toml::value root;
  try {
    std::istringstream in{std::string(text)};
    root = toml::parse(in, "key");
  } catch (const std::exception& e) {
    return fail(Errc::invalid_input, fmt::format("malformed key file: invalid TOML: {}", e.what()));
  }
  std::string format, actor, algorithm, seed_b64, public_b64;
  for (const auto& [key, value] : root.as_table()) {
    std::string* slot = nullptr;
    if (key == "format") slot = &format;
    else if (key == "actor") slot = &actor;
    else if (key == "algorithm") slot = &algorithm;
    else if (key == "seed") slot = &seed_b64;
    else if (key == "public_key") slot = &public_b64;
    else return fail(Errc::invalid_input, fmt::format("malformed key file: unknown key '{}'", key));
    if (!value.is_string()) {
      return fail(Errc::invalid_input, fmt::format("malformed key file: key '{}' must be a string", key));
    }
    *slot = value.as_string().str;
  }
  if (format != kKeyFormat) {
    return fail(Errc::invalid_input, fmt::format("malformed key file: format '{}' is not '{}'", format, kKeyFormat));
  }
  if (algorithm != "ed25519") {
    return fail(Errc::invalid_input, fmt::format("malformed key file: unsupported algorithm '{}'", algorithm));
  }
  if (!is_valid_actor_id(actor)) {
    return fail(Errc::invalid_input, fmt::format("malformed key file: invalid actor id '{}'", actor));
  }
  auto seed = crypto::base64_decode_secret(seed_b64);
  if (!seed || seed->size() != crypto::kEd25519SeedSize) {
    return fail(Errc::invalid_input, "malformed key file: 'seed' must be the base64 of 32 bytes");
  }
  ActorKey key;
  key.m_actor = actor;
  key.m_seed = std::move(*seed);
  key.m_public = crypto::ed25519_public_key(key.m_seed);
  if (!public_b64.empty() && public_b64 != key.public_key()) {
    return fail(Errc::invalid_input, "malformed key file: 'public_key' does not match the seed");
  }
  return key;
}

Result<ActorKey> ActorKey::from_file(const std::filesystem::path& path) {
  auto text = files::read_file(path);
  if (!text) return std::unexpected(text.error());
  auto key = from_text(*text);
  if (!key) return fail(key.error().code, fmt::format("{}: {}", path.string(), key.error().message));
  return key;
}

std::string ActorKey::to_text() const {
  return fmt::format(
      "# rootgov actor private key (Ed25519). Keep this file secret: whoever holds it acts as '{}'.\n"
      "format = {}\nactor = {}\nalgorithm = \"ed25519\"\nseed = {}\npublic_key = {}\n",
      m_actor, toml_string(kKeyFormat), toml_string(m_actor), toml_string(crypto::base64_encode(m_seed)),
      toml_string(public_key()));
}

Result<void> ActorKey::write(const std::filesystem::path& path, bool overwrite) const {
  return files::write_file_atomic(path, to_text(), 0600, overwrite);
}

std::string ActorKey::public_key() const { return crypto::base64_encode(m_public); }

std::string ActorKey::sign(std::string_view message) const {
  return crypto::ed25519_sign(m_seed, message, m_public);
}

bool verify_signature(std::string_view public_key_b64, std::string_view message, std::string_view signature) {
  auto key = crypto::base64_decode(public_key_b64);
  if (!key) return false;
  return crypto::ed25519_verify(*key, message, signature);
}

Result<ActorRegistry> write_lab(const std::filesystem::path& dir, std::vector<Actor> actors, bool overwrite) {
  std::error_code ec;
  std::filesystem::create_directories(dir / "keys", ec);
  if (ec) return fail(Errc::io, "cannot create '" + (dir / "keys").string() + "': " + ec.message());
  ActorRegistry registry;
  for (auto& actor : actors) {
    if (!is_valid_actor_id(actor.id)) return fail(Errc::invalid_input, "'" + actor.id + "' is not a valid actor id");
    ActorKey key = ActorKey::generate(actor.id);
    actor.public_key = key.public_key();
    if (auto w = key.write(dir / "keys" / (actor.id + ".key"), overwrite); !w) return std::unexpected(w.error());
    if (auto added = registry.add(std::move(actor)); !added) return std::unexpected(added.error());
  }
  if (auto w = files::write_file_atomic(dir / "actors.toml", registry.to_toml(), 0644, true); !w) {
    return std::unexpected(w.error());
  }
  return registry;
}

}  // namespace rootgov::authority
