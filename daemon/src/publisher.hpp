// daemon/src/publisher.hpp - writes the published zone to <state>/root.zone.
//
// Contract (docs/design/daemon.md, "Publication"):
// - The file always holds one whole signed version: each write goes to a temporary file in the
//   same directory, is fsynced, renamed over root.zone, and the directory is fsynced.
// - Writes run on the runtime's file thread, never on the authority thread. At most one write is in flight;
//   versions offered meanwhile are coalesced: only the newest is written next, and no sooner
//   than the render ration and the minimum interval allow, so a burst of changes costs one
//   render and one write per interval, not one per change.
// - offer() and the render callback run on the authority executor (the zone's owner).
// - A version is written only after the journal records behind it are durable.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <rootgov/common/result.hpp>

namespace rootgov::daemon {

class Metrics;

/// Writes `bytes` to `path` so that a reader or a crash sees the old or the new file, never a mix.
Result<void> write_file_replacing(const std::filesystem::path& path, std::string_view bytes);
/// The two halves of write_file_replacing: `bytes` to `path`.tmp with fdatasync, then the
/// rename over `path` and the directory's fsync.
Result<void> write_temporary(const std::filesystem::path& path, std::string_view bytes);
Result<void> install_temporary(const std::filesystem::path& path);

class Publisher {
 public:
  /// One version to write: the text, its serial, and a wait that returns once the journal
  /// records that made it are on disk (run on the file thread before the file is replaced, so the
  /// file never shows a change a crash could still take back).
  struct Version {
    std::string text;
    std::uint32_t serial = 0;
    std::function<Result<void>()> durable;
    /// When set (and `text` empty): the text is rendered by a forked child process from its
    /// copy-on-write image of the daemon, so the authority thread pays for a fork, not for a
    /// render that takes seconds at a million TLDs. It runs in the child, which has only the
    /// forking thread: it must take no lock another thread may hold (malloc is safe in glibc)
    /// and log nothing. If fork fails, it is called on the authority thread instead.
    std::function<std::string()> render_in_child;
  };
  /// `render` returns the current version; it is called on `authority`.
  using Render = std::function<Version()>;

  /// `min_interval`: the least time from one version's start to the next one's (0: only the
  /// render ration below). A version offered after a quiet spell is written at once.
  Publisher(std::filesystem::path file, boost::asio::any_io_executor authority, boost::asio::any_io_executor files,
            Render render, Metrics& metrics, std::chrono::milliseconds min_interval = std::chrono::milliseconds(0));

  /// The zone changed to `serial` (authority executor). Writes it unless a write is in flight,
  /// in which case the newest version is written when that one finishes.
  void offer(std::uint32_t serial);
  /// Waits for a write in flight, then writes the current version if it is not on disk yet.
  /// Only when the authority executor no longer runs (shutdown).
  void finish();
  /// The serial of the last version on disk (0 before the first write). Thread-safe.
  std::uint32_t written_serial() const { return m_written.load(); }
  const std::filesystem::path& file() const { return m_file; }

 private:
  void start_write();  // authority executor
  pid_t fork_render(const Version& version);  // the child's pid, or -1 (errno) if fork failed
  Result<void> wait_child(pid_t child);        // file thread
  void schedule();     // authority executor: start_write now, or when the render budget allows

  std::filesystem::path m_file;
  boost::asio::any_io_executor m_authority;
  boost::asio::any_io_executor m_files;  ///< blocking writes run here
  Render m_render;
  Metrics& m_metrics;
  // Owned by the authority executor:
  // Rendering runs on the authority executor, so it is rationed: the next render starts no
  // earlier than kRenderShare x the last render's duration after it ended (at most ~5% of the
  // authority executor goes to rendering however fast changes come; versions coalesce), and
  // no earlier than m_min_interval after the last one started.
  static constexpr int kRenderShare = 19;
  std::chrono::steady_clock::duration m_min_interval{};
  std::chrono::steady_clock::time_point m_render_start{};
  boost::asio::steady_timer m_timer;
  bool m_timer_armed = false;
  std::chrono::steady_clock::time_point m_render_end{};
  std::chrono::steady_clock::duration m_render_cost{};
  bool m_in_flight = false;
  std::uint32_t m_offered = 0;
  std::uint32_t m_started = 0;
  std::atomic<std::uint32_t> m_written{0};
  std::mutex m_mutex;               // guards m_write_busy
  std::condition_variable m_idle;
  bool m_write_busy = false;
};

}  // namespace rootgov::daemon
