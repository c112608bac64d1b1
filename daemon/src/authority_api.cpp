// daemon/src/authority_api.cpp - the control API over a real Authority.
#include "authority_api.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <boost/asio/post.hpp>
#include <boost/json/parse.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <toml.hpp>

#include <rootgov/authority/json.hpp>
#include <rootgov/authority/merkle.hpp>
#include <rootgov/policies/registry.hpp>
#include <rootgov/zone/dnssec_key.hpp>
#include <rootgov/zone/embedded.hpp>
#include <rootgov/zone/root_zone.hpp>
#include <rootgov/zone/zone.hpp>

#include "event_hub.hpp"
#include "metrics.hpp"

namespace rootgov::daemon {

namespace {

namespace fs = std::filesystem;
namespace auth = rootgov::authority;

constexpr std::string_view kSettingsFile = "rootgovd.toml";

Result<std::string> read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(Errc::io, "cannot read '" + path.string() + "'");
  std::ostringstream s;
  s << in.rdbuf();
  if (in.bad()) return fail(Errc::io, "cannot read '" + path.string() + "'");
  return s.str();
}

Result<StateSettings> read_settings(const fs::path& path) {
  try {
    auto root = toml::parse(path.string());
    return StateSettings{toml::find<std::string>(root, "model"), toml::find<std::string>(root, "clock")};
  } catch (const std::exception& e) {
    return fail(Errc::invalid_input, fmt::format("{}: {}", path.string(), e.what()));
  }
}

std::string toml_quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + '"';
}

Result<void> write_settings(const fs::path& path, const StateSettings& s) {
  fs::path tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << "# What this state directory was created with; rootgovd resumes with it unless told otherwise.\n"
        << "model = " << toml_quoted(s.model) << "\nclock = " << toml_quoted(s.clock) << '\n';
    if (!out) return fail(Errc::io, "cannot write '" + tmp.string() + "'");
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) return fail(Errc::io, "cannot write '" + path.string() + "': " + ec.message());
  return {};
}

/// The TLD labels delegated in a zone text (for the default lab's managers).
Result<std::vector<std::string>> tlds_of(std::string_view zone_text) {
  auto parsed = zone::Zone::from_text(zone_text);
  if (!parsed) return fail(Errc::invalid_input, "base zone: " + zone::format_finding(parsed.error().front(), "zone"));
  auto root = zone::RootZone::from_zone(std::move(*parsed));
  if (!root) return fail(Errc::invalid_input, "base zone: " + root.error().front().message);
  std::vector<std::string> out;
  for (const auto& t : root->tlds()) out.push_back(t.tld_label());
  return out;
}

Json parse_json(const std::string& text) { return boost::json::parse(text); }

Json strings(const std::vector<std::string>& items) {
  boost::json::array a;
  for (const auto& s : items) a.emplace_back(s);
  return a;
}

Problem problem(const Error& e) { return problem_from(e); }

}  // namespace

