// authority/src/resume_state.cpp - snapshot state codec (Boost.JSON).
#include "resume_state.hpp"

#include <boost/json.hpp>

#include <charconv>

#include "json_util.hpp"

namespace rootgov::authority::detail {

namespace json = boost::json;

namespace {

// Encoding writes the JSON text straight into one string (a snapshot holds thousands of
// requests; building a Boost.JSON value for each cost ~50 us a request). Decoding parses it with
// Boost.JSON as before: the text is the same.
class Writer {
 public:
  explicit Writer(std::string& out) : m_out(out) {}

  void begin_object() { open('{'); }
  void end_object() { close('}'); }
  void begin_array() { open('['); }
  void end_array() { close(']'); }
  /// The next member's name (inside an object).
  void key(std::string_view k) {
    comma();
    append_json_string(m_out, k);
    m_out += ':';
    m_after_key = true;
  }
  void string(std::string_view s) {
    comma();
    append_json_string(m_out, s);
  }

  template <class T>
  void number(T v) {
    comma();
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    m_out.append(buf, r.ptr);
  }
  void boolean(bool b) {
    comma();
    m_out += b ? "true" : "false";
  }
  /// Text that is one JSON value already.
  void raw(std::string_view json) {
    comma();
    m_out.append(json);
  }
  void strings(const std::vector<std::string>& v) {
    begin_array();
    for (const auto& x : v) string(x);
    end_array();
  }

