// rootgov/authority/authority.hpp - the authority: signed requests and ballots in, decisions
// and zone changes out, everything recorded in the audit log.
//
// Pure: no sockets. One owner: an Authority is not thread-safe; the daemon calls it from one
// strand. The one exception is wait_durable(), which any thread may call at any time.
// Durability: by default every mutation is durable before it returns success (journal fsync,
// group commit). With AuthorityOptions::defer_durability a mutation returns as soon as its
// entries are queued, with a ticket; the caller MUST NOT acknowledge it to anyone before
// wait_durable(ticket) has returned success (docs/design/workflow.md "Durability").
// The audit log is the source of truth: opening a state directory replays it, from the last
// valid snapshot when there is one.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <rootgov/authority/actors.hpp>
#include <rootgov/authority/merkle.hpp>
#include <rootgov/authority/policy.hpp>
#include <rootgov/authority/request.hpp>
#include <rootgov/authority/types.hpp>

namespace rootgov::authority {

enum class ClockMode { real, simulated };

struct AuthorityOptions {
  std::filesystem::path state_dir;     ///< created when absent; resumed when it holds a log
  std::string base_zone_text;          ///< the zone a new state starts from (ignored on resume)
  ActorRegistry registry;
  std::shared_ptr<const Policy> policy;
  ClockMode clock = ClockMode::real;
  Timestamp simulated_start{1132272000};  ///< 2005-11-18 (Tunis), for a new simulated state
  std::string dnssec_algorithm = "rsasha256";  ///< zone keys made for a new state
  unsigned sign_threads = 0;           ///< 0: one per core
  std::uint64_t snapshot_every = 10000;  ///< log entries between snapshots (0: only snapshot())
  /// true: periodic snapshots are written off the owner thread (rootgovd sets it). From
  /// fork_snapshot_tlds TLDs on, a forked child encodes and writes them from a copy-on-write
  /// image of the state (the owner thread pays only the fork: the zone text dominates); below
  /// that the owner thread encodes them (the open requests, the requests finished since the last
  /// snapshot, the zone) and a thread writes and syncs the files. Shutdown and snapshot() write
  /// on the owner thread.
  bool fork_snapshots = false;
  std::size_t fork_snapshot_tlds = 20000;
  /// false: a mutation returns after its journal record is on disk. true: it returns once the
  /// record is queued; Receipt::durable_ticket / last_ticket() name it for wait_durable().
  bool defer_durability = false;
  /// Operational notices (a snapshot ignored or not written, ...); default: standard error.
  std::function<void(std::string_view)> notice;
  /// Clock source for ClockMode::real (tests inject one); default: the system clock.
  std::function<Timestamp()> real_clock;
  /// Builds the models a log's "reconfigured" entries name (and the one a reconfiguration
  /// replaced) when they are not `policy`. Needed only to replay a log whose model was replaced.
  PolicyResolver resolve_policy;
};

/// How much of a request a mutation's receipt must carry. `summary`: what
/// request_summary_json shows (id, state, awaited actors, serial) is exact, but a decision that
/// leaves the request pending may lack its words (rules_applied, ballots_counted, approvers,
/// stages, explanation; Policy::route), so the policy is not asked to word a decision nobody
/// reads yet. find() and list() always give the whole request, worded as the policy would have
/// worded it at that input (docs/design/workflow.md "Decisions worded when read").
enum class ReceiptForm { full, summary };

/// What the authority reports after a mutation: the request as it stands now.
struct Receipt {
  RequestInfo request;
  std::uint64_t log_index = 0;         ///< the entry that recorded the input
  /// Pass to Authority::wait_durable before acknowledging (already durable unless
  /// AuthorityOptions::defer_durability).
  std::uint64_t durable_ticket = 0;
};

/// What Authority::ballots reports: every request the batch named, in the document's order, as
/// it stands after the batch. The pointers are into the authority's state: valid, and showing
/// the batch's outcome, until the next mutation (owner thread; copy what must outlive it).
struct BatchReceipt {
  std::vector<const RequestInfo*> requests;
  std::uint64_t log_index = 0;         ///< the one "ballots" entry that recorded the document
  std::uint64_t durable_ticket = 0;    ///< as Receipt::durable_ticket
};

/// What Authority::replace_configuration did.
struct ReloadReport {
  bool changed = false;           ///< false: same registry and model; nothing was recorded
  std::vector<ActorId> added;     ///< actors only the new registry has
  std::vector<ActorId> removed;   ///< actors only the old registry had
  std::vector<ActorId> modified;  ///< actors in both whose record differs (key, roles, ...)
  bool model_changed = false;     ///< another model id, or the same model file with other text
  std::string previous_model;
  std::string model;
  std::vector<RequestId> decided;     ///< open requests that the new configuration decided at once
  std::vector<std::string> warnings;  ///< adopted anyway: a TLD left without a manager, ...
  std::uint64_t log_index = 0;        ///< the "reconfigured" entry (when changed)
};

/// How open() rebuilt the state.
struct StartupReport {
  bool from_snapshot = false;
  std::uint64_t snapshot_entries = 0;   ///< entries the snapshot covered (0 without one)
  std::uint64_t replayed_entries = 0;   ///< entries replayed through the workflow
  std::string note;                     ///< why a snapshot present was not used, or ""
};

/// The figures of Summary that move with every mutation, without its strings (model, digest,
/// algorithm): cheap enough to read after each mutation, as the daemon's gauges do.
struct Counters {
  std::uint32_t serial = 0;
  std::size_t tlds = 0;
  std::size_t requests = 0;
  std::size_t open_requests = 0;
  std::uint64_t log_size = 0;
  /// Signature checks of mutations since open: done ahead by preverify(), or on the owner thread.
  std::uint64_t signatures_preverified = 0;
  std::uint64_t signatures_verified_inline = 0;
  /// Deferred incremental re-signs done since open (each covers every change made before it).
  std::uint64_t zone_resigns = 0;
  /// Periodic snapshots since open: written by a forked child, and those written on the owner
  /// thread (fork_snapshots off, or the fork failed); the last fork's cost to the owner thread.
  std::uint64_t snapshots_forked = 0;
  std::uint64_t snapshots_inline = 0;
  std::uint64_t snapshots_threaded = 0;   ///< encoded on the owner thread, written by a thread
  double snapshot_fork_seconds = 0;
};

/// The authority at a glance (`rootgov status`): its counters and the strings beside them.
struct Summary : Counters {
  std::string model;
  std::string model_title;
  Timestamp now;
  ClockMode clock = ClockMode::real;
  std::string zone_digest;
  /// The zone keys' DNSSEC algorithm mnemonic ("RSASHA256", "ECDSAP256SHA256", "ED25519").
  std::string zone_key_algorithm;
};

/// Something that happened, for live watchers (the daemon's event stream).
struct Event {
  std::uint64_t index = 0;
  std::string type;     ///< "submitted", "ballot", "decided", "implemented", "published", ...
  std::string json;     ///< the audit-log entry
};

/// Offline verification of an audit log (`rootgov log verify`).
struct LogVerifyOptions {
  std::filesystem::path log;              ///< a state directory, or a JSON-lines log file
  std::filesystem::path actors;           ///< registry; default: <dir>/actors.toml or beside the file
  std::filesystem::path base_zone;        ///< default: <dir>/base.zone or beside the file
  std::filesystem::path tree_head;        ///< a signed tree head to check; default: <dir>/sth.json
  /// Builds the models the log names: its first entry's (by id) and each reconfiguration's.
  PolicyResolver resolve_policy;
  bool replay = true;                     ///< replay the log and compare every derived entry
};

struct LogVerifyReport {
  bool ok = false;
  std::uint64_t entries = 0;
  std::uint64_t documents = 0;            ///< actor signatures verified
  std::optional<std::uint64_t> first_bad; ///< the first entry found wrong
  std::string message;                    ///< what is wrong, or a one-line summary when ok
  std::string root_hex;                   ///< Merkle root over all entries
  std::string model;                      ///< the model in force at the end of the log
  std::uint64_t reconfigurations = 0;     ///< "reconfigured" entries
};

/// The entries of an audit log as JSON lines: from a state directory's journal (read from a
/// copy, so a torn tail is not cut) or from a JSON-lines file.
Result<std::vector<std::string>> read_audit_log(const std::filesystem::path& file_or_dir);

class Authority {
 public:
  /// Checks a log offline: the hash chain and indexes, every actor signature against the
  /// registry in force when it was logged, every ballot against what the policy awaited (by
  /// replay), the Merkle tree and the signed tree head, and that replay from the base zone
  /// reproduces each recorded digest. The registry given may be the one of the genesis entry or
  /// any a reconfiguration recorded (a state's actors.toml is the last one); the others are
  /// rebuilt from the log.
  static LogVerifyReport verify_log(const LogVerifyOptions& options);

