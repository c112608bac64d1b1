#include <rootgov/authority/actors.hpp>

#include <sys/stat.h>

#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "authority/test_util.hpp"

namespace rootgov::authority {
namespace {

using testing::TempDir;

const char* kSample = R"(
[[actor]]
id = "ntia"
name = "NTIA"
roles = ["ntia"]
region = "north-america"
country = "us"

[[actor]]
id = "gov.br"
name = "Government of Brazil"
roles = ["government"]
bodies = ["gac", "gic"]
region = "latin-america"
country = "br"

[[actor]]
id = "manager.br"
name = "NIC.br"
roles = ["tld-manager"]
manages = ["br"]
)";

TEST(ActorRegistry, LoadsToml) {
  auto reg = ActorRegistry::from_toml(kSample);
  ASSERT_TRUE(reg) << reg.error().message;
  EXPECT_EQ(reg->all().size(), 3U);
  const Actor* br = reg->find("gov.br");
  ASSERT_NE(br, nullptr);
  EXPECT_EQ(br->name, "Government of Brazil");
  EXPECT_EQ(br->bodies, (std::vector<std::string>{"gac", "gic"}));
  EXPECT_EQ(reg->government_of("br"), br);
  EXPECT_EQ(reg->manager_of("br")->id, "manager.br");
  EXPECT_EQ(reg->manager_of("de"), nullptr);
  EXPECT_EQ(reg->with_role("ntia").size(), 1U);
  EXPECT_EQ(reg->in_body("gic").size(), 1U);
}

// The manager of a TLD is whoever lists it in `manages`, the conventional "manager.<tld>"
// first when it does; the conventional id alone only while it lists nothing. A transfer (an
// actor re-added with other `manages`) moves the TLD at once.
TEST(ActorRegistry, ManagerOfFollowsWhoListsTheTld) {
  auto reg = ActorRegistry::from_toml(kSample);
  ASSERT_TRUE(reg) << reg.error().message;
  auto actor = [](std::string id, std::vector<std::string> manages) {
    Actor a{std::move(id), "x", {"tld-manager"}, {}, "", "", std::move(manages), ""};
    a.public_key = ActorKey::generate(a.id).public_key();
    return a;
  };
  ASSERT_TRUE(reg->add(actor("manager.de", {})));
  EXPECT_EQ(reg->manager_of("de")->id, "manager.de") << "the conventional id while it lists nothing";
  ASSERT_TRUE(reg->add(actor("a.registry", {"de", "fr"})));
  EXPECT_EQ(reg->manager_of("de")->id, "a.registry") << "whoever lists the TLD comes before the conventional id";
  EXPECT_EQ(reg->manager_of("fr")->id, "a.registry");
  ASSERT_TRUE(reg->add(actor("manager.fr", {"fr"})));
  EXPECT_EQ(reg->manager_of("fr")->id, "manager.fr") << "the conventional id first when it lists the TLD";
  ASSERT_TRUE(reg->add(actor("a.registry", {"fr"})));  // gives up de
  EXPECT_EQ(reg->manager_of("de")->id, "manager.de");
  ASSERT_TRUE(reg->add(actor("manager.de", {"it"})));
  EXPECT_EQ(reg->manager_of("de"), nullptr) << "a conventional id that lists other TLDs does not manage this one";
  EXPECT_EQ(reg->manager_of("it")->id, "manager.de");
  ASSERT_TRUE(reg->add(actor("b.registry", {"de"})));
  ASSERT_TRUE(reg->add(actor("c.registry", {"de"})));
  EXPECT_EQ(reg->manager_of("de")->id, "b.registry") << "several listing it: the first in id order";
  EXPECT_EQ(reg->manager_of("br")->id, "manager.br");
}

TEST(ActorRegistry, RoundTripsThroughToml) {
  auto reg = ActorRegistry::from_toml(kSample);
  ASSERT_TRUE(reg);
  Actor quoted{"cs.quote", "A \"quoted\" name \\ with\ttab", {"civil-society"}, {"igf"}, "", "", {}, ""};
  quoted.public_key = ActorKey::generate("cs.quote").public_key();
  ASSERT_TRUE(reg->add(quoted));
  std::string text = reg->to_toml();
  auto again = ActorRegistry::from_toml(text);
  ASSERT_TRUE(again) << again.error().message << "\n" << text;
  EXPECT_EQ(again->to_toml(), text);
  EXPECT_EQ(again->find("cs.quote")->name, quoted.name);
  EXPECT_EQ(again->find("cs.quote")->public_key, quoted.public_key);
  EXPECT_EQ(again->fingerprint(), reg->fingerprint());
  EXPECT_EQ(reg->fingerprint().size(), 64U);
  ASSERT_TRUE(again->add(Actor{"tc.extra", "x", {"technical-community"}, {}, "", "", {}, ""}));
  EXPECT_NE(again->fingerprint(), reg->fingerprint());
}

void expect_error(const std::string& text, std::initializer_list<std::string_view> fragments) {
  auto reg = ActorRegistry::from_toml(text, "lab/actors.toml");
  ASSERT_FALSE(reg) << text;
  EXPECT_EQ(reg.error().code, Errc::invalid_input);
  for (auto f : fragments) {
    EXPECT_NE(reg.error().message.find(f), std::string::npos) << "'" << f << "' not in: " << reg.error().message;
  }
}

TEST(ActorRegistry, ErrorsNameFileActorAndKey) {
  expect_error("[[actor]]\nid = \"gov.br\"\nroles = [\"government\"]\nrgion = \"europe\"\n",
               {"lab/actors.toml:4", "actor 'gov.br'", "key 'rgion'", "unknown key"});
  expect_error("[[actor]]\nid = \"gov.br\"\nroles = [\"government\"]\nregion = \"mars\"\n",
               {"lab/actors.toml", "actor 'gov.br'", "key 'region'", "mars"});
  expect_error("[[actor]]\nid = \"gov.br\"\nroles = \"government\"\n", {"actor 'gov.br'", "key 'roles'"});
  expect_error("[[actor]]\nid = \"Gov.BR\"\nroles = [\"government\"]\n", {"lab/actors.toml", "Gov.BR"});
  expect_error("[[actor]]\nname = \"x\"\n", {"actor #1", "key 'id'"});
  expect_error("[[actor]]\nid = \"a\"\nroles = [\"x\"]\npublic_key = \"AAAA\"\n", {"actor 'a'", "key 'public_key'"});
  expect_error("[[actor]]\nid = \"a\"\nroles = [\"x\"]\n[[actor]]\nid = \"a\"\nroles = [\"x\"]\n", {"defined twice"});
  expect_error("actors = 1\n", {"unknown top-level key 'actors'"});
  expect_error("[[actor]\n", {"lab/actors.toml", "invalid TOML"});
  expect_error("[[actor]]\nid = \"a\"\nroles = []\n", {"actor 'a'", "key 'roles'"});
}

TEST(ActorRegistry, AddRefusesInvalidAndChangesNothing) {
  ActorRegistry reg;
  EXPECT_FALSE(reg.add(Actor{"Bad Id", "x", {"r"}, {}, "", "", {}, ""}));
  EXPECT_FALSE(reg.add(Actor{"ok", "x", {"r"}, {}, "", "", {}, "not base64!"}));
  EXPECT_FALSE(reg.add(Actor{"ok", "x", {"r"}, {}, "", "usa", {}, ""}));
  EXPECT_TRUE(reg.all().empty());
}

std::vector<std::string> ids(const std::vector<const Actor*>& actors) {
  std::vector<std::string> out;
  for (const Actor* a : actors) out.push_back(a->id);
  return out;
}

TEST(ActorRegistry, RoleAndBodyLookupsFollowReplacedActors) {
  auto reg = ActorRegistry::from_toml(kSample).value();
  EXPECT_EQ(ids(reg.with_role("government")), std::vector<std::string>{"gov.br"});
  EXPECT_EQ(ids(reg.in_body("gic")), std::vector<std::string>{"gov.br"});
  EXPECT_EQ(reg.government_of("br")->id, "gov.br");
  // Brazil leaves the GIC and takes a second role; a new government joins the GIC.
  Actor br = *reg.find("gov.br");
  br.bodies = {"gac"};
  br.roles = {"government", "observer"};
  ASSERT_TRUE(reg.add(br));
  ASSERT_TRUE(reg.add(Actor{"gov.ar", "Argentina", {"government"}, {"gic"}, "latin-america", "ar", {}, ""}));
  EXPECT_EQ(ids(reg.in_body("gic")), std::vector<std::string>{"gov.ar"});
  EXPECT_EQ(ids(reg.in_body("gac")), std::vector<std::string>{"gov.br"});
  EXPECT_EQ(ids(reg.with_role("government")), (std::vector<std::string>{"gov.ar", "gov.br"}));
  EXPECT_EQ(ids(reg.with_role("observer")), std::vector<std::string>{"gov.br"});
  EXPECT_TRUE(reg.with_role("nobody").empty());
  EXPECT_EQ(reg.government_of("ar")->id, "gov.ar");
  // A refused replacement leaves the lookups as they were.
  br.country = "bra";
  EXPECT_FALSE(reg.add(br));
  EXPECT_EQ(ids(reg.with_role("observer")), std::vector<std::string>{"gov.br"});
}

TEST(ActorKey, SignsAndVerifies) {
  ActorKey key = ActorKey::generate("gov.br");
  std::string sig = key.sign("hello");
  EXPECT_EQ(sig.size(), 64U);
  EXPECT_TRUE(verify_signature(key.public_key(), "hello", sig));
  EXPECT_FALSE(verify_signature(key.public_key(), "hellp", sig));
  std::string bad = sig;
  bad[10] = static_cast<char>(bad[10] ^ 1);
  EXPECT_FALSE(verify_signature(key.public_key(), "hello", bad));
  EXPECT_FALSE(verify_signature(ActorKey::generate("x").public_key(), "hello", sig));
  EXPECT_FALSE(verify_signature("garbage", "hello", sig));
  EXPECT_FALSE(verify_signature(key.public_key(), "hello", sig.substr(0, 63)));
  // Ed25519 is deterministic (RFC 8032).
  EXPECT_EQ(key.sign("hello"), sig);
}

TEST(ActorKey, Rfc8032TestVector1) {
  // RFC 8032 section 7.1, TEST 1: secret key 9d61b19d...7f60, empty message.
  std::string text =
      "format = \"rootgov-actor-key/1\"\nactor = \"test\"\nalgorithm = \"ed25519\"\n"
      "seed = \"nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=\"\n";
  auto key = ActorKey::from_text(text);
  ASSERT_TRUE(key) << key.error().message;
  // public key d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a
  EXPECT_EQ(key->public_key(), "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=");
  std::string sig = key->sign("");
  const std::string expected_hex =
      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
      "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";
  std::string hex;
  for (unsigned char c : sig) {
    static constexpr char kDigits[] = "0123456789abcdef";
    hex.push_back(kDigits[c >> 4]);
    hex.push_back(kDigits[c & 0xF]);
  }
  EXPECT_EQ(hex, expected_hex);
}

TEST(ActorKey, FileRoundTripMode0600AndNoOverwrite) {
  TempDir dir;
  ActorKey key = ActorKey::generate("manager.br");
  auto path = dir / "manager.br.key";
  ASSERT_TRUE(key.write(path));
  struct stat st{};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600U);
  auto loaded = ActorKey::from_file(path);
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(loaded->actor(), "manager.br");
  EXPECT_EQ(loaded->public_key(), key.public_key());
  EXPECT_EQ(loaded->sign("x"), key.sign("x"));

