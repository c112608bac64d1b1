// engine.cpp - evaluating a ModelSpec: replay the ballots against the stages, in time order.
#include <rootgov/policies/engine.hpp>

#include <algorithm>
#include <limits>
#include <map>
#include <numeric>
#include <memory>
#include <mutex>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

#include "model_text.hpp"

namespace rootgov::policies {

using authority::ActorId;
using authority::ActorRegistry;
using authority::Ballot;
using authority::Decision;
using authority::Outcome;
using authority::RequestView;
using authority::Timestamp;
using authority::Vote;

namespace {

constexpr std::int64_t kMaxScale = 1'000'000;
constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();
constexpr std::size_t kNamesShown = 6;

enum class State { waiting, open, passed, failed, skipped };

std::string_view state_name(State s) {
  switch (s) {
    case State::waiting:
      return "waiting";
    case State::open:
      return "open";
    case State::passed:
      return "passed";
    case State::failed:
      return "failed";
    case State::skipped:
      return "skipped";
  }
  return "?";
}

struct Member {
  ActorId id;
  std::int64_t units = 1;  ///< seat weight times the stage's scale
  std::string region;      ///< the seat's region (regional seats only)
  bool veto = false;
};

/// Who sits on one stage for one request, and with what weight.
struct Seat {
  std::vector<Member> members;  // sorted by id
  std::int64_t scale = 1;       // units per seat
  bool weighted = false;        // counts seats, not members
  std::size_t regions_seated = 0;
};

/// One applicable stage as the replay runs it.
struct StageRun {
  const StageSpec* spec = nullptr;
  const Seat* seat = nullptr;  // in the Seating the Evaluator holds
  State state = State::waiting;
  std::optional<Timestamp> deadline;
  std::map<ActorId, std::size_t> votes;  // approve/reject: actor -> ballot index
  std::vector<std::size_t> order;        // those ballot indexes in arrival order
  std::vector<std::size_t> comments;     // comment ballots
  std::string note;                      // why it was skipped, or how it ended by timeout
  bool objected = false;
  bool timed_out = false;
  std::size_t silent_consents = 0;

  bool background() const { return spec->advisory && !spec->hold; }
  const Member* member(std::string_view id) const {
    const auto& members = seat->members;
    auto it = std::lower_bound(members.begin(), members.end(), id,
                               [](const Member& m, std::string_view v) { return m.id < v; });
    return (it != members.end() && it->id == id) ? &*it : nullptr;
  }
};

struct Tally {
  std::int64_t for_units = 0, against_units = 0, silent_units = 0, total_units = 0;
  std::size_t for_n = 0, against_n = 0, silent_n = 0, n = 0;
  std::set<std::string> regions_for, regions_possible;
  std::optional<ActorId> veto_by;
};

std::int64_t gcd64(std::int64_t a, std::int64_t b) { return std::gcd(a, b); }

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : std::string(sep)) + i;
  return out;
}

/// "a, b, c (and 4 more)"
std::string names(const std::vector<ActorId>& ids) {
  std::vector<std::string> shown(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(std::min(ids.size(), kNamesShown)));
  std::string out = join(shown, ", ");
  if (ids.size() > kNamesShown) out += fmt::format(" (and {} more)", ids.size() - kNamesShown);
  return out;
}

std::string seats(std::int64_t units, std::int64_t scale) {
  if (units % scale == 0) return fmt::format("{}", units / scale);
  return fmt::format("{:.2f}", static_cast<double>(units) / static_cast<double>(scale));
}

bool applies(const StageSpec& s, const RequestView& r) { return in_scope(s.applies_to, r); }

std::string bodies_label(const ModelSpec& model, const std::vector<std::string>& bodies) {
  std::vector<std::string> labels;
  for (const auto& b : bodies) {
    const BodySpec* spec = model.body(b);
    labels.push_back(spec != nullptr ? spec->name : b);
  }
  return join(labels, " and ");
}

