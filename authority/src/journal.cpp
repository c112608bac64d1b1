// journal.cpp - framed, fsync'ed, group-committed record file; snapshots.
#include <rootgov/authority/journal.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

#include <fmt/format.h>

#include "crypto.hpp"
#include "file_util.hpp"
#include "snapshot_file.hpp"

namespace rootgov::authority {

namespace {

constexpr char kMagic[4] = {'R', 'G', 'J', '1'};
constexpr char kSnapshotMagic[4] = {'R', 'G', 'S', '1'};

void put_u32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFFU));
}
void put_u64(std::string& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFFU));
}
std::uint32_t get_u32(const char* p) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}
std::uint64_t get_u64(const char* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

Result<void> pwrite_all(int fd, std::string_view bytes, std::uint64_t offset) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::pwrite(fd, bytes.data() + done, bytes.size() - done, static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail(Errc::io, fmt::format("write failed: {}", files::errno_text(errno)));
    }
    done += static_cast<std::size_t>(n);
  }
  return {};
}

Result<std::string> pread_exact(int fd, std::uint64_t offset, std::size_t size) {
  std::string out(size, '\0');
  std::size_t done = 0;
  while (done < size) {
    ssize_t n = ::pread(fd, out.data() + done, size - done, static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail(Errc::io, fmt::format("read failed: {}", files::errno_text(errno)));
    }
    if (n == 0) return fail(Errc::io, "unexpected end of file");
    done += static_cast<std::size_t>(n);
  }
  return out;
}

bool all_zero(std::string_view bytes) {
  return std::all_of(bytes.begin(), bytes.end(), [](char c) { return c == '\0'; });
}

enum class HeaderCheck { ok, damaged };

HeaderCheck check_header(const char* h) {
  if (std::memcmp(h, kMagic, 4) != 0) return HeaderCheck::damaged;
  if (crypto::crc32c(std::string_view(h, 12)) != get_u32(h + 12)) return HeaderCheck::damaged;
  return HeaderCheck::ok;
}

/// Sequential reads of a file in large chunks, so recovery needs neither one read per record
/// nor the whole file in memory.
class ChunkReader {
 public:
  static constexpr std::size_t kChunk = 4U << 20;

  ChunkReader(int fd, std::uint64_t file_size) : m_fd(fd), m_size(file_size) {}

  /// Bytes [offset, offset + length); precondition offset + length <= file size. The view
  /// stays valid until the next call.
  Result<std::string_view> view(std::uint64_t offset, std::size_t length) {
    if (offset < m_start || offset + length > m_start + m_buffer.size()) {
      std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(std::max(length, kChunk), m_size - offset));
      auto bytes = pread_exact(m_fd, offset, want);
      if (!bytes) return std::unexpected(bytes.error());
      m_buffer = std::move(*bytes);
      m_start = offset;
    }
    return std::string_view(m_buffer).substr(offset - m_start, length);
  }

  /// Whether every byte from `offset` to the end of the file is zero.
  Result<bool> all_zero_from(std::uint64_t offset) {
    while (offset < m_size) {
      std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(kChunk, m_size - offset));
      auto bytes = view(offset, n);
      if (!bytes) return std::unexpected(bytes.error());
      if (!all_zero(*bytes)) return false;
      offset += n;
    }
    return true;
  }

 private:
  int m_fd;
  std::uint64_t m_size;
  std::uint64_t m_start = 0;
  std::string m_buffer;
};

}  // namespace

std::string Journal::frame(std::string_view payload) {
  std::string out;
  out.reserve(kHeaderSize + payload.size());
  out.append(kMagic, 4);
  put_u32(out, static_cast<std::uint32_t>(payload.size()));
  put_u32(out, crypto::crc32c(payload));
  put_u32(out, crypto::crc32c(out));
  out.append(payload);
  return out;
}

Journal::Journal(std::filesystem::path path, int fd, Options options)
    : m_path(std::move(path)), m_fd(fd), m_options(options) {}

Journal::~Journal() {
  if (m_fd >= 0 && !m_options.read_only) (void)flush();
  if (m_fd >= 0) ::close(m_fd);
}