Result<OpenedAuthority> open_authority(DaemonConfig& config, bool explicit_model, bool explicit_clock) {
  OpenedAuthority out;
  const fs::path state = config.state_dir;
  const bool resumed = fs::exists(state / "journal");
  const fs::path settings_path = state / kSettingsFile;
  if (resumed && fs::exists(settings_path)) {
    auto s = read_settings(settings_path);
    if (!s) return std::unexpected(s.error());
    if (!explicit_model) config.model = s->model;
    if (!explicit_clock) config.clock = s->clock;
  }

  std::string base_text;
  if (!resumed) {
    if (config.zone_file.empty()) {
      base_text = std::string(zone::embedded_default_root_zone());
    } else {
      auto t = read_text(config.zone_file);
      if (!t) return std::unexpected(t.error());
      base_text = std::move(*t);
    }
  }

  // The model first: a bad --model must not leave a half-made lab behind.
  auto policy = policies::load_policy(config.model);
  if (!policy) return fail(Errc::invalid_input, "--model: " + policy.error().message);

  auth::ActorRegistry registry;
  if (!config.actors_file.empty()) {
    auto r = auth::ActorRegistry::from_file(config.actors_file);
    if (!r) return std::unexpected(r.error());
    registry = std::move(*r);
  } else if (resumed) {
    auto r = auth::ActorRegistry::from_file(state / "actors.toml");
    if (!r) return std::unexpected(r.error());
    registry = std::move(*r);
  } else if (fs::exists(state / "lab" / "actors.toml")) {
    // A lab written by an earlier start that did not get as far as creating the state.
    auto r = auth::ActorRegistry::from_file(state / "lab" / "actors.toml");
    if (!r) return std::unexpected(r.error());
    registry = std::move(*r);
  } else {
    auto tlds = tlds_of(base_text);
    if (!tlds) return std::unexpected(tlds.error());
    const fs::path lab = state / "lab";
    auto r = auth::write_lab(lab, auth::default_actors(*tlds));
    if (!r) {
      return fail(r.error().code, "cannot set up the default lab in '" + lab.string() + "': " + r.error().message +
                                      " (remove it, or pass --actors)");
    }
    registry = std::move(*r);
    out.notices.push_back(fmt::format("new lab: {} actors in {}, their private keys in {}", registry.all().size(),
                                      (lab / "actors.toml").string(), (lab / "keys").string()));
  }

  auth::AuthorityOptions options;
  options.state_dir = state;
  options.base_zone_text = std::move(base_text);
  options.registry = std::move(registry);
  options.policy = std::shared_ptr<const auth::Policy>(std::move(*policy));
  options.clock = config.clock == "simulated" ? auth::ClockMode::simulated : auth::ClockMode::real;
  options.sign_threads = config.cpu_threads;
  if (config.dnssec_algorithm) options.dnssec_algorithm = *config.dnssec_algorithm;
  // Mutations return once queued; every 2xx waits for its record off the authority executor
  // (AuthorityApi::durability_wait), so concurrent requests share fdatasyncs (group commit).
  options.defer_durability = true;
  options.snapshot_every = config.snapshot_every;
  options.fork_snapshots = config.snapshot_fork;
  options.fork_snapshot_tlds = config.snapshot_fork_tlds;
  options.notice = [](std::string_view text) { spdlog::warn("msg=\"{}\"", text); };
  // A log whose model was replaced by a reconfiguration replays with the models it recorded.
  options.resolve_policy = policies::policy_from_record;
  auto opened = auth::Authority::open(std::move(options));
  if (!opened) return std::unexpected(opened.error());
  out.authority = std::move(*opened);
  if (config.dnssec_algorithm) {
    const auto wanted = zone::algorithm_from_string(*config.dnssec_algorithm);
    const std::string have = out.authority->summary().zone_key_algorithm;
    if (wanted && have != zone::algorithm_mnemonic(*wanted)) {
      return fail(Errc::invalid_input,
                  fmt::format("the state '{}' signs with {} zone keys, but the config asks for dnssec.algorithm = '{}'; "
                              "the algorithm only chooses a new state's keys: remove the key or start a new --state",
                              state.string(), have, *config.dnssec_algorithm));
    }
  }

  if (!resumed || !fs::exists(settings_path)) {
    if (auto w = write_settings(settings_path, {config.model, config.clock}); !w) return std::unexpected(w.error());
  }
  const auto& start = out.authority->startup();
  if (resumed) {
    out.notices.push_back(fmt::format("resumed {}: {} entries{}, model {}, clock {}", state.string(),
                                      out.authority->log_size(),
                                      start.from_snapshot ? fmt::format(" ({} from the snapshot, {} replayed)",
                                                                        start.snapshot_entries, start.replayed_entries)
                                                          : std::string(" (replayed)"),
                                      config.model, config.clock));
    if (!start.note.empty()) out.notices.push_back(start.note);
  } else {
    out.notices.push_back(fmt::format("new state {}: model {}, clock {}, serial {}", state.string(), config.model,
                                      config.clock, out.authority->serial()));
  }
  return out;
}

namespace {
constexpr const char* kChecksHelp = "signature checks of mutating documents";
constexpr const char* kSnapshotsHelp = "periodic state snapshots, by where they were written";
}  // namespace