// The seats of `stage` for `request`: the members of its bodies, weighted, and who may veto.
Seat seat_stage(const ModelSpec& model, const StageSpec& stage, const RequestView& request,
                const ActorRegistry& registry) {
  Seat seat;
  struct Weight {
    std::int64_t num, den;
    std::string region;
  };
  std::map<ActorId, Weight> weights;
  std::set<std::string> seated_regions;
  for (const auto& body_id : stage.bodies) {
    const BodySpec* body = model.body(body_id);
    if (body == nullptr) continue;  // INVARIANT: parse_model checked every reference
    auto ids = members_of(*body, request, registry);
    if (!body->regional_seats.empty()) {
      seat.weighted = true;
      std::map<std::string, std::int64_t> per_region;
      for (const auto& id : ids) {
        const authority::Actor* a = registry.find(id);
        if (a != nullptr && body->regional_seats.contains(a->region)) ++per_region[a->region];
      }
      for (const auto& id : ids) {
        const authority::Actor* a = registry.find(id);
        if (a == nullptr || !per_region.contains(a->region) || weights.contains(id)) continue;
        weights[id] = Weight{body->regional_seats.at(a->region), per_region[a->region], a->region};
        seated_regions.insert(a->region);
      }
    } else {
      if (!body->weights.empty()) seat.weighted = true;
      for (const auto& id : ids) {
        if (weights.contains(id)) continue;
        auto w = body->weights.find(id);
        weights[id] = Weight{w == body->weights.end() ? 1 : w->second, 1, ""};
      }
    }
  }
  std::int64_t scale = 1;
  for (const auto& [id, w] : weights) {
    std::int64_t g = gcd64(scale, w.den);
    if (scale / g > kMaxScale / w.den) {
      scale = kMaxScale;  // too many distinct denominators: approximate to a millionth of a seat
      break;
    }
    scale = scale / g * w.den;
  }
  seat.scale = scale;
  seat.regions_seated = seated_regions.size();
  std::set<ActorId> veto;
  for (const auto& body_id : stage.veto) {
    const BodySpec* body = model.body(body_id);
    if (body == nullptr) continue;
    for (auto& id : members_of(*body, request, registry)) veto.insert(std::move(id));
  }
  for (const auto& [id, w] : weights) {
    seat.members.push_back(Member{id, w.num * scale / w.den, w.region, veto.contains(id)});
  }
  return seat;
}

/// The seats of every stage of a model for one request, made for `view` under the registry of
/// `registry_revision`: whether the model's stage k applies to the request (`applies[k]`) and,
/// if it does, its seats (`seats[k]`).
struct Seating {
  RequestView view;
  std::uint64_t registry_revision = 0;
  std::vector<bool> applies;
  std::vector<Seat> seats;
};

std::shared_ptr<const Seating> seat_model(const ModelSpec& model, const RequestView& request, const ActorRegistry& registry) {
  auto s = std::make_shared<Seating>();
  s->view = request;
  s->registry_revision = registry.revision();
  s->applies.reserve(model.stages.size());
  s->seats.resize(model.stages.size());
  for (std::size_t k = 0; k < model.stages.size(); ++k) {
    const bool applies_here = applies(model.stages[k], request);
    s->applies.push_back(applies_here);
    if (applies_here) s->seats[k] = seat_stage(model, model.stages[k], request, registry);
  }
  return s;
}

bool same_view(const RequestView& a, const RequestView& b) {
  return a.id == b.id && a.kind == b.kind && a.tld == b.tld && a.tld_class == b.tld_class &&
         a.root_target == b.root_target && a.requester == b.requester && a.affected == b.affected &&
         a.country == b.country && a.submitted_at.seconds == b.submitted_at.seconds;
}

class Evaluator {
 public:
  /// `seating`: seat_model(model, request, registry) for the registry in force.
  Evaluator(const ModelSpec& model, const RequestView& request, std::span<const Ballot> ballots,
            std::shared_ptr<const Seating> seating)
      : m_model(model), m_request(request), m_ballots(ballots), m_seating(std::move(seating)) {
    m_runs.reserve(model.stages.size());  // a StageRun is heavy to move
    for (std::size_t k = 0; k < model.stages.size(); ++k) {
      if (!m_seating->applies[k]) continue;
      StageRun run;
      run.spec = &model.stages[k];
      run.seat = &m_seating->seats[k];
      m_runs.push_back(std::move(run));
    }
    std::string current;
    for (std::size_t i = 0; i < m_runs.size(); ++i) {
      const StageSpec& s = *m_runs[i].spec;
      if (m_runs[i].background()) {
        m_background.push_back(i);
        continue;
      }
      if (!s.group.empty() && s.group == current && !m_groups.empty()) {
        m_groups.back().push_back(i);
      } else {
        m_groups.push_back({i});
      }
      current = s.group;
    }
  }

  void run(Timestamp now) {
    Timestamp start = m_request.submitted_at;
    for (std::size_t i : m_background) {
      StageRun& r = m_runs[i];
      if (r.seat->members.empty()) {
        r.state = State::skipped;
        r.note = "nobody sits on it for this request";
      } else {
        r.state = State::open;
      }
    }
    bool binding = false;
    for (const auto& g : m_groups) {
      for (std::size_t i : g) binding = binding || !m_runs[i].spec->advisory;
    }
    if (!binding) {
      m_outcome = Outcome::rejected;
      m_no_path = true;
      return;
    }
    open_group(start);
    Timestamp t = start;
    for (std::size_t bi = 0; bi < m_ballots.size() && m_outcome == Outcome::pending; ++bi) {
      t = std::max(t, m_ballots[bi].at);
      advance(t);
      if (m_outcome != Outcome::pending) break;
      apply(bi);
      settle(t);
    }
    if (m_outcome == Outcome::pending) advance(std::max(t, now));
  }

  Decision decision() const;
  /// decision() without its words while the outcome is pending (Policy::route).
  Decision routing() const;
  bool pending() const { return m_outcome == Outcome::pending; }

