// zone/src/zone_writer.cpp - to_text output formatted in parallel chunks and streamed to a file.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

#include <rootgov/zone/signer.hpp>

#include "dnssec_internal.hpp"
#include "zone_text.hpp"

namespace rootgov::zone {
namespace {

constexpr std::size_t kChunkRecords = 400;  // about 35 KiB of text per buffer

bool write_all(int fd, const std::string& text) {
  std::size_t off = 0;
  while (off < text.size()) {
    ssize_t n = ::write(fd, text.data() + off, text.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    off += static_cast<std::size_t>(n);
  }
  return true;
}

// Formats chunk after chunk on `threads` threads (the caller's included; each thread claims the
// next chunk) and writes them to `fd` in order as soon as they are ready: whichever thread
// completes the chunk next in line writes it and every ready one after it, while the others go
// on formatting. At most `2 * threads` chunks are formatted ahead of the last one written, so
// memory stays a few buffers whatever the zone's size. Returns 0 or the errno of a failed write.
class ChunkPipeline {
 public:
  ChunkPipeline(int fd, const std::vector<detail::NodeIterator>& cuts, unsigned threads)
      : m_fd(fd),
        m_cuts(cuts),
        m_chunks(cuts.size() - 1),
        m_window(2 * std::size_t{threads}),
        m_ring(m_window),
        m_ready(m_chunks, false) {}

  int run(unsigned threads) {
    {
      std::vector<std::jthread> pool;
      pool.reserve(threads - 1);
      for (unsigned t = 1; t < threads; ++t) pool.emplace_back([this] { work(); });
      work();
    }
    return m_error;
  }

 private:
  void work() {
    std::unique_lock lock(m_mutex);
    for (;;) {
      m_room.wait(
          lock, [this] { return m_error != 0 || m_claimed >= m_chunks || m_claimed < m_written + m_window; });
      if (m_error != 0 || m_claimed >= m_chunks) return;
      std::size_t c = m_claimed++;
      lock.unlock();
      std::string& out = m_ring[c % m_window];
      out.clear();
      detail::append_nodes_text(out, m_cuts[c], m_cuts[c + 1]);
      lock.lock();
      m_ready[c] = true;
      if (m_writing) continue;  // the thread writing now also writes this one when its turn comes
      m_writing = true;
      while (m_error == 0 && m_written < m_chunks && m_ready[m_written]) {
        const std::string& text = m_ring[m_written % m_window];
        lock.unlock();
        bool ok = write_all(m_fd, text);
        int e = errno;
        lock.lock();
        if (!ok) m_error = e != 0 ? e : EIO;
        ++m_written;
        m_room.notify_all();
      }
      m_writing = false;
    }
  }

  int m_fd;
  const std::vector<detail::NodeIterator>& m_cuts;
  const std::size_t m_chunks;
  const std::size_t m_window;
  std::vector<std::string> m_ring;  // chunk c is formatted into m_ring[c % m_window]
  std::vector<bool> m_ready;
  std::mutex m_mutex;
  std::condition_variable m_room;  // a buffer was written (or the run failed)
  std::size_t m_claimed = 0;
  std::size_t m_written = 0;
  bool m_writing = false;
  int m_error = 0;
};

}  // namespace

Result<void> write_zone_text(const Zone& zone, const std::filesystem::path& path, unsigned threads) {
  threads = detail::thread_count(threads);
  // Chunk boundaries by record count.
  std::vector<detail::NodeIterator> cuts;
  std::size_t records = 0;
  for (auto it = zone.nodes().begin(); it != zone.nodes().end(); ++it) {
    if (records == 0) cuts.push_back(it);
    for (const auto& set : it->second.rrsets) records += set.rdatas.size() + set.rrsigs.size();
    if (records >= kChunkRecords) records = 0;
  }
  cuts.push_back(zone.nodes().end());
  const std::size_t chunks = cuts.size() - 1;

  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return fail(Errc::io, "cannot create '" + path.string() + "': " + std::strerror(errno));
  int e = 0;
  if (chunks > 0) {
    threads = static_cast<unsigned>(std::min<std::size_t>(threads, chunks));
    e = ChunkPipeline(fd, cuts, threads).run(threads);
  }
  if (::close(fd) != 0 && e == 0) e = errno;
  if (e != 0) return fail(Errc::io, "cannot write '" + path.string() + "': " + std::strerror(e));
  return {};
}

}  // namespace rootgov::zone
