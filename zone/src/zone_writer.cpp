// zone/src/zone_writer.cpp - to_text output formatted in parallel chunks and streamed to a file.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include <rootgov/zone/signer.hpp>

#include "dnssec_internal.hpp"
#include "zone_text.hpp"

namespace rootgov::zone {
namespace {

constexpr std::size_t kChunkRecords = 600;  // about 50 KiB of text per buffer

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
  std::vector<std::string> buffers(threads);
  bool ok = true;
  for (std::size_t round = 0; round < chunks && ok; round += threads) {
    std::size_t n = std::min<std::size_t>(threads, chunks - round);
    detail::parallel_chunks(n, static_cast<unsigned>(n), 1, [&](unsigned, std::size_t b, std::size_t) {
      std::string& out = buffers[b];
      out.clear();
      detail::append_nodes_text(out, cuts[round + b], cuts[round + b + 1]);
    });
    for (std::size_t b = 0; b < n && ok; ++b) ok = write_all(fd, buffers[b]);
  }
  int e = errno;
  if (::close(fd) != 0 && ok) {
    ok = false;
    e = errno;
  }
  if (!ok) return fail(Errc::io, "cannot write '" + path.string() + "': " + std::strerror(e));
  return {};
}

}  // namespace rootgov::zone