Result<std::unique_ptr<Journal>> Journal::open(const std::filesystem::path& path, Options options) {
  const std::string where = path.string();
  bool existed = std::filesystem::exists(path);
  int fd = options.read_only ? ::open(path.c_str(), O_RDONLY | O_CLOEXEC)
                             : ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    int err = errno;
    return fail(err == ENOENT ? Errc::not_found : Errc::io,
                fmt::format("cannot open journal '{}': {}", where, files::errno_text(err)));
  }
  std::unique_ptr<Journal> journal(new Journal(path, fd, options));
  // One writer per journal: a second open (another daemon on the same state directory, or the
  // same process twice) would interleave records.
  if (!options.read_only && ::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    return fail(err == EWOULDBLOCK ? Errc::conflict : Errc::io,
                fmt::format("journal '{}' is in use by another writer ({})", where, files::errno_text(err)));
  }
  if (!existed && !options.read_only) {
    if (auto ok = files::fsync_directory(path.parent_path()); !ok) return std::unexpected(ok.error());
  }

  struct stat st{};
  if (::fstat(fd, &st) != 0) return fail(Errc::io, fmt::format("cannot stat '{}': {}", where, files::errno_text(errno)));
  const auto file_size = static_cast<std::uint64_t>(st.st_size);
  ChunkReader reader(fd, file_size);
  auto io_error = [&](const Error& e) {
    return fail(Errc::io, fmt::format("cannot read journal '{}': {}", where, e.message));
  };

  std::uint64_t offset = 0;
  std::uint64_t index = 0;
  bool torn = false;
  while (offset < file_size) {
    const std::uint64_t remaining = file_size - offset;
    auto damaged = [&](std::string_view what) {
      return fail(Errc::check_failed,
                  fmt::format("journal '{}' is damaged at record {} (byte offset {}): {}; the records before it "
                              "are intact, but refusing to start on a tampered or corrupted journal",
                              where, index, offset, what));
    };
    if (remaining < kHeaderSize) {
      torn = true;  // a header cut short can only be the last thing written
      break;
    }
    auto header = reader.view(offset, kHeaderSize);
    if (!header) return io_error(header.error());
    const char* h = header->data();
    if (check_header(h) != HeaderCheck::ok) {
      // A crash can leave a zero-filled tail (size extended, data never written).
      auto zeros = reader.all_zero_from(offset);
      if (!zeros) return io_error(zeros.error());
      if (*zeros) {
        torn = true;
        break;
      }
      return damaged("bad record header (magic or header checksum)");
    }
    const std::uint64_t length = get_u32(h + 4);
    const std::uint32_t payload_crc = get_u32(h + 8);
    if (length > kMaxRecordSize) return damaged(fmt::format("record length {} exceeds the maximum", length));
    if (kHeaderSize + length > remaining) {
      torn = true;  // the record runs past the end of the file
      break;
    }
    auto payload = reader.view(offset + kHeaderSize, length);
    if (!payload) return io_error(payload.error());
    if (crypto::crc32c(*payload) != payload_crc) {
      if (kHeaderSize + length == remaining) {
        torn = true;  // the last record's payload never fully reached the disk
        break;
      }
      return damaged("payload checksum mismatch");
    }
    journal->m_offsets.push_back(offset);
    offset += kHeaderSize + length;
    ++index;
  }

  if (torn && !options.read_only) {
    if (::ftruncate(fd, static_cast<off_t>(offset)) != 0 || ::fsync(fd) != 0) {
      return fail(Errc::io, fmt::format("cannot drop the torn tail of '{}': {}", where, files::errno_text(errno)));
    }
  }
  journal->m_recovery = Recovery{index, offset, file_size - offset};
  journal->m_next_index = index;
  journal->m_durable = index;
  journal->m_end = offset;
  return journal;
}

Result<std::uint64_t> Journal::enqueue(std::string_view payload) {
  if (payload.size() > kMaxRecordSize) {
    return fail(Errc::invalid_input,
                fmt::format("journal record of {} bytes exceeds the limit of {} bytes", payload.size(), kMaxRecordSize));
  }
  if (m_options.read_only) {
    return fail(Errc::conflict, fmt::format("journal '{}' is open read-only", m_path.string()));
  }
  std::string framed = frame(payload);  // checksums outside the lock

  std::lock_guard lock(m_mutex);
  if (!m_failure.empty()) return fail(Errc::io, m_failure);
  const std::uint64_t index = m_next_index++;
  m_pending_offsets.push_back(m_pending.size());
  m_pending += framed;
  return index;
}

