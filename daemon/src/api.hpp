// daemon/src/api.hpp - the control API the authority serves, as an interface, and the routes
// that expose it over HTTP.
//
// Wiring the authority is implementing Api: every method runs on the authority executor
// (Runtime::authority(), one thread), so an implementation may call the Authority directly and
// needs no locks. Methods return a JSON value (the response body) or a Problem (status, type,
// title, detail: say what to fix). Mutating methods receive the request body verbatim: the
// wire form of a signed document, {"document": {...}, "signature": "..."}, already checked to
// be a JSON object within the body limit; verifying the signature is the implementation's job.
//
// Endpoints (all JSON unless noted):
//   POST /v1/requests                      submit_request      201 {"id": ..., ...}
//   GET  /v1/requests?state=&tld=&awaiting= list_requests
//   GET  /v1/requests/{id}                 get_request
//   POST /v1/requests/{id}/ballots         post_ballot
//   POST /v1/ballots                       post_batch_ballot   {"requests": [...], "count", "log_index"}
//   POST /v1/requests/{id}/withdraw        withdraw_request
//   GET  /v1/zone                          zone                text/dns (master file)
//   GET  /v1/log?from=N&max=M              log_entries         {"from","size","entries":[...]}
//   GET  /v1/log/sth                       tree_head
//   GET  /v1/log/proof/inclusion?index=&size=        inclusion_proof
//   GET  /v1/log/proof/consistency?first=&second=    consistency_proof
//   GET  /v1/clock                         clock
//   POST /v1/clock/advance                 advance_clock       (signed admin document)
//   GET  /v1/actors                        actors
//   GET  /v1/model                         model
//   GET  /v1/summary                       summary
// Served by the daemon itself: GET /v1 (index), GET /v1/health, GET /metrics, GET /v1/events.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include "router.hpp"

namespace rootgov::daemon {

class EventHub;
class Metrics;

/// Filters of GET /v1/requests; empty = any.
struct RequestFilter {
  std::string state;
  std::string tld;
  std::string awaiting;
};

/// The published zone as master-file text.
struct ZoneText {
  std::string text;
  std::uint32_t serial = 0;
};

/// A page of the audit log: each entry is one JSON text (a log line, without the newline),
/// spliced into the response unchanged so its bytes stay exactly as logged.
struct LogPage {
  std::uint64_t from = 0;
  std::uint64_t size = 0;  ///< the log size when read
  std::vector<std::string> entries;
};

using Json = boost::json::value;

/// One request as a JSON object in text form (GET /v1/requests/{id}, and the answer to a
/// mutation), sent as it is: the authority renders it once, with no parse and re-serialize on
/// the way out. `id` is the request's id (for the Location header of a submission).
struct RequestJson {
  std::string text;
  std::string id;
  /// When set, `text` is empty and this makes it: called once, off the authority executor,
  /// on the connection's I/O thread after the mutation is durable. It may read only what it
  /// owns (a copy of the request the authority handed over), never the authority.
  std::function<std::string()> render;
  /// The minimal answer (`Prefer: return=minimal`, RFC 7240): the id, state and awaited
  /// actors only, made like `render` (same thread, same rules). Empty: no minimal form.
  std::function<std::string()> render_minimal;
};

class Api {
 public:
  virtual ~Api() = default;