AuthorityApi::Instruments::Instruments(Metrics& m)
    : metrics(m),
      log_size(m.gauge("rootgov_log_size", "audit-log entries")),
      zone_serial(m.gauge("rootgov_zone_serial", "SOA serial of the published zone")),
      tlds(m.gauge("rootgov_tlds", "TLDs delegated in the published zone")),
      open_requests(m.gauge("rootgov_open_requests", "requests not yet in a final state")),
      // Where document signatures were checked: ahead on an I/O thread (prepare_mutation) or on
      // the authority executor.
      checks_ahead(m.counter("rootgov_signature_checks_total", kChecksHelp, {{"where", "ahead"}})),
      checks_authority(m.counter("rootgov_signature_checks_total", kChecksHelp, {{"where", "authority"}})),
      // Deferred re-signs, whether the queued task or a reading of the zone (the publisher) ran them.
      sign_batches(m.counter("rootgov_zone_sign_batches_total",
                             "deferred zone re-signs (each covers every change made before it)")),
      snapshots_forked(m.counter("rootgov_snapshots_total", kSnapshotsHelp, {{"written", "forked"}})),
      snapshots_inline(m.counter("rootgov_snapshots_total", kSnapshotsHelp, {{"written", "authority"}})),
      snapshots_thread(m.counter("rootgov_snapshots_total", kSnapshotsHelp, {{"written", "thread"}})),
      snapshot_fork_seconds(
          m.gauge("rootgov_snapshot_fork_seconds", "time the authority thread spent in the last snapshot fork")),
      log_entries(m.counter("rootgov_log_entries_appended_total", "audit-log entries appended since start")),
      // Group commit: each round writes and fdatasyncs every journal record queued before it.
      journal_flush_seconds(m.histogram("rootgov_journal_flush_seconds",
                                        "wall time of one journal write + fdatasync round",
                                        {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                         0.1, 0.25, 1})),
      journal_flush_records(m.histogram("rootgov_journal_flush_records",
                                        "mutations (journal records) made durable by one write + fdatasync round",
                                        {1, 2, 4, 8, 16, 32, 64, 128, 256, 1024})) {}

Counter& AuthorityApi::Instruments::event(const std::string& type) {
  for (auto& [t, counter] : events) {
    if (t == type) return *counter;
  }
  Counter& c = metrics.counter("rootgov_events_total", "authority events by type", {{"type", type}});
  events.emplace_back(type, &c);
  return c;
}

AuthorityApi::AuthorityApi(std::unique_ptr<auth::Authority> authority, EventHub& events, Metrics& metrics)
    : m_authority(std::move(authority)), m_events(events), m_metrics(metrics), m_instruments(metrics) {
  m_authority->set_listener([this](const auth::Event& e) {
    m_events.publish(e.type, e.json);
    m_instruments.log_entries.inc();
    m_instruments.event(e.type).inc();
  });
  // On the thread that leads each journal flush (the durability thread under load).
  m_authority->observe_journal_flushes(
      [&seconds = m_instruments.journal_flush_seconds, &records = m_instruments.journal_flush_records](
          double took, std::size_t count) {
        seconds.observe(took);
        records.observe(static_cast<double>(count));
      });
  refresh_gauges();
}

AuthorityApi::~AuthorityApi() {
  // The executors have stopped: make sure the newest version is on disk.
  if (m_publisher) m_publisher->finish();
}

void AuthorityApi::changed() {
  refresh_gauges();
  // Signing is deferred (Authority::sign_pending): queue it behind the mutations already
  // waiting for the authority executor, so changes that arrive together share one SOA
  // signature, and a reading of the zone between them signs whatever is still pending.
  if (m_authority_executor && !m_sign_posted && m_authority->signing_pending()) {
    m_sign_posted = true;
    boost::asio::post(*m_authority_executor, [this] {
      m_sign_posted = false;
      if (auto r = m_authority->sign_pending(); !r) {
        spdlog::error("msg=\"deferred zone signing failed; retried at the next reading\" error=\"{}\"", r.error().message);
      }
      export_resigns(m_authority->counters().zone_resigns);
    });
  }
  if (m_publisher) m_publisher->offer(m_authority->serial());
}

void AuthorityApi::export_resigns(std::uint64_t total) { m_instruments.sign_batches.raise_to(total); }

void AuthorityApi::refresh_gauges() {
  const auth::Counters s = m_authority->counters();
  Instruments& m = m_instruments;
  m.log_size.set(static_cast<double>(s.log_size));
  m.zone_serial.set(static_cast<double>(s.serial));
  m.tlds.set(static_cast<double>(s.tlds));
  m.open_requests.set(static_cast<double>(s.open_requests));
  // Counters, brought up to the authority's running totals.
  m.checks_ahead.raise_to(s.signatures_preverified);
  m.checks_authority.raise_to(s.signatures_verified_inline);
  export_resigns(s.zone_resigns);
  m.snapshots_forked.raise_to(s.snapshots_forked);
  m.snapshots_inline.raise_to(s.snapshots_inline);
  m.snapshots_thread.raise_to(s.snapshots_threaded);
  m.snapshot_fork_seconds.set(s.snapshot_fork_seconds);
}

