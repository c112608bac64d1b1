// cli/src/keys_cmd.cpp - actor keys: `rootgov keygen` and `rootgov lab init`.
#include <filesystem>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include <rootgov/authority/actors.hpp>
#include <rootgov/zone/embedded.hpp>
#include <rootgov/zone/zone.hpp>

#include "commands.hpp"

namespace rootgov::cli {
namespace {

namespace fs = std::filesystem;
using authority::Actor;
using authority::ActorKey;

// The TLDs delegated in a zone file (or in the embedded default zone when `path` is empty).
std::vector<std::string> tlds_of(const std::string& path) {
  auto parsed = path.empty() ? zone::Zone::from_text(zone::embedded_default_root_zone())
                             : zone::Zone::from_file(path);
  if (!parsed) {
    const auto& f = parsed.error().front();
    throw ExitError(kExitUsage, zone::format_finding(f, path.empty() ? "<embedded>" : path));
  }
  std::vector<std::string> out;
  for (const auto& [name, node] : parsed->nodes()) {
    if (name.label_count() == 1 && node.find(zone::rrtype::kNs) != nullptr) out.push_back(name.tld_label());
  }
  return out;
}

void write_key(const ActorKey& key, const fs::path& path, bool force) {
  if (auto w = key.write(path, force); !w) throw ExitError(kExitIo, w.error().message);
}

}  // namespace

void register_keys_commands(CLI::App& app) {
  auto* keygen = app.add_subcommand("keygen", "make a new Ed25519 actor key (private key file, mode 0600)");
  auto out = std::make_shared<std::string>();
  auto id = std::make_shared<std::string>();
  auto force = std::make_shared<bool>(false);
  keygen->add_option("--out", *out, "where to write the private key")->required();
  keygen->add_option("--id", *id, "the actor id the key is for (default: the file name without .key)");
  keygen->add_flag("--force", *force, "overwrite an existing file");
  keygen->callback([out, id, force] {
    std::string actor = !id->empty() ? *id : fs::path(*out).stem().string();
    if (!authority::is_valid_actor_id(actor)) {
      throw ExitError(kExitUsage, "'" + actor + "' is not a valid actor id ([a-z0-9][a-z0-9.-]*); pass --id");
    }
    ActorKey key = ActorKey::generate(actor);
    write_key(key, *out, *force);
    std::cout << "wrote " << *out << " for actor '" << actor << "'\npublic key: " << key.public_key() << '\n';
  });

  auto* lab = app.add_subcommand("lab", "lab set-up");
  lab->require_subcommand(1);
  auto* init = lab->add_subcommand("init", "write actors.toml and one private key per actor for a lab");
  auto dir = std::make_shared<std::string>();
  auto zones = std::make_shared<std::vector<std::string>>();
  init->add_option("--out", *dir, "the lab folder to create")->required();
  init->add_option("--zone", *zones, "zone files whose TLDs get a manager (default: the embedded root zone)");
  init->add_flag("--force", *force, "overwrite existing key files");
  init->callback([dir, zones, force] {
    std::set<std::string> tlds;
    if (zones->empty()) {
      for (auto& t : tlds_of("")) tlds.insert(t);
    }
    for (const auto& z : *zones) {
      for (auto& t : tlds_of(z)) tlds.insert(t);
    }
    std::vector<Actor> actors = authority::default_actors({tlds.begin(), tlds.end()});
    fs::path root(*dir);
    auto registry = authority::write_lab(root, actors, *force);
    if (!registry) {
      throw ExitError(registry.error().code == Errc::invalid_input ? kExitUsage : kExitIo, registry.error().message);
    }
    fs::path registry_path = root / "actors.toml";
    std::cout << "wrote " << registry_path.string() << " (" << actors.size() << " actors) and "
              << actors.size() << " keys in " << (root / "keys").string() << '\n';
  });
}

}  // namespace rootgov::cli
