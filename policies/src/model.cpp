// model.cpp - reading and validating model files (TOML), and describing a model in words.
#include <rootgov/policies/model.hpp>

#include <algorithm>
#include <array>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <toml.hpp>

#include "model_text.hpp"

namespace rootgov::policies {

namespace {

using TValue = toml::basic_value<toml::discard_comments, std::map, std::vector>;
using TTable = TValue::table_type;

constexpr std::array<std::string_view, 5> kRegions = {"africa", "asia-pacific", "europe", "latin-america",
                                                      "north-america"};

std::string_view type_name(const TValue& v) {
  switch (v.type()) {
    case toml::value_t::boolean:
      return "a boolean";
    case toml::value_t::integer:
      return "an integer";
    case toml::value_t::floating:
      return "a float";
    case toml::value_t::string:
      return "a string";
    case toml::value_t::array:
      return "an array";
    case toml::value_t::table:
      return "a table";
    case toml::value_t::empty:
      return "nothing";
    default:
      return "a date or time";
  }
}

std::string in_quotes(std::string_view s) { return fmt::format("'{}'", s); }

std::expected<Scope, std::string> scope_from_string(std::string_view text) {
  auto colon = text.find(':');
  std::string_view kind_text = text.substr(0, colon);
  auto kind = authority::change_kind_from_string(kind_text);
  if (!kind) {
    return std::unexpected(fmt::format("unknown change kind {} (known: ns-update, ds-update, delegate, transfer, "
                                       "revoke, root-update, contact-update; optionally with \":cc\", \":g\" or, "
                                       "for root-update, \":root-ns\", \":dnskey\", \":soa-timers\")",
                                       in_quotes(kind_text)));
  }
  Scope s;
  s.kind = *kind;
  if (colon == std::string_view::npos) return s;
  std::string_view qualifier = text.substr(colon + 1);
  if (*kind == authority::ChangeKind::root_update) {
    auto target = root_target_from_string(qualifier);
    if (!target) {
      return std::unexpected(fmt::format("unknown root target {} in {} (known: root-ns, dnskey, soa-timers)",
                                         in_quotes(qualifier), in_quotes(text)));
    }
    s.target = target;
    return s;
  }
  if (qualifier == "cc") {
    s.tld_class = authority::TldClass::cc;
  } else if (qualifier == "g") {
    s.tld_class = authority::TldClass::g;
  } else {
    return std::unexpected(fmt::format("unknown tld class {} in {} (known: cc, g)", in_quotes(qualifier), in_quotes(text)));
  }
  return s;
}

/// Collects every error found while reading one file.
class Reader {
 public:
  explicit Reader(std::string file) : m_file(std::move(file)) {}

  void error(std::string key, std::string problem) {
    m_errors.push_back(ModelError{m_file, std::move(key), std::move(problem)});
  }
  std::vector<ModelError> take() { return std::move(m_errors); }
  bool ok() const { return m_errors.empty(); }

  static std::string join(std::string_view path, std::string_view key) {
    return path.empty() ? std::string(key) : fmt::format("{}.{}", path, key);
  }

  void allow_keys(const TTable& t, std::string_view path, std::initializer_list<std::string_view> allowed) {
    for (const auto& [key, value] : t) {
      (void)value;
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        std::string list;
        for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
        error(join(path, key), fmt::format("unknown key (allowed here: {})", list));
      }
    }
  }

  const TValue* find(const TTable& t, std::string_view key) const {
    auto it = t.find(std::string(key));
    return it == t.end() ? nullptr : &it->second;
  }

  std::optional<std::string> string(const TTable& t, std::string_view path, std::string_view key, bool required) {
    const TValue* v = find(t, key);
    if (v == nullptr) {
      if (required) error(join(path, key), "missing (a string is required)");
      return std::nullopt;
    }
    if (!v->is_string()) {
      error(join(path, key), fmt::format("expected a string, got {}", type_name(*v)));
      return std::nullopt;
    }
    return v->as_string().str;
  }

