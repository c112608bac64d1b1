// authority_bench - the authority end to end: replay time for ~100,000 log entries (full
// replay vs. snapshot start), offline verification speed (Authority::verify_log), and decided
// changes per second from 16 clients with durability on return vs. deferred (tickets).
//
// Usage: authority_bench [DIR] [ENTRIES]   (DIR: where state directories go; default: the
// temp directory; ENTRIES: log size to build, default 100000)
// Plain main() so the figures and their units are exactly what bench/RESULTS.md records.
#include <rootgov/authority/authority.hpp>
#include <rootgov/authority/signed_document.hpp>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

using namespace rootgov;
using namespace rootgov::authority;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

namespace {

constexpr int kTlds = 16;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "authority_bench: %s\n", what.c_str());
  std::exit(3);
}

// The TLD manager's approval decides; anything else is refused. Enough to drive the workflow.
class BenchPolicy : public Policy {
 public:
  std::string id() const override { return "bench-policy"; }
  std::string title() const override { return "manager approval decides"; }
  Result<void> may_submit(const RequestView& r, const ActorRegistry& reg) const override {
    const Actor* m = reg.manager_of(r.tld);
    if (m != nullptr && m->id == r.requester) return {};
    return fail(Errc::unauthorized, "only the manager may submit");
  }
  Decision evaluate(const RequestView& r, std::span<const Ballot> ballots, Timestamp, const ActorRegistry&) const override {
    Decision d;
    d.stage = "confirmation";
    for (const auto& b : ballots) {
      if (b.actor != r.requester) continue;
      d.outcome = b.vote == Vote::reject ? Outcome::rejected : Outcome::approved;
      d.approvers = {b.actor};
      d.explanation = b.vote == Vote::reject ? "rejected by the manager" : "approved by the manager";
      return d;
    }
    d.awaiting = {r.requester};
    d.explanation = "awaiting the manager";
    return d;
  }
};

std::string tld(int t) { return "t" + std::to_string(t); }

std::string bench_zone() {
  std::string z =
      ".\t86400\tIN\tSOA\ta.root-servers.net. nstld.verisign-grs.com. 2005111800 1800 900 604800 86400\n"
      ".\t518400\tIN\tNS\ta.root-servers.net.\n"
      "a.root-servers.net.\t518400\tIN\tA\t198.41.0.4\n"
      "net.\t172800\tIN\tNS\ta.gtld-servers.net.\n"
      "net.\t172800\tIN\tNS\tb.gtld-servers.net.\n"
      "a.gtld-servers.net.\t172800\tIN\tA\t192.5.6.30\n"
      "b.gtld-servers.net.\t172800\tIN\tA\t192.33.14.30\n"
      "root-servers.net.\t172800\tIN\tNS\ta.gtld-servers.net.\n";
  for (int t = 0; t < kTlds; ++t) {
    z += tld(t) + ".\t172800\tIN\tNS\ta.gtld-servers.net.\n";
    z += tld(t) + ".\t172800\tIN\tNS\tb.gtld-servers.net.\n";
  }
  return z;
}

struct World {
  ActorRegistry registry;
  std::map<ActorId, ActorKey> keys;
  std::map<ActorId, std::uint64_t> seq;
  std::shared_ptr<const Policy> policy = std::make_shared<BenchPolicy>();

  World() {
    for (int t = 0; t < kTlds; ++t) {
      Actor a;
      a.id = "manager." + tld(t);
      a.name = a.id;
      a.roles = {"tld-manager"};
      a.manages = {tld(t)};
      keys.emplace(a.id, ActorKey::generate(a.id));
      a.public_key = keys.at(a.id).public_key();
      if (!registry.add(a)) die("registry");
    }
  }

  AuthorityOptions options(const fs::path& dir) const {
    AuthorityOptions o;
    o.state_dir = dir;
    o.base_zone_text = bench_zone();
    o.registry = registry;
    o.policy = policy;
    o.clock = ClockMode::simulated;
    o.dnssec_algorithm = "ed25519";
    o.sign_threads = 1;
    o.snapshot_every = 0;
    return o;
  }

