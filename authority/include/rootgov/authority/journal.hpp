// rootgov/authority/journal.hpp - the durable, append-only record file under the audit log.
//
// Contract (docs/design/journal.md):
// - append() MUST return only after the record is on stable storage (write + fdatasync). An
//   index returned is never lost: after a crash (kill -9, power loss on a disk that honours
//   flushes), reopening finds every acknowledged record, byte for byte, in order.
// - Concurrent appends MUST share flushes (group commit): one thread writes and syncs the whole
//   pending batch while the others wait; indexes follow the order records entered the batch.
// - Pipelining: enqueue() assigns the index and queues the record without waiting;
//   wait_durable(i) returns only once records [0, i] are on stable storage. Nothing may be
//   acknowledged to a user on the strength of enqueue() alone.
// - open() drops a torn tail (an incomplete or unflushed last record, left by a crash
//   mid-append) and truncates the file to the last whole record. Damage anywhere before the
//   tail is tampering or media corruption: open() MUST fail with Errc::check_failed naming the
//   record index and byte offset, and MUST NOT modify the file.
// - Records are opaque bytes; the journal does not interpret, compress or encrypt them, and it
//   does not defend against a deliberate rewrite of the whole file (the Merkle tree and signed
//   tree heads above it do).
//
// Record framing, all integers little-endian:
//   magic "RGJ1" | u32 payload length | u32 CRC-32C(payload) | u32 CRC-32C(the 12 bytes before) | payload
#pragma once

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <rootgov/common/result.hpp>

namespace rootgov::authority {

class Journal {
 public:
  static constexpr std::size_t kHeaderSize = 16;
  static constexpr std::size_t kMaxRecordSize = 64U << 20;

  struct Options {
    /// false skips fdatasync (tests and benchmarks of the framing only); never in production.
    bool sync = true;
    /// Inspect only (offline tools, a live daemon's journal): no lock, no creation, a torn tail
    /// is skipped but not cut, append() fails with Errc::conflict.
    bool read_only = false;
  };

  /// What open() found.
  struct Recovery {
    std::uint64_t records = 0;          ///< whole records kept
    std::uint64_t valid_bytes = 0;      ///< file size after recovery
    std::uint64_t dropped_bytes = 0;    ///< torn tail removed (0 after a clean shutdown)
  };

  /// Opens or creates the journal at `path` and recovers it (see the file comment). Takes an
  /// exclusive flock for the journal's lifetime: Errc::conflict while another Journal (in this
  /// or another process) has the file open.
  static Result<std::unique_ptr<Journal>> open(const std::filesystem::path& path, Options options);
  static Result<std::unique_ptr<Journal>> open(const std::filesystem::path& path) { return open(path, Options{}); }

  /// Writes and syncs records still pending (best effort: a clean shutdown loses nothing that
  /// was enqueued). Precondition: no append() or wait_durable() is running.
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  /// Appends one record and returns its index once it is durable. Thread-safe. Errc::invalid_input
  /// for a record over kMaxRecordSize; Errc::io if writing or syncing failed — after such a
  /// failure the journal refuses every further append (its on-disk state is unknown until
  /// reopened).
  Result<std::uint64_t> append(std::string_view payload);

  /// Queues one record for the next flush and returns its index at once, without waiting for
  /// the disk; records get indexes in the order of the calls. Thread-safe. The record is NOT
  /// durable until wait_durable(index) (or a later append) has returned success; until then a
  /// crash may drop it and every record after it, never one before it. Errors as append(),
  /// except that I/O errors are reported by wait_durable().
  Result<std::uint64_t> enqueue(std::string_view payload);

  /// Blocks until record `index` and every record before it is on stable storage; concurrent
  /// waiters share one write + fdatasync (the first becomes the leader and flushes everything
  /// pending, the others wait for it). Thread-safe. Errc::invalid_input for an index that was
  /// never enqueued; Errc::io once a write or sync has failed (then for every later call).
  Result<void> wait_durable(std::uint64_t index);

  /// Flushes everything enqueued so far (wait_durable of the last index); a no-op when nothing
  /// is pending.
  Result<void> flush();

  /// Number of durable records.
  std::uint64_t size() const;
  /// Number of records enqueued (durable or pending): the index the next enqueue() gets.
  std::uint64_t enqueued() const;
  /// The message of the write or sync failure that stopped the journal, or "" while healthy.
  std::string failure() const;
  /// How many write+fdatasync rounds appends have needed so far (group commit makes this
  /// smaller than the number of appends under concurrency).
  std::uint64_t flush_count() const;

  /// Told of every successful write+fdatasync round: its wall time in seconds and how many
  /// records it made durable. Called by the thread that led the round, outside the journal's
  /// lock, after the waiters were released; it must be thread-safe and must not call back into
  /// the journal. Set it before appends run concurrently (not synchronized with them).
  using FlushObserver = std::function<void(double seconds, std::size_t records)>;
  void set_flush_observer(FlushObserver observer) { m_flush_observer = std::move(observer); }
  const Recovery& recovery() const { return m_recovery; }
  const std::filesystem::path& path() const { return m_path; }

  /// Record `index` (< size()).
  Result<std::string> read(std::uint64_t index) const;
  /// Every durable record, in order.
  Result<std::vector<std::string>> read_all() const;
  /// Calls `visit(index, payload)` for records [from, size()) in order, re-checking each
  /// record's checksums (Errc::check_failed names the record); stops at the first error, the
  /// visitor's included. `payload` is valid only during the call.
  Result<void> for_each(std::uint64_t from,
                        const std::function<Result<void>(std::uint64_t, std::string_view)>& visit) const;

  /// Frames `payload` as one record (exposed for tests and tools).
  static std::string frame(std::string_view payload);

 private:
  Journal(std::filesystem::path path, int fd, Options options);

  std::filesystem::path m_path;
  int m_fd = -1;
  Options m_options;
  Recovery m_recovery;
  FlushObserver m_flush_observer;

  mutable std::mutex m_mutex;
  std::condition_variable m_flushed;
  // All below guarded by m_mutex.
  std::string m_pending;                 ///< framed records not yet written
  std::vector<std::uint64_t> m_pending_offsets;
  std::uint64_t m_next_index = 0;        ///< index the next append gets
  std::uint64_t m_durable = 0;           ///< records [0, m_durable) are on disk
  std::uint64_t m_end = 0;               ///< file offset after the last durable record
  bool m_flushing = false;               ///< a leader is writing + syncing a batch
  std::uint64_t m_flushes = 0;
  std::string m_failure;                 ///< set once a write or sync failed
  std::vector<std::uint64_t> m_offsets;  ///< offset of each durable record
};

/// A state snapshot: the state bytes as of the first `records` journal records.
struct Snapshot {
  std::uint64_t records = 0;
  std::string state;
};

/// Writes `snapshot` to `path` atomically (temporary file, fsync, rename, fsync directory), with
/// a checksum so that read_snapshot() detects a damaged file.
Result<void> write_snapshot(const std::filesystem::path& path, const Snapshot& snapshot);
/// Errc::not_found if absent; Errc::check_failed if damaged.
Result<Snapshot> read_snapshot(const std::filesystem::path& path);

}  // namespace rootgov::authority