  std::optional<std::vector<std::string>> strings(const TTable& t, std::string_view path, std::string_view key,
                                                  bool required) {
    const TValue* v = find(t, key);
    std::string where = join(path, key);
    if (v == nullptr) {
      if (required) error(where, "missing (an array of strings is required)");
      return std::nullopt;
    }
    if (!v->is_array()) {
      error(where, fmt::format("expected an array of strings, got {}", type_name(*v)));
      return std::nullopt;
    }
    std::vector<std::string> out;
    bool good = true;
    const auto& arr = v->as_array();
    for (std::size_t i = 0; i < arr.size(); ++i) {
      if (!arr[i].is_string()) {
        error(fmt::format("{}[{}]", where, i), fmt::format("expected a string, got {}", type_name(arr[i])));
        good = false;
        continue;
      }
      out.push_back(arr[i].as_string().str);
    }
    if (!good) return std::nullopt;
    return out;
  }

  std::optional<std::int64_t> integer(const TTable& t, std::string_view path, std::string_view key,
                                      std::int64_t min_value) {
    const TValue* v = find(t, key);
    if (v == nullptr) return std::nullopt;
    if (!v->is_integer()) {
      error(join(path, key), fmt::format("expected an integer, got {}", type_name(*v)));
      return std::nullopt;
    }
    std::int64_t value = v->as_integer();
    if (value < min_value) {
      error(join(path, key), fmt::format("must be at least {}, got {}", min_value, value));
      return std::nullopt;
    }
    return value;
  }

  std::optional<bool> boolean(const TTable& t, std::string_view path, std::string_view key) {
    const TValue* v = find(t, key);
    if (v == nullptr) return std::nullopt;
    if (!v->is_boolean()) {
      error(join(path, key), fmt::format("expected a boolean, got {}", type_name(*v)));
      return std::nullopt;
    }
    return v->as_boolean();
  }

  std::optional<authority::Duration> duration(const TTable& t, std::string_view path, std::string_view key) {
    auto text = string(t, path, key, false);
    if (!text) return std::nullopt;
    auto d = authority::parse_duration(*text);
    if (!d) {
      error(join(path, key), fmt::format("invalid duration {}: {}", in_quotes(*text), d.error().message));
      return std::nullopt;
    }
    if (d->seconds <= 0) {
      error(join(path, key), fmt::format("duration {} must be longer than zero", in_quotes(*text)));
      return std::nullopt;
    }
    return *d;
  }

  std::vector<Scope> scopes(const TTable& t, std::string_view path) {
    std::vector<Scope> out;
    auto names = strings(t, path, "applies_to", false);
    if (!names) return out;
    if (names->empty()) error(join(path, "applies_to"), "is empty (leave it out to cover every request)");
    for (std::size_t i = 0; i < names->size(); ++i) {
      auto scope = scope_from_string((*names)[i]);
      if (!scope) {
        error(fmt::format("{}[{}]", join(path, "applies_to"), i), scope.error());
        continue;
      }
      out.push_back(*scope);
    }
    return out;
  }

 private:
  std::string m_file;
  std::vector<ModelError> m_errors;
};

bool valid_id(std::string_view id) { return authority::is_valid_actor_id(id); }

std::optional<Fraction> parse_fraction(std::string_view text) {
  auto slash = text.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 >= text.size()) return std::nullopt;
  auto number = [](std::string_view s) -> std::optional<std::int64_t> {
    if (s.empty() || s.size() > 6) return std::nullopt;
    std::int64_t v = 0;
    for (char c : s) {
      if (c < '0' || c > '9') return std::nullopt;
      v = v * 10 + (c - '0');
    }
    return v;
  };
  auto p = number(text.substr(0, slash));
  auto q = number(text.substr(slash + 1));
  if (!p || !q || *p <= 0 || *q <= 0 || *p > *q) return std::nullopt;
  return Fraction{*p, *q};
}