  ActorKey other = ActorKey::generate("manager.br");
  auto again = other.write(path);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Errc::conflict);
  EXPECT_EQ(ActorKey::from_file(path)->public_key(), key.public_key());
  ASSERT_TRUE(other.write(path, /*overwrite=*/true));
  EXPECT_EQ(ActorKey::from_file(path)->public_key(), other.public_key());
  // No temporary files are left behind.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), std::filesystem::directory_iterator()), 1);
}

TEST(ActorKey, RejectsMalformedFiles) {
  TempDir dir;
  auto missing = ActorKey::from_file(dir / "nope.key");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("nope.key"), std::string::npos);
  std::string good = ActorKey::generate("a").to_text();
  EXPECT_TRUE(ActorKey::from_text(good));
  EXPECT_FALSE(ActorKey::from_text(good + "extra = \"x\"\n"));
  EXPECT_FALSE(ActorKey::from_text("format = \"rootgov-actor-key/1\"\nactor = \"a\"\nalgorithm = \"ed25519\"\n"
                                   "seed = \"AAAA\"\n"));
  std::string tampered = good;
  auto pos = tampered.find("public_key = \"") + 14;
  tampered[pos] = tampered[pos] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(ActorKey::from_text(tampered));
  {
    std::ofstream(dir / "bad.key") << "not toml [";
  }
  auto bad = ActorKey::from_file(dir / "bad.key");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("bad.key"), std::string::npos);
}