 private:
  // --- the replay -------------------------------------------------------------------------
  void open_group(Timestamp t) {
    if (m_group >= m_groups.size()) return;
    for (std::size_t i : m_groups[m_group]) {
      StageRun& r = m_runs[i];
      const StageSpec& s = *r.spec;
      if (!s.when_objection.empty()) {
        const StageRun* advice = find_run(s.when_objection);
        if (advice == nullptr || !advice->objected) {
          r.state = State::skipped;
          r.note = fmt::format("no formal objection was recorded at stage '{}'",
                               advice != nullptr ? advice->spec->name : s.when_objection);
          continue;
        }
      }
      if (r.seat->members.empty()) {
        if (s.skip_if_empty || s.advisory) {
          r.state = State::skipped;
          r.note = fmt::format("nobody in {} for this request", bodies_label(m_model, s.bodies));
        } else {
          r.state = State::failed;
          r.note = fmt::format("nobody in {} for this request (no such actor in the registry), and a stage nobody "
                               "can pass rejects the request",
                               bodies_label(m_model, s.bodies));
        }
        continue;
      }
      r.state = State::open;
      if (s.hold) {
        r.deadline = t + *s.hold;
      } else if (s.timeout) {
        r.deadline = t + *s.timeout;
      }
    }
    settle(t);
  }

  const StageRun* find_run(std::string_view id) const {
    for (const auto& r : m_runs) {
      if (r.spec->id == id) return &r;
    }
    return nullptr;
  }

  void apply(std::size_t bi) {
    const Ballot& b = m_ballots[bi];
    auto record = [&](StageRun& r) {
      if (r.state != State::open || r.member(b.actor) == nullptr) return;
      if (b.vote == Vote::comment) {
        r.comments.push_back(bi);
      } else if (!r.votes.contains(b.actor)) {
        r.votes[b.actor] = bi;
        r.order.push_back(bi);
      }
    };
    if (m_group < m_groups.size()) {
      for (std::size_t i : m_groups[m_group]) record(m_runs[i]);
    }
    for (std::size_t i : m_background) record(m_runs[i]);
  }

  /// Fires every deadline up to `t`, earliest first.
  void advance(Timestamp t) {
    while (m_outcome == Outcome::pending && m_group < m_groups.size()) {
      std::optional<Timestamp> next;
      for (std::size_t i : m_groups[m_group]) {
        const StageRun& r = m_runs[i];
        if (r.state == State::open && r.deadline && *r.deadline <= t && (!next || *r.deadline < *next)) next = r.deadline;
      }
      if (!next) return;
      for (std::size_t i : m_groups[m_group]) {
        StageRun& r = m_runs[i];
        if (r.state == State::open && r.deadline == next) time_out(i, *next);
        if (m_outcome != Outcome::pending) return;
      }
      settle(*next);
    }
  }

  void time_out(std::size_t i, Timestamp at) {
    StageRun& r = m_runs[i];
    const StageSpec& s = *r.spec;
    r.timed_out = true;
    Tally t = tally(r);
    if (s.advisory) {
      r.objected = s.objection > 0 && static_cast<std::int64_t>(t.against_n) >= s.objection;
      r.state = State::passed;
      r.note = fmt::format("the hold of {} ended", format_duration(*s.hold));
      return;
    }
    switch (s.on_timeout) {
      case TimeoutOutcome::consent:
        if (passes(r, t.for_units + t.silent_units, t.total_units, t.for_n + t.silent_n, t.n, t.for_n + t.against_n + t.silent_n,
                   t.regions_possible.size())) {
          r.state = State::passed;
          r.silent_consents = t.silent_n;
          r.note = fmt::format("{} silent after {}, counted as consent", t.silent_n, format_duration(*s.timeout));
        } else {
          r.state = State::failed;
          r.note = fmt::format("even counting the {} silent after {} as consent, the rule is not met", t.silent_n,
                               format_duration(*s.timeout));
        }
        break;
      case TimeoutOutcome::reject:
        r.state = State::failed;
        r.note = fmt::format("no decision within {}, and silence counts as rejection", format_duration(*s.timeout));
        break;
      case TimeoutOutcome::expire:
        r.state = State::failed;
        r.note = fmt::format("no decision within {}", format_duration(*s.timeout));
        m_outcome = Outcome::expired;
        m_deciding = i;
        m_decided_at = at;
        break;
      case TimeoutOutcome::count: {
        std::size_t cast = t.for_n + t.against_n;
        if (static_cast<std::int64_t>(cast) < s.rule.quorum || cast == 0) {
          r.state = State::failed;
          r.note = fmt::format("after {} only {} ballots were cast, short of the quorum of {}", format_duration(*s.timeout),
                               cast, std::max<std::int64_t>(s.rule.quorum, 1));
        } else if (passes(r, t.for_units, t.for_units + t.against_units, t.for_n, cast, cast, t.regions_for.size())) {
          r.state = State::passed;
          r.note = fmt::format("after {} the {} ballots cast decided", format_duration(*s.timeout), cast);
        } else {
          r.state = State::failed;
          r.note = fmt::format("after {} the {} ballots cast decided", format_duration(*s.timeout), cast);
        }
        break;
      }
    }
  }