void read_body(Reader& r, const std::string& id, const TValue& value, ModelSpec& model) {
  std::string path = "body." + id;
  if (!valid_id(id)) r.error(path, "body ids are lowercase [a-z0-9][a-z0-9.-]*");
  if (!value.is_table()) {
    r.error(path, fmt::format("expected a table, got {}", type_name(value)));
    return;
  }
  const TTable& t = value.as_table();
  r.allow_keys(t, path,
               {"name", "description", "roles", "in_bodies", "regions", "countries", "actors", "dynamic", "weights",
                "regional_seats"});
  BodySpec b;
  b.id = id;
  b.name = r.string(t, path, "name", true).value_or(id);
  b.description = r.string(t, path, "description", false).value_or("");
  b.roles = r.strings(t, path, "roles", false).value_or(std::vector<std::string>{});
  b.in_bodies = r.strings(t, path, "in_bodies", false).value_or(std::vector<std::string>{});
  b.regions = r.strings(t, path, "regions", false).value_or(std::vector<std::string>{});
  for (std::size_t i = 0; i < b.regions.size(); ++i) {
    if (std::find(kRegions.begin(), kRegions.end(), b.regions[i]) == kRegions.end()) {
      r.error(fmt::format("{}.regions[{}]", path, i),
              fmt::format("unknown region {} (known: africa, asia-pacific, europe, latin-america, north-america)",
                          in_quotes(b.regions[i])));
    }
  }
  b.countries = r.strings(t, path, "countries", false).value_or(std::vector<std::string>{});
  for (std::size_t i = 0; i < b.countries.size(); ++i) {
    const auto& c = b.countries[i];
    if (c.size() != 2 || c[0] < 'a' || c[0] > 'z' || c[1] < 'a' || c[1] > 'z') {
      r.error(fmt::format("{}.countries[{}]", path, i),
              fmt::format("{} is not a lowercase ISO 3166-1 alpha-2 code", in_quotes(c)));
    }
  }
  b.actors = r.strings(t, path, "actors", false).value_or(std::vector<std::string>{});
  for (std::size_t i = 0; i < b.actors.size(); ++i) {
    if (!authority::is_valid_actor_id(b.actors[i])) {
      r.error(fmt::format("{}.actors[{}]", path, i), fmt::format("{} is not a valid actor id", in_quotes(b.actors[i])));
    }
  }
  auto dynamic = r.strings(t, path, "dynamic", false).value_or(std::vector<std::string>{});
  for (std::size_t i = 0; i < dynamic.size(); ++i) {
    auto d = dynamic_from_string(dynamic[i]);
    if (!d) {
      r.error(fmt::format("{}.dynamic[{}]", path, i),
              fmt::format("unknown dynamic selector {} (known: tld-manager, affected, tld-government, requester)",
                          in_quotes(dynamic[i])));
      continue;
    }
    b.dynamic.push_back(*d);
  }
  auto read_int_table = [&](std::string_view key, std::map<std::string, std::int64_t>& out, bool regions) {
    const TValue* v = r.find(t, key);
    if (v == nullptr) return;
    std::string where = Reader::join(path, key);
    if (!v->is_table()) {
      r.error(where, fmt::format("expected a table, got {}", type_name(*v)));
      return;
    }
    for (const auto& [name, n] : v->as_table()) {
      std::string at = Reader::join(where, name);
      if (regions && std::find(kRegions.begin(), kRegions.end(), name) == kRegions.end()) {
        r.error(at, fmt::format("unknown region {} (known: africa, asia-pacific, europe, latin-america, north-america)",
                                in_quotes(name)));
        continue;
      }
      if (!regions && !authority::is_valid_actor_id(name)) {
        r.error(at, fmt::format("{} is not a valid actor id", in_quotes(name)));
        continue;
      }
      if (!n.is_integer()) {
        r.error(at, fmt::format("expected an integer, got {}", type_name(n)));
        continue;
      }
      if (n.as_integer() < 1 || n.as_integer() > 1000000) {
        r.error(at, fmt::format("must be between 1 and 1000000, got {}", n.as_integer()));
        continue;
      }
      out[name] = n.as_integer();
    }
  };
  read_int_table("weights", b.weights, false);
  read_int_table("regional_seats", b.regional_seats, true);
  if (r.find(t, "weights") != nullptr && r.find(t, "regional_seats") != nullptr) {
    r.error(path + ".regional_seats", "a body has either weights or regional_seats, not both");
  }
  bool has_selector = !b.roles.empty() || !b.in_bodies.empty() || !b.regions.empty() || !b.countries.empty() ||
                      !b.actors.empty() || !b.dynamic.empty();
  if (!has_selector) {
    r.error(path, "selects nobody: give roles, in_bodies, regions, countries, actors or dynamic");
  }
  model.bodies.push_back(std::move(b));
}

