// daemon/src/authority_api.hpp - the control API served by a real Authority.
//
// open_authority() turns the daemon configuration into an open Authority (state directory,
// base zone, actor registry, model, clock); AuthorityApi implements Api over it. Every Api
// method runs on the authority executor (api.hpp), which is the Authority's single owner.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <rootgov/authority/authority.hpp>
#include <rootgov/common/result.hpp>

#include "api.hpp"
#include "config.hpp"
#include "metrics.hpp"
#include "publisher.hpp"

namespace rootgov::daemon {

class EventHub;
class Metrics;

/// What open_authority() did, for the start-up log.
struct OpenedAuthority {
  std::unique_ptr<authority::Authority> authority;
  std::vector<std::string> notices;  ///< one line each: lab keys written, settings resumed, ...
};

/// The settings a state directory was created with (<state>/rootgovd.toml): a resumed state
/// takes them unless the command line says otherwise (then the Authority names the mismatch).
struct StateSettings {
  std::string model;
  std::string clock;
};

/// Opens or creates the authority for `config`. For a new state without --actors, a lab is
/// written to <state>/lab (actors.toml and one private key per actor) and used; a resumed state
/// without --actors uses the registry recorded in <state>/actors.toml. Without --zone the
/// embedded default root zone is the base. `explicit_model` / `explicit_clock`: whether the
/// command line set them (otherwise a resumed state keeps what it was created with).
Result<OpenedAuthority> open_authority(DaemonConfig& config, bool explicit_model, bool explicit_clock);

class AuthorityApi final : public Api {
 public:
  /// `events` and `metrics` must outlive this object.
  AuthorityApi(std::unique_ptr<authority::Authority> authority, EventHub& events, Metrics& metrics);
  ~AuthorityApi() override;

  /// Starts background work on the daemon's executors: writing the published zone to
  /// <state_dir>/root.zone (publisher.hpp) and, with the real clock, firing due timeouts once
  /// a second. Call once, before the executors run. `fork_tlds` and `publish_interval` are the
  /// config's [publish] fork_tlds and interval_ms.
  void start(const boost::asio::any_io_executor& authority_executor, const boost::asio::any_io_executor& files,
             const std::filesystem::path& state_dir, std::size_t fork_tlds = 20000,
             std::chrono::milliseconds publish_interval = std::chrono::milliseconds(1000));
  /// SIGHUP: flush, snapshot, rewrite the signed tree head (runs on the authority executor).
  Result<void> checkpoint();
  /// SIGHUP, after checkpoint(): adopts `registry` and `policy` where they differ from those in
  /// force (Authority::replace_configuration; the "reconfigured" entry and whatever it decided
  /// reach the event stream like every entry). Returns, for the "reloaded" log line, what changed
  /// as key=value pairs; a refusal is the error, and the configuration in force stays.
  Result<std::string> reload(authority::ActorRegistry registry,
                             std::shared_ptr<const authority::Policy> policy);

  ApiResult<RequestJson> submit_request(std::string_view signed_document, bool minimal) override;
  ApiResult<RequestJson> get_request(std::string_view id) override;
  ApiResult<Json> list_requests(const RequestFilter& filter) override;
  ApiResult<RequestJson> post_ballot(std::string_view id, std::string_view signed_document, bool minimal) override;
  ApiResult<RequestJson> post_batch_ballot(std::string_view signed_document, bool minimal) override;
  ApiResult<RequestJson> withdraw_request(std::string_view id, std::string_view signed_document) override;
  ApiResult<ZoneText> zone() override;
  ApiResult<LogPage> log_entries(std::uint64_t from, std::uint64_t max) override;
  ApiResult<Json> tree_head() override;
  ApiResult<Json> inclusion_proof(std::uint64_t index, std::uint64_t size) override;
  ApiResult<Json> consistency_proof(std::uint64_t first, std::uint64_t second) override;
  ApiResult<Json> clock() override;
  ApiResult<Json> advance_clock(std::string_view signed_document) override;
  ApiResult<Json> actors() override;
  ApiResult<Json> model() override;
  ApiResult<Json> summary() override;

  /// Waits for the last mutation's journal record (the authority runs with deferred durability).
  std::function<Result<void>()> durability_wait() override;
  void prepare_mutation(std::string_view signed_document) override;

  authority::Authority& authority() { return *m_authority; }

 private:
  /// `minimal`: the receipt was asked for in ReceiptForm::summary; only render_minimal is offered.
  ApiResult<RequestJson> receipt(Result<authority::Receipt> result, std::string_view what, bool minimal = false);
  /// Counts a refused mutation of `kind` (rootgov_refused_total) and returns its problem.
  Problem refused(const Error& error, std::string_view kind);
  void arm_ticker();
  void refresh_gauges();
  void export_resigns(std::uint64_t total);  // rootgov_zone_sign_batches_total up to `total`
  void changed();  // after a mutation: gauges, deferred signing, and the zone file

  // The metrics updated after every mutation, resolved once: a registry lookup validates the
  // name and renders and sorts the labels under a lock, which several times per change was ~5%
  // of the daemon's own (non-crypto) instructions.
  struct Instruments {
    explicit Instruments(Metrics& m);
    /// rootgov_events_total{type=...}; the authority executor only (where events are emitted).
    Counter& event(const std::string& type);

    Metrics& metrics;
    Gauge& log_size;
    Gauge& zone_serial;
    Gauge& tlds;
    Gauge& open_requests;
    Counter& checks_ahead;
    Counter& checks_authority;
    Counter& sign_batches;
    Counter& snapshots_forked;
    Counter& snapshots_inline;
    Counter& snapshots_thread;
    Gauge& snapshot_fork_seconds;
    Counter& log_entries;
    Histogram& journal_flush_seconds;
    Histogram& journal_flush_records;
    std::vector<std::pair<std::string, Counter*>> events;  // by type, as first met
  };

  std::unique_ptr<authority::Authority> m_authority;
  EventHub& m_events;
  Metrics& m_metrics;
  Instruments m_instruments;
  std::unique_ptr<boost::asio::steady_timer> m_ticker;
  std::unique_ptr<Publisher> m_publisher;
  std::optional<boost::asio::any_io_executor> m_authority_executor;  // set by start()
  bool m_sign_posted = false;  // a sign_pending() task is queued on the authority executor
};

}  // namespace rootgov::daemon