void AuthorityApi::start(const boost::asio::any_io_executor& authority_executor, const boost::asio::any_io_executor& files,
                         const std::filesystem::path& state_dir, std::size_t fork_tlds,
                         std::chrono::milliseconds publish_interval) {
  m_authority_executor = authority_executor;
  m_publisher = std::make_unique<Publisher>(
      state_dir / "root.zone", authority_executor, files,
      [this, fork_tlds] {
        auth::Authority* a = m_authority.get();
        const auto s = a->counters();
        Publisher::Version v;
        v.serial = a->serial();
        v.durable = [a, ticket = a->last_ticket()] { return a->wait_durable(ticket); };
        if (s.tlds >= fork_tlds) {
          // Sign here (it changes the zone); the child only renders its copy-on-write image.
          if (auto r = a->sign_pending(); !r) {
            spdlog::error("msg=\"zone signing failed before publication\" error=\"{}\"", r.error().message);
          }
          v.render_in_child = [a] { return a->zone_text(); };
        } else {
          v.text = a->zone_text();
        }
        export_resigns(a->counters().zone_resigns);
        return v;
      },
      m_metrics, publish_interval);
  boost::asio::post(authority_executor, [this] { m_publisher->offer(m_authority->serial()); });
  if (m_authority->summary().clock != auth::ClockMode::real) return;
  m_ticker = std::make_unique<boost::asio::steady_timer>(authority_executor);
  arm_ticker();
}

void AuthorityApi::arm_ticker() {
  m_ticker->expires_after(std::chrono::seconds(1));
  m_ticker->async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    auto fired = m_authority->tick();
    if (!fired) {
      spdlog::error("msg=\"timeout processing failed\" error=\"{}\"", fired.error().message);
    } else if (*fired > 0) {
      // Nobody waits for a timeout's records: make them durable here (rare, on the strand).
      if (auto durable = m_authority->wait_durable(m_authority->last_ticket()); !durable) {
        spdlog::error("msg=\"timeout records not durable\" error=\"{}\"", durable.error().message);
      }
      spdlog::info("msg=\"timeouts fired\" count={}", *fired);
      changed();
    }
    arm_ticker();
  });
}

Result<void> AuthorityApi::checkpoint() {
  auto r = m_authority->snapshot();
  if (r) spdlog::info("msg=\"checkpoint written\" log_size={}", m_authority->log_size());
  return r;
}

Result<std::string> AuthorityApi::reload(auth::ActorRegistry registry,
                                         std::shared_ptr<const auth::Policy> policy) {
  auto report = m_authority->replace_configuration(std::move(registry), std::move(policy));
  if (!report) {
    m_metrics.counter("rootgov_reloads_total", "SIGHUP reloads, by result", {{"result", "refused"}}).inc();
    return std::unexpected(report.error());
  }
  if (!report->changed) {
    m_metrics.counter("rootgov_reloads_total", "SIGHUP reloads, by result", {{"result", "unchanged"}}).inc();
    return fmt::format("changed=false model=\"{}\" note=\"registry and model unchanged; nothing recorded\"",
                       report->model);
  }
  m_metrics.counter("rootgov_reloads_total", "SIGHUP reloads, by result", {{"result", "adopted"}}).inc();
  for (const auto& w : report->warnings) spdlog::warn("msg=\"reload warning\" warning=\"{}\"", w);
  changed();
  auto list = [](const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : ",") + item;
    return out;
  };
  return fmt::format(
      "changed=true log_index={} actors_added=\"{}\" actors_removed=\"{}\" actors_changed=\"{}\" "
      "model=\"{}\" "
      "model_changed={} previous_model=\"{}\" decided=\"{}\" warnings={}",
      report->log_index, list(report->added), list(report->removed), list(report->modified), report->model,
      report->model_changed, report->previous_model, list(report->decided), report->warnings.size());
}

Problem AuthorityApi::refused(const Error& error, std::string_view kind) {
  m_metrics.counter("rootgov_refused_total", "mutations refused, by kind", {{"kind", std::string(kind)}}).inc();
  return problem(error);
}

