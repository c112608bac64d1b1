// bench/e2e_bench.cpp - end-to-end driver for rootgovd over HTTP (bench/e2e/run.sh runs it).
//
//   e2e_bench lab OUTDIR TLDFILE
//       Writes a lab (OUTDIR/actors.toml + OUTDIR/keys/<id>.key): the default actor set plus a
//       manager for each TLD label in TLDFILE (one per line) - only the TLDs the benchmark
//       changes, so a 1M-TLD zone does not need 1M key files.
//   e2e_bench latency URL KEYDIR TLDFILE COUNT [DAEMON_PID]
//       One client, sequential: COUNT changes (ds-update on the TLDs of TLDFILE in turn), each
//       submit + every awaited ballot until the request is `published`. Prints p50/p90/p99/max
//       of the change latency and of each kind of call.
//   e2e_bench load URL KEYDIR TLDFILE CLIENTS SECONDS MAX_CHANGES [DAEMON_PID]
//       CLIENTS threads, each with its own keep-alive connection and its own TLDs, driving
//       changes to `published` for SECONDS (or MAX_CHANGES in all). Prints decided changes/s,
//       mutations/s, latencies, the client's CPU share and (with DAEMON_PID) the daemon's.
//   e2e_bench load-batch URL KEYDIR TLDFILE CLIENTS SECONDS MAX_CHANGES [DAEMON_PID]
//       As `load`, but the actors who act on every change work as desks: CLIENTS clients (the
//       TLD managers) each submit and confirm their own changes, keeping up to E2E_WINDOW
//       (default 8) unfinished at a time; one desk per shared actor (iana, ntia, verisign)
//       takes every request queued for it at that moment (at most E2E_BATCH_MAX, default 1000)
//       and approves them with one signed batch ballot (POST /v1/ballots), then queues each
//       request for the actor its answer awaits next. Every client and desk has its own
//       keep-alive connection; all run as coroutines on one thread (see "desks on one event
//       loop" below). Decided changes/s counts the changes published before SECONDS elapsed;
//       the ones still in flight then are finished but not counted.
//   Mutations are sent with `Prefer: return=minimal` (the daemon answers with the id, state and
//   awaited actors only); E2E_FULL_RECEIPTS=1 asks for the full request in every answer.
//   e2e_bench floors URL KEYDIR ACTORS_TOML CLIENTS SECONDS [DAEMON_PID]
//       The floors under a decided change, measured on this machine: (1) one thread signing
//       and then parsing + verifying ballot documents as the client and the daemon do (Botan
//       Ed25519, canonical JSON); (2) CLIENTS threads, each on its own keep-alive connection,
//       sending GET /v1/clock (HTTP exchange + one hop to the authority executor and back, no
//       work there) for SECONDS: requests/s and the CPU per request of client and daemon.
//
// Signed documents: submissions are signed before the clock starts (their seq is known);
// ballots name the request id, known only after the submit, so they are signed on the fly.
// The authority accepts each seq of an actor once, in any order within a window of the
// actor's 64 highest accepted seqs (authority/signed_document.hpp), so the ballots of actors
// shared by all clients (iana, ntia, verisign) are in flight concurrently: a per-actor mutex
// covers only taking the next seq and signing. With E2E_SERIAL_ACTORS=1 the mutex is held until
// the answer arrives instead (one ballot in flight per actor), as strictly increasing seqs
// required before the replay window. A TLD manager belongs to one client. Output lines
// starting with "RESULT" are key=value pairs for run.sh.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include <rootgov/authority/actors.hpp>
#include <rootgov/authority/json.hpp>
#include <rootgov/authority/signed_document.hpp>

#include "ds_change.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace auth = rootgov::authority;
using rootgov::bench::ds_change;
using Clock = std::chrono::steady_clock;