  ~Authority();
  Authority(const Authority&) = delete;
  Authority& operator=(const Authority&) = delete;

  /// Opens (or creates) a state directory. A resumed state must be given its current registry
  /// and model: those of its genesis entry, or of its last "reconfigured" entry when it has one;
  /// otherwise the error says what differs. A torn last journal record is dropped; damage
  /// before it is tampering and stops the open.
  static Result<std::unique_ptr<Authority>> open(AuthorityOptions options);

  /// Each takes the wire form of a signed document ({"document": {...}, "signature": "..."}).
  /// `form`: see ReceiptForm (the state the mutation leaves is the same either way).
  Result<Receipt> submit(std::string_view signed_document, ReceiptForm form = ReceiptForm::full);
  Result<Receipt> ballot(const RequestId& id, std::string_view signed_document, ReceiptForm form = ReceiptForm::full);
  Result<Receipt> withdraw(const RequestId& id, std::string_view signed_document);
  /// A batch ballot: one signed "ballot" document whose body names several requests
  /// ({"requests": [id, ...], "vote", "comment"}), as a desk that approves a queue of routine
  /// changes at once. All or nothing: every request must exist, be awaiting ballots and await
  /// (or accept advice from) the signer, no id may repeat, at most kMaxBatch ids; otherwise
  /// nothing is recorded and the error lists every request refused and why. Accepted, it is
  /// one "ballots" log entry, then each request is counted and evaluated in the document's
  /// order, exactly as if it had received its own ballot (docs/design/workflow.md "Batch ballots").
  /// With ReceiptForm::summary the receipt's pending requests may lack their decisions' words.
  Result<BatchReceipt> ballots(std::string_view signed_document, ReceiptForm form = ReceiptForm::full);
  static constexpr std::size_t kMaxBatch = 1000;
  /// An administrative clock advance, signed by an actor with role "instructor" (simulated
  /// clock only). Timeouts that the new time passes fire in deadline order.
  Result<Timestamp> advance_clock(std::string_view signed_document);
  /// Checks a signed document's signature ahead of time, on any thread (thread-safe; uses the
  /// registry in force; a reconfiguration forgets every document checked before it). When the
  /// owner thread later receives the
  /// same bytes through submit/ballot/withdraw/advance_clock, it skips the signature check, so
  /// the Ed25519 verification runs beside the owner instead of on it. Optional: without it
  /// every mutation verifies on the owner thread. Failures are not reported here: the
  /// mutation itself reports them. At most kPreverified documents wait; older ones are
  /// forgotten (and verified again if they come).
  void preverify(std::string_view signed_document) const;
  static constexpr std::size_t kPreverified = 4096;

