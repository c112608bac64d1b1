// daemon/src/runtime.hpp - the daemon's executors: network I/O, the authority's single owner,
// durability waits and file writes.
//
// Threads and ownership (docs/design/daemon.md):
// - io(): an io_context run by `io_threads` threads; each connection runs on its own strand.
//   A mutation's signature check ahead runs there too, on the thread that read the request
//   (one hand-off fewer than a separate CPU pool: measured in docs/design/daemon.md).
// - authority(): an executor backed by ONE dedicated thread. Every piece of code that touches
//   authority state runs there (route handlers registered with Exec::authority are dispatched
//   to it by the server), so the authority needs no locks and a blocking fsync never stalls
//   network I/O.
// - durability(): ONE thread that waits for journal records to reach the disk (group commit:
//   waits run one after another, and each fdatasync covers every record queued before it
//   started, so a waiter whose record an earlier flush covered returns at once).
// - files(): ONE thread for other blocking file work (writing the published zone file).
#pragma once

#include <memory>
#include <thread>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

namespace rootgov::daemon {

class Runtime {
 public:
  /// `io_threads` >= 1 (0 is taken as 1).
  explicit Runtime(unsigned io_threads);
  ~Runtime();
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  boost::asio::io_context& io() { return m_io; }
  /// The authority's single-threaded executor.
  boost::asio::any_io_executor authority() { return m_authority.get_executor(); }
  /// The single thread that waits for journal durability.
  boost::asio::any_io_executor durability() { return m_durability.get_executor(); }
  /// The single thread for blocking file writes other than the journal's.
  boost::asio::any_io_executor files() { return m_files.get_executor(); }

  /// Starts the authority thread and `io_threads - 1` extra I/O threads, then runs the io
  /// context on the calling thread until stop(). Joins everything.
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
  boost::asio::io_context m_authority{1};
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> m_authority_work;
  boost::asio::io_context m_durability{1};
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> m_durability_work;
  boost::asio::io_context m_files{1};
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> m_files_work;
  std::vector<std::thread> m_threads;
  std::vector<std::thread> m_owned_threads;  ///< authority, durability, files
};

}  // namespace rootgov::daemon