  /// Decides the open stages of the current group that their ballots decide, then moves on.
  void settle(Timestamp t) {
    if (m_outcome != Outcome::pending || m_group >= m_groups.size()) return;
    for (std::size_t i : m_groups[m_group]) {
      StageRun& r = m_runs[i];
      if (r.state != State::open) continue;
      Tally tl = tally(r);
      if (r.spec->advisory) {
        if (tl.silent_n == 0) {
          r.objected = r.spec->objection > 0 && static_cast<std::int64_t>(tl.against_n) >= r.spec->objection;
          r.state = State::passed;
          r.note = "every member gave its advice";
        }
        continue;
      }
      if (tl.veto_by) {
        r.state = State::failed;
        r.note = fmt::format("vetoed by {}", *tl.veto_by);
      } else if (passes(r, tl.for_units, tl.total_units, tl.for_n, tl.n, tl.for_n + tl.against_n, tl.regions_for.size())) {
        r.state = State::passed;
      } else if (!passes(r, tl.for_units + tl.silent_units, tl.total_units, tl.for_n + tl.silent_n, tl.n, tl.n,
                         tl.regions_possible.size())) {
        r.state = State::failed;
      }
    }
    for (std::size_t i : m_groups[m_group]) {
      if (m_runs[i].state == State::failed) {
        m_outcome = Outcome::rejected;
        m_deciding = i;
        m_decided_at = t;
        return;
      }
    }
    for (std::size_t i : m_groups[m_group]) {
      if (m_runs[i].state == State::open) return;
    }
    ++m_group;
    if (m_group == m_groups.size()) {
      m_outcome = Outcome::approved;
      m_decided_at = t;
      for (std::size_t i = 0; i < m_runs.size(); ++i) {
        if (m_runs[i].state == State::passed && !m_runs[i].spec->advisory) m_deciding = i;
      }
      return;
    }
    open_group(t);
  }

  // --- counting ---------------------------------------------------------------------------
  Tally tally(const StageRun& r) const {
    Tally t;
    std::set<std::string> all_regions;
    for (const auto& m : r.seat->members) {
      t.total_units += m.units;
      ++t.n;
      auto v = r.votes.find(m.id);
      if (v == r.votes.end()) {
        t.silent_units += m.units;
        ++t.silent_n;
        if (!m.region.empty()) t.regions_possible.insert(m.region);
        continue;
      }
      if (m_ballots[v->second].vote == Vote::approve) {
        t.for_units += m.units;
        ++t.for_n;
        if (!m.region.empty()) {
          t.regions_for.insert(m.region);
          t.regions_possible.insert(m.region);
        }
      } else {
        t.against_units += m.units;
        ++t.against_n;
        if (m.veto && !t.veto_by) t.veto_by = m.id;
      }
    }
    return t;
  }

  /// Whether `for_units` of `total_units` (`for_n` of `n` members, `cast` ballots, approvals from
  /// `regions` regions) meets the stage's rule.
  bool passes(const StageRun& r, std::int64_t for_units, std::int64_t total_units, std::size_t for_n, std::size_t n,
              std::size_t cast, std::size_t regions) const {
    const RuleSpec& rule = r.spec->rule;
    if (static_cast<std::int64_t>(cast) < rule.quorum) return false;
    switch (rule.kind) {
      case RuleKind::all:
        return n > 0 && for_n == n;
      case RuleKind::any:
        return for_n >= 1;
      case RuleKind::k_of_n:
        return static_cast<std::int64_t>(for_n) >= rule.k;
      case RuleKind::majority:
        return total_units > 0 && 2 * for_units > total_units;
      case RuleKind::supermajority: {
        Fraction f = rule.fraction.value_or(Fraction{2, 3});
        return total_units > 0 && for_units * f.den >= total_units * f.num;
      }
      case RuleKind::regional_seats: {
        bool enough = rule.fraction ? for_units * rule.fraction->den >= total_units * rule.fraction->num
                                    : 2 * for_units > total_units;
        return total_units > 0 && enough && static_cast<std::int64_t>(regions) >= rule.min_regions;
      }
    }
    return false;
  }