  /// For the real clock: fires the timeouts that are due now. Returns how many fired.
  Result<std::size_t> tick();

  /// Adopts a new actor registry and model (rootgovd's SIGHUP; docs/design/workflow.md
  /// "Reconfiguration"). Same registry (fingerprint) and model (id and definition): records
  /// nothing, changed = false. Otherwise it first checks the new configuration; a refusal
  /// (Errc::conflict, every reason in the message) changes nothing. Refused: an empty registry;
  /// an open request whose requester, awaited actor, voter or new manager (transfer) would be
  /// missing; an open request whose TLD would lose or change its manager; a transfer's new
  /// manager missing. Then it appends one "reconfigured" entry holding the new registry in full,
  /// its fingerprint and the model (with a model file's text), adopts both (TLD management moved
  /// by transfers is kept), and re-evaluates every open request at once under them, logging
  /// whatever that decides. Returns once the entries are on disk (whatever defer_durability
  /// says), then rewrites <state>/actors.toml with the new registry (atomically; a failure there
  /// is a warning: the log is the record). Owner thread only.
  Result<ReloadReport> replace_configuration(ActorRegistry registry, std::shared_ptr<const Policy> policy);

  /// The durability ticket of the last mutation that recorded anything (advance_clock, tick, or
  /// the same value as that mutation's Receipt::durable_ticket). Owner thread only; read it
  /// right after the mutation. A refused mutation records nothing and leaves it unchanged.
  std::uint64_t last_ticket() const;
  /// Blocks until the mutation holding `ticket`, and every mutation before it, is on disk.
  /// Thread-safe: may run on any thread while the owner keeps mutating; concurrent waiters
  /// share one fdatasync. Errc::invalid_input for a ticket never issued; Errc::io when the
  /// journal failed (the mutation is then NOT durable, and the authority refuses every further
  /// mutation until it is reopened).
  Result<void> wait_durable(std::uint64_t ticket) const;
  /// Tells `observer` of every write+fdatasync round of the journal: its wall time in seconds
  /// and how many mutations it made durable (one journal record each). It runs on the thread
  /// that led the round (a waiter's), outside every lock; it must be thread-safe. Set it before
  /// mutations run concurrently. Nothing is observed for an in-memory authority.
  void observe_journal_flushes(std::function<void(double seconds, std::size_t records)> observer);

