// owner_bench - the authority thread's CPU per decided change, in process, without HTTP.
//
// The work rootgovd's authority executor does under `e2e_bench load-batch`, call for call, on
// one thread whose CPU time (CLOCK_THREAD_CPUTIME_ID) is counted around each authority call
// only: per change a TLD manager's DS submission and its confirming ballot, then one batch
// ballot each by iana, ntia and verisign over BATCH requests, then the re-sign the daemon
// queues after a batch that implemented changes, and a zone render rationed as the daemon's
// publisher rations it (no earlier than 19x the last render's duration after it ended, nor than
// [publish] interval_ms after it started: OWNER_RENDER_INTERVAL_MS, default 1000). The model is
// the daemon's default (us-status-quo), the state is durable as in rootgovd: the journal is
// written, and a second thread waits for each mutation's record as the durability thread does
// (its CPU is not counted), periodic snapshots as configured by default.
//
// What it leaves out: HTTP, the signature checks (documents are preverified before the timed
// call, as the daemon's CPU pool does), receipts' rendering, events and metrics. So it measures
// the authority, policies and zone modules on the owner thread, with far less noise than a
// whole run on 2 shared vCPUs: compare designs with it, then confirm with bench/e2e/percpu.sh.
//
// Receipts are asked for in the form e2e_bench's `Prefer: return=minimal` gets them
// (ReceiptForm::summary: pending decisions are not worded); OWNER_FULL_RECEIPTS=1 asks for
// full receipts, as a client without that preference gets them.
//
// Usage: owner_bench ZONE LABDIR TLDFILE [CHANGES=12000] [BATCH=9] [STATE_DIR]
//   ZONE, LABDIR, TLDFILE as bench/e2e/run.sh makes them (synth_zone.sh, `e2e_bench lab`).
// Output: one RESULT line of key=value pairs (microseconds of owner-thread CPU per change).
#include <rootgov/authority/actors.hpp>
#include <rootgov/authority/authority.hpp>
#include <rootgov/authority/json.hpp>
#include <rootgov/authority/signed_document.hpp>
#include <rootgov/policies/registry.hpp>

#include "ds_change.hpp"

#include <time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace auth = rootgov::authority;
using rootgov::bench::ds_change;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

[[noreturn]] void die(const std::string& msg) {
  std::cerr << "owner_bench: " << msg << '\n';
  std::exit(1);
}

