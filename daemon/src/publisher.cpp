// daemon/src/publisher.cpp - atomic, coalesced writes of the published zone file.
#include "publisher.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

#include <boost/asio/post.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "metrics.hpp"

namespace rootgov::daemon {

namespace {

std::string errno_text() { return std::strerror(errno); }

Result<void> fsync_path(const std::filesystem::path& path, int flags) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return fail(Errc::io, fmt::format("cannot open '{}': {}", path.string(), errno_text()));
  int rc = ::fsync(fd);
  std::string err = rc == 0 ? "" : errno_text();
  ::close(fd);
  if (rc != 0) return fail(Errc::io, fmt::format("cannot fsync '{}': {}", path.string(), err));
  return {};
}

}  // namespace

namespace {
std::filesystem::path temporary_of(const std::filesystem::path& path) {
  std::filesystem::path tmp = path;
  tmp += ".tmp";
  return tmp;
}
}  // namespace

Result<void> write_file_replacing(const std::filesystem::path& path, std::string_view bytes) {
  if (auto w = write_temporary(path, bytes); !w) return w;
  return install_temporary(path);
}

Result<void> write_temporary(const std::filesystem::path& path, std::string_view bytes) {
  const std::filesystem::path tmp = temporary_of(path);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return fail(Errc::io, fmt::format("cannot create '{}': {}", tmp.string(), errno_text()));
  const char* p = bytes.data();
  std::size_t left = bytes.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      std::string err = errno_text();
      ::close(fd);
      return fail(Errc::io, fmt::format("cannot write '{}': {}", tmp.string(), err));
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  if (::fdatasync(fd) != 0) {
    std::string err = errno_text();
    ::close(fd);
    return fail(Errc::io, fmt::format("cannot fsync '{}': {}", tmp.string(), err));
  }
  ::close(fd);
  return {};
}

Result<void> install_temporary(const std::filesystem::path& path) {
  const std::filesystem::path tmp = temporary_of(path);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    return fail(Errc::io, fmt::format("cannot rename '{}' to '{}': {}", tmp.string(), path.string(), errno_text()));
  }
  auto dir = path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
  return fsync_path(dir, O_RDONLY | O_DIRECTORY);
}

Publisher::Publisher(std::filesystem::path file, boost::asio::any_io_executor authority, boost::asio::any_io_executor files,
                     Render render, Metrics& metrics, std::chrono::milliseconds min_interval)
    : m_file(std::move(file)), m_authority(std::move(authority)), m_files(std::move(files)), m_render(std::move(render)),
      m_metrics(metrics), m_min_interval(min_interval), m_timer(m_authority) {}

void Publisher::offer(std::uint32_t serial) {
  m_offered = serial;
  schedule();
}

void Publisher::schedule() {
  if (m_in_flight || m_timer_armed || m_offered == m_started) return;
  const auto earliest = std::max(m_render_end + kRenderShare * m_render_cost, m_render_start + m_min_interval);
  if (std::chrono::steady_clock::now() >= earliest) {
    start_write();
    return;
  }
  m_timer_armed = true;
  m_timer.expires_at(earliest);
  m_timer.async_wait([this](const boost::system::error_code& ec) {
    m_timer_armed = false;
    if (!ec) schedule();
  });
}