Result<void> Journal::wait_durable(std::uint64_t index) {
  std::unique_lock lock(m_mutex);
  if (index >= m_next_index) {
    return fail(Errc::invalid_input,
                fmt::format("journal '{}' has no record {} to wait for ({} enqueued)", m_path.string(), index, m_next_index));
  }
  for (;;) {
    if (m_durable > index) return {};
    if (!m_failure.empty()) return fail(Errc::io, m_failure);
    if (m_flushing) {
      m_flushed.wait(lock);
      continue;
    }
    // Leader: write and sync everything pending, on behalf of every waiter.
    m_flushing = true;
    std::string batch;
    batch.swap(m_pending);
    std::vector<std::uint64_t> relative;
    relative.swap(m_pending_offsets);
    const std::uint64_t batch_end = m_next_index;
    const std::uint64_t offset = m_end;
    lock.unlock();

    const auto started = std::chrono::steady_clock::now();
    Result<void> written = pwrite_all(m_fd, batch, offset);
    if (written && m_options.sync && ::fdatasync(m_fd) != 0) {
      written = fail(Errc::io, fmt::format("fdatasync failed: {}", files::errno_text(errno)));
    }
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;

    lock.lock();
    m_flushing = false;
    if (!written) {
      // After a failed write or sync the file's state is unknown (the page cache may have
      // dropped the dirty pages): refuse everything until the journal is reopened.
      m_failure = fmt::format("journal '{}': {}", m_path.string(), written.error().message);
      m_flushed.notify_all();
      return fail(Errc::io, m_failure);
    }
    for (std::uint64_t rel : relative) m_offsets.push_back(offset + rel);
    m_end = offset + batch.size();
    m_durable = batch_end;
    ++m_flushes;
    m_flushed.notify_all();
    if (m_flush_observer) {
      lock.unlock();
      m_flush_observer(took.count(), relative.size());
      lock.lock();
    }
  }
}

Result<std::uint64_t> Journal::append(std::string_view payload) {
  auto index = enqueue(payload);
  if (!index) return index;
  if (auto durable = wait_durable(*index); !durable) return std::unexpected(durable.error());
  return index;
}

Result<void> Journal::flush() {
  std::uint64_t last = 0;
  {
    std::lock_guard lock(m_mutex);
    if (m_next_index == m_durable) return {};
    last = m_next_index - 1;
  }
  return wait_durable(last);
}

std::uint64_t Journal::enqueued() const {
  std::lock_guard lock(m_mutex);
  return m_next_index;
}

std::string Journal::failure() const {
  std::lock_guard lock(m_mutex);
  return m_failure;
}

std::uint64_t Journal::size() const {
  std::lock_guard lock(m_mutex);
  return m_durable;
}

std::uint64_t Journal::flush_count() const {
  std::lock_guard lock(m_mutex);
  return m_flushes;
}

Result<std::string> Journal::read(std::uint64_t index) const {
  std::uint64_t offset = 0;
  {
    std::lock_guard lock(m_mutex);
    if (index >= m_durable) {
      return fail(Errc::not_found, fmt::format("journal has no record {} (size {})", index, m_durable));
    }
    offset = m_offsets[index];
  }
  auto header = pread_exact(m_fd, offset, kHeaderSize);
  if (!header) return std::unexpected(header.error());
  auto damaged = [&](std::string_view what) {
    return fail(Errc::check_failed,
                fmt::format("journal '{}' record {} (byte offset {}): {}", m_path.string(), index, offset, what));
  };
  if (check_header(header->data()) != HeaderCheck::ok) return damaged("bad record header");
  auto payload = pread_exact(m_fd, offset + kHeaderSize, get_u32(header->data() + 4));
  if (!payload) return std::unexpected(payload.error());
  if (crypto::crc32c(*payload) != get_u32(header->data() + 8)) return damaged("payload checksum mismatch");
  return payload;
}

