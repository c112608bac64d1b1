// tests/unit/zone/ed25519_backend_test.cpp - Ed25519 signatures (made with nettle inside
// rootgov_zone) against RFC 8032 vectors and against OpenSSL libcrypto signing the same data.
#include <openssl/evp.h>

#include <gtest/gtest.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <string>

#include <rootgov/zone/dnssec_key.hpp>

namespace rootgov::zone {
namespace {

namespace fs = std::filesystem;

fs::path temp_dir(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("rootgov-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::string from_hex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  return out;
}

std::string base64(std::string_view raw) {
  std::string out(4 * ((raw.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), reinterpret_cast<const unsigned char*>(raw.data()),
                          static_cast<int>(raw.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

// Writes a BIND-format key pair for the root with the given raw Ed25519 seed and public key.
fs::path write_key(const fs::path& dir, std::string_view seed, std::string_view pub) {
  fs::path prefix = dir / "K.+015+00001";
  std::ofstream(prefix.string() + ".key") << ". IN DNSKEY 256 3 15 " << base64(pub) << "\n";
  std::ofstream(prefix.string() + ".private") << "Private-key-format: v1.3\nAlgorithm: 15 (ED25519)\nPrivateKey: "
                                              << base64(seed) << "\n";
  return prefix;
}

// The reference: libcrypto's one-shot EdDSA over the same seed.
std::string libcrypto_sign(std::string_view seed, std::string_view msg) {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> pkey(
      EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(seed.data()), seed.size()),
      EVP_PKEY_free);
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  std::array<unsigned char, 64> sig{};
  std::size_t len = sig.size();
  if (!pkey || !ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, pkey.get()) != 1 ||
      EVP_DigestSign(ctx.get(), sig.data(), &len, reinterpret_cast<const unsigned char*>(msg.data()), msg.size()) != 1) {
    return {};
  }
  return std::string(reinterpret_cast<const char*>(sig.data()), len);
}

std::string libcrypto_public(std::string_view seed) {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> pkey(
      EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(seed.data()), seed.size()),
      EVP_PKEY_free);
  std::array<unsigned char, 32> pub{};
  std::size_t len = pub.size();
  if (!pkey || EVP_PKEY_get_raw_public_key(pkey.get(), pub.data(), &len) != 1) return {};
  return std::string(reinterpret_cast<const char*>(pub.data()), len);
}

TEST(Ed25519BackendTest, Rfc8032Section7_1Tests1And2) {
  struct Vector {
    const char* seed;
    const char* pub;
    const char* msg;
    const char* sig;
  };
  const Vector vectors[] = {
      {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
       "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
       "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe2465"
       "5141438e7a100b"},
      {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
       "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
       "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb0"
       "0d291612bb0c00"},
  };
  fs::path dir = temp_dir("ed25519-rfc8032");
  for (const auto& v : vectors) {
    auto key = DnssecKey::load(write_key(dir, from_hex(v.seed), from_hex(v.pub)));
    ASSERT_TRUE(key) << key.error().message;
    auto sig = key->sign(from_hex(v.msg));
    ASSERT_TRUE(sig);
    EXPECT_EQ(*sig, from_hex(v.sig));
    EXPECT_EQ(*sig, libcrypto_sign(from_hex(v.seed), from_hex(v.msg)));
  }
  fs::remove_all(dir);
}

TEST(Ed25519BackendTest, SameSignaturesAsLibcryptoForRandomKeysAndMessages) {
  fs::path dir = temp_dir("ed25519-random");
  std::mt19937_64 rng(20261128);
  auto random_bytes = [&](std::size_t n) {
    std::string s(n, '\0');
    for (auto& c : s) c = static_cast<char>(rng() & 0xff);
    return s;
  };
  for (int k = 0; k < 8; ++k) {
    std::string seed = random_bytes(32);
    auto key = DnssecKey::load(write_key(dir, seed, libcrypto_public(seed)));
    ASSERT_TRUE(key) << key.error().message;
    // Lengths around the SHA-512 block size (128) and typical RRset sizes.
    for (std::size_t len : {0u, 1u, 63u, 111u, 112u, 127u, 128u, 129u, 255u, 600u, 4096u}) {
      std::string msg = random_bytes(len);
      auto sig = key->sign(msg);
      ASSERT_TRUE(sig);
      EXPECT_EQ(*sig, libcrypto_sign(seed, msg)) << "key " << k << ", message of " << len << " octets";
      EXPECT_TRUE(verify_signature(key->dnskey(), msg, *sig));
    }
  }
  fs::remove_all(dir);
}

TEST(Ed25519BackendTest, RejectsAPublicKeyThatIsNotTheSeeds) {
  fs::path dir = temp_dir("ed25519-mismatch");
  std::string seed = from_hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
  std::string other = from_hex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c");
  auto key = DnssecKey::load(write_key(dir, seed, other));
  ASSERT_FALSE(key);
  EXPECT_EQ(key.error().code, Errc::invalid_input);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace rootgov::zone