 private:
  void open(char c) {
    comma();
    m_out += c;
    m_first = true;
  }
  void close(char c) {
    m_out += c;
    m_first = false;
  }
  // A comma before every value but the first of its container (a member's value follows its key).
  void comma() {
    if (m_after_key) {
      m_after_key = false;
      return;
    }
    if (!m_first) m_out += ',';
    m_first = false;
  }
  std::string& m_out;
  bool m_first = true;
  bool m_after_key = false;
};

void write_ballot(Writer& w, const Ballot& b) {
  w.begin_object();
  w.key("actor");
  w.string(b.actor);
  w.key("vote");
  w.number(static_cast<int>(b.vote));
  w.key("comment");
  w.string(b.comment);
  w.key("at");
  w.number(b.at.seconds);
  w.end_object();
}

void write_request(Writer& w, const RequestInfo& r) {
  w.begin_object();
  w.key("id");
  w.string(r.id);
  w.key("change");
  w.raw(change_request_to_json(r.change));
  const RequestView& v = r.view;
  w.key("view");
  w.begin_object();
  w.key("id");
  w.string(v.id);
  w.key("kind");
  w.number(static_cast<int>(v.kind));
  w.key("tld");
  w.string(v.tld);
  w.key("tld_class");
  w.number(static_cast<int>(v.tld_class));
  w.key("root_target");
  w.number(static_cast<int>(v.root_target));
  w.key("requester");
  w.string(v.requester);
  w.key("affected");
  w.strings(v.affected);
  w.key("country");
  w.string(v.country);
  w.key("submitted_at");
  w.number(v.submitted_at.seconds);
  w.end_object();
  w.key("state");
  w.number(static_cast<int>(r.state));
  const Decision& d = r.decision;
  w.key("decision");
  w.begin_object();
  w.key("outcome");
  w.number(static_cast<int>(d.outcome));
  w.key("stage");
  w.string(d.stage);
  w.key("rules_applied");
  w.strings(d.rules_applied);
  w.key("ballots_counted");
  w.begin_array();
  for (const auto& b : d.ballots_counted) write_ballot(w, b);
  w.end_array();
  w.key("awaiting");
  w.strings(d.awaiting);
  w.key("may_comment");
  w.strings(d.may_comment);
  w.key("approvers");
  w.strings(d.approvers);
  if (d.deadline) {
    w.key("deadline");
    w.number(d.deadline->seconds);
  }
  w.key("stages");
  w.begin_array();
  for (const auto& st : d.stages) {
    w.begin_object();
    w.key("id");
    w.string(st.id);
    w.key("name");
    w.string(st.name);
    w.key("rule");
    w.string(st.rule);
    w.key("advisory");
    w.boolean(st.advisory);
    w.key("state");
    w.string(st.state);
    w.key("approved");
    w.strings(st.approved);
    w.key("rejected");
    w.strings(st.rejected);
    w.end_object();
  }
  w.end_array();
  w.key("explanation");
  w.string(d.explanation);
  w.end_object();
  w.key("ballots");
  w.begin_array();
  for (const auto& b : r.ballots) write_ballot(w, b);
  w.end_array();
  w.key("findings");
  w.strings(r.findings);
  w.key("updated_at");
  w.number(r.updated_at.seconds);
  if (r.serial) {
    w.key("serial");
    w.number(*r.serial);
  }
  w.key("zone_digest");
  w.string(r.zone_digest);
  w.key("log_indexes");
  w.begin_array();
  for (auto i : r.log_indexes) w.number(i);
  w.end_array();
  w.end_object();
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

std::string SegmentRef::file_name() const { return std::to_string(from) + "-" + std::to_string(to) + ".seg"; }

std::string encode_segment(const SegmentRef& range, std::string_view entry_hash,
                           const std::vector<const RequestInfo*>& requests) {
  std::string out;
  out.reserve(64 + requests.size() * 4096);  // ~3 KB each: no regrowth
  Writer w(out);
  w.begin_object();
  w.key("format");
  w.number(Segment::kFormat);
  w.key("from");
  w.number(range.from);
  w.key("to");
  w.number(range.to);
  w.key("entry_hash");
  w.string(entry_hash);
  w.key("requests");
  w.begin_array();
  for (const RequestInfo* r : requests) write_request(w, *r);
  w.end_array();
  w.end_object();
  return out;
}

Result<Segment> decode_segment(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) return fail(Errc::check_failed, "segment is not valid JSON: " + ec.message());
  try {
    const json::object& o = obj(v, "segment");
    if (u64(o, "format") != Segment::kFormat) throw Bad{"unknown format " + std::to_string(u64(o, "format"))};
    Segment seg;
    seg.range = SegmentRef{u64(o, "from"), u64(o, "to")};
    if (seg.range.from >= seg.range.to) throw Bad{"empty or reversed range"};
    seg.entry_hash = str(o, "entry_hash");
    for (const auto& r : arr(o, "requests")) {
      RequestInfo info = request_from(r);
      const std::uint64_t last = info.log_indexes.empty() ? 0 : info.log_indexes.back();
      if (!is_terminal(info.state)) throw Bad{"request '" + info.id + "' is not finished"};
      if (last < seg.range.from || last >= seg.range.to) throw Bad{"request '" + info.id + "' lies outside the range"};
      seg.requests.push_back(std::move(info));
    }
    return seg;
  } catch (const Bad& bad) {
    return fail(Errc::check_failed, "segment: " + bad.what);
  }
}

std::string encode_resume_state(const ResumeState& s, const std::vector<const RequestInfo*>& own) {
  std::string out;
  out.reserve(1024 + s.zone_text.size() * 11 / 10 + own.size() * 4096);
  Writer w(out);
  w.begin_object();
  w.key("format");
  w.number(ResumeState::kFormat);
  w.key("model");
  w.string(s.model);
  w.key("registry");
  w.string(s.registry_fingerprint);
  w.key("log_size");
  w.number(s.log_size);
  w.key("last_entry_hash");
  w.string(s.last_entry_hash);
  w.key("merkle_root");
  w.string(s.merkle_root);
  w.key("zone_digest");
  w.string(s.zone_digest);
  w.key("clock");
  w.number(s.clock.seconds);
  w.key("sign_epoch");
  w.number(s.sign_epoch);
  w.key("requests");
  w.begin_array();
  for (const RequestInfo* r : own) write_request(w, *r);
  w.end_array();
  w.key("segments");
  w.begin_array();
  for (const auto& seg : s.segments) {
    w.begin_array();
    w.number(seg.from);
    w.number(seg.to);
    w.end_array();
  }
  w.end_array();
  // "last_seq" (the floor, as written before replay windows) and "seq_window" (the accepted
  // seqs above it); a snapshot without "seq_window" resumes with empty windows.
  w.key("last_seq");
  w.begin_object();
  for (const auto& [actor, win] : s.seq_windows) {
    w.key(actor);
    w.number(win.floor);
  }
  w.end_object();
  w.key("seq_window");
  w.begin_object();
  for (const auto& [actor, win] : s.seq_windows) {
    w.key(actor);
    w.begin_array();
    for (std::uint64_t seq : win.recent) w.number(seq);
    w.end_array();
  }
  w.end_object();
  w.key("ids_per_day");
  w.begin_object();
  for (const auto& [day, n] : s.ids_per_day) {
    w.key(day);
    w.number(n);
  }
  w.end_object();
  w.key("manages");
  w.begin_object();
  for (const auto& [actor, tlds] : s.manages) {
    w.key(actor);
    w.strings(tlds);
  }
  w.end_object();
  w.key("zone_text");
  w.string(s.zone_text);
  w.end_object();
  return out;
}

Result<ResumeState> decode_resume_state(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) return fail(Errc::check_failed, "snapshot state is not valid JSON: " + ec.message());
  try {
    const json::object& o = obj(v, "snapshot state");
    const std::uint64_t format = u64(o, "format");
    if (format != 1 && format != ResumeState::kFormat) throw Bad{"unknown format " + std::to_string(format)};
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
    if (format >= 2) {
      std::uint64_t next = 0;
      for (const auto& pair : arr(o, "segments")) {
        if (!pair.is_array() || pair.as_array().size() != 2) throw Bad{"'segments' holds something other than [from, to]"};
        SegmentRef seg{u64(pair.as_array()[0], "segments"), u64(pair.as_array()[1], "segments")};
        if (seg.from != next || seg.to <= seg.from) throw Bad{"'segments' are not contiguous from entry 0"};
        if (seg.to > s.log_size) throw Bad{"a segment ends after the snapshot"};
        next = seg.to;
        s.segments.push_back(seg);
      }
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
