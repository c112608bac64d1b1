// cli/src/zone_sign_cmd.cpp - 'rootgov zone sign' and 'rootgov zone keygen' (offline DNSSEC).
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <future>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <rootgov/zone/dnssec_key.hpp>
#include <rootgov/zone/signer.hpp>
#include <rootgov/zone/zone.hpp>

#include "commands.hpp"

namespace rootgov::cli {
namespace {

using namespace rootgov::zone;
using Clock = std::chrono::steady_clock;

int exit_code_for(const Error& e) {
  switch (e.code) {
    case Errc::io:
      return kExitIo;
    case Errc::check_failed:
      return kExitCheckFailed;
    case Errc::internal:
      return kExitIo;
    default:
      return kExitUsage;
  }
}

// "YYYYMMDDHHmmSS" (UTC, as in RRSIG presentation) or seconds since 1970.
std::uint32_t parse_time(const std::string& text, const char* what) {
  bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
  if (digits && text.size() == 14) {
    std::tm tm{};
    tm.tm_year = std::stoi(text.substr(0, 4)) - 1900;
    tm.tm_mon = std::stoi(text.substr(4, 2)) - 1;
    tm.tm_mday = std::stoi(text.substr(6, 2));
    tm.tm_hour = std::stoi(text.substr(8, 2));
    tm.tm_min = std::stoi(text.substr(10, 2));
    tm.tm_sec = std::stoi(text.substr(12, 2));
    return static_cast<std::uint32_t>(timegm(&tm));
  }
  if (digits && text.size() <= 10) return static_cast<std::uint32_t>(std::stoull(text));
  throw ExitError(kExitUsage, std::string("bad ") + what + " '" + text + "': use YYYYMMDDHHmmSS or seconds since 1970");
}

struct SignArgs {
  std::string zone_file;
  std::vector<std::string> key_files;
  std::string out;
  unsigned threads = 0;
  bool zonemd = false;
  std::string inception;
  std::string expiration;
  std::string now;
  bool stats = false;
};

double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

void run_sign(const SignArgs& a) {
  auto t0 = Clock::now();
  if (a.key_files.empty()) throw ExitError(kExitUsage, "no keys: give -k KEYFILE at least once");
  // The keys load (libcrypto's start-up included, a few ms) on their own thread while the zone
  // is read and parsed; the parse needs only the zone's name, from the first public key file.
  auto origin = DnssecKey::read_owner(a.key_files.front());
  if (!origin) throw ExitError(exit_code_for(origin.error()), origin.error().message);
  auto loading = std::async(std::launch::async, [&a]() -> Result<std::vector<DnssecKey>> {
    std::vector<DnssecKey> loaded;
    for (const auto& k : a.key_files) {
      auto key = DnssecKey::load(k);
      if (!key) return std::unexpected(key.error());
      loaded.push_back(std::move(*key));
    }
    return loaded;
  });

  SignOptions options;
  options.threads = a.threads;
  options.zonemd = a.zonemd;
  options.now = a.now.empty() ? static_cast<std::uint32_t>(std::time(nullptr)) : parse_time(a.now, "--now");
  if (!a.inception.empty()) options.inception = parse_time(a.inception, "--inception");
  if (!a.expiration.empty()) options.expiration = parse_time(a.expiration, "--expiration");

  ParseOptions parse;
  parse.origin = *origin;
  parse.keep_dnssec = false;  // RRSIG, NSEC, NSEC3, ZONEMD are replaced anyway
  parse.threads = a.threads;
  auto t1 = Clock::now();
  auto zone = Zone::from_file(a.zone_file, parse);
  double parse_ms = ms_since(t1);
  auto t_keys = Clock::now();
  auto keys = loading.get();  // key errors first: they say nothing about the zone file
  double keys_wait_ms = ms_since(t_keys);
  if (!keys) throw ExitError(exit_code_for(keys.error()), keys.error().message);
  if (!zone) {
    const Findings& f = zone.error();
    for (const auto& finding : f) std::cerr << format_finding(finding, a.zone_file) << '\n';
    bool io = !f.empty() && f.front().rule == "io";
    throw ExitError(io ? kExitIo : kExitUsage, "cannot sign '" + a.zone_file + "'");
  }

  auto stats = sign_zone(*zone, *keys, options);
  if (!stats) throw ExitError(exit_code_for(stats.error()), stats.error().message);

  auto t2 = Clock::now();
  if (auto w = write_zone_text(*zone, a.out, a.threads); !w) throw ExitError(kExitIo, w.error().message);
  double write_ms = ms_since(t2);
  if (a.stats) {
    std::fprintf(stderr,
                 "signed %zu records: %zu rrsig, %zu nsec\n"
                 "phase ms: setup %.1f  parse %.1f  keys (loaded alongside the parse) +%.1f  prepare %.1f  nsec+sign %.1f  zonemd %.1f  format+write %.1f"
                 "  total %.1f\n",
                 zone->record_count(), stats->signatures, stats->nsec_records, std::chrono::duration<double, std::milli>(t1 - t0).count(),
                 parse_ms, keys_wait_ms, stats->prepare_seconds * 1e3, stats->sign_seconds * 1e3, stats->zonemd_seconds * 1e3, write_ms,
                 ms_since(t0));
  }
  // Done: leave without tearing the zone down node by node (about 1 ms per 10,000 records);
  // the kernel reclaims the memory at once. Nothing else is pending: the output is closed.
  std::fflush(stdout);
  std::fflush(stderr);
  std::_Exit(kExitOk);
}

}  // namespace

void register_zone_sign_commands(CLI::App& app) {
  CLI::App* zone = nullptr;
  for (CLI::App* sub : app.get_subcommands([](CLI::App* s) { return s->get_name() == "zone"; })) zone = sub;
  if (zone == nullptr) {
    zone = app.add_subcommand("zone", "offline zone tools");
    zone->require_subcommand(1);
  }

  auto sign_args = std::make_shared<SignArgs>();
  CLI::App* sign = zone->add_subcommand(
      "sign", "DNSSEC-sign a zone file with BIND-format keys (NSEC); existing RRSIG/NSEC/DNSKEY/ZONEMD are replaced");
  sign->add_option("zonefile", sign_args->zone_file, "master file to sign")->required();
  sign->add_option("-k,--key", sign_args->key_files, "key file (K<zone>+<alg>+<tag>.key/.private or the prefix); repeat")
      ->required();
  sign->add_option("-o,--out", sign_args->out, "signed zone to write")->required();
  sign->add_option("--threads", sign_args->threads, "signing threads (default: cores)");
  sign->add_flag("--zonemd", sign_args->zonemd, "add a ZONEMD record (RFC 8976, SIMPLE, SHA-384)");
  sign->add_option("--inception", sign_args->inception, "signature inception (YYYYMMDDHHmmSS or epoch; default now-1h)");
  sign->add_option("--expiration", sign_args->expiration, "signature expiration (default now+30d)");
  sign->add_option("--now", sign_args->now, "the signing time (default: the clock)");
  sign->add_flag("--stats", sign_args->stats, "print counts and phase times to stderr");
  sign->callback([sign_args] { run_sign(*sign_args); });

  struct KeygenArgs {
    std::string algorithm;
    bool ksk = false;
    unsigned bits = 2048;
    std::string zone = ".";
    std::string dir = ".";
  };
  auto kg = std::make_shared<KeygenArgs>();
  CLI::App* keygen = zone->add_subcommand("keygen", "make a DNSSEC key pair in BIND format; prints the file prefix");
  keygen->add_option("--algorithm,-a", kg->algorithm, "rsasha256 | ecdsap256sha256 | ed25519")->required();
  keygen->add_flag("--ksk", kg->ksk, "key-signing key (flags 257)");
  keygen->add_option("--bits,-b", kg->bits, "RSA modulus size (default 2048)");
  keygen->add_option("--zone", kg->zone, "owner zone (default '.')");
  keygen->add_option("--dir", kg->dir, "folder to write the files into, created when absent (default '.')");
  keygen->callback([kg] {
    auto alg = algorithm_from_string(kg->algorithm);
    if (!alg) throw ExitError(kExitUsage, "unsupported algorithm '" + kg->algorithm + "'");
    auto origin = Name::parse(kg->zone);
    if (!origin) throw ExitError(kExitUsage, origin.error().message);
    std::error_code ec;
    std::filesystem::create_directories(kg->dir, ec);
    if (ec) throw ExitError(kExitIo, "cannot create '" + kg->dir + "': " + ec.message());
    auto prefix = generate_key(kg->dir, *origin, *alg, kg->ksk, kg->bits);
    if (!prefix) throw ExitError(exit_code_for(prefix.error()), prefix.error().message);
    std::cout << prefix->string() << '\n';
  });
}

}  // namespace rootgov::cli
