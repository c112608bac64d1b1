// merkle.cpp - RFC 9162 Merkle tree, proofs, verifiers, subtree proofs and signed tree heads.
#include <rootgov/authority/merkle.hpp>

#include <bit>

#include <fmt/format.h>

#include "crypto.hpp"

namespace rootgov::authority {

namespace {

crypto::Sha256& hasher() {
  thread_local crypto::Sha256 h;
  return h;
}

std::string_view as_chars(const MerkleHash& h) { return {reinterpret_cast<const char*>(h.data()), h.size()}; }

/// The largest power of two strictly smaller than n (n >= 2).
std::uint64_t split_point(std::uint64_t n) { return std::bit_floor(n - 1); }

std::unexpected<Error> proof_failed(std::string why) { return fail(Errc::check_failed, std::move(why)); }

/// RFC 9162 2.1.3.2 steps 2-5 generalized: the root implied by an inclusion proof of leaf `fn`
/// in a tree whose last index is `sn`, or an error.
Result<MerkleHash> evaluate_inclusion(std::uint64_t fn, std::uint64_t sn, const MerkleHash& leaf,
                                      std::span<const MerkleHash> proof) {
  MerkleHash r = leaf;
  for (const MerkleHash& p : proof) {
    if (sn == 0) return proof_failed("inclusion proof is longer than the tree is high");
    if ((fn & 1U) != 0 || fn == sn) {
      r = merkle_node_hash(p, r);
      while ((fn & 1U) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = merkle_node_hash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return proof_failed("inclusion proof is shorter than the tree is high");
  return r;
}

}  // namespace

MerkleHash merkle_leaf_hash(std::string_view entry) {
  auto& h = hasher();
  h.update(std::uint8_t{0x00});
  h.update(entry);
  return h.finish();
}

MerkleHash merkle_node_hash(const MerkleHash& left, const MerkleHash& right) {
  auto& h = hasher();
  h.update(std::uint8_t{0x01});
  h.update(std::span<const std::uint8_t>(left));
  h.update(std::span<const std::uint8_t>(right));
  return h.finish();
}

MerkleHash merkle_empty_root() { return crypto::sha256(""); }

std::string to_hex(const MerkleHash& h) { return crypto::hex_encode(as_chars(h)); }
std::string to_base64(const MerkleHash& h) { return crypto::base64_encode(as_chars(h)); }

namespace {

Result<MerkleHash> hash_from_bytes(Result<std::string> bytes, std::string_view what) {
  if (!bytes) return fail(Errc::invalid_input, fmt::format("invalid {} hash: {}", what, bytes.error().message));
  if (bytes->size() != 32) {
    return fail(Errc::invalid_input, fmt::format("invalid {} hash: {} bytes, expected 32", what, bytes->size()));
  }
  MerkleHash h{};
  std::copy(bytes->begin(), bytes->end(), reinterpret_cast<char*>(h.data()));
  return h;
}

}  // namespace

Result<MerkleHash> merkle_hash_from_hex(std::string_view text) { return hash_from_bytes(crypto::hex_decode(text), "hex"); }
Result<MerkleHash> merkle_hash_from_base64(std::string_view text) {
  return hash_from_bytes(crypto::base64_decode(text), "base64");
}

// ---------------------------------------------------------------------------------------------
// MerkleTree

std::uint64_t MerkleTree::append(std::string_view entry) { return append_leaf_hash(merkle_leaf_hash(entry)); }

std::uint64_t MerkleTree::append_leaf_hash(const MerkleHash& leaf) {
  if (m_levels.empty()) m_levels.emplace_back();
  m_levels[0].push_back(leaf);
  std::uint64_t index = m_levels[0].size() - 1;
  // Complete every perfect subtree the new leaf closes.
  for (std::size_t level = 0; m_levels[level].size() % 2 == 0; ++level) {
    if (level + 1 == m_levels.size()) m_levels.emplace_back();
    const auto& row = m_levels[level];
    MerkleHash parent = merkle_node_hash(row[row.size() - 2], row[row.size() - 1]);
    m_levels[level + 1].push_back(parent);
  }
  return index;
}

MerkleHash MerkleTree::hash_range(std::uint64_t lo, std::uint64_t hi) const {
  std::uint64_t n = hi - lo;
  if (n == 0) return merkle_empty_root();
  if (std::has_single_bit(n) && lo % n == 0) {
    auto level = static_cast<std::size_t>(std::countr_zero(n));
    return m_levels[level][lo / n];
  }
  std::uint64_t k = split_point(n);
  return merkle_node_hash(hash_range(lo, lo + k), hash_range(lo + k, hi));
}

Result<MerkleHash> MerkleTree::root_at(std::uint64_t tree_size) const {
  if (tree_size > size()) {
    return fail(Errc::invalid_input, fmt::format("tree size {} is beyond the log's {} entries", tree_size, size()));
  }
  return hash_range(0, tree_size);
}

void MerkleTree::path(std::uint64_t m, std::uint64_t lo, std::uint64_t hi, std::vector<MerkleHash>& out) const {
  std::uint64_t n = hi - lo;
  if (n <= 1) return;
  std::uint64_t k = split_point(n);
  if (m < k) {
    path(m, lo, lo + k, out);
    out.push_back(hash_range(lo + k, hi));
  } else {
    path(m - k, lo + k, hi, out);
    out.push_back(hash_range(lo, lo + k));
  }
}

Result<std::vector<MerkleHash>> MerkleTree::inclusion_proof(std::uint64_t index, std::uint64_t tree_size) const {
  if (tree_size > size() || index >= tree_size) {
    return fail(Errc::invalid_input, fmt::format("no inclusion proof for entry {} in a tree of size {} (log has {})",
                                                 index, tree_size, size()));
  }
  std::vector<MerkleHash> out;
  path(index, 0, tree_size, out);
  return out;
}

void MerkleTree::subproof(std::uint64_t m, std::uint64_t lo, std::uint64_t hi, bool whole,
                          std::vector<MerkleHash>& out) const {
  std::uint64_t n = hi - lo;
  if (m == n) {
    if (!whole) out.push_back(hash_range(lo, hi));
    return;
  }
  std::uint64_t k = split_point(n);
  if (m <= k) {
    subproof(m, lo, lo + k, whole, out);
    out.push_back(hash_range(lo + k, hi));
  } else {
    subproof(m - k, lo + k, hi, false, out);
    out.push_back(hash_range(lo, lo + k));
  }
}

Result<std::vector<MerkleHash>> MerkleTree::consistency_proof(std::uint64_t size1, std::uint64_t size2) const {
  if (size1 > size2 || size2 > size()) {
    return fail(Errc::invalid_input, fmt::format("no consistency proof from size {} to size {} (log has {})", size1,
                                                 size2, size()));
  }
  std::vector<MerkleHash> out;
  if (size1 == 0 || size1 == size2) return out;
  subproof(size1, 0, size2, true, out);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Verifiers

Result<void> verify_inclusion(std::uint64_t index, std::uint64_t size, const MerkleHash& leaf,
                              std::span<const MerkleHash> proof, const MerkleHash& root) {
  if (index >= size) {
    return proof_failed(fmt::format("leaf index {} is outside a tree of size {}", index, size));
  }
  auto computed = evaluate_inclusion(index, size - 1, leaf, proof);
  if (!computed) return std::unexpected(computed.error());
  if (*computed != root) {
    return proof_failed(fmt::format("inclusion proof for leaf {} gives root {}, expected {}", index,
                                    to_hex(*computed), to_hex(root)));
  }
  return {};
}

Result<void> verify_consistency(std::uint64_t size1, std::uint64_t size2, std::span<const MerkleHash> proof,
                                const MerkleHash& root1, const MerkleHash& root2) {
  if (size2 < size1) return proof_failed(fmt::format("size {} is smaller than size {}", size2, size1));
  if (size1 == 0) return proof_failed("a consistency proof from the empty tree proves nothing");
  if (size1 == size2) {
    if (!proof.empty()) return proof_failed("equal sizes need an empty consistency proof");
    if (root1 != root2) return proof_failed("equal sizes but different roots");
    return {};
  }
  if (proof.empty()) return proof_failed("empty consistency proof");
  // RFC 9162 2.1.4.2. When size1 is a power of two, its root is a node of the new tree and is
  // not sent: the verifier starts from root1.
  std::uint64_t fn = size1 - 1;
  std::uint64_t sn = size2 - 1;
  std::size_t next = 0;
  MerkleHash fr{};
  if (std::has_single_bit(size1)) {
    fr = root1;
  } else {
    fr = proof[0];
    next = 1;
  }
  MerkleHash sr = fr;
  while ((fn & 1U) != 0) {
    fn >>= 1;
    sn >>= 1;
  }
  for (; next < proof.size(); ++next) {
    const MerkleHash& c = proof[next];
    if (sn == 0) return proof_failed("consistency proof is too long");
    if ((fn & 1U) != 0 || fn == sn) {
      fr = merkle_node_hash(c, fr);
      sr = merkle_node_hash(c, sr);
      while ((fn & 1U) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr = merkle_node_hash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return proof_failed("consistency proof is too short");
  if (fr != root1) return proof_failed(fmt::format("consistency proof does not reproduce the root of size {}", size1));
  if (sr != root2) return proof_failed(fmt::format("consistency proof does not reproduce the root of size {}", size2));
  return {};
}

bool is_valid_subtree(std::uint64_t start, std::uint64_t end) {
  if (start > end) return false;
  std::uint64_t n = end - start;
  if (n > (std::uint64_t{1} << 63)) return start == 0;
  return (start & (std::bit_ceil(n) - 1)) == 0;
}

Result<void> verify_subtree_inclusion(std::uint64_t index, std::uint64_t start, std::uint64_t end,
                                      const MerkleHash& leaf, std::span<const MerkleHash> proof,
                                      const MerkleHash& subtree_hash) {
  if (!is_valid_subtree(start, end)) return proof_failed(fmt::format("[{}, {}) is not a valid subtree", start, end));
  if (index < start || index >= end) {
    return proof_failed(fmt::format("entry {} is outside subtree [{}, {})", index, start, end));
  }
  auto computed = evaluate_inclusion(index - start, end - start - 1, leaf, proof);
  if (!computed) return std::unexpected(computed.error());
  if (*computed != subtree_hash) {
    return proof_failed(fmt::format("subtree inclusion proof for entry {} does not reproduce the hash of [{}, {})",
                                    index, start, end));
  }
  return {};
}

Result<void> verify_subtree_consistency(std::uint64_t start, std::uint64_t end, std::uint64_t size,
                                        std::span<const MerkleHash> proof, const MerkleHash& subtree_hash,
                                        const MerkleHash& root) {
  if (!is_valid_subtree(start, end) || end > size) {
    return proof_failed(fmt::format("[{}, {}) is not a valid subtree of a tree of size {}", start, end, size));
  }
  if (start == end) {
    if (!proof.empty()) return proof_failed("an empty subtree needs an empty proof");
    if (subtree_hash != merkle_empty_root()) return proof_failed("an empty subtree must hash to SHA-256(\"\")");
    return {};
  }
  std::uint64_t fn = start;
  std::uint64_t sn = end - 1;
  std::uint64_t tn = size - 1;
  if (sn == tn) {
    while (fn != sn) {
      fn >>= 1;
      sn >>= 1;
      tn >>= 1;
    }
  } else {
    while (fn != sn && (sn & 1U) != 0) {
      fn >>= 1;
      sn >>= 1;
      tn >>= 1;
    }
  }
  std::size_t next = 0;
  MerkleHash fr{};
  if (fn == sn) {
    fr = subtree_hash;
  } else {
    if (proof.empty()) return proof_failed("empty subtree consistency proof");
    fr = proof[0];
    next = 1;
  }
  MerkleHash sr = fr;
  for (; next < proof.size(); ++next) {
    const MerkleHash& c = proof[next];
    if (tn == 0) return proof_failed("subtree consistency proof is too long");
    if ((sn & 1U) != 0 || sn == tn) {
      if (fn < sn) fr = merkle_node_hash(c, fr);
      sr = merkle_node_hash(c, sr);
      while ((sn & 1U) == 0) {
        fn >>= 1;
        sn >>= 1;
        tn >>= 1;
      }
    } else {
      sr = merkle_node_hash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
    tn >>= 1;
  }
  if (tn != 0) return proof_failed("subtree consistency proof is too short");
  if (fr != subtree_hash) {
    return proof_failed(fmt::format("subtree consistency proof does not reproduce the hash of [{}, {})", start, end));
  }
  if (sr != root) return proof_failed(fmt::format("subtree consistency proof does not reproduce the root of size {}", size));
  return {};
}

// ---------------------------------------------------------------------------------------------
// Tree heads

Json TreeHead::to_json() const {
  Json j;
  j["type"] = Json("tree-head");
  j["size"] = Json(size);
  j["root"] = Json(to_hex(root));
  j["time"] = Json(format_time(time));
  return j;
}

Result<TreeHead> TreeHead::from_json(const Json& value) {
  const Json::Object* obj = value.as_object();
  if (obj == nullptr) return fail(Errc::invalid_input, "tree head: expected a JSON object");
  for (const auto& [key, v] : *obj) {
    if (key != "type" && key != "size" && key != "root" && key != "time") {
      return fail(Errc::invalid_input, fmt::format("tree head: unknown member \"{}\"", key));
    }
  }
  const Json* type = value.find("type");
  if (type == nullptr || type->as_string() == nullptr || *type->as_string() != "tree-head") {
    return fail(Errc::invalid_input, "tree head: 'type' must be \"tree-head\"");
  }
  TreeHead head;
  const Json* size = value.find("size");
  if (size == nullptr || !size->as_uint64()) return fail(Errc::invalid_input, "tree head: 'size' must be an integer");
  head.size = *size->as_uint64();
  const Json* root = value.find("root");
  if (root == nullptr || root->as_string() == nullptr) return fail(Errc::invalid_input, "tree head: 'root' is missing");
  auto hash = merkle_hash_from_hex(*root->as_string());
  if (!hash || to_hex(*hash) != *root->as_string()) {
    return fail(Errc::invalid_input, "tree head: 'root' must be 64 lowercase hex digits");
  }
  head.root = *hash;
  const Json* time = value.find("time");
  if (time == nullptr || time->as_string() == nullptr) return fail(Errc::invalid_input, "tree head: 'time' is missing");
  auto ts = parse_time(*time->as_string());
  if (!ts || format_time(*ts) != *time->as_string()) {
    return fail(Errc::invalid_input, "tree head: 'time' must be YYYY-MM-DDTHH:MM:SSZ");
  }
  head.time = *ts;
  return head;
}

Json SignedTreeHead::to_json() const {
  Json j;
  j["tree_head"] = head.to_json();
  j["signature"] = Json(signature);
  return j;
}

Result<SignedTreeHead> SignedTreeHead::from_json(const Json& value) {
  const Json::Object* obj = value.as_object();
  if (obj == nullptr || obj->size() != 2 || value.find("tree_head") == nullptr || value.find("signature") == nullptr ||
      value.find("signature")->as_string() == nullptr) {
    return fail(Errc::invalid_input, "signed tree head: expected {\"tree_head\": {...}, \"signature\": \"...\"}");
  }
  auto head = TreeHead::from_json(*value.find("tree_head"));
  if (!head) return std::unexpected(head.error());
  return SignedTreeHead{*head, *value.find("signature")->as_string()};
}

Result<SignedTreeHead> SignedTreeHead::parse(std::string_view json_text) {
  auto json = Json::parse(json_text);
  if (!json) return fail(Errc::invalid_input, "signed tree head: " + json.error().message);
  return from_json(*json);
}

SignedTreeHead sign_tree_head(const TreeHead& head, const ActorKey& authority_key) {
  return SignedTreeHead{head, crypto::base64_encode(authority_key.sign(head.to_json().canonical()))};
}

Result<void> verify_tree_head(const SignedTreeHead& sth, std::string_view authority_public_key_b64) {
  auto sig = crypto::base64_decode(sth.signature);
  if (!sig || !verify_signature(authority_public_key_b64, sth.head.to_json().canonical(), *sig)) {
    return fail(Errc::unauthorized,
                fmt::format("bad signature on the tree head of size {} at {}", sth.head.size, format_time(sth.head.time)));
  }
  return {};
}

}  // namespace rootgov::authority