namespace {

[[noreturn]] void die(const std::string& msg) {
  std::cerr << "e2e_bench: " << msg << '\n';
  std::exit(1);
}

// ---- HTTP/1.1 keep-alive client ------------------------------------------------------------

struct Reply {
  unsigned status = 0;
  std::string body;
};

// Mutations ask for the minimal answer (id, state, awaited actors: all the driver routes by)
// unless E2E_FULL_RECEIPTS=1 asks for the full request, as `rootgov status --json` shows it.
bool minimal_receipts() {
  static const bool minimal = [] {
    const char* v = std::getenv("E2E_FULL_RECEIPTS");
    return v == nullptr || std::string(v) != "1";
  }();
  return minimal;
}

// The head of a keep-alive request, written out by hand as a lean client would (a Beast message
// copies the body and allocates every field); a POST carries a JSON body, sent after the head
// in the same gathered write, and asks for the minimal answer.
std::string request_head(http::verb verb, const std::string& target, const std::string& host, std::size_t body_size) {
  std::string head;
  head.reserve(160 + target.size());
  head.append(http::to_string(verb)).append(1, ' ').append(target).append(" HTTP/1.1\r\nHost: ").append(host);
  if (verb == http::verb::post) {
    head += "\r\nContent-Type: application/json";
    if (minimal_receipts()) head += "\r\nPrefer: return=minimal";
    head.append("\r\nContent-Length: ").append(std::to_string(body_size));
  }
  head += "\r\n\r\n";
  return head;
}

std::array<asio::const_buffer, 2> request_buffers(const std::string& head, http::verb verb, const std::string& body) {
  return {asio::buffer(head), verb == http::verb::post ? asio::buffer(body) : asio::const_buffer()};
}

class Conn {
 public:
  Conn(std::string host, std::string port) : m_host(std::move(host)), m_port(std::move(port)) { connect(); }

  Reply call(http::verb verb, const std::string& target, const std::string& body) {
    for (int attempt = 0;; ++attempt) {
      try {
        const std::string head = request_head(verb, target, m_host, body.size());
        asio::write(m_socket, request_buffers(head, verb, body));
        http::response<http::string_body> res;
        http::read(m_socket, m_buffer, res);
        Reply r{res.result_int(), std::move(res.body())};
        if (!res.keep_alive()) connect();
        return r;
      } catch (const std::exception& e) {
        // Only a stale keep-alive connection is retried, and only for idempotent GETs.
        if (attempt > 0 || verb != http::verb::get) die(std::string("HTTP ") + target + ": " + e.what());
        connect();
      }
    }
  }

 private:
  void connect() {
    boost::system::error_code ignored;
    m_socket.close(ignored);
    m_buffer.clear();
    asio::ip::tcp::resolver resolver(m_io);
    asio::connect(m_socket, resolver.resolve(m_host, m_port));
    m_socket.set_option(asio::ip::tcp::no_delay(true));
  }

  std::string m_host, m_port;
  asio::io_context m_io;
  asio::ip::tcp::socket m_socket{m_io};
  beast::flat_buffer m_buffer;
};

std::pair<std::string, std::string> host_port(std::string url) {
  if (url.starts_with("http://")) url = url.substr(7);
  while (!url.empty() && url.back() == '/') url.pop_back();
  auto colon = url.rfind(':');
  if (colon == std::string::npos) die("URL needs a port: " + url);
  return {url.substr(0, colon), url.substr(colon + 1)};
}

// ---- actors, keys, documents ---------------------------------------------------------------

struct Signer {
  Signer(auth::ActorKey k, std::uint64_t s) : key(std::move(k)), seq(s), next_presigned(s) {}
  auth::ActorKey key;
  std::mutex mutex;  // held by shared actors from seq assignment until the answer
  std::uint64_t seq = 0;             // the last seq used on the fly
  std::uint64_t next_presigned = 0;  // the last seq given to a pre-signed submission
};

// A submission signed before the clock starts. Its seq leaves room below the manager's next
// pre-signed submission for the ballots the manager signs on the fly meanwhile.
struct Presigned {
  std::string wire;
  Signer* signer = nullptr;
  std::uint64_t seq = 0;
};
constexpr std::uint64_t kSeqGap = 1000;

class Keyring {
 public:
  explicit Keyring(std::string dir) : m_dir(std::move(dir)) {}

  Signer& get(const std::string& actor) {
    std::lock_guard lock(m_mutex);
    auto& slot = m_signers[actor];
    if (!slot) {
      auto key = auth::ActorKey::from_file(m_dir + "/" + actor + ".key");
      if (!key) die("key of " + actor + ": " + key.error().message);
      slot = std::make_unique<Signer>(std::move(*key), start_seq());
    }
    return *slot;
  }

 private:
  // Above anything a previous run against the same state used.
  static std::uint64_t start_seq() {
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch()).count());
  }
  std::string m_dir;
  std::mutex m_mutex;
  std::map<std::string, std::unique_ptr<Signer>> m_signers;
};

std::string sign(auth::DocumentType type, const auth::ActorKey& key, std::uint64_t seq, auth::Json body) {
  auth::Document doc;
  doc.type = type;
  doc.actor = key.actor();
  doc.time = auth::Timestamp{
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count()};
  doc.seq = seq;
  doc.body = std::move(body);
  auto s = auth::SignedDocument::sign(std::move(doc), key);
  if (!s) die("sign: " + s.error().message);
  return s->to_wire();
}