Result<void> Journal::for_each(std::uint64_t from,
                               const std::function<Result<void>(std::uint64_t, std::string_view)>& visit) const {
  std::uint64_t end_index = 0;
  std::uint64_t offset = 0;
  std::uint64_t end_offset = 0;
  {
    std::lock_guard lock(m_mutex);
    end_index = m_durable;
    if (from >= end_index) return {};
    offset = m_offsets[from];
    end_offset = m_end;
  }
  // One sequential pass in large chunks; checksums are checked again on the way.
  ChunkReader reader(m_fd, end_offset);
  for (std::uint64_t i = from; i < end_index; ++i) {
    auto damaged = [&](std::string_view what) {
      return fail(Errc::check_failed,
                  fmt::format("journal '{}' record {} (byte offset {}): {}", m_path.string(), i, offset, what));
    };
    if (offset + kHeaderSize > end_offset) return damaged("truncated record header");
    auto header = reader.view(offset, kHeaderSize);
    if (!header) return std::unexpected(header.error());
    if (check_header(header->data()) != HeaderCheck::ok) return damaged("bad record header");
    const std::uint64_t length = get_u32(header->data() + 4);
    const std::uint32_t crc = get_u32(header->data() + 8);
    if (offset + kHeaderSize + length > end_offset) return damaged("truncated record");
    auto payload = reader.view(offset + kHeaderSize, length);
    if (!payload) return std::unexpected(payload.error());
    if (crypto::crc32c(*payload) != crc) return damaged("payload checksum mismatch");
    if (auto ok = visit(i, *payload); !ok) return ok;
    offset += kHeaderSize + length;
  }
  return {};
}

Result<std::vector<std::string>> Journal::read_all() const {
  std::vector<std::string> out;
  auto ok = for_each(0, [&](std::uint64_t, std::string_view payload) -> Result<void> {
    out.emplace_back(payload);
    return {};
  });
  if (!ok) return std::unexpected(ok.error());
  return out;
}

// ---------------------------------------------------------------------------------------------
// Snapshots: magic "RGS1" | u64 records | u64 state length | SHA-256(records LE || state) | state

namespace {

std::string snapshot_digest(std::uint64_t records, std::string_view state, crypto::Sha256& h) {
  std::string prefix;
  put_u64(prefix, records);
  h.update(prefix);
  h.update(state);
  auto d = h.finish();
  return std::string(reinterpret_cast<const char*>(d.data()), d.size());
}

std::string snapshot_digest(std::uint64_t records, std::string_view state) {
  crypto::Sha256 h;
  return snapshot_digest(records, state, h);
}

std::string snapshot_bytes(const Snapshot& snapshot, crypto::Sha256& hasher) {
  std::string bytes(kSnapshotMagic, 4);
  put_u64(bytes, snapshot.records);
  put_u64(bytes, snapshot.state.size());
  bytes += snapshot_digest(snapshot.records, snapshot.state, hasher);
  bytes += snapshot.state;
  return bytes;
}

}  // namespace

Result<void> write_snapshot(const std::filesystem::path& path, const Snapshot& snapshot) {
  crypto::Sha256 hasher;
  return files::write_file_atomic(path, snapshot_bytes(snapshot, hasher), 0600, /*overwrite=*/true);
}

Result<void> detail::write_snapshot_with(const std::filesystem::path& path, const std::filesystem::path& tmp,
                                         const Snapshot& snapshot, crypto::Sha256& hasher) {
  return files::write_file_atomic_via(path, tmp, snapshot_bytes(snapshot, hasher), 0600, /*overwrite=*/true);
}

Result<Snapshot> read_snapshot(const std::filesystem::path& path) {
  auto bytes = files::read_file(path);
  if (!bytes) return std::unexpected(bytes.error());
  constexpr std::size_t kFixed = 4 + 8 + 8 + 32;
  auto damaged = [&](std::string_view why) {
    return fail(Errc::check_failed, fmt::format("snapshot '{}' is damaged: {}", path.string(), why));
  };
  if (bytes->size() < kFixed || std::memcmp(bytes->data(), kSnapshotMagic, 4) != 0) return damaged("bad header");
  Snapshot snap;
  snap.records = get_u64(bytes->data() + 4);
  std::uint64_t length = get_u64(bytes->data() + 12);
  if (length != bytes->size() - kFixed) return damaged("length mismatch");
  snap.state = bytes->substr(kFixed);
  if (snapshot_digest(snap.records, snap.state) != std::string_view(bytes->data() + 20, 32)) {
    return damaged("checksum mismatch");
  }
  return snap;
}

}  // namespace rootgov::authority
