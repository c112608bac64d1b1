// daemon/src/runtime.cpp - thread management for the daemon's executors.
#include "runtime.hpp"

#include <pthread.h>

#include <algorithm>

namespace rootgov::daemon {

namespace {
/// Names the calling thread (at most 15 characters), so `top -H` and profiles tell them apart.
void name_thread(const char* name) { (void)pthread_setname_np(pthread_self(), name); }
}  // namespace

Runtime::Runtime(unsigned io_threads, AuthorityOwner owner)
    : m_io_threads(std::max(1u, io_threads)),
      m_io(static_cast<int>(std::max(1u, io_threads))),
      m_io_work(boost::asio::make_work_guard(m_io)),
      m_authority_work(boost::asio::make_work_guard(m_authority)),
      m_durability_work(boost::asio::make_work_guard(m_durability)),
      m_files_work(boost::asio::make_work_guard(m_files)) {
  if (owner == AuthorityOwner::strand) {
    m_authority_strand.emplace(boost::asio::make_strand(m_io));
    m_authority_work.reset();  // its io_context never runs
  }
}

Runtime::~Runtime() {
  stop();
  join();
}

void Runtime::start_owned_threads() {
  if (!m_owned_threads.empty()) return;
  auto run = [](boost::asio::io_context& ctx, const char* name) {
    return std::thread([&ctx, name] {
      name_thread(name);
      ctx.run();
    });
  };
  if (!m_authority_strand) m_owned_threads.push_back(run(m_authority, "rg-authority"));
  m_owned_threads.push_back(run(m_durability, "rg-durability"));
  m_owned_threads.push_back(run(m_files, "rg-files"));
}

void Runtime::run() {
  start_owned_threads();
  for (unsigned i = 1; i < m_io_threads; ++i) {
    m_threads.emplace_back([this] {
      name_thread("rg-io");
      m_io.run();
    });
  }
  name_thread("rg-io");
  m_io.run();
  stop();
  join();
}

void Runtime::start_background() {
  start_owned_threads();
  for (unsigned i = 0; i < m_io_threads; ++i) {
    m_threads.emplace_back([this] {
      name_thread("rg-io");
      m_io.run();
    });
  }
}

void Runtime::stop() {
  m_io_work.reset();
  m_io.stop();
  m_authority_work.reset();
  m_authority.stop();
  // Not stopped: the durability and file threads finish what was queued (a journal wait, a zone
  // file write in flight) and then end, so join() never leaves a write half-reported.
  m_durability_work.reset();
  m_files_work.reset();
}

void Runtime::join() {
  for (auto& t : m_threads) {
    if (t.joinable()) t.join();
  }
  m_threads.clear();
  for (auto& t : m_owned_threads) {
    if (t.joinable()) t.join();
  }
  m_owned_threads.clear();
}

}  // namespace rootgov::daemon