 public:
  // --- words ------------------------------------------------------------------------------
  std::string rule_words(const StageRun& r) const {
    const StageSpec& s = *r.spec;
    std::string label = bodies_label(m_model, s.bodies);
    std::size_t n = r.seat->members.size();
    std::int64_t total = 0;
    for (const auto& m : r.seat->members) total += m.units;
    std::string unit = r.seat->weighted ? "seats" : "members";
    std::string total_text = r.seat->weighted ? seats(total, r.seat->scale) : fmt::format("{}", n);
    auto majority_need = [&]() {
      if (r.seat->scale == 1) return fmt::format("{}", total / 2 + 1);
      return fmt::format("more than {}", seats(total, 2 * r.seat->scale));
    };
    auto fraction_need = [&](Fraction f) {
      std::int64_t need_units = (total * f.num + f.den - 1) / f.den;
      if (r.seat->scale == 1) return fmt::format("{}", need_units);
      return fmt::format("at least {}", seats(need_units, r.seat->scale));
    };
    std::string words;
    if (s.advisory) {
      words = fmt::format("advice of {} ({} {}), recorded, never decides", label, n, n == 1 ? "member" : "members");
      if (s.hold) words += fmt::format("; holds the request for up to {}", format_duration(*s.hold));
      if (s.objection > 0) words += fmt::format("; {} rejections make a formal objection", s.objection);
      return words;
    }
    switch (s.rule.kind) {
      case RuleKind::all:
        words = n == 1 ? fmt::format("the approval of {} ({})", label, r.seat->members[0].id)
                       : fmt::format("the approval of all {} {} of {}", n, unit, label);
        break;
      case RuleKind::any:
        words = fmt::format("the approval of any one of {} {} of {}", n, unit, label);
        break;
      case RuleKind::k_of_n:
        words = fmt::format("{} of {} {}", s.rule.k, n, label);
        break;
      case RuleKind::majority:
        words = fmt::format("a majority of {} {} {} ({})", total_text, label, unit, majority_need());
        break;
      case RuleKind::supermajority: {
        Fraction f = s.rule.fraction.value_or(Fraction{2, 3});
        words = fmt::format("{}/{} of {} {} {} ({})", f.num, f.den, total_text, label, unit, fraction_need(f));
        break;
      }
      case RuleKind::regional_seats: {
        std::string part = s.rule.fraction ? fmt::format("{}/{} of {} {} seats ({})", s.rule.fraction->num,
                                                         s.rule.fraction->den, total_text, label, fraction_need(*s.rule.fraction))
                                           : fmt::format("a majority of {} {} seats ({})", total_text, label, majority_need());
        words = part;
        if (s.rule.min_regions > 0) {
          words += fmt::format(" with seats from at least {} of {} regions", s.rule.min_regions, r.seat->regions_seated);
        }
        break;
      }
    }
    if (s.rule.quorum > 0) words += fmt::format(", with at least {} ballots cast", s.rule.quorum);
    if (!s.veto.empty()) words += fmt::format("; any one of {} can veto", bodies_label(m_model, s.veto));
    if (s.timeout) words += fmt::format("; after {} {}", format_duration(*s.timeout), timeout_words(s.on_timeout));
    return words;
  }

  std::string tally_words(const StageRun& r) const {
    Tally t = tally(r);
    std::string words = r.seat->weighted ? fmt::format("got {} for, {} against", seats(t.for_units, r.seat->scale), seats(t.against_units, r.seat->scale))
                                   : fmt::format("got {} for, {} against", t.for_n, t.against_n);
    if (r.spec->rule.kind == RuleKind::regional_seats && !r.spec->advisory) {
      words += fmt::format("; seats from {} of {} regions", t.regions_for.size(), r.seat->regions_seated);
    }
    if (r.state == State::open && t.silent_n > 0) words += fmt::format("; {} yet to vote", t.silent_n);
    if (r.silent_consents > 0) words += fmt::format("; {} silent, counted as consent", r.silent_consents);
    return words;
  }

  /// "manager.br approved; iana rejected: "bad glue"" for small stages, else the tally.
  std::string votes_words(const StageRun& r) const {
    if (r.seat->members.size() > 3) return tally_words(r);
    std::vector<std::string> parts;
    for (std::size_t bi : r.order) {
      const Ballot& b = m_ballots[bi];
      std::string part = fmt::format("{} {}", b.actor, b.vote == Vote::approve ? "approved" : "rejected");
      if (!b.comment.empty()) part += fmt::format(": \"{}\"", b.comment);
      parts.push_back(std::move(part));
    }
    if (r.silent_consents > 0) parts.push_back(fmt::format("{} silent, counted as consent", r.silent_consents));
    if (parts.empty()) return tally_words(r);
    return join(parts, "; ");
  }

  std::string advice_words(const StageRun& r) const {
    std::vector<std::string> parts;
    std::vector<std::size_t> all = r.order;
    all.insert(all.end(), r.comments.begin(), r.comments.end());
    std::sort(all.begin(), all.end());
    for (std::size_t bi : all) {
      const Ballot& b = m_ballots[bi];
      std::string verb = b.vote == Vote::approve ? "supports" : b.vote == Vote::reject ? "objects" : "comments";
      std::string part = fmt::format("{} {}", b.actor, verb);
      if (!b.comment.empty()) part += fmt::format(" (\"{}\")", b.comment);
      parts.push_back(std::move(part));
    }
    if (parts.size() > kNamesShown) {
      std::size_t more = parts.size() - kNamesShown;
      parts.resize(kNamesShown);
      parts.push_back(fmt::format("{} more", more));
    }
    return join(parts, "; ");
  }