  /// `minimal` (submit_request, post_ballot): the client asked for `Prefer: return=minimal`; the
  /// answer then needs only render_minimal, and the authority need not word a pending
  /// decision (authority::ReceiptForm::summary).
  virtual ApiResult<RequestJson> submit_request(std::string_view signed_document, bool minimal) = 0;
  virtual ApiResult<RequestJson> get_request(std::string_view id) = 0;
  virtual ApiResult<Json> list_requests(const RequestFilter& filter) = 0;
  virtual ApiResult<RequestJson> post_ballot(std::string_view id, std::string_view signed_document, bool minimal) = 0;
  virtual ApiResult<RequestJson> withdraw_request(std::string_view id, std::string_view signed_document) = 0;
  /// One signed ballot naming several requests (body "requests": [...]); all or nothing. The
  /// answer's text is {"requests": [<each request as GET /v1/requests/{id} shows it>], "count",
  /// "log_index"}; its id is empty.
  /// `minimal`: the client asked for `Prefer: return=minimal`; the answer then has only
  /// render_minimal (made now, on the authority executor: a batch may name 1,000 requests, and
  /// copying each for a later full rendering would cost more), otherwise only render.
  virtual ApiResult<RequestJson> post_batch_ballot(std::string_view signed_document, bool minimal) = 0;

  virtual ApiResult<ZoneText> zone() = 0;

  /// Entries [from, from + max) (fewer at the end of the log).
  virtual ApiResult<LogPage> log_entries(std::uint64_t from, std::uint64_t max) = 0;
  virtual ApiResult<Json> tree_head() = 0;
  virtual ApiResult<Json> inclusion_proof(std::uint64_t index, std::uint64_t size) = 0;
  virtual ApiResult<Json> consistency_proof(std::uint64_t first, std::uint64_t second) = 0;

  virtual ApiResult<Json> clock() = 0;
  virtual ApiResult<Json> advance_clock(std::string_view signed_document) = 0;

  virtual ApiResult<Json> actors() = 0;
  virtual ApiResult<Json> model() = 0;
  virtual ApiResult<Json> summary() = 0;

  /// Called on the authority executor right after a mutating method (submit_request,
  /// post_ballot, post_batch_ballot, withdraw_request, advance_clock) succeeded: what must complete before its 2xx
  /// is sent (blocking; the server runs it off the authority executor). Empty: nothing, the
  /// mutation is already durable.
  virtual std::function<Result<void>()> durability_wait() { return {}; }

  /// Called on an I/O thread, before a mutating method is called with the same
  /// `signed_document`, concurrently with anything else (thread-safe): a place for work that
  /// needs no authority state, such as checking the signature. Never fails; the mutating
  /// method decides. Default: nothing.
  virtual void prepare_mutation(std::string_view /*signed_document*/) {}
};

/// The stand-in until the authority is wired: every method answers 501 with a problem saying so.
/// Derive from it to wire the endpoints one at a time.
class UnwiredApi : public Api {
 public:
  ApiResult<RequestJson> submit_request(std::string_view, bool) override;
  ApiResult<RequestJson> get_request(std::string_view) override;
  ApiResult<Json> list_requests(const RequestFilter&) override;
  ApiResult<RequestJson> post_ballot(std::string_view, std::string_view, bool) override;
  ApiResult<RequestJson> withdraw_request(std::string_view, std::string_view) override;
  ApiResult<RequestJson> post_batch_ballot(std::string_view, bool) override;
  ApiResult<ZoneText> zone() override;
  ApiResult<LogPage> log_entries(std::uint64_t, std::uint64_t) override;
  ApiResult<Json> tree_head() override;
  ApiResult<Json> inclusion_proof(std::uint64_t, std::uint64_t) override;
  ApiResult<Json> consistency_proof(std::uint64_t, std::uint64_t) override;
  ApiResult<Json> clock() override;
  ApiResult<Json> advance_clock(std::string_view) override;
  ApiResult<Json> actors() override;
  ApiResult<Json> model() override;
  ApiResult<Json> summary() override;
};

/// The largest page GET /v1/log returns (?max= above it is capped).
inline constexpr std::uint64_t kMaxLogPage = 10000;

/// Registers the Api endpoints above; handlers run with Exec::authority. `api` must outlive
/// the server.
void register_api_routes(Router& router, Api& api);

/// Registers GET /v1 (endpoint index), GET /v1/health, GET /metrics and GET /v1/events.
/// `metrics` must outlive the server.
void register_core_routes(Router& router, Metrics& metrics);

}  // namespace rootgov::daemon
