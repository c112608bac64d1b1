// file_util.cpp - POSIX implementation of file_util.hpp.
#include "file_util.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "crypto.hpp"

namespace rootgov::authority::files {

std::string errno_text(int err) { return std::strerror(err); }

Result<std::string> read_file(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    return fail(err == ENOENT ? Errc::not_found : Errc::io,
                fmt::format("cannot open '{}': {}", path.string(), errno_text(err)));
  }
  std::string out;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      return fail(Errc::io, fmt::format("cannot read '{}': {}", path.string(), errno_text(err)));
    }
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

Result<void> fsync_directory(const std::filesystem::path& dir) {
  std::filesystem::path d = dir.empty() ? std::filesystem::path(".") : dir;
  int fd = ::open(d.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    return fail(Errc::io, fmt::format("cannot open directory '{}': {}", d.string(), errno_text(errno)));
  }
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) {
    return fail(Errc::io, fmt::format("cannot fsync directory '{}': {}", d.string(), errno_text(err)));
  }
  return {};
}

Result<void> write_file_atomic(const std::filesystem::path& path, std::string_view bytes, mode_t mode,
                               bool overwrite) {
  std::filesystem::path tmp = path;
  tmp += ".tmp-" + crypto::hex_encode(crypto::random_bytes(6));
  return write_file_atomic_via(path, tmp, bytes, mode, overwrite);
}

Result<void> write_file_atomic_via(const std::filesystem::path& path, const std::filesystem::path& tmp,
                                   std::string_view bytes, mode_t mode, bool overwrite) {
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) {
    return fail(Errc::io, fmt::format("cannot create '{}': {}", tmp.string(), errno_text(errno)));
  }
  auto cleanup = [&](std::string message) {
    ::close(fd);
    ::unlink(tmp.c_str());
    return fail(Errc::io, std::move(message));
  };
  // The umask may have narrowed `mode`; it must never widen it.
  if (::fchmod(fd, mode) != 0) {
    return cleanup(fmt::format("cannot chmod '{}': {}", tmp.string(), errno_text(errno)));
  }
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return cleanup(fmt::format("cannot write '{}': {}", tmp.string(), errno_text(errno)));
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    return cleanup(fmt::format("cannot fsync '{}': {}", tmp.string(), errno_text(errno)));
  }
  ::close(fd);
  if (overwrite) {
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
      int err = errno;
      ::unlink(tmp.c_str());
      return fail(Errc::io, fmt::format("cannot rename onto '{}': {}", path.string(), errno_text(err)));
    }
  } else {
    if (::link(tmp.c_str(), path.c_str()) != 0) {
      int err = errno;
      ::unlink(tmp.c_str());
      if (err == EEXIST) {
        return fail(Errc::conflict, fmt::format("'{}' already exists (refusing to overwrite)", path.string()));
      }
      return fail(Errc::io, fmt::format("cannot create '{}': {}", path.string(), errno_text(err)));
    }
    ::unlink(tmp.c_str());
  }
  return fsync_directory(path.parent_path());
}

}  // namespace rootgov::authority::files
