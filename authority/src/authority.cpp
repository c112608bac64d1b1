// authority/src/authority.cpp - the request workflow, event-sourced over the audit log.
//
// Every mutation builds the audit-log entries it causes (the input entry that holds the
// signed document, then the derived ones: checked, decided, implemented, published), appends
// them to the journal in one durable batch, and only then reports success. Opening a state
// directory replays the journal through the same code: each derived entry the replay builds
// must equal, byte for byte, the entry the log holds (docs/design/workflow.md).
#include <rootgov/authority/authority.hpp>

#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <chrono>
#include <ctime>
#include <deque>
#include <fstream>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "audit_log.hpp"
#include <rootgov/authority/journal.hpp>
#include <rootgov/authority/signed_document.hpp>
#include <rootgov/zone/change_set.hpp>
#include <rootgov/zone/digest.hpp>
#include <rootgov/zone/root_zone.hpp>

#include "configuration_record.hpp"
#include "file_util.hpp"
#include "resume_state.hpp"
#include "snapshot_file.hpp"
#include "zone_signing.hpp"

namespace rootgov::authority {


namespace {

constexpr std::int64_t kSecondsPerDay = 86400;
constexpr std::int64_t kSignatureRefresh = 7 * kSecondsPerDay;

constexpr std::string_view kJournalFile = "journal";
constexpr std::string_view kBaseZoneFile = "base.zone";
constexpr std::string_view kAuthorityKeyFile = "authority.key";
constexpr std::string_view kActorsFile = "actors.toml";
constexpr std::string_view kZoneFile = "root.zone";
constexpr std::string_view kTreeHeadFile = "sth.json";
constexpr std::string_view kSnapshotFile = "snapshot";
constexpr std::string_view kFinishedDir = "finished";  // finished-request segments of snapshots

Result<std::string> read_file(const std::filesystem::path& p) { return files::read_file(p); }

Result<void> write_file_durably(const std::filesystem::path& p, std::string_view data) {
  return files::write_file_atomic(p, data, 0644, /*overwrite=*/true);
}


std::string yyyymmdd(Timestamp t) {
  std::time_t tt = static_cast<std::time_t>(t.seconds);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d%02d%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
  return buf;
}

Json to_array(const std::vector<std::string>& v) {
  Json::Array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

// A string member of an object, or "" when absent or not a string.
std::string field(const Json& object, std::string_view key) {
  const Json* v = object.find(key);
  const std::string* s = v != nullptr ? v->as_string() : nullptr;
  return s != nullptr ? *s : std::string();
}

// Maps a request onto zone operations; an error names the bad field.
Result<zone::ChangeSet> to_change_set(const ChangeRequest& c) {
  auto ns_hosts = [&](const std::vector<NsSpec>& specs) -> Result<std::vector<zone::NsHost>> {
    std::vector<zone::NsHost> out;
    for (const auto& s : specs) {
      auto name = zone::Name::parse(s.host);
      if (!name) return fail(Errc::invalid_input, "name server '" + s.host + "': " + name.error().message);
      out.push_back({*name, s.addresses});
    }
    return out;
  };
  auto ds_set = [&]() -> Result<std::vector<zone::DsData>> {
    std::vector<zone::DsData> out;
    for (const auto& d : c.ds) {
      std::string text = std::to_string(d.key_tag) + " " + std::to_string(d.algorithm) + " " +
                         std::to_string(d.digest_type) + " " + d.digest_hex;
      auto ds = zone::parse_ds_text(text);
      if (!ds) return fail(Errc::invalid_input, "DS '" + text + "' is not valid (digest must be hex)");
      out.push_back(*ds);
    }
    return out;
  };
  zone::Name tld;
  if (!c.tld.empty()) {
    auto n = zone::Name::parse(c.tld + ".");
    if (!n) return fail(Errc::invalid_input, "tld '" + c.tld + "': " + n.error().message);
    tld = *n;
  }
  switch (c.kind) {
    case ChangeKind::ns_update: {
      if (c.ns.empty()) return fail(Errc::invalid_input, "an ns-update needs the full new NS set (--ns)");
      auto ns = ns_hosts(c.ns);
      if (!ns) return std::unexpected(ns.error());
      return zone::ChangeSet::ns_update(tld, std::move(*ns));
    }
    case ChangeKind::ds_update: {
      auto ds = ds_set();
      if (!ds) return std::unexpected(ds.error());
      return zone::ChangeSet::ds_update(tld, std::move(*ds));
    }
    case ChangeKind::delegate: {
      if (c.ns.empty()) return fail(Errc::invalid_input, "a delegation needs an NS set (--ns)");
      auto ns = ns_hosts(c.ns);
      if (!ns) return std::unexpected(ns.error());
      auto ds = ds_set();
      if (!ds) return std::unexpected(ds.error());
      return zone::ChangeSet::delegate(tld, std::move(*ns), std::move(*ds));
    }
    case ChangeKind::revoke:
      return zone::ChangeSet::revoke(tld);
    case ChangeKind::transfer: {
      // A transfer changes the manager (registry data); an NS set given with it changes the zone too.
      if (c.ns.empty()) return zone::ChangeSet{};
      auto ns = ns_hosts(c.ns);
      if (!ns) return std::unexpected(ns.error());
      return zone::ChangeSet::ns_update(tld, std::move(*ns));
    }
    case ChangeKind::contact_update:
      return zone::ChangeSet{};
    case ChangeKind::root_update: {
      zone::ChangeSet cs;
      switch (c.root_target) {
        case RootTarget::root_ns: {
          if (c.ns.empty()) return fail(Errc::invalid_input, "a root-ns update needs the full new root NS set");
          auto ns = ns_hosts(c.ns);
          if (!ns) return std::unexpected(ns.error());
          cs.operations.emplace_back(zone::op::SetRootNs{std::move(*ns)});
          break;
        }
        case RootTarget::dnskey: {
          if (c.dnskeys.empty()) return fail(Errc::invalid_input, "a dnskey update needs the new DNSKEY set");
          zone::op::SetDnskeys op;
          for (const auto& k : c.dnskeys) {
            auto rd = zone::rdata_from_text(zone::rrtype::kDnskey, k);
            if (!rd) return fail(Errc::invalid_input, rd.error().message);
            op.dnskeys.push_back(std::move(*rd));
          }
          cs.operations.emplace_back(std::move(op));
          break;
        }
        case RootTarget::soa_timers: {
          zone::SoaTimers t;
          if (c.soa_refresh) t.refresh = *c.soa_refresh;
          if (c.soa_retry) t.retry = *c.soa_retry;
          if (c.soa_expire) t.expire = *c.soa_expire;
          if (c.soa_minimum) t.minimum = *c.soa_minimum;
          cs.operations.emplace_back(zone::op::SetSoaTimers{t});
          break;
        }
        case RootTarget::none:
          return fail(Errc::invalid_input, "a root-update needs a target");
      }
      return cs;
    }
  }
  return fail(Errc::internal, "unhandled change kind");
}

std::string join_findings(const zone::Findings& findings) {
  std::string out;
  for (const auto& f : findings) {
    if (!out.empty()) out += "; ";
    out += (f.severity == zone::Severity::error ? "error: " : "warning: ") + f.rule + ": " + f.message;
  }
  return out;
}

// A label the root may delegate: letters only (RFC 1123 section 2.1: the top-level label is
// alphabetic; IANA accepts no digits or hyphens in ASCII TLDs) or an IDN A-label "xn--...".
bool is_delegable_tld_label(std::string_view label) {
  if (label.starts_with("xn--")) return label.size() > 4 && zone::is_ldh_label(label);
  return !label.empty() && label.size() <= 63 &&
         std::all_of(label.begin(), label.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

std::vector<std::string> finding_lines(const zone::Findings& findings) {
  std::vector<std::string> out;
  for (const auto& f : findings) {
    out.push_back((f.severity == zone::Severity::error ? "error: " : "warning: ") + f.rule + ": " + f.message);
  }
  return out;
}

std::string joined(const std::vector<std::string>& items, std::string_view sep = ", ") {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : std::string(sep)) + s;
  return out;
}

using detail::actor_to_json;
using detail::decode_reconfigured;
using detail::describe_difference;
using detail::diff_registries;
using detail::kEntryLimits;
using detail::listed_managers;
using detail::previous_registry;
using detail::recorded_configurations;
using detail::RecordedConfiguration;
using detail::registry_to_json;
using detail::RegistryDiff;

}  // namespace

struct Authority::Impl {
  AuthorityOptions opts;

  // Documents whose signatures Authority::preverify checked, parsed, by their wire bytes (the
  // same bytes parse to the same document), oldest first; any thread adds, the owner takes, so
  // the owner neither parses nor verifies them again.
  mutable std::mutex preverified_mutex;
  mutable std::unordered_map<std::string, SignedDocument, StringHash, std::equal_to<>> preverified;
  mutable std::deque<std::string> preverified_order;
  std::uint64_t signatures_preverified = 0;
  std::uint64_t signatures_verified_inline = 0;
  std::optional<SignedDocument> take_preverified(std::string_view wire) const {
    std::lock_guard lock(preverified_mutex);
    auto it = preverified.find(wire);
    if (it == preverified.end()) return std::nullopt;
    std::optional<SignedDocument> doc(std::move(it->second));
    preverified.erase(it);  // its preverified_order entry ages out
    return doc;
  }
  // The keys preverify() checks against (under preverified_mutex): replaced, with every document
  // checked so far forgotten, when a reconfiguration adopts another registry. `keys_generation`
  // tells a preverify that started before the swap not to remember its result.
  std::shared_ptr<const ActorRegistry> verify_keys;
  std::uint64_t keys_generation = 0;
  void publish_keys() {
    auto keys = std::make_shared<const ActorRegistry>(base_registry);  // transfers change no key
    std::lock_guard lock(preverified_mutex);
    verify_keys = std::move(keys);
    ++keys_generation;
    preverified.clear();
    preverified_order.clear();
  }
  // The registry in force: the last one recorded (genesis or "reconfigured"), with TLD management
  // as transfers moved it. `base_registry` is the recorded one itself, whose fingerprint the log
  // and snapshots carry.
  ActorRegistry registry;
  ActorRegistry base_registry;
  std::shared_ptr<const Policy> policy;
  detail::AuditLog log;
  std::optional<zone::RootZone> zone;
  detail::ZoneSigner signer;
  std::int64_t sign_epoch = 0;
  zone::ZoneDigest digest;
  mutable std::string zone_text_cache;
  mutable bool zone_dirty = true;
  // Signing is deferred to publication: names changed since the zone was last signed. Every
  // reader of the signed zone (zone_text, sign_pending) signs them first, so N changes between
  // two readings cost one SOA signature and one signature per changed set, not N SOA
  // signatures; the result is byte for byte what signing after each change would give.
  std::set<zone::Name> unsigned_names;
  std::uint64_t zone_resigns = 0;
  Result<void> sign_pending() {
    if (unsigned_names.empty()) return {};
    if (auto r = signer.resign(*zone, unsigned_names); !r) return r;
    unsigned_names.clear();
    ++zone_resigns;
    zone_dirty = true;
    return {};
  }
  // Every request made, in id order (listings, snapshots), with a hash index beside the tree:
  // ids share a long prefix ("ROOT-MGMT#" and the day), so a walk down the tree compares ~18
  // bytes at each of ~17 levels once a day holds tens of thousands, and each ballot looks its
  // requests up several times. Requests are never removed; replacing the whole table (resume)
  // rebuilds the index.
  class RequestTable {
   public:
    using Map = std::map<RequestId, RequestInfo>;
    RequestInfo* find(std::string_view id) {
      auto it = m_index.find(id);
      return it == m_index.end() ? nullptr : it->second;
    }
    const RequestInfo* find(std::string_view id) const {
      auto it = m_index.find(id);
      return it == m_index.end() ? nullptr : it->second;
    }
    /// Precondition-like access, as std::map::at: throws std::out_of_range for an unknown id.
    RequestInfo& at(std::string_view id) {
      if (RequestInfo* r = find(id)) return *r;
      throw std::out_of_range("no request '" + std::string(id) + "'");
    }
    const RequestInfo& at(std::string_view id) const {
      if (const RequestInfo* r = find(id)) return *r;
      throw std::out_of_range("no request '" + std::string(id) + "'");
    }
    /// The request stored under `id`, and whether it is new (an existing one is left as it was).
    std::pair<RequestInfo&, bool> emplace(RequestId id, RequestInfo r) {
      auto [it, inserted] = m_map.emplace(std::move(id), std::move(r));
      if (inserted) m_index.emplace(it->first, &it->second);
      return {it->second, inserted};
    }
    void assign(Map map) {
      m_map = std::move(map);
      m_index.clear();
      m_index.reserve(m_map.size());
      for (auto& [id, r] : m_map) m_index.emplace(id, &r);
    }
    std::size_t size() const { return m_map.size(); }
    Map::iterator begin() { return m_map.begin(); }
    Map::iterator end() { return m_map.end(); }
    Map::const_iterator begin() const { return m_map.begin(); }
    Map::const_iterator end() const { return m_map.end(); }

   private:
    Map m_map;
    std::unordered_map<std::string_view, RequestInfo*> m_index;  // keys view m_map's keys
  };
  RequestTable requests;
  // The ids of requests in state `awaiting` (at rest every other state is terminal): the open
  // count, timeouts and the real-clock tick walk these, not every request ever made.
  std::set<RequestId> awaiting_ids;
  void track(const RequestInfo& r) {
    if (r.state == RequestState::awaiting) {
      awaiting_ids.insert(r.id);
    } else {
      awaiting_ids.erase(r.id);
    }
  }
  ReplayGuard seqs;  // per-actor replay windows (signed_document.hpp)
  std::map<std::string, unsigned> ids_per_day;
  Timestamp clock_now;
  ClockMode mode = ClockMode::real;
  std::function<void(const Event&)> listener;
  bool replaying = false;
  bool failed = false;
  std::uint64_t since_snapshot = 0;
  // Periodic snapshots are rationed like the daemon's zone-file renders: the next one starts no
  // earlier than kSnapshotShare x the last one's duration after it ended, so however large the
  // state grows they take at most ~5% of the owner thread (the interval in entries grows
  // instead, and with it the replay after a crash).
  static constexpr int kSnapshotShare = 19;
  std::chrono::steady_clock::time_point snapshot_end{};
  std::chrono::steady_clock::duration snapshot_cost{};
  // A forked snapshot writer still running (-1: none), and when it was forked. Its whole run
  // counts as the snapshot's cost for the ration: it takes a core from the daemon meanwhile.
  pid_t snapshot_child = -1;
  std::chrono::steady_clock::time_point snapshot_forked_at{};
  std::uint64_t snapshots_forked = 0;
  std::uint64_t snapshots_inline = 0;
  std::uint64_t snapshots_threaded = 0;
  double snapshot_fork_seconds = 0;
  // A periodic snapshot whose files a thread is writing, and how long the owner thread took to
  // encode them (what the ration counts for it).
  std::future<Result<void>> snapshot_task;
  std::chrono::steady_clock::duration snapshot_encode_cost{};
  // Finished-request segments (docs/design/workflow.md "Snapshots"): those the snapshot on disk
  // refers to, and those the running writer's snapshot (child or thread) will refer to once it
  // has succeeded.
  // Past kMaxSegments the next snapshot writes one segment of every finished request instead.
  static constexpr std::size_t kMaxSegments = 16;
  std::vector<detail::SegmentRef> segments;
  std::vector<detail::SegmentRef> pending_segments;
  StartupReport startup;

  void notice(const std::string& message) const {
    if (opts.notice) {
      opts.notice(message);
    } else {
      std::fprintf(stderr, "rootgov: %s\n", message.c_str());
    }
  }

  // ---- time ----
  Timestamp current_time() const {
    if (replaying || mode == ClockMode::simulated) return clock_now;
    if (opts.real_clock) return opts.real_clock();
    return Timestamp{std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count()};
  }

  // ---- entries ----
  // Builds an entry with the fields every entry has, in a fixed order.
  Json entry(std::string_view event) {
    Json o(Json::Object{});
    o["event"] = event;
    o["time"] = format_time(clock_now);
    return o;
  }

  Result<void> emit(Json fields) { return log.stage(std::move(fields)); }
  // An entry that holds the signed document `doc` (its wire form, written as it is held).
  Result<void> emit(Json fields, const SignedDocument& doc) { return log.stage(std::move(fields), "document", doc.to_wire()); }

  // Enqueues the staged entries as one journal record; without defer_durability also waits
  // until it is on disk. Writes a snapshot every opts.snapshot_every entries.
  Result<void> commit() {
    auto appended = log.commit();
    if (!appended) {
      if (!replaying) failed = true;
      return std::unexpected(appended.error());
    }
    if (!replaying && !opts.defer_durability && !appended->empty()) {
      if (auto durable = log.wait_durable(log.last_ticket()); !durable) {
        failed = true;
        return std::unexpected(durable.error());
      }
    }
    if (!replaying && listener) {
      for (const auto& e : *appended) listener(e);
    }
    since_snapshot += appended->size();
    if (writer_running()) reap_snapshot_writer(/*block=*/false);
    if (!replaying && log.persistent() && opts.snapshot_every > 0 && since_snapshot >= opts.snapshot_every &&
        !writer_running() && std::chrono::steady_clock::now() >= snapshot_end + kSnapshotShare * snapshot_cost) {
      if (auto written = write_snapshot(/*periodic=*/opts.fork_snapshots); !written) {
        notice("snapshot not written: " + written.error().message);
      }
    }
    return {};
  }

  // base_registry.fingerprint() (its canonical TOML, hashed), made again only when the
  // registry's revision changed: every snapshot records it.
  std::uint64_t fingerprinted_revision = 0;
  std::string fingerprint_of_base;
  const std::string& base_fingerprint() {
    if (fingerprint_of_base.empty() || fingerprinted_revision != base_registry.revision()) {
      fingerprint_of_base = base_registry.fingerprint();
      fingerprinted_revision = base_registry.revision();
    }
    return fingerprint_of_base;
  }

  bool writer_running() const { return snapshot_child > 0 || snapshot_task.valid(); }

  // Collects the snapshot writer (forked child or thread) once it has ended (block: wait for
  // it). A failed writer only costs the snapshot: the journal is the record, and the next one is
  // tried as usual.
  void reap_snapshot_writer(bool block) {
    if (snapshot_task.valid()) {
      if (!block && snapshot_task.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return;
      Result<void> written = snapshot_task.get();
      // The ration counts the owner thread's encoding; the writer mostly waits for the disk.
      snapshot_end = std::chrono::steady_clock::now();
      snapshot_cost = snapshot_encode_cost;
      if (written) {
        adopt_segments(std::move(pending_segments));
      } else {
        notice("snapshot not written: " + written.error().message);
      }
      pending_segments.clear();
      return;
    }
    if (snapshot_child < 0) return;
    int status = 0;
    pid_t r;
    do {
      r = ::waitpid(snapshot_child, &status, block ? 0 : WNOHANG);
    } while (r < 0 && errno == EINTR);
    if (r == 0) return;  // still running
    snapshot_child = -1;
    snapshot_end = std::chrono::steady_clock::now();
    snapshot_cost = snapshot_end - snapshot_forked_at;
    if (r < 0) {
      notice("snapshot writer: waitpid failed: " + files::errno_text(errno));
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      notice("snapshot not written: the snapshot writer (forked) ended with " +
             (WIFEXITED(status) ? "exit status " + std::to_string(WEXITSTATUS(status))
                                : "signal " + std::to_string(WTERMSIG(status))));
    } else {
      adopt_segments(std::move(pending_segments));
    }
    pending_segments.clear();
  }

  // The snapshot on disk now refers to `next`: segment files it does not name (replaced by a
  // compaction, left by a writer that failed) are removed. No writer may be running.
  void adopt_segments(std::vector<detail::SegmentRef> next) {
    segments = std::move(next);
    std::set<std::string> keep;
    for (const auto& seg : segments) keep.insert(seg.file_name());
    std::error_code ec;
    for (std::filesystem::directory_iterator it(opts.state_dir / kFinishedDir, ec), end; !ec && it != end;
         it.increment(ec)) {
      if (keep.count(it->path().filename().string()) == 0) {
        std::error_code removed;
        std::filesystem::remove(it->path(), removed);
      }
    }
  }

  // ---- snapshots ----
  // Flushes the journal and writes the state as of the last entry (no entry may be staged).
  // periodic (AuthorityOptions::fork_snapshots): written off the owner thread - from
  // fork_snapshot_tlds TLDs on encoded and written by a forked child (the owner pays the fork),
  // below that encoded here and written by a thread. Otherwise, or when the fork fails, here.
  Result<void> write_snapshot(bool periodic = false) {
    if (!log.persistent() || failed || log.size() == 0) return {};
    reap_snapshot_writer(/*block=*/true);  // one writer at a time
    const auto started = std::chrono::steady_clock::now();
    if (auto flushed = log.flush(); !flushed) {
      failed = true;
      return flushed;
    }
    word_all();  // a snapshot records whole decisions
    // What needs Botan (hashes) or the journal is taken here; the rest is read from the state,
    // which a forked child sees as it is at the fork.
    detail::ResumeState s;
    s.model = policy->id();
    s.registry_fingerprint = base_fingerprint();
    s.log_size = log.size();
    s.last_entry_hash = detail::sha256_hex(log.lines().back());
    s.merkle_root = to_hex(log.tree().root());
    s.zone_digest = digest.hex();
    if (mode == ClockMode::simulated) {
      s.clock = clock_now;
    } else {
      // A refused mutation moves clock_now without an entry; replay ends at the last entry's time.
      auto last = Json::parse(log.lines().back());
      auto t = last ? parse_time(field(*last, "time")) : Result<Timestamp>(clock_now);
      s.clock = t ? *t : clock_now;
    }
    s.sign_epoch = sign_epoch;
    // The requests finished since the last segment go to a new one, the open ones into the
    // snapshot; past kMaxSegments one new segment holds every finished request.
    std::vector<detail::SegmentRef> next = segments;
    if (next.size() >= kMaxSegments) next.clear();
    const std::uint64_t from = next.empty() ? 0 : next.back().to;
    const bool fresh = from < s.log_size;
    if (fresh) next.push_back(detail::SegmentRef{from, s.log_size});
    s.segments = next;
    const std::uint64_t records = log.journal_records();
    const std::filesystem::path path = opts.state_dir / kSnapshotFile;
    const std::filesystem::path seg_path = opts.state_dir / kFinishedDir / next.back().file_name();
    if (std::error_code ec; (std::filesystem::create_directories(seg_path.parent_path(), ec), ec)) {
      return fail(Errc::io, "cannot create '" + seg_path.parent_path().string() + "': " + ec.message());
    }
    if (periodic && zone->tld_count() >= opts.fork_snapshot_tlds) {
      crypto::Sha256 hasher;  // made here: Botan allocates from a locked pool
      crypto::Sha256 seg_hasher;
      const std::string suffix = ".tmp-fork-" + std::to_string(::getpid()) + "-" + std::to_string(snapshots_forked);
      std::filesystem::path tmp = path;
      tmp += suffix;
      std::filesystem::path seg_tmp = seg_path;
      seg_tmp += suffix;
      const pid_t pid = ::fork();
      if (pid == 0) {
        // The child: one thread, a copy-on-write image. Only memory and plain file calls. A
        // signal meant for the parent (a process-group SIGTERM) must not reach a handler the
        // parent installed (rootgovd's reports through a pipe it shares with the child).
        for (int sig : {SIGTERM, SIGINT, SIGHUP, SIGQUIT}) std::signal(sig, SIG_DFL);
        std::vector<const RequestInfo*> finished, open;
        split_requests(from, finished, open);
        if (fresh) {
          const Snapshot seg{s.log_size, detail::encode_segment(next.back(), s.last_entry_hash, finished)};
          if (!detail::write_snapshot_with(seg_path, seg_tmp, seg, seg_hasher)) ::_exit(1);
        }
        fill_snapshot_state(s);
        auto written = detail::write_snapshot_with(path, tmp, Snapshot{records, detail::encode_resume_state(s, open)}, hasher);
        ::_exit(written ? 0 : 1);
      }
      if (pid > 0) {
        snapshot_child = pid;
        pending_segments = std::move(next);
        snapshot_forked_at = started;
        snapshot_fork_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        ++snapshots_forked;
        since_snapshot = 0;
        return {};
      }
      notice("snapshot: fork failed (" + files::errno_text(errno) + "); writing it on the owner thread");
    }
    // Encoded here: the open requests and the zone. The requests finished since the last
    // segment are encoded by whoever writes it - the writer thread of a periodic snapshot: a
    // finished request never changes again (word_all() above worded every decision), and no
    // request is erased while a writer runs (the destructor and every snapshot reap it first).
    std::vector<const RequestInfo*> finished, open;
    split_requests(from, finished, open);
    fill_snapshot_state(s);
    Snapshot snap{records, detail::encode_resume_state(s, open)};
    std::optional<detail::SegmentRef> segment;
    if (fresh) segment = next.back();
    auto write_both = [segment, finished = std::move(finished), log_size = s.log_size, hash = s.last_entry_hash, seg_path,
                       snap = std::move(snap), path]() -> Result<void> {
      if (segment) {
        const Snapshot seg{log_size, detail::encode_segment(*segment, hash, finished)};
        if (auto w = authority::write_snapshot(seg_path, seg); !w) return w;
      }
      return authority::write_snapshot(path, snap);
    };
    if (periodic) {
      // A periodic snapshot of a small zone: the files are written (and synced) by a thread.
      // Named, so per-thread profiles do not count its writes as the owner thread's (a thread
      // inherits its creator's name).
      snapshot_task = std::async(std::launch::async, [write = std::move(write_both)]() {
        (void)pthread_setname_np(pthread_self(), "rg-snapshot");
        return write();
      });
      pending_segments = std::move(next);
      snapshot_encode_cost = std::chrono::steady_clock::now() - started;
      ++snapshots_threaded;
      since_snapshot = 0;
      return {};
    }
    if (auto written = write_both(); !written) return written;
    adopt_segments(std::move(next));
    ++snapshots_inline;
    since_snapshot = 0;
    snapshot_end = std::chrono::steady_clock::now();
    snapshot_cost = snapshot_end - started;
    return {};
  }

  // A snapshot's requests: finished ones whose last entry is at or after `from` (the new
  // segment's; those before are in the segments already) and the open ones (the snapshot's).
  void split_requests(std::uint64_t from, std::vector<const RequestInfo*>& finished,
                      std::vector<const RequestInfo*>& open) const {
    for (const auto& [id, r] : requests) {
      if (!is_terminal(r.state)) {
        open.push_back(&r);
      } else if ((r.log_indexes.empty() ? 0 : r.log_indexes.back()) >= from) {
        finished.push_back(&r);
      }
    }
  }

  // The other parts of a snapshot that grow with the state.
  void fill_snapshot_state(detail::ResumeState& s) const {
    s.zone_text = zone::to_text_unsigned(zone->zone());
    s.seq_windows = seqs.windows();
    s.ids_per_day = ids_per_day;
    for (const auto& [id, actor] : registry.all()) {
      if (!actor.manages.empty()) s.manages[id] = actor.manages;
    }
  }

  // `history`: the log's reconfigurations; the snapshot must match the configuration in force
  // at its last entry, which becomes the configuration (the one of the genesis entry is set).
  bool resume_from_snapshot(const std::vector<std::string>& lines,
                            const std::vector<RecordedConfiguration>& history) {
    const auto path = opts.state_dir / kSnapshotFile;
    auto ignore = [&](const std::string& why) {
      startup.note = "snapshot '" + path.string() + "' ignored, replaying the whole log: " + why;
      notice(startup.note);
      return false;
    };
    auto snap = read_snapshot(path);
    if (!snap) {
      if (snap.error().code == Errc::not_found) return false;
      return ignore(snap.error().message);
    }
    auto state = detail::decode_resume_state(snap->state);
    if (!state) return ignore(state.error().message);
    if (state->log_size == 0 || state->log_size > lines.size()) {
      return ignore("it covers " + std::to_string(state->log_size) + " entries, the journal holds " +
                    std::to_string(lines.size()));
    }
    const RecordedConfiguration* in_force = nullptr;
    for (const auto& c : history) {
      if (c.index < state->log_size) in_force = &c;
    }
    const ActorRegistry& snapshot_registry = in_force != nullptr ? in_force->registry : base_registry;
    auto snapshot_policy = in_force != nullptr ? policy_for(in_force->model, in_force->model_definition)
                                               : Result<std::shared_ptr<const Policy>>(policy);
    if (!snapshot_policy) return ignore(snapshot_policy.error().message);
    if (state->model != (*snapshot_policy)->id() ||
        state->registry_fingerprint != snapshot_registry.fingerprint()) {
      return ignore("it was made with another model or registry");
    }
    if (detail::sha256_hex(lines[state->log_size - 1]) != state->last_entry_hash) {
      return ignore("entry " + std::to_string(state->log_size - 1) + " differs from the one it was taken after");
    }
    for (const auto& ref : state->segments) {
      const auto seg_path = opts.state_dir / kFinishedDir / ref.file_name();
      auto file = read_snapshot(seg_path);
      if (!file) return ignore("its segment of finished requests: " + file.error().message);
      auto seg = detail::decode_segment(file->state);
      if (!seg) return ignore("'" + seg_path.string() + "': " + seg.error().message);
      if (seg->range != ref) return ignore("'" + seg_path.string() + "' covers other entries than its name says");
      if (detail::sha256_hex(lines[ref.to - 1]) != seg->entry_hash) {
        return ignore("'" + seg_path.string() + "' was taken from another journal");
      }
      for (auto& r : seg->requests) {
        const RequestId id = r.id;
        if (!state->requests.emplace(id, std::move(r)).second) return ignore("request '" + id + "' is in two of its parts");
      }
    }
    zone::ParseOptions po;
    po.keep_dnssec = false;
    auto parsed = zone::Zone::from_text(state->zone_text, po);
    if (!parsed) return ignore("its zone does not parse: " + zone::format_finding(parsed.error().front(), "zone"));
    parsed->strip_dnssec(/*keep_dnskey=*/true);
    auto root = zone::RootZone::from_zone(std::move(*parsed));
    if (!root) return ignore("its zone is not a root zone: " + join_findings(root.error()));
    auto zone_digest = zone::ZoneDigest::of(root->zone());
    if (zone_digest.hex() != state->zone_digest) return ignore("its zone does not match its digest");
    // Last and most expensive: every entry it covers must hash to the recorded Merkle root.
    MerkleTree tree;
    for (std::uint64_t i = 0; i < state->log_size; ++i) tree.append(lines[i]);
    if (to_hex(tree.root()) != state->merkle_root) {
      return ignore("the journal's first " + std::to_string(state->log_size) +
                    " entries do not have the Merkle root it recorded");
    }
    log.adopt(lines, state->log_size);
    zone.emplace(std::move(*root));
    digest = zone_digest;
    clock_now = state->clock;
    sign_epoch = state->sign_epoch;
    requests.assign(std::move(state->requests));
    awaiting_ids.clear();
    for (const auto& [id, r] : requests) track(r);
    seqs = ReplayGuard{};
    for (auto& [actor, window] : state->seq_windows) seqs.restore(actor, std::move(window));
    ids_per_day = std::move(state->ids_per_day);
    base_registry = snapshot_registry;
    registry = snapshot_registry;
    policy = *snapshot_policy;
    for (const auto& [id, actor] : base_registry.all()) {
      auto it = state->manages.find(id);
      std::vector<std::string> manages = it == state->manages.end() ? std::vector<std::string>{} : it->second;
      if (manages == actor.manages) continue;
      Actor changed = actor;
      changed.manages = std::move(manages);
      (void)registry.add(std::move(changed));
    }
    segments = std::move(state->segments);
    startup.from_snapshot = true;
    startup.snapshot_entries = state->log_size;
    return true;
  }

  // ---- requests ----
  RequestId next_id() {
    std::string day = yyyymmdd(clock_now);
    unsigned n = ++ids_per_day[day];
    char buf[16];
    std::snprintf(buf, sizeof buf, "%03u", n);
    return "ROOT-MGMT#" + day + buf;
  }

  std::vector<ActorId> affected_parties(const ChangeRequest& c, const zone::ChangeSet& cs) const {
    std::set<ActorId> out;
    if (!zone) return {};
    for (const auto& op : cs.operations) {
      const auto* set_ns = std::get_if<zone::op::SetNs>(&op);
      if (set_ns == nullptr) continue;
      for (const auto& host : set_ns->ns) {
        if (host.addresses.empty()) continue;
        auto existing = zone->host(host.name);
        if (!existing) continue;
        // Only a change of the host's addresses affects the other TLDs that use it.
        std::vector<zone::Rdata> wanted;
        for (const auto& a : host.addresses) {
          if (auto rd = zone::address_from_text(a)) wanted.push_back(*rd);
        }
        std::vector<zone::Rdata> have = existing->v4;
        have.insert(have.end(), existing->v6.begin(), existing->v6.end());
        std::sort(wanted.begin(), wanted.end());
        std::sort(have.begin(), have.end());
        if (wanted == have) continue;
        for (const auto& user : zone->tlds_using_host(host.name)) {
          std::string t = user.tld_label();
          if (t == c.tld) continue;
          if (const Actor* m = registry.manager_of(t)) out.insert(m->id);
        }
      }
    }
    return {out.begin(), out.end()};
  }

  RequestView make_view(const RequestId& id, const ChangeRequest& c, const ActorId& requester,
                        const zone::ChangeSet& cs) const {
    RequestView v;
    v.id = id;
    v.kind = c.kind;
    v.tld = c.tld;
    v.tld_class = c.kind == ChangeKind::root_update ? TldClass::root : classify_tld(c.tld);
    v.root_target = c.root_target;
    v.requester = requester;
    v.affected = affected_parties(c, cs);
    if (v.tld_class == TldClass::cc && c.tld.size() == 2) v.country = c.tld;
    v.submitted_at = clock_now;
    return v;
  }

  // The technical check at submission: the change set, and the zone's checks of it against the
  // zone as it is now; errors are refusals.
  Result<zone::ChangeSet> validate(const ChangeRequest& c, zone::Findings* warnings) const {
    auto cs = change_set_for(c);
    if (!cs) return std::unexpected(cs.error());
    if (!cs->empty()) {
      zone::Findings findings = zone->check(*cs);
      if (zone::has_errors(findings)) return std::unexpected(technical_check_failed(findings));
      if (warnings != nullptr) *warnings = std::move(findings);
    }
    return cs;
  }

  // The change set of a request, refused when the TLD's existence does not fit its kind.
  Result<zone::ChangeSet> change_set_for(const ChangeRequest& c) const {
    auto cs = to_change_set(c);
    if (!cs) return std::unexpected(cs.error());
    if (c.kind != ChangeKind::root_update) {
      auto tld = zone::Name::parse(c.tld + ".").value();
      bool exists = zone->has_tld(tld);
      if (c.kind == ChangeKind::delegate && exists) {
        return fail(Errc::conflict, "TLD '" + c.tld + "' already exists; use ns-update or ds-update to change it");
      }
      if (c.kind != ChangeKind::delegate && !exists) {
        return fail(Errc::not_found, "no TLD '" + c.tld + "' in the root zone");
      }
    }
    return cs;
  }

  static Error technical_check_failed(const zone::Findings& findings) {
    return Error{Errc::invalid_input, "technical check failed: " + join_findings(findings)};
  }

  Result<void> evaluate(RequestInfo& r, ReceiptForm form = ReceiptForm::full) {
    auto result = decide(r, form);
    track(r);
    return result;
  }

  // Decisions a summary receipt asked for (Policy::route): pending, without their words, and the
  // time each was made at. word() makes the words with Policy::evaluate from the same request,
  // ballots, time, registry and model, so they are what evaluate() would have given then: the
  // ballots and view change only with a new evaluation (which replaces the entry), and every
  // entry is worded before the registry or the model changes and before a snapshot records
  // decisions. A withdrawal keeps its request's entry: its last decision is still that one.
  std::map<RequestId, Timestamp> unworded;
  void word(RequestInfo& r) {
    auto it = unworded.find(r.id);
    if (it == unworded.end()) return;
    r.decision = policy->evaluate(r.view, r.ballots, it->second, registry);
    unworded.erase(it);
  }
  void word_all() {
    while (!unworded.empty()) word(requests.at(unworded.begin()->first));
  }

  Result<void> decide(RequestInfo& r, ReceiptForm form) {
    if (form == ReceiptForm::summary) {
      r.decision = policy->route(r.view, r.ballots, clock_now, registry);
      if (r.decision.outcome == Outcome::pending) {
        unworded.insert_or_assign(r.id, clock_now);
      } else {
        unworded.erase(r.id);
      }
    } else {
      r.decision = policy->evaluate(r.view, r.ballots, clock_now, registry);
      unworded.erase(r.id);
    }
    r.updated_at = clock_now;
    switch (r.decision.outcome) {
      case Outcome::pending:
        return {};
      case Outcome::rejected:
      case Outcome::expired: {
        r.state = r.decision.outcome == Outcome::rejected ? RequestState::rejected : RequestState::expired;
        return emit_decided(r);
      }
      case Outcome::approved: {
        r.state = RequestState::approved;
        if (auto e = emit_decided(r); !e) return e;
        return implement(r);
      }
    }
    return {};
  }

  Result<void> emit_decided(RequestInfo& r) {
    Json o = entry("decided");
    o["request"] = r.id;
    o["outcome"] = to_string(r.decision.outcome);
    o["stage"] = r.decision.stage;
    o["approvers"] = to_array(r.decision.approvers);
    o["rules"] = to_array(r.decision.rules_applied);
    o["explanation"] = r.decision.explanation;
    r.log_indexes.push_back(log.next_index());
    return emit(std::move(o));
  }

  // Implements an approved request. The supplemental technical check (the zone may have changed
  // since submission) is the zone transaction's own staging, so the change is checked and
  // applied in one pass; a check that fails changes nothing. A transfer's registry change
  // follows the zone's.
  Result<void> implement(RequestInfo& r) {
    std::vector<std::string> changed;
    auto cs = change_set_for(r.change);
    Result<void> applied;
    if (!cs) {
      applied = std::unexpected(cs.error());
    } else if (!cs->empty()) {
      auto names = apply_to_zone(*cs);
      if (names) {
        changed = std::move(*names);
      } else {
        applied = std::unexpected(names.error());
      }
    }
    if (!applied) {
      const std::string& why = applied.error().message;
      r.state = RequestState::rejected;
      r.findings.push_back("error: supplemental-check: " + why);
      Json o = entry("decided");
      o["request"] = r.id;
      o["outcome"] = "rejected";
      o["stage"] = "supplemental-technical-check";
      o["explanation"] = "rejected at implementation: " + why;
      r.decision.outcome = Outcome::rejected;
      r.decision.explanation = "rejected at implementation: " + why;
      r.log_indexes.push_back(log.next_index());
      return emit(std::move(o));
    }
    if (r.change.kind == ChangeKind::transfer) apply_transfer(r);
    r.state = RequestState::implemented;
    r.serial = zone->soa().serial;
    r.zone_digest = digest.hex();
    Json o = entry("implemented");
    o["request"] = r.id;
    o["serial"] = *r.serial;
    o["zone_digest"] = r.zone_digest;
    o["changed"] = to_array(changed);
    r.log_indexes.push_back(log.next_index());
    if (auto e = emit(std::move(o)); !e) return e;
    r.state = RequestState::published;
    Json p = entry("published");
    p["request"] = r.id;
    p["serial"] = *r.serial;
    r.log_indexes.push_back(log.next_index());
    return emit(std::move(p));
  }

  void apply_transfer(const RequestInfo& r) {
    word_all();  // before the registry changes
    if (const Actor* old = registry.manager_of(r.change.tld)) {
      Actor a = *old;
      std::erase(a.manages, r.change.tld);
      (void)registry.add(std::move(a));
    }
    if (const Actor* fresh = registry.find(r.change.new_manager)) {
      Actor a = *fresh;
      if (std::find(a.manages.begin(), a.manages.end(), r.change.tld) == a.manages.end()) a.manages.push_back(r.change.tld);
      (void)registry.add(std::move(a));
    }
  }

  // Applies a change set to the zone, re-signs what changed, updates the digest. Returns the
  // changed owner names.
  Result<std::vector<std::string>> apply_to_zone(const zone::ChangeSet& cs) {
    // The digest contributions of the nodes the change can touch, to update it by difference.
    std::map<zone::Name, std::optional<zone::ZoneDigest::Hash>> before;
    auto keep = [&](const zone::Name& n) {
      if (before.contains(n)) return;
      const zone::Node* node = zone->zone().node(n);
      before[n] = node ? std::optional(zone::ZoneDigest::node_hash(n, *node)) : std::nullopt;
    };
    keep(zone::Name());
    for (const auto& op : cs.operations) {
      std::visit(
          [&](const auto& o) {
            using T = std::decay_t<decltype(o)>;
            if constexpr (std::is_same_v<T, zone::op::SetDs>) {
              keep(o.tld);  // a DS set changes its TLD's node only
            } else if constexpr (std::is_same_v<T, zone::op::SetNs> || std::is_same_v<T, zone::op::RemoveDelegation>) {
              keep(o.tld);
              if (auto d = zone->delegation(o.tld)) {
                for (const auto& h : d->ns) keep(h);
              }
              if constexpr (std::is_same_v<T, zone::op::SetNs>) {
                for (const auto& h : o.ns) keep(h.name);
              }
            } else if constexpr (std::is_same_v<T, zone::op::SetRootNs>) {
              for (const auto& h : zone->root_ns()) keep(h);
              for (const auto& h : o.ns) keep(h.name);
            }
          },
          op);
    }
    std::int64_t today = clock_now.seconds / kSecondsPerDay;
    auto applied = zone->apply(cs, today);
    if (!applied) return std::unexpected(technical_check_failed(applied.error()));
    std::vector<std::string> changed;
    bool full_digest = false;
    for (const auto& n : applied->changed_names) {
      changed.push_back(n.to_string());
      auto it = before.find(n);
      if (it == before.end()) {
        full_digest = true;
        continue;
      }
      digest.replace(n, it->second ? &*it->second : nullptr, zone->zone().node(n));
    }
    if (full_digest) digest = zone::ZoneDigest::of(zone->zone());
    if (!replaying) unsigned_names.insert(applied->changed_names.begin(), applied->changed_names.end());
    zone_dirty = true;
    return changed;
  }

  // ---- inputs ----
  Result<Receipt> handle_submit(const SignedDocument& doc, ReceiptForm form) {
    auto change = change_request_from_json(doc.document().body.canonical());
    if (!change) return std::unexpected(change.error());
    // Checked at submission only, not when replaying: a log written before these checks
    // existed still replays as it happened.
    if (!replaying) {
      if (change->kind == ChangeKind::delegate && !is_delegable_tld_label(change->tld)) {
        return fail(Errc::invalid_input, "'" + change->tld +
                                             "' cannot be delegated: a TLD label is letters only (RFC 1123 section 2.1) "
                                             "or an IDN A-label 'xn--...'");
      }
      // A transfer to an actor the registry does not know would leave the TLD with no manager.
      if (!change->new_manager.empty() && registry.find(change->new_manager) == nullptr) {
        return fail(Errc::invalid_input, "no actor '" + change->new_manager + "' in the registry: the new manager of '" +
                                             change->tld + "' must be a registered actor (GET /v1/actors lists them)");
      }
    }
    zone::Findings warnings;
    auto cs = validate(*change, &warnings);
    if (!cs) return std::unexpected(cs.error());
    RequestId id = next_id();
    RequestView view = make_view(id, *change, doc.document().actor, *cs);
    if (auto allowed = policy->may_submit(view, registry); !allowed) {
      --ids_per_day[yyyymmdd(clock_now)];
      return fail(Errc::unauthorized, allowed.error().message);
    }
    seqs.accept(doc.document());
    RequestInfo r;
    r.id = id;
    r.change = *change;
    r.view = view;
    r.state = RequestState::received;
    r.updated_at = clock_now;
    std::uint64_t input_index = log.next_index();
    Json s = entry("submitted");
    s["request"] = id;
    s["tld_class"] = to_string(view.tld_class);
    s["affected"] = to_array(view.affected);
    r.log_indexes.push_back(input_index);
    if (auto e = emit(std::move(s), doc); !e) return std::unexpected(e.error());
    r.state = RequestState::technical_check;
    r.findings = finding_lines(warnings);
    Json c = entry("checked");
    c["request"] = id;
    c["passed"] = true;
    c["findings"] = to_array(r.findings);
    r.log_indexes.push_back(log.next_index());
    if (auto e = emit(std::move(c)); !e) return std::unexpected(e.error());
    r.state = RequestState::awaiting;
    RequestInfo& stored = requests.emplace(id, std::move(r)).first;
    if (auto e = evaluate(stored, form); !e) return std::unexpected(e.error());
    return Receipt{stored, input_index};
  }

  struct VoteSpec {
    Vote vote = Vote::approve;
    std::string comment;
  };

  static Result<VoteSpec> parse_vote(const Json& body) {
    std::string vote_text = field(body, "vote");
    VoteSpec v;
    if (vote_text == "approve") v.vote = Vote::approve;
    else if (vote_text == "reject") v.vote = Vote::reject;
    else if (vote_text == "comment") v.vote = Vote::comment;
    else return fail(Errc::invalid_input, "a ballot's 'vote' must be approve, reject or comment");
    v.comment = field(body, "comment");
    if (v.vote == Vote::reject && v.comment.empty()) {
      return fail(Errc::invalid_input, "a rejection needs a comment that says why");
    }
    return v;
  }

  // Whether `actor` may vote on request `id` now: true when the policy awaits the actor
  // (binding), false when the actor may only advise. Refusals say why.
  Result<bool> ballot_target(const RequestId& id, const ActorId& actor) const {
    const RequestInfo* found = requests.find(id);
    if (found == nullptr) return fail(Errc::not_found, "no request '" + id + "'");
    const RequestInfo& r = *found;
    if (r.state != RequestState::awaiting) {
      return fail(Errc::conflict, "request '" + id + "' is " + std::string(to_string(r.state)) + ", not awaiting ballots");
    }
    const auto& awaiting = r.decision.awaiting;
    const auto& may_comment = r.decision.may_comment;
    bool binding = std::find(awaiting.begin(), awaiting.end(), actor) != awaiting.end();
    bool advisory = std::find(may_comment.begin(), may_comment.end(), actor) != may_comment.end();
    if (!binding && !advisory) {
      std::string who;
      for (const auto& a : awaiting) who += (who.empty() ? "" : ", ") + a;
      return fail(Errc::unauthorized, "'" + actor + "' is not awaited on " + id + " at stage '" + r.decision.stage +
                                          "'; the policy awaits: " + (who.empty() ? "nobody" : who));
    }
    // Advisory bodies are recorded but never decide: their approve/reject is kept as advice.
    return binding;
  }

  Result<Receipt> handle_ballot(const RequestId& id, const SignedDocument& doc, ReceiptForm form) {
    const Json& body = doc.document().body;
    if (body.find("requests") != nullptr) {
      return fail(Errc::invalid_input, "this ballot names several requests: send it to POST /v1/ballots");
    }
    std::string req = field(body, "request");
    if (req != id) return fail(Errc::invalid_input, "the ballot names request '" + req + "', not '" + id + "'");
    auto vote = parse_vote(body);
    if (!vote) return std::unexpected(vote.error());
    auto binding = ballot_target(id, doc.document().actor);
    if (!binding) return std::unexpected(binding.error());
    RequestInfo& r = requests.at(id);
    seqs.accept(doc.document());
    std::uint64_t input_index = log.next_index();
    Json b = entry("ballot");
    b["request"] = id;
    b["binding"] = *binding;
    r.log_indexes.push_back(input_index);
    if (auto e = emit(std::move(b), doc); !e) return std::unexpected(e.error());
    r.ballots.push_back(Ballot{doc.document().actor, vote->vote, vote->comment, clock_now});
    if (auto e = evaluate(r, form); !e) return std::unexpected(e.error());
    return Receipt{r, input_index};
  }

  // The ids a batch ballot names: a non-empty array of distinct strings, at most kMaxBatch.
  static Result<std::vector<RequestId>> batch_ids(const Json& body) {
    if (body.find("request") != nullptr) {
      return fail(Errc::invalid_input, "a batch ballot names its requests in 'requests' (an array), not 'request'");
    }
    const Json* list = body.find("requests");
    const Json::Array* items = list != nullptr ? list->as_array() : nullptr;
    if (items == nullptr || items->empty()) {
      return fail(Errc::invalid_input, "a batch ballot needs 'requests': a non-empty array of request ids");
    }
    if (items->size() > Authority::kMaxBatch) {
      return fail(Errc::invalid_input, "a batch ballot names " + std::to_string(items->size()) +
                                           " requests; at most " + std::to_string(Authority::kMaxBatch) +
                                           " per document: split it");
    }
    std::vector<RequestId> ids;
    ids.reserve(items->size());
    std::set<std::string_view> seen;
    for (const auto& item : *items) {
      const std::string* id = item.as_string();
      if (id == nullptr || id->empty()) return fail(Errc::invalid_input, "'requests' must hold request ids (strings)");
      if (!seen.insert(*id).second) {
        return fail(Errc::invalid_input, "the batch ballot names '" + *id + "' twice");
      }
      ids.push_back(*id);
    }
    return ids;
  }

  Result<BatchReceipt> handle_ballots(const SignedDocument& doc, ReceiptForm form) {
    const Json& body = doc.document().body;
    auto ids = batch_ids(body);
    if (!ids) return std::unexpected(ids.error());
    auto vote = parse_vote(body);
    if (!vote) return std::unexpected(vote.error());
    const ActorId& actor = doc.document().actor;
    // All or nothing: check every request before recording anything.
    std::vector<bool> binding;
    binding.reserve(ids->size());
    std::string refused;
    std::size_t refusals = 0;
    Errc first = Errc::invalid_input;
    for (const auto& id : *ids) {
      auto b = ballot_target(id, actor);
      if (b) {
        binding.push_back(*b);
        continue;
      }
      if (refusals == 0) first = b.error().code;
      if (++refusals <= 10) refused += "\n  " + b.error().message;
    }
    if (refusals > 0) {
      if (refusals > 10) refused += "\n  ... and " + std::to_string(refusals - 10) + " more";
      return fail(first, "batch ballot refused, nothing recorded: " + std::to_string(refusals) + " of " +
                             std::to_string(ids->size()) + " requests cannot take this ballot:" + refused);
    }
    seqs.accept(doc.document());
    std::uint64_t input_index = log.next_index();
    Json b = entry("ballots");
    b["requests"] = to_array(*ids);
    Json::Array flags;
    for (bool f : binding) flags.emplace_back(f);
    b["binding"] = std::move(flags);
    if (auto e = emit(std::move(b), doc); !e) return std::unexpected(e.error());
    BatchReceipt receipt;
    receipt.log_index = input_index;
    receipt.requests.reserve(ids->size());
    for (const auto& id : *ids) {
      RequestInfo& r = requests.at(id);
      r.log_indexes.push_back(input_index);
      r.ballots.push_back(Ballot{actor, vote->vote, vote->comment, clock_now});
      if (auto e = evaluate(r, form); !e) return std::unexpected(e.error());
    }
    // After every evaluation: implementing one request may not change another's state, but the
    // receipt shows each as the whole batch left it.
    for (const auto& id : *ids) receipt.requests.push_back(&requests.at(id));
    return receipt;
  }

  Result<Receipt> handle_withdraw(const RequestId& id, const SignedDocument& doc) {
    if (field(doc.document().body, "request") != id) {
      return fail(Errc::invalid_input, "the withdrawal names another request");
    }
    RequestInfo* found = requests.find(id);
    if (found == nullptr) return fail(Errc::not_found, "no request '" + id + "'");
    RequestInfo& r = *found;
    if (r.view.requester != doc.document().actor) {
      return fail(Errc::unauthorized, "only the requester '" + r.view.requester + "' may withdraw " + id);
    }
    if (r.state != RequestState::awaiting) {
      return fail(Errc::conflict, "request '" + id + "' is " + std::string(to_string(r.state)) + " and can no longer be withdrawn");
    }
    seqs.accept(doc.document());
    std::uint64_t input_index = log.next_index();
    Json w = entry("withdrawn");
    w["request"] = id;
    r.log_indexes.push_back(input_index);
    if (auto e = emit(std::move(w), doc); !e) return std::unexpected(e.error());
    r.state = RequestState::withdrawn;
    track(r);
    r.updated_at = clock_now;
    return Receipt{r, input_index};
  }

  // Fires every timeout due at clock_now, in deadline order, then refreshes signatures.
  Result<std::size_t> fire_timeouts() {
    std::vector<std::pair<Timestamp, RequestId>> due;
    for (const auto& id : awaiting_ids) {
      const RequestInfo& r = requests.at(id);
      if (r.decision.deadline && *r.decision.deadline <= clock_now) due.emplace_back(*r.decision.deadline, id);
    }
    std::sort(due.begin(), due.end());
    std::size_t fired = 0;
    for (const auto& [deadline, id] : due) {
      RequestInfo& r = requests.at(id);
      auto before = r.decision.stage;
      if (auto e = evaluate(r); !e) return std::unexpected(e.error());
      ++fired;
    }
    if (auto e = refresh_signatures(); !e) return std::unexpected(e.error());
    return fired;
  }

  // Signatures would expire within the refresh window: re-sign the whole zone with a new serial.
  Result<void> refresh_signatures() {
    if (clock_now.seconds + kSignatureRefresh < sign_epoch + detail::ZoneSigner::kValidity) return {};
    zone::ChangeSet bump;  // an empty change still advances the serial
    std::int64_t today = clock_now.seconds / kSecondsPerDay;
    auto applied = zone->apply(bump, today);
    if (!applied) return fail(Errc::internal, join_findings(applied.error()));
    digest = zone::ZoneDigest::of(zone->zone());
    sign_epoch = clock_now.seconds;
    if (!replaying) {
      if (auto e = signer.sign_full(*zone, sign_epoch); !e) return e;
      unsigned_names.clear();
    }
    zone_dirty = true;
    Json o = entry("resigned");
    o["serial"] = zone->soa().serial;
    o["zone_digest"] = digest.hex();
    return emit(std::move(o));
  }

  Result<Timestamp> handle_clock(const SignedDocument& doc) {
    const Actor* actor = registry.find(doc.document().actor);
    if (actor == nullptr || !actor->has_role("instructor")) {
      return fail(Errc::unauthorized, "only an actor with the role 'instructor' may advance the clock");
    }
    if (mode != ClockMode::simulated) {
      return fail(Errc::conflict, "the clock is real; start rootgovd with --clock simulated to advance it");
    }
    const Json& body = doc.document().body;
    if (field(body, "action") != "clock-advance") {
      return fail(Errc::invalid_input, "unknown administrative action; expected 'clock-advance'");
    }
    std::string dur_text = field(body, "duration");
    if (dur_text.empty()) return fail(Errc::invalid_input, "clock-advance needs a 'duration' such as '7d'");
    auto dur = parse_duration(dur_text);
    if (!dur) return std::unexpected(dur.error());
    if (dur->seconds <= 0 || dur->seconds > 10LL * 365 * kSecondsPerDay) {
      return fail(Errc::invalid_input, "the clock advances by a positive duration of at most 10 years");
    }
    seqs.accept(doc.document());
    Json c = entry("clock");
    c["from"] = format_time(clock_now);
    c["to"] = format_time(clock_now + *dur);
    if (auto e = emit(std::move(c), doc); !e) return std::unexpected(e.error());
    clock_now = clock_now + *dur;
    if (auto fired = fire_timeouts(); !fired) return std::unexpected(fired.error());
    return clock_now;
  }

  // ---- reconfiguration ----
  // The policy a log entry names: the one in force or the one given when they match (id and
  // definition), otherwise built by opts.resolve_policy.
  Result<std::shared_ptr<const Policy>> policy_for(const std::string& id,
                                                   const std::string& definition) const {
    auto same = [&](const std::shared_ptr<const Policy>& p) {
      return p && p->id() == id && p->definition() == definition;
    };
    if (same(policy)) return policy;
    if (same(opts.policy)) return opts.policy;
    if (!opts.resolve_policy) {
      return fail(Errc::invalid_input, "the log names model '" + id +
                                           "', which is not the one given, and no way to load it was given");
    }
    auto p = opts.resolve_policy(id, definition);
    if (!p) return fail(p.error().code, "model '" + id + "' named by the log: " + p.error().message);
    if (!*p || (*p)->id() != id) return fail(Errc::internal, "loading model '" + id + "' gave another model");
    return p;
  }

  // `next` with the TLD management that transfers moved kept as the state has it: where the
  // registry in force and the recorded one disagree on who manages a TLD, the one in force wins.
  // A transfer's manager missing from `next` is an entry of `errors`.
  ActorRegistry with_transfers(const ActorRegistry& next, std::vector<std::string>& errors) const {
    ActorRegistry out = next;
    const auto now = listed_managers(registry);
    const auto recorded = listed_managers(base_registry);
    std::set<std::string> tlds;
    for (const auto& [t, id] : now) tlds.insert(t);
    for (const auto& [t, id] : recorded) tlds.insert(t);
    for (const auto& t : tlds) {
      auto n = now.find(t);
      auto r = recorded.find(t);
      const ActorId manager = n == now.end() ? ActorId() : n->second;
      if (manager == (r == recorded.end() ? ActorId() : r->second)) continue;
      std::vector<ActorId> listing;
      for (const auto& [id, a] : out.all()) {
        if (std::find(a.manages.begin(), a.manages.end(), t) != a.manages.end()) listing.push_back(id);
      }
      for (const auto& id : listing) {
        Actor a = *out.find(id);
        std::erase(a.manages, t);
        (void)out.add(std::move(a));
      }
      if (manager.empty()) continue;
      const Actor* m = out.find(manager);
      if (m == nullptr) {
        errors.push_back("'" + manager + "' manages '" + t +
                         "' by a transfer and is missing from the new registry");
        continue;
      }
      Actor a = *m;
      a.manages.push_back(t);
      (void)out.add(std::move(a));
    }
    return out;
  }

  // The rules a new configuration must meet (Authority::replace_configuration): refusals go to
  // `errors`, what is adopted anyway to `warnings`.
  void check_reconfiguration(const ActorRegistry& next, const ActorRegistry& effective,
                             std::vector<std::string>& errors, std::vector<std::string>& warnings) const {
    if (next.all().empty()) errors.emplace_back("the new registry has no actors");
    for (const auto& id : awaiting_ids) {
      const RequestInfo& r = requests.at(id);
      std::vector<std::pair<ActorId, std::string>> involved{{r.view.requester, "its requester"}};
      for (const auto& a : r.decision.awaiting) involved.emplace_back(a, "awaited");
      for (const auto& b : r.ballots) involved.emplace_back(b.actor, "has voted on it");
      if (!r.change.new_manager.empty()) involved.emplace_back(r.change.new_manager, "its new manager");
      std::set<ActorId> named;
      for (const auto& [actor, why] : involved) {
        if (next.find(actor) != nullptr || !named.insert(actor).second) continue;
        errors.push_back("open request " + id + ": '" + actor + "' (" + why +
                         ") is missing from the new registry");
      }
      if (r.change.tld.empty()) continue;
      const Actor* manager = registry.manager_of(r.change.tld);
      const Actor* next_manager = effective.manager_of(r.change.tld);
      if (manager != nullptr && next_manager == nullptr) {
        errors.push_back("open request " + id + ": TLD '" + r.change.tld + "' would lose its manager '" +
                         manager->id + "'");
      } else if (manager != nullptr && next_manager->id != manager->id) {
        errors.push_back("open request " + id + ": the manager of TLD '" + r.change.tld +
                         "' would change from '" + manager->id + "' to '" + next_manager->id + "'");
      }
    }
    std::vector<std::string> orphaned;
    for (const auto& t : zone->tlds()) {
      std::string label = t.tld_label();
      if (registry.manager_of(label) != nullptr && effective.manager_of(label) == nullptr)
        orphaned.push_back(label);
    }
    if (!orphaned.empty()) warnings.push_back("TLDs left without a manager: " + joined(orphaned));
    if (mode == ClockMode::simulated && !registry.with_role("instructor").empty() &&
        next.with_role("instructor").empty()) {
      warnings.emplace_back(
          "no actor has the role 'instructor' any more: nobody can advance the simulated clock");
    }
  }

  // Adopts `next` (a registry as given, without transfers) and `next_policy`: one "reconfigured"
  // entry, then every open request re-evaluated. Live, the new configuration is checked first
  // and a refusal changes nothing; in replay it is not (it was when it was logged).
  Result<ReloadReport> handle_reconfigure(ActorRegistry next, std::shared_ptr<const Policy> next_policy) {
    ReloadReport report;
    RegistryDiff diff = diff_registries(base_registry, next);
    report.added = diff.added;
    report.removed = diff.removed;
    report.modified = diff.changed;
    report.previous_model = policy->id();
    report.model = next_policy->id();
    report.model_changed =
        policy->id() != next_policy->id() || policy->definition() != next_policy->definition();
    std::vector<std::string> errors;
    ActorRegistry effective = with_transfers(next, errors);
    if (!replaying) {
      check_reconfiguration(next, effective, errors, report.warnings);
      if (!errors.empty()) {
        return fail(Errc::conflict,
                    "the new configuration is refused (nothing changed): " + joined(errors, "; "));
      }
    }
    report.changed = true;
    Json o = entry("reconfigured");
    o["registry"] = next.fingerprint();
    o["previous_registry"] = base_registry.fingerprint();
    o["actors"] = registry_to_json(next);
    o["added"] = to_array(diff.added);
    o["removed"] = to_array(diff.removed);
    o["changed"] = to_array(diff.changed);
    Json::Array replaced;
    for (const auto* ids : {&diff.removed, &diff.changed}) {
      for (const auto& id : *ids) replaced.push_back(actor_to_json(*base_registry.find(id)));
    }
    o["replaced"] = Json(std::move(replaced));
    o["model"] = next_policy->id();
    o["model_definition"] = next_policy->definition();
    o["previous_model"] = policy->id();
    o["previous_model_definition"] = policy->definition();
    report.log_index = log.next_index();
    if (auto e = emit(std::move(o)); !e) return std::unexpected(e.error());
    word_all();  // under the registry and model they were decided by
    base_registry = std::move(next);
    registry = std::move(effective);
    policy = std::move(next_policy);
    publish_keys();
    const std::vector<RequestId> open(awaiting_ids.begin(), awaiting_ids.end());
    for (const auto& id : open) {
      RequestInfo& r = requests.at(id);
      if (auto e = evaluate(r); !e) return std::unexpected(e.error());
      if (r.state != RequestState::awaiting) report.decided.push_back(id);
    }
    return report;
  }

  Result<void> check_document(const SignedDocument& doc, std::string_view type) const {
    if (to_string(doc.document().type) != type) {
      return fail(Errc::invalid_input, "expected a '" + std::string(type) + "' document, got '" +
                                           std::string(to_string(doc.document().type)) + "'");
    }
    return seqs.check(doc.document());
  }

  // ---- the authority's own state ----
  std::optional<ActorKey> authority_key;
  std::string genesis_key_override;  // offline verification replays without the private key
  bool resume_allowed = false;       // open() may start from a snapshot; verification never does
  bool signatures_checked = false;   // verify_log checked every document before replaying
  bool verifying = false;            // verify_log: the registry given may be any the log records

  template <class F>
  auto mutate(F&& handler, std::string_view wire, std::string_view type) -> decltype(handler(std::declval<const SignedDocument&>())) {
    if (!failed && !log.journal_failure().empty()) failed = true;
    if (failed) return fail(Errc::io, "the authority stopped after a journal failure; restart rootgovd");
    std::optional<SignedDocument> doc = take_preverified(wire);
    if (doc) {
      ++signatures_preverified;
    } else {
      auto parsed = SignedDocument::parse(wire);
      if (!parsed) return std::unexpected(parsed.error());
      doc = std::move(*parsed);
      ++signatures_verified_inline;
      if (auto v = doc->verify(registry); !v) return std::unexpected(v.error());
    }
    if (auto c = check_document(*doc, type); !c) return std::unexpected(c.error());
    clock_now = current_time();
    auto result = handler(*doc);
    if (!result) {
      // A refusal stages nothing; an error after staging means state moved without the log.
      if (log.next_index() != log.size()) {
        log.discard();
        failed = true;
      }
      return result;
    }
    if (auto e = commit(); !e) return std::unexpected(e.error());
    if constexpr (std::is_same_v<std::decay_t<decltype(*result)>, Receipt> ||
                  std::is_same_v<std::decay_t<decltype(*result)>, BatchReceipt>) {
      result->durable_ticket = log.last_ticket();
    }
    return result;
  }

  Result<void> load_base(const std::string& text) {
    zone::ParseOptions po;
    po.keep_dnssec = false;
    auto parsed = zone::Zone::from_text(text, po);
    if (!parsed) {
      return fail(Errc::invalid_input, "base zone: " + zone::format_finding(parsed.error().front(), "zone"));
    }
    parsed->strip_dnssec(/*keep_dnskey=*/false);
    auto root = zone::RootZone::from_zone(std::move(*parsed));
    if (!root) return fail(Errc::invalid_input, "base zone: " + join_findings(root.error()));
    zone.emplace(std::move(*root));
    digest = zone::ZoneDigest::of(zone->zone());
    return {};
  }

  Result<void> emit_genesis() {
    Json g = entry("genesis");
    g["authority_key"] = genesis_key_override.empty() ? authority_key->public_key() : genesis_key_override;
    g["model"] = policy->id();
    g["registry"] = registry.fingerprint();
    g["clock"] = mode == ClockMode::simulated ? "simulated" : "real";
    g["base_serial"] = zone->soa().serial;
    g["base_zone_digest"] = digest.hex();
    sign_epoch = clock_now.seconds;
    return emit(std::move(g));
  }

  // What is wrong with the registry given to open() (`registry`): how it differs from `expected`.
  std::string registry_mismatch(const ActorRegistry& expected, const std::string& expected_name) const {
    const std::string copy = (opts.state_dir / kActorsFile).string();
    return "the actor registry given differs from " + expected_name + ": " +
           describe_difference(expected, registry) + ": start with --actors " + copy +
           " or use a new --state";
  }

  // Checks the configuration open() was given (`registry`, `policy`) against the log's current
  // one (that of its last "reconfigured" entry, or of its genesis entry), then sets the
  // configuration replay starts from: the genesis entry's. Verification (`verifying`) accepts a
  // registry of any point of the log and builds the genesis model with opts.resolve_policy.
  Result<void> adopt_genesis_configuration(const Json& genesis,
                                           const std::vector<RecordedConfiguration>& history) {
    const std::string model = field(genesis, "model");
    const std::string fingerprint = field(genesis, "registry");
    const std::string copy = (opts.state_dir / kActorsFile).string();
    if (verifying) {
      bool known = registry.fingerprint() == fingerprint;
      for (const auto& c : history) known = known || registry.fingerprint() == c.registry.fingerprint();
      if (!known) {
        return fail(Errc::conflict,
                    "the actor registry given is none of those the log records (entry 0 or a "
                    "reconfiguration): verify with the state's actors.toml");
      }
    } else if (history.empty()) {
      if (model != policy->id()) {
        return fail(Errc::conflict, "the state was created with model '" + model + "', not '" + policy->id() +
                                        "': start with --model " + model + " or use a new --state");
      }
      if (fingerprint != registry.fingerprint()) {
        auto recorded = ActorRegistry::from_file(opts.state_dir / kActorsFile);
        if (recorded && recorded->fingerprint() == fingerprint) {
          return fail(Errc::conflict,
                      registry_mismatch(*recorded, "the one the state was created with (" + copy + ")"));
        }
        return fail(Errc::conflict, "the actor registry differs from the one the state was created with (" +
                                        copy + "): start with --actors " + copy + " or use a new --state");
      }
    } else {
      const RecordedConfiguration& last = history.back();
      const std::string since = " since the reconfiguration at log entry " + std::to_string(last.index);
      if (last.model != policy->id()) {
        return fail(Errc::conflict, "the state's model is '" + last.model + "'" + since + ", not '" +
                                        policy->id() + "': start with --model " + last.model +
                                        " or use a new --state");
      }
      if (!last.model_definition.empty() && last.model_definition != policy->definition()) {
        return fail(Errc::conflict, "the model file '" + last.model +
                                        "' differs from the text the state adopted" + since +
                                        ": restore it (the log holds that text) or use a new --state");
      }
      if (last.registry.fingerprint() != registry.fingerprint()) {
        // Where the current registry was adopted: the first of the last reconfigurations that
        // all recorded it (none of them, when they replaced only the model).
        std::size_t first = history.size() - 1;
        while (first > 0 && history[first - 1].registry.fingerprint() == last.registry.fingerprint()) --first;
        const std::string adopted =
            history[first].previous_fingerprint == last.registry.fingerprint()
                ? "the one the state was created with"
                : "the state's current one, adopted at log entry " + std::to_string(history[first].index);
        return fail(Errc::conflict, registry_mismatch(last.registry, adopted + " (" + copy + ")"));
      }
    }
    if (history.empty()) {
      base_registry = registry;
      if (verifying) {
        auto p = policy_for(model, "");
        if (!p) return std::unexpected(p.error());
        policy = *p;
      }
      return {};
    }
    const RecordedConfiguration& first = history.front();
    auto genesis_registry = previous_registry(first);
    if (!genesis_registry) return std::unexpected(genesis_registry.error());
    if (genesis_registry->fingerprint() != fingerprint || first.previous_model != model) {
      return fail(Errc::check_failed,
                  "log entry " + std::to_string(first.index) +
                      " (reconfigured) replaced another configuration than that of entry 0");
    }
    auto genesis_policy = policy_for(first.previous_model, first.previous_model_definition);
    if (!genesis_policy) return std::unexpected(genesis_policy.error());
    base_registry = *genesis_registry;
    registry = std::move(*genesis_registry);
    policy = std::move(*genesis_policy);
    return {};
  }

  Result<void> replay(const std::vector<std::string>& lines) {
    auto genesis = Json::parse(lines.front(), kEntryLimits);
    if (!genesis || !genesis->is_object()) return fail(Errc::check_failed, "log entry 0 is not a JSON object");
    auto history = recorded_configurations(lines);
    if (!history) return std::unexpected(history.error());
    if (auto e = adopt_genesis_configuration(*genesis, *history); !e) return e;
    auto clock_text = field(*genesis, "clock");
    if (clock_text != (mode == ClockMode::simulated ? "simulated" : "real")) {
      return fail(Errc::conflict, "the state was created with a " + std::string(clock_text) +
                                      " clock: start with --clock " + std::string(clock_text));
    }
    auto t = parse_time(field(*genesis, "time"));
    if (!t) return fail(Errc::check_failed, "log entry 0 has no valid time");
    const bool resumed = resume_allowed && resume_from_snapshot(lines, *history);
    const std::uint64_t from = log.size();
    replaying = true;
    log.start_replay(&lines);
    auto result = replay_entries(lines, *t, resumed);
    log.end_replay();
    replaying = false;
    startup.replayed_entries = log.size() - from;
    return result;
  }

  // Replays lines[log.size()...]; from genesis unless the state was resumed from a snapshot.
  Result<void> replay_entries(const std::vector<std::string>& lines, Timestamp genesis_time, bool resumed) {
    if (!resumed) {
      clock_now = genesis_time;
      if (auto e = emit_genesis(); !e) return e;
      if (auto e = commit(); !e) return e;
    }
    while (log.size() < lines.size()) {
      std::uint64_t i = log.size();
      auto where = [&](const Error& e) {
        return fail(Errc::check_failed, "replaying entry " + std::to_string(i) + ": " + e.message);
      };
      auto o = Json::parse(lines[i], kEntryLimits);
      if (!o || !o->is_object()) return fail(Errc::check_failed, "log entry " + std::to_string(i) + " is not a JSON object");
      auto event = field(*o, "event");
      auto time = parse_time(field(*o, "time"));
      if (!time) return fail(Errc::check_failed, "log entry " + std::to_string(i) + " has no valid time");
      if (*time < clock_now) return fail(Errc::check_failed, "log entry " + std::to_string(i) + " goes back in time");
      clock_now = *time;
      if (event == "tick") {
        Json t = entry("tick");
        if (auto e = emit(std::move(t)); !e) return where(e.error());
        if (auto f = fire_timeouts(); !f) return where(f.error());
        if (auto e = commit(); !e) return where(e.error());
        continue;
      }
      if (event == "reconfigured") {
        auto recorded = decode_reconfigured(*o, i);
        if (!recorded) return std::unexpected(recorded.error());
        auto next_policy = policy_for(recorded->model, recorded->model_definition);
        if (!next_policy) return where(next_policy.error());
        if (auto r = handle_reconfigure(std::move(recorded->registry), std::move(*next_policy)); !r)
          return where(r.error());
        if (auto e = commit(); !e) return where(e.error());
        continue;
      }
      const Json* document = o->find("document");
      if (document == nullptr) {
        return fail(Errc::check_failed, "log entry " + std::to_string(i) + ": '" + event +
                                            "' is not an input entry and replay did not produce it here");
      }
      auto doc = SignedDocument::from_json(*document);
      if (!doc) return where(doc.error());
      if (!signatures_checked) {
        if (auto v = doc->verify(registry); !v) return where(v.error());
      }
      std::string id = field(*o, "request");
      Result<void> r;
      if (event == "submitted") {
        if (auto c = check_document(*doc, "submit"); !c) return where(c.error());
        auto x = handle_submit(*doc, ReceiptForm::full);
        if (!x) return where(x.error());
      } else if (event == "ballot") {
        if (auto c = check_document(*doc, "ballot"); !c) return where(c.error());
        auto x = handle_ballot(id, *doc, ReceiptForm::full);
        if (!x) return where(x.error());
      } else if (event == "ballots") {
        if (auto c = check_document(*doc, "ballot"); !c) return where(c.error());
        auto x = handle_ballots(*doc, ReceiptForm::full);
        if (!x) return where(x.error());
      } else if (event == "withdrawn") {
        if (auto c = check_document(*doc, "withdraw"); !c) return where(c.error());
        auto x = handle_withdraw(id, *doc);
        if (!x) return where(x.error());
      } else if (event == "clock") {
        if (auto c = check_document(*doc, "admin"); !c) return where(c.error());
        auto x = handle_clock(*doc);
        if (!x) return where(x.error());
      } else {
        return fail(Errc::check_failed, "log entry " + std::to_string(i) + ": unknown event '" + event + "'");
      }
      if (auto e = commit(); !e) return where(e.error());
    }
    return {};
  }

  SignedTreeHead make_tree_head() const {
    TreeHead head;
    head.size = log.size();
    head.root = log.tree().root();
    head.time = clock_now;
    return sign_tree_head(head, *authority_key);
  }

  Result<void> write_tree_head() {
    return write_file_durably(opts.state_dir / kTreeHeadFile, make_tree_head().to_json().canonical() + "\n");
  }
};

}  // namespace rootgov::authority

namespace rootgov::authority {


Authority::Authority(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}

Authority::~Authority() {
  if (m_impl) m_impl->reap_snapshot_writer(/*block=*/true);  // never leave a writer behind
  if (!m_impl || m_impl->failed || !m_impl->log.persistent()) return;
  // Clean shutdown: everything enqueued reaches the disk, then the tree head and a snapshot.
  if (auto flushed = m_impl->log.flush(); !flushed) {
    m_impl->notice("shutdown: " + flushed.error().message);
    return;
  }
  if (auto w = m_impl->write_tree_head(); !w) m_impl->notice("shutdown: tree head not written: " + w.error().message);
  if (m_impl->since_snapshot > 0) {
    if (auto w = m_impl->write_snapshot(); !w) m_impl->notice("shutdown: snapshot not written: " + w.error().message);
  }
}

Result<std::unique_ptr<Authority>> Authority::open(AuthorityOptions options) {
  if (!options.policy) return fail(Errc::invalid_input, "no policy given");
  auto impl = std::make_unique<Impl>();
  impl->opts = options;
  impl->registry = options.registry;
  impl->base_registry = options.registry;
  impl->policy = options.policy;
  impl->mode = options.clock;
  namespace fs = std::filesystem;
  const fs::path dir = options.state_dir;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return fail(Errc::io, "cannot create state directory '" + dir.string() + "': " + ec.message());

  auto lines = impl->log.open(dir / kJournalFile);
  if (!lines) return std::unexpected(lines.error());
  const bool fresh = lines->empty();

  // The authority's own key signs tree heads.
  auto key_path = dir / kAuthorityKeyFile;
  if (fs::exists(key_path)) {
    auto key = ActorKey::from_file(key_path);
    if (!key) return std::unexpected(key.error());
    impl->authority_key = std::move(*key);
  } else if (fresh) {
    impl->authority_key = ActorKey::generate("authority");
    if (auto w = impl->authority_key->write(key_path); !w) return std::unexpected(w.error());
  } else {
    return fail(Errc::io, "state directory '" + dir.string() + "' has a log but no " + std::string(kAuthorityKeyFile));
  }

  std::string base_text;
  if (fresh) {
    base_text = options.base_zone_text;
    if (auto w = write_file_durably(dir / kBaseZoneFile, base_text); !w) return std::unexpected(w.error());
    if (auto w = write_file_durably(dir / kActorsFile, impl->registry.to_toml()); !w) return std::unexpected(w.error());
  } else {
    auto t = read_file(dir / kBaseZoneFile);
    if (!t) return std::unexpected(t.error());
    base_text = std::move(*t);
  }
  if (auto e = impl->load_base(base_text); !e) return std::unexpected(e.error());
  if (auto e = impl->signer.open(dir / "keys", options.dnssec_algorithm, options.sign_threads, fresh); !e) {
    return std::unexpected(e.error());
  }

  if (fresh) {
    impl->clock_now = options.clock == ClockMode::simulated ? options.simulated_start : impl->current_time();
    if (auto e = impl->emit_genesis(); !e) return std::unexpected(e.error());
    if (auto e = impl->commit(); !e) return std::unexpected(e.error());
    if (auto e = impl->log.flush(); !e) return std::unexpected(e.error());
  } else {
    impl->resume_allowed = true;
    if (auto e = impl->replay(*lines); !e) return std::unexpected(e.error());
    impl->since_snapshot = impl->startup.replayed_entries;
  }
  impl->publish_keys();
  if (auto e = impl->signer.sign_full(*impl->zone, impl->sign_epoch); !e) return std::unexpected(e.error());
  impl->zone_dirty = true;
  // A long replay is not repeated at the next start.
  if (options.snapshot_every > 0 && impl->since_snapshot >= options.snapshot_every) {
    if (auto w = impl->write_snapshot(); !w) impl->notice("snapshot not written: " + w.error().message);
  }
  return std::unique_ptr<Authority>(new Authority(std::move(impl)));
}

Result<Receipt> Authority::submit(std::string_view wire, ReceiptForm form) {
  return m_impl->mutate([&](const SignedDocument& doc) { return m_impl->handle_submit(doc, form); }, wire, "submit");
}

Result<Receipt> Authority::ballot(const RequestId& id, std::string_view wire, ReceiptForm form) {
  return m_impl->mutate([&](const SignedDocument& doc) { return m_impl->handle_ballot(id, doc, form); }, wire, "ballot");
}

Result<BatchReceipt> Authority::ballots(std::string_view wire, ReceiptForm form) {
  return m_impl->mutate([&](const SignedDocument& doc) { return m_impl->handle_ballots(doc, form); }, wire, "ballot");
}

Result<Receipt> Authority::withdraw(const RequestId& id, std::string_view wire) {
  return m_impl->mutate([&](const SignedDocument& doc) { return m_impl->handle_withdraw(id, doc); }, wire, "withdraw");
}

Result<Timestamp> Authority::advance_clock(std::string_view wire) {
  return m_impl->mutate([&](const SignedDocument& doc) { return m_impl->handle_clock(doc); }, wire, "admin");
}

void Authority::preverify(std::string_view signed_document) const {
  const Impl& m = *m_impl;
  auto doc = SignedDocument::parse(signed_document);
  if (!doc) return;  // the mutation will say what is wrong
  std::shared_ptr<const ActorRegistry> keys;
  std::uint64_t generation = 0;
  {
    std::lock_guard lock(m.preverified_mutex);
    keys = m.verify_keys;
    generation = m.keys_generation;
  }
  if (!keys || !doc->verify(*keys)) return;
  std::string key(signed_document);
  std::lock_guard lock(m.preverified_mutex);
  if (generation != m.keys_generation) return;  // checked against keys replaced meanwhile
  if (!m.preverified.try_emplace(key, std::move(*doc)).second) return;
  m.preverified_order.push_back(std::move(key));
  while (m.preverified_order.size() > kPreverified) {
    m.preverified.erase(m.preverified_order.front());
    m.preverified_order.pop_front();
  }
}

Result<std::size_t> Authority::tick() {
  Impl& m = *m_impl;
  if (!m.failed && !m.log.journal_failure().empty()) m.failed = true;
  if (m.failed) return fail(Errc::io, "the authority stopped after a journal failure; restart rootgovd");
  if (m.mode != ClockMode::real) return std::size_t{0};
  Timestamp now = m.current_time();
  bool due = false;
  for (const auto& id : m.awaiting_ids) {
    const RequestInfo& r = m.requests.at(id);
    if (r.decision.deadline && *r.decision.deadline <= now) due = true;
  }
  bool resign = now.seconds + kSignatureRefresh >= m.sign_epoch + detail::ZoneSigner::kValidity;
  if (!due && !resign) return std::size_t{0};
  m.clock_now = now;
  Json t = m.entry("tick");
  if (auto e = m.emit(std::move(t)); !e) return std::unexpected(e.error());
  auto fired = m.fire_timeouts();
  if (!fired) {
    m.log.discard();
    return fired;
  }
  if (auto e = m.commit(); !e) return std::unexpected(e.error());
  return fired;
}

Result<ReloadReport> Authority::replace_configuration(ActorRegistry registry,
                                                      std::shared_ptr<const Policy> policy) {
  Impl& m = *m_impl;
  if (!m.failed && !m.log.journal_failure().empty()) m.failed = true;
  if (m.failed) return fail(Errc::io, "the authority stopped after a journal failure; restart rootgovd");
  if (!policy) return fail(Errc::invalid_input, "no policy given");
  if (registry.fingerprint() == m.base_registry.fingerprint() && policy->id() == m.policy->id() &&
      policy->definition() == m.policy->definition()) {
    ReloadReport same;
    same.previous_model = same.model = m.policy->id();
    return same;
  }
  m.clock_now = m.current_time();
  auto report = m.handle_reconfigure(std::move(registry), std::move(policy));
  if (!report) {
    // A refusal stages nothing; an error after staging means state moved without the log.
    if (m.log.next_index() != m.log.size()) {
      m.log.discard();
      m.failed = true;
    }
    return report;
  }
  if (auto e = m.commit(); !e) return std::unexpected(e.error());
  if (auto durable = m.log.wait_durable(m.log.last_ticket()); !durable) {
    m.failed = true;
    return std::unexpected(durable.error());
  }
  if (m.log.persistent()) {
    if (auto w = write_file_durably(m.opts.state_dir / kActorsFile, m.base_registry.to_toml()); !w) {
      report->warnings.push_back("the new registry is adopted and logged, but " +
                                 (m.opts.state_dir / kActorsFile).string() +
                                 " was not rewritten: " + w.error().message);
      m.notice(report->warnings.back());
    }
  }
  return report;
}

// find() and list() word a decision a summary receipt left without words: the request is
// logically unchanged (the words are what the policy gives for the same inputs).
const RequestInfo* Authority::find(const RequestId& id) const {
  RequestInfo* r = m_impl->requests.find(id);
  if (r == nullptr) return nullptr;
  m_impl->word(*r);
  return r;
}

std::vector<const RequestInfo*> Authority::list(std::string_view state, std::string_view tld,
                                                std::string_view awaiting) const {
  std::vector<const RequestInfo*> out;
  for (auto& [id, r] : m_impl->requests) {
    if (!state.empty() && to_string(r.state) != state) continue;
    if (!tld.empty() && r.change.tld != tld) continue;
    if (!awaiting.empty()) {
      if (r.state != RequestState::awaiting) continue;
      const auto& a = r.decision.awaiting;
      if (std::find(a.begin(), a.end(), awaiting) == a.end()) continue;
    }
    m_impl->word(r);
    out.push_back(&r);
  }
  return out;
}

Counters Authority::counters() const {
  const Impl& m = *m_impl;
  Counters c;
  c.serial = m.zone->soa().serial;
  c.tlds = m.zone->tld_count();
  c.requests = m.requests.size();
  c.open_requests = m.awaiting_ids.size();
  c.log_size = m.log.size();
  c.signatures_preverified = m.signatures_preverified;
  c.signatures_verified_inline = m.signatures_verified_inline;
  c.zone_resigns = m.zone_resigns;
  c.snapshots_forked = m.snapshots_forked;
  c.snapshots_inline = m.snapshots_inline;
  c.snapshots_threaded = m.snapshots_threaded;
  c.snapshot_fork_seconds = m.snapshot_fork_seconds;
  return c;
}

Summary Authority::summary() const {
  const Impl& m = *m_impl;
  Summary s;
  static_cast<Counters&>(s) = counters();
  s.model = m.policy->id();
  s.model_title = m.policy->title();
  s.now = now();
  s.clock = m.mode;
  s.zone_digest = m.digest.hex();
  if (!m.signer.keys().empty()) s.zone_key_algorithm = std::string(zone::algorithm_mnemonic(m.signer.keys().front().algorithm()));
  return s;
}

Timestamp Authority::now() const { return m_impl->mode == ClockMode::simulated ? m_impl->clock_now : m_impl->current_time(); }
const ActorRegistry& Authority::registry() const { return m_impl->registry; }
const Policy& Authority::policy() const { return *m_impl->policy; }

Result<void> Authority::sign_pending() { return m_impl->sign_pending(); }
bool Authority::signing_pending() const { return !m_impl->unsigned_names.empty(); }

const std::string& Authority::zone_text() const {
  if (auto r = m_impl->sign_pending(); !r) {
    // The keys signed the zone at open, so this means the crypto library failed; serve what
    // there is (the changed sets unsigned) and retry at the next reading.
    m_impl->zone_dirty = true;
  }
  if (m_impl->zone_dirty) {
    m_impl->zone_text_cache = zone::to_text(m_impl->zone->zone());
    m_impl->zone_dirty = false;
  }
  return m_impl->zone_text_cache;
}

std::uint32_t Authority::serial() const { return m_impl->zone->soa().serial; }
std::uint64_t Authority::log_size() const { return m_impl->log.size(); }

std::vector<std::string> Authority::log_entries(std::uint64_t from, std::uint64_t max) const {
  const auto& lines = m_impl->log.lines();
  std::vector<std::string> out;
  for (std::uint64_t i = from; i < lines.size() && out.size() < max; ++i) out.push_back(lines[i]);
  return out;
}

SignedTreeHead Authority::tree_head() const { return m_impl->make_tree_head(); }

Result<std::vector<std::string>> Authority::inclusion_proof(std::uint64_t index, std::uint64_t size) const {
  return m_impl->log.inclusion_proof(index, size);
}

Result<std::vector<std::string>> Authority::consistency_proof(std::uint64_t first, std::uint64_t second) const {
  return m_impl->log.consistency_proof(first, second);
}

std::string Authority::public_key() const { return m_impl->authority_key->public_key(); }

void Authority::set_listener(std::function<void(const Event&)> listener) { m_impl->listener = std::move(listener); }

Result<void> Authority::snapshot() {
  Impl& m = *m_impl;
  if (m.failed) return fail(Errc::io, "the authority stopped after a journal failure; restart rootgovd");
  if (!m.log.persistent()) return {};
  if (auto flushed = m.log.flush(); !flushed) {
    m.failed = true;
    return flushed;
  }
  if (auto w = m.write_tree_head(); !w) return w;
  return m.write_snapshot();
}

bool Authority::wait_snapshot_writer() {
  const bool running = m_impl->writer_running();
  m_impl->reap_snapshot_writer(/*block=*/true);
  return running;
}

std::uint64_t Authority::last_ticket() const { return m_impl->log.last_ticket(); }

Result<void> Authority::wait_durable(std::uint64_t ticket) const { return m_impl->log.wait_durable(ticket); }

void Authority::observe_journal_flushes(std::function<void(double seconds, std::size_t records)> observer) {
  m_impl->log.set_journal_observer(std::move(observer));
}

const StartupReport& Authority::startup() const { return m_impl->startup; }

}  // namespace rootgov::authority

namespace rootgov::authority {

Result<std::vector<std::string>> read_audit_log(const std::filesystem::path& path) {
  namespace fs = std::filesystem;
  if (fs::is_directory(path)) {
    // Work on a copy: opening a journal may cut a torn tail, and verification changes nothing.
    fs::path tmp = fs::temp_directory_path() / ("rootgov-verify-" + std::to_string(::getpid()) + ".journal");
    std::error_code ec;
    fs::copy_file(path / kJournalFile, tmp, fs::copy_options::overwrite_existing, ec);
    if (ec) return fail(Errc::io, "cannot read '" + (path / kJournalFile).string() + "': " + ec.message());
    detail::AuditLog log;
    auto lines = log.open(tmp);
    fs::remove(tmp, ec);
    if (!lines) return std::unexpected(lines.error());
    return lines;
  }
  auto text = read_file(path);
  if (!text) return std::unexpected(text.error());
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text->size()) {
    std::size_t end = text->find('\n', start);
    if (end == std::string::npos) end = text->size();
    if (end > start) lines.push_back(text->substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

LogVerifyReport Authority::verify_log(const LogVerifyOptions& options) {
  namespace fs = std::filesystem;
  LogVerifyReport report;
  auto bad = [&](std::optional<std::uint64_t> index, std::string message) {
    report.ok = false;
    report.first_bad = index;
    report.message = std::move(message);
    return report;
  };
  const bool is_dir = fs::is_directory(options.log);
  const fs::path beside = is_dir ? options.log : options.log.parent_path();
  auto lines = read_audit_log(options.log);
  if (!lines) return bad(std::nullopt, lines.error().message);
  report.entries = lines->size();
  if (lines->empty()) return bad(std::nullopt, "the log is empty");

  // 1. Chain and indexes: pins an edit, a deletion or a reordering to the first entry concerned.
  std::string prev;
  for (std::uint64_t i = 0; i < lines->size(); ++i) {
    auto o = Json::parse((*lines)[i], kEntryLimits);
    if (!o || !o->is_object()) return bad(i, "entry " + std::to_string(i) + " is not a JSON object");
    const Json* index = o->find("index");
    if (index == nullptr || index->as_uint64() != i) {
      return bad(i, "entry " + std::to_string(i) + " carries the wrong index: an entry before it was removed, or entries were reordered");
    }
    if (field(*o, "prev") != prev) {
      return bad(i == 0 ? 0 : i - 1, "entry " + std::to_string(i - 1) + " was altered: its hash does not match the 'prev' of entry " +
                                       std::to_string(i));
    }
    if (o->canonical() != (*lines)[i]) {
      return bad(i, "entry " + std::to_string(i) + " is not in canonical form (edited by hand?)");
    }
    prev = detail::sha256_hex((*lines)[i]);
  }

  auto genesis = Json::parse(lines->front(), kEntryLimits).value();
  report.model = field(genesis, "model");
  std::string authority_key = field(genesis, "authority_key");
  auto history = recorded_configurations(*lines);
  if (!history) return bad(std::nullopt, history.error().message);
  report.reconfigurations = history->size();
  if (!history->empty()) report.model = history->back().model;

  // 2. Actor signatures against the registry in force at each entry: the one given when the
  // log was never reconfigured; otherwise the genesis registry (rebuilt from the first
  // reconfiguration) up to the first "reconfigured" entry and each recorded one after its own.
  fs::path actors_path = options.actors.empty() ? beside / kActorsFile : options.actors;
  auto registry = ActorRegistry::from_file(actors_path);
  if (!registry) return bad(std::nullopt, registry.error().message);
  std::vector<std::pair<std::uint64_t, const ActorRegistry*>> in_force{{0, &*registry}};
  std::optional<ActorRegistry> genesis_registry;
  if (!history->empty()) {
    auto g = previous_registry(history->front());
    if (!g) return bad(history->front().index, g.error().message);
    if (g->fingerprint() != field(genesis, "registry")) {
      return bad(history->front().index,
                 "entry " + std::to_string(history->front().index) +
                     " (reconfigured) replaced another registry than that of entry 0");
    }
    bool known = registry->fingerprint() == g->fingerprint();
    for (const auto& c : *history) known = known || registry->fingerprint() == c.registry.fingerprint();
    if (!known) {
      return bad(std::nullopt, "the actor registry '" + actors_path.string() +
                                   "' is none of those the log records (entry 0 or a reconfiguration)");
    }
    genesis_registry = std::move(*g);
    in_force = {{0, &*genesis_registry}};
    for (const auto& c : *history) in_force.emplace_back(c.index, &c.registry);
  }
  auto registry_at = [&](std::uint64_t index) -> const ActorRegistry& {
    auto it = std::upper_bound(in_force.begin(), in_force.end(), index,
                               [](std::uint64_t i, const auto& segment) { return i < segment.first; });
    return *std::prev(it)->second;
  };
  {
    // Ed25519 checks dominate: spread them over the cores in interleaved slices; the first bad
    // entry is the smallest index any slice found.
    const unsigned threads = std::clamp(std::thread::hardware_concurrency(), 1U, 8U);
    struct Slice {
      std::optional<std::uint64_t> first_bad;
      std::string message;
      std::uint64_t documents = 0;
    };
    std::vector<Slice> slices(threads);
    auto check = [&](unsigned t) {
      Slice& slice = slices[t];
      for (std::uint64_t i = t; i < lines->size(); i += threads) {
        auto o = Json::parse((*lines)[i], kEntryLimits).value();
        const Json* document = o.find("document");
        if (document == nullptr) continue;
        auto doc = SignedDocument::from_json(*document);
        auto verified = doc ? doc->verify(registry_at(i)) : Result<void>(std::unexpected(doc.error()));
        if (!verified) {
          slice.first_bad = i;
          slice.message = "entry " + std::to_string(i) + ": " + verified.error().message;
          return;
        }
        ++slice.documents;
      }
    };
    std::vector<std::thread> workers;
    for (unsigned t = 1; t < threads; ++t) workers.emplace_back(check, t);
    check(0);
    for (auto& w : workers) w.join();
    const Slice* worst = nullptr;
    for (const auto& slice : slices) {
      report.documents += slice.documents;
      if (slice.first_bad && (worst == nullptr || *slice.first_bad < *worst->first_bad)) worst = &slice;
    }
    if (worst != nullptr) {
      report.documents = 0;
      return bad(worst->first_bad, worst->message);
    }
  }

  // 3. Replay from the base zone: every derived entry and digest must come out the same.
  if (options.replay) {
    if (!options.resolve_policy) return bad(std::nullopt, "no policy resolver given for replay");
    fs::path base_path = options.base_zone.empty() ? beside / kBaseZoneFile : options.base_zone;
    auto base = read_file(base_path);
    if (!base) return bad(std::nullopt, "replay needs the base zone: " + base.error().message + " (pass --base-zone)");
    Impl impl;
    impl.registry = *registry;
    impl.opts.resolve_policy = options.resolve_policy;
    impl.verifying = true;  // replay() sets the genesis configuration from the log
    impl.mode = field(genesis, "clock") == "simulated" ? ClockMode::simulated : ClockMode::real;
    auto key = ActorKey::generate("authority");
    impl.authority_key = key;
    if (auto e = impl.load_base(*base); !e) return bad(std::nullopt, e.error().message);
    // The genesis entry names the authority's key; replay it with that key's public half.
    impl.genesis_key_override = authority_key;
    impl.signatures_checked = true;  // step 2 verified every document of these very lines
    if (auto e = impl.replay(*lines); !e) {
      std::optional<std::uint64_t> where = impl.log.mismatch().value_or(impl.log.size());
      if (impl.log.size() == 0 && e.error().code == Errc::conflict)
        where = std::nullopt;  // the registry given
      return bad(where, e.error().message);
    }
  }
  // 4. Merkle tree and the signed tree head.
  MerkleTree tree;
  for (const auto& line : *lines) tree.append(line);
  report.root_hex = to_hex(tree.root());
  fs::path sth_path = options.tree_head.empty() ? beside / kTreeHeadFile : options.tree_head;
  if (fs::exists(sth_path)) {
    auto text = read_file(sth_path);
    if (!text) return bad(std::nullopt, text.error().message);
    auto sth = SignedTreeHead::parse(*text);
    if (!sth) return bad(std::nullopt, "tree head '" + sth_path.string() + "': " + sth.error().message);
    if (auto v = verify_tree_head(*sth, authority_key); !v) {
      return bad(std::nullopt, "the signed tree head does not verify with the authority key of entry 0");
    }
    if (sth->head.size > lines->size()) {
      return bad(lines->size(), "the log is truncated: the signed tree head covers " + std::to_string(sth->head.size) +
                                    " entries, the log holds " + std::to_string(lines->size()));
    }
    auto root = tree.root_at(sth->head.size);
    if (!root || *root != sth->head.root) {
      return bad(std::nullopt, "the Merkle root of the first " + std::to_string(sth->head.size) +
                                   " entries does not match the signed tree head");
    }
  } else if (!options.tree_head.empty()) {
    return bad(std::nullopt, "no tree head at '" + sth_path.string() + "'");
  }

  report.ok = true;
  report.message =
      "ok: " + std::to_string(report.entries) + " entries, " + std::to_string(report.documents) +
      " signatures, root " + report.root_hex.substr(0, 16) + "…, model '" + report.model + "'" +
      (report.reconfigurations > 0 ? " (" + std::to_string(report.reconfigurations) + " reconfigurations)"
                                   : std::string()) +
      (options.replay ? ", replay reproduces every decision and zone digest" : "");
  return report;
}

}  // namespace rootgov::authority