void Publisher::start_write() {
  const auto r0 = std::chrono::steady_clock::now();
  m_render_start = r0;
  auto version = std::make_shared<Version>(m_render());
  pid_t child = -1;
  if (version->render_in_child) {
    const auto f0 = std::chrono::steady_clock::now();
    child = fork_render(*version);
    m_metrics.gauge("rootgov_zone_file_fork_seconds", "time the authority thread spent in the last fork")
        .set(std::chrono::duration<double>(std::chrono::steady_clock::now() - f0).count());
    if (child < 0) {
      spdlog::warn("msg=\"fork failed; rendering the zone file on the authority thread\" error=\"{}\"", errno_text());
      version->text = version->render_in_child();
    }
  }
  m_render_end = std::chrono::steady_clock::now();
  m_render_cost = m_render_end - r0;
  const std::uint32_t serial = version->serial;
  m_in_flight = true;
  m_started = serial;
  m_offered = serial;
  {
    std::lock_guard lock(m_mutex);
    m_write_busy = true;
  }
  boost::asio::post(m_files, [this, version, serial, child] {
    const auto t0 = std::chrono::steady_clock::now();
    Result<void> w;
    if (child > 0) {
      // The child wrote and synced <file>.tmp; it goes live only once the journal records behind
      // it are durable, as an in-process write would.
      w = wait_child(child);
      if (w && version->durable) w = version->durable();
      if (w) w = install_temporary(m_file);
      m_metrics.counter("rootgov_zone_file_forks_total", "zone file versions rendered by a forked child").inc();
    } else {
      w = version->durable ? version->durable() : Result<void>{};
      if (w) w = write_file_replacing(m_file, version->text);
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (w) {
      m_written = serial;
      m_metrics.gauge("rootgov_zone_file_serial", "SOA serial of the zone file on disk").set(static_cast<double>(serial));
      m_metrics.counter("rootgov_zone_file_writes_total", "zone file versions written").inc();
      m_metrics.gauge("rootgov_zone_file_write_seconds", "duration of the last zone file write").set(seconds);
    } else {
      spdlog::error("msg=\"zone file not written; the served zone is unaffected\" error=\"{}\"", w.error().message);
      m_metrics.counter("rootgov_zone_file_errors_total", "zone file writes that failed").inc();
    }
    const bool ok = w.has_value();
    // A child's render (and write) takes a core for as long as it runs: ration the next one
    // by that, as an in-process render is rationed by its own duration.
    const auto child_cost = child > 0 ? std::chrono::steady_clock::now() - t0 : std::chrono::steady_clock::duration{};
    boost::asio::post(m_authority, [this, ok, child_cost] {
      if (child_cost.count() > 0) {
        m_render_end = std::chrono::steady_clock::now();
        m_render_cost = std::max(m_render_cost, child_cost);
      }
      m_in_flight = false;
      if (!ok) m_started = 0;  // the next offer retries
      schedule();
    });
    std::lock_guard lock(m_mutex);
    m_write_busy = false;
    m_idle.notify_all();
  });
}

pid_t Publisher::fork_render(const Version& version) {
  const pid_t pid = ::fork();
  if (pid != 0) return pid;  // the parent (or -1)
  // The child: only this thread exists. Signals meant for the daemon (a process-group
  // SIGTERM, say) must not reach Asio's handler, which would report them through a pipe
  // shared with the parent.
  for (int sig : {SIGTERM, SIGINT, SIGHUP, SIGQUIT}) std::signal(sig, SIG_DFL);
  std::string text = version.render_in_child();
  ::_exit(write_temporary(m_file, text) ? 0 : 1);
}

Result<void> Publisher::wait_child(pid_t child) {
  int status = 0;
  pid_t r = -1;
  do {
    r = ::waitpid(child, &status, 0);
  } while (r < 0 && errno == EINTR);
  if (r != child) return fail(Errc::io, fmt::format("waiting for the zone-file child {}: {}", child, errno_text()));
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return fail(Errc::io, fmt::format("the child rendering the zone file failed ({} {})",
                                      WIFEXITED(status) ? "exit status" : "signal",
                                      WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status)));
  }
  return {};
}

void Publisher::finish() {
  {
    std::unique_lock lock(m_mutex);
    m_idle.wait(lock, [this] { return !m_write_busy; });
  }
  Version v = m_render();
  if (v.serial == m_written.load()) return;
  if (v.render_in_child) v.text = v.render_in_child();  // shutdown: no fork
  Result<void> w = v.durable ? v.durable() : Result<void>{};
  if (w) w = write_file_replacing(m_file, v.text);
  if (!w) {
    spdlog::error("msg=\"zone file not written at shutdown\" error=\"{}\"", w.error().message);
  } else {
    m_written = v.serial;
  }
}

}  // namespace rootgov::daemon
