// daemon/src/config.cpp - TOML configuration (toml11).
#include "config.hpp"

#include <charconv>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <toml.hpp>

#include <rootgov/zone/dnssec_key.hpp>

namespace rootgov::daemon {

std::string Endpoint::to_string() const {
  if (address.find(':') != std::string::npos) return "[" + address + "]:" + std::to_string(port);
  return address + ":" + std::to_string(port);
}

Result<Endpoint> parse_endpoint(std::string_view text) {
  auto bad = [&](std::string_view why) {
    return fail(Errc::invalid_input, fmt::format("'{}' is not ADDR:PORT ({}); e.g. 127.0.0.1:8053", text, why));
  };
  Endpoint e;
  std::string_view port_text;
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return bad("an IPv6 address needs the form [ADDR]:PORT");
    }
    e.address = std::string(text.substr(1, close - 1));
    port_text = text.substr(close + 2);
  } else {
    auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return bad("missing ':PORT'");
    e.address = std::string(text.substr(0, colon));
    port_text = text.substr(colon + 1);
  }
  if (e.address.empty()) return bad("missing address");
  unsigned port = 0;
  auto [p, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || ec != std::errc{} || p != port_text.data() + port_text.size() || port > 65535) {
    return bad("the port must be a number from 0 to 65535");
  }
  e.port = static_cast<std::uint16_t>(port);
  return e;
}

namespace {

using Table = toml::value::table_type;

std::string where(std::string_view source, std::string_view key) { return fmt::format("{}: '{}'", source, key); }

Result<std::string> get_string(const toml::value& v, std::string_view source, std::string_view key) {
  if (!v.is_string()) return fail(Errc::invalid_input, where(source, key) + " must be a string");
  return v.as_string().str;
}

Result<std::int64_t> get_int(const toml::value& v, std::string_view source, std::string_view key, std::int64_t min,
                             std::int64_t max) {
  if (!v.is_integer()) return fail(Errc::invalid_input, where(source, key) + " must be an integer");
  auto i = v.as_integer();
  if (i < min || i > max) {
    return fail(Errc::invalid_input, fmt::format("{} must be between {} and {}, got {}", where(source, key), min, max, i));
  }
  return i;
}

Result<void> unknown(std::string_view source, std::string_view key, std::string_view valid) {
  return fail(Errc::invalid_input, fmt::format("{}: unknown key '{}' (valid here: {})", source, key, valid));
}

#define ROOTGOV_TRY(var, expr)                     \
  auto var = (expr);                               \
  if (!var) return std::unexpected(var.error())

Result<void> apply_http(const Table& t, std::string_view source, DaemonConfig& c) {
  constexpr std::int64_t kMaxMs = 24LL * 3600 * 1000;
  for (const auto& [key, v] : t) {
    std::string k = "http." + key;
    if (key == "listen") {
      ROOTGOV_TRY(s, get_string(v, source, k));
      ROOTGOV_TRY(e, parse_endpoint(*s));
      c.http = *e;
    } else if (key == "body_limit") {
      ROOTGOV_TRY(i, get_int(v, source, k, 1024, 1LL << 30));
      c.limits.body_limit = static_cast<std::size_t>(*i);
    } else if (key == "header_limit") {
      ROOTGOV_TRY(i, get_int(v, source, k, 1024, 1 << 20));
      c.limits.header_limit = static_cast<std::size_t>(*i);
    } else if (key == "max_connections") {
      ROOTGOV_TRY(i, get_int(v, source, k, 1, 1 << 20));
      c.limits.max_connections = static_cast<std::size_t>(*i);
    } else if (key == "idle_timeout_ms") {
      ROOTGOV_TRY(i, get_int(v, source, k, 10, kMaxMs));
      c.limits.idle_timeout = std::chrono::milliseconds(*i);
    } else if (key == "write_timeout_ms") {
      ROOTGOV_TRY(i, get_int(v, source, k, 10, kMaxMs));
      c.limits.write_timeout = std::chrono::milliseconds(*i);
    } else if (key == "drain_timeout_ms") {
      ROOTGOV_TRY(i, get_int(v, source, k, 0, kMaxMs));
      c.limits.drain_timeout = std::chrono::milliseconds(*i);
    } else if (key == "sse_keepalive_ms") {
      ROOTGOV_TRY(i, get_int(v, source, k, 10, kMaxMs));
      c.limits.sse_keepalive = std::chrono::milliseconds(*i);
    } else {
      return unknown(source, k,
                     "listen, body_limit, header_limit, max_connections, idle_timeout_ms, write_timeout_ms, "
                     "drain_timeout_ms, sse_keepalive_ms");
    }
  }
  return {};
}

}  // namespace

