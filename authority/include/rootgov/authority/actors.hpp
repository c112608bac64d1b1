// rootgov/authority/actors.hpp - the public actor registry (actors.toml) and actor keys.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <rootgov/authority/types.hpp>

namespace rootgov::authority {

/// The public registry: ids, roles, bodies, regions, public keys. Immutable once loaded.
class ActorRegistry {
 public:
  ActorRegistry();
  ActorRegistry(const ActorRegistry&) = default;
  ActorRegistry& operator=(const ActorRegistry&) = default;
  /// The moved-from registry takes a new revision().
  ActorRegistry(ActorRegistry&& other) noexcept;
  ActorRegistry& operator=(ActorRegistry&& other) noexcept;

  /// Parses actors.toml; errors name the file, the actor and the key at fault.
  static Result<ActorRegistry> from_toml(std::string_view text, std::string_view source_name = "actors.toml");
  static Result<ActorRegistry> from_file(const std::filesystem::path& path);
  std::string to_toml() const;

  /// Adds or replaces an actor; an invalid id or key is an error and changes nothing.
  Result<void> add(Actor actor);

  const Actor* find(std::string_view id) const;
  const std::map<ActorId, Actor, std::less<>>& all() const { return m_actors; }
  /// The actors with `role` / sitting on `body`, in id order (from an index: O(result)).
  std::vector<const Actor*> with_role(std::string_view role) const;
  std::vector<const Actor*> in_body(std::string_view body) const;
  /// The manager (admin and tech contact) of `tld`, conventionally "manager.<tld>".
  const Actor* manager_of(std::string_view tld) const;
  /// The government of `country` (role "government", country matching).
  const Actor* government_of(std::string_view country) const;
  /// SHA-256 over the canonical TOML, hex; the state dir records it so a restart can tell
  /// whether the registry changed.
  std::string fingerprint() const;
  /// Names the content: registries with equal revisions hold the same actors (a copy shares
  /// its original's revision; every add() and every move-from takes a new one, unique in the
  /// process). For caches of what is derived from a registry, such as a policy's seats.
  std::uint64_t revision() const { return m_revision; }

 private:
  std::uint64_t m_revision;
  std::map<ActorId, Actor, std::less<>> m_actors;
  // role -> actors, body -> actors; kept in step by add(). A policy evaluation asks for the
  // members of each body it consults, so these are on every ballot's path.
  std::map<std::string, std::set<ActorId>, std::less<>> m_by_role;
  std::map<std::string, std::set<ActorId>, std::less<>> m_by_body;
  // TLD -> the actors whose `manages` lists it: manager_of runs for every body a policy
  // evaluation seats, and a scan of every actor (or a string built per lookup) showed there.
  std::map<std::string, std::set<ActorId>, std::less<>> m_by_tld;
};

/// An actor's private key (Ed25519), as written by `rootgov keygen` and `rootgov lab init`.
class ActorKey {
 public:
  /// A fresh key from the system RNG. Precondition: is_valid_actor_id(id) (otherwise throws
  /// std::invalid_argument).
  static ActorKey generate(ActorId id);
  /// Reads a key file; errors say which file and why (missing, unreadable, malformed).
  static Result<ActorKey> from_file(const std::filesystem::path& path);
  static Result<ActorKey> from_text(std::string_view text);
  /// Writes the key file with mode 0600, atomically; refuses to overwrite unless asked.
  Result<void> write(const std::filesystem::path& path, bool overwrite = false) const;
  std::string to_text() const;

  const ActorId& actor() const { return m_actor; }
  /// base64 of the 32-byte public key, as in actors.toml
  std::string public_key() const;
  /// Ed25519 signature (64 bytes) over `message`.
  std::string sign(std::string_view message) const;

 private:
  ActorId m_actor;
  std::string m_seed;    // 32 raw bytes
  std::string m_public;  // 32 raw bytes, derived from m_seed
};

/// Verifies an Ed25519 signature (the 64 raw bytes ActorKey::sign returns) with a base64 public
/// key as stored in the registry. False for a malformed key or signature too.
bool verify_signature(std::string_view public_key_b64, std::string_view message, std::string_view signature);

/// The default actor set: the world of 2005 onward (DESIGN.md section 4), without keys.
/// `tlds` adds a manager.<tld> for every TLD given (labels without the dot, any case; an invalid
/// label throws std::invalid_argument).
std::vector<Actor> default_actors(const std::vector<std::string>& tlds);

/// Sets up a lab in `dir`: a fresh key per actor in <dir>/keys/<id>.key (mode 0600) and the
/// registry with those public keys in <dir>/actors.toml. Existing key files are an error
/// (nothing of the registry is written) unless `overwrite`.
Result<ActorRegistry> write_lab(const std::filesystem::path& dir, std::vector<Actor> actors, bool overwrite = false);

}  // namespace rootgov::authority