namespace {
// The receipt the authority must make for a client that did (or did not) prefer return=minimal.
auth::ReceiptForm form_of(bool minimal) { return minimal ? auth::ReceiptForm::summary : auth::ReceiptForm::full; }
}  // namespace

ApiResult<RequestJson> AuthorityApi::receipt(Result<auth::Receipt> result, std::string_view what, bool minimal) {
  if (!result) return std::unexpected(refused(result.error(), what));
  changed();
  // Rendered on the I/O thread from the receipt's copy of the request (RequestJson::render).
  // Both renderings are one JSON object; log_index goes in before its closing brace.
  RequestJson body{{}, result->request.id, {}, {}};
  auto render = [receipt = std::make_shared<auth::Receipt>(std::move(*result))](
                    std::string (*object)(const auth::RequestInfo&)) {
    std::string text = object(receipt->request);
    text.pop_back();
    text += fmt::format(",\"log_index\":{}}}", receipt->log_index);
    return text;
  };
  body.render_minimal = [render] { return render(&auth::request_summary_json); };
  // A summary receipt's pending decision may lack its words: it has no full form.
  if (!minimal) body.render = [render] { return render(&auth::request_info_to_json); };
  return body;
}

std::function<Result<void>()> AuthorityApi::durability_wait() {
  // Read on the authority executor right after the mutation; wait_durable is thread-safe.
  return [authority = m_authority.get(), ticket = m_authority->last_ticket()] { return authority->wait_durable(ticket); };
}

void AuthorityApi::prepare_mutation(std::string_view signed_document) { m_authority->preverify(signed_document); }

ApiResult<RequestJson> AuthorityApi::submit_request(std::string_view signed_document, bool minimal) {
  return receipt(m_authority->submit(signed_document, form_of(minimal)),
                 "submit", minimal);
}

ApiResult<RequestJson> AuthorityApi::get_request(std::string_view id) {
  const auto* info = m_authority->find(std::string(id));
  if (info == nullptr) {
    return std::unexpected(Problem::make(404, "not-found", "not found",
                                         fmt::format("no request '{}' (GET /v1/requests lists them)", id)));
  }
  return RequestJson{auth::request_info_to_json(*info), info->id, {}, {}};
}

ApiResult<Json> AuthorityApi::list_requests(const RequestFilter& filter) {
  if (!filter.state.empty()) {
    using S = auth::RequestState;
    bool known = false;
    std::string names;
    for (S st : {S::received, S::technical_check, S::awaiting, S::approved, S::implemented, S::published, S::rejected,
                 S::withdrawn, S::expired}) {
      known = known || auth::to_string(st) == filter.state;
      names += (names.empty() ? "" : ", ") + std::string(auth::to_string(st));
    }
    if (!known) {
      return std::unexpected(Problem::make(400, "invalid-input", "invalid input",
                                           fmt::format("unknown state '{}'; one of: {}", filter.state, names)));
    }
  }
  boost::json::array items;
  for (const auto* info : m_authority->list(filter.state, filter.tld, filter.awaiting)) {
    items.push_back(parse_json(auth::request_info_to_json(*info)));
  }
  const std::size_t n = items.size();
  return Json(boost::json::object{{"requests", std::move(items)}, {"count", n}});
}

ApiResult<RequestJson> AuthorityApi::post_ballot(std::string_view id, std::string_view signed_document, bool minimal) {
  return receipt(m_authority->ballot(std::string(id), signed_document, form_of(minimal)),
                 "ballot", minimal);
}

ApiResult<RequestJson> AuthorityApi::post_batch_ballot(std::string_view signed_document, bool minimal) {
  auto result = m_authority->ballots(signed_document, form_of(minimal));
  if (!result) return std::unexpected(refused(result.error(), "batch-ballot"));
  changed();
  auto render = [log_index = result->log_index](const auto& requests, std::string (*one)(const auth::RequestInfo&)) {
    std::string text = "{\"requests\":[";
    for (std::size_t i = 0; i < requests.size(); ++i) {
      if (i > 0) text += ',';
      text += one(*requests[i]);
    }
    text += fmt::format("],\"count\":{},\"log_index\":{}}}", requests.size(), log_index);
    return text;
  };
  RequestJson body;
  if (minimal) {
    // The summaries are small: made here from the authority's state, nothing copied.
    body.render_minimal = [text = render(result->requests, &auth::request_summary_json)] { return text; };
    return body;
  }
  // The full form is rendered later, off the authority executor, from copies.
  auto copies = std::make_shared<std::vector<std::unique_ptr<const auth::RequestInfo>>>();
  for (const auth::RequestInfo* r : result->requests) copies->push_back(std::make_unique<const auth::RequestInfo>(*r));
  body.render = [render, copies] { return render(*copies, &auth::request_info_to_json); };
  return body;
}

