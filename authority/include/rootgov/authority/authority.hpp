// rootgov/authority/authority.hpp - the authority: signed requests and ballots in, decisions
// and zone changes out, everything recorded in the audit log.
//
// Pure: no sockets. One owner: an Authority is not thread-safe; the daemon calls it from one
// strand. Every mutation is durable before it returns success (journal fsync, group commit).
// The audit log is the source of truth: opening a state directory replays it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <rootgov/authority/actors.hpp>
#include <rootgov/authority/policy.hpp>
#include <rootgov/authority/request.hpp>
#include <rootgov/authority/types.hpp>

namespace rootgov::authority {

enum class ClockMode { real, simulated };

struct AuthorityOptions {
  std::filesystem::path state_dir;     ///< created when absent; resumed when it holds a log
  std::string base_zone_text;          ///< the zone a new state starts from (ignored on resume)
  ActorRegistry registry;
  std::shared_ptr<const Policy> policy;
  ClockMode clock = ClockMode::real;
  Timestamp simulated_start{1132272000};  ///< 2005-11-18 (Tunis), for a new simulated state
  std::string dnssec_algorithm = "rsasha256";  ///< zone keys made for a new state
  unsigned sign_threads = 0;           ///< 0: one per core
  std::uint64_t snapshot_every = 10000;  ///< log entries between snapshots
  /// Clock source for ClockMode::real (tests inject one); default: the system clock.
  std::function<Timestamp()> real_clock;
};

/// What the authority reports after a mutation: the request as it stands now.
struct Receipt {
  RequestInfo request;
  std::uint64_t log_index = 0;         ///< the entry that recorded the input
};

struct Summary {
  std::string model;
  std::string model_title;
  Timestamp now;
  ClockMode clock = ClockMode::real;
  std::uint32_t serial = 0;
  std::size_t tlds = 0;
  std::size_t requests = 0;
  std::size_t open_requests = 0;
  std::uint64_t log_size = 0;
  std::string zone_digest;
};

/// A signed tree head as published (JSON text) and its parts.
struct TreeHead {
  std::uint64_t size = 0;
  std::string root_hex;
  Timestamp time;
  std::string signature_b64;
  std::string json;
};

/// Something that happened, for live watchers (the daemon's event stream).
struct Event {
  std::uint64_t index = 0;
  std::string type;     ///< "submitted", "ballot", "decided", "implemented", "published", ...
  std::string json;     ///< the audit-log entry
};

class Authority {
 public:
  ~Authority();
  Authority(const Authority&) = delete;
  Authority& operator=(const Authority&) = delete;

  /// Opens (or creates) a state directory. A resumed state must have been made with the same
  /// registry and model; otherwise the error says what differs. A torn last journal record is
  /// dropped; damage before it is tampering and stops the open.
  static Result<std::unique_ptr<Authority>> open(AuthorityOptions options);

  /// Each takes the wire form of a signed document ({"document": {...}, "signature": "..."}).
  Result<Receipt> submit(std::string_view signed_document);
  Result<Receipt> ballot(const RequestId& id, std::string_view signed_document);
  Result<Receipt> withdraw(const RequestId& id, std::string_view signed_document);
  /// An administrative clock advance, signed by an actor with role "instructor" (simulated
  /// clock only). Timeouts that the new time passes fire in deadline order.
  Result<Timestamp> advance_clock(std::string_view signed_document);
  /// For the real clock: fires the timeouts that are due now. Returns how many fired.
  Result<std::size_t> tick();

  const RequestInfo* find(const RequestId& id) const;
  /// Requests filtered by state name, TLD and awaited actor (empty = any), newest last.
  std::vector<const RequestInfo*> list(std::string_view state = {}, std::string_view tld = {},
                                       std::string_view awaiting = {}) const;
  Summary summary() const;
  Timestamp now() const;
  const ActorRegistry& registry() const;
  const Policy& policy() const;

  /// The published signed zone (master-file text) and its serial.
  const std::string& zone_text() const;
  std::uint32_t serial() const;

  std::uint64_t log_size() const;
  /// Audit-log entries [from, from+max) as JSON lines (without the newline).
  std::vector<std::string> log_entries(std::uint64_t from, std::uint64_t max) const;
  TreeHead tree_head() const;
  /// Inclusion proof of entry `index` in the tree of `size`: hashes in hex.
  Result<std::vector<std::string>> inclusion_proof(std::uint64_t index, std::uint64_t size) const;
  Result<std::vector<std::string>> consistency_proof(std::uint64_t first, std::uint64_t second) const;
  /// The authority's own public key (base64), which signs tree heads.
  std::string public_key() const;

  /// Called after every appended entry (from the caller's thread).
  void set_listener(std::function<void(const Event&)> listener);

  /// Writes a snapshot now (also done every `snapshot_every` entries and by the destructor).
  Result<void> snapshot();

  struct Impl;

 private:
  explicit Authority(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> m_impl;
};

}  // namespace rootgov::authority
