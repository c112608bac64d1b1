#include <rootgov/authority/merkle.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

namespace rootgov::authority {
namespace {

namespace fs = std::filesystem;

const fs::path kVectors = fs::path(ROOTGOV_TEST_DATA) / "merkle-vectors";

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// A vector's hash. Some vectors use placeholder values of other lengths ("don't care", "")
/// where only equality matters; our API takes 32-byte hashes, so such a value becomes a stand-in
/// that keeps equality among values of the same `role` ("root", "leaf", "node") and can never
/// equal a real hash.
std::optional<MerkleHash> hash_of(const Json* j, std::string_view role) {
  if (j == nullptr || j->as_string() == nullptr) return std::nullopt;
  if (auto h = merkle_hash_from_base64(*j->as_string())) return *h;
  MerkleHash stand_in = merkle_leaf_hash("not a 32-byte " + std::string(role) + " hash: " + *j->as_string());
  stand_in[0] ^= 0x5A;
  return stand_in;
}

std::optional<std::vector<MerkleHash>> proof_of(const Json* j) {
  std::vector<MerkleHash> out;
  if (j == nullptr || j->is_null()) return out;
  if (j->as_array() == nullptr) return std::nullopt;
  for (const Json& item : *j->as_array()) {
    auto h = hash_of(&item, "node");
    if (!h) return std::nullopt;
    out.push_back(*h);
  }
  return out;
}

std::uint64_t num(const Json& v, std::string_view key) {
  const Json* j = v.find(key);
  if (j == nullptr) throw std::runtime_error("missing " + std::string(key));
  if (auto u = j->as_uint64()) return *u;
  throw std::runtime_error("not an unsigned integer: " + std::string(key));
}

/// Runs one vector; returns whether verification succeeded.
bool run_vector(const std::string& family, const Json& v) {
  auto proof = proof_of(v.find("proof"));
  if (family == "inclusion") {
    auto root = hash_of(v.find("root"), "root");
    auto leaf = hash_of(v.find("leafHash"), "leaf");
    if (!proof || !root || !leaf) return false;
    return verify_inclusion(num(v, "leafIdx"), num(v, "treeSize"), *leaf, *proof, *root).has_value();
  }
  if (family == "consistency") {
    auto r1 = hash_of(v.find("root1"), "root");
    auto r2 = hash_of(v.find("root2"), "root");
    if (!proof || !r1 || !r2) return false;
    return verify_consistency(num(v, "size1"), num(v, "size2"), *proof, *r1, *r2).has_value();
  }
  if (family == "subtreeinclusion") {
    auto root = hash_of(v.find("root"), "root");
    auto leaf = hash_of(v.find("leafHash"), "leaf");
    if (!proof || !root || !leaf) return false;
    return verify_subtree_inclusion(num(v, "leafIdx"), num(v, "start"), num(v, "end"), *leaf, *proof, *root)
        .has_value();
  }
  if (family == "subtreeconsistency") {
    auto r1 = hash_of(v.find("root1"), "root");
    auto r2 = hash_of(v.find("root2"), "root");
    if (!proof || !r1 || !r2) return false;
    return verify_subtree_consistency(num(v, "start"), num(v, "end"), num(v, "size"), *proof, *r1, *r2)
        .has_value();
  }
  throw std::runtime_error("unknown vector family " + family);
}

TEST(MerkleVectors, AllTransparencyDevVectors) {
  ASSERT_TRUE(fs::exists(kVectors / "LICENSE"));
  std::size_t total = 0;
  std::map<std::string, std::size_t> per_family;
  std::vector<std::string> failures;
  for (const auto& entry : fs::recursive_directory_iterator(kVectors)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
    std::string family = fs::relative(entry.path(), kVectors).begin()->string();
    auto v = Json::parse(slurp(entry.path()));
    ASSERT_TRUE(v) << entry.path() << ": " << v.error().message;
    const Json* want_err = v->find("wantErr");
    ASSERT_TRUE(want_err && want_err->as_bool()) << entry.path();
    bool ok = false;
    try {
      ok = run_vector(family, *v);
    } catch (const std::exception& e) {
      failures.push_back(entry.path().string() + ": " + e.what());
      continue;
    }
    if (ok == *want_err->as_bool()) {
      failures.push_back(fs::relative(entry.path(), kVectors).string() + (ok ? ": accepted" : ": rejected"));
    }
    ++total;
    ++per_family[family];
  }
  EXPECT_TRUE(failures.empty()) << failures.size() << " failing vectors, first: " << failures.front();
  for (const auto& f : failures) ADD_FAILURE() << f;
  EXPECT_EQ(total, 518U);
  EXPECT_EQ(per_family.size(), 4U);
}

std::vector<std::string> entries(std::size_t n) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back("entry-" + std::to_string(i));
  return out;
}

/// MTH straight from RFC 9162 2.1.1, as an independent reference.
MerkleHash reference_root(const std::vector<std::string>& d, std::size_t lo, std::size_t hi) {
  std::size_t n = hi - lo;
  if (n == 0) return merkle_empty_root();
  if (n == 1) return merkle_leaf_hash(d[lo]);
  std::size_t k = 1;
  while (k * 2 < n) k *= 2;
  return merkle_node_hash(reference_root(d, lo, lo + k), reference_root(d, lo + k, hi));
}

TEST(MerkleTree, RootsMatchTheRfcDefinitionAtEverySize) {
  auto d = entries(70);
  MerkleTree tree;
  EXPECT_EQ(tree.root(), merkle_empty_root());
  EXPECT_EQ(to_hex(merkle_empty_root()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  for (std::size_t i = 0; i < d.size(); ++i) {
    EXPECT_EQ(tree.append(d[i]), i);
    EXPECT_EQ(tree.root(), reference_root(d, 0, i + 1)) << i;
  }
  for (std::size_t s = 0; s <= d.size(); ++s) EXPECT_EQ(*tree.root_at(s), reference_root(d, 0, s));
  EXPECT_FALSE(tree.root_at(71));
}

TEST(MerkleTree, ProofsVerifyForAllSizesAndIndexes) {
  auto d = entries(40);
  MerkleTree tree;
  for (const auto& e : d) tree.append(e);
  for (std::uint64_t size = 1; size <= d.size(); ++size) {
    MerkleHash root = *tree.root_at(size);
    for (std::uint64_t i = 0; i < size; ++i) {
      auto proof = tree.inclusion_proof(i, size);
      ASSERT_TRUE(proof);
      EXPECT_TRUE(verify_inclusion(i, size, tree.leaf(i), *proof, root)) << i << "/" << size;
      EXPECT_FALSE(verify_inclusion(i, size, merkle_leaf_hash("other"), *proof, root));
      if (size > 1) {
        EXPECT_FALSE(verify_inclusion((i + 1) % size, size, tree.leaf(i), *proof, root));
      }
    }
    for (std::uint64_t old = 0; old <= size; ++old) {
      auto proof = tree.consistency_proof(old, size);
      ASSERT_TRUE(proof);
      MerkleHash old_root = *tree.root_at(old);
      if (old == 0) {
        // A proof from the empty tree proves nothing; the verifier refuses it (as the vectors do).
        EXPECT_FALSE(verify_consistency(old, size, *proof, old_root, root));
        continue;
      }
      EXPECT_TRUE(verify_consistency(old, size, *proof, old_root, root)) << old << "->" << size;
      if (old > 0 && old < size) {
        EXPECT_FALSE(verify_consistency(old, size, *proof, merkle_leaf_hash("x"), root));
        auto bad = *proof;
        bad.back()[0] ^= 1;
        EXPECT_FALSE(verify_consistency(old, size, bad, old_root, root));
      }
    }
  }
  EXPECT_FALSE(tree.inclusion_proof(40, 40));
  EXPECT_FALSE(tree.consistency_proof(5, 41));
}

TEST(MerkleTree, SubtreeConsistencyFromOurOwnTree) {
  auto d = entries(14);
  MerkleTree tree;
  for (const auto& e : d) tree.append(e);
  // [4, 8) and [8, 13) in a tree of 14, the draft's examples.
  for (auto [start, end] : {std::pair<std::uint64_t, std::uint64_t>{4, 8}, {8, 13}, {0, 14}, {12, 14}, {13, 14}}) {
    ASSERT_TRUE(is_valid_subtree(start, end));
    MerkleHash sub = reference_root(d, start, end);
    // Subtree inclusion proofs are inclusion proofs inside the subtree.
    MerkleTree inner;
    for (auto i = start; i < end; ++i) inner.append(d[i]);
    for (auto i = start; i < end; ++i) {
      auto p = inner.inclusion_proof(i - start, end - start);
      EXPECT_TRUE(verify_subtree_inclusion(i, start, end, merkle_leaf_hash(d[i]), *p, sub));
    }
  }
  EXPECT_FALSE(is_valid_subtree(2, 6));
  EXPECT_FALSE(is_valid_subtree(1, 3));
  EXPECT_TRUE(is_valid_subtree(8, 13));
}

TEST(MerkleHash, TextForms) {
  MerkleHash h = merkle_leaf_hash("x");
  EXPECT_EQ(*merkle_hash_from_hex(to_hex(h)), h);
  EXPECT_EQ(*merkle_hash_from_base64(to_base64(h)), h);
  EXPECT_FALSE(merkle_hash_from_hex(to_hex(h).substr(2)));
  EXPECT_FALSE(merkle_hash_from_hex(std::string(64, 'g')));
  EXPECT_FALSE(merkle_hash_from_base64("ZG9uJ3QgY2FyZSAx"));                             // 12 bytes
  EXPECT_FALSE(merkle_hash_from_base64(to_base64(h).substr(0, 43)));                     // no padding
  EXPECT_FALSE(merkle_hash_from_base64(" " + to_base64(h)));                             // whitespace
  EXPECT_FALSE(merkle_hash_from_base64("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFV="));  // non-zero pad bits
}

TEST(TreeHead, SignAndVerify) {
  ActorKey authority = ActorKey::generate("authority");
  MerkleTree tree;
  for (const auto& e : entries(5)) tree.append(e);
  TreeHead head{tree.size(), tree.root(), *parse_time("2005-11-18T00:00:00Z")};
  SignedTreeHead sth = sign_tree_head(head, authority);
  EXPECT_TRUE(verify_tree_head(sth, authority.public_key()));
  auto parsed = SignedTreeHead::parse(sth.to_json().canonical());
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->head, head);
  EXPECT_TRUE(verify_tree_head(*parsed, authority.public_key()));

  SignedTreeHead forged = sth;
  forged.head.size = 6;
  auto r = verify_tree_head(forged, authority.public_key());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::unauthorized);
  forged = sth;
  forged.head.root[0] ^= 1;
  EXPECT_FALSE(verify_tree_head(forged, authority.public_key()));
  EXPECT_FALSE(verify_tree_head(sth, ActorKey::generate("authority").public_key()));
  EXPECT_FALSE(SignedTreeHead::parse(R"({"tree_head":{"type":"tree-head","size":1,"root":"00","time":"x"},"signature":""})"));
}

}  // namespace
}  // namespace rootgov::authority