Result<void> apply_config_toml(std::string_view text, std::string_view source, DaemonConfig& config) {
  toml::value root;
  try {
    std::istringstream in{std::string(text)};
    root = toml::parse(in, std::string(source));
  } catch (const std::exception& e) {
    return fail(Errc::invalid_input, fmt::format("{}: not valid TOML: {}", source, e.what()));
  }
  DaemonConfig c = config;  // applied only if everything is valid
  auto section = [&](const toml::value& v, std::string_view name) -> Result<const Table*> {
    if (!v.is_table()) return fail(Errc::invalid_input, fmt::format("{}: '{}' must be a table ([{}])", source, name, name));
    return &v.as_table();
  };
  for (const auto& [key, v] : root.as_table()) {
    if (key == "state") {
      ROOTGOV_TRY(s, get_string(v, source, key));
      c.state_dir = *s;
    } else if (key == "zone") {
      ROOTGOV_TRY(s, get_string(v, source, key));
      c.zone_file = *s;
    } else if (key == "actors") {
      ROOTGOV_TRY(s, get_string(v, source, key));
      c.actors_file = *s;
    } else if (key == "model") {
      ROOTGOV_TRY(s, get_string(v, source, key));
      c.model = *s;
    } else if (key == "clock") {
      ROOTGOV_TRY(s, get_string(v, source, key));
      c.clock = *s;
    } else if (key == "http") {
      ROOTGOV_TRY(t, section(v, key));
      if (auto ok = apply_http(**t, source, c); !ok) return ok;
    } else if (key == "dns") {
      ROOTGOV_TRY(t, section(v, key));
      for (const auto& [k, dv] : **t) {
        if (k != "listen") return unknown(source, "dns." + k, "listen");
        ROOTGOV_TRY(s, get_string(dv, source, "dns.listen"));
        ROOTGOV_TRY(e, parse_endpoint(*s));
        c.dns = *e;
      }
    } else if (key == "log") {
      ROOTGOV_TRY(t, section(v, key));
      for (const auto& [k, lv] : **t) {
        if (k != "level") return unknown(source, "log." + k, "level");
        ROOTGOV_TRY(s, get_string(lv, source, "log.level"));
        c.log_level = *s;
      }
    } else if (key == "threads") {
      ROOTGOV_TRY(t, section(v, key));
      for (const auto& [k, tv] : **t) {
        if (k == "io") {
          ROOTGOV_TRY(i, get_int(tv, source, "threads.io", 1, 256));
          c.io_threads = static_cast<unsigned>(*i);
        } else if (k == "cpu") {
          ROOTGOV_TRY(i, get_int(tv, source, "threads.cpu", 0, 1024));
          c.cpu_threads = static_cast<unsigned>(*i);
        } else if (k == "authority") {
          ROOTGOV_TRY(s, get_string(tv, source, "threads.authority"));
          if (*s != "strand" && *s != "thread") {
            return fail(Errc::invalid_input,
                        fmt::format("{} must be \"strand\" (on the I/O threads) or \"thread\" (a dedicated "
                                    "thread), got '{}'",
                                    where(source, "threads.authority"), *s));
          }
          c.authority_thread = *s == "thread";
        } else {
          return unknown(source, "threads." + k, "io, cpu, authority");
        }
      }
    } else if (key == "dnssec") {
      ROOTGOV_TRY(t, section(v, key));
      for (const auto& [k, dv] : **t) {
        if (k == "algorithm") {
          ROOTGOV_TRY(a, get_string(dv, source, "dnssec.algorithm"));
          c.dnssec_algorithm = *a;
        } else {
          return unknown(source, "dnssec." + k, "algorithm");
        }
      }
    } else if (key == "publish") {
      ROOTGOV_TRY(t, section(v, key));
      for (const auto& [k, pv] : **t) {
        if (k == "fork_tlds") {
          ROOTGOV_TRY(i, get_int(pv, source, "publish.fork_tlds", 0, std::int64_t{1} << 40));
          c.publish_fork_tlds = static_cast<std::size_t>(*i);
        } else if (k == "interval_ms") {
          ROOTGOV_TRY(i, get_int(pv, source, "publish.interval_ms", 0, 3'600'000));
          c.publish_interval = std::chrono::milliseconds(*i);
        } else {
          return unknown(source, "publish." + k, "fork_tlds, interval_ms");
        }
      }
    } else if (key == "snapshots") {
      ROOTGOV_TRY(t, section(v, key));
      for (const auto& [k, sv] : **t) {
        if (k == "every") {
          ROOTGOV_TRY(i, get_int(sv, source, "snapshots.every", 0, std::int64_t{1} << 40));
          c.snapshot_every = static_cast<std::uint64_t>(*i);
        } else if (k == "fork") {
          if (!sv.is_boolean()) return fail(Errc::invalid_input, where(source, "snapshots.fork") + " must be true or false");
          c.snapshot_fork = sv.as_boolean();
        } else if (k == "fork_tlds") {
          ROOTGOV_TRY(i, get_int(sv, source, "snapshots.fork_tlds", 0, std::int64_t{1} << 40));
          c.snapshot_fork_tlds = static_cast<std::size_t>(*i);
        } else {
          return unknown(source, "snapshots." + k, "every, fork, fork_tlds");
        }
      }
    } else if (key == "events") {
      ROOTGOV_TRY(t, section(v, key));
      for (const auto& [k, ev] : **t) {
        if (k == "history") {
          ROOTGOV_TRY(i, get_int(ev, source, "events.history", 1, 1 << 24));
          c.event_history = static_cast<std::size_t>(*i);
        } else if (k == "queue_limit") {
          ROOTGOV_TRY(i, get_int(ev, source, "events.queue_limit", 1, 1 << 24));
          c.event_queue_limit = static_cast<std::size_t>(*i);
        } else {
          return unknown(source, "events." + k, "history, queue_limit");
        }
      }
    } else {
      return unknown(source, key, "state, zone, actors, model, clock, [http], [dns], [log], [threads], [dnssec], [publish], [snapshots], [events]");
    }
  }
  config = std::move(c);
  return {};
}