std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in(path);
  if (!in) die("cannot read " + path);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(line);
  return out;
}

// ---- one change, submit to published -------------------------------------------------------

struct Stats {
  std::vector<double> change_ms, submit_ms, ballot_ms, final_ballot_ms;
  std::uint64_t mutations = 0, gets = 0, failures = 0;
  void merge(const Stats& o) {
    for (auto [dst, src] : {std::pair{&change_ms, &o.change_ms}, {&submit_ms, &o.submit_ms},
                            {&ballot_ms, &o.ballot_ms}, {&final_ballot_ms, &o.final_ballot_ms}})
      dst->insert(dst->end(), src->begin(), src->end());
    mutations += o.mutations;
    gets += o.gets;
    failures += o.failures;
  }
};

double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

struct View {
  std::string id, state;
  std::vector<std::string> awaiting;
};

// Reads the fields the driver routes by from one request's JSON object (Boost.JSON, as the CLI
// reads answers; the authority's strict canonical parser is for signed documents).
View view_from(const boost::json::value& j) {
  View v;
  const auto* o = j.if_object();
  if (o == nullptr) return v;
  if (const auto* s = o->if_contains("id"); s && s->is_string()) v.id = s->as_string();
  if (const auto* s = o->if_contains("state"); s && s->is_string()) v.state = s->as_string();
  if (const auto* a = o->if_contains("awaiting"); a && a->is_array())
    for (const auto& x : a->as_array())
      if (x.is_string()) v.awaiting.emplace_back(x.as_string());
  return v;
}

boost::json::value parse_reply(const Reply& r, const std::string& what) {
  if (r.status / 100 != 2) die(what + ": HTTP " + std::to_string(r.status) + ": " + r.body);
  boost::system::error_code ec;
  auto j = boost::json::parse(r.body, ec);
  if (ec) die(what + ": bad JSON: " + ec.message());
  return j;
}

View view_of(const Reply& r, const std::string& what) { return view_from(parse_reply(r, what)); }

/// Drives one change; returns false when it ended other than `published`.
bool drive(Conn& conn, Keyring& keys, const Presigned& submit, Stats& st) {
  const auto t0 = Clock::now();
  auto t = Clock::now();
  View v = view_of(conn.call(http::verb::post, "/v1/requests", submit.wire), "submit");
  {
    std::lock_guard lock(submit.signer->mutex);
    submit.signer->seq = std::max(submit.signer->seq, submit.seq);
  }
  st.submit_ms.push_back(ms_since(t));
  ++st.mutations;
  for (int step = 0; step < 64; ++step) {
    if (v.state == "published") {
      st.change_ms.push_back(ms_since(t0));
      return true;
    }
    if (v.state == "awaiting" && !v.awaiting.empty()) {
      const std::string actor = v.awaiting.front();
      Signer& s = keys.get(actor);
      const std::string target = "/v1/requests/" + v.id + "/ballots";  // ids are URL-safe but '#'
      std::string encoded;
      for (char c : target) encoded += c == '#' ? std::string("%23") : std::string(1, c);
      auth::Json body(auth::Json::Object{});
      body["request"] = v.id;
      body["vote"] = "approve";
      t = Clock::now();
      static const bool serial_actors = std::getenv("E2E_SERIAL_ACTORS") != nullptr &&
                                        std::string_view(std::getenv("E2E_SERIAL_ACTORS")) == "1";
      std::unique_lock lock(s.mutex);
      std::string wire = sign(auth::DocumentType::ballot, s.key, ++s.seq, std::move(body));
      if (!serial_actors) lock.unlock();
      v = view_of(conn.call(http::verb::post, encoded, wire), "ballot by " + actor + " on " + v.id);
      if (lock.owns_lock()) lock.unlock();
      const double ms = ms_since(t);
      st.ballot_ms.push_back(ms);
      if (v.state != "awaiting") st.final_ballot_ms.push_back(ms);
      ++st.mutations;
      continue;
    }
    if (v.state == "approved" || v.state == "implemented" || v.state == "received" || v.state == "technical_check") {
      std::string target = "/v1/requests/" + v.id;
      std::string encoded;
      for (char c : target) encoded += c == '#' ? std::string("%23") : std::string(1, c);
      v = view_of(conn.call(http::verb::get, encoded, ""), "status of " + v.id);
      ++st.gets;
      continue;
    }
    std::cerr << "e2e_bench: request " << v.id << " ended " << v.state << '\n';
    ++st.failures;
    return false;
  }
  ++st.failures;
  return false;
}

