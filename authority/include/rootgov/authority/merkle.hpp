// rootgov/authority/merkle.hpp - the audit log's Merkle tree (RFC 9162 section 2.1), its proofs,
// and signed tree heads.
//
// Hashes: leaf = SHA-256(0x00 || entry), node = SHA-256(0x01 || left || right), the empty tree
// = SHA-256(""). Proofs and verifiers follow RFC 9162 sections 2.1.3 (inclusion) and 2.1.4
// (consistency); the subtree variants follow draft-ietf-plants-merkle-tree-certs section 4
// (subtree [start, end) with start a multiple of bit_ceil(end - start)). Verifiers never throw
// and return Errc::check_failed with the reason when a proof does not verify.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <rootgov/authority/actors.hpp>
#include <rootgov/authority/json.hpp>
#include <rootgov/authority/types.hpp>

namespace rootgov::authority {

using MerkleHash = std::array<std::uint8_t, 32>;

MerkleHash merkle_leaf_hash(std::string_view entry);
MerkleHash merkle_node_hash(const MerkleHash& left, const MerkleHash& right);
/// The root of the empty tree, SHA-256 of the empty string.
MerkleHash merkle_empty_root();

std::string to_hex(const MerkleHash& h);
std::string to_base64(const MerkleHash& h);
Result<MerkleHash> merkle_hash_from_hex(std::string_view text);
Result<MerkleHash> merkle_hash_from_base64(std::string_view text);

/// An append-only Merkle tree over entry hashes, kept in memory (32 bytes per node, about 64
/// bytes per entry). Roots and proofs for every earlier size stay available.
class MerkleTree {
 public:
  /// Appends SHA-256(0x00 || entry); returns its index.
  std::uint64_t append(std::string_view entry);
  /// Appends an already computed leaf hash; returns its index.
  std::uint64_t append_leaf_hash(const MerkleHash& leaf);

  std::uint64_t size() const { return m_levels.empty() ? 0 : m_levels[0].size(); }
  MerkleHash root() const { return hash_range(0, size()); }
  /// The root the tree had at `size` entries; Errc::invalid_input if `size` > size().
  Result<MerkleHash> root_at(std::uint64_t size) const;
  /// The hash of leaf `index`; precondition index < size().
  const MerkleHash& leaf(std::uint64_t index) const { return m_levels[0][index]; }

  /// PATH(index, D[0:size]) of RFC 9162 2.1.3.1; needs index < size <= size().
  Result<std::vector<MerkleHash>> inclusion_proof(std::uint64_t index, std::uint64_t size) const;
  /// PROOF(size1, D[0:size2]) of RFC 9162 2.1.4.1; empty when size1 is 0 or equals size2;
  /// needs size1 <= size2 <= size().
  Result<std::vector<MerkleHash>> consistency_proof(std::uint64_t size1, std::uint64_t size2) const;

 private:
  MerkleHash hash_range(std::uint64_t lo, std::uint64_t hi) const;
  void path(std::uint64_t m, std::uint64_t lo, std::uint64_t hi, std::vector<MerkleHash>& out) const;
  void subproof(std::uint64_t m, std::uint64_t lo, std::uint64_t hi, bool whole,
                std::vector<MerkleHash>& out) const;

  // INVARIANT: m_levels[k][i] is the hash of the perfect subtree over leaves
  // [i * 2^k, (i + 1) * 2^k); a level holds only complete nodes.
  std::vector<std::vector<MerkleHash>> m_levels;
};

/// RFC 9162 2.1.3.2: leaf `index` with hash `leaf` is in the tree of `size` with `root`.
Result<void> verify_inclusion(std::uint64_t index, std::uint64_t size, const MerkleHash& leaf,
                              std::span<const MerkleHash> proof, const MerkleHash& root);
/// RFC 9162 2.1.4.2: the tree of `size1` with `root1` is a prefix of the tree of `size2` with
/// `root2`. size1 == size2 needs an empty proof and equal roots; size1 == 0 always fails (a proof
/// from the empty tree proves nothing; callers skip the check instead).
Result<void> verify_consistency(std::uint64_t size1, std::uint64_t size2, std::span<const MerkleHash> proof,
                                const MerkleHash& root1, const MerkleHash& root2);

/// draft-ietf-plants-merkle-tree-certs 4.1: [start, end) is a subtree.
bool is_valid_subtree(std::uint64_t start, std::uint64_t end);
/// Ibid. 4.3.3: entry `index` with hash `leaf` is in subtree [start, end) with `subtree_hash`.
Result<void> verify_subtree_inclusion(std::uint64_t index, std::uint64_t start, std::uint64_t end,
                                      const MerkleHash& leaf, std::span<const MerkleHash> proof,
                                      const MerkleHash& subtree_hash);
/// Ibid. 4.4.3: subtree [start, end) with `subtree_hash` is part of the tree of `size` with `root`.
Result<void> verify_subtree_consistency(std::uint64_t start, std::uint64_t end, std::uint64_t size,
                                        std::span<const MerkleHash> proof, const MerkleHash& subtree_hash,
                                        const MerkleHash& root);

/// What the authority commits to: the log had `size` entries with `root` at `time`.
struct TreeHead {
  std::uint64_t size = 0;
  MerkleHash root = merkle_empty_root();
  Timestamp time;

  /// {"root": "<hex>", "size": n, "time": "...", "type": "tree-head"}
  Json to_json() const;
  static Result<TreeHead> from_json(const Json& value);
  friend bool operator==(const TreeHead&, const TreeHead&) = default;
};

/// A tree head with the authority's Ed25519 signature (base64) over its canonical bytes.
struct SignedTreeHead {
  TreeHead head;
  std::string signature;

  /// {"signature": "...", "tree_head": {...}}
  Json to_json() const;
  static Result<SignedTreeHead> from_json(const Json& value);
  static Result<SignedTreeHead> parse(std::string_view json_text);
};

SignedTreeHead sign_tree_head(const TreeHead& head, const ActorKey& authority_key);
/// Errc::unauthorized if the signature does not verify with `authority_public_key_b64`.
Result<void> verify_tree_head(const SignedTreeHead& sth, std::string_view authority_public_key_b64);

}  // namespace rootgov::authority