void read_stage(Reader& r, std::size_t index, const TValue& value, ModelSpec& model) {
  std::string path = fmt::format("stage[{}]", index);
  if (!value.is_table()) {
    r.error(path, fmt::format("expected a table, got {}", type_name(value)));
    return;
  }
  const TTable& t = value.as_table();
  r.allow_keys(t, path,
               {"id", "name", "description", "group", "applies_to", "bodies", "veto", "rule", "k",
                "fraction", "min_regions", "quorum", "timeout", "on_timeout", "skip_if_empty", "advisory", "hold",
                "objection", "when_objection"});
  StageSpec s;
  s.id = r.string(t, path, "id", true).value_or("");
  if (!s.id.empty() && !valid_id(s.id)) r.error(path + ".id", fmt::format("{}: stage ids are lowercase [a-z0-9][a-z0-9.-]*", in_quotes(s.id)));
  if (!s.id.empty() && model.stage(s.id) != nullptr) r.error(path + ".id", fmt::format("duplicate stage id {}", in_quotes(s.id)));
  s.name = r.string(t, path, "name", true).value_or(s.id);
  s.description = r.string(t, path, "description", false).value_or("");
  s.group = r.string(t, path, "group", false).value_or("");
  s.applies_to = r.scopes(t, path);
  auto bodies = r.strings(t, path, "bodies", true);
  if (bodies) {
    s.bodies = *bodies;
    if (s.bodies.empty()) r.error(path + ".bodies", "names no body");
    for (std::size_t i = 0; i < s.bodies.size(); ++i) {
      if (model.body(s.bodies[i]) == nullptr) {
        r.error(fmt::format("{}.bodies[{}]", path, i), fmt::format("unknown body {}", in_quotes(s.bodies[i])));
      }
    }
  }
  s.veto = r.strings(t, path, "veto", false).value_or(std::vector<std::string>{});
  for (std::size_t i = 0; i < s.veto.size(); ++i) {
    if (std::find(s.bodies.begin(), s.bodies.end(), s.veto[i]) == s.bodies.end()) {
      r.error(fmt::format("{}.veto[{}]", path, i),
              fmt::format("{} is not one of this stage's bodies (a veto holder must sit on the stage)", in_quotes(s.veto[i])));
    }
  }
  s.advisory = r.boolean(t, path, "advisory").value_or(false);
  s.skip_if_empty = r.boolean(t, path, "skip_if_empty").value_or(false);

  auto rule = r.string(t, path, "rule", !s.advisory);
  if (rule) {
    auto kind = rule_kind_from_string(*rule);
    if (!kind) {
      r.error(path + ".rule",
              fmt::format("unknown rule {} (known: all, any, majority, supermajority, k-of-n, regional-seats)", in_quotes(*rule)));
    } else {
      s.rule.kind = *kind;
    }
    if (s.advisory) r.error(path + ".rule", "an advisory stage never decides, so it has no rule (use objection)");
  }
  const bool has_rule = rule.has_value() && !s.advisory;
  if (auto k = r.integer(t, path, "k", 1)) {
    s.rule.k = *k;
    if (!(has_rule && s.rule.kind == RuleKind::k_of_n)) r.error(path + ".k", "k belongs to rule \"k-of-n\" only");
  } else if (has_rule && s.rule.kind == RuleKind::k_of_n && r.find(t, "k") == nullptr) {
    r.error(path + ".k", "missing: rule \"k-of-n\" needs k (an integer of at least 1)");
  }
  if (auto text = r.string(t, path, "fraction", false)) {
    auto f = parse_fraction(*text);
    if (!f) {
      r.error(path + ".fraction", fmt::format("{} is not a fraction p/q with 0 < p <= q, such as \"2/3\"", in_quotes(*text)));
    } else {
      s.rule.fraction = *f;
    }
    if (!(has_rule && (s.rule.kind == RuleKind::supermajority || s.rule.kind == RuleKind::regional_seats))) {
      r.error(path + ".fraction", "fraction belongs to rules \"supermajority\" and \"regional-seats\" only");
    }
  } else if (has_rule && s.rule.kind == RuleKind::supermajority && r.find(t, "fraction") == nullptr) {
    r.error(path + ".fraction", "missing: rule \"supermajority\" needs fraction (such as \"2/3\")");
  }
  if (auto m = r.integer(t, path, "min_regions", 0)) {
    s.rule.min_regions = *m;
    if (!(has_rule && s.rule.kind == RuleKind::regional_seats)) {
      r.error(path + ".min_regions", "min_regions belongs to rule \"regional-seats\" only");
    }
  }
  if (auto q = r.integer(t, path, "quorum", 0)) {
    s.rule.quorum = *q;
    if (s.advisory) r.error(path + ".quorum", "an advisory stage has no quorum");
  }
  if (has_rule && s.rule.kind == RuleKind::regional_seats && !s.bodies.empty()) {
    std::set<std::string> regions;
    bool seated = false;
    for (const auto& name : s.bodies) {
      const BodySpec* b = model.body(name);
      if (b == nullptr || b->regional_seats.empty()) continue;
      seated = true;
      for (const auto& [region, n] : b->regional_seats) regions.insert(region);
    }
    if (!seated) {
      r.error(path + ".rule", "rule \"regional-seats\" needs a body with regional_seats among the stage's bodies");
    } else if (s.rule.min_regions > static_cast<std::int64_t>(regions.size())) {
      r.error(path + ".min_regions",
              fmt::format("asks for {} regions but the stage's bodies seat only {}", s.rule.min_regions, regions.size()));
    }
  }
  s.timeout = r.duration(t, path, "timeout");
  if (auto text = r.string(t, path, "on_timeout", false)) {
    auto o = timeout_outcome_from_string(*text);
    if (!o) {
      r.error(path + ".on_timeout", fmt::format("unknown timeout outcome {} (known: consent, reject, expire, count)", in_quotes(*text)));
    } else {
      s.on_timeout = *o;
    }
    if (r.find(t, "timeout") == nullptr) r.error(path + ".on_timeout", "on_timeout needs a timeout");
  } else if (r.find(t, "timeout") != nullptr) {
    r.error(path + ".on_timeout", "missing: a timeout needs on_timeout (consent, reject, expire or count)");
  }
  if (s.advisory && r.find(t, "timeout") != nullptr) {
    r.error(path + ".timeout", "an advisory stage has no timeout (use hold to delay the path)");
  }
  s.hold = r.duration(t, path, "hold");
  if (r.find(t, "hold") != nullptr && !s.advisory) r.error(path + ".hold", "hold belongs to advisory stages only");
  if (auto o = r.integer(t, path, "objection", 1)) {
    s.objection = *o;
    if (!s.advisory || r.find(t, "hold") == nullptr) {
      r.error(path + ".objection", "objection belongs to advisory stages with a hold only");
    }
  }
  if (s.advisory && r.find(t, "hold") == nullptr && r.find(t, "group") != nullptr) {
    r.error(path + ".group", "an advisory stage without hold is open throughout and belongs to no group");
  }
  if (auto w = r.string(t, path, "when_objection", false)) {
    s.when_objection = *w;
    const StageSpec* earlier = model.stage(*w);
    if (earlier == nullptr) {
      r.error(path + ".when_objection", fmt::format("no earlier stage {}", in_quotes(*w)));
    } else if (!earlier->advisory || !earlier->hold || earlier->objection == 0) {
      r.error(path + ".when_objection",
              fmt::format("stage {} is not an advisory stage with hold and objection", in_quotes(*w)));
    }
  }
  if (s.id.empty()) s.id = fmt::format("stage-{}", index);
  model.stages.push_back(std::move(s));
}