TEST(DefaultActors, CoverTheWorldOf2005Onward) {
  auto actors = default_actors({"br", "com", "XN--P1AI."});
  ActorRegistry reg;
  for (auto& a : actors) ASSERT_TRUE(reg.add(a)) << a.id;
  for (const char* id : {"ntia", "iana", "icann-board", "verisign", "instructor", "pti", "wicann", "manager.br",
                         "manager.com", "manager.xn--p1ai", "gov.us", "gov.br", "gov.cn", "gov.za"}) {
    EXPECT_NE(reg.find(id), nullptr) << id;
  }
  EXPECT_TRUE(reg.find("verisign")->has_role("rzm"));
  EXPECT_EQ(reg.manager_of("xn--p1ai")->country, "ru");
  EXPECT_EQ(reg.manager_of("com")->country, "");

  auto govs = reg.with_role("government");
  EXPECT_GE(govs.size(), 20U);
  std::set<std::string> regions;
  for (const Actor* g : govs) {
    regions.insert(g->region);
    EXPECT_EQ(g->id, "gov." + g->country);
    EXPECT_TRUE(g->sits_on("gac"));
  }
  EXPECT_EQ(regions.size(), 5U);

  for (const char* body : {"gac", "gic", "iic", "gipc", "wicann", "wicann-oc", "gigf", "igf", "pti", "csc", "rzerc",
                           "ec"}) {
    EXPECT_FALSE(reg.in_body(body).empty()) << body;
  }
  EXPECT_EQ(reg.in_body("rzerc").size(), 9U);
  EXPECT_EQ(reg.in_body("ec").size(), 5U);
  EXPECT_EQ(reg.in_body("wicann-oc").size(), 5U);
  EXPECT_EQ(reg.with_role("crypto-officer").size(), 7U);
  for (int i = 1; i <= 7; ++i) EXPECT_NE(reg.find("co" + std::to_string(i)), nullptr);
  EXPECT_GE(reg.with_role("private-sector").size(), 3U);
  EXPECT_GE(reg.with_role("civil-society").size(), 3U);
  EXPECT_GE(reg.with_role("technical-community").size(), 3U);
  // The roster survives a TOML round trip.
  auto again = ActorRegistry::from_toml(reg.to_toml());
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->all().size(), reg.all().size());
}

}  // namespace
}  // namespace rootgov::authority