  // `at_seq` 0: the actor's next sequence number.
  std::string doc(const ActorId& actor, DocumentType type, Json body, std::uint64_t at_seq = 0) {
    Document d;
    d.type = type;
    d.actor = actor;
    d.time = Timestamp{1132272000};
    d.seq = at_seq != 0 ? at_seq : ++seq[actor];
    d.body = std::move(body);
    return SignedDocument::sign(d, keys.at(actor)).value().to_wire();
  }
  // A DS update that alternates between one DS record and none, so each change is real.
  std::string submit(int t, std::uint64_t n) {
    std::string body = n % 2 == 0
                           ? R"({"kind":"ds-update","tld":")" + tld(t) +
                                 R"(","ds":[{"key_tag":12345,"algorithm":8,"digest_type":2,"digest":"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}]})"
                           : R"({"kind":"ds-update","tld":")" + tld(t) + R"(","ds":[]})";
    return doc("manager." + tld(t), DocumentType::submit, Json::parse(body).value());
  }
  std::string approve(int t, const std::string& id, std::uint64_t at_seq = 0) {
    Json b(Json::Object{});
    b["request"] = id;
    b["vote"] = "approve";
    return doc("manager." + tld(t), DocumentType::ballot, b, at_seq);
  }
};

std::unique_ptr<Authority> open_or_die(const AuthorityOptions& o) {
  auto a = Authority::open(o);
  if (!a) die("open: " + a.error().message);
  return std::move(*a);
}

// Builds a state of about `entries` log entries: decided changes (submit + approve = 6 entries).
void build_state(World& w, const fs::path& dir, std::uint64_t entries) {
  fs::remove_all(dir);
  auto o = w.options(dir);
  o.defer_durability = true;  // flushed every 256 mutations below; the build is not the measurement
  auto a = open_or_die(o);
  auto start = Clock::now();
  std::uint64_t n = 0;
  while (a->log_size() < entries) {
    int t = static_cast<int>(n % kTlds);
    auto r = a->submit(w.submit(t, n / kTlds));
    if (!r) die("submit: " + r.error().message);
    auto b = a->ballot(r->request.id, w.approve(t, r->request.id));
    if (!b) die("ballot: " + b.error().message);
    if (++n % 128 == 0 && !a->wait_durable(a->last_ticket())) die("wait_durable");
  }
  std::printf("  built %llu entries (%llu decided changes, serial %u) in %.1f s\n",
              static_cast<unsigned long long>(a->log_size()), static_cast<unsigned long long>(n), a->serial(),
              seconds_since(start));
  auto snap = Clock::now();
  if (auto s = a->snapshot(); !s) die("snapshot: " + s.error().message);
  std::printf("  snapshot write: %.3f s, %.1f MB\n", seconds_since(snap),
              static_cast<double>(fs::file_size(dir / "snapshot")) / 1e6);
}

void replay_times(World& w, const fs::path& dir) {
  fs::rename(dir / "snapshot", dir / "snapshot.kept");
  {
    auto start = Clock::now();
    auto a = open_or_die(w.options(dir));
    double secs = seconds_since(start);
    std::printf("  open, full replay:     %7.3f s  (%llu entries replayed, %.0f entries/s)\n", secs,
                static_cast<unsigned long long>(a->startup().replayed_entries),
                static_cast<double>(a->startup().replayed_entries) / secs);
    fs::remove(dir / "snapshot");  // the destructor writes one; keep the original for the next run
  }
  fs::rename(dir / "snapshot.kept", dir / "snapshot");
  for (int round = 0; round < 3; ++round) {
    auto start = Clock::now();
    auto a = open_or_die(w.options(dir));
    double secs = seconds_since(start);
    if (!a->startup().from_snapshot) die("the snapshot was not used: " + a->startup().note);
    std::printf("  open, from snapshot:   %7.3f s  (snapshot of %llu entries, %llu replayed)\n", secs,
                static_cast<unsigned long long>(a->startup().snapshot_entries),
                static_cast<unsigned long long>(a->startup().replayed_entries));
  }
}

void verification(World& w, const fs::path& dir) {
  LogVerifyOptions o;
  o.log = dir;
  o.resolve_policy = [&](const std::string&, const std::string&) -> Result<std::shared_ptr<const Policy>> {
    return w.policy;
  };
  for (bool replay : {false, true}) {
    o.replay = replay;
    auto start = Clock::now();
    auto report = Authority::verify_log(o);
    double secs = seconds_since(start);
    if (!report.ok) die("verify: " + report.message);
    std::printf("  verify_log%s: %7.2f s, %8.0f entries/s (%llu entries, %llu signatures, %u threads)\n",
                replay ? " with replay   " : " without replay", secs, static_cast<double>(report.entries) / secs,
                static_cast<unsigned long long>(report.entries), static_cast<unsigned long long>(report.documents),
                std::thread::hardware_concurrency());
  }
}

// 16 clients, each the manager of its own TLD, with documents signed beforehand. The owner
// "strand" is a mutex; a client mutates under it and, when deferring, waits for its ticket
// after releasing it (as the daemon does before its 2xx).
void durable_mutations(World& w, const fs::path& dir, bool defer, int per_client) {
  fs::remove_all(dir);
  auto o = w.options(dir);
  o.defer_durability = defer;
  auto a = open_or_die(o);
  std::mutex strand;
  std::vector<std::vector<std::string>> submits(kTlds);
  std::vector<std::vector<std::uint64_t>> ballot_seq(kTlds);
  for (int t = 0; t < kTlds; ++t) {
    for (int i = 0; i < per_client; ++i) {
      submits[t].push_back(w.submit(t, static_cast<std::uint64_t>(i) + 1000000));
      ballot_seq[t].push_back(++w.seq["manager." + tld(t)]);  // reserved for the ballot that follows
    }
  }
  std::atomic<std::uint64_t> mutations{0};
  auto start = Clock::now();
  std::vector<std::thread> clients;
  for (int t = 0; t < kTlds; ++t) {
    clients.emplace_back([&, t] {
      for (int i = 0; i < per_client; ++i) {
        std::string ballot;
        std::string id;
        std::uint64_t ticket = 0;
        {
          std::lock_guard lock(strand);
          auto r = a->submit(submits[t][static_cast<std::size_t>(i)]);
          if (!r) die("submit: " + r.error().message);
          id = r->request.id;
          ticket = r->durable_ticket;
        }
        if (!a->wait_durable(ticket)) die("wait_durable");
        // The ballot can only be signed once the id is known; clients sign in parallel.
        ballot = w.approve(t, id, ballot_seq[t][static_cast<std::size_t>(i)]);
        {
          std::lock_guard lock(strand);
          auto b = a->ballot(id, ballot);
          if (!b) die("ballot: " + b.error().message);
          ticket = b->durable_ticket;
        }
        if (!a->wait_durable(ticket)) die("wait_durable");
        mutations += 2;
      }
    });
  }
  for (auto& c : clients) c.join();
  double secs = seconds_since(start);
  const double decided = static_cast<double>(kTlds) * per_client;
  std::printf("  16 clients, %-28s %7.0f decided changes/s, %7.0f acknowledged mutations/s (%.0f changes, %.2f s)\n",
              defer ? "deferred durability (tickets):" : "durable on return:", decided / secs,
              static_cast<double>(mutations.load()) / secs, decided, secs);
}

}  // namespace

int main(int argc, char** argv) {
  fs::path base = argc > 1 ? fs::path(argv[1]) : fs::temp_directory_path();
  std::uint64_t entries = argc > 2 ? std::stoull(argv[2]) : 100000;
  const fs::path dir = base / ("authority-bench-" + std::to_string(::getpid()));
  World w;
  std::printf("authority_bench (%u cores), state under %s\n", std::thread::hardware_concurrency(), base.c_str());
  std::printf("replay:\n");
  build_state(w, dir, entries);
  replay_times(w, dir);
  std::printf("offline verification:\n");
  verification(w, dir);
  fs::remove_all(dir);
  std::printf("durable mutations:\n");
  durable_mutations(w, dir, false, 60);
  durable_mutations(w, dir, true, 60);
  durable_mutations(w, dir, false, 60);
  durable_mutations(w, dir, true, 60);
  fs::remove_all(dir);
  return 0;
}