void read_submit(Reader& r, std::size_t index, const TValue& value, ModelSpec& model) {
  std::string path = fmt::format("submit[{}]", index);
  if (!value.is_table()) {
    r.error(path, fmt::format("expected a table, got {}", type_name(value)));
    return;
  }
  const TTable& t = value.as_table();
  r.allow_keys(t, path, {"applies_to", "bodies"});
  SubmitSpec s;
  s.applies_to = r.scopes(t, path);
  s.bodies = r.strings(t, path, "bodies", true).value_or(std::vector<std::string>{});
  for (std::size_t i = 0; i < s.bodies.size(); ++i) {
    if (model.body(s.bodies[i]) == nullptr) {
      r.error(fmt::format("{}.bodies[{}]", path, i), fmt::format("unknown body {}", in_quotes(s.bodies[i])));
    }
  }
  model.submit.push_back(std::move(s));
}

const TValue* array_of_tables(Reader& r, const TTable& root, std::string_view key) {
  const TValue* v = r.find(root, key);
  if (v == nullptr) return nullptr;
  if (!v->is_array()) {
    r.error(std::string(key), fmt::format("expected an array of tables ([[{}]]), got {}", key, type_name(*v)));
    return nullptr;
  }
  return v;
}

}  // namespace

std::string_view to_string(RuleKind kind) {
  switch (kind) {
    case RuleKind::all:
      return "all";
    case RuleKind::any:
      return "any";
    case RuleKind::majority:
      return "majority";
    case RuleKind::supermajority:
      return "supermajority";
    case RuleKind::k_of_n:
      return "k-of-n";
    case RuleKind::regional_seats:
      return "regional-seats";
  }
  return "?";
}

