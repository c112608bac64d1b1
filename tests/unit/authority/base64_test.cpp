// Canonical base64: the fast decoder (public data) and the constant-time one (secrets) accept
// exactly the same texts and give the same bytes.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "../../authority/src/crypto.hpp"

namespace rootgov::authority {
namespace {

TEST(Base64, DecodesTheRfc4648Vectors) {
  // RFC 4648 section 10.
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},        {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, text] : vectors) {
    auto fast = crypto::base64_decode(text);
    auto secret = crypto::base64_decode_secret(text);
    ASSERT_TRUE(fast) << text << ": " << fast.error().message;
    ASSERT_TRUE(secret) << text << ": " << secret.error().message;
    EXPECT_EQ(*fast, plain) << text;
    EXPECT_EQ(*secret, plain) << text;
    EXPECT_EQ(crypto::base64_encode(plain), text);
  }
}

TEST(Base64, RejectsEveryNonCanonicalText) {
  const char* bad[] = {
      "Zg=",        // length not a multiple of 4
      "Zg",         // no padding
      "Zh==",       // non-zero bits under the padding (one byte left)
      "Zm9=",       // non-zero bits under the padding (two bytes left)
      "Z===",       // three pads
      "====",       // padding only
      "Zg==Zm8=",   // padding before the end
      "Z=g=",       // '=' inside a quantum
      "Zm 9v",      // whitespace
      "Zm9v\n",     // trailing newline
      "Zm9-",       // URL-safe alphabet
      "Zm9_",       // URL-safe alphabet
      "Zm9\xc3",    // a byte outside ASCII
      "Zg=A",       // a character after a pad
  };
  for (const char* text : bad) {
    EXPECT_FALSE(crypto::base64_decode(text)) << '"' << text << '"';
    EXPECT_FALSE(crypto::base64_decode_secret(text)) << '"' << text << '"';
  }
  std::string with_nul("Zm8=", 4);
  with_nul[1] = '\0';
  EXPECT_FALSE(crypto::base64_decode(with_nul));
  EXPECT_FALSE(crypto::base64_decode_secret(with_nul));
}

TEST(Base64, BothDecodersAgreeOnRandomTextsAndTheirMutations) {
  std::mt19937 rng(20261206);
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=- ";
  for (int round = 0; round < 3000; ++round) {
    std::string bytes(rng() % 70, '\0');
    for (char& c : bytes) c = static_cast<char>(rng());
    std::string text = crypto::base64_encode(bytes);
    auto fast = crypto::base64_decode(text);
    ASSERT_TRUE(fast) << text;
    ASSERT_EQ(*fast, bytes);
    // One changed character, or one cut from the end: both decoders agree on accept or reject,
    // and on the bytes when they accept.
    std::string mutated = text;
    if (!mutated.empty() && round % 2 == 0) {
      mutated[rng() % mutated.size()] = alphabet[rng() % alphabet.size()];
    } else if (!mutated.empty()) {
      mutated.pop_back();
    }
    auto a = crypto::base64_decode(mutated);
    auto b = crypto::base64_decode_secret(mutated);
    ASSERT_EQ(a.has_value(), b.has_value()) << '"' << mutated << '"';
    if (a) {
      EXPECT_EQ(*a, *b) << mutated;
      EXPECT_EQ(crypto::base64_encode(*a), mutated) << "accepted text is canonical";
    }
  }
}

}  // namespace
}  // namespace rootgov::authority