double thread_cpu_us() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) die("cannot read " + p.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> read_lines(const fs::path& p) {
  std::istringstream in(read_file(p));
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(line);
  return out;
}

struct Signer {
  auth::ActorKey key;
  std::uint64_t seq = 0;
};

class Keys {
 public:
  explicit Keys(fs::path dir) : m_dir(std::move(dir)) {}
  Signer& get(const std::string& actor) {
    auto it = m_signers.find(actor);
    if (it != m_signers.end()) return it->second;
    auto key = auth::ActorKey::from_file(m_dir / (actor + ".key"));
    if (!key) die("key of " + actor + ": " + key.error().message);
    return m_signers.emplace(actor, Signer{std::move(*key), 1}).first->second;
  }

 private:
  fs::path m_dir;
  std::map<std::string, Signer> m_signers;
};

std::string sign(auth::DocumentType type, Signer& s, auth::Json body) {
  auth::Document doc;
  doc.type = type;
  doc.actor = s.key.actor();
  doc.time = auth::Timestamp{1132272000};
  doc.seq = s.seq++;
  doc.body = std::move(body);
  auto signed_doc = auth::SignedDocument::sign(std::move(doc), s.key);
  if (!signed_doc) die("sign: " + signed_doc.error().message);
  return signed_doc->to_wire();
}

long env_ms(const char* name, long fallback) {
  const char* v = std::getenv(name);
  return v != nullptr ? std::atol(v) : fallback;
}

// CPU of the calls of one kind, on the owner thread.
struct Phase {
  const char* name;
  double us = 0;
  std::uint64_t calls = 0;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) die("usage: owner_bench ZONE LABDIR TLDFILE [CHANGES=12000] [BATCH=9] [STATE_DIR]");
  const fs::path lab = argv[2];
  const auto tlds = read_lines(argv[3]);
  const std::size_t changes = argc > 4 ? std::stoul(argv[4]) : 12000;
  const std::size_t batch = argc > 5 ? std::stoul(argv[5]) : 9;
  const fs::path state = argc > 6 ? fs::path(argv[6]) : fs::temp_directory_path() / ("owner-bench-" + std::to_string(::getpid()));
  if (batch == 0 || tlds.size() < batch) die("need BATCH >= 1 and at least BATCH TLDs");
  fs::remove_all(state);

  auto registry = auth::ActorRegistry::from_file(lab / "actors.toml");
  if (!registry) die(registry.error().message);
  auto policy = rootgov::policies::load_policy("us-status-quo");
  if (!policy) die(policy.error().message);
  auth::AuthorityOptions options;
  options.state_dir = state;
  options.base_zone_text = read_file(argv[1]);
  options.registry = std::move(*registry);
  options.policy = std::shared_ptr<const auth::Policy>(std::move(*policy));
  options.clock = auth::ClockMode::simulated;
  options.dnssec_algorithm = "ecdsap256sha256";
  options.defer_durability = true;  // as rootgovd: the records are waited for off the owner thread
  options.fork_snapshots = true;    // rootgovd's default [snapshots] fork = true
  options.resolve_policy = rootgov::policies::policy_from_record;
  options.notice = [](std::string_view text) { std::cerr << "owner_bench: notice: " << text << '\n'; };
  auto opened = auth::Authority::open(std::move(options));
  if (!opened) die(opened.error().message);
  auth::Authority& a = **opened;
  std::uint64_t events = 0;
  a.set_listener([&events](const auth::Event&) { ++events; });

  // The durability thread: waits for the newest ticket the owner handed over.
  std::atomic<std::uint64_t> ticket{0};
  std::atomic<bool> done{false};
  std::thread durability([&] {
    std::uint64_t waited = 0;
    while (!done.load()) {
      const std::uint64_t t = ticket.load();
      if (t == waited) {
        std::this_thread::sleep_for(std::chrono::microseconds(200));
        continue;
      }
      if (auto ok = a.wait_durable(t); !ok) die("wait_durable: " + ok.error().message);
      waited = t;
    }
  });

  Keys keys(lab / "keys");
  const char* desks[] = {"iana", "ntia", "verisign"};
  for (const char* d : desks) keys.get(d);
  std::vector<std::string> submissions;
  submissions.reserve(changes);
  for (std::size_t i = 0; i < changes; ++i) {
    const std::string& tld = tlds[i % tlds.size()];
    submissions.push_back(sign(auth::DocumentType::submit, keys.get("manager." + tld), ds_change(tld, i + 1)));
  }

  Phase submit{"submit"}, confirm{"confirm"}, desk{"batch_ballot"}, resign{"resign"}, render{"render"};
  auto timed = [](Phase& p, auto&& call) {
    const double t0 = thread_cpu_us();
    auto r = call();
    p.us += thread_cpu_us() - t0;
    ++p.calls;
    return r;
  };
  std::size_t published = 0;
  Clock::time_point next_render = Clock::now();
  const auto render_interval = std::chrono::milliseconds(env_ms("OWNER_RENDER_INTERVAL_MS", 1000));
  const auth::ReceiptForm form = env_ms("OWNER_FULL_RECEIPTS", 0) != 0 ? auth::ReceiptForm::full : auth::ReceiptForm::summary;
  const auto wall0 = Clock::now();
  for (std::size_t first = 0; first < changes; first += batch) {
    const std::size_t n = std::min(batch, changes - first);
    auth::Json::Array ids;
    for (std::size_t i = first; i < first + n; ++i) {
      a.preverify(submissions[i]);
      auto r = timed(submit, [&] { return a.submit(submissions[i], form); });
      if (!r) die("submit: " + r.error().message);
      ticket.store(r->durable_ticket);
      const auth::RequestId id = r->request.id;
      auth::Json body(auth::Json::Object{});
      body["request"] = id;
      body["vote"] = "approve";
      const std::string wire = sign(auth::DocumentType::ballot, keys.get("manager." + tlds[i % tlds.size()]), std::move(body));
      a.preverify(wire);
      auto b = timed(confirm, [&] { return a.ballot(id, wire, form); });
      if (!b) die("confirm of " + id + ": " + b.error().message);
      ticket.store(b->durable_ticket);
      ids.emplace_back(id);
    }
    for (const char* d : desks) {
      auth::Json body(auth::Json::Object{});
      body["requests"] = ids;
      body["vote"] = "approve";
      const std::string wire = sign(auth::DocumentType::ballot, keys.get(d), std::move(body));
      a.preverify(wire);
      auto r = timed(desk, [&] { return a.ballots(wire, form); });
      if (!r) die(std::string("batch ballot by ") + d + ": " + r.error().message);
      ticket.store(r->durable_ticket);
    }
    if (a.signing_pending()) {
      auto s = timed(resign, [&] { return a.sign_pending(); });
      if (!s) die("sign_pending: " + s.error().message);
    }
    if (Clock::now() >= next_render) {
      const auto t = Clock::now();
      timed(render, [&] { return a.zone_text().size(); });
      const auto end = Clock::now();
      next_render = std::max(end + 19 * (end - t), t + render_interval);
    }
  }
  const double wall = std::chrono::duration<double>(Clock::now() - wall0).count();
  for (const auto* r : a.list("published")) {
    (void)r;
    ++published;
  }
  done = true;
  durability.join();
  if (published != changes) die("published " + std::to_string(published) + " of " + std::to_string(changes) + " changes");

  const double total = submit.us + confirm.us + desk.us + resign.us + render.us;
  const double per = static_cast<double>(changes);
  std::printf(
      "RESULT changes=%zu batch=%zu owner_us_per_change=%.1f submit=%.1f confirm=%.1f batch_ballots=%.1f resign=%.1f "
      "render=%.1f renders=%llu log_entries=%llu events=%llu wall_s=%.2f\n",
      changes, batch, total / per, submit.us / per, confirm.us / per, desk.us / per, resign.us / per, render.us / per,
      static_cast<unsigned long long>(render.calls), static_cast<unsigned long long>(a.log_size()),
      static_cast<unsigned long long>(events), wall);
  opened->reset();
  fs::remove_all(state);
  return 0;
}