std::string_view to_string(TimeoutOutcome outcome) {
  switch (outcome) {
    case TimeoutOutcome::consent:
      return "consent";
    case TimeoutOutcome::reject:
      return "reject";
    case TimeoutOutcome::expire:
      return "expire";
    case TimeoutOutcome::count:
      return "count";
  }
  return "?";
}

std::string_view to_string(DynamicMembers d) {
  switch (d) {
    case DynamicMembers::tld_manager:
      return "tld-manager";
    case DynamicMembers::affected:
      return "affected";
    case DynamicMembers::tld_government:
      return "tld-government";
    case DynamicMembers::requester:
      return "requester";
  }
  return "?";
}

std::optional<RuleKind> rule_kind_from_string(std::string_view s) {
  for (auto k : {RuleKind::all, RuleKind::any, RuleKind::majority, RuleKind::supermajority, RuleKind::k_of_n,
                 RuleKind::regional_seats}) {
    if (to_string(k) == s) return k;
  }
  return std::nullopt;
}

std::optional<TimeoutOutcome> timeout_outcome_from_string(std::string_view s) {
  for (auto o : {TimeoutOutcome::consent, TimeoutOutcome::reject, TimeoutOutcome::expire, TimeoutOutcome::count}) {
    if (to_string(o) == s) return o;
  }
  return std::nullopt;
}

