// snapshot_file.hpp (internal) - writing a snapshot file from a forked child.
//
// A child forked from the multithreaded daemon may take no lock another thread could have held
// at the fork: Botan allocates its hash state from a locked pool and draws random numbers, so the
// child gets a hasher the parent made before the fork and a temporary file name chosen there.
#pragma once

#include <filesystem>

#include <rootgov/authority/journal.hpp>

#include "crypto.hpp"

namespace rootgov::authority::detail {

/// write_snapshot(path, snapshot) with the digest taken by `hasher` (fresh, made before a fork)
/// and the temporary file `tmp` (same directory, must not exist). Safe in a forked child.
Result<void> write_snapshot_with(const std::filesystem::path& path, const std::filesystem::path& tmp,
                                 const Snapshot& snapshot, crypto::Sha256& hasher);

}  // namespace rootgov::authority::detail
