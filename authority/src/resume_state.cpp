// authority/src/resume_state.cpp - snapshot state codec (Boost.JSON).
#include "resume_state.hpp"

#include <boost/json.hpp>

#include "json_util.hpp"

namespace rootgov::authority::detail {

namespace json = boost::json;

namespace {

json::array strings(const std::vector<std::string>& v) {
  json::array a;
  a.reserve(v.size());
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

json::object ballot_to(const Ballot& b) {
  return json::object{{"actor", b.actor}, {"vote", static_cast<int>(b.vote)}, {"comment", b.comment}, {"at", b.at.seconds}};
}

json::object request_to(const RequestInfo& r) {
  json::object o;
  o["id"] = r.id;
  o["change"] = json::parse(change_request_to_json(r.change));
  const RequestView& v = r.view;
  o["view"] = json::object{{"id", v.id},
                           {"kind", static_cast<int>(v.kind)},
                           {"tld", v.tld},
                           {"tld_class", static_cast<int>(v.tld_class)},
                           {"root_target", static_cast<int>(v.root_target)},
                           {"requester", v.requester},
                           {"affected", strings(v.affected)},
                           {"country", v.country},
                           {"submitted_at", v.submitted_at.seconds}};
  o["state"] = static_cast<int>(r.state);
  const Decision& d = r.decision;
  json::object dj;
  dj["outcome"] = static_cast<int>(d.outcome);
  dj["stage"] = d.stage;
  dj["rules_applied"] = strings(d.rules_applied);
  json::array counted;
  for (const auto& b : d.ballots_counted) counted.emplace_back(ballot_to(b));
  dj["ballots_counted"] = std::move(counted);
  dj["awaiting"] = strings(d.awaiting);
  dj["may_comment"] = strings(d.may_comment);
  dj["approvers"] = strings(d.approvers);
  if (d.deadline) dj["deadline"] = d.deadline->seconds;
  json::array stages;
  for (const auto& s : d.stages) {
    stages.emplace_back(json::object{{"id", s.id},
                                     {"name", s.name},
                                     {"rule", s.rule},
                                     {"advisory", s.advisory},
                                     {"state", s.state},
                                     {"approved", strings(s.approved)},
                                     {"rejected", strings(s.rejected)}});
  }
  dj["stages"] = std::move(stages);
  dj["explanation"] = d.explanation;
  o["decision"] = std::move(dj);
  json::array ballots;
  for (const auto& b : r.ballots) ballots.emplace_back(ballot_to(b));
  o["ballots"] = std::move(ballots);
  o["findings"] = strings(r.findings);
  o["updated_at"] = r.updated_at.seconds;
  if (r.serial) o["serial"] = *r.serial;
  o["zone_digest"] = r.zone_digest;
  json::array idx;
  for (auto i : r.log_indexes) idx.emplace_back(i);
  o["log_indexes"] = std::move(idx);
  return o;
}

// Decoding: any missing or mistyped member throws Bad, turned into one check_failed error.
struct Bad {
  std::string what;
};

const json::value& member(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) throw Bad{"missing '" + std::string(key) + "'"};
  return *v;
}
const json::object& obj(const json::value& v, std::string_view what) {
  if (!v.is_object()) throw Bad{std::string(what) + " is not an object"};
  return v.as_object();
}
const json::array& arr(const json::object& o, std::string_view key) {
  const json::value& v = member(o, key);
  if (!v.is_array()) throw Bad{"'" + std::string(key) + "' is not an array"};
  return v.as_array();
}
std::string str(const json::value& v, std::string_view key) {
  if (!v.is_string()) throw Bad{"'" + std::string(key) + "' is not a string"};
  return std::string(v.as_string());
}
std::string str(const json::object& o, std::string_view key) { return str(member(o, key), key); }
std::int64_t i64(const json::value& v, std::string_view key) {
  if (v.is_int64()) return v.as_int64();
  if (v.is_uint64() && v.as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) return static_cast<std::int64_t>(v.as_uint64());
  throw Bad{"'" + std::string(key) + "' is not an integer"};
}
std::int64_t i64(const json::object& o, std::string_view key) { return i64(member(o, key), key); }
std::uint64_t u64(const json::value& v, std::string_view key) {
  auto u = as_uint(v);
  if (!u) throw Bad{"'" + std::string(key) + "' is not an unsigned integer"};
  return *u;
}
std::uint64_t u64(const json::object& o, std::string_view key) { return u64(member(o, key), key); }
bool boolean(const json::object& o, std::string_view key) {
  const json::value& v = member(o, key);
  if (!v.is_bool()) throw Bad{"'" + std::string(key) + "' is not a boolean"};
  return v.as_bool();
}
template <class E>
E enumerator(const json::object& o, std::string_view key, int last) {
  std::int64_t v = i64(o, key);
  if (v < 0 || v > last) throw Bad{"'" + std::string(key) + "' is out of range"};
  return static_cast<E>(v);
}
std::vector<std::string> strings_of(const json::object& o, std::string_view key) {
  std::vector<std::string> out;
  for (const auto& v : arr(o, key)) out.push_back(str(v, key));
  return out;
}

Ballot ballot_from(const json::value& v) {
  const json::object& o = obj(v, "ballot");
  return Ballot{str(o, "actor"), enumerator<Vote>(o, "vote", static_cast<int>(Vote::comment)), str(o, "comment"),
                Timestamp{i64(o, "at")}};
}

RequestInfo request_from(const json::value& value) {
  const json::object& o = obj(value, "request");
  RequestInfo r;
  r.id = str(o, "id");
  auto change = change_request_from_json(json::serialize(member(o, "change")));
  if (!change) throw Bad{"request '" + r.id + "': " + change.error().message};
  r.change = std::move(*change);
  const json::object& v = obj(member(o, "view"), "view");
  r.view.id = str(v, "id");
  r.view.kind = enumerator<ChangeKind>(v, "kind", static_cast<int>(ChangeKind::contact_update));
  r.view.tld = str(v, "tld");
  r.view.tld_class = enumerator<TldClass>(v, "tld_class", static_cast<int>(TldClass::root));
  r.view.root_target = enumerator<RootTarget>(v, "root_target", static_cast<int>(RootTarget::soa_timers));
  r.view.requester = str(v, "requester");
  r.view.affected = strings_of(v, "affected");
  r.view.country = str(v, "country");
  r.view.submitted_at = Timestamp{i64(v, "submitted_at")};
  r.state = enumerator<RequestState>(o, "state", static_cast<int>(RequestState::expired));
  const json::object& d = obj(member(o, "decision"), "decision");
  r.decision.outcome = enumerator<Outcome>(d, "outcome", static_cast<int>(Outcome::expired));
  r.decision.stage = str(d, "stage");
  r.decision.rules_applied = strings_of(d, "rules_applied");
  for (const auto& b : arr(d, "ballots_counted")) r.decision.ballots_counted.push_back(ballot_from(b));
  r.decision.awaiting = strings_of(d, "awaiting");
  r.decision.may_comment = strings_of(d, "may_comment");
  r.decision.approvers = strings_of(d, "approvers");
  if (d.contains("deadline")) r.decision.deadline = Timestamp{i64(d, "deadline")};
  for (const auto& sv : arr(d, "stages")) {
    const json::object& s = obj(sv, "stage");
    r.decision.stages.push_back(StageReport{str(s, "id"), str(s, "name"), str(s, "rule"), boolean(s, "advisory"),
                                            str(s, "state"), strings_of(s, "approved"), strings_of(s, "rejected")});
  }
  r.decision.explanation = str(d, "explanation");
  for (const auto& b : arr(o, "ballots")) r.ballots.push_back(ballot_from(b));
  r.findings = strings_of(o, "findings");
  r.updated_at = Timestamp{i64(o, "updated_at")};
  if (o.contains("serial")) {
    std::uint64_t serial = u64(o, "serial");
    if (serial > UINT32_MAX) throw Bad{"'serial' is out of range"};
    r.serial = static_cast<std::uint32_t>(serial);
  }
  r.zone_digest = str(o, "zone_digest");
  for (const auto& i : arr(o, "log_indexes")) r.log_indexes.push_back(u64(i, "log_indexes"));
  return r;
}

}  // namespace

std::string encode_resume_state(const ResumeState& s) {
  json::object o;
  o["format"] = ResumeState::kFormat;
  o["model"] = s.model;
  o["registry"] = s.registry_fingerprint;
  o["log_size"] = s.log_size;
  o["last_entry_hash"] = s.last_entry_hash;
  o["merkle_root"] = s.merkle_root;
  o["zone_digest"] = s.zone_digest;
  o["clock"] = s.clock.seconds;
  o["sign_epoch"] = s.sign_epoch;
  json::array requests;
  requests.reserve(s.requests.size());
  for (const auto& [id, r] : s.requests) requests.emplace_back(request_to(r));
  o["requests"] = std::move(requests);
  // "last_seq" (the floor, as written before replay windows) and "seq_window" (the accepted
  // seqs above it); a snapshot without "seq_window" resumes with empty windows.
  json::object floors;
  json::object windows;
  for (const auto& [actor, w] : s.seq_windows) {
    floors[actor] = w.floor;
    json::array recent;
    for (std::uint64_t seq : w.recent) recent.emplace_back(seq);
    windows[actor] = std::move(recent);
  }
  o["last_seq"] = std::move(floors);
  o["seq_window"] = std::move(windows);
  json::object days;
  for (const auto& [day, n] : s.ids_per_day) days[day] = n;
  o["ids_per_day"] = std::move(days);
  json::object manages;
  for (const auto& [actor, tlds] : s.manages) manages[actor] = strings(tlds);
  o["manages"] = std::move(manages);
  o["zone_text"] = s.zone_text;
  return json::serialize(o);
}

Result<ResumeState> decode_resume_state(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) return fail(Errc::check_failed, "snapshot state is not valid JSON: " + ec.message());
  try {
    const json::object& o = obj(v, "snapshot state");
    if (u64(o, "format") != ResumeState::kFormat) throw Bad{"unknown format " + std::to_string(u64(o, "format"))};
    ResumeState s;
    s.model = str(o, "model");
    s.registry_fingerprint = str(o, "registry");
    s.log_size = u64(o, "log_size");
    s.last_entry_hash = str(o, "last_entry_hash");
    s.merkle_root = str(o, "merkle_root");
    s.zone_digest = str(o, "zone_digest");
    s.clock = Timestamp{i64(o, "clock")};
    s.sign_epoch = i64(o, "sign_epoch");
    for (const auto& r : arr(o, "requests")) {
      RequestInfo info = request_from(r);
      RequestId id = info.id;
      if (!s.requests.emplace(std::move(id), std::move(info)).second) throw Bad{"a request appears twice"};
    }
    for (const auto& [actor, seq] : obj(member(o, "last_seq"), "last_seq")) {
      s.seq_windows[actor].floor = u64(seq, "last_seq");
    }
    if (const json::value* windows = o.if_contains("seq_window")) {
      for (const auto& [actor, recent] : obj(*windows, "seq_window")) {
        ReplayGuard::Window& w = s.seq_windows[actor];
        if (!recent.is_array()) throw Bad{"'seq_window' of '" + std::string(actor) + "' is not an array"};
        for (const auto& seq : recent.as_array()) {
          std::uint64_t n = u64(seq, "seq_window");
          if (n <= w.floor) throw Bad{"'seq_window' holds a seq at or below its floor"};
          w.recent.push_back(n);
        }
        if (w.recent.size() > ReplayGuard::kWindow) throw Bad{"'seq_window' holds more seqs than the window"};
      }
    }
    for (const auto& [day, n] : obj(member(o, "ids_per_day"), "ids_per_day")) {
      std::uint64_t count = u64(n, "ids_per_day");
      if (count > UINT32_MAX) throw Bad{"'ids_per_day' is out of range"};
      s.ids_per_day[day] = static_cast<unsigned>(count);
    }
    for (const auto& [actor, tlds] : obj(member(o, "manages"), "manages")) {
      std::vector<std::string> list;
      if (!tlds.is_array()) throw Bad{"'manages' is not an object of arrays"};
      for (const auto& t : tlds.as_array()) list.push_back(str(t, "manages"));
      s.manages[actor] = std::move(list);
    }
    s.zone_text = str(o, "zone_text");
    return s;
  } catch (const Bad& bad) {
    return fail(Errc::check_failed, "snapshot state: " + bad.what);
  }
}

}  // namespace rootgov::authority::detail