std::optional<DynamicMembers> dynamic_from_string(std::string_view s) {
  for (auto d : {DynamicMembers::tld_manager, DynamicMembers::affected, DynamicMembers::tld_government,
                 DynamicMembers::requester}) {
    if (to_string(d) == s) return d;
  }
  return std::nullopt;
}

std::optional<authority::TldClass> tld_class_from_string(std::string_view s) {
  for (auto c : {authority::TldClass::cc, authority::TldClass::g, authority::TldClass::root}) {
    if (authority::to_string(c) == s) return c;
  }
  return std::nullopt;
}

std::string_view root_target_name(authority::RootTarget t) {
  switch (t) {
    case authority::RootTarget::none:
      return "none";
    case authority::RootTarget::root_ns:
      return "root-ns";
    case authority::RootTarget::dnskey:
      return "dnskey";
    case authority::RootTarget::soa_timers:
      return "soa-timers";
  }
  return "?";
}

std::optional<authority::RootTarget> root_target_from_string(std::string_view s) {
  for (auto t : {authority::RootTarget::root_ns, authority::RootTarget::dnskey, authority::RootTarget::soa_timers}) {
    if (root_target_name(t) == s) return t;
  }
  return std::nullopt;
}

std::string timeout_words(TimeoutOutcome o) {
  switch (o) {
    case TimeoutOutcome::consent:
      return "silence counts as consent";
    case TimeoutOutcome::reject:
      return "silence counts as rejection";
    case TimeoutOutcome::expire:
      return "the request expires";
    case TimeoutOutcome::count:
      return "the ballots cast decide";
  }
  return "?";
}

std::string format_duration(authority::Duration d) {
  std::int64_t s = d.seconds;
  if (s % 86400 == 0) return fmt::format("{}d", s / 86400);
  if (s % 3600 == 0) return fmt::format("{}h", s / 3600);
  if (s % 60 == 0) return fmt::format("{}m", s / 60);
  return fmt::format("{}s", s);
}

bool Scope::matches(const authority::RequestView& request) const {
  if (request.kind != kind) return false;
  if (tld_class && request.tld_class != *tld_class) return false;
  if (target && request.root_target != *target) return false;
  return true;
}

std::string Scope::to_string() const {
  std::string out(authority::to_string(kind));
  if (tld_class) out += ":" + std::string(authority::to_string(*tld_class));
  if (target) out += ":" + std::string(root_target_name(*target));
  return out;
}

bool in_scope(const std::vector<Scope>& scopes, const authority::RequestView& request) {
  if (scopes.empty()) return true;
  return std::any_of(scopes.begin(), scopes.end(), [&](const Scope& s) { return s.matches(request); });
}

const BodySpec* ModelSpec::body(std::string_view wanted) const {
  for (const auto& b : bodies) {
    if (b.id == wanted) return &b;
  }
  return nullptr;
}

const StageSpec* ModelSpec::stage(std::string_view wanted) const {
  for (const auto& s : stages) {
    if (s.id == wanted) return &s;
  }
  return nullptr;
}

std::string ModelError::to_string() const {
  if (key.empty()) return fmt::format("{}: {}", file, problem);
  return fmt::format("{}: {}: {}", file, key, problem);
}