  const ModelSpec& m_model;
  const RequestView& m_request;
  std::span<const Ballot> m_ballots;
  std::shared_ptr<const Seating> m_seating;  // m_runs point into it
  std::vector<StageRun> m_runs;
  std::vector<std::vector<std::size_t>> m_groups;
  std::vector<std::size_t> m_background;
  std::size_t m_group = 0;
  Outcome m_outcome = Outcome::pending;
  std::size_t m_deciding = kNone;
  Timestamp m_decided_at{};
  bool m_no_path = false;
};

// Where a pending request goes next: who is awaited and who may comment, the open stage and its
// deadline (decision() takes these from here and adds the words).
Decision Evaluator::routing() const {
  Decision d;
  d.outcome = m_outcome;
  std::set<ActorId> awaiting, may_comment;
  if (m_group < m_groups.size()) {
    for (std::size_t i : m_groups[m_group]) {
      const StageRun& r = m_runs[i];
      if (r.state != State::open) continue;
      if (d.stage.empty()) d.stage = r.spec->id;
      for (const auto& m : r.seat->members) {
        if (!r.votes.contains(m.id)) (r.spec->advisory ? may_comment : awaiting).insert(m.id);
      }
      if (r.deadline && (!d.deadline || *r.deadline < *d.deadline)) d.deadline = r.deadline;
    }
  }
  for (std::size_t i : m_background) {
    const StageRun& r = m_runs[i];
    if (r.state != State::open) continue;
    for (const auto& m : r.seat->members) {
      if (!r.votes.contains(m.id)) may_comment.insert(m.id);
    }
  }
  for (const auto& id : awaiting) may_comment.erase(id);
  d.awaiting.assign(awaiting.begin(), awaiting.end());
  d.may_comment.assign(may_comment.begin(), may_comment.end());
  return d;
}