ApiResult<RequestJson> AuthorityApi::withdraw_request(std::string_view id, std::string_view signed_document) {
  return receipt(m_authority->withdraw(std::string(id), signed_document), "withdraw");
}

ApiResult<ZoneText> AuthorityApi::zone() { return ZoneText{m_authority->zone_text(), m_authority->serial()}; }

ApiResult<LogPage> AuthorityApi::log_entries(std::uint64_t from, std::uint64_t max) {
  LogPage page;
  page.from = from;
  page.size = m_authority->log_size();
  if (from > page.size) {
    return std::unexpected(Problem::make(
        416, "out-of-range", "out of range", fmt::format("from={} is past the end of the log ({} entries)", from, page.size)));
  }
  page.entries = m_authority->log_entries(from, max);
  return page;
}

ApiResult<Json> AuthorityApi::tree_head() {
  Json sth = parse_json(m_authority->tree_head().to_json().canonical());
  sth.as_object()["authority_key"] = m_authority->public_key();
  return sth;
}

ApiResult<Json> AuthorityApi::inclusion_proof(std::uint64_t index, std::uint64_t size) {
  auto p = m_authority->inclusion_proof(index, size);
  if (!p) return std::unexpected(problem(p.error()));
  return Json(boost::json::object{{"index", index}, {"size", size}, {"hashes", strings(*p)}});
}

ApiResult<Json> AuthorityApi::consistency_proof(std::uint64_t first, std::uint64_t second) {
  auto p = m_authority->consistency_proof(first, second);
  if (!p) return std::unexpected(problem(p.error()));
  return Json(boost::json::object{{"first", first}, {"second", second}, {"hashes", strings(*p)}});
}

ApiResult<Json> AuthorityApi::clock() {
  auto s = m_authority->summary();
  return Json(boost::json::object{{"now", auth::format_time(s.now)},
                                  {"mode", s.clock == auth::ClockMode::simulated ? "simulated" : "real"}});
}

ApiResult<Json> AuthorityApi::advance_clock(std::string_view signed_document) {
  auto t = m_authority->advance_clock(signed_document);
  if (!t) return std::unexpected(refused(t.error(), "clock"));
  changed();
  return Json(boost::json::object{{"now", auth::format_time(*t)}, {"mode", "simulated"}});
}

ApiResult<Json> AuthorityApi::actors() {
  boost::json::array items;
  for (const auto& [id, a] : m_authority->registry().all()) {
    items.push_back(boost::json::object{{"id", a.id},
                                        {"name", a.name},
                                        {"roles", strings(a.roles)},
                                        {"bodies", strings(a.bodies)},
                                        {"region", a.region},
                                        {"country", a.country},
                                        {"manages", strings(a.manages)},
                                        {"public_key", a.public_key}});
  }
  const std::size_t n = items.size();
  return Json(boost::json::object{{"actors", std::move(items)}, {"count", n}});
}

ApiResult<Json> AuthorityApi::model() {
  const auto& p = m_authority->policy();
  boost::json::object o{{"id", p.id()}, {"title", p.title()}};
  o["graph"] = policies::policy_graph(p);  // the model in force, not the file as it is now
  return Json(std::move(o));
}

ApiResult<Json> AuthorityApi::summary() {
  auto s = m_authority->summary();
  return Json(boost::json::object{{"model", s.model},
                                  {"model_title", s.model_title},
                                  {"now", auth::format_time(s.now)},
                                  {"clock", s.clock == auth::ClockMode::simulated ? "simulated" : "real"},
                                  {"serial", s.serial},
                                  {"tlds", s.tlds},
                                  {"requests", s.requests},
                                  {"open_requests", s.open_requests},
                                  {"log_size", s.log_size},
                                  {"zone_digest", s.zone_digest}});
}

}  // namespace rootgov::daemon
