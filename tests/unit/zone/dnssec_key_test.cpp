// tests/unit/zone/dnssec_key_test.cpp - BIND-format keys, key tags, DS, signatures.
#include <rootgov/zone/dnssec_key.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>

#include <openssl/evp.h>

#include <rootgov/zone/zone.hpp>

namespace rootgov::zone {
namespace {

namespace fs = std::filesystem;
const fs::path kRootZone = fs::path(ROOTGOV_TEST_DATA) / "root-2020090500.zone";

fs::path temp_dir(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("rootgov-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

TEST(DnssecKeyTest, KeyTagAndDsOfTheRootKsk2017) {
  // Vector from elsewhere: the root zone's own DNSKEY set and the published root trust anchor.
  auto zone = Zone::from_file(kRootZone);
  ASSERT_TRUE(zone);
  const RRset* keys = zone->find(Name(), rrtype::kDnskey);
  ASSERT_NE(keys, nullptr);
  bool found = false;
  for (const auto& rd : keys->rdatas) {
    if (compute_key_tag(rd) != 20326) continue;
    found = true;
    auto ds = parse_ds(compute_ds(Name(), rd));
    ASSERT_TRUE(ds);
    EXPECT_EQ(ds->key_tag, 20326);
    EXPECT_EQ(ds->algorithm, 8);
    EXPECT_EQ(ds->digest_type, 2);
    EXPECT_EQ(rdata_to_text(rrtype::kDs, compute_ds(Name(), rd)),
              "20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D");
  }
  EXPECT_TRUE(found);
}

TEST(DnssecKeyTest, GenerateWriteLoadSignVerifyEachAlgorithm) {
  fs::path dir = temp_dir("keys");
  for (auto alg : {DnssecAlgorithm::rsasha256, DnssecAlgorithm::ecdsap256sha256, DnssecAlgorithm::ed25519}) {
    for (bool ksk : {false, true}) {
      auto prefix = generate_key(dir, Name(), alg, ksk, 1024);
      ASSERT_TRUE(prefix) << prefix.error().message;
      auto key = DnssecKey::load(*prefix);
      ASSERT_TRUE(key) << key.error().message;
      EXPECT_EQ(key->algorithm(), alg);
      EXPECT_EQ(key->is_ksk(), ksk);
      EXPECT_EQ(key->flags(), ksk ? 257 : 256);
      EXPECT_EQ(prefix->filename().string(), key->file_prefix());
      auto by_file = DnssecKey::load(fs::path(prefix->string() + ".private"));
      ASSERT_TRUE(by_file);
      EXPECT_EQ(by_file->dnskey(), key->dnskey());
      std::string msg = "signed data";
      auto sig = key->sign(msg);
      ASSERT_TRUE(sig);
      EXPECT_EQ(sig->size(), alg == DnssecAlgorithm::rsasha256 ? 128u : 64u);
      EXPECT_TRUE(verify_signature(key->dnskey(), msg, *sig));
      std::string bad = *sig;
      bad[5] = static_cast<char>(bad[5] ^ 1);
      EXPECT_FALSE(verify_signature(key->dnskey(), msg, bad));
      EXPECT_FALSE(verify_signature(key->dnskey(), "other data", *sig));
    }
  }
  fs::remove_all(dir);
}

TEST(DnssecKeyTest, DeterministicAlgorithmsSignDeterministically) {
  for (auto alg : {DnssecAlgorithm::rsasha256, DnssecAlgorithm::ed25519}) {
    auto key = DnssecKey::generate(Name(), alg, false, 1024);
    ASSERT_TRUE(key);
    EXPECT_EQ(key->sign("x").value(), key->sign("x").value());
  }
}

TEST(DnssecKeyTest, ReadsKeysMadeByLdnsKeygen) {
  if (std::system("command -v ldns-keygen >/dev/null 2>&1") != 0) GTEST_SKIP() << "ldns-keygen not installed";
  fs::path dir = temp_dir("ldnskeys");
  for (std::string alg : {"RSASHA256 -b 1024", "ECDSAP256SHA256", "ED25519"}) {
    std::string cmd = "cd " + dir.string() + " && ldns-keygen -k -a " + alg + " . > prefix.txt";
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    std::ifstream in(dir / "prefix.txt");
    std::string prefix;
    in >> prefix;
    auto key = DnssecKey::load(dir / prefix);
    ASSERT_TRUE(key) << key.error().message;
    EXPECT_TRUE(key->is_ksk());
    EXPECT_EQ(key->file_prefix(), prefix);
    // ldns-keygen writes the DS next to the key: ours must agree.
    std::ifstream ds_in(dir / (prefix + ".ds"));
    std::string owner, cls, type, tag, a, dt, digest;
    ds_in >> owner >> cls >> type >> tag >> a >> dt >> digest;
    auto ds = parse_ds(key->ds());
    ASSERT_TRUE(ds);
    EXPECT_EQ(std::to_string(ds->key_tag), tag);
    std::string ours = rdata_to_text(rrtype::kDs, key->ds());
    for (auto& c : digest) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    EXPECT_EQ(ours.substr(ours.rfind(' ') + 1), digest);
  }
  fs::remove_all(dir);
}

// ldns-keygen writes an ECDSA private key as the shortest big-endian integer: 31 octets when
// the first is zero (1 key in 256). Such a file loads and signs like the 32-octet form.
TEST(DnssecKeyTest, EcdsaPrivateKeyWithoutLeadingZeroLoads) {
  fs::path dir = temp_dir("ecdsa31");
  for (int attempt = 0; attempt < 5000; ++attempt) {
    auto prefix = generate_key(dir, Name(), DnssecAlgorithm::ecdsap256sha256, false).value();
    const std::string priv = prefix.string() + ".private";
    std::ifstream in(priv);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto at = text.find("PrivateKey: ");
    ASSERT_NE(at, std::string::npos);
    auto end = text.find('\n', at);
    std::string b64 = text.substr(at + 12, end - at - 12);
    unsigned char raw[48];
    ASSERT_EQ(EVP_DecodeBlock(raw, reinterpret_cast<const unsigned char*>(b64.data()), static_cast<int>(b64.size())), 33);
    if (raw[0] != 0) {  // 32 octets (33 with the '=' padding's zero): not the case sought
      fs::remove(priv);
      fs::remove(prefix.string() + ".key");
      continue;
    }
    unsigned char out[64];
    int n = EVP_EncodeBlock(out, raw + 1, 31);
    std::ofstream(priv) << text.substr(0, at + 12) << std::string(reinterpret_cast<char*>(out), static_cast<std::size_t>(n))
                        << text.substr(end);
    auto key = DnssecKey::load(prefix);
    ASSERT_TRUE(key) << key.error().message;
    auto again = DnssecKey::load(prefix);
    ASSERT_TRUE(again);
    EXPECT_EQ(key->dnskey(), again->dnskey());
    fs::remove_all(dir);
    return;
  }
  FAIL() << "no key with a leading zero octet in 5000 attempts";
}

TEST(DnssecKeyTest, ReadOwnerNeedsOnlyThePublicHalf) {
  fs::path dir = temp_dir("owner");
  Name example = Name::parse("example.").value();
  auto prefix = generate_key(dir, example, DnssecAlgorithm::ed25519, true).value();
  fs::remove(prefix.string() + ".private");
  for (const std::string& path : {prefix.string(), prefix.string() + ".key", prefix.string() + ".private"}) {
    auto owner = DnssecKey::read_owner(path);
    ASSERT_TRUE(owner) << path << ": " << owner.error().message;
    EXPECT_EQ(*owner, example);
  }
  auto key = DnssecKey::load(prefix);  // the private half is gone: the key itself cannot load
  ASSERT_FALSE(key);
  EXPECT_EQ(key.error().code, Errc::io);
  auto missing = DnssecKey::read_owner(dir / "K.+015+00000");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::io);
  std::ofstream(dir / "K.+015+00002.key") << ". IN NS a.example.\n";
  auto no_dnskey = DnssecKey::read_owner(dir / "K.+015+00002");
  ASSERT_FALSE(no_dnskey);
  EXPECT_EQ(no_dnskey.error().code, Errc::invalid_input);
  fs::remove_all(dir);
}

TEST(DnssecKeyTest, RejectsMissingAndMismatchedFiles) {
  fs::path dir = temp_dir("badkeys");
  auto missing = DnssecKey::load(dir / "K.+015+00000");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::io);
  auto a = generate_key(dir, Name(), DnssecAlgorithm::ed25519, false).value();
  auto b = generate_key(dir, Name(), DnssecAlgorithm::ed25519, false).value();
  fs::copy_file(b.string() + ".private", a.string() + ".private", fs::copy_options::overwrite_existing);
  auto mismatched = DnssecKey::load(a);
  ASSERT_FALSE(mismatched);
  EXPECT_EQ(mismatched.error().code, Errc::invalid_input);
  std::ofstream(dir / "K.+015+00001.key") << ". IN DNSKEY 256 3 5 AwEAAb66s6tUvA7yhIDpJXICFv+zboE7\n";
  std::ofstream(dir / "K.+015+00001.private") << "Private-key-format: v1.2\nAlgorithm: 5 (RSASHA1)\n";
  EXPECT_FALSE(DnssecKey::load(dir / "K.+015+00001.key"));
  fs::remove_all(dir);
}

TEST(DnssecKeyTest, AlgorithmNames) {
  EXPECT_EQ(algorithm_from_string("rsasha256"), DnssecAlgorithm::rsasha256);
  EXPECT_EQ(algorithm_from_string("ECDSAP256SHA256"), DnssecAlgorithm::ecdsap256sha256);
  EXPECT_EQ(algorithm_from_string("15"), DnssecAlgorithm::ed25519);
  EXPECT_FALSE(algorithm_from_string("rsasha1"));
  EXPECT_EQ(algorithm_mnemonic(DnssecAlgorithm::ed25519), "ED25519");
}

}  // namespace
}  // namespace rootgov::zone
