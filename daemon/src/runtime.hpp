// daemon/src/runtime.hpp - the daemon's executors: network I/O, the authority's single owner,
// durability waits and file writes.
//
// Threads and ownership (docs/design/daemon.md):
// - io(): an io_context run by `io_threads` threads; each connection runs on its own strand.
//   A mutation's signature check ahead runs there too, on the thread that read the request
//   (one hand-off fewer than a separate CPU pool: measured in docs/design/daemon.md).
// - authority(): the authority's single owner. Every piece of code that touches authority
//   state runs there (route handlers registered with Exec::authority are dispatched to it by
//   the server), so the authority needs no locks. By default it is a strand on the I/O threads
//   (AuthorityOwner::strand): the I/O thread that checked a request's signature runs the
//   authority call itself when the strand is free, with no hand-off to another thread.
//   AuthorityOwner::thread gives it one dedicated thread instead. Either way mutations never
//   wait for the disk there: journal records are made durable on durability(). (A periodic
//   snapshot's journal flush, and snapshots with fork off, still wait there: docs/design/daemon.md.)
// - durability(): ONE thread that waits for journal records to reach the disk (group commit:
//   waits run one after another, and each fdatasync covers every record queued before it
//   started, so a waiter whose record an earlier flush covered returns at once).
// - files(): ONE thread for other blocking file work (writing the published zone file).
#pragma once

#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>

namespace rootgov::daemon {

/// Who runs the authority's calls (`[threads] authority` in the configuration).
enum class AuthorityOwner {
  strand,  ///< a strand on the I/O threads (default)
  thread,  ///< a dedicated thread, `rg-authority`
};

class Runtime {
 public:
  /// `io_threads` >= 1 (0 is taken as 1).
  explicit Runtime(unsigned io_threads, AuthorityOwner owner = AuthorityOwner::strand);
  ~Runtime();
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  boost::asio::io_context& io() { return m_io; }
  /// The authority's executor: it runs one call at a time, in the order they were queued.
  boost::asio::any_io_executor authority() {
    if (m_authority_strand) return *m_authority_strand;
    return m_authority.get_executor();
  }
  /// True on the authority executor, inside one of its calls.
  bool in_authority() {
    return m_authority_strand ? m_authority_strand->running_in_this_thread()
                              : m_authority.get_executor().running_in_this_thread();
  }
  AuthorityOwner authority_owner() const { return m_authority_strand ? AuthorityOwner::strand : AuthorityOwner::thread; }
  /// The single thread that waits for journal durability.
  boost::asio::any_io_executor durability() { return m_durability.get_executor(); }
  /// The single thread for blocking file writes other than the journal's.
  boost::asio::any_io_executor files() { return m_files.get_executor(); }

  /// Starts the owned threads (the authority's, if it has one; durability; files) and
  /// `io_threads - 1` extra I/O threads, then runs the io context on the calling thread until
  /// stop(). Joins everything.
  void run();
  /// Starts all threads and returns at once (tests); stop() then join() ends them.
  void start_background();
  void stop();
  void join();

  unsigned io_threads() const { return m_io_threads; }

 private:
  void start_owned_threads();

  unsigned m_io_threads;
  boost::asio::io_context m_io;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> m_io_work;
  boost::asio::io_context m_authority{1};  ///< AuthorityOwner::thread only
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> m_authority_work;
  boost::asio::io_context m_durability{1};
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> m_durability_work;
  boost::asio::io_context m_files{1};
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> m_files_work;
  std::optional<boost::asio::strand<boost::asio::io_context::executor_type>> m_authority_strand;
  std::vector<std::thread> m_threads;
  std::vector<std::thread> m_owned_threads;  ///< durability, files, and the authority's own
};

}  // namespace rootgov::daemon