Decision Evaluator::decision() const {
  Decision d;
  d.outcome = m_outcome;
  std::string kind(authority::to_string(m_request.kind));
  std::string cls(authority::to_string(m_request.tld_class));
  if (m_no_path) {
    d.stage = "";
    d.rules_applied.push_back("deny by default: no binding stage applies");
    d.explanation = fmt::format(
        "rejected: model '{}' has no binding stage for {} requests on {} TLDs, so nothing can approve it (deny by default)",
        m_model.id, kind, cls);
    for (const auto& r : m_runs) {
      authority::StageReport rep;
      rep.id = r.spec->id;
      rep.name = r.spec->name;
      rep.rule = rule_words(r);
      rep.advisory = r.spec->advisory;
      rep.state = std::string(state_name(r.state));
      d.stages.push_back(std::move(rep));
    }
    return d;
  }
  // Stage reports, in file order.
  std::set<std::size_t> counted;
  std::set<ActorId> approvers;
  d.stages.reserve(m_runs.size());
  for (const auto& r : m_runs) {
    authority::StageReport rep;
    rep.id = r.spec->id;
    rep.name = r.spec->name;
    rep.rule = rule_words(r);  // made once: the rules applied below say it again
    rep.advisory = r.spec->advisory;
    State shown = r.state;
    if (r.background() && r.state == State::open && m_outcome != Outcome::pending) shown = State::passed;
    rep.state = std::string(state_name(shown));
    for (std::size_t bi : r.order) {
      const Ballot& b = m_ballots[bi];
      (b.vote == Vote::approve ? rep.approved : rep.rejected).push_back(b.actor);
      if (!r.spec->advisory) {
        counted.insert(bi);
        if (b.vote == Vote::approve && r.state == State::passed) approvers.insert(b.actor);
      }
    }
    if (!r.spec->advisory && r.state != State::waiting && r.state != State::skipped) {
      d.rules_applied.push_back(
          fmt::format("'{}': {}: {}{}", r.spec->name, rep.rule, state_name(r.state),
                      r.note.empty() ? std::string() : fmt::format(" ({})", r.note)));
    } else if (r.spec->advisory && r.state != State::waiting && r.state != State::skipped) {
      d.rules_applied.push_back(fmt::format("'{}': {}", r.spec->name, rep.rule));
    }
    d.stages.push_back(std::move(rep));
  }
  for (std::size_t bi : counted) d.ballots_counted.push_back(m_ballots[bi]);

  // Advisory record, for every outcome.
  std::vector<std::string> advice;
  for (const auto& r : m_runs) {
    if (!r.spec->advisory || (r.order.empty() && r.comments.empty())) continue;
    std::string line = fmt::format("'{}' (advisory, not binding): {}", r.spec->name, advice_words(r));
    if (r.objected) line += " — a formal objection, which had to be answered";
    advice.push_back(std::move(line));
  }
  std::string advice_text = advice.empty() ? "" : ". Advice recorded: " + join(advice, "; ");

  switch (m_outcome) {
    case Outcome::approved: {
      d.approvers.assign(approvers.begin(), approvers.end());
      if (m_deciding != kNone) d.stage = m_runs[m_deciding].spec->id;
      std::vector<std::string> path;
      for (const auto& g : m_groups) {
        for (std::size_t i : g) {
          const StageRun& r = m_runs[i];
          if (r.state == State::skipped) {
            path.push_back(fmt::format("'{}' skipped ({})", r.spec->name, r.note));
          } else if (r.spec->advisory) {
            path.push_back(fmt::format("'{}' heard ({})", r.spec->name, r.note));
          } else {
            path.push_back(fmt::format("'{}' passed ({})", r.spec->name, votes_words(r)));
          }
        }
      }
      d.explanation = fmt::format("approved after stage '{}': {}{}",
                                  m_deciding != kNone ? m_runs[m_deciding].spec->name : std::string("?"),
                                  join(path, "; "), advice_text);
      break;
    }
    case Outcome::rejected:
    case Outcome::expired: {
      const StageRun& r = m_runs[m_deciding];
      d.stage = r.spec->id;
      std::string verb = m_outcome == Outcome::rejected ? "rejected" : "expired";
      std::string why;
      if (r.seat->members.empty()) {
        why = r.note;
      } else if (r.note.rfind("vetoed", 0) == 0) {
        why = fmt::format("{}; needs {}, {}", r.note, rule_words(r), tally_words(r));
      } else {
        why = fmt::format("needs {}, {}", rule_words(r), tally_words(r));
        if (!r.note.empty()) why = r.note + "; " + why;
        std::vector<std::string> reasons;
        for (std::size_t bi : r.order) {
          const Ballot& b = m_ballots[bi];
          if (b.vote == Vote::reject && !b.comment.empty() && reasons.size() < 3) {
            reasons.push_back(fmt::format("{}: \"{}\"", b.actor, b.comment));
          }
        }
        if (!reasons.empty()) why += "; " + join(reasons, "; ");
      }
      d.explanation = fmt::format("{} at stage '{}': {}{}", verb, r.spec->name, why, advice_text);
      break;
    }
    case Outcome::pending: {
      // Where the request goes next is routing()'s, so route() and evaluate() cannot disagree.
      Decision next = routing();
      d.stage = std::move(next.stage);
      d.awaiting = std::move(next.awaiting);
      d.may_comment = std::move(next.may_comment);
      d.deadline = next.deadline;
      std::vector<std::string> open;
      if (m_group < m_groups.size()) {
        for (std::size_t i : m_groups[m_group]) {
          const StageRun& r = m_runs[i];
          if (r.state != State::open) continue;
          std::vector<ActorId> missing;
          for (const auto& m : r.seat->members) {
            if (!r.votes.contains(m.id)) missing.push_back(m.id);
          }
          const std::string& rule = d.stages[i].rule;  // the stage reports follow m_runs
          std::string line = r.spec->advisory
                                 ? fmt::format("stage '{}': {}; {} may still advise", r.spec->name, rule, names(missing))
                                 : fmt::format("stage '{}': needs {}, {}; awaiting {}", r.spec->name, rule,
                                               tally_words(r), names(missing));
          if (r.deadline) {
            line += fmt::format("; {} at {}", r.spec->advisory ? "the hold ends" : "the deadline is",
                                authority::format_time(*r.deadline));
          }
          open.push_back(std::move(line));
        }
      }
      d.explanation = fmt::format("pending at {}{}", join(open, "; also open: "), advice_text);
      break;
    }
  }
  return d;
}

}  // namespace