double pct(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  auto i = static_cast<std::size_t>(p / 100.0 * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

void print_dist(const std::string& name, const std::vector<double>& v, const char* unit = "_ms") {
  std::printf("RESULT %s_n=%zu %s_p50%s=%.3f %s_p90%s=%.3f %s_p99%s=%.3f %s_max%s=%.3f\n", name.c_str(), v.size(),
              name.c_str(), unit, pct(v, 50), name.c_str(), unit, pct(v, 90), name.c_str(), unit, pct(v, 99), name.c_str(),
              unit, pct(v, 100));
}

double cpu_seconds_self() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// utime + stime of another process, from /proc/PID/stat (0 when unavailable).
double cpu_seconds_of(long pid) {
  if (pid <= 0) return 0;
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto close = s.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream rest(s.substr(close + 2));
  std::string f;
  double ut = 0, stt = 0;
  for (int i = 3; i <= 15 && (rest >> f); ++i) {
    if (i == 14) ut = std::stod(f);
    if (i == 15) stt = std::stod(f);
  }
  return (ut + stt) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

Presigned presign_submit(Keyring& keys, const std::string& tld, std::uint64_t n) {
  Signer& s = keys.get("manager." + tld);
  std::lock_guard lock(s.mutex);
  s.next_presigned += kSeqGap;
  return {sign(auth::DocumentType::submit, s.key, s.next_presigned, ds_change(tld, n)), &s, s.next_presigned};
}

int cmd_lab(int argc, char** argv) {
  if (argc != 4) die("usage: e2e_bench lab OUTDIR TLDFILE");
  auto tlds = read_lines(argv[3]);
  auto r = auth::write_lab(argv[2], auth::default_actors(tlds), true);
  if (!r) die("write_lab: " + r.error().message);
  std::printf("lab: %zu actors in %s\n", r->all().size(), argv[2]);
  return 0;
}

int cmd_latency(int argc, char** argv) {
  if (argc < 6) die("usage: e2e_bench latency URL KEYDIR TLDFILE COUNT [DAEMON_PID]");
  auto [host, port] = host_port(argv[2]);
  Keyring keys(argv[3]);
  auto tlds = read_lines(argv[4]);
  const auto count = std::stoul(argv[5]);
  const long pid = argc > 6 ? std::stol(argv[6]) : 0;
  std::vector<Presigned> submits;
  const auto salt = static_cast<std::uint64_t>(std::time(nullptr)) << 20;
  for (std::size_t i = 0; i < count; ++i) submits.push_back(presign_submit(keys, tlds[i % tlds.size()], salt + i));
  for (const auto& a : {"iana", "ntia", "verisign"}) keys.get(a);  // load keys before the clock
  Conn conn(host, port);
  Stats st;
  const double c0 = cpu_seconds_self(), d0 = cpu_seconds_of(pid);
  const auto t0 = Clock::now();
  for (std::size_t i = 0; i < count; ++i) drive(conn, keys, submits[i], st);
  const double wall = ms_since(t0) / 1000.0;
  const double cc = cpu_seconds_self() - c0, dc = cpu_seconds_of(pid) - d0;
  std::printf("RESULT changes=%zu failures=%llu wall_s=%.3f changes_per_s=%.1f client_cpu=%.2f daemon_cpu=%.2f\n",
              st.change_ms.size(), static_cast<unsigned long long>(st.failures), wall,
              static_cast<double>(st.change_ms.size()) / wall, cc / wall, dc / wall);
  print_dist("change", st.change_ms);
  print_dist("submit", st.submit_ms);
  print_dist("ballot", st.ballot_ms);
  print_dist("final_ballot", st.final_ballot_ms);
  return st.failures == 0 ? 0 : 1;
}

// The arguments of `load` and `load-batch`, with every submission pre-signed: client c owns
// TLDs c, c+clients, ...
struct LoadSetup {
  std::string host, port;
  std::unique_ptr<Keyring> keys;
  std::vector<std::string> tlds;
  std::size_t clients = 0, max_changes = 0, per_client = 0;
  double seconds = 0;
  long pid = 0;
  std::vector<std::vector<Presigned>> submits;
};

LoadSetup load_setup(int argc, char** argv, const char* usage) {
  if (argc < 8) die(usage);
  LoadSetup s;
  std::tie(s.host, s.port) = host_port(argv[2]);
  s.keys = std::make_unique<Keyring>(argv[3]);
  s.tlds = read_lines(argv[4]);
  s.clients = std::stoul(argv[5]);
  s.seconds = std::stod(argv[6]);
  s.max_changes = std::stoul(argv[7]);
  s.pid = argc > 8 ? std::stol(argv[8]) : 0;
  if (s.clients == 0 || s.tlds.size() < s.clients) die("need at least one TLD per client");
  s.per_client = (s.max_changes + s.clients - 1) / s.clients;
  s.submits.resize(s.clients);
  const auto salt = static_cast<std::uint64_t>(std::time(nullptr)) << 24;
  for (std::size_t c = 0; c < s.clients; ++c) {
    std::vector<std::string> mine;
    for (std::size_t i = c; i < s.tlds.size(); i += s.clients) mine.push_back(s.tlds[i]);
    for (std::size_t k = 0; k < s.per_client; ++k)
      s.submits[c].push_back(presign_submit(*s.keys, mine[k % mine.size()], salt + c * s.per_client + k));
  }
  for (const auto& a : {"iana", "ntia", "verisign"}) s.keys->get(a);
  return s;
}

int cmd_load(int argc, char** argv) {
  LoadSetup setup = load_setup(argc, argv, "usage: e2e_bench load URL KEYDIR TLDFILE CLIENTS SECONDS MAX_CHANGES [DAEMON_PID]");
  auto& [host, port, keys_owner, tlds, clients, max_changes, per_client, seconds, pid, submits] = setup;
  Keyring& keys = *keys_owner;

  std::vector<Stats> stats(clients);
  std::vector<std::unique_ptr<Conn>> conns;
  for (std::size_t c = 0; c < clients; ++c) conns.push_back(std::make_unique<Conn>(host, port));
  std::atomic<bool> stop{false};
  std::atomic<std::size_t> started{0};
  const double c0 = cpu_seconds_self(), d0 = cpu_seconds_of(pid);
  const auto t0 = Clock::now();
  const auto deadline = t0 + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  std::vector<std::thread> threads;
  for (std::size_t c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      for (std::size_t k = 0; k < per_client && !stop.load(); ++k) {
        if (Clock::now() >= deadline || started.fetch_add(1) >= max_changes) break;
        drive(*conns[c], keys, submits[c][k], stats[c]);
      }
    });
  }
  for (auto& t : threads) t.join();
  const double wall = ms_since(t0) / 1000.0;
  const double cc = cpu_seconds_self() - c0, dc = cpu_seconds_of(pid) - d0;
  Stats all;
  for (const auto& s : stats) all.merge(s);
  std::printf(
      "RESULT clients=%zu changes=%zu failures=%llu wall_s=%.3f changes_per_s=%.1f mutations_per_s=%.1f "
      "client_cpu=%.2f daemon_cpu=%.2f\n",
      clients, all.change_ms.size(), static_cast<unsigned long long>(all.failures), wall,
      static_cast<double>(all.change_ms.size()) / wall, static_cast<double>(all.mutations) / wall, cc / wall, dc / wall);
  print_dist("change", all.change_ms);
  print_dist("submit", all.submit_ms);
  print_dist("ballot", all.ballot_ms);
  print_dist("final_ballot", all.final_ballot_ms);
  return all.failures == 0 ? 0 : 1;
}

// ---- desks: the shared actors approve what is queued for them, in batches ---------------------

std::string encode_id(const std::string& target) {
  std::string encoded;
  for (char c : target) encoded += c == '#' ? std::string("%23") : std::string(1, c);
  return encoded;
}

std::size_t env_size(const char* name, std::size_t fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::stoul(v) : fallback;
}

struct InFlight {
  Clock::time_point started;
  std::size_t client = 0;
};

// ---- desks on one event loop ----------------------------------------------------------------
// load-batch is driven as load generators such as wrk or h2load drive theirs: every client and
// desk is a coroutine with its own keep-alive connection, all on one thread. One thread
// answering whichever connections are ready costs the two shared cores fewer wake-ups than a
// thread per connection blocked in recv() (the driver's design until 2026-11-29: 2.8 context
// switches per decided change against 0.7, bench/RESULTS.md); the requests, their order per
// connection and the signatures are the same.

using asio::awaitable;
using asio::use_awaitable;

class AsyncConn {
 public:
  AsyncConn(asio::io_context& io, const std::string& host, const std::string& port) : m_socket(io), m_host(host) {
    asio::ip::tcp::resolver resolver(io);
    asio::connect(m_socket, resolver.resolve(host, port));
    m_socket.set_option(asio::ip::tcp::no_delay(true));
  }

  awaitable<Reply> call(http::verb verb, const std::string& target, const std::string& body) {
    const std::string head = request_head(verb, target, m_host, body.size());
    co_await asio::async_write(m_socket, request_buffers(head, verb, body), use_awaitable);
    http::response<http::string_body> res;
    co_await http::async_read(m_socket, m_buffer, res, use_awaitable);
    if (!res.keep_alive()) die("HTTP " + target + ": the daemon closed the connection");
    co_return Reply{res.result_int(), std::move(res.body())};
  }

 private:
  asio::ip::tcp::socket m_socket;
  std::string m_host;
  beast::flat_buffer m_buffer;
};

// A wake-up for coroutines on the same thread: wait() returns at the next notify(). Callers
// re-check their condition before waiting again (one thread: nothing runs in between).
class Signal {
 public:
  explicit Signal(asio::io_context& io) : m_timer(io) {}
  awaitable<void> wait() {
    m_timer.expires_at(asio::steady_timer::time_point::max());
    boost::system::error_code ignored;
    co_await m_timer.async_wait(asio::redirect_error(use_awaitable, ignored));
  }
  void notify() { m_timer.cancel(); }

 private:
  asio::steady_timer m_timer;
};

int cmd_load_batch(int argc, char** argv) {
  LoadSetup setup =
      load_setup(argc, argv, "usage: e2e_bench load-batch URL KEYDIR TLDFILE CLIENTS SECONDS MAX_CHANGES [DAEMON_PID]");
  auto& [host, port, keys_owner, tlds, clients, max_changes, per_client, seconds, pid, submits] = setup;
  Keyring& keys = *keys_owner;
  const std::size_t window = env_size("E2E_WINDOW", 8);
  const std::size_t batch_max = std::min<std::size_t>(env_size("E2E_BATCH_MAX", 1000), 1000);
  if (tlds.size() / clients <= window) die("need more TLDs per client than E2E_WINDOW");
  const std::vector<std::string> shared = {"iana", "ntia", "verisign"};

  asio::io_context io(1);
  std::vector<std::unique_ptr<AsyncConn>> conns;
  for (std::size_t c = 0; c < clients + shared.size(); ++c) conns.push_back(std::make_unique<AsyncConn>(io, host, port));
  std::vector<std::unique_ptr<Signal>> client_signal, desk_signal;
  for (std::size_t c = 0; c < clients; ++c) client_signal.push_back(std::make_unique<Signal>(io));
  for (std::size_t d = 0; d < shared.size(); ++d) desk_signal.push_back(std::make_unique<Signal>(io));
  Signal drained(io);

  std::vector<std::deque<std::string>> queues(shared.size());
  std::map<std::string, InFlight> flight;
  std::vector<std::size_t> open(clients, 0);
  std::vector<Stats> stats(clients + shared.size());
  std::vector<double> batch_sizes;
  std::uint64_t counted = 0, started = 0;
  bool failed = false, stop = false;

  const double c0 = cpu_seconds_self(), d0 = cpu_seconds_of(pid);
  const auto t0 = Clock::now();
  const auto deadline = t0 + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));

  auto desk_of = [&](const std::string& actor) -> std::optional<std::size_t> {
    auto it = std::find(shared.begin(), shared.end(), actor);
    if (it == shared.end()) return std::nullopt;
    return static_cast<std::size_t>(it - shared.begin());
  };
  auto finish = [&](std::map<std::string, InFlight>::iterator it) {
    const std::size_t c = it->second.client;
    --open[c];
    flight.erase(it);
    client_signal[c]->notify();
    if (flight.empty()) drained.notify();
  };
  // Routes a request after an answer: finished, or queued for the desk it awaits next.
  auto route = [&](const View& v, Stats& st) {
    auto it = flight.find(v.id);
    if (it == flight.end()) return;
    if (v.state == "published") {
      const auto now = Clock::now();
      st.change_ms.push_back(std::chrono::duration<double, std::milli>(now - it->second.started).count());
      if (now <= deadline) ++counted;
      finish(it);
      return;
    }
    if (v.state == "awaiting" && !v.awaiting.empty()) {
      if (auto d = desk_of(v.awaiting.front())) {
        queues[*d].push_back(v.id);
        desk_signal[*d]->notify();
        return;
      }
    }
    std::cerr << "e2e_bench: request " << v.id << " is " << v.state << " awaiting "
              << (v.awaiting.empty() ? std::string("nobody") : v.awaiting.front()) << '\n';
    ++st.failures;
    failed = true;
    finish(it);
  };

  auto client = [&](std::size_t c) -> awaitable<void> {
    Stats& st = stats[c];
    AsyncConn& conn = *conns[c];
    for (std::size_t k = 0; k < per_client && !failed; ++k) {
      while (open[c] >= window && !failed) co_await client_signal[c]->wait();
      if (failed || Clock::now() >= deadline || started++ >= max_changes) break;
      const Presigned& submit = submits[c][k];
      const auto begin = Clock::now();
      View v = view_of(co_await conn.call(http::verb::post, "/v1/requests", submit.wire), "submit");
      st.submit_ms.push_back(ms_since(begin));
      ++st.mutations;
      submit.signer->seq = std::max(submit.signer->seq, submit.seq);
      flight[v.id] = InFlight{begin, c};
      ++open[c];
      // The manager confirms its own request (and any other stage it is awaited at).
      while (v.state == "awaiting" && !v.awaiting.empty() && !desk_of(v.awaiting.front())) {
        Signer& s = keys.get(v.awaiting.front());
        auth::Json body(auth::Json::Object{});
        body["request"] = v.id;
        body["vote"] = "approve";
        const std::string wire = sign(auth::DocumentType::ballot, s.key, ++s.seq, std::move(body));
        const auto t = Clock::now();
        v = view_of(co_await conn.call(http::verb::post, encode_id("/v1/requests/" + v.id + "/ballots"), wire),
                    "ballot on " + v.id);
        st.ballot_ms.push_back(ms_since(t));
        ++st.mutations;
      }
      route(v, st);
    }
  };
  auto desk = [&](std::size_t d) -> awaitable<void> {
    const std::string& actor = shared[d];
    Stats& st = stats[clients + d];
    Signer& s = keys.get(actor);
    AsyncConn& conn = *conns[clients + d];
    for (;;) {
      while (queues[d].empty() && !stop) co_await desk_signal[d]->wait();
      if (queues[d].empty()) co_return;  // stopped
      auth::Json::Array list;
      while (!queues[d].empty() && list.size() < batch_max) {
        list.emplace_back(std::move(queues[d].front()));
        queues[d].pop_front();
      }
      if (d == 0) batch_sizes.push_back(static_cast<double>(list.size()));
      auth::Json body(auth::Json::Object{});
      body["requests"] = std::move(list);
      body["vote"] = "approve";
      const std::string wire = sign(auth::DocumentType::ballot, s.key, ++s.seq, std::move(body));
      const auto t = Clock::now();
      Reply r = co_await conn.call(http::verb::post, "/v1/ballots", wire);
      st.ballot_ms.push_back(ms_since(t));
      ++st.mutations;
      const auto j = parse_reply(r, "batch ballot by " + actor);
      const auto* items = j.is_object() ? j.as_object().if_contains("requests") : nullptr;
      if (items == nullptr || !items->is_array()) die("batch ballot by " + actor + ": no 'requests' in " + r.body);
      for (const auto& item : items->as_array()) route(view_from(item), st);
    }
  };
  // The clients end at the deadline; the desks then finish what is in flight (bounded).
  auto run = [&]() -> awaitable<void> {
    std::size_t running = clients;
    Signal clients_done(io);
    for (std::size_t c = 0; c < clients; ++c)
      asio::co_spawn(io, [&, c]() -> awaitable<void> {
        co_await client(c);
        if (--running == 0) clients_done.notify();
      }, asio::detached);
    for (std::size_t d = 0; d < shared.size(); ++d) asio::co_spawn(io, desk(d), asio::detached);
    while (running > 0) co_await clients_done.wait();
    asio::steady_timer limit(io, std::chrono::seconds(30));
    limit.async_wait([&](const boost::system::error_code& ec) {
      if (!ec) drained.notify();
    });
    while (!flight.empty() && limit.expiry() > Clock::now()) co_await drained.wait();
    limit.cancel();
    if (!flight.empty()) {
      std::cerr << "e2e_bench: " << flight.size() << " requests unfinished 30 s after the deadline\n";
      failed = true;
    }
    stop = true;
    for (auto& sig : desk_signal) sig->notify();
  };
  asio::co_spawn(io, run(), [](std::exception_ptr e) {
    if (e) std::rethrow_exception(e);
  });
  io.run();

  const double wall = std::min(ms_since(t0) / 1000.0, seconds);
  const double cc = cpu_seconds_self() - c0, dc = cpu_seconds_of(pid) - d0;
  const double total_wall = ms_since(t0) / 1000.0;
  Stats all;
  for (const auto& st : stats) all.merge(st);
  std::printf(
      "RESULT mode=batch driver=loop clients=%zu window=%zu changes=%zu counted=%llu failures=%llu wall_s=%.3f "
      "changes_per_s=%.1f mutations_per_s=%.1f client_cpu=%.2f daemon_cpu=%.2f\n",
      clients, window, all.change_ms.size(), static_cast<unsigned long long>(counted),
      static_cast<unsigned long long>(all.failures), total_wall, static_cast<double>(counted) / wall,
      static_cast<double>(all.mutations) / total_wall, cc / total_wall, dc / total_wall);
  print_dist("change", all.change_ms);
  print_dist("submit", all.submit_ms);
  print_dist("ballot", all.ballot_ms);
  print_dist("batch_size", batch_sizes, "");
  return failed || all.failures != 0 ? 1 : 0;
}