  /// How this instance was started (snapshot or full replay).
  const StartupReport& startup() const;

  const RequestInfo* find(const RequestId& id) const;
  /// Requests filtered by state name, TLD and awaited actor (empty = any), newest last.
  std::vector<const RequestInfo*> list(std::string_view state = {}, std::string_view tld = {},
                                       std::string_view awaiting = {}) const;
  Summary summary() const;
  /// summary()'s figures alone (the same values).
  Counters counters() const;
  Timestamp now() const;
  /// The registry in force (the last one adopted, with TLD management as transfers moved it).
  const ActorRegistry& registry() const;
  /// The model in force.
  const Policy& policy() const;

  /// The published signed zone (master-file text) and its serial. Signs what changed since the
  /// last reading first (see sign_pending), so the text is always fully signed.
  const std::string& zone_text() const;
  /// Re-signs the sets changed since the zone was last signed (signing is deferred from each
  /// change to the next reading of the signed zone, so changes that come together share one
  /// SOA signature). The daemon calls it once the mutations queued behind a change have run.
  /// A no-op when nothing is pending. Errors: the signer's (the zone is then left partly
  /// unsigned until a later call succeeds).
  Result<void> sign_pending();
  /// Whether some changed sets are not signed yet.
  bool signing_pending() const;
  std::uint32_t serial() const;

  std::uint64_t log_size() const;
  /// Audit-log entries [from, from+max) as JSON lines (without the newline).
  std::vector<std::string> log_entries(std::uint64_t from, std::uint64_t max) const;
  /// The current signed tree head (signed on demand with the authority's key).
  SignedTreeHead tree_head() const;
  /// Inclusion proof of entry `index` in the tree of `size`: hashes in hex.
  Result<std::vector<std::string>> inclusion_proof(std::uint64_t index, std::uint64_t size) const;
  Result<std::vector<std::string>> consistency_proof(std::uint64_t first, std::uint64_t second) const;
  /// The authority's own public key (base64), which signs tree heads.
  std::string public_key() const;

  /// Called after every appended entry (from the caller's thread).
  void set_listener(std::function<void(const Event&)> listener);

  /// Flushes the journal, then writes the signed tree head and a snapshot of the state (also
  /// done every `snapshot_every` entries and by the destructor). A snapshot only shortens the
  /// next open(); it never overrides the journal.
  Result<void> snapshot();
  /// Waits until a forked snapshot writer (AuthorityOptions::fork_snapshots) has ended; true if
  /// one was running. Owner thread only. The destructor and snapshot() wait as well.
  bool wait_snapshot_writer();

  struct Impl;

 private:
  explicit Authority(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> m_impl;
};

}  // namespace rootgov::authority
