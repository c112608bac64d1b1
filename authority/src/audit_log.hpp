// authority/src/audit_log.hpp - the audit log: JSON-lines entries, hash chain, Merkle tree and
// durable journal (internal to the authority module; docs/design/audit-log.md).
//
// Each entry is one canonical JSON object on one line. Besides its own members it carries
// "index" (its 0-based position) and "prev" (hex SHA-256 of the previous entry's line, "" for
// the first), so an edit, deletion or reordering is pinned to the first entry where the chain
// breaks. The journal stores the lines; the Merkle tree (RFC 9162) has one leaf per line.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <rootgov/authority/authority.hpp>
#include <rootgov/authority/json.hpp>
#include <rootgov/authority/merkle.hpp>

namespace rootgov::authority {
class Journal;
}

namespace rootgov::authority::detail {

class AuditLog {
 public:
  AuditLog();
  ~AuditLog();
  AuditLog(AuditLog&&) noexcept;
  AuditLog& operator=(AuditLog&&) noexcept;

  /// Opens the journal at `path` (created when absent) and returns the stored lines; the log
  /// itself stays empty until they are replayed. Without open() the log lives in memory.
  Result<std::vector<std::string>> open(const std::filesystem::path& path);
  bool persistent() const { return m_journal != nullptr; }

  /// Replay: staged entries are compared with `expected` at their index instead of written.
  void start_replay(const std::vector<std::string>* expected) { m_expected = expected; }
  void end_replay() { m_expected = nullptr; }

  std::uint64_t size() const { return m_lines.size(); }
  std::uint64_t next_index() const { return m_lines.size() + m_staged.size(); }

  /// Adds "index" and "prev" and keeps the entry for the next commit. With `raw_key`, the entry
  /// has that member too, its value given by its canonical bytes `raw_value` (a document's wire
  /// form: see detail::canonical_with_member).
  Result<void> stage(Json fields, std::string_view raw_key = {}, std::string_view raw_value = {});
  /// Enqueues the staged entries as one journal record (or, in replay, checks each against the
  /// expected line: a difference is an error naming the entry) and returns them as events. It
  /// does NOT wait for the disk: the record is durable only once wait_durable(last_ticket())
  /// has returned success.
  Result<std::vector<Event>> commit();
  /// The journal record index of the last commit (0 for an in-memory log or in replay).
  std::uint64_t last_ticket() const { return m_last_ticket; }
  /// Blocks until journal record `ticket` and every one before it is on disk (a no-op for an
  /// in-memory log). Thread-safe: may run on another thread while the owner commits.
  Result<void> wait_durable(std::uint64_t ticket) const;
  /// wait_durable for everything committed so far.
  Result<void> flush() const;
  /// The journal's failure message, or "" while it is healthy.
  std::string journal_failure() const;
  /// Journal records enqueued so far (0 for an in-memory log).
  std::uint64_t journal_records() const;
  /// Journal::set_flush_observer (ignored for an in-memory log).
  void set_journal_observer(std::function<void(double seconds, std::size_t records)> observer);

  /// Resumes from a snapshot: takes the first `count` of `lines` (the journal's) as the log
  /// without replaying them, rebuilding the Merkle tree and the chain hash. Precondition: the
  /// log is empty and count <= lines.size().
  void adopt(const std::vector<std::string>& lines, std::uint64_t count);
  /// Drops staged entries.
  void discard();

  const std::vector<std::string>& lines() const { return m_lines; }
  /// In replay: the index of the entry that did not match, after commit() failed on it.
  std::optional<std::uint64_t> mismatch() const { return m_mismatch; }
  const MerkleTree& tree() const { return m_tree; }
  Result<std::vector<std::string>> inclusion_proof(std::uint64_t index, std::uint64_t size) const;
  Result<std::vector<std::string>> consistency_proof(std::uint64_t first, std::uint64_t second) const;

 private:
  std::unique_ptr<Journal> m_journal;
  std::vector<std::string> m_lines;
  std::vector<std::string> m_staged;
  std::vector<std::string> m_staged_types;
  std::string m_last_hash;
  std::string m_staged_hash;
  MerkleTree m_tree;
  const std::vector<std::string>* m_expected = nullptr;
  std::optional<std::uint64_t> m_mismatch;
  std::uint64_t m_last_ticket = 0;
};

/// Lowercase hex SHA-256.
std::string sha256_hex(std::string_view data);

}  // namespace rootgov::authority::detail
