// daemon/src/runtime.cpp - thread management for the daemon's executors.
#include "runtime.hpp"

#include <algorithm>

namespace rootgov::daemon {

namespace {
unsigned cores() { return std::max(1u, std::thread::hardware_concurrency()); }
}  // namespace

Runtime::Runtime(unsigned io_threads, unsigned cpu_threads)
    : m_io_threads(std::max(1u, io_threads)),
      m_io(static_cast<int>(std::max(1u, io_threads))),
      m_io_work(boost::asio::make_work_guard(m_io)),
      m_authority_work(boost::asio::make_work_guard(m_authority)),
      m_cpu(cpu_threads == 0 ? cores() : cpu_threads) {}

Runtime::~Runtime() {
  stop();
  join();
  m_cpu.join();
}

void Runtime::start_authority() {
  if (!m_authority_thread.joinable()) m_authority_thread = std::thread([this] { m_authority.run(); });
}

void Runtime::run() {
  start_authority();
  for (unsigned i = 1; i < m_io_threads; ++i) m_threads.emplace_back([this] { m_io.run(); });
  m_io.run();
  stop();
  join();
}

void Runtime::start_background() {
  start_authority();
  for (unsigned i = 0; i < m_io_threads; ++i) m_threads.emplace_back([this] { m_io.run(); });
}

void Runtime::stop() {
  m_io_work.reset();
  m_io.stop();
  m_authority_work.reset();
  m_authority.stop();
}

void Runtime::join() {
  for (auto& t : m_threads) {
    if (t.joinable()) t.join();
  }
  m_threads.clear();
  if (m_authority_thread.joinable()) m_authority_thread.join();
}

}  // namespace rootgov::daemon