std::vector<ActorId> members_of(const BodySpec& body, const RequestView& request, const ActorRegistry& registry) {
  std::set<ActorId> out;
  bool filtered = !body.roles.empty() || !body.in_bodies.empty() || !body.regions.empty() || !body.countries.empty();
  if (filtered) {
    auto any_of = [](const std::vector<std::string>& wanted, auto&& pred) {
      return wanted.empty() || std::any_of(wanted.begin(), wanted.end(), pred);
    };
    auto consider = [&](const authority::Actor& a) {
      if (!any_of(body.roles, [&](const std::string& v) { return a.has_role(v); })) return;
      if (!any_of(body.in_bodies, [&](const std::string& v) { return a.sits_on(v); })) return;
      if (!any_of(body.regions, [&](const std::string& v) { return a.region == v; })) return;
      if (!any_of(body.countries, [&](const std::string& v) { return a.country == v; })) return;
      out.insert(a.id);
    };
    // Candidates from the registry's role or body index when the body names one (every model's
    // bodies do); only a body filtered by region or country alone scans every actor.
    if (!body.roles.empty() || !body.in_bodies.empty()) {
      const bool by_role = !body.roles.empty();
      for (const auto& key : by_role ? body.roles : body.in_bodies) {
        for (const authority::Actor* a : by_role ? registry.with_role(key) : registry.in_body(key)) consider(*a);
      }
    } else {
      for (const auto& [id, a] : registry.all()) consider(a);
    }
  }
  for (const auto& id : body.actors) {
    if (registry.find(id) != nullptr) out.insert(id);
  }
  const authority::Actor* manager =
      body.dynamic.empty() || request.tld.empty() ? nullptr : registry.manager_of(request.tld);
  for (DynamicMembers d : body.dynamic) {
    switch (d) {
      case DynamicMembers::tld_manager:
        if (manager != nullptr) out.insert(manager->id);
        break;
      case DynamicMembers::affected:
        for (const auto& id : request.affected) {
          if (registry.find(id) != nullptr && (manager == nullptr || manager->id != id)) out.insert(id);
        }
        break;
      case DynamicMembers::tld_government: {
        if (request.tld_class != authority::TldClass::cc) break;
        std::string country = request.country.empty() ? authority::country_of_tld(request.tld) : request.country;
        if (country.empty()) break;
        if (const authority::Actor* g = registry.government_of(country)) out.insert(g->id);
        break;
      }
      case DynamicMembers::requester:
        if (registry.find(request.requester) != nullptr) out.insert(request.requester);
        break;
    }
  }
  return {out.begin(), out.end()};
}

// At most kMaxSeatings requests' seats are kept; past that the cache starts again (a request
// is routed a few times while it is open, and far fewer are open at once).
constexpr std::size_t kMaxSeatings = 4096;

struct ModelPolicy::SeatCache {
  std::mutex mutex;
  std::unordered_map<std::string, std::shared_ptr<const Seating>> by_request;
  std::uint64_t hits = 0;
  std::uint64_t misses = 0;

  std::shared_ptr<const Seating> get(const ModelSpec& model, const RequestView& request, const ActorRegistry& registry) {
    std::lock_guard lock(mutex);
    auto it = by_request.find(request.id);
    if (it != by_request.end() && it->second->registry_revision == registry.revision() &&
        same_view(it->second->view, request)) {
      ++hits;
      return it->second;
    }
    ++misses;
    auto seating = seat_model(model, request, registry);
    if (it != by_request.end()) {
      it->second = seating;
    } else {
      if (by_request.size() >= kMaxSeatings) by_request.clear();
      by_request.emplace(request.id, seating);
    }
    return seating;
  }
};

ModelPolicy::ModelPolicy(ModelSpec spec, std::string id, std::string definition)
    : m_spec(std::move(spec)), m_id(std::move(id)), m_definition(std::move(definition)),
      m_seats(std::make_shared<SeatCache>()) {}

std::uint64_t ModelPolicy::seat_hits() const {
  std::lock_guard lock(m_seats->mutex);
  return m_seats->hits;
}

std::uint64_t ModelPolicy::seat_misses() const {
  std::lock_guard lock(m_seats->mutex);
  return m_seats->misses;
}

Result<void> ModelPolicy::may_submit(const RequestView& request, const ActorRegistry& registry) const {
  std::string kind(authority::to_string(request.kind));
  std::string cls(authority::to_string(request.tld_class));
  std::vector<std::string> allowed;
  bool any_rule = false;
  for (const auto& s : m_spec.submit) {
    if (!in_scope(s.applies_to, request)) continue;
    any_rule = true;
    for (const auto& body_id : s.bodies) {
      const BodySpec* body = m_spec.body(body_id);
      if (body == nullptr) continue;
      auto members = members_of(*body, request, registry);
      if (std::find(members.begin(), members.end(), request.requester) != members.end()) return {};
      allowed.push_back(members.empty() ? body->name : fmt::format("{} ({})", body->name, names(members)));
    }
  }
  if (!any_rule) {
    return fail(Errc::unauthorized,
                fmt::format("model '{}' lets nobody submit {} requests for {} TLDs", m_spec.id, kind, cls));
  }
  std::string target = request.tld.empty() ? std::string("the root") : fmt::format("'{}'", request.tld);
  return fail(Errc::unauthorized, fmt::format("'{}' may not submit a {} request for {} under model '{}': allowed are {}",
                                              request.requester, kind, target, m_spec.id, join(allowed, ", ")));
}

Decision ModelPolicy::evaluate(const RequestView& request, std::span<const Ballot> ballots, Timestamp now,
                               const ActorRegistry& registry) const {
  Evaluator ev(m_spec, request, ballots, m_seats->get(m_spec, request, registry));
  ev.run(now);
  return ev.decision();
}

Decision ModelPolicy::route(const RequestView& request, std::span<const Ballot> ballots, Timestamp now,
                            const ActorRegistry& registry) const {
  Evaluator ev(m_spec, request, ballots, m_seats->get(m_spec, request, registry));
  ev.run(now);
  return ev.pending() ? ev.routing() : ev.decision();
}

}  // namespace rootgov::policies
