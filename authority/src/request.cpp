// authority/src/request.cpp - request lifecycle rules and the JSON forms of requests.
#include <rootgov/authority/request.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <set>

#include "json_util.hpp"

namespace rootgov::authority {

namespace json = boost::json;

std::string_view to_string(RequestState s) {
  switch (s) {
    case RequestState::received: return "received";
    case RequestState::technical_check: return "technical-check";
    case RequestState::awaiting: return "awaiting";
    case RequestState::approved: return "approved";
    case RequestState::implemented: return "implemented";
    case RequestState::published: return "published";
    case RequestState::rejected: return "rejected";
    case RequestState::withdrawn: return "withdrawn";
    case RequestState::expired: return "expired";
  }
  return "unknown";
}

bool is_terminal(RequestState s) {
  return s == RequestState::published || s == RequestState::rejected || s == RequestState::withdrawn ||
         s == RequestState::expired;
}

bool is_legal_transition(RequestState from, RequestState to) {
  using S = RequestState;
  switch (from) {
    case S::received: return to == S::technical_check || to == S::rejected;
    case S::technical_check: return to == S::awaiting || to == S::rejected;
    case S::awaiting: return to == S::approved || to == S::rejected || to == S::withdrawn || to == S::expired;
    case S::approved: return to == S::implemented || to == S::rejected;
    case S::implemented: return to == S::published;
    default: return false;
  }
}

namespace {

std::string_view root_target_name(RootTarget t) {
  switch (t) {
    case RootTarget::root_ns: return "root-ns";
    case RootTarget::dnskey: return "dnskey";
    case RootTarget::soa_timers: return "soa-timers";
    case RootTarget::none: break;
  }
  return "";
}

std::optional<RootTarget> root_target_from(std::string_view s) {
  if (s == "root-ns") return RootTarget::root_ns;
  if (s == "dnskey") return RootTarget::dnskey;
  if (s == "soa-timers") return RootTarget::soa_timers;
  if (s.empty()) return RootTarget::none;
  return std::nullopt;
}

}  // namespace

Result<ChangeRequest> change_request_from_json(std::string_view text) {
  auto parsed = detail::parse_json_object(text, "request body");
  if (!parsed) return std::unexpected(parsed.error());
  const json::object& o = *parsed;
  static const std::set<std::string_view> kKeys = {"kind", "tld", "ns", "ds", "manager", "target", "dnskeys",
                                                   "soa", "note"};
  for (const auto& kv : o) {
    if (!kKeys.contains(kv.key())) {
      return fail(Errc::invalid_input, "unknown key '" + std::string(kv.key()) + "' in request body");
    }
  }
  ChangeRequest c;
  auto kind = detail::get_string(o, "kind");
  if (!kind) return fail(Errc::invalid_input, "request body needs a string 'kind'");
  auto k = change_kind_from_string(*kind);
  if (!k) {
    return fail(Errc::invalid_input, "unknown kind '" + std::string(*kind) +
                                         "': use ns-update, ds-update, delegate, transfer, revoke, root-update or contact-update");
  }
  c.kind = *k;
  if (auto tld = detail::get_string(o, "tld")) {
    std::string t(*tld);
    std::transform(t.begin(), t.end(), t.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    if (!t.empty() && t.back() == '.') t.pop_back();
    c.tld = t;
  }
  if (c.kind != ChangeKind::root_update) {
    if (c.tld.empty()) return fail(Errc::invalid_input, "a " + std::string(to_string(c.kind)) + " request needs a 'tld'");
    if (c.tld.find('.') != std::string::npos) {
      return fail(Errc::invalid_input, "'" + c.tld + "' is not a top-level domain (one label expected)");
    }
  }
  if (const auto* ns = o.if_contains("ns")) {
    if (!ns->is_array()) return fail(Errc::invalid_input, "'ns' must be an array of {\"host\", \"addresses\"}");
    for (const auto& item : ns->as_array()) {
      if (!item.is_object()) return fail(Errc::invalid_input, "each 'ns' entry must be an object");
      NsSpec spec;
      auto host = detail::get_string(item.as_object(), "host");
      if (!host || host->empty()) return fail(Errc::invalid_input, "each 'ns' entry needs a 'host'");
      spec.host = std::string(*host);
      if (const auto* addrs = item.as_object().if_contains("addresses")) {
        if (!addrs->is_array()) return fail(Errc::invalid_input, "'addresses' must be an array of strings");
        for (const auto& a : addrs->as_array()) {
          if (!a.is_string()) return fail(Errc::invalid_input, "'addresses' must be an array of strings");
          spec.addresses.emplace_back(a.as_string());
        }
      }
      c.ns.push_back(std::move(spec));
    }
  }
  if (const auto* ds = o.if_contains("ds")) {
    if (!ds->is_array()) return fail(Errc::invalid_input, "'ds' must be an array");
    for (const auto& item : ds->as_array()) {
      if (!item.is_object()) return fail(Errc::invalid_input, "each 'ds' entry must be an object");
      const auto& d = item.as_object();
      auto tag = detail::get_uint(d, "key_tag");
      auto alg = detail::get_uint(d, "algorithm");
      auto dt = detail::get_uint(d, "digest_type");
      auto digest = detail::get_string(d, "digest");
      if (!tag || !alg || !dt || !digest || *tag > 65535 || *alg > 255 || *dt > 255) {
        return fail(Errc::invalid_input, "each 'ds' entry needs key_tag (0-65535), algorithm, digest_type (0-255) and digest");
      }
      c.ds.push_back({static_cast<std::uint16_t>(*tag), static_cast<std::uint8_t>(*alg),
                      static_cast<std::uint8_t>(*dt), std::string(*digest)});
    }
  }
  if (auto m = detail::get_string(o, "manager")) c.new_manager = std::string(*m);
  if (c.kind == ChangeKind::transfer) {
    if (c.new_manager.empty()) return fail(Errc::invalid_input, "a transfer request needs a 'manager' (the new manager's actor id)");
    if (!is_valid_actor_id(c.new_manager)) {
      return fail(Errc::invalid_input, "'" + c.new_manager + "' is not a valid actor id");
    }
  }
  if (auto t = detail::get_string(o, "target")) {
    auto rt = root_target_from(*t);
    if (!rt) return fail(Errc::invalid_input, "unknown root-update target '" + std::string(*t) + "': use root-ns, dnskey or soa-timers");
    c.root_target = *rt;
  }
  if (c.kind == ChangeKind::root_update && c.root_target == RootTarget::none) {
    return fail(Errc::invalid_input, "a root-update request needs a 'target': root-ns, dnskey or soa-timers");
  }
  if (const auto* keys = o.if_contains("dnskeys")) {
    if (!keys->is_array()) return fail(Errc::invalid_input, "'dnskeys' must be an array of strings");
    for (const auto& k2 : keys->as_array()) {
      if (!k2.is_string()) return fail(Errc::invalid_input, "'dnskeys' must be an array of strings");
      c.dnskeys.emplace_back(k2.as_string());
    }
  }
  if (const auto* soa = o.if_contains("soa")) {
    if (!soa->is_object()) return fail(Errc::invalid_input, "'soa' must be an object of timers");
    for (const auto& kv : soa->as_object()) {
      auto v = detail::as_uint(kv.value());
      if (!v || *v > 0x7fffffffu) return fail(Errc::invalid_input, "soa timer '" + std::string(kv.key()) + "' must be 0..2147483647");
      auto val = static_cast<std::uint32_t>(*v);
      if (kv.key() == "refresh") c.soa_refresh = val;
      else if (kv.key() == "retry") c.soa_retry = val;
      else if (kv.key() == "expire") c.soa_expire = val;
      else if (kv.key() == "minimum") c.soa_minimum = val;
      else return fail(Errc::invalid_input, "unknown soa timer '" + std::string(kv.key()) + "'");
    }
  }
  if (auto n = detail::get_string(o, "note")) c.note = std::string(*n);
  return c;
}

namespace {

json::object change_to_object(const ChangeRequest& c) {
  json::object o;
  o["kind"] = to_string(c.kind);
  if (!c.tld.empty()) o["tld"] = c.tld;
  if (!c.ns.empty()) {
    json::array ns;
    for (const auto& n : c.ns) {
      json::array addrs;
      for (const auto& a : n.addresses) addrs.emplace_back(a);
      ns.emplace_back(json::object{{"host", n.host}, {"addresses", std::move(addrs)}});
    }
    o["ns"] = std::move(ns);
  }
  if (!c.ds.empty() || c.kind == ChangeKind::ds_update) {
    json::array ds;
    for (const auto& d : c.ds) {
      ds.emplace_back(json::object{{"key_tag", d.key_tag},
                                   {"algorithm", d.algorithm},
                                   {"digest_type", d.digest_type},
                                   {"digest", d.digest_hex}});
    }
    o["ds"] = std::move(ds);
  }
  if (!c.new_manager.empty()) o["manager"] = c.new_manager;
  if (c.root_target != RootTarget::none) o["target"] = root_target_name(c.root_target);
  if (!c.dnskeys.empty()) {
    json::array keys;
    for (const auto& k : c.dnskeys) keys.emplace_back(k);
    o["dnskeys"] = std::move(keys);
  }
  if (c.soa_refresh || c.soa_retry || c.soa_expire || c.soa_minimum) {
    json::object soa;
    if (c.soa_refresh) soa["refresh"] = *c.soa_refresh;
    if (c.soa_retry) soa["retry"] = *c.soa_retry;
    if (c.soa_expire) soa["expire"] = *c.soa_expire;
    if (c.soa_minimum) soa["minimum"] = *c.soa_minimum;
    o["soa"] = std::move(soa);
  }
  if (!c.note.empty()) o["note"] = c.note;
  return o;
}

json::array ids(const std::vector<ActorId>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

}  // namespace

std::string change_request_to_json(const ChangeRequest& change) { return json::serialize(change_to_object(change)); }

std::string request_summary_json(const RequestInfo& r) {
  json::object o;
  o["id"] = r.id;
  o["state"] = to_string(r.state);
  o["awaiting"] = r.state != RequestState::awaiting ? json::array{} : ids(r.decision.awaiting);
  if (r.serial) o["serial"] = *r.serial;
  return json::serialize(o);
}

std::string request_info_to_json(const RequestInfo& r) {
  json::object o;
  o["id"] = r.id;
  o["state"] = to_string(r.state);
  o["kind"] = to_string(r.change.kind);
  o["tld"] = r.change.tld;
  o["tld_class"] = to_string(r.view.tld_class);
  o["requester"] = r.view.requester;
  o["affected"] = ids(r.view.affected);
  o["submitted_at"] = format_time(r.view.submitted_at);
  o["updated_at"] = format_time(r.updated_at);
  o["change"] = change_to_object(r.change);
  o["awaiting"] = is_terminal(r.state) || r.state != RequestState::awaiting ? json::array{} : ids(r.decision.awaiting);
  o["may_comment"] = r.state == RequestState::awaiting ? ids(r.decision.may_comment) : json::array{};
  json::object d;
  d["outcome"] = to_string(r.decision.outcome);
  d["stage"] = r.decision.stage;
  d["explanation"] = r.decision.explanation;
  json::array rules;
  for (const auto& s : r.decision.rules_applied) rules.emplace_back(s);
  d["rules_applied"] = std::move(rules);
  d["approvers"] = ids(r.decision.approvers);
  if (r.decision.deadline) d["deadline"] = format_time(*r.decision.deadline);
  json::array stages;
  for (const auto& s : r.decision.stages) {
    stages.emplace_back(json::object{{"id", s.id},
                                     {"name", s.name},
                                     {"rule", s.rule},
                                     {"advisory", s.advisory},
                                     {"state", s.state},
                                     {"approved", ids(s.approved)},
                                     {"rejected", ids(s.rejected)}});
  }
  d["stages"] = std::move(stages);
  o["decision"] = std::move(d);
  json::array ballots;
  for (const auto& b : r.ballots) {
    ballots.emplace_back(json::object{
        {"actor", b.actor}, {"vote", to_string(b.vote)}, {"comment", b.comment}, {"at", format_time(b.at)}});
  }
  o["ballots"] = std::move(ballots);
  json::array findings;
  for (const auto& f : r.findings) findings.emplace_back(f);
  o["findings"] = std::move(findings);
  if (r.serial) o["serial"] = *r.serial;
  if (!r.zone_digest.empty()) o["zone_digest"] = r.zone_digest;
  json::array idx;
  for (auto i : r.log_indexes) idx.emplace_back(i);
  o["log_indexes"] = std::move(idx);
  return json::serialize(o);
}

}  // namespace rootgov::authority
