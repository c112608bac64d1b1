// daemon/src/config.hpp - rootgovd's configuration: flags (DESIGN.md section 4) plus a TOML
// file for everything else. Flags override the file; the file overrides the defaults.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include <rootgov/common/result.hpp>

#include "http_server.hpp"

namespace rootgov::daemon {

struct Endpoint {
  std::string address;
  std::uint16_t port = 0;
  std::string to_string() const;
};

/// Parses "ADDR:PORT" ("127.0.0.1:8053", "[::1]:8053"); port 0 lets the kernel choose.
Result<Endpoint> parse_endpoint(std::string_view text);

struct DaemonConfig {
  std::filesystem::path state_dir = "rootgov-state";
  std::filesystem::path zone_file;    ///< empty: the embedded default zone
  std::filesystem::path actors_file;  ///< empty: the default actor set
  std::string model = "us-status-quo";
  Endpoint http{"127.0.0.1", 8053};
  Endpoint dns{"127.0.0.1", 5353};
  std::string clock = "real";  ///< "real" | "simulated"
  ServerLimits limits;
  std::string log_level = "info";  ///< trace|debug|info|warn|error|critical|off
  unsigned io_threads = 2;
  /// [threads] authority: "strand" (false; the default) runs the authority's calls on a strand
  /// of the I/O threads, "thread" (true) on a dedicated thread (docs/design/daemon.md).
  bool authority_thread = false;
  unsigned cpu_threads = 0;  ///< threads that sign the zone (full signing, large re-signs); 0: one per core
  /// [dnssec] algorithm: the zone keys' algorithm for a NEW state (rsasha256 when unset). A
  /// resumed state keeps its keys; naming a different algorithm for it is an error.
  std::optional<std::string> dnssec_algorithm;
  /// [publish] fork_tlds: from this many TLDs on, the zone file is rendered by a forked child
  /// from a copy-on-write image instead of on the authority thread (0: always fork).
  std::size_t publish_fork_tlds = 20000;
  /// [publish] interval_ms: the least time between the starts of two zone-file versions (0: as
  /// often as the render ration allows). GET /v1/zone and DNS always serve the newest zone.
  std::chrono::milliseconds publish_interval{1000};
  /// [snapshots] every: audit-log entries between periodic state snapshots (0: only at shutdown).
  std::uint64_t snapshot_every = 10000;
  /// [snapshots] fork: periodic snapshots are written off the authority thread: by a forked
  /// child from a copy-on-write image for a zone of fork_tlds TLDs or more, otherwise encoded on
  /// the authority thread (only what changed since the last one, and the zone) and written by a
  /// thread. false: written on the authority thread.
  bool snapshot_fork = true;
  /// [snapshots] fork_tlds: see snapshot_fork (0: always fork).
  std::size_t snapshot_fork_tlds = 20000;
  std::size_t event_history = 1024;
  std::size_t event_queue_limit = 256;
  std::filesystem::path http_port_file;  ///< when set, the bound HTTP port is written there
};

/// Applies a TOML configuration (see docs/design/daemon.md for the keys). Unknown keys and
/// wrong types are errors that name the source, the key and what is expected.
Result<void> apply_config_toml(std::string_view text, std::string_view source, DaemonConfig& config);
Result<void> apply_config_file(const std::filesystem::path& file, DaemonConfig& config);

/// Checks values that flags and files can both set (clock mode, log level, limits).
Result<void> validate(const DaemonConfig& config);

/// An example configuration file with every key at its default.
std::string example_config();

}  // namespace rootgov::daemon
