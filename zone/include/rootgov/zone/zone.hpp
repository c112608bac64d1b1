// rootgov/zone/zone.hpp - a DNS zone held as canonically ordered RRsets, and master files.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <rootgov/common/result.hpp>
#include <rootgov/zone/finding.hpp>
#include <rootgov/zone/name.hpp>
#include <rootgov/zone/rr.hpp>

namespace rootgov::zone {

namespace detail {
struct ZoneBuilder;  // the master-file reader's access to node storage (zone.cpp)
}

/// All RRsets of one owner name, sorted by type.
struct Node {
  std::vector<RRset> rrsets;

  const RRset* find(RrType type) const;
  RRset* find(RrType type);
  bool operator==(const Node& other) const = default;
};

struct ParseOptions {
  Name origin;                         ///< initial $ORIGIN
  std::uint32_t default_ttl = 86400;   ///< used until a $TTL directive or an explicit TTL
  bool keep_dnssec = true;             ///< false: drop RRSIG/NSEC/NSEC3/NSEC3PARAM/ZONEMD on load
  /// Threads for parsing (0 = cores). Texts of 256 KiB and more are cut at owner lines into
  /// stretches of at least 128 KiB parsed in parallel; the result is the one-thread parse's.
  unsigned threads = 0;
};

/// A zone: origin plus nodes in RFC 4034 canonical order. Value type; copies are deep.
class Zone {
 public:
  explicit Zone(Name origin = Name()) : m_origin(std::move(origin)) {}
  Zone(const Zone& other);
  Zone& operator=(const Zone& other);
  Zone(Zone&&) noexcept = default;
  Zone& operator=(Zone&&) noexcept = default;
  ~Zone() = default;

  /// Parses an RFC 1035 master file through ldns ($ORIGIN, $TTL, relative names, escapes,
  /// comments, multi-line records). On failure returns every problem found, each with its
  /// line; a file that cannot be read at all yields one finding with rule "io".
  static Result<Zone, Findings> from_file(const std::filesystem::path& path, const ParseOptions& options = {});
  static Result<Zone, Findings> from_text(std::string_view text, const ParseOptions& options = {});

  const Name& origin() const { return m_origin; }
  const std::map<Name, Node>& nodes() const { return m_nodes; }
  const Node* node(const Name& owner) const;
  /// Keeps a hash index of the owner names beside the ordered nodes from now on (copies keep
  /// it too), so node() and find() cost one hash lookup instead of a walk down the tree: about
  /// 12 name comparisons at 1,500 TLDs, 21 at 1,000,000. It costs ~50 bytes a node, so only
  /// the long-lived zone an authority changes one delegation at a time turns it on
  /// (RootZone::from_zone); a zone read once, signed and written does not.
  void index_owners();
  bool indexes_owners() const { return m_indexed; }
  const RRset* find(const Name& owner, RrType type) const;
  RRset* find(const Name& owner, RrType type);

  /// Adds one record to its RRset (created when absent). A TTL differing from the RRset's is
  /// reported through the return value (false) and the lower TTL is kept (RFC 2181 section 5.2).
  bool add(const Name& owner, RrType type, std::uint32_t ttl, Rdata rdata, std::uint32_t line = 0);
  /// Moves every RRset of `other` (same origin) into this zone as add() would, record by
  /// record: RDATA and RRSIGs join existing RRsets, the lower TTL is kept (false when a TTL
  /// differed), an existing RRset keeps its line. `other` is left empty.
  bool merge(Zone&& other);
  /// Replaces (or inserts) a whole RRset; an RRset without RDATA removes it.
  void put(RRset rrset);
  /// Removes one RRset; removes the node when it becomes empty. False if it was absent.
  bool remove(const Name& owner, RrType type);
  /// Removes a node with all its RRsets.
  bool remove_node(const Name& owner);

  /// Records including RRSIGs.
  std::size_t record_count() const;
  /// Drops RRSIG, NSEC, NSEC3, NSEC3PARAM and ZONEMD (and DNSKEY unless `keep_dnskey`).
  void strip_dnssec(bool keep_dnskey = true);

  /// Same origin and same nodes (whether either keeps an index does not matter).
  bool operator==(const Zone& other) const { return m_origin == other.m_origin && m_nodes == other.m_nodes; }

 private:
  friend struct detail::ZoneBuilder;
  using Nodes = std::map<Name, Node>;
  Node& node_for(const Name& owner);  // the node of `owner`, made when absent
  void indexed(Nodes::iterator it);  // records a node just inserted (when indexing)
  Nodes::iterator erase_node(Nodes::iterator it);
  void rebuild_index();

  Name m_origin;
  Nodes m_nodes;
  // With index_owners(): each node's owner wire form (a view of its key in m_nodes, which
  // never moves while the node exists) -> the node.
  bool m_indexed = false;
  std::unordered_map<std::string_view, Node*> m_index;
};

/// Canonical master file: one record per line "owner<TAB>ttl<TAB>IN<TAB>TYPE<TAB>rdata",
/// names absolute, nodes in canonical order, types ascending with each RRset's RRSIGs in the
/// RRSIG (46) slot of their owner, RDATA in canonical order. Round-trip stable.
std::string to_text(const Zone& zone);
/// to_text of the zone as strip_dnssec(/*keep_dnskey=*/true) would leave it, without copying
/// it (RRSIG, NSEC, NSEC3, NSEC3PARAM and ZONEMD left out, DNSKEY kept).
std::string to_text_unsigned(const Zone& zone);
/// Writes to_text atomically (temporary file, fsync, rename, directory fsync).
Result<void> write_file(const Zone& zone, const std::filesystem::path& path);

}  // namespace rootgov::zone