#undef ROOTGOV_TRY

Result<void> apply_config_file(const std::filesystem::path& file, DaemonConfig& config) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return fail(Errc::invalid_input, fmt::format("cannot read config file '{}': no such file or not readable", file.string()));
  std::ostringstream text;
  text << in.rdbuf();
  return apply_config_toml(text.str(), file.string(), config);
}

Result<void> validate(const DaemonConfig& config) {
  if (config.clock != "real" && config.clock != "simulated") {
    return fail(Errc::invalid_input, fmt::format("clock must be 'real' or 'simulated', got '{}'", config.clock));
  }
  static constexpr std::string_view kLevels[] = {"trace", "debug", "info", "warn", "error", "critical", "off"};
  bool level_ok = false;
  for (auto l : kLevels) level_ok = level_ok || l == config.log_level;
  if (!level_ok) {
    return fail(Errc::invalid_input,
                fmt::format("log level must be one of trace, debug, info, warn, error, critical, off; got '{}'",
                            config.log_level));
  }
  if (config.model.empty()) return fail(Errc::invalid_input, "model must not be empty (e.g. us-status-quo)");
  if (config.dnssec_algorithm && !zone::algorithm_from_string(*config.dnssec_algorithm)) {
    return fail(Errc::invalid_input, fmt::format("dnssec.algorithm must be rsasha256, ecdsap256sha256 or ed25519; got '{}'",
                                                 *config.dnssec_algorithm));
  }
  return {};
}

std::string example_config() {
  DaemonConfig d;
  return fmt::format(
      "# rootgovd configuration (flags override these)\n"
      "state = \"{}\"\nmodel = \"{}\"\nclock = \"{}\"\n# zone = \"root.zone\"\n# actors = \"actors.toml\"\n\n"
      "[http]\nlisten = \"{}\"\nbody_limit = {}\nheader_limit = {}\nmax_connections = {}\n"
      "idle_timeout_ms = {}\nwrite_timeout_ms = {}\ndrain_timeout_ms = {}\nsse_keepalive_ms = {}\n\n"
      "[dns]\nlisten = \"{}\"\n\n[log]\nlevel = \"{}\"\n\n[threads]\nio = {}\n# threads that sign the zone (0: one per core)\ncpu = {}\n"
      "# who runs the authority's calls: \"strand\" (on the I/O threads) or \"thread\" (its own)\n"
      "authority = \"{}\"\n\n"
      "[dnssec]\n# the zone keys' algorithm for a new state: rsasha256, ecdsap256sha256 or ed25519\n"
      "algorithm = \"rsasha256\"\n\n"
      "[publish]\n# from this many TLDs on, a forked child renders the zone file (0: always)\nfork_tlds = {}\n"
      "# least milliseconds between two zone-file versions (0: as often as the render ration allows)\n"
      "interval_ms = {}\n\n"
      "[snapshots]\n# log entries between state snapshots (0: only at shutdown); fork: written off the authority\n"
      "# thread (by a forked child from fork_tlds TLDs on, else by a thread)\n"
      "every = {}\nfork = {}\nfork_tlds = {}\n\n"
      "[events]\nhistory = {}\nqueue_limit = {}\n",
      d.state_dir.string(), d.model, d.clock, d.http.to_string(), d.limits.body_limit, d.limits.header_limit,
      d.limits.max_connections, d.limits.idle_timeout.count(), d.limits.write_timeout.count(),
      d.limits.drain_timeout.count(), d.limits.sse_keepalive.count(), d.dns.to_string(), d.log_level, d.io_threads,
      d.cpu_threads, d.authority_thread ? "thread" : "strand", d.publish_fork_tlds, d.publish_interval.count(), d.snapshot_every, d.snapshot_fork, d.snapshot_fork_tlds, d.event_history, d.event_queue_limit);
}

}  // namespace rootgov::daemon