int cmd_floors(int argc, char** argv) {
  if (argc < 7) die("usage: e2e_bench floors URL KEYDIR ACTORS_TOML CLIENTS SECONDS [DAEMON_PID]");
  auto [host, port] = host_port(argv[2]);
  Keyring keys(argv[3]);
  auto registry = auth::ActorRegistry::from_file(argv[4]);
  if (!registry) die("registry: " + registry.error().message);
  const auto clients = std::stoul(argv[5]);
  const double seconds = std::stod(argv[6]);
  const long pid = argc > 7 ? std::stol(argv[7]) : 0;

  // (1) Crypto and document handling, one thread.
  constexpr int kDocs = 2000;
  Signer& iana = keys.get("iana");
  std::vector<std::string> wires;
  wires.reserve(kDocs);
  auto t0 = Clock::now();
  for (int i = 0; i < kDocs; ++i) {
    auth::Json body(auth::Json::Object{});
    body["request"] = "ROOT-MGMT#2005111800" + std::to_string(i % 10);
    body["vote"] = "approve";
    wires.push_back(sign(auth::DocumentType::ballot, iana.key, ++iana.seq, std::move(body)));
  }
  const double sign_us = ms_since(t0) * 1000.0 / kDocs;
  t0 = Clock::now();
  std::vector<auth::SignedDocument> parsed;
  parsed.reserve(kDocs);
  for (const auto& w : wires) {
    auto doc = auth::SignedDocument::parse(w);
    if (!doc) die("parse: " + doc.error().message);
    parsed.push_back(std::move(*doc));
  }
  const double parse_us = ms_since(t0) * 1000.0 / kDocs;
  t0 = Clock::now();
  for (const auto& doc : parsed) {
    if (auto v = doc.verify(*registry); !v) die("verify: " + v.error().message);
  }
  const double verify_us = ms_since(t0) * 1000.0 / kDocs;
  std::printf("RESULT floor=documents docs=%d sign_us=%.1f parse_us=%.1f verify_us=%.1f doc_bytes=%zu\n", kDocs,
              sign_us, parse_us, verify_us, wires.front().size());

  // (2) Transport: the cheapest authority-executor request.
  std::vector<std::unique_ptr<Conn>> conns;
  for (std::size_t c = 0; c < clients; ++c) conns.push_back(std::make_unique<Conn>(host, port));
  std::atomic<std::uint64_t> done{0};
  std::atomic<bool> bad{false};
  const double c0 = cpu_seconds_self(), d0 = cpu_seconds_of(pid);
  t0 = Clock::now();
  const auto deadline = t0 + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  std::vector<std::thread> threads;
  for (std::size_t c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      while (Clock::now() < deadline) {
        if (conns[c]->call(http::verb::get, "/v1/clock", "").status != 200) bad = true;
        done.fetch_add(1, std::memory_order_relaxed);
      }
    });
  }
  for (auto& t : threads) t.join();
  const double wall = ms_since(t0) / 1000.0;
  const double cc = cpu_seconds_self() - c0, dc = cpu_seconds_of(pid) - d0;
  const double n = static_cast<double>(done.load());
  std::printf(
      "RESULT floor=transport clients=%zu requests=%.0f wall_s=%.3f requests_per_s=%.1f client_cpu=%.2f "
      "daemon_cpu=%.2f client_us_per_request=%.1f daemon_us_per_request=%.1f\n",
      clients, n, wall, n / wall, cc / wall, dc / wall, cc * 1e6 / n, dc * 1e6 / n);
  return bad ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string cmd = argc > 1 ? argv[1] : "";
  if (cmd == "lab") return cmd_lab(argc, argv);
  if (cmd == "latency") return cmd_latency(argc, argv);
  if (cmd == "load") return cmd_load(argc, argv);
  if (cmd == "load-batch") return cmd_load_batch(argc, argv);
  if (cmd == "floors") return cmd_floors(argc, argv);
  std::cerr << "usage: e2e_bench lab|latency|load|load-batch|floors ... (see the comment at the top of bench/e2e_bench.cpp)\n";
  return 2;
}
