// file_util.hpp (internal) - whole-file reads and crash-safe whole-file writes.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <string_view>

#include <rootgov/common/result.hpp>

namespace rootgov::authority::files {

/// The whole file; errors (Errc::io, or Errc::not_found when missing) name the path.
Result<std::string> read_file(const std::filesystem::path& path);

/// Replaces (or creates) `path` with `bytes` so that after a crash the file holds either the
/// old or the new content, never a mix: write a temporary file in the same directory with
/// `mode`, fsync it, rename (or link, when !overwrite, so an existing file is never replaced),
/// then fsync the directory. Errc::conflict when the file exists and !overwrite.
Result<void> write_file_atomic(const std::filesystem::path& path, std::string_view bytes, mode_t mode,
                               bool overwrite);

/// write_file_atomic with the temporary file named by the caller (`tmp`, in the same directory
/// as `path`; it must not exist). Uses no lock and no random numbers, so a forked child of a
/// multithreaded process may call it.
Result<void> write_file_atomic_via(const std::filesystem::path& path, const std::filesystem::path& tmp,
                                   std::string_view bytes, mode_t mode, bool overwrite);

/// fsync of a directory, so a rename or creation inside it is durable.
Result<void> fsync_directory(const std::filesystem::path& dir);

/// "strerror(errno)" for messages.
std::string errno_text(int err);

}  // namespace rootgov::authority::files
