// daemon/src/api.cpp - HTTP routes for the Api interface and the daemon's own endpoints.
#include "api.hpp"

#include <algorithm>

#include "metrics.hpp"

namespace rootgov::daemon {

namespace {

Response reply(ApiResult<Json> result, unsigned status = 200) {
  if (!result) return result.error().to_response();
  return Response::json(*result, status);
}

// One request's JSON. With `Prefer: return=minimal` (RFC 7240) and a minimal form on offer,
// that form is sent instead and the response says so (Preference-Applied).
Response reply(ApiResult<RequestJson> result, const Request& request, unsigned status = 200) {
  if (!result) return result.error().to_response();
  Response res = Response::text(std::move(result->text), "application/json", status);
  if (result->render_minimal && request.prefers("return", "minimal")) {
    res.render_body = std::move(result->render_minimal);
    res.headers.emplace_back("Preference-Applied", "return=minimal");
  } else {
    res.render_body = std::move(result->render);
  }
  return res;
}

// Any other reply takes no preference.
Response reply(ApiResult<Json> result, const Request&, unsigned status = 200) { return reply(std::move(result), status); }

// A mutation's reply: sent only once the mutation is durable (Api::durability_wait).
template <typename Body>
Response mutation_reply(Api& api, const Request& request, ApiResult<Body> result, unsigned status = 200) {
  const bool ok = result.has_value();
  Response res = reply(std::move(result), request, status);
  if (ok) res.before_send = api.durability_wait();
  return res;
}

Problem unwired() {
  return Problem::make(501, "not-wired", "not available yet",
                       "this rootgovd build does not serve the authority yet; only GET /v1/health, GET /metrics and "
                       "GET /v1/events work");
}

}  // namespace

ApiResult<RequestJson> UnwiredApi::submit_request(std::string_view, bool) { return std::unexpected(unwired()); }
ApiResult<RequestJson> UnwiredApi::get_request(std::string_view) { return std::unexpected(unwired()); }
ApiResult<Json> UnwiredApi::list_requests(const RequestFilter&) { return std::unexpected(unwired()); }
ApiResult<RequestJson> UnwiredApi::post_ballot(std::string_view, std::string_view, bool) { return std::unexpected(unwired()); }
ApiResult<RequestJson> UnwiredApi::withdraw_request(std::string_view, std::string_view) { return std::unexpected(unwired()); }
ApiResult<RequestJson> UnwiredApi::post_batch_ballot(std::string_view, bool) { return std::unexpected(unwired()); }
ApiResult<ZoneText> UnwiredApi::zone() { return std::unexpected(unwired()); }
ApiResult<LogPage> UnwiredApi::log_entries(std::uint64_t, std::uint64_t) { return std::unexpected(unwired()); }
ApiResult<Json> UnwiredApi::tree_head() { return std::unexpected(unwired()); }
ApiResult<Json> UnwiredApi::inclusion_proof(std::uint64_t, std::uint64_t) { return std::unexpected(unwired()); }
ApiResult<Json> UnwiredApi::consistency_proof(std::uint64_t, std::uint64_t) { return std::unexpected(unwired()); }
ApiResult<Json> UnwiredApi::clock() { return std::unexpected(unwired()); }
ApiResult<Json> UnwiredApi::advance_clock(std::string_view) { return std::unexpected(unwired()); }
ApiResult<Json> UnwiredApi::actors() { return std::unexpected(unwired()); }
ApiResult<Json> UnwiredApi::model() { return std::unexpected(unwired()); }
ApiResult<Json> UnwiredApi::summary() { return std::unexpected(unwired()); }

void register_api_routes(Router& router, Api& api) {
  constexpr auto A = Exec::authority;
  auto prepare = [&api](const Request& r) { api.prepare_mutation(r.body); };
  router.add(
      "POST", "/v1/requests",
      [&api](const Request& r) {
        auto result = api.submit_request(r.body, r.prefers("return", "minimal"));
        if (!result) return result.error().to_response();
        const std::string location = "/v1/requests/" + result->id;
        Response res = mutation_reply(api, r, std::move(result), 201);
        res.headers.emplace_back("Location", location);
        return res;
      },
      A, BodyKind::json)
      .prepare = prepare;
  router.add(
      "GET", "/v1/requests",
      [&api](const Request& r) {
        RequestFilter f;
        f.state = std::string(r.query_param("state").value_or(""));
        f.tld = std::string(r.query_param("tld").value_or(""));
        f.awaiting = std::string(r.query_param("awaiting").value_or(""));
        return reply(api.list_requests(f));
      },
      A);
  router.add("GET", "/v1/requests/{id}", [&api](const Request& r) { return reply(api.get_request(r.param("id")), r); }, A);
  router.add(
      "POST", "/v1/requests/{id}/ballots",
      [&api](const Request& r) { return mutation_reply(api, r, api.post_ballot(r.param("id"), r.body, r.prefers("return", "minimal"))); }, A, BodyKind::json)
      .prepare = prepare;
  router.add(
      "POST", "/v1/ballots", [&api](const Request& r) { return mutation_reply(api, r, api.post_batch_ballot(r.body, r.prefers("return", "minimal")));
      }, A,
      BodyKind::json)
      .prepare = prepare;
  router.add(
      "POST", "/v1/requests/{id}/withdraw",
      [&api](const Request& r) { return mutation_reply(api, r, api.withdraw_request(r.param("id"), r.body)); }, A, BodyKind::json)
      .prepare = prepare;
  router.add(
      "GET", "/v1/zone",
      [&api](const Request&) {
        auto zone = api.zone();
        if (!zone) return zone.error().to_response();
        Response res = Response::text(std::move(zone->text), "text/dns; charset=utf-8");
        res.headers.emplace_back("X-Zone-Serial", std::to_string(zone->serial));
        return res;
      },
      A);
  router.add(
      "GET", "/v1/log",
      [&api](const Request& r) {
        auto from = query_uint(r, "from", 0);
        if (!from) return from.error().to_response();
        auto max = query_uint(r, "max", 1000);
        if (!max) return max.error().to_response();
        auto page = api.log_entries(*from, std::min(*max, kMaxLogPage));
        if (!page) return page.error().to_response();
        // Entries are spliced verbatim: their bytes are what the tree hashes.
        std::string body = "{\"from\":" + std::to_string(page->from) + ",\"size\":" + std::to_string(page->size) +
                           ",\"entries\":[";
        for (std::size_t i = 0; i < page->entries.size(); ++i) {
          if (i > 0) body += ',';
          body += page->entries[i];
        }
        body += "]}";
        return Response::text(std::move(body), "application/json");
      },
      A);
  router.add("GET", "/v1/log/sth", [&api](const Request&) { return reply(api.tree_head()); }, A);
  router.add(
      "GET", "/v1/log/proof/inclusion",
      [&api](const Request& r) {
        auto index = query_uint(r, "index", std::nullopt);
        if (!index) return index.error().to_response();
        auto size = query_uint(r, "size", std::nullopt);
        if (!size) return size.error().to_response();
        return reply(api.inclusion_proof(*index, *size));
      },
      A);
  router.add(
      "GET", "/v1/log/proof/consistency",
      [&api](const Request& r) {
        auto first = query_uint(r, "first", std::nullopt);
        if (!first) return first.error().to_response();
        auto second = query_uint(r, "second", std::nullopt);
        if (!second) return second.error().to_response();
        return reply(api.consistency_proof(*first, *second));
      },
      A);
  router.add("GET", "/v1/clock", [&api](const Request&) { return reply(api.clock()); }, A);
  router.add(
      "POST", "/v1/clock/advance", [&api](const Request& r) { return mutation_reply(api, r, api.advance_clock(r.body)); }, A,
      BodyKind::json)
      .prepare = prepare;
  router.add("GET", "/v1/actors", [&api](const Request&) { return reply(api.actors()); }, A);
  router.add("GET", "/v1/model", [&api](const Request&) { return reply(api.model()); }, A);
  router.add("GET", "/v1/summary", [&api](const Request&) { return reply(api.summary()); }, A);
}

void register_core_routes(Router& router, Metrics& metrics) {
  router.add("GET", "/v1/health", [](const Request&) { return Response::json(boost::json::object{{"status", "ok"}}); });
  router.add("GET", "/metrics", [&metrics](const Request&) {
    return Response::text(metrics.render(), "text/plain; version=0.0.4; charset=utf-8");
  });
  router.add_event_stream("/v1/events");
  router.add("GET", "/v1", [&router](const Request&) {
    boost::json::array endpoints;
    for (const auto& route : router.routes()) {
      endpoints.push_back(boost::json::object{{"method", route.method}, {"path", route.pattern}});
    }
    return Response::json(boost::json::object{{"endpoints", std::move(endpoints)}});
  });
}

}  // namespace rootgov::daemon