std::expected<ModelSpec, std::vector<ModelError>> parse_model(std::string_view text, std::string_view source_name) {
  Reader r{std::string(source_name)};
  TValue root;
  try {
    std::istringstream in{std::string(text)};
    root = toml::parse<toml::discard_comments, std::map, std::vector>(in, std::string(source_name));
  } catch (const toml::exception& e) {
    // toml11's message spans several lines with a caret; keep its first line and the line number.
    std::string what = e.what();
    auto nl = what.find('\n');
    std::string first = what.substr(0, nl);
    if (first.rfind("[error] ", 0) == 0) first = first.substr(8);
    r.error(fmt::format("line {}", e.location().line()), "not valid toml: " + first);
    return std::unexpected(r.take());
  } catch (const std::exception& e) {
    r.error("", std::string("not valid toml: ") + e.what());
    return std::unexpected(r.take());
  }
  const TTable& t = root.as_table();
  r.allow_keys(t, "", {"id", "title", "description", "sources", "body", "stage", "submit"});
  ModelSpec model;
  model.source_name = std::string(source_name);
  model.id = r.string(t, "", "id", true).value_or("");
  if (!model.id.empty() && !valid_id(model.id)) {
    r.error("id", fmt::format("{}: model ids are lowercase [a-z0-9][a-z0-9.-]*", in_quotes(model.id)));
  }
  model.title = r.string(t, "", "title", true).value_or("");
  if (r.find(t, "title") != nullptr && model.title.empty()) r.error("title", "is empty");
  model.description = r.string(t, "", "description", false).value_or("");
  if (auto sources = r.strings(t, "", "sources", true)) {
    model.sources = *sources;
    if (model.sources.empty()) r.error("sources", "names no source (cite DOMAIN.md and the original documents)");
  }
  if (const TValue* bodies = r.find(t, "body")) {
    if (!bodies->is_table()) {
      r.error("body", fmt::format("expected a table of bodies ([body.<id>]), got {}", type_name(*bodies)));
    } else {
      for (const auto& [id, value] : bodies->as_table()) read_body(r, id, value, model);
    }
  } else {
    r.error("body", "missing: a model needs at least one body ([body.<id>])");
  }
  if (const TValue* stages = array_of_tables(r, t, "stage")) {
    const auto& arr = stages->as_array();
    if (arr.empty()) r.error("stage", "a model needs at least one stage");
    for (std::size_t i = 0; i < arr.size(); ++i) read_stage(r, i, arr[i], model);
    // Groups must be contiguous so that the path is a sequence of groups.
    std::set<std::string> closed;
    std::string current;
    for (std::size_t i = 0; i < model.stages.size(); ++i) {
      const auto& g = model.stages[i].group;
      if (g != current) {
        if (!current.empty()) closed.insert(current);
        if (!g.empty() && closed.contains(g)) {
          r.error(fmt::format("stage[{}].group", i), fmt::format("group {} is split: its stages must be consecutive", in_quotes(g)));
        }
        current = g;
      }
    }
  } else if (r.find(t, "stage") == nullptr) {
    r.error("stage", "missing: a model needs at least one stage ([[stage]])");
  }
  if (const TValue* submit = array_of_tables(r, t, "submit")) {
    const auto& arr = submit->as_array();
    for (std::size_t i = 0; i < arr.size(); ++i) read_submit(r, i, arr[i], model);
  }
  if (model.submit.empty() && r.find(t, "submit") == nullptr) {
    r.error("submit", "missing: without a submit rule ([[submit]]) nobody may submit anything");
  }
  if (!r.ok()) return std::unexpected(r.take());
  return model;
}

Result<std::string> read_model_text(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return fail(Errc::io, fmt::format("cannot read model file '{}': it is a directory", path.string()));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(Errc::io, fmt::format("cannot read model file '{}'", path.string()));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return fail(Errc::io, fmt::format("cannot read model file '{}'", path.string()));
  return buffer.str();
}

Result<ModelSpec> parse_model_text(std::string_view text, std::string_view source_name) {
  auto model = parse_model(text, source_name);
  if (!model) {
    std::string message;
    for (const auto& e : model.error()) message += (message.empty() ? "" : "\n") + e.to_string();
    return fail(Errc::check_failed, message);
  }
  return std::move(*model);
}

Result<ModelSpec> read_model_file(const std::filesystem::path& path) {
  auto text = read_model_text(path);
  if (!text) return std::unexpected(text.error());
  return parse_model_text(*text, path.string());
}

Result<void> check_model_file(const std::filesystem::path& path) {
  auto model = read_model_file(path);
  if (!model) return std::unexpected(model.error());
  return {};
}

}  // namespace rootgov::policies
